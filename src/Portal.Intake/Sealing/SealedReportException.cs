namespace Portal.Intake.Sealing;

/// <summary>A sealed report could not be read or opened: malformed, unsupported, altered, or sealed for another key.</summary>
public sealed class SealedReportException : Exception
{
    public SealedReportException()
        : base("The sealed report could not be opened.")
    {
    }

    public SealedReportException(string message)
        : base(message)
    {
    }

    public SealedReportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
