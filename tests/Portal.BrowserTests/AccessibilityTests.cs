using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Portal.BrowserTests;

/// <summary>
/// axe (WCAG 2.0–2.2 A and AA, and best practice) on every page in every language at phone and
/// desktop sizes; no sideways scrolling at 320 px; the exit button always on top and big enough.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserPortal portal, ITestOutputHelper output)
{
    private static readonly AxeRunOptions Axe = AxeChecks.Options;

    public static TheoryData<string> Languages() => new(BrowserPortal.Languages);

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task EveryPage_HasNoAxeViolations_AtPhoneAndDesktopSizes(string lang)
    {
        var problems = new StringBuilder();
        var checkedPages = 0;
        foreach (var (width, height) in new[] { (375, 667), (1280, 800) })
        {
            var (context, _) = await portal.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            foreach (var path in BrowserPortal.Pages)
            {
                await page.GotoAsync(portal.BaseUrl + "/" + lang + path);
                var result = await page.RunAxe(Axe);
                checkedPages++;
                foreach (var v in result.Violations)
                {
                    problems.AppendLine($"/{lang}{path} at {width}px: {v.Id} ({v.Impact}) {v.Help}: " +
                        string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html)));
                }
            }

            await context.CloseAsync();
        }

        output.WriteLine($"{lang}: {checkedPages} page checks, {(problems.Length == 0 ? "no violations" : "violations:\n" + problems)}");
        Assert.True(problems.Length == 0, problems.ToString());
    }

    [Fact]
    public async Task Axe_ReportsAPlantedViolation()
    {
        // Guards the check above: the same options must catch a real problem on our pages.
        var (context, _) = await portal.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(portal.BaseUrl + "/en-GB/policy");
        await page.EvaluateAsync("() => { const b = document.createElement('button'); document.querySelector('main').append(b); }");

        var result = await page.RunAxe(Axe);

        Assert.Contains(result.Violations, v => v.Id == "button-name");
        await context.CloseAsync();
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task EveryPage_At320px_HasNoHorizontalScroll(string lang)
    {
        var (context, _) = await portal.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 320, Height = 640 } });
        var page = await context.NewPageAsync();
        foreach (var path in BrowserPortal.Pages)
        {
            await page.GotoAsync(portal.BaseUrl + "/" + lang + path);
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 320, $"/{lang}{path} is {width}px wide at a 320px viewport");
        }

        await context.CloseAsync();
    }

    [Theory]
    [InlineData("en-GB", 375, 667)]
    [InlineData("ar", 375, 667)]
    [InlineData("ur", 320, 640)]
    [InlineData("pl", 1280, 800)]
    public async Task ExitButton_IsNeverCovered_AndAtLeast24Pixels(string lang, int width, int height)
    {
        var (context, _) = await portal.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        foreach (var path in new[] { "/policy", "/services", "/policy/easy-read" })
        {
            await page.GotoAsync(portal.BaseUrl + "/" + lang + path);
            foreach (var fraction in new[] { 0.0, 0.25, 0.5, 0.75, 1.0 })
            {
                await page.EvaluateAsync($"window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * {fraction})");
                var check = await page.EvaluateAsync<double[]>("""
                    () => {
                      const b = document.querySelector('.app-exit__button');
                      const r = b.getBoundingClientRect();
                      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                      return [r.width, r.height, r.top, r.bottom, b.contains(hit) ? 1 : 0];
                    }
                    """);
                var where = $"/{lang}{path} at {width}px, scrolled {fraction:P0}";
                Assert.True(check[0] >= 24 && check[1] >= 24, $"{where}: button is {check[0]}×{check[1]}");
                Assert.True(check[2] >= 0 && check[3] <= height, $"{where}: button is off screen");
                Assert.True(check[4] == 1, $"{where}: something covers the button");
            }
        }

        await context.CloseAsync();
    }
}
