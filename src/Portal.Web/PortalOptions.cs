using System.ComponentModel.DataAnnotations;

namespace Portal.Web;

/// <summary>Settings under <c>Portal:</c>. Relative paths are resolved against the working directory.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Where the portal writes every file of its own: database, keys, anything else.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The seed content (defaults to the copy shipped beside the application).</summary>
    public string? ContentDirectory { get; set; }

    /// <summary>The translations and ui.po files (defaults to the copy shipped beside the application).</summary>
    public string? TranslationsDirectory { get; set; }

    /// <summary>Absolute origin used in hreflang links, e.g. https://help.example.org. Defaults to the request's.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    public DatabaseOptions Database { get; set; } = new();

    public string ResolvedDataDirectory => Path.GetFullPath(DataDirectory);

    public string ResolvedContentDirectory => Path.GetFullPath(ContentDirectory ?? Path.Combine(AppContext.BaseDirectory, "content"));

    public string ResolvedTranslationsDirectory => Path.GetFullPath(TranslationsDirectory ?? Path.Combine(AppContext.BaseDirectory, "translations"));
}

public sealed class DatabaseOptions
{
    /// <summary>Sqlite (default, a file in the data directory) or PostgreSQL.</summary>
    [RegularExpression("^(Sqlite|PostgreSQL)$", ErrorMessage = "Portal:Database:Provider must be Sqlite or PostgreSQL.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Required for PostgreSQL; for SQLite, defaults to portal.db in the data directory.</summary>
    public string? ConnectionString { get; set; }
}
