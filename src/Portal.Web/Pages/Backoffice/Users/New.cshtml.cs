using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;

namespace Portal.Web.Pages.Backoffice.Users;

/// <summary>
/// Adds a member of staff with a one-time password, shown once on the result page. They must set
/// up an authenticator app at their first sign-in.
/// </summary>
[Authorize(Policy = StaffPolicies.Administer)]
public sealed class NewUserModel(PortalDb db, AuditLog audit, UserManager<StaffUser> users, TimeProvider clock) : BackofficePageModel
{
    public string Email { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    public IReadOnlyList<string> Roles { get; private set; } = [];

    public IReadOnlyList<string> ChosenLanguages { get; private set; } = [];

    public IReadOnlyList<SiteLanguageRow> Languages { get; private set; } = [];

    public IList<(string Field, string Message)> Errors { get; } = [];

    /// <summary>Set only on the response to a successful create; never stored or logged.</summary>
    public string? OneTimePassword { get; private set; }

    public string? CreatedId { get; private set; }

    public async Task OnGetAsync() =>
        Languages = await db.Languages.AsNoTracking().OrderBy(l => l.Order).ToListAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        var ct = HttpContext.RequestAborted;
        var actor = await StaffActor.LoadAsync(users, User);
        if (actor is null)
        {
            return Forbid();
        }

        Languages = await db.Languages.AsNoTracking().OrderBy(l => l.Order).ToListAsync(ct);
        var form = await Request.ReadFormAsync(ct);
        Email = form["email"].FirstOrDefault()?.Trim() ?? "";
        DisplayName = form["displayName"].FirstOrDefault()?.Trim() ?? "";
        Roles = UserForms.Roles(form);
        ChosenLanguages = UserForms.Languages(form, Languages.Select(l => l.Tag).ToList(), Errors);

        if (!BackofficeEdits.IsEmail(Email))
        {
            Errors.Add(("email", "Enter an email address like name@example.org."));
        }
        else if (await users.FindByEmailAsync(Email) is not null)
        {
            Errors.Add(("email", "There is already a user with this email address."));
        }

        if (DisplayName.Length is 0 or > 100)
        {
            Errors.Add(("displayName", "Enter the person's name (100 characters or fewer)."));
        }

        if (Roles.Count == 0)
        {
            Errors.Add(("roles", "Choose at least one role."));
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

        var user = new StaffUser
        {
            UserName = Email,
            Email = Email,
            EmailConfirmed = true,
            DisplayName = DisplayName,
            Languages = string.Join(',', ChosenLanguages),
            CreatedUtc = clock.GetUtcNow(),
        };
        var password = StaffAccounts.NewPassword();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                Errors.Add(("email", error.Description));
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var roles = await users.AddToRolesAsync(user, Roles);
        if (!roles.Succeeded)
        {
            throw new InvalidOperationException("Could not add roles: " + string.Join(" ", roles.Errors.Select(e => e.Code)));
        }

        audit.Add(actor.Id, actor.Name, AuditTriggers.Person, "create-user", "user:" + user.Id,
            detail: $"Created {Email} with roles {string.Join(", ", Roles)}" + (ChosenLanguages.Count > 0 ? $"; languages {string.Join(", ", ChosenLanguages)}" : ""));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        OneTimePassword = password;
        CreatedId = user.Id;
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
