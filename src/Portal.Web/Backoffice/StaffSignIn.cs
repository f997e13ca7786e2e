using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Portal.Web.Backoffice;

public enum PasswordStep
{
    Failed,
    LockedOut,
    NeedsCode,
    NeedsEnrolment,
}

/// <summary>
/// The two steps of signing in: the password (counted towards lockout), then a code from the
/// authenticator app. Someone without an app yet is let in only as far as enrolling one. Every
/// outcome is audited.
/// </summary>
public sealed class StaffSignIn(
    UserManager<StaffUser> users,
    SignInManager<StaffUser> signIn,
    AuditLog audit,
    TimeProvider clock,
    IHttpContextAccessor http)
{
    private HttpContext Context => http.HttpContext ?? throw new InvalidOperationException("No request.");

    public async Task<PasswordStep> PasswordAsync(string email, string password)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Same work and answer as a wrong password, so the form does not reveal who has an account.
            users.PasswordHasher.HashPassword(new StaffUser(), password);
            await audit.WriteAsync("unknown", "unknown", AuditTriggers.Person, "sign-in-failed", detail: "no such account");
            return PasswordStep.Failed;
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            await audit.WriteAsync(user.Id, user.Email!, AuditTriggers.Person, "sign-in-locked-out");
            return PasswordStep.LockedOut;
        }

        if (!result.Succeeded)
        {
            await audit.WriteAsync(user.Id, user.Email!, AuditTriggers.Person, "sign-in-failed", detail: "wrong password");
            return PasswordStep.Failed;
        }

        if (await users.GetTwoFactorEnabledAsync(user))
        {
            // Remember who passed the first step, for five minutes, in its own cookie.
            var pending = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
            pending.AddClaim(new Claim(ClaimTypes.Name, user.Id));
            await Context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(pending));
            await audit.WriteAsync(user.Id, user.Email!, AuditTriggers.Person, "sign-in-password-ok");
            return PasswordStep.NeedsCode;
        }

        await SignInAsync(user, "pwd");
        await audit.WriteAsync(user.Id, user.Email!, AuditTriggers.Person, "sign-in-password-ok", detail: "must enrol an authenticator app");
        return PasswordStep.NeedsEnrolment;
    }

    /// <summary>The user who passed the password step and now owes a code, if any.</summary>
    public async Task<StaffUser?> PendingUserAsync()
    {
        var result = await Context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        var id = result.Principal?.FindFirstValue(ClaimTypes.Name);
        return id is null ? null : await users.FindByIdAsync(id);
    }

    /// <returns>Null on success, or why not.</returns>
    public async Task<string?> CodeAsync(string code)
    {
        var user = await PendingUserAsync();
        if (user is null)
        {
            return "expired";
        }

        if (await users.IsLockedOutAsync(user))
        {
            await audit.WriteAsync(user.Id, user.Email!, AuditTriggers.Person, "sign-in-locked-out");
            return "locked";
        }

        var clean = new string(code.Where(char.IsAsciiDigit).ToArray());
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, clean))
        {
            await users.AccessFailedAsync(user);
            await audit.WriteAsync(user.Id, user.Email!, AuditTriggers.Person, "sign-in-code-failed");
            return await users.IsLockedOutAsync(user) ? "locked" : "wrong";
        }

        await users.ResetAccessFailedCountAsync(user);
        await Context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await SignInAsync(user, "mfa");
        await audit.WriteAsync(user.Id, user.Email!, AuditTriggers.Person, "sign-in");
        return null;
    }

    /// <summary>Issues the session: how the person proved who they are, and when (the 12-hour limit counts from here).</summary>
    public async Task SignInAsync(StaffUser user, string strength)
    {
        await signIn.SignInWithClaimsAsync(user, isPersistent: false,
        [
            new Claim(StaffClaims.Strength, strength),
            new Claim(StaffClaims.SignedInAt, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ]);
    }

    public async Task SignOutAsync(ClaimsPrincipal principal)
    {
        var user = await users.GetUserAsync(principal);
        await Context.SignOutAsync(IdentityConstants.ApplicationScheme);
        await Context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        if (user is not null)
        {
            await audit.WriteAsync(user.Id, user.Email!, AuditTriggers.Person, "sign-out");
        }
    }
}
