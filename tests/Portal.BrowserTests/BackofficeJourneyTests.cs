using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Web.Backoffice;
using Xunit.Abstractions;

namespace Portal.BrowserTests;

/// <summary>
/// The back office as staff use it: the first administrator made by command, sign-in with an
/// authenticator code, an edit to the policy reviewed and published by a second person, a
/// rollback, and every step in the audit log. axe checks each screen, left to right and right to left.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BackofficeJourneyTests(BrowserPortal portal, ITestOutputHelper output)
{
    private static readonly AxeRunOptions Axe = AxeChecks.Options;

    private readonly StringBuilder _axeProblems = new();
    private int _axeChecks;

    [Fact]
    public async Task FirstAdmin_Enrols_Edits_AnotherApproves_Publishes_RollsBack_AndTheAuditLogShowsItAll()
    {
        // 1. The first administrator, by command, against the portal's own data.
        var adminEmail = $"admin-{Guid.NewGuid().ToString("N")[..6]}@larchwood.example";
        var oneTimePassword = await CreateAdminByCommandAsync(adminEmail);

        // 2. First sign-in: password, then enrol an authenticator app from the typed key.
        var (adminContext, _) = await portal.NewContextAsync();
        var admin = await adminContext.NewPageAsync();
        await admin.GotoAsync(portal.BaseUrl + "/backoffice/sign-in");
        await CheckAxeAsync(admin, "sign-in");
        await admin.FillAsync("#email", adminEmail);
        await admin.FillAsync("#password", oneTimePassword);
        await admin.ClickAsync("button[type=submit]");
        await admin.WaitForURLAsync("**/backoffice/account/authenticator");
        await CheckAxeAsync(admin, "enrol");
        var key = (await admin.TextContentAsync("#manual-key"))!;
        await admin.FillAsync("#code", Totp.Code(key));
        await admin.ClickAsync("form button[type=submit]:has-text('Turn on')");
        await admin.WaitForURLAsync(portal.BaseUrl + "/backoffice");
        await CheckAxeAsync(admin, "dashboard");

        // 3. The administrator edits the policy and submits it for review.
        var marker = "Reviewed change " + Guid.NewGuid().ToString("N")[..8];
        await admin.GotoAsync(portal.BaseUrl + "/backoffice/pages");
        await CheckAxeAsync(admin, "pages");
        await admin.GotoAsync(portal.BaseUrl + "/backoffice/pages/policy/en-GB/standard");
        await CheckAxeAsync(admin, "editor en-GB");
        var original = await admin.InputValueAsync("#body");
        await admin.FillAsync("#body", original + "\n\n" + marker + "\n");
        await admin.ClickAsync("button[value=preview]");
        Assert.Contains(marker, await admin.TextContentAsync(".app-bo-preview"), StringComparison.Ordinal);
        await admin.ClickAsync("button[value=save]");
        await admin.ClickAsync("button[value=submit]");
        Assert.Equal("in-review", await admin.GetAttributeAsync("[data-state]", "data-state"));

        // The policy is safety-critical: its last editor cannot approve it.
        if (await admin.Locator("button[value=approve]").CountAsync() > 0)
        {
            await admin.ClickAsync("button[value=approve]");
        }

        await admin.GotoAsync(portal.BaseUrl + "/backoffice/pages/policy/en-GB/standard");
        Assert.Equal("in-review", await admin.GetAttributeAsync("[data-state]", "data-state"));

        // 4. A publisher signs in (in another browser) and approves and publishes.
        var publisher = await CreateStaffAsync(StaffRoles.Publisher);
        var (publisherContext, _) = await portal.NewContextAsync();
        var pub = await publisherContext.NewPageAsync();
        await SignInAsync(pub, publisher.Email, publisher.Key);
        await pub.GotoAsync(portal.BaseUrl + "/backoffice/pages/policy/en-GB/standard");
        await pub.ClickAsync("button[value=approve]");
        Assert.Equal("approved", await pub.GetAttributeAsync("[data-state]", "data-state"));
        await pub.ClickAsync("button[value=publish]");
        Assert.Equal("published", await pub.GetAttributeAsync("[data-state]", "data-state"));

        // 5. The public page shows the change at once, to someone with no session.
        var (publicContext, refused) = await portal.NewContextAsync();
        var reader = await publicContext.NewPageAsync();
        await reader.GotoAsync(portal.BaseUrl + "/en-GB/policy");
        Assert.Contains(marker, await reader.TextContentAsync("main"), StringComparison.Ordinal);
        Assert.Empty(await publicContext.CookiesAsync());

        // 6. The publisher rolls back to the version before the change; the administrator approves and publishes it.
        await pub.GotoAsync(portal.BaseUrl + "/backoffice/pages/policy/en-GB/standard/history");
        await CheckAxeAsync(pub, "history");
        await pub.Locator("form:has(input[name=version][value='1']) button").ClickAsync();
        await pub.GotoAsync(portal.BaseUrl + "/backoffice/pages/policy/en-GB/standard");
        await pub.ClickAsync("button[value=submit]");
        await admin.GotoAsync(portal.BaseUrl + "/backoffice/pages/policy/en-GB/standard");
        await admin.ClickAsync("button[value=approve]");
        await admin.ClickAsync("button[value=publish]");
        await reader.ReloadAsync();
        Assert.DoesNotContain(marker, await reader.TextContentAsync("main"), StringComparison.Ordinal);

        // 7. Every step is in the audit log.
        await admin.GotoAsync(portal.BaseUrl + "/backoffice/audit");
        await CheckAxeAsync(admin, "audit");
        var log = (await admin.TextContentAsync("main"))!;
        foreach (var action in new[] { "create-user", "sign-in", "enrol-authenticator", "save-draft", "submit", "approve", "publish", "rollback" })
        {
            Assert.Contains(action, log, StringComparison.Ordinal);
        }

        Assert.Contains(adminEmail, log, StringComparison.Ordinal);
        Assert.Contains(publisher.Email, log, StringComparison.Ordinal);

        // 8. Right-to-left editing: the Urdu editor and the other screens pass axe too.
        await admin.GotoAsync(portal.BaseUrl + "/backoffice/pages/policy/ur/standard");
        Assert.Equal("rtl", await admin.GetAttributeAsync("#body", "dir"));
        await CheckAxeAsync(admin, "editor ur");
        foreach (var path in new[] { "/backoffice/helplines", "/backoffice/settings", "/backoffice/users", "/backoffice/account" })
        {
            await admin.GotoAsync(portal.BaseUrl + path);
            await CheckAxeAsync(admin, path);
        }

        output.WriteLine($"back office: {_axeChecks} axe checks, {(_axeProblems.Length == 0 ? "no violations" : "violations:\n" + _axeProblems)}");
        Assert.True(_axeProblems.Length == 0, _axeProblems.ToString());
        Assert.Empty(refused);
        await adminContext.CloseAsync();
        await publisherContext.CloseAsync();
        await publicContext.CloseAsync();
    }

    private async Task CheckAxeAsync(IPage page, string name)
    {
        var result = await page.RunAxe(Axe);
        _axeChecks++;
        foreach (var v in result.Violations)
        {
            _axeProblems.AppendLine($"{name}: {v.Id} ({v.Impact}) {v.Help}: " + string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html)));
        }
    }

    private Task SignInAsync(IPage page, string email, string key) =>
        BrowserStaff.SignInAsync(portal, page, email, key, p => CheckAxeAsync(p, "code"));

    private Task<(string Email, string Key)> CreateStaffAsync(string role) => BrowserStaff.CreateAsync(portal, role);

    /// <summary>Runs <c>Portal.Web create-admin</c> as its own process on the portal's data directory.</summary>
    private async Task<string> CreateAdminByCommandAsync(string email)
    {
        var configuration = typeof(BackofficeJourneyTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "DaPortal.sln")))
        {
            root = root.Parent!;
        }

        var dll = Path.Combine(root.FullName, "src", "Portal.Web", "bin", configuration, "net10.0", "Portal.Web.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var arg in new[] { dll, "create-admin", "--email", email, "--Portal:DataDirectory=" + portal.DataDirectory })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stdout + stderr);
        return stdout.Split('\n').Single(l => l.StartsWith("One-time password: ", StringComparison.Ordinal))["One-time password: ".Length..].Trim();
    }
}

/// <summary>RFC 6238 codes, as an authenticator app computes them from the base32 key.</summary>
internal static class Totp
{
    public static string Code(string base32Key)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in base32Key.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant())
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30);
#pragma warning disable CA5350 // RFC 6238 authenticator codes are defined over HMAC-SHA1.
        var hash = HMACSHA1.HashData([.. bytes], counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }
}
