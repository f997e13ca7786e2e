using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Backoffice.PageEditing;

namespace Portal.Web.Tests.Backoffice;

/// <summary>Moves the clock, so it has a portal of its own.</summary>
public sealed class PageSchedulingTests : IDisposable
{
    private readonly PortalFactory _portal = new();

    public void Dispose() => _portal.Dispose();

    [Fact]
    public async Task AScheduledPublish_HappensExactlyAtTheInstant_ByTheScheduler()
    {
        var editor = await Staff.SignedInAsync(_portal, StaffRoles.Editor);
        var publisher = await Staff.SignedInAsync(_portal, StaffRoles.Publisher);
        const string marker = "Scheduled services text 5b1f";
        await OkAsync(SaveAsync(editor, "services", "en-GB", "Our services", marker + "\n"));
        await OkAsync(ActAsync(editor, "services", "en-GB", "submit"));
        await OkAsync(ActAsync(publisher, "services", "en-GB", "approve"));

        // 2026-11-24 11:00 in London is 11:00 UTC (GMT in November); the clock says 10:30.
        await OkAsync(ActAsync(publisher, "services", "en-GB", "schedule", extra: new() { ["publish_at"] = "2026-11-24T11:00" }));
        var at = new DateTimeOffset(2026, 11, 24, 11, 0, 0, TimeSpan.Zero);
        Assert.Equal(at, (await VariantAsync(_portal, "services", "en-GB"))!.ScheduledPublishUtc);

        var scheduler = _portal.Services.GetRequiredService<PageScheduler>();
        _portal.Clock.SetUtcNow(at - TimeSpan.FromMilliseconds(1));
        await scheduler.RunDueAsync();
        Assert.DoesNotContain(marker, await PublicTextAsync(_portal, "/en-GB/services"), StringComparison.Ordinal);
        Assert.Equal(VariantStates.Approved, (await VariantAsync(_portal, "services", "en-GB"))!.State);

        _portal.Clock.SetUtcNow(at);
        await scheduler.RunDueAsync();

        Assert.Contains(marker, await PublicTextAsync(_portal, "/en-GB/services"), StringComparison.Ordinal);
        var variant = (await VariantAsync(_portal, "services", "en-GB"))!;
        Assert.Equal(VariantStates.Published, variant.State);
        Assert.Null(variant.ScheduledPublishUtc);
        Assert.Equal(at, variant.PublishedUtc);
        var publish = Assert.Single(await AuditAsync(_portal, "services"), a => a.Action == "publish");
        Assert.Equal(AuditTriggers.Scheduler, publish.Trigger);
        Assert.Equal("scheduler", publish.Actor);
        Assert.Equal(at, publish.AtUtc);
        Assert.Equal(variant.PublishedVersionId, publish.VersionId);
        Assert.Equal(("en-GB", "standard"), (publish.Culture, publish.Audience));
        Assert.Contains(await AuditAsync(_portal, "services"), a => a.Action == "schedule" && a.Actor == publisher.Id);
    }

    [Fact]
    public async Task AScheduledPublishOfADraftThatWasNeverApproved_IsRefusedAndAudited()
    {
        var publisher = await Staff.SignedInAsync(_portal, StaffRoles.Publisher);
        await OkAsync(SaveAsync(publisher, "accessibility", "en-GB", "Accessibility", "Not approved text.\n"));
        // Summer time: 2027-06-01 09:00 in London is 08:00 UTC.
        await OkAsync(ActAsync(publisher, "accessibility", "en-GB", "schedule", extra: new() { ["publish_at"] = "2027-06-01T09:00" }));
        var at = new DateTimeOffset(2027, 6, 1, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(at, (await VariantAsync(_portal, "accessibility", "en-GB"))!.ScheduledPublishUtc);

        _portal.Clock.SetUtcNow(at);
        await _portal.Services.GetRequiredService<PageScheduler>().RunDueAsync();

        Assert.DoesNotContain("Not approved text.", await PublicTextAsync(_portal, "/en-GB/accessibility"), StringComparison.Ordinal);
        var variant = (await VariantAsync(_portal, "accessibility", "en-GB"))!;
        Assert.Equal(VariantStates.Draft, variant.State);
        Assert.Null(variant.ScheduledPublishUtc);
        var audit = await AuditAsync(_portal, "accessibility");
        Assert.DoesNotContain(audit, a => a.Action == "publish");
        Assert.Contains(audit, a => a.Action == "scheduled-publish-refused" && a.Trigger == AuditTriggers.Scheduler);
    }

    [Fact]
    public async Task AScheduledUnpublish_TakesATranslationDown_AndTheSourceCannotBeScheduled()
    {
        var publisher = await Staff.SignedInAsync(_portal, StaffRoles.Publisher);
        var refused = await ActAsync(publisher, "home", "en-GB", "schedule", extra: new() { ["unpublish_at"] = "2026-11-25T09:00" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var past = await ActAsync(publisher, "home", "pl", "schedule", extra: new() { ["unpublish_at"] = "2026-11-24T09:00" });
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        // 01:30 on the last Sunday of March 2027 does not exist in London.
        var gap = await ActAsync(publisher, "home", "pl", "schedule", extra: new() { ["publish_at"] = "2027-03-28T01:30" });
        Assert.Equal(HttpStatusCode.BadRequest, gap.StatusCode);

        var polishBefore = await PublicTextAsync(_portal, "/pl");
        await OkAsync(ActAsync(publisher, "home", "pl", "schedule", extra: new() { ["unpublish_at"] = "2026-11-24T12:00" }));
        _portal.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        await _portal.Services.GetRequiredService<PageScheduler>().RunDueAsync();

        Assert.Null((await VariantAsync(_portal, "home", "pl"))!.PublishedVersionId);
        Assert.NotEqual(polishBefore, await PublicTextAsync(_portal, "/pl"));
        Assert.Contains(await AuditAsync(_portal, "home"), a => a.Action == "unpublish" && a.Trigger == AuditTriggers.Scheduler && a.Culture == "pl");
    }

    [Fact]
    public async Task ANodeNoticesAPublishMadeElsewhere_ByTheRevision()
    {
        var content = _portal.Services.GetRequiredService<SiteContent>();
        var watcher = _portal.Services.GetRequiredService<ContentRevisionWatcher>();
        Assert.False(await watcher.CheckAsync());

        // Another node publishes: the database changes, this node's snapshot does not yet.
        using (var scope = _portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var variant = await db.PageVariants.SingleAsync(v => v.Slug == "privacy" && v.Culture == "ro" && v.Audience == "standard");
            variant.PublishedVersionId = null;
            (await db.Revisions.SingleAsync()).Revision++;
            await db.SaveChangesAsync();
        }

        Assert.True(content.Current.Published.ContainsKey(("privacy", "ro", "standard")));
        Assert.True(await watcher.CheckAsync());
        Assert.False(content.Current.Published.ContainsKey(("privacy", "ro", "standard")));
    }
}
