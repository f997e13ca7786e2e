using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Content;

namespace Portal.Web.Backoffice;

/// <summary>One ASP.NET Core data-protection key (or revocation) as the key manager wrote it.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }

    public string? FriendlyName { get; set; }

    public required string Xml { get; set; }
}

/// <summary>
/// Data-protection keys in the portal's database, so every web node reads the sign-in, two-factor
/// and antiforgery cookies and the preview links that any other node made. A new scope (and
/// context) per call: the key manager is a singleton and calls from any thread.
/// </summary>
public sealed class DatabaseXmlRepository(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).AsEnumerable()
            .Select(xml => XElement.Parse(xml)).ToList().AsReadOnly();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }

    /// <summary>
    /// Upgrade from a release that kept keys as files under <c>{data}/keys</c>: when the table is
    /// empty, copies those files in (oldest first) so sessions signed in before the upgrade carry on.
    /// Returns how many were copied; the files are left where they were.
    /// </summary>
    public static async Task<int> ImportFilesAsync(PortalDb db, string directory, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!Directory.Exists(directory) || await db.DataProtectionKeys.AnyAsync(ct))
        {
            return 0;
        }

        var files = new DirectoryInfo(directory).GetFiles("*.xml").OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var element = XElement.Parse(await File.ReadAllTextAsync(file.FullName, ct));
            db.DataProtectionKeys.Add(new DataProtectionKey
            {
                FriendlyName = Path.GetFileNameWithoutExtension(file.Name),
                Xml = element.ToString(SaveOptions.DisableFormatting),
            });
        }

        await db.SaveChangesAsync(ct);
        return files.Count;
    }
}
