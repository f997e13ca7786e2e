namespace Portal.Intake.Delivery.Email;

/// <summary>One SMTP reply: its three-digit code and the text of each line, without the code.</summary>
internal sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    public bool IsPositiveCompletion => Code is >= 200 and < 300;

    public bool IsPositiveIntermediate => Code is >= 300 and < 400;

    public bool IsTransientFailure => Code is >= 400 and < 500;

    /// <summary>The lines joined by spaces, control characters removed, cut to <paramref name="maxLength"/> characters.</summary>
    public string Text(int maxLength = 200)
    {
        var joined = string.Join(' ', Lines).Trim();
        var clean = string.Create(joined.Length, joined, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
        return clean.Length <= maxLength ? clean : clean[..maxLength];
    }
}

/// <summary>The server answered a command with a reply that ends the conversation (4xx, 5xx, or not the one expected).</summary>
internal sealed class SmtpReplyException(SmtpReply reply, string stage)
    : Exception($"The server answered {stage} with {reply.Code}.")
{
    public SmtpReply Reply { get; } = reply;

    /// <summary>What was being done: <c>greeting</c>, <c>EHLO</c>, <c>RCPT TO</c>…</summary>
    public string Stage { get; } = stage;
}

/// <summary>
/// The conversation cannot go on safely or sensibly: TLS is required but not offered, credentials
/// would go in clear, a certificate failed, or the server broke the protocol. The message is ours,
/// never the server's and never anything of the report.
/// </summary>
internal sealed class SmtpProtocolException(string message) : Exception(message);
