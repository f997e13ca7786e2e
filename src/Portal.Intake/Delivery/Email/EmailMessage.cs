using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Intake.Delivery.Email;

/// <summary>
/// The message that carries one sealed report (RFC 5322, MIME): a neutral subject and a short text
/// that say nothing about the report, and the compact JWE as a base64 attachment <c>{reportId}.jwe</c>
/// of type <c>application/jose</c>. Nothing of the report is readable in the message; the envelope
/// itself appears only base64-encoded.
/// </summary>
public static partial class EmailMessage
{
    /// <summary>The text part, the same for every report.</summary>
    public const string Text = "A sealed report is attached. Open it with the case system's private key.";

    public const string AttachmentContentType = "application/jose";

    /// <summary>The right-hand side of every Message-ID: a reserved name (RFC 2606) that reveals nothing about the sender.</summary>
    public const string MessageIdDomain = "daportal.invalid";

    public const string ReportIdHeader = "X-Report-Id";

    /// <summary>Longest subject accepted: one header line well inside the 998-character limit, even encoded.</summary>
    public const int MaxSubjectLength = 200;

    private const int Base64LineLength = 76;

    /// <summary>The Message-ID for a report: the same on every attempt, so a mailbox or the case system can keep one copy.</summary>
    public static string MessageId(Guid reportId) => $"<{reportId:D}@{MessageIdDomain}>";

    /// <summary>The attachment's file name.</summary>
    public static string AttachmentName(Guid reportId) => $"{reportId:D}.jwe";

    /// <summary>
    /// The whole message as bytes: 7-bit ASCII, CRLF line endings, every line well within the
    /// 998-character limit (RFC 5322 §2.1.1).
    /// </summary>
    /// <param name="envelope">The compact JWE; anything else is refused, so nothing readable is ever mailed.</param>
    public static byte[] Build(string from, IReadOnlyList<string> to, string subject, Guid reportId, string envelope, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(subject);
        if (!IsAddress(from))
        {
            throw new ArgumentException("The sender is not a valid address.", nameof(from));
        }

        if (to.Count == 0 || !to.All(IsAddress))
        {
            throw new ArgumentException("The recipients are not valid addresses.", nameof(to));
        }

        if (!IsHeaderText(subject) || subject.Length > MaxSubjectLength)
        {
            throw new ArgumentException($"The subject must be at most {MaxSubjectLength} characters without control characters.", nameof(subject));
        }

        if (!IsCompactJwe(envelope))
        {
            throw new ArgumentException("The envelope is not a compact JWE.", nameof(envelope));
        }

        // Derived from the report id: it cannot occur in base64 or in the text ("=_" never does), and retries stay identical.
        var boundary = $"=_daportal_{reportId:N}";
        var attachment = AttachmentName(reportId);
        var message = new StringBuilder(envelope.Length * 4 / 3 + 2048);
        Header(message, "From", from);
        Header(message, "To", string.Join(",\r\n ", to));
        Header(message, "Subject", EncodeSubject(subject));
        Header(message, "Date", date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
        Header(message, "Message-ID", MessageId(reportId));
        Header(message, ReportIdHeader, reportId.ToString("D"));
        Header(message, "MIME-Version", "1.0");
        // Parameters go on folded lines (RFC 5322 §2.2.3), so that no header line passes 78 characters.
        Header(message, "Content-Type", $"multipart/mixed;\r\n boundary=\"{boundary}\"");
        message.Append("\r\n");

        message.Append("--").Append(boundary).Append("\r\n");
        Header(message, "Content-Type", "text/plain; charset=us-ascii");
        Header(message, "Content-Transfer-Encoding", "7bit");
        message.Append("\r\n");
        message.Append(Text).Append("\r\n");

        message.Append("--").Append(boundary).Append("\r\n");
        Header(message, "Content-Type", $"{AttachmentContentType};\r\n name=\"{attachment}\"");
        Header(message, "Content-Disposition", $"attachment;\r\n filename=\"{attachment}\"");
        Header(message, "Content-Transfer-Encoding", "base64");
        message.Append("\r\n");
        var encoded = Convert.ToBase64String(Encoding.ASCII.GetBytes(envelope));
        for (var i = 0; i < encoded.Length; i += Base64LineLength)
        {
            message.Append(encoded, i, Math.Min(Base64LineLength, encoded.Length - i)).Append("\r\n");
        }

        message.Append("--").Append(boundary).Append("--\r\n");
        return Encoding.ASCII.GetBytes(message.ToString());
    }

    /// <summary>
    /// Whether <paramref name="value"/> is an addr-spec this sender can use: a dot-atom local part and a
    /// domain name or bracketed IPv4 literal, ASCII only (no SMTPUTF8), within RFC 5321's length limits.
    /// </summary>
    public static bool IsAddress(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 254)
        {
            return false;
        }

        var at = value.LastIndexOf('@');
        return at is > 0 and <= 64 && AddressPattern().IsMatch(value);
    }

    /// <summary>Whether <paramref name="value"/> can go in a header unchanged or encoded: no line breaks or other control characters.</summary>
    public static bool IsHeaderText(string? value) => value is not null && !value.Any(char.IsControl);

    /// <summary>Five base64url parts separated by dots: the only shape an envelope may have.</summary>
    public static bool IsCompactJwe(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var dots = 0;
        foreach (var c in value)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return dots == 4;
    }

    private static void Header(StringBuilder message, string name, string value) =>
        message.Append(name).Append(": ").Append(value).Append("\r\n");

    // Printable ASCII goes as it is; anything else as RFC 2047 encoded-words of at most 75 characters, one per folded line.
    private static string EncodeSubject(string subject)
    {
        if (subject.All(c => c is >= ' ' and <= '~'))
        {
            return subject;
        }

        const int MaxBytesPerWord = 42; // 56 base64 characters + "=?UTF-8?B?" + "?=" = 68, within 78 after "Subject: "
        var words = new List<string>();
        var chunk = new StringBuilder();
        var chunkBytes = 0;
        var runes = subject.EnumerateRunes().GetEnumerator();
        while (runes.MoveNext())
        {
            var rune = runes.Current;
            // A grapheme's code points may be split across words; a rune never is (RFC 2047 §5).
            if (chunkBytes + rune.Utf8SequenceLength > MaxBytesPerWord)
            {
                words.Add(EncodedWord(chunk.ToString()));
                chunk.Clear();
                chunkBytes = 0;
            }

            chunk.Append(rune.ToString());
            chunkBytes += rune.Utf8SequenceLength;
        }

        words.Add(EncodedWord(chunk.ToString()));
        return string.Join("\r\n ", words);
    }

    private static string EncodedWord(string text) => "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + "?=";

    [GeneratedRegex(
        @"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}\])\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();
}
