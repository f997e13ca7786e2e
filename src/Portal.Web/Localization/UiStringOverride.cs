using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portal.Web.Localization;

/// <summary>States of an interface string in one language.</summary>
public static class UiStringStates
{
    /// <summary>Translated from the current English wording: shown.</summary>
    public const string Translated = "translated";

    /// <summary>Made from an English wording that has changed since (or marked fuzzy in the PO file): not shown, readers get English.</summary>
    public const string Fuzzy = "fuzzy";

    /// <summary>No translation: readers get English.</summary>
    public const string Missing = "missing";

    public static readonly IReadOnlyList<string> All = [Missing, Fuzzy, Translated];
}

/// <summary>
/// A translation (or, for the source language, a new English wording) of one interface string saved in
/// the back office. It overrides the shipped <c>ui.po</c>; the English it was made from is kept, so a
/// later change to the English makes it fuzzy instead of leaving an outdated wording on the site.
/// </summary>
public sealed class UiStringOverride
{
    public long Id { get; set; }

    public required string Culture { get; set; }

    /// <summary><see cref="UiKeys.Hash"/> of msgctxt and msgid: unique per culture, and the key in back-office URLs.</summary>
    public required string Key { get; set; }

    public string? Context { get; set; }

    public required string MsgId { get; set; }

    public string? MsgIdPlural { get; set; }

    /// <summary>msgstr[0..n] as a JSON array of strings (one element for a string without plural forms).</summary>
    public required string Forms { get; set; }

    /// <summary>The English wording (singular) the translation was made from.</summary>
    public required string SourceText { get; set; }

    /// <summary>The English plural wording the translation was made from, for plural strings.</summary>
    public string? SourcePluralText { get; set; }

    public required string State { get; set; }

    /// <summary>A staff user id.</summary>
    public required string UpdatedBy { get; set; }

    public DateTimeOffset UpdatedUtc { get; set; }

    public IReadOnlyList<string> FormList => JsonSerializer.Deserialize<List<string>>(Forms) ?? [];

    public IReadOnlyList<string> MadeFrom => SourcePluralText is null ? [SourceText] : [SourceText, SourcePluralText];

    public static string WriteForms(IEnumerable<string> forms) => JsonSerializer.Serialize(forms.ToList());
}

public static class UiKeys
{
    /// <summary>A short, URL-safe, stable name for a message: the first 64 bits of SHA-256 of msgctxt and msgid, in hex.</summary>
    public static string Hash(UiKey key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())).AsSpan(0, 8));
}
