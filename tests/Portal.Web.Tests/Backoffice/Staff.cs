using System.Net;
using System.Security.Cryptography;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Backoffice;

/// <summary>RFC 6238 codes, as an authenticator app computes them from the base32 key.</summary>
public static class Totp
{
    public static string Code(string base32Key, DateTimeOffset? at = null)
    {
        var key = Base32(base32Key);
        var counter = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30;
        Span<byte> message = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(message, counter);
#pragma warning disable CA5350 // RFC 6238 authenticator codes are defined over HMAC-SHA1.
        var hash = HMACSHA1.HashData(key, message);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}

/// <summary>A member of staff made directly in the store, and a signed-in HTTPS client for them.</summary>
public sealed record StaffMember(string Id, string Email, string Password, string AuthenticatorKey, HttpClient Client);

public static class Staff
{
    public const string Password = "a long passphrase for tests";

    /// <summary>Creates an account with the given roles and an enrolled authenticator.</summary>
    public static async Task<(string Id, string Email, string Key)> CreateAsync(PortalFactory portal, string[] roles, string languages = "", bool enrolled = true)
    {
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var email = $"{string.Join("-", roles).ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..6]}@larchwood.example";
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, Languages = languages };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        foreach (var role in roles)
        {
            await users.AddToRoleAsync(user, role);
        }

        await users.ResetAuthenticatorKeyAsync(user);
        if (enrolled)
        {
            await users.SetTwoFactorEnabledAsync(user, true);
        }

        return (user.Id, email, (await users.GetAuthenticatorKeyAsync(user))!);
    }

    public static HttpClient NewClient(PortalFactory portal) =>
        portal.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the real forms: password, then a TOTP code.</summary>
    public static async Task<StaffMember> SignedInAsync(PortalFactory portal, params string[] roles) =>
        await SignedInWithLanguagesAsync(portal, "", roles);

    public static async Task<StaffMember> SignedInWithLanguagesAsync(PortalFactory portal, string languages, params string[] roles)
    {
        var (id, email, key) = await CreateAsync(portal, roles, languages);
        var client = NewClient(portal);
        var password = await PostFormAsync(client, "/backoffice/sign-in", new() { ["email"] = email, ["password"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/backoffice/sign-in/code", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var code = await PostFormAsync(client, "/backoffice/sign-in/code", new() { ["code"] = Totp.Code(key) });
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal("/backoffice", code.Headers.Location!.OriginalString);
        return new StaffMember(id, email, Password, key, client);
    }

    /// <summary>GETs the page to get its antiforgery token, then POSTs the form with it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await client.GetAsync(formPage ?? path);
        var html = await page.Content.ReadAsStringAsync();
        var document = new HtmlParser().ParseDocument(html);
        var token = document.QuerySelector("input[name='__staff-af']")?.GetAttribute("value");
        var values = new Dictionary<string, string>(fields);
        if (token is not null)
        {
            values["__staff-af"] = token;
        }

        return await client.PostAsync(path, new FormUrlEncodedContent(values));
    }

    public static async Task<IHtmlDocument> DocumentAsync(HttpResponseMessage response) =>
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
}
