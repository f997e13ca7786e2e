using Microsoft.AspNetCore.Identity;

namespace Portal.Web.Backoffice;

/// <summary>
/// Refuses passwords from the shipped list of common ones (case-insensitive), and passwords made
/// of the account's own e-mail name, as NCSC and NIST guidance advise instead of composition rules.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<StaffUser>
{
    private static readonly Lazy<HashSet<string>> Common = new(Load);

    public static int Count => Common.Value.Count;

    public Task<IdentityResult> ValidateAsync(UserManager<StaffUser> manager, StaffUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (string.IsNullOrEmpty(password))
        {
            return Task.FromResult(IdentityResult.Success);
        }

        if (Common.Value.Contains(password))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "CommonPassword", Description = "This password is too common. Choose a longer phrase that is not on lists of common passwords." }));
        }

        var name = (user.Email ?? "").Split('@')[0];
        if (name.Length >= 4 && password.Contains(name, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "PasswordContainsEmail", Description = "The password must not contain your e-mail name." }));
        }

        return Task.FromResult(IdentityResult.Success);
    }

    private static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("Portal.Web.Backoffice.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-passwords list is missing from the build.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line.Trim());
            }
        }

        return set;
    }
}
