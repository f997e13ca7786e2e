namespace Portal.Intake.Delivery;

/// <summary>
/// The embedded default: one sealed file per report, <c>{id}.jwe</c>, in a folder the case system
/// collects from. Written atomically, so the collector never sees half a file; a second delivery of
/// the same report rewrites the same name with the same bytes.
/// </summary>
public sealed class DirectoryConnector : IReportConnector, IDisposable
{
    private readonly DurableFolderWriter _writer;

    public DirectoryConnector(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = Path.GetFullPath(folder);
        _writer = new DurableFolderWriter(Folder);
    }

    public string Name => "Directory";

    public string Folder { get; }

    public async Task<DeliveryOutcome> DeliverAsync(OutgoingReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            // Reports delivered at the same moment are made durable together (see DurableFolderWriter).
            await _writer.WriteAsync(report.ReportId.ToString("D") + ".jwe", System.Text.Encoding.UTF8.GetBytes(report.Envelope), ct);
            return DeliveryOutcome.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DeliveryOutcome.Failure("directory: " + e.GetType().Name);
        }
    }

    public void Dispose() => _writer.Dispose();
}
