using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Portal.BrowserTests;

/// <summary>
/// Long pages lay out their off-screen blocks only when they come near the screen
/// (<c>content-visibility: auto</c>). That must not cost the reader anything: a contents link still
/// brings its heading to the top of the screen, the text is still there to find, and axe still
/// checks the contrast of the last paragraph rather than giving up on it as unseen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LongPageTests(BrowserPortal portal)
{
    [Theory]
    [InlineData("en-GB")]
    [InlineData("ur")]
    [InlineData("ar")]
    public async Task ContentsLink_BringsItsHeadingToTheTopOfTheScreen(string lang)
    {
        var (context, _) = await portal.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 375, Height = 667 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(portal.BaseUrl + "/" + lang + "/policy");

        // The blocks below the screen really are skipped until needed (otherwise this test proves nothing).
        var skipped = await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.app-prose > p:last-of-type')).contentVisibility");
        Assert.Equal("auto", skipped);

        var links = page.Locator(".app-contents__list a");
        var last = links.Last;
        var target = Uri.UnescapeDataString((await last.GetAttributeAsync("href"))![1..]);
        await last.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("id => location.hash.length > 1 && decodeURIComponent(location.hash.slice(1)) === id", target);
        // Let the blocks that came into view settle, as a reader's eye would.
        await page.WaitForTimeoutAsync(300);

        var top = await page.EvaluateAsync<double>("id => document.getElementById(id).getBoundingClientRect().top", target);
        Assert.InRange(top, 0, 200);

        await context.CloseAsync();
    }

    [Fact]
    public async Task Axe_ChecksTheContrastOfTheLastParagraph_ThoughItIsOffScreen()
    {
        var (context, _) = await portal.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 375, Height = 667 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(portal.BaseUrl + "/en-GB/policy");
        await page.EvaluateAsync("() => document.querySelector('.app-prose > p:last-of-type').id = 'last-paragraph'");

        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "rule", Values = ["color-contrast"] },
            ResultTypes = [ResultType.Passes, ResultType.Incomplete, ResultType.Violations],
        });

        var passed = result.Passes.SelectMany(r => r.Nodes).Select(n => n.Html);
        Assert.Contains(passed, html => html.Contains("id=\"last-paragraph\"", StringComparison.Ordinal));
        Assert.Empty(result.Violations);

        await context.CloseAsync();
    }

    [Fact]
    public async Task TextBelowTheScreen_IsInTheAccessibilityTree()
    {
        var (context, _) = await portal.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 375, Height = 667 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(portal.BaseUrl + "/en-GB/policy");
        var lastHeading = (await page.Locator(".app-prose h2").Last.TextContentAsync())!.Trim();

        // What a screen reader is given: the last section's heading, by role and name, without scrolling.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = lastHeading, Exact = true })).ToHaveCountAsync(1);
        var snapshot = await page.Locator("main").AriaSnapshotAsync();
        Assert.Contains(lastHeading, snapshot, StringComparison.Ordinal);

        await context.CloseAsync();
    }
}
