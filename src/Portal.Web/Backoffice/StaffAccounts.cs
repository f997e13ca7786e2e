using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Content;

namespace Portal.Web.Backoffice;

/// <summary>Roles exist from the first start; accounts only ever come from a person (an administrator or the create-admin command).</summary>
public static class StaffAccounts
{
    public static async Task EnsureRolesAsync(PortalDb db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var existing = await db.Roles.Select(r => r.Name ?? "").ToListAsync(ct);
        foreach (var role in StaffRoles.All.Except(existing))
        {
            db.Roles.Add(new IdentityRole(role) { NormalizedName = role.ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString() });
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node added them first.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>A one-time password for a new account: 20 characters from an unambiguous alphabet (about 100 bits).</summary>
    public static string NewPassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
        return string.Create(24, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (i % 5 == 4) ? '-' : alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}
