using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Microsoft.EntityFrameworkCore;
using QRCoder;

namespace Portal.Web.Pages.Backoffice;

/// <summary>
/// Enrolment of the second factor: reached with a password-only session (first sign-in, or after a
/// reset), and finished by proving the app works with one code.
/// </summary>
[Authorize(Policy = StaffPolicies.Enrolling)]
public sealed class AuthenticatorModel(UserManager<StaffUser> users, StaffSignIn signIn, AuditLog audit, PortalDb db) : PageModel
{
    public string FormattedKey { get; private set; } = "";

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Redirect("/backoffice/sign-in");
        }

        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return Redirect("/backoffice/account");
        }

        FormattedKey = Format(await KeyAsync(users, user));
        return Page();
    }

        public async Task<IActionResult> OnPostAsync()
    {
        // Forms are read here, not model-bound (the site turns form value providers off).
        var form = await Request.ReadFormAsync();
        string? code = form["code"].FirstOrDefault();
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Redirect("/backoffice/sign-in");
        }

        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return Redirect("/backoffice/account");
        }

        var clean = new string((code ?? "").Where(char.IsAsciiDigit).ToArray());
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, clean))
        {
            FormattedKey = Format(await KeyAsync(users, user));
            Error = "That code is not right. Check the app shows this account, then enter the code it shows now.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        audit.Add(user.Id, user.Email!, AuditTriggers.Person, "enrol-authenticator", "user:" + user.Id);
        await db.SaveChangesAsync();
        await signIn.SignInAsync(user, "mfa");
        return Redirect("/backoffice");
    }

    /// <summary>The QR code as a PNG from our own origin (the policy allows no data: images).</summary>
    public async Task<IActionResult> OnGetQrAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null || await users.GetTwoFactorEnabledAsync(user))
        {
            return NotFound();
        }

        var key = await KeyAsync(users, user);
        var issuer = (await db.Settings.Select(s => s.OrganisationName).FirstOrDefaultAsync()) ?? "Back office";
        var uri = $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer={Uri.EscapeDataString(issuer)}&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return File(png, "image/png");
    }

    public static async Task<string> KeyAsync(UserManager<StaffUser> users, StaffUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }

        return key!;
    }

    private static string Format(string key)
    {
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return result.ToString().TrimEnd().ToLowerInvariant();
    }
}
