using System.ComponentModel.DataAnnotations;
using Portal.Intake.Storage;

namespace Portal.Web;

/// <summary>Settings under <c>Portal:</c>. Relative paths are resolved against the working directory.</summary>
public sealed class PortalOptions : StorageSettings
{
    /// <summary>The seed content (defaults to the copy shipped beside the application).</summary>
    public string? ContentDirectory { get; set; }

    /// <summary>The translations and ui.po files (defaults to the copy shipped beside the application).</summary>
    public string? TranslationsDirectory { get; set; }

    /// <summary>Absolute origin used in hreflang links, e.g. https://help.example.org. Defaults to the request's.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Serve published pages from memory, rendered and compressed once per publish (on unless switched off).</summary>
    public bool PageCache { get; set; } = true;

    public BackofficeFileOptions Backoffice { get; set; } = new();

    public string ResolvedContentDirectory => Path.GetFullPath(ContentDirectory ?? Path.Combine(AppContext.BaseDirectory, "content"));

    public string ResolvedTranslationsDirectory => Path.GetFullPath(TranslationsDirectory ?? Path.Combine(AppContext.BaseDirectory, "translations"));
}

/// <summary><c>Portal:Backoffice</c>: optionally keep a folder of files in step with what is published.</summary>
public sealed class BackofficeFileOptions
{
    /// <summary>After each publish or unpublish, export the published content (off by default).</summary>
    public bool ExportOnPublish { get; set; }

    /// <summary>Where <c>content/</c> and <c>translations/</c> are written, e.g. a checkout of the repository.</summary>
    public string? ExportDirectory { get; set; }
}
