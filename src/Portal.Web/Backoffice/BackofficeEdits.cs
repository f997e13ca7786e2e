using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Content;

namespace Portal.Web.Backoffice;

/// <summary>Shared pieces of back-office saves: the revision counter and input checks.</summary>
public static class BackofficeEdits
{
    /// <summary>Bumps the content revision in the pending changes, so other nodes reload after the save commits.</summary>
    public static async Task BumpRevisionAsync(PortalDb db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var row = await db.Revisions.SingleOrDefaultAsync(r => r.Id == 1, ct);
        if (row is null)
        {
            db.Revisions.Add(new ContentRevision { Id = 1, Revision = 1 });
        }
        else
        {
            row.Revision++;
        }
    }

    /// <summary>Null for an empty value; otherwise the trimmed text.</summary>
    public static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Phone numbers: digits, spaces and a leading plus only, with at least three digits.</summary>
    public static bool IsPhone(string value) =>
        value.All(c => char.IsAsciiDigit(c) || c == ' ' || c == '+')
        && value.LastIndexOf('+') <= 0
        && value.Count(char.IsAsciiDigit) is >= 3 and <= 20;

    public static bool IsEmail(string value)
    {
        if (value.Length > 254 || value.Any(char.IsWhiteSpace) || value.Count(c => c == '@') != 1)
        {
            return false;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        var domain = value[(at + 1)..];
        return at > 0 && domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.')
            && MailAddress.TryCreate(value, out var parsed) && parsed.Address == value;
    }

    /// <summary>An absolute https address with a host and nothing that could run in a page.</summary>
    public static bool IsHttpsUrl(string value, out Uri? uri)
    {
        uri = null;
        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            || !Uri.TryCreate(value, UriKind.Absolute, out var parsed)
            || parsed.Scheme != Uri.UriSchemeHttps
            || string.IsNullOrEmpty(parsed.Host)
            || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            return false;
        }

        uri = parsed;
        return true;
    }
}

/// <summary>
/// Back-office pages answer only the handlers they declare: an unknown handler name is not found,
/// never a fall back to the page's default save.
/// </summary>
public abstract class BackofficePageModel : Microsoft.AspNetCore.Mvc.RazorPages.PageModel
{
    public override async Task OnPageHandlerExecutionAsync(
        Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context,
        Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var requested = context.RouteData.Values["handler"] as string ?? context.HttpContext.Request.Query["handler"].FirstOrDefault();
        if (context.HandlerMethod is null
            || (!string.IsNullOrEmpty(requested) && !string.Equals(requested, context.HandlerMethod.Name, StringComparison.OrdinalIgnoreCase)))
        {
            context.Result = NotFound();
            return;
        }

        await next();
    }
}
