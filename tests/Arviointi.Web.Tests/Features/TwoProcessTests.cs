using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Two processes of the app, each started as a server starts it, on one SQLite file. A shared rehearsal clock file
/// (<c>Rehearsal:ClockFile</c>) moves both through a round's life, and each runs every scheduled job whenever it moves:
/// both at the same moment, with respondents answering through both over HTTP.
/// </summary>
public sealed partial class TwoProcessTests(ITestOutputHelper output)
{
    private const int Rounds = 2;
    // Ten early answers in all reach a flush's threshold; the four late ones wait for the close.
    private const int EarlyAnswers = 5;
    private const int LateAnswers = 2;

    [Fact]
    public async Task Two_app_processes_running_every_job_open_close_and_compute_each_round_once_and_send_each_mail_once()
    {
        var folder = ArviointiFactory.NewFolder();
        using var smtp = new SmtpSink();
        using var setup = new Setup(folder, smtp);
        var region = await RoundLives.SeedAsync(setup, "Kahden prosessin päiväkoti");
        var rounds = await RoundLives.RoundsAsync(setup, region, 2027, Rounds, EarlyAnswers, LateAnswers);
        var (opens, closes) = (rounds.Opens, rounds.Closes);

        var clockFile = Path.Combine(folder, "rehearsal-clock.txt");
        SetClock(clockFile, opens.AddMinutes(-1));
        using var first = AppProcess.Start(1, folder, clockFile, smtp.Port);
        using var second = AppProcess.Start(2, folder, clockFile, smtp.Port);
        AppProcess[] servers = [first, second];
        var elapsed = Stopwatch.StartNew();
        await Task.WhenAll(servers.Select(s => s.StepDoneAsync(opens.AddMinutes(-1))));

        await StepAsync(servers, clockFile, opens);
        await StepAsync(servers, clockFile, opens.AddDays(7), rounds.Early);
        await StepAsync(servers, clockFile, closes.AddDays(-7));
        await StepAsync(servers, clockFile, closes.AddDays(-2), rounds.Late);
        var open = servers.SelectMany(s => s.Flushes()).ToList();
        Assert.All(open, count => Assert.True(count >= PendingResponses.Threshold, $"A flush stored {count} answers while the rounds were open: {string.Join(", ", open)}"));
        await StepAsync(servers, clockFile, closes);
        await StepAsync(servers, clockFile, closes.AddMinutes(1));
        var closing = servers.SelectMany(s => s.Flushes()).ToList();
        Assert.Equal(Rounds * (EarlyAnswers + LateAnswers), open.Sum() + closing.Sum());

        var stored = new Dictionary<int, string>();
        foreach (var id in rounds.Rounds)
        {
            await using var db = setup.CreateDbContext();
            Assert.Equal(EarlyAnswers + LateAnswers, await db.Responses.CountAsync(r => r.RoundId == id));
            Assert.Equal(0, await db.PendingResponses.CountAsync(p => p.RoundId == id));
            stored[id] = await RoundLives.SnapshotAsync(setup, id);
        }

        await StepAsync(servers, clockFile, rounds.Publishes);
        await StepAsync(servers, clockFile, rounds.Publishes.AddDays(1));
        await StepAsync(servers, clockFile, rounds.Forgets);
        var outbox = await RoundLives.AssertEachLivedOnceAsync(setup, stored);
        Assert.Equal(outbox.Count, smtp.Messages.Count);
        Assert.Equal(outbox.Count, smtp.Messages.Select(m => m.MessageId).Distinct().Count());
        output.WriteLine($"{Rounds} rounds each opened, closed, computed, published and forgotten once by two processes in {elapsed.Elapsed.TotalSeconds:0.0} s; "
            + $"{Rounds * (EarlyAnswers + LateAnswers)} answers sent over HTTP to both, stored by flushes of [{string.Join(", ", open)}] while open and [{string.Join(", ", closing)}] at the close; "
            + $"{outbox.Count} messages sent once each; job runs per process: {string.Join(", ", servers.Select(s => s.Steps))}");
    }

    [Fact]
    public async Task A_rehearsal_clock_is_refused_in_production_before_anything_else()
    {
        var folder = ArviointiFactory.NewFolder();
        Directory.CreateDirectory(folder);
        try
        {
            using var server = AppProcess.Start(1, folder, Path.Combine(folder, "rehearsal-clock.txt"), smtpPort: 25, environment: "Production");
            var (code, log) = await server.ExitAsync();
            Assert.NotEqual(0, code);
            Assert.Contains("Rehearsal:ClockFile is for rehearsals and tests: it cannot be set in Production.", log, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "arviointi.db")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Moves both processes' clock to <paramref name="at"/>; the answers go to the two in turn while their jobs run.</summary>
    private static async Task StepAsync(AppProcess[] servers, string clockFile, DateTimeOffset at, List<string>? codes = null)
    {
        SetClock(clockFile, at);
        var sends = (codes ?? []).Select((code, i) => Task.Run(async () =>
        {
            using var respondent = new Respondent(new Browser(await servers[i % servers.Length].Site));
            await respondent.EnterAsync(code);
            return await respondent.AnswerAllAsync(new Dictionary<string, string> { ["a_" + RoundLives.Item] = "4" });
        })).ToList();
        await Task.WhenAll(servers.Select(s => s.StepDoneAsync(at)));
        Assert.All(await Task.WhenAll(sends), end => Assert.Equal("/vastaa/kiitos", end));
    }

    /// <summary>Replaces the clock file whole, so that a process reads the old instant or the new one.</summary>
    private static void SetClock(string clockFile, DateTimeOffset at)
    {
        var next = clockFile + ".next";
        File.WriteAllText(next, at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        File.Move(next, clockFile, overwrite: true);
    }

    /// <summary>The data set up in-process before the servers start; it runs no jobs and serves nothing.</summary>
    private sealed class Setup(string folder, SmtpSink smtp) : MailFactory(folder, new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 7, 0, 0, TimeSpan.Zero)), smtp)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={DatabasePath};Pooling=true");
        }
    }

    /// <summary>The app in a process of its own, started the way a server starts it, its log read for what its jobs did.</summary>
    private sealed partial class AppProcess : IDisposable
    {
        private readonly Process process;
        private readonly ConcurrentQueue<string> lines = new();
        private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int number;
        private int flushesRead;

        private AppProcess(int number, Process process)
        {
            this.number = number;
            this.process = process;
        }

        public Task<Uri> Site => listening.Task;

        public int Steps => lines.Count(l => l.Contains("Rehearsal clock", StringComparison.Ordinal));

        public static AppProcess Start(int number, string folder, string clockFile, int smtpPort, string environment = "Testing")
        {
            var root = ArviointiFactory.RepositoryRoot();
            // The app's own build output, of the configuration these tests were built in.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var app = Path.Combine(root, "src", "Arviointi.Web", "bin", configuration, "net10.0");
            var start = new ProcessStartInfo("dotnet", [Path.Combine(app, "Arviointi.Web.dll")])
            {
                WorkingDirectory = app,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var settings = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = environment,
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(folder, "arviointi.db")};Pooling=true",
                ["Surveys__Path"] = Path.Combine(root, "surveys"),
                ["Demo__Enabled"] = "false",
                ["Jobs__RunServer"] = "false",
                ["Jobs__Logging"] = "false",
                ["Rehearsal__ClockFile"] = clockFile,
                ["Mail__Host"] = "127.0.0.1",
                ["Mail__Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
                ["Mail__Security"] = "None",
                ["Mail__BaseUrl"] = "https://arviointi.example",
                ["Logging__Console__FormatterName"] = "simple",
                ["Logging__Console__FormatterOptions__SingleLine"] = "true",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
                ["Logging__LogLevel__Arviointi.Web.Jobs.RehearsalPulse"] = "Information",
                ["Logging__LogLevel__Arviointi.Web.Features.Answering.PendingResponses"] = "Information",
            };
            foreach (var (key, value) in settings)
            {
                start.Environment[key] = value;
            }

            var server = new AppProcess(number, Process.Start(start)!);
            server.process.OutputDataReceived += (_, e) => server.Read(e.Data);
            server.process.ErrorDataReceived += (_, e) => server.Read(e.Data);
            server.process.BeginOutputReadLine();
            server.process.BeginErrorReadLine();
            return server;
        }

        /// <summary>Waits until this process has run every job at <paramref name="at"/>; fails with its log if any job failed.</summary>
        public async Task StepDoneAsync(DateTimeOffset at)
        {
            var mark = $"Rehearsal clock {at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)}:";
            var waited = Stopwatch.StartNew();
            while (true)
            {
                if (lines.FirstOrDefault(l => l.Contains(mark, StringComparison.Ordinal)) is { } done)
                {
                    Assert.True(done.Contains(" 0 failed", StringComparison.Ordinal), $"Process {number}: {done}");
                    return;
                }

                if (process.HasExited || waited.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new InvalidOperationException($"Process {number} did not run its jobs at {at:O}:\n{string.Join('\n', lines)}");
                }

                await Task.Delay(20);
            }
        }

        /// <summary>Waits for the process to end by itself; its exit code and everything it wrote.</summary>
        public async Task<(int Code, string Output)> ExitAsync()
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            return (process.ExitCode, string.Join('\n', lines));
        }

        /// <summary>The flushes logged since the last call, each as the number of answers it stored.</summary>
        public List<int> Flushes()
        {
            var all = lines.Select(l => FlushPattern().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            var fresh = all.Skip(flushesRead).ToList();
            flushesRead = all.Count;
            return fresh;
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }

        private void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            lines.Enqueue(line);
            if (ListeningPattern().Match(line) is { Success: true } at)
            {
                listening.TrySetResult(new Uri(at.Groups[1].Value));
            }
        }

        [GeneratedRegex(@"Now listening on: (http://\S+)")]
        private static partial Regex ListeningPattern();

        [GeneratedRegex(@"(\d+) odottavaa vastausta tallennettiin")]
        private static partial Regex FlushPattern();
    }
}
