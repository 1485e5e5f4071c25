using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Notifications;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
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
    private const string Item = "vk_h_001";

    // Each job as Hangfire runs it: through its scoped wrapper, which also records how it went.
    private static readonly IReadOnlyList<(string Id, Func<IServiceScopeFactory, Task> Run)> Jobs =
        [.. Schedule.Jobs.Select(j => (j.Id, Runner(j.Work)))];

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

        var lagging = await TestData.UnitAsync(first, "560", "Kahden palvelimen päiväkoti");
        var silent = await TestData.UnitAsync(first, "398", "Hiljainen päiväkoti");
        await TestData.UserAsync(first, "kaksi.johtaja", Roles.UnitLeader, "560", lagging.Id, "johtaja@example.fi");
        await TestData.UserAsync(first, "kaksi.hiljainen", Roles.UnitLeader, "398", silent.Id, "hiljainen@example.fi");
        await TestData.UserAsync(first, "kaksi.orimattila", Roles.Director, "560", email: "sivistys@orimattila.example.fi");
        await TestData.UserAsync(first, "kaksi.lahti", Roles.Director, "398", email: "sivistys@lahti.example.fi");
        var version = await TestData.SurveyAsync(first, "ecec-guardian");

        var elapsed = Stopwatch.StartNew();
        for (var y = 0; y < Years; y++)
        {
            // The sector's rounds two years apart, each measured against the year before, as the cycle runs them.
            var year = 2027 + (2 * y);
            var opens = new DateTimeOffset(year, 1, 11, 6, 0, 0, TimeSpan.Zero);
            var closes = new DateTimeOffset(year, 2, 12, 14, 0, 0, TimeSpan.Zero);
            var publishes = new DateTimeOffset(year, 4, 14, 6, 0, 0, TimeSpan.Zero);
            var forgets = new DateTimeOffset(year, 5, 14, 6, 0, 0, TimeSpan.Zero);
            var rounds = new List<int>();
            var early = new List<string>();
            var late = new List<string>();
            for (var r = 0; r < RoundsPerYear; r++)
            {
                var (round, errors) = await first.WithScopeAsync(s => s.GetRequiredService<RoundAdmin>()
                    .CreateAsync(new NewRound(year, Sector.Ecec, $"Kaksi palvelinta {year}/{r}", opens, closes, [version.Id]) { PublishAt = publishes, DeleteRawDataAt = forgets }, "testi"));
                Assert.Empty(errors);
                rounds.Add(round!.Id);
                await using (var db = first.CreateDbContext())
                {
                    db.Enrolments.AddRange(
                        new Enrolment { RoundId = round.Id, UnitId = lagging.Id, Group = RespondentGroup.Guardian, Count = 40 },
                        new Enrolment { RoundId = round.Id, UnitId = silent.Id, Group = RespondentGroup.Guardian, Count = 30 });
                    await db.SaveChangesAsync();
                }

                var codes = await TestData.CodesAsync(first, round.Id, lagging.Id, EarlyAnswers + LateAnswers);
                early.AddRange(codes.Take(EarlyAnswers));
                late.AddRange(codes.Skip(EarlyAnswers));
            }

            // While the rounds are open, every flush stores at least ten answers at once, whichever server or job runs it.
            var open = new List<int>();
            open.AddRange(await StepAsync(servers, clock, opens.AddMinutes(-1)));
            open.AddRange(await StepAsync(servers, clock, opens));
            open.AddRange(await StepAsync(servers, clock, opens.AddDays(7), early));
            open.AddRange(await StepAsync(servers, clock, closes.AddDays(-7)));
            open.AddRange(await StepAsync(servers, clock, closes.AddDays(-2), late));
            Assert.All(open, count => Assert.True(count >= PendingResponses.Threshold, $"A flush stored {count} answers while the rounds were open: {string.Join(", ", open)}"));
            var closing = (await StepAsync(servers, clock, closes)).Concat(await StepAsync(servers, clock, closes.AddMinutes(1))).ToList();
            Assert.Equal(RoundsPerYear * (EarlyAnswers + LateAnswers), open.Sum() + closing.Sum());

            // Every answer stored exactly once, all of them in the results, and the development ending at the final count.
            var stored = new Dictionary<int, string>();
            foreach (var id in rounds)
            {
                await using var db = first.CreateDbContext();
                Assert.Equal(EarlyAnswers + LateAnswers, await db.Responses.CountAsync(r => r.RoundId == id));
                Assert.Equal(0, await db.PendingResponses.CountAsync(p => p.RoundId == id));
                var results = (await first.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(id)))!.Groups.Single();
                Assert.Equal(EarlyAnswers + LateAnswers, results.Items.Single(x => x.ItemId == Item).Region.Figures!.N);
                Assert.Equal(new RateDay(ResponseRateRecorder.Day(closes), EarlyAnswers + LateAnswers), results.Rates!.Series.Single(s => s.Key == "region").Days[^1]);
                stored[id] = await SnapshotAsync(first, id);
            }

            await StepAsync(servers, clock, publishes);
            await StepAsync(servers, clock, publishes.AddDays(1));
            await StepAsync(servers, clock, forgets);

            await using var check = first.CreateDbContext();
            var outbox = await check.OutgoingMails.AsNoTracking().ToListAsync();
            foreach (var id in rounds)
            {
                Assert.Equal(RoundState.RawDataDeleted, (await check.Rounds.SingleAsync(r => r.Id == id)).State);
                var actions = await check.AuditEvents.Where(a => a.Details.Contains($"Kierros {id} ") || a.Details.Contains($"Kierroksen {id} "))
                    .OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
                Assert.Equal(["round.opened", "round.closed", "round.results-computed", "round.published", "round.raw-data-deleted"], actions);
                Assert.Equal(stored[id], await SnapshotAsync(first, id));

                // Each message claimed once and sent once: reminders to both leaders and digests to both directors at the three points, one notice each.
                var mails = outbox.Where(m => m.Key.Split(':')[1] == $"{id}").ToList();
                Assert.All(mails, m => Assert.Equal((1, true), (m.Attempts, m.SentAt is not null)));
                Assert.Equal((6, 6, 2), (Count(mails, "reminder:"), Count(mails, "digest:"), Count(mails, "published:")));
            }

            output.WriteLine($"{year}: {RoundsPerYear} rounds each opened, closed, computed, published and forgotten once; "
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
                Assert.Equal(SubmitStatus.Saved, await TestData.AnswerAsync(server, code, new Dictionary<string, string> { ["a_" + Item] = "4" })));
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

    /// <summary>The round's stored results, byte for byte: the overview and every municipality's units.</summary>
    private static async Task<string> SnapshotAsync(ArviointiFactory server, int roundId)
    {
        await using var db = server.CreateDbContext();
        var snapshot = await db.ResultSnapshots.AsNoTracking().SingleAsync(s => s.RoundId == roundId);
        var parts = await db.ResultSnapshotParts.AsNoTracking().Where(p => p.RoundId == roundId).OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Json).ToListAsync();
        return string.Join('\n', [$"{snapshot.Id} {snapshot.ComputedAt:O}", snapshot.Json, .. parts]);
    }

    private static int Count(List<OutgoingMail> mails, string kind) => mails.Count(m => m.Key.StartsWith(kind, StringComparison.Ordinal));

    private static Func<IServiceScopeFactory, Task> Runner(Type work)
    {
        var type = typeof(ScopedJob<>).MakeGenericType(work);
        var run = type.GetMethod(nameof(ScopedJob<RoundReconciler>.RunAsync))!;
        return scopes => (Task)run.Invoke(Activator.CreateInstance(type, scopes), [CancellationToken.None])!;
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
