using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Backoffice;

public sealed class AuditViewTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static async Task AddEntriesAsync(PortalFactory portal, params AuditEntry[] entries)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        db.Audit.AddRange(entries);
        await db.SaveChangesAsync();
    }

    private static AuditEntry Entry(string target, string action = "publish", string actorName = "someone@larchwood.example", DateTimeOffset? at = null, string? culture = null, string? detail = null) => new()
    {
        AtUtc = at ?? new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero),
        Actor = "test",
        ActorName = actorName,
        Trigger = AuditTriggers.Person,
        Action = action,
        Target = target,
        Culture = culture,
        VersionId = 7,
        Detail = detail,
    };

    private static List<string> Targets(AngleSharp.Html.Dom.IHtmlDocument document) =>
        document.QuerySelectorAll("#audit tbody tr").Select(r => r.QuerySelectorAll("td")[4].TextContent.Trim()).ToList();

    [Fact]
    public async Task FiltersByActorActionTargetAndLanguage_NewestFirst()
    {
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        await AddEntriesAsync(portal,
            Entry("page:filter-a", "save-draft", "Alice.Filter@larchwood.example", culture: "pl"),
            Entry("page:filter-b", "publish", "alice.filter@larchwood.example", culture: "en-GB"),
            Entry("page:filter-c", "publish", "bob.filter@larchwood.example", culture: "pl"));

        var byActor = await Staff.DocumentAsync(await publisher.Client.GetAsync("/backoffice/audit?actor=ALICE.filter"));
        Assert.Equal(["page:filter-b", "page:filter-a"], Targets(byActor));

        var byAction = await Staff.DocumentAsync(await publisher.Client.GetAsync("/backoffice/audit?action=publish&target=filter-"));
        Assert.Equal(["page:filter-c", "page:filter-b"], Targets(byAction));

        var byCulture = await Staff.DocumentAsync(await publisher.Client.GetAsync("/backoffice/audit?culture=pl&target=FILTER"));
        Assert.Equal(["page:filter-c", "page:filter-a"], Targets(byCulture));

        var none = await Staff.DocumentAsync(await publisher.Client.GetAsync("/backoffice/audit?actor=nobody-at-all"));
        Assert.Empty(Targets(none));

        // The filter form shows what was asked for.
        Assert.Equal("ALICE.filter", byActor.QuerySelector("form[action='/backoffice/audit'] input[name='actor']")!.GetAttribute("value"));
        Assert.Equal("get", byActor.QuerySelector("form[action='/backoffice/audit']")!.GetAttribute("method"));
    }

    [Fact]
    public async Task DatesAreUkDates_AndTimesAreShownInUkTime()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        // 23:30 UTC on 1 June is 00:30 on 2 June in London (British Summer Time).
        await AddEntriesAsync(portal, Entry("page:summer-night", at: new DateTimeOffset(2026, 6, 1, 23, 30, 0, TimeSpan.Zero), detail: "late"));

        var second = await Staff.DocumentAsync(await admin.Client.GetAsync("/backoffice/audit?from=2026-06-02&to=2026-06-02"));
        var first = await Staff.DocumentAsync(await admin.Client.GetAsync("/backoffice/audit?from=2026-06-01&to=2026-06-01"));
        var later = await Staff.DocumentAsync(await admin.Client.GetAsync("/backoffice/audit?from=2026-06-03&target=summer-night"));
        var earlier = await Staff.DocumentAsync(await admin.Client.GetAsync("/backoffice/audit?to=2026-06-02&target=summer-night"));

        Assert.Equal(["page:summer-night"], Targets(second));
        Assert.Empty(Targets(first));
        Assert.Empty(Targets(later));
        Assert.Equal(["page:summer-night"], Targets(earlier));
        var cells = second.QuerySelectorAll("#audit tbody tr td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal("2 Jun 2026 00:30:00", cells[0]);
        Assert.Equal(["someone@larchwood.example", "person", "publish", "page:summer-night", "", "7", "late"], cells[1..]);
    }

    [Fact]
    public async Task ABadDate_IsReported_NotAnError()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);

        var response = await admin.Client.GetAsync("/backoffice/audit?from=yesterday&page=-3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(BackofficeForms.ErrorMessages(await Staff.DocumentAsync(response)));
    }

    [Fact]
    public async Task FiftyEntriesAPage_WithNextAndPreviousLinks()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        await AddEntriesAsync(portal, Enumerable.Range(1, 120).Select(i => Entry($"bulk:{i:D3}")).ToArray());

        var first = await Staff.DocumentAsync(await admin.Client.GetAsync("/backoffice/audit?target=bulk%3A"));
        var targets = Targets(first);
        Assert.Equal(50, targets.Count);
        Assert.Equal("bulk:120", targets[0]);
        Assert.Null(first.QuerySelector("a[rel='prev']"));
        var next = first.QuerySelector("a[rel='next']")!.GetAttribute("href")!;
        Assert.Equal("/backoffice/audit?target=bulk%3A&page=2", next);

        var third = await Staff.DocumentAsync(await admin.Client.GetAsync("/backoffice/audit?target=bulk%3A&page=3"));
        Assert.Equal(20, Targets(third).Count);
        Assert.Equal("bulk:001", Targets(third)[^1]);
        Assert.Null(third.QuerySelector("a[rel='next']"));
        Assert.Equal("/backoffice/audit?target=bulk%3A&page=2", third.QuerySelector("a[rel='prev']")!.GetAttribute("href"));
    }

    [Fact]
    public async Task PostingOrDeletingAtTheAuditView_ChangesNothing()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        await AddEntriesAsync(portal, Entry("page:keep-me", detail: "original"));
        var before = await BackofficeForms.WithDbAsync(portal, db => db.Audit.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

        var post = await BackofficeForms.PostAsync(admin.Client, "/backoffice/audit", [new("id", before[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("detail", "rewritten")], "/backoffice/audit");
        var handler = await BackofficeForms.PostAsync(admin.Client, "/backoffice/audit?handler=delete", [new("id", "1")], "/backoffice/audit");
        var delete = await admin.Client.DeleteAsync("/backoffice/audit");
        var put = await admin.Client.PutAsync("/backoffice/audit", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, handler.StatusCode);
        Assert.False(delete.IsSuccessStatusCode);
        Assert.False(put.IsSuccessStatusCode);
        var after = await BackofficeForms.WithDbAsync(portal, db => db.Audit.AsNoTracking().OrderBy(e => e.Id).ToListAsync());
        foreach (var entry in before)
        {
            var kept = Assert.Single(after, e => e.Id == entry.Id);
            Assert.Equal((entry.Action, entry.Target, entry.Detail, entry.AtUtc), (kept.Action, kept.Target, kept.Detail, kept.AtUtc));
        }
    }

    [Fact]
    public async Task TheDatabaseRefusesUpdatesAndDeletes()
    {
        await AddEntriesAsync(portal, Entry("page:append-only", detail: "as written"));
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var count = await db.Audit.CountAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => db.Audit.ExecuteDeleteAsync());
        await Assert.ThrowsAnyAsync<Exception>(() => db.Audit.Where(e => e.Target == "page:append-only").ExecuteUpdateAsync(s => s.SetProperty(e => e.Detail, "rewritten")));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_log"));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_log SET \"Detail\" = 'rewritten'"));
        var tracked = await db.Audit.SingleAsync(e => e.Target == "page:append-only");
        tracked.Detail = "rewritten";
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.Audit.Remove(await db.Audit.SingleAsync(e => e.Target == "page:append-only"));
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();

        Assert.Equal(count, await db.Audit.CountAsync());
        Assert.Equal("as written", await db.Audit.Where(e => e.Target == "page:append-only").Select(e => e.Detail).SingleAsync());
    }

    [Fact]
    public async Task ChangesMadeInTheBackOffice_ShowInTheLog()
    {
        var admin = await Staff.SignedInAsync(portal, StaffRoles.Administrator);
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        await BackofficeForms.SubmitAsync(admin.Client, "/backoffice/settings", "form[action='/backoffice/settings']", f => f.With("responseWorkingDays", "4"));

        var document = await Staff.DocumentAsync(await publisher.Client.GetAsync("/backoffice/audit?action=edit-settings"));

        var row = Assert.Single(document.QuerySelectorAll("#audit tbody tr"));
        var cells = row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal([admin.Email, "person", "edit-settings", "settings"], cells[1..5]);
        Assert.Equal("Changed response time", cells[7]);
    }
}
