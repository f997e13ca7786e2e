using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Portal.BrowserTests;

/// <summary>Read and exit: the one-gesture exit, the Shift shortcut, and the back/forward cache backstop.</summary>
[Collection(BrowserCollection.Name)]
public sealed class QuickExitTests(BrowserPortal portal, ITestOutputHelper output)
{
    /// <summary>Opens a portal page after an outside page, so there is a history to go back through.</summary>
    private async Task<(IBrowserContext Context, IPage Page, List<string> Refused)> OpenFromOutsideAsync(string path, BrowserNewContextOptions? options = null)
    {
        var (context, refused) = await portal.NewContextAsync(options);
        var page = await context.NewPageAsync();
        await page.GotoAsync(BrowserPortal.Outside);
        await page.GotoAsync(portal.BaseUrl + path);
        return (context, page, refused);
    }

    [Fact]
    public async Task ClickExit_HidesPageBeforeLeaving_ReplacesHistory_AndBackNeverReturns()
    {
        var (context, refused) = await portal.NewContextAsync();

        // What the page looks like at the moment it starts to unload, that is before the neutral
        // page has even been requested, let alone answered.
        var snapshots = new List<string>();
        await context.ExposeBindingAsync("reportLeaving", (BindingSource _, string json) =>
        {
            lock (snapshots)
            {
                snapshots.Add(json);
            }
        });
        await context.AddInitScriptAsync($$"""
            if (location.origin === '{{portal.BaseUrl}}') {
              window.addEventListener('beforeunload', () => window.reportLeaving(JSON.stringify({
                mainVisible: !!document.querySelector('main').getClientRects().length,
                headerVisible: !!document.querySelector('header').getClientRects().length,
                overlayRole: document.querySelector('.app-exit-overlay')?.getAttribute('role') ?? null,
                overlayBackground: document.querySelector('.app-exit-overlay') ? getComputedStyle(document.querySelector('.app-exit-overlay')).backgroundColor : null,
                title: document.title,
              })));
            }
            """);
        var page = await context.NewPageAsync();
        await page.GotoAsync(BrowserPortal.Outside);
        await page.GotoAsync(portal.BaseUrl + "/en-GB/policy");
        var historyBefore = await page.EvaluateAsync<int>("history.length");

        await page.ClickAsync(".app-exit__button");
        await WaitForExitAsync(page);

        var during = System.Text.Json.JsonSerializer.Deserialize<JsonSnapshot>(
            snapshots.Single(), Json)!;
        Assert.False(during.MainVisible, "main content still visible while leaving");
        Assert.False(during.HeaderVisible, "header still visible while leaving");
        Assert.Equal("alert", during.OverlayRole);
        Assert.Equal("Loading", during.Title);
        Assert.Equal(historyBefore, await page.EvaluateAsync<int>("history.length"));

        await page.GoBackAsync();
        Assert.StartsWith(BrowserPortal.Outside, page.Url, StringComparison.Ordinal);
        Assert.Empty(refused);
        await context.CloseAsync();
    }

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    public sealed record JsonSnapshot(bool MainVisible, bool HeaderVisible, string? OverlayRole, string? OverlayBackground, string Title);

    [Fact]
    public async Task ClickExit_NavigatesInTheSameTask()
    {
        var (context, page, _) = await OpenFromOutsideAsync("/pl");

        // click() dispatches synchronously: when it returns, the handler has already started the navigation.
        var result = await page.EvaluateAsync<double[]>("""
            () => {
              let navigated = -1;
              const t0 = performance.now();
              window.addEventListener('beforeunload', () => { navigated = performance.now() - t0; });
              document.querySelector('.app-exit__button').click();
              return [performance.now() - t0, navigated, document.documentElement.classList.contains('app-exiting') ? 1 : 0];
            }
            """);
        await WaitForExitAsync(page);
        output.WriteLine($"activation to navigation start (in page): {result[0]:F2} ms; beforeunload at {result[1]:F2} ms");

        Assert.Equal(1, result[2]);
        Assert.True(result[0] < 50, $"exit handler took {result[0]} ms");
        await context.CloseAsync();
    }

    [Fact]
    public async Task ShiftThreeTimes_Exits_AndAnnouncesCountdownInReadersLanguage()
    {
        var (context, page, _) = await OpenFromOutsideAsync("/pl/policy");
        var historyBefore = await page.EvaluateAsync<int>("history.length");
        // The three presses must fall within 5 seconds: each check is one round trip to the page.
        const string read = "() => [document.querySelector('[data-app-exit-status]').textContent, document.querySelector('[data-app-exit-count]').textContent, document.querySelector('[data-app-exit-count]').getAttribute('aria-hidden')]";
        await page.Keyboard.PressAsync("Shift");
        var first = await page.EvaluateAsync<string[]>(read);
        await page.Keyboard.PressAsync("Shift");
        var second = await page.EvaluateAsync<string[]>(read);
        await page.Keyboard.PressAsync("Shift");

        Assert.Equal("Naciśnij Shift jeszcze 2 razy, aby wyjść", first[0]);
        Assert.Contains("1", first[1], StringComparison.Ordinal);
        Assert.Equal("true", first[2]);
        Assert.Equal("Naciśnij Shift jeszcze 1 raz, aby wyjść", second[0]);
        await WaitForExitAsync(page);
        Assert.Equal(historyBefore, await page.EvaluateAsync<int>("history.length"));
        await context.CloseAsync();
    }

    [Fact]
    public async Task TypingCapitals_NeverExits_AndOtherKeyResetsTheCount()
    {
        var (context, page, _) = await OpenFromOutsideAsync("/en-GB/contact");
        await page.EvaluateAsync("() => { const i = document.createElement('input'); i.id = 'typing'; document.querySelector('main').prepend(i); }");

        await page.FocusAsync("#typing");
        await page.Keyboard.TypeAsync("Ab Cd");
        await page.Keyboard.PressAsync("Shift+A");
        await page.Keyboard.PressAsync("Shift+B");
        await page.Keyboard.PressAsync("Shift");
        await page.Keyboard.PressAsync("Shift");
        await page.Keyboard.PressAsync("x");
        await page.Keyboard.PressAsync("Shift");
        await page.Keyboard.PressAsync("Shift");

        Assert.Equal("Ab CdAB" + "x", await page.InputValueAsync("#typing"));
        Assert.StartsWith(portal.BaseUrl, page.Url, StringComparison.Ordinal);
        Assert.Equal("Press Shift 1 more time to exit", await page.Locator("[data-app-exit-status]").TextContentAsync());
        await context.CloseAsync();
    }

    [Fact]
    public async Task ShiftCount_ExpiresAfterFiveSeconds_AndSaysSo()
    {
        var (context, page, _) = await OpenFromOutsideAsync("/cy");
        await page.Clock.InstallAsync();
        await page.ReloadAsync();
        var status = page.Locator("[data-app-exit-status]");

        await page.Keyboard.PressAsync("Shift");
        await page.Keyboard.PressAsync("Shift");
        await page.Clock.RunForAsync(5100);

        Assert.Equal(await ExpiredTextAsync(page), await status.TextContentAsync());
        await page.Keyboard.PressAsync("Shift");
        Assert.StartsWith(portal.BaseUrl, page.Url, StringComparison.Ordinal);
        Assert.NotEqual(await ExpiredTextAsync(page), await status.TextContentAsync());
        await context.CloseAsync();
    }

    private static Task<string> ExpiredTextAsync(IPage page) =>
        page.Locator("[data-app-exit-bar]").GetAttributeAsync("data-msg-expired")!;

    [Fact]
    public async Task PageShownAgainFromBackForwardCache_AfterExitBegan_LeavesAgain()
    {
        var (context, page, _) = await OpenFromOutsideAsync("/ar/policy");

        // What a restored page sees: it had begun leaving, then the browser showed it from the cache.
        await page.EvaluateAsync("""
            () => {
              document.documentElement.classList.add('app-exiting');
              window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
            }
            """);

        await WaitForExitAsync(page);
        await context.CloseAsync();
    }

    [Fact]
    public async Task PageShownFromCacheWithoutExit_StaysPut()
    {
        var (context, page, _) = await OpenFromOutsideAsync("/en-GB/policy");

        await page.EvaluateAsync("() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))");
        await page.WaitForTimeoutAsync(300);

        Assert.StartsWith(portal.BaseUrl, page.Url, StringComparison.Ordinal);
        await context.CloseAsync();
    }

    [Fact]
    public async Task WithoutJavaScript_FirstTabStopIsExit_AndFollowingItSendsNoReferer()
    {
        var (context, page, _) = await OpenFromOutsideAsync("/ro/policy", new BrowserNewContextOptions { JavaScriptEnabled = false });
        string? referer = "not requested";
        await page.RouteAsync(BrowserPortal.Neutral + "**", async route =>
        {
            var headers = await route.Request.AllHeadersAsync();
            referer = headers.TryGetValue("referer", out var r) ? r : null;
            await route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = "<title>Weather</title>" });
        });

        await page.Keyboard.PressAsync("Tab");
        var focused = await page.EvaluateAsync<string>("document.activeElement.className + '|' + document.activeElement.getAttribute('href') + '|' + document.activeElement.getAttribute('rel')");
        Assert.Equal($"app-skip-exit|{BrowserPortal.Neutral}|nofollow noreferrer", focused);
        Assert.True(await page.Locator(".app-skip-exit").IsVisibleAsync());

        await page.Keyboard.PressAsync("Enter");
        await WaitForExitAsync(page);

        Assert.Null(referer);
        await context.CloseAsync();
    }

    /// <summary>
    /// Waits until the page has committed to the neutral address. Polls the URL rather than waiting
    /// for a navigation event, which may already have happened by the time the wait would begin.
    /// </summary>
    private static async Task WaitForExitAsync(IPage page)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!page.Url.StartsWith(BrowserPortal.Neutral, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "The page did not exit; it is still at " + page.Url);
            await Task.Delay(20);
        }
    }
}
