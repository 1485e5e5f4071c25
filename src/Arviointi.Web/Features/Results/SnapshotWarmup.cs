namespace Arviointi.Web.Features.Results;

/// <summary>After start, parses the latest published snapshots in the background: a cold parse of a large round takes a few hundred milliseconds.</summary>
internal static class SnapshotWarmup
{
    public static async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SnapshotBuilder>().WarmAsync(rounds: 4, ct);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or ObjectDisposedException or System.Data.Common.DbException)
        {
            // Shutting down, or a host (tests) that is disposed before the warm-up finishes: the pages still load on demand.
        }
    }
}
