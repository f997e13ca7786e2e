using Portal.Web.Content;

namespace Portal.Web.Backoffice;

/// <summary>Publishes and takes down pages at the times set for them: at start-up and every 30 seconds.</summary>
public sealed class PageScheduler(IServiceScopeFactory scopes, TimeProvider clock, ILogger<PageScheduler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Carries out whatever is due now; one run at a time on this node.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct = default)
    {
        await _running.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<PageWorkflow>().RunDueAsync(ct);
        }
        finally
        {
            _running.Release();
        }
    }

    public override void Dispose()
    {
        _running.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var done = await RunDueAsync(stoppingToken);
                if (done > 0)
                {
                    logger.LogInformation("Carried out {Count} scheduled page changes.", done);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must survive a failed run (a database briefly away) and try again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, "Scheduled page changes failed; trying again in {Interval}.", Interval);
            }

            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>Reloads this node's published content when another node (or the scheduler) has published.</summary>
public sealed class ContentRevisionWatcher(IServiceScopeFactory scopes, SiteContent content, TimeProvider clock, ILogger<ContentRevisionWatcher> logger) : BackgroundService
{
    // One second: a publish on one node must show on every other within two (reload included).
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Reloads if the stored revision differs from the one in memory; true if it did.</summary>
    public async Task<bool> CheckAsync(CancellationToken ct = default)
    {
        long stored;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            stored = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(
                db.Revisions.Where(r => r.Id == 1).Select(r => r.Revision), ct);
        }

        if (stored == content.Current.Revision)
        {
            return false;
        }

        await content.ReloadAsync(ct);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
                await CheckAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Polling must survive a failed read and try again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogWarning(e, "Could not check the content revision.");
            }
        }
    }
}
