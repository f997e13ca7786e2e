using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;

namespace Portal.Web.Pages.Backoffice.Users;

/// <summary>
/// One member of staff: roles and languages, unlock, disable and re-enable, and a reset of the
/// second factor. Administrators cannot take away their own administrator role or disable themselves.
/// </summary>
[Authorize(Policy = StaffPolicies.Administer)]
public sealed class EditUserModel(PortalDb db, AuditLog audit, UserManager<StaffUser> users, TimeProvider clock) : BackofficePageModel
{
    public StaffUser Member { get; private set; } = null!;

    public string DisplayName { get; private set; } = "";

    public IReadOnlyList<string> Roles { get; private set; } = [];

    public IReadOnlyList<string> ChosenLanguages { get; private set; } = [];

    public IReadOnlyList<SiteLanguageRow> Languages { get; private set; } = [];

    public IList<(string Field, string Message)> Errors { get; } = [];

    public bool IsSelf { get; private set; }

    public bool LockedOut { get; private set; }

    public bool Disabled { get; private set; }

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string? done)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        DisplayName = Member.DisplayName;
        Roles = [.. await users.GetRolesAsync(Member)];
        ChosenLanguages = Member.LanguageList;
        Message = done switch
        {
            "saved" => "Saved.",
            "unlocked" => "The account is unlocked.",
            "disabled" => "The account is disabled: they cannot sign in, and any session they have ends.",
            "enabled" => "The account is enabled again.",
            "reset" => "Their authenticator app is reset: they must set it up again at their next sign-in.",
            _ => null,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id)
    {
        var ct = HttpContext.RequestAborted;
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        var actor = (await StaffActor.LoadAsync(users, User))!;
        var form = await Request.ReadFormAsync(ct);
        DisplayName = form["displayName"].FirstOrDefault()?.Trim() ?? "";
        Roles = UserForms.Roles(form);
        ChosenLanguages = UserForms.Languages(form, Languages.Select(l => l.Tag).ToList(), Errors);
        if (DisplayName.Length is 0 or > 100)
        {
            Errors.Add(("displayName", "Enter the person's name (100 characters or fewer)."));
        }

        if (Roles.Count == 0)
        {
            Errors.Add(("roles", "Choose at least one role."));
        }

        if (IsSelf && !Roles.Contains(StaffRoles.Administrator))
        {
            Errors.Add(("roles", "You cannot remove your own administrator role. Ask another administrator."));
        }

        if (Roles.Intersect(StaffRoles.PerLanguage).Any() && ChosenLanguages.Count == 0)
        {
            Errors.Add(("languages", "Choose the languages a translator or reviewer works in."));
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var current = await users.GetRolesAsync(Member);
        var added = Roles.Except(current).ToList();
        var removed = current.Except(Roles).ToList();
        var languages = string.Join(',', ChosenLanguages);
        var changes = new List<string>();
        if (added.Count > 0) { changes.Add("added roles " + string.Join(", ", added)); }
        if (removed.Count > 0) { changes.Add("removed roles " + string.Join(", ", removed)); }
        if (Member.Languages != languages) { changes.Add($"languages {(Member.Languages.Length > 0 ? Member.Languages : "none")} → {(languages.Length > 0 ? languages : "none")}"); }
        if (Member.DisplayName != DisplayName) { changes.Add("name"); }
        if (changes.Count == 0)
        {
            return Redirect($"/backoffice/users/{Member.Id}?done=saved");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        Member.DisplayName = DisplayName;
        Member.Languages = languages;
        Check(await users.UpdateAsync(Member));
        if (added.Count > 0)
        {
            Check(await users.AddToRolesAsync(Member, added));
        }

        if (removed.Count > 0)
        {
            Check(await users.RemoveFromRolesAsync(Member, removed));
        }

        // Ends their current sessions, so the new roles apply at once.
        Check(await users.UpdateSecurityStampAsync(Member));
        audit.Add(actor.Id, actor.Name, AuditTriggers.Person, "edit-user", "user:" + Member.Id, detail: "Changed " + string.Join("; ", changes));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Redirect($"/backoffice/users/{Member.Id}?done=saved");
    }

    public Task<IActionResult> OnPostUnlockAsync(string id) => ActAsync(id, "unlock-user", "unlocked", "Reset the lockout and failed sign-in count", async user =>
    {
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
    });

    public async Task<IActionResult> OnPostDisableAsync(string id)
    {
        if (await LoadAsync(id) && IsSelf)
        {
            Errors.Add(("disable", "You cannot disable your own account. Ask another administrator."));
            DisplayName = Member.DisplayName;
            Roles = [.. await users.GetRolesAsync(Member)];
            ChosenLanguages = Member.LanguageList;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return await ActAsync(id, "disable-user", "disabled", "Disabled the account", async user =>
        {
            Check(await users.SetLockoutEnabledAsync(user, true));
            Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
            Check(await users.UpdateSecurityStampAsync(user));
        });
    }

    public Task<IActionResult> OnPostEnableAsync(string id) => ActAsync(id, "enable-user", "enabled", "Enabled the account", async user =>
    {
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
    });

    public Task<IActionResult> OnPostResetFactorAsync(string id) => ActAsync(id, "reset-authenticator", "reset", "Reset the authenticator app; they must enrol again", async user =>
    {
        Check(await users.SetTwoFactorEnabledAsync(user, false));
        Check(await users.ResetAuthenticatorKeyAsync(user));
        Check(await users.UpdateSecurityStampAsync(user));
    });

    private async Task<IActionResult> ActAsync(string id, string action, string done, string detail, Func<StaffUser, Task> change)
    {
        var ct = HttpContext.RequestAborted;
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        var actor = (await StaffActor.LoadAsync(users, User))!;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await change(Member);
        audit.Add(actor.Id, actor.Name, AuditTriggers.Person, action, "user:" + Member.Id, detail: detail);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Redirect($"/backoffice/users/{Member.Id}?done={done}");
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The account change failed: " + string.Join(" ", result.Errors.Select(e => e.Code)));
        }
    }

    private async Task<bool> LoadAsync(string id)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return false;
        }

        Member = user;
        IsSelf = user.Id == users.GetUserId(User);
        Disabled = UserForms.IsDisabled(user);
        LockedOut = user.LockoutEnd is { } end && end > clock.GetUtcNow();
        Languages = await db.Languages.AsNoTracking().OrderBy(l => l.Order).ToListAsync(HttpContext.RequestAborted);
        return true;
    }
}
