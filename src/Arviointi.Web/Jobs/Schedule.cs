using Arviointi.Web.Features.Notifications;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Rounds;
using Hangfire;

namespace Arviointi.Web.Jobs;

/// <summary>Every scheduled job of Arviointi, in one place. Each is an idempotent reconciler over database state.</summary>
internal static class Schedule
{
    /// <summary>The jobs, with how often each runs (Finnish time) and what it does in words an administrator reads on the front page.</summary>
    public static readonly IReadOnlyList<ScheduledJob> Jobs =
    [
        Job<RoundReconciler>("rounds-open-close", Cron.Minutely(), TimeSpan.FromMinutes(1), "Kierrosten avaus, sulkeminen, julkaisu ja raakadatan poisto"),
        Job<ResponseRateRecorder>("response-rates-daily", Cron.Daily(3), TimeSpan.FromDays(1), "Vastausmäärien päivittäinen tallennus"),
        Job<NotificationPlanner>("notifications", "*/15 * * * *", TimeSpan.FromMinutes(15), "Muistutukset, koosteet ja julkaisuilmoitukset"),
        Job<MailSender>("mail-outbox", Cron.Minutely(), TimeSpan.FromMinutes(1), "Sähköpostien lähetys"),
    ];

    public static void Register(IRecurringJobManager jobs)
    {
        foreach (var job in Jobs)
        {
            job.Register(jobs);
        }
    }

    public static ScheduledJob Of(Type work) => Jobs.Single(j => j.Work == work);

    private static ScheduledJob Job<T>(string id, string cron, TimeSpan interval, string description)
        where T : IScheduledWork =>
        new(
            id,
            typeof(T),
            interval,
            description,
            jobs => jobs.AddOrUpdate<ScopedJob<T>>(id, j => j.RunAsync(CancellationToken.None), cron, new RecurringJobOptions { TimeZone = Region.TimeZone }),
            (scopes, ct) => new ScopedJob<T>(scopes).RunAsync(ct));
}

/// <summary>
/// One recurring job: its Hangfire id, the work it runs, its interval and its description; <see cref="RunNow"/> runs it
/// once through the same wrapper Hangfire calls.
/// </summary>
internal sealed record ScheduledJob(
    string Id,
    Type Work,
    TimeSpan Interval,
    string Description,
    Action<IRecurringJobManager> Register,
    Func<IServiceScopeFactory, CancellationToken, Task> RunNow);

/// <summary>Runs one service method in its own scope, the shape every job here has, and records how it went.</summary>
internal sealed class ScopedJob<T>(IServiceScopeFactory scopes)
    where T : IScheduledWork
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 30, 60, 300, 900])]
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task RunAsync(CancellationToken ct)
    {
        var id = Schedule.Of(typeof(T)).Id;
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<T>().RunAsync(ct);
            }

            await RecordAsync(h => h.SucceededAsync(id, ct));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A fresh scope: the work's own database context may be the thing that failed.
            await RecordAsync(h => h.FailedAsync(id, ex, ct));
            throw;
        }
    }

    private async Task RecordAsync(Func<JobHealth, Task> record)
    {
        await using var scope = scopes.CreateAsyncScope();
        await record(scope.ServiceProvider.GetRequiredService<JobHealth>());
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
