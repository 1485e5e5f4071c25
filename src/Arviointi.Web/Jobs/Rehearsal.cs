using System.Globalization;

namespace Arviointi.Web.Jobs;

/// <summary>
/// <c>Rehearsal:ClockFile</c>: a round's whole life rehearsed in minutes on a copy of the app. The file holds an instant
/// (ISO 8601); the app's clock runs on from it, and every scheduled job runs at once on each process that reads the file
/// whenever it changes. Several processes on one database given the same file move together, which is how a test races
/// the jobs of two servers. Refused in Production: a real round runs on the real clock.
/// </summary>
internal sealed class RehearsalOptions
{
    public string? ClockFile { get; set; }
}

/// <summary>The instant in the clock file, running on in real time from when the file last changed.</summary>
internal sealed class FileClock(string path) : TimeProvider
{
    private readonly Lock gate = new();
    private DateTime written;
    private DateTimeOffset set;
    private long setAt;

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            Refresh();
            return set + GetElapsedTime(setAt);
        }
    }

    /// <summary>The instant the file holds, read again if the file changed; null until it holds one.</summary>
    public DateTimeOffset? Current()
    {
        lock (gate)
        {
            Refresh();
            return setAt == 0 ? null : set;
        }
    }

    private void Refresh()
    {
        var changed = File.GetLastWriteTimeUtc(path);
        if (changed == written)
        {
            return;
        }

        try
        {
            // The rehearsal's writer replaces the file whole (write, then rename), so a read sees the old or the new text.
            var text = File.ReadAllText(path).Trim();
            set = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            setAt = GetTimestamp();
            written = changed;
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            // Missing or half-written: keep the last instant and read again on the next call.
        }
    }
}

/// <summary>Runs every scheduled job, all at once, each time the rehearsal clock is moved.</summary>
internal sealed class RehearsalPulse(FileClock clock, IServiceScopeFactory scopes, ILogger<RehearsalPulse> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? last = null;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await poll.WaitForNextTickAsync(stoppingToken))
        {
            var now = clock.Current();
            if (now is null || now == last)
            {
                continue;
            }

            last = now;
            // Task.Run: SQLite's async calls complete synchronously, so without threads of their own the jobs would take turns.
            var runs = Schedule.Jobs.Select(job => Task.Run(async () =>
            {
                try
                {
                    await job.RunNow(scopes, stoppingToken);
                    return null;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return $"{job.Id}: {e.GetType().Name}: {e.Message}";
                }
            }, stoppingToken));
            var failed = (await Task.WhenAll(runs)).OfType<string>().ToList();
            log.LogInformation(
                "Rehearsal clock {Instant:O}: {Succeeded} jobs succeeded, {Failed} failed{Failures}",
                now.Value,
                Schedule.Jobs.Count - failed.Count,
                failed.Count,
                failed.Count == 0 ? "" : " — " + string.Join(" | ", failed));
        }
    }
}
