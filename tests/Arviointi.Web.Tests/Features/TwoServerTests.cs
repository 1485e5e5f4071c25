using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Jobs;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Two instances of the app on one SQLite file, as two servers would run it: each with its own services, answer writer
/// and job runner, on one shared clock. At every step of a round's life every scheduled job runs on both at the same
/// moment while respondents send to both: five years of four rounds, twenty rounds whose every step is raced.
/// </summary>
public sealed class TwoServerTests(ITestOutputHelper output) : IDisposable
{
    private const int Years = 5;
    private const int RoundsPerYear = 4;
    // Per round: the early answers of the four rounds make ten per server, enough for each server's writer to flush;
    // the late ones, eight in all, are fewer than a flush waits for and are stored by the close.
    private const int EarlyAnswers = 5;
    private const int LateAnswers = 2;

    // Each job as Hangfire runs it: through its scoped wrapper, which also records how it went.
    private static readonly IReadOnlyList<(string Id, Func<IServiceScopeFactory, Task> Run)> Jobs =
        [.. Schedule.Jobs.Select(j => (j.Id, (Func<IServiceScopeFactory, Task>)(scopes => j.RunNow(scopes, CancellationToken.None))))];

    private readonly ConcurrentQueue<string> failures = new();
    private readonly LogCapture flushes = new();
    private int jobRuns;

    public void Dispose() => flushes.Dispose();

    [Fact]
    public async Task Every_job_on_two_servers_at_once_opens_and_closes_each_round_once_stores_one_snapshot_and_every_answer_and_mail_once()
    {
        var folder = ArviointiFactory.NewFolder();
        using var smtp = new SmtpSink();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 7, 0, 0, TimeSpan.Zero));
        using var first = new Server(folder, clock, smtp, flushes);
        _ = first.Services; // migrates the empty file before the second server starts on it
        using var second = new Server(folder, clock, smtp, flushes);
        _ = second.Services;
        ArviointiFactory[] servers = [first, second];

        var region = await RoundLives.SeedAsync(first, "Kahden palvelimen päiväkoti");

        var elapsed = Stopwatch.StartNew();
        for (var y = 0; y < Years; y++)
        {
            // The sector's rounds two years apart, each measured against the year before, as the cycle runs them.
            var rounds = await RoundLives.RoundsAsync(first, region, 2027 + (2 * y), RoundsPerYear, EarlyAnswers, LateAnswers);
            var (opens, closes) = (rounds.Opens, rounds.Closes);

            // While the rounds are open, every flush stores at least ten answers at once, whichever server or job runs it.
            var open = new List<int>();
            open.AddRange(await StepAsync(servers, clock, opens.AddMinutes(-1)));
            open.AddRange(await StepAsync(servers, clock, opens));
            open.AddRange(await StepAsync(servers, clock, opens.AddDays(7), rounds.Early));
            open.AddRange(await StepAsync(servers, clock, closes.AddDays(-7)));
            open.AddRange(await StepAsync(servers, clock, closes.AddDays(-2), rounds.Late));
            Assert.All(open, count => Assert.True(count >= PendingResponses.Threshold, $"A flush stored {count} answers while the rounds were open: {string.Join(", ", open)}"));
            var closing = (await StepAsync(servers, clock, closes)).Concat(await StepAsync(servers, clock, closes.AddMinutes(1))).ToList();
            Assert.Equal(RoundsPerYear * (EarlyAnswers + LateAnswers), open.Sum() + closing.Sum());

            // Every answer stored exactly once, all of them in the results, and the development ending at the final count.
            var stored = new Dictionary<int, string>();
            foreach (var id in rounds.Rounds)
            {
                await using var db = first.CreateDbContext();
                Assert.Equal(EarlyAnswers + LateAnswers, await db.Responses.CountAsync(r => r.RoundId == id));
                Assert.Equal(0, await db.PendingResponses.CountAsync(p => p.RoundId == id));
                var results = (await first.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(id)))!.Groups.Single();
                Assert.Equal(EarlyAnswers + LateAnswers, results.Items.Single(x => x.ItemId == RoundLives.Item).Region.Figures!.N);
                Assert.Equal(new RateDay(ResponseRateRecorder.Day(closes), EarlyAnswers + LateAnswers), results.Rates!.Series.Single(s => s.Key == "region").Days[^1]);
                stored[id] = await RoundLives.SnapshotAsync(first, id);
            }

            await StepAsync(servers, clock, rounds.Publishes);
            await StepAsync(servers, clock, rounds.Publishes.AddDays(1));
            await StepAsync(servers, clock, rounds.Forgets);
            var outbox = await RoundLives.AssertEachLivedOnceAsync(first, stored);

            output.WriteLine($"{rounds.Number}: {RoundsPerYear} rounds each opened, closed, computed, published and forgotten once; "
                + $"{RoundsPerYear * (EarlyAnswers + LateAnswers)} answers sent to the two servers, stored by flushes of [{string.Join(", ", open)}] while open and [{string.Join(", ", closing)}] at the close; "
                + $"{outbox.Count} messages in the outbox, {smtp.Messages.Count} received over SMTP");
        }

        output.WriteLine($"{Years * RoundsPerYear} rounds, {jobRuns} job runs on two servers in {elapsed.Elapsed.TotalSeconds:0.0} s");
        await using var end = first.CreateDbContext();
        Assert.Equal(await end.OutgoingMails.CountAsync(), smtp.Messages.Count);
    }

    /// <summary>Moves the shared clock to <paramref name="at"/> and runs every job on both servers at once, with the sends alongside, alternating servers.</summary>
    private async Task<List<int>> StepAsync(ArviointiFactory[] servers, FakeTimeProvider clock, DateTimeOffset at, List<string>? codes = null)
    {
        clock.SetUtcNow(at);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = new List<Task>();

        // Task.Run: SQLite's async calls complete synchronously, so without threads of their own the runs would take turns.
        void Add(string what, Func<Task> run) => work.Add(Task.Run(async () =>
        {
            await start.Task;
            await ExpectAsync(what, run);
        }));

        for (var s = 0; s < servers.Length; s++)
        {
            var scopes = servers[s].Services.GetRequiredService<IServiceScopeFactory>();
            foreach (var (id, job) in Jobs)
            {
                Add($"{id} on server {s + 1}", () => job(scopes));
            }
        }

        for (var i = 0; i < (codes?.Count ?? 0); i++)
        {
            var (server, code) = (servers[i % servers.Length], codes![i]);
            Add($"a send to server {(i % servers.Length) + 1}", async () =>
                Assert.Equal(SubmitStatus.Saved, await TestData.AnswerAsync(server, code, new Dictionary<string, string> { ["a_" + RoundLives.Item] = "4" })));
        }

        start.SetResult();
        await Task.WhenAll(work);
        jobRuns += servers.Length * Jobs.Count;
        Assert.Empty(failures);

        // Each flush logs how many answers it stored (PendingResponses.FlushAsync).
        var counts = new List<int>();
        while (flushes.Entries.TryDequeue(out var entry))
        {
            if (Regex.Match(entry, @"^Information .*: (\d+) odottavaa vastausta tallennettiin") is { Success: true } flush)
            {
                counts.Add(int.Parse(flush.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        return counts;
    }

    // A job that fails would be retried by Hangfire; here a failure under concurrency is itself a finding.
    private async Task ExpectAsync(string what, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception e)
        {
            failures.Enqueue($"{what}: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>One server: its own host and services on the shared files, clock and SMTP listener, its flushes logged to <paramref name="flushes"/>.</summary>
    private sealed class Server(string folder, FakeTimeProvider clock, SmtpSink smtp, LogCapture flushes) : MailFactory(folder, clock, smtp)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // Pooled connections, as the app has by default (the base factory turns pooling off for its tests of the files).
            builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={DatabasePath};Pooling=true");
            builder.ConfigureLogging(logging =>
            {
                logging.AddProvider(flushes);
                logging.AddFilter<LogCapture>((category, level) => category == typeof(PendingResponses).FullName && level >= LogLevel.Information);
            });
        }
    }
}
