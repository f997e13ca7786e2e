using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Pages.Public;

public sealed class HelplinesTests : IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;

    public HelplinesTests(PortalFactory portal) => _portal = portal;

    private async Task<Dictionary<string, string>> StatusAtAsync(DateTimeOffset instant, string lang = "en-GB")
    {
        _portal.Clock.AdjustTime(instant);
        var (_, doc) = await _portal.GetPageAsync($"/{lang}/services");
        return doc.QuerySelectorAll(".app-helpline").ToDictionary(
            h => h.Id!["helpline-".Length..],
            h => h.QuerySelector(".app-tag--open") is not null ? "open" : "closed");
    }

    [Fact]
    public async Task Get_WeekdayMorning_OfficeHoursAndAllDayLinesOpen()
    {
        // Tuesday 24 November 2026, 10:30 GMT.
        var status = await StatusAtAsync(new DateTimeOffset(2026, 11, 24, 10, 30, 0, TimeSpan.Zero));

        Assert.Equal("open", status["national-domestic-abuse-helpline"]);
        Assert.Equal("open", status["respect-phoneline"]);
        Assert.Equal("open", status["mens-advice-line"]);
        Assert.Equal("closed", status["the-mix"]);
    }

    [Fact]
    public async Task Get_ChristmasDay_OfficeHoursLinesClosedAllDayLinesOpen()
    {
        // Friday 25 December 2026, 11:00: a weekday, but a bank holiday.
        var status = await StatusAtAsync(new DateTimeOffset(2026, 12, 25, 11, 0, 0, TimeSpan.Zero));

        Assert.Equal("open", status["national-domestic-abuse-helpline"]);
        Assert.Equal("open", status["samaritans"]);
        Assert.Equal("closed", status["respect-phoneline"]);
        Assert.Equal("closed", status["mens-advice-line"]);
    }

    [Theory]
    // Sunday 29 March 2026: clocks go forward at 01:00 GMT. 15:30 UTC is 16:30 in London (open);
    // 22:30 UTC is 23:30 in London (closed). A UTC-only reading would get both wrong.
    [InlineData("2026-03-29T15:30:00Z", "open")]
    [InlineData("2026-03-29T22:30:00Z", "closed")]
    // Sunday 25 October 2026: clocks go back. 15:30 UTC is 15:30 GMT (closed until 16:00).
    [InlineData("2026-10-25T15:30:00Z", "closed")]
    [InlineData("2026-10-24T15:30:00Z", "open")]
    public async Task Get_AroundClockChange_UsesLondonTime(string instant, string expected)
    {
        var status = await StatusAtAsync(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, status["the-mix"]);
    }

    [Fact]
    public async Task Get_FilterForMen_ShowsMensServicesFirstThenServicesForEveryone()
    {
        var (_, doc) = await _portal.GetPageAsync("/en-GB/services?for=men");
        var ids = doc.QuerySelectorAll(".app-helpline").Select(h => h.Id!).ToList();
        var (_, all) = await _portal.GetPageAsync("/en-GB/services");

        Assert.Equal("helpline-mens-advice-line", ids[0]);
        Assert.Contains("helpline-mankind-initiative", ids);
        Assert.DoesNotContain("helpline-galop-lgbt-helpline", ids);
        Assert.DoesNotContain("helpline-respect-phoneline", ids);
        Assert.True(ids.Count < all.QuerySelectorAll(".app-helpline").Length);
        Assert.Equal("true", doc.QuerySelector(".app-filter__link[href='/en-GB/services?for=men']")!.GetAttribute("aria-current"));
    }

    [Fact]
    public async Task Get_FilterLinks_AreLinksThatWorkWithoutJavaScript()
    {
        var (_, doc) = await _portal.GetPageAsync("/cy/services");
        var filters = doc.QuerySelectorAll(".app-filter__link").Select(a => a.GetAttribute("href")).ToList();

        Assert.Contains("/cy/services?for=women", filters);
        Assert.Contains("/cy/services?for=harming", filters);
        Assert.Contains("/cy/services", filters);
        Assert.Empty(doc.QuerySelectorAll("main form"));
    }

    [Fact]
    public async Task Get_Helpline_ShowsTelLinkAndStructuredHours()
    {
        var (_, doc) = await _portal.GetPageAsync("/en-GB/services");
        var respect = doc.GetElementById("helpline-respect-phoneline")!;

        Assert.Equal("tel:08088024040", respect.QuerySelector("a[itemprop=telephone]")!.GetAttribute("href"));
        Assert.Equal("09:00", respect.QuerySelector("time[itemprop=opens]")!.GetAttribute("datetime"));
        Assert.Equal("17:00", respect.QuerySelector("time[itemprop=closes]")!.GetAttribute("datetime"));
        Assert.Equal(5, respect.QuerySelectorAll("[itemprop=dayOfWeek]").Length);
        Assert.Contains("Monday to Friday", respect.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_HelplinesInWelsh_DayNamesInWelsh()
    {
        var (_, doc) = await _portal.GetPageAsync("/cy/services");
        var respect = doc.GetElementById("helpline-respect-phoneline")!;

        Assert.Contains("Dydd Llun", respect.TextContent, StringComparison.Ordinal);
    }
}
