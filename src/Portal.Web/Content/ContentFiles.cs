using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Portal.Web.Content;

/// <summary>A content file that cannot be imported, with the file and the reason.</summary>
public sealed class ContentException(string message) : Exception(message);

// The shapes of the files in content/ and translations/ (see docs/content.md). Unknown keys are
// rejected when read, so a typo in a file fails the import instead of being silently dropped.

public sealed class SiteFile
{
    public string DefaultLanguage { get; set; } = "";

    public DiscreetFile Discreet { get; set; } = new();

    public List<LanguageFile> Languages { get; set; } = [];

    public OrganisationFile Organisation { get; set; } = new();

    public QuickExitFile QuickExit { get; set; } = new();

    public int ResponseWorkingDays { get; set; } = 1;
}

public sealed class DiscreetFile
{
    public bool Enabled { get; set; }

    public string Name { get; set; } = "";
}

public sealed class LanguageFile
{
    public string Dir { get; set; } = "ltr";

    public List<string> Fallback { get; set; } = [];

    public string Name { get; set; } = "";

    public string Tag { get; set; } = "";
}

public sealed class OrganisationFile
{
    public string? Address { get; set; }

    public string? Email { get; set; }

    public string Name { get; set; } = "";

    public string? Phone { get; set; }
}

public sealed class QuickExitFile
{
    public string Url { get; set; } = "";
}

public sealed class BankHolidaysFile
{
    public List<BankHolidayFile> Dates { get; set; } = [];
}

public sealed class BankHolidayFile
{
    public string Date { get; set; } = "";

    public string Name { get; set; } = "";
}

public sealed class DocumentFile
{
    public string Layout { get; set; } = Layouts.Document;

    public bool Navigation { get; set; }

    public int Order { get; set; }

    public bool SafetyCritical { get; set; }

    public bool Toc { get; set; }
}

public sealed class FrontMatter
{
    public string? Description { get; set; }

    public string? NavTitle { get; set; }

    public string? State { get; set; }

    public string Title { get; set; } = "";
}

public sealed class HelplineFile
{
    public bool AlwaysOpen { get; set; }

    public List<string> Audiences { get; set; } = [];

    public string BankHolidays { get; set; } = "closed";

    public string? Chat { get; set; }

    public string Description { get; set; } = "";

    public string? Email { get; set; }

    public List<HoursFile> Hours { get; set; } = [];

    public string? HoursNote { get; set; }

    public string Name { get; set; } = "";

    public int Order { get; set; }

    public string? Phone { get; set; }

    public string? Text { get; set; }

    public string? Web { get; set; }
}

public sealed class HoursFile
{
    public string Closes { get; set; } = "";

    public List<string> Days { get; set; } = [];

    public string Opens { get; set; } = "";
}

public sealed class HelplineTranslationFile
{
    public string Description { get; set; } = "";

    public string? HoursNote { get; set; }

    public string Name { get; set; } = "";

    public string? State { get; set; }
}

/// <summary>Reading and writing the text forms: YAML files and Markdown with front matter.</summary>
public static class ContentText
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static string ReadFile(string path) =>
        File.ReadAllText(path, new UTF8Encoding(false)).Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');

    public static T ReadYaml<T>(string path)
    {
        return ParseYaml<T>(ReadFile(path), path);
    }

    public static T ParseYaml<T>(string text, string name)
    {
        try
        {
            return Yaml.Deserialize<T>(text) ?? throw new ContentException($"{name}: the file is empty.");
        }
        catch (YamlException e)
        {
            throw new ContentException($"{name}: {e.Message} (line {e.Start.Line}).");
        }
    }

    /// <summary>Splits <c>---</c> front matter from the Markdown body.</summary>
    public static (FrontMatter Meta, string Body) ReadMarkdown(string path)
    {
        var text = ReadFile(path);
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            throw new ContentException($"{path}: a page must start with '---' front matter.");
        }

        var end = text.IndexOf("\n---\n", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new ContentException($"{path}: the front matter has no closing '---'.");
        }

        var meta = ParseYaml<FrontMatter>(text[4..(end + 1)], path);
        if (string.IsNullOrWhiteSpace(meta.Title))
        {
            throw new ContentException($"{path}: the front matter needs a title.");
        }

        var body = NormaliseBody(text[(end + 5)..]);
        return (meta, body);
    }

    /// <summary>Bodies are stored without leading blank lines or trailing white space.</summary>
    public static string NormaliseBody(string body) =>
        body.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\n').TrimEnd();

    public static string WriteMarkdown(IDictionary<string, object?> frontMatter, string body) =>
        "---\n" + CanonicalYaml.Write(frontMatter) + "---\n\n" + NormaliseBody(body) + "\n";

    public static void WriteFile(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }
}
