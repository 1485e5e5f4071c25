using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Rounds;
using Hangfire;

namespace Arviointi.Web.Jobs;

/// <summary>Every scheduled job of Arviointi, in one place. Each is an idempotent reconciler over database state.</summary>
internal static class Schedule
{
    public static void Register(IRecurringJobManager jobs)
    {
        jobs.AddOrUpdate<ScopedJob<RoundReconciler>>("rounds-open-close", j => j.RunAsync(CancellationToken.None), Cron.Minutely());
        jobs.AddOrUpdate<ScopedJob<ResponseRateRecorder>>("response-rates-daily", j => j.RunAsync(CancellationToken.None), Cron.Daily(3), new RecurringJobOptions { TimeZone = Arviointi.Web.Features.Organisation.Region.TimeZone });
    }
}

/// <summary>Runs one service method in its own scope, the shape every job here has.</summary>
internal sealed class ScopedJob<T>(IServiceScopeFactory scopes)
    where T : IScheduledWork
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 30, 60, 300, 900])]
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task RunAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<T>().RunAsync(ct);
    }
}

/// <summary>A unit of scheduled work: safe to run late, twice, or on two servers at once.</summary>
internal interface IScheduledWork
{
    Task RunAsync(CancellationToken ct);
}

/// <summary>Hangfire logging switched off; see <c>Jobs:Logging</c>.</summary>
internal sealed class SilentLogProvider : Hangfire.Logging.ILogProvider, Hangfire.Logging.ILog
{
    public Hangfire.Logging.ILog GetLogger(string name) => this;

    public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
}
