namespace Portal.Intake.Delivery;

/// <summary>
/// The embedded default: one sealed file per report, <c>{id}.jwe</c>, in a folder the case system
/// collects from. Written atomically, so the collector never sees half a file; a second delivery of
/// the same report rewrites the same name with the same bytes.
/// </summary>
public sealed class DirectoryConnector : IReportConnector
{
    public DirectoryConnector(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = Path.GetFullPath(folder);
    }

    public string Name => "Directory";

    public string Folder { get; }

    public async Task<DeliveryOutcome> DeliverAsync(OutgoingReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            Directory.CreateDirectory(Folder);
            await DurableFile.WriteAsync(Path.Combine(Folder, report.ReportId.ToString("D") + ".jwe"), report.Envelope, ct);
            return DeliveryOutcome.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DeliveryOutcome.Failure("directory: " + e.GetType().Name);
        }
    }
}
