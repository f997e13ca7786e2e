using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Backoffice;
using Portal.Web.Content;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Backoffice.PageEditing;

namespace Portal.Web.Tests.Backoffice;

/// <summary>The page workflow against a real PostgreSQL server.</summary>
public sealed class PagesOnPostgresTests(PostgresPortal portal) : IClassFixture<PostgresPortal>
{
    [Fact]
    public async Task EditReviewApprovePublishScheduleAndRollback_WorkOnPostgres()
    {
        var editor = await Staff.SignedInAsync(portal, StaffRoles.Editor);
        var publisher = await Staff.SignedInAsync(portal, StaffRoles.Publisher);
        const string marker = "Policy text stored in PostgreSQL";

        await OkAsync(SaveAsync(editor, "policy", "en-GB", "Our domestic abuse policy", marker + "\n"));
        await OkAsync(ActAsync(editor, "policy", "en-GB", "submit"));
        await OkAsync(ActAsync(publisher, "policy", "en-GB", "approve"));
        await OkAsync(ActAsync(publisher, "policy", "en-GB", "publish"));
        Assert.Contains(marker, await PublicTextAsync(portal, "/en-GB/policy"), StringComparison.Ordinal);

        await OkAsync(SaveAsync(editor, "services", "pl", "Usługi", "Nowy tekst.\n", translationState: "translated"));
        await OkAsync(ActAsync(editor, "services", "pl", "submit"));
        await OkAsync(ActAsync(publisher, "services", "pl", "approve"));
        await OkAsync(ActAsync(publisher, "services", "pl", "schedule", extra: new() { ["publish_at"] = "2026-11-24T10:45" }));
        var at = new DateTimeOffset(2026, 11, 24, 10, 45, 0, TimeSpan.Zero);
        Assert.Equal(at, (await VariantAsync(portal, "services", "pl"))!.ScheduledPublishUtc);
        portal.Clock.SetUtcNow(at);
        await portal.Services.GetRequiredService<PageScheduler>().RunDueAsync();
        Assert.Equal(VariantStates.Published, (await VariantAsync(portal, "services", "pl"))!.State);

        var history = $"{EditorPath("policy", "en-GB")}/history";
        await OkAsync(Staff.PostFormAsync(editor.Client, history, new() { ["version"] = "1" }));
        var versions = await VersionsAsync(portal, "policy", "en-GB");
        Assert.Equal(versions[0].Body, versions[^1].Body);
        Assert.Contains(await AuditAsync(portal, "policy"), a => a.Action == "rollback");
    }
}
