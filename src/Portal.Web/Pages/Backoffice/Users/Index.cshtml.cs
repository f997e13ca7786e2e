using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;

namespace Portal.Web.Pages.Backoffice.Users;

[Authorize(Policy = StaffPolicies.Administer)]
public sealed class UserListModel(PortalDb db, TimeProvider clock) : BackofficePageModel
{
    public sealed record Row(string Id, string Email, string Name, IReadOnlyList<string> Roles, string Languages, bool Enrolled, bool LockedOut, bool Disabled);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        var now = clock.GetUtcNow();
        var users = await db.Users.AsNoTracking().ToListAsync(ct);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(ct);
        Rows = users
            .OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .Select(u => new Row(
                u.Id,
                u.Email ?? "",
                u.DisplayName,
                roles.Where(r => r.UserId == u.Id).Select(r => r.Name ?? "").OrderBy(r => r, StringComparer.Ordinal).ToList(),
                u.Languages,
                u.TwoFactorEnabled,
                u.LockoutEnd is { } end && end > now,
                UserForms.IsDisabled(u)))
            .ToList();
    }
}
