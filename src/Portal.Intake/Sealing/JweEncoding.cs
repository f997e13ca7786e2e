using System.Buffers.Text;

namespace Portal.Intake.Sealing;

/// <summary>Base64url as JOSE uses it: no padding, and exactly one spelling per byte string.</summary>
internal static class JweEncoding
{
    public static string Encode(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    /// <summary>
    /// Decodes one compact-serialization part. A part that is not the canonical encoding of its
    /// bytes (padding, whitespace, non-zero spare bits in the last character) is refused, so that
    /// changing any character of a sealed report changes what is decoded and fails to open.
    /// </summary>
    public static byte[] Decode(string part, string what)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            throw new SealedReportException($"The {what} is not valid base64url.");
        }

        if (!string.Equals(Base64Url.EncodeToString(bytes), part, StringComparison.Ordinal))
        {
            throw new SealedReportException($"The {what} is not valid base64url.");
        }

        return bytes;
    }
}
