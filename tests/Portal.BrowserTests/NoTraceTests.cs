using Microsoft.Playwright;

namespace Portal.BrowserTests;

/// <summary>A whole visit leaves one history entry, talks only to our origin, and stores nothing.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NoTraceTests(BrowserPortal portal)
{
    [Fact]
    public async Task FiveInternalLinks_FromAnOutsidePage_AddExactlyOneHistoryEntry()
    {
        var (context, refused) = await portal.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(BrowserPortal.Outside);
        var start = await page.EvaluateAsync<int>("history.length");

        await page.ClickAsync("#in");
        await page.WaitForURLAsync(portal.BaseUrl + "/en-GB");
        foreach (var (selector, path) in new[]
        {
            (".app-navigation__link[href='/en-GB/policy']", "/en-GB/policy"),
            (".app-easy-read-link a", "/en-GB/policy/easy-read"),
            (".app-navigation__link[href='/en-GB/services']", "/en-GB/services"),
            (".app-filter__link[href='/en-GB/services?for=women']", "/en-GB/services?for=women"),
            (".app-languages__link[lang='ur']", "/ur/services?for=women"),
        })
        {
            await page.ClickAsync(selector);
            await page.WaitForURLAsync(portal.BaseUrl + path);
        }

        Assert.Equal(start + 1, await page.EvaluateAsync<int>("history.length"));
        await page.GoBackAsync();
        Assert.StartsWith(BrowserPortal.Outside, page.Url, StringComparison.Ordinal);
        Assert.Empty(refused);
        await context.CloseAsync();
    }

    [Fact]
    public async Task VisibleBackLink_GoesUpWithoutAddingHistory()
    {
        var (context, _) = await portal.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(portal.BaseUrl + "/cy/policy/easy-read");
        var start = await page.EvaluateAsync<int>("history.length");

        await page.ClickAsync(".app-back-link");
        await page.WaitForURLAsync(portal.BaseUrl + "/cy/policy");
        await page.ClickAsync(".app-back-link");
        await page.WaitForURLAsync(portal.BaseUrl + "/cy");

        Assert.Equal(start, await page.EvaluateAsync<int>("history.length"));
        await context.CloseAsync();
    }

    [Fact]
    public async Task WholeVisit_EveryPageEveryLanguage_OwnOriginOnly_NoCookieNoStorage()
    {
        var (context, refused) = await portal.NewContextAsync();
        var requested = new List<string>();
        context.Request += (_, request) =>
        {
            lock (requested)
            {
                requested.Add(request.Url);
            }
        };
        var page = await context.NewPageAsync();

        foreach (var lang in BrowserPortal.Languages)
        {
            foreach (var path in BrowserPortal.Pages)
            {
                var response = await page.GotoAsync(portal.BaseUrl + "/" + lang + path);
                Assert.Equal(200, response!.Status);
                Assert.Null(await response.HeaderValueAsync("set-cookie"));
            }
        }

        // Late requests of the last page (its icon, a worker) are counted too, then the lists are
        // read under the lock their handlers write under.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        lock (refused)
        {
            Assert.Empty(refused);
        }

        lock (requested)
        {
            Assert.All(requested, url => Assert.StartsWith(portal.BaseUrl + "/", url, StringComparison.Ordinal));
        }

        Assert.Empty(await context.CookiesAsync());
        var storage = await page.EvaluateAsync<string>("""
            async () => JSON.stringify({
              cookie: document.cookie,
              local: localStorage.length,
              session: sessionStorage.length,
              indexedDb: (await indexedDB.databases()).length,
              workers: (await navigator.serviceWorker.getRegistrations()).length,
              caches: (await caches.keys()).length,
            })
            """);
        Assert.Equal("""{"cookie":"","local":0,"session":0,"indexedDb":0,"workers":0,"caches":0}""", storage);
        await context.CloseAsync();
    }
}
