using System.Diagnostics;
using System.Globalization;
using System.Net;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Demo;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Benchmarks;

/// <summary>
/// A whole round at region scale (60 000 × 100, <see cref="RegionGenerator"/>): the statistics, the analyst's export and the
/// director's pages through the real app, each run five times after three warm-ups, with the median time and the process's peak
/// resident memory above its resting size while the operation ran (sampled every millisecond from /proc/self/statm).
/// The raw read of every answer is measured in the same run as the limit the others are compared with.
/// Run: dotnet run -c Release --project tests/Arviointi.Benchmarks -- round
/// (BenchmarkDotNet reports allocation, not peak memory; hence this runner beside it.)
/// </summary>
internal static class WholeRound
{
    private const int Runs = 5;
    private const int WarmUps = 3;

    /// <param name="scale">Respondents as a multiple of the region's 60 000, to show how time and memory grow with the round.</param>
    /// <param name="datasetOnly">Measure only the raw read and the research dataset.</param>
    public static async Task RunAsync(int scale = 1, bool datasetOnly = false)
    {
        var folder = Path.Combine(Path.GetTempPath(), "arviointi-bench-round");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        using var factory = new BenchmarkApp(folder);
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true };
        using var director = factory.CreateClient(options);
        using var analyst = factory.CreateClient(options);
        int roundId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<AppDbContext>();
            var units = RegionGenerator.AddUnits(db);
            var version = await services.GetRequiredService<SurveyCatalog>().ImportAsync(db, RegionGenerator.Survey(), "bench");
            roundId = RegionGenerator.AddRound(db, version, units, RoundState.Published, RegionGenerator.Respondents * scale);
            await services.GetRequiredService<SnapshotBuilder>().StoreAsync(roundId);
            await BenchmarkApp.AddUserAsync(services, "johtaja.lahti", Roles.Director, "398");
            await BenchmarkApp.AddUserAsync(services, "analyytikko", Roles.Analyst);
        }

        await BenchmarkApp.SignInAsync(director, "johtaja.lahti");
        await BenchmarkApp.SignInAsync(analyst, "analyytikko");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{RegionGenerator.Respondents * scale} respondents × {RegionGenerator.Items} items, {Environment.ProcessorCount} cores, .NET {Environment.Version}; median of {Runs} runs after {WarmUps} warm-ups"));
        Console.WriteLine("| operation | median | × raw read | peak memory above rest | allocated |");
        Console.WriteLine("|---|---|---|---|---|");

        var raw = await MeasureAsync("read every answer of the round (raw read: the limit)", null, async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var rows = await db.Responses.AsNoTracking().Where(r => r.RoundId == roundId).Select(r => new { r.UnitId, r.Answers }).ToListAsync();
            return rows.Count;
        });
        await MeasureAsync("analyst: research dataset (zip: CSV, semicolon CSV, Parquet, codebook, k-anonymity)", raw, () => GetAsync(analyst, $"/api/rounds/{roundId}/aineisto/pupil.zip"));
        if (datasetOnly)
        {
            SqliteConnection.ClearAllPools();
            return;
        }

        await MeasureAsync("statistics of the whole round (the snapshot: every comparison and test, the audit with the dataset)", raw, async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var results = await scope.ServiceProvider.GetRequiredService<SnapshotBuilder>().BuildAsync(roundId);
            return results.Groups[0].Items.Count;
        });
        await MeasureAsync("director: overview of the municipalities", raw, () => GetAsync(director, $"/tulokset/{roundId}"));
        await MeasureAsync("director: own municipality's units", raw, () => GetAsync(director, $"/tulokset/{roundId}/kunta/398"));
        await MeasureAsync("director: one chart (SVG)", raw, () => GetAsync(director, $"/tulokset/{roundId}/kaavio/kysymys/Pupil/{RegionGenerator.ItemId(0)}/osuudet.svg"));

        SqliteConnection.ClearAllPools();
    }

    private static async Task<double> MeasureAsync(string name, double? raw, Func<Task<long>> operation)
    {
        for (var i = 0; i < WarmUps; i++)
        {
            await operation();
        }

        var times = new List<double>();
        var peaks = new List<long>();
        var allocated = new List<long>();
        for (var i = 0; i < Runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var rest = Resident();
            var peak = rest;
            using var done = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!done.IsCancellationRequested)
                {
                    peak = Math.Max(peak, Resident());
                    await Task.Delay(1);
                }
            });
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            await operation();
            times.Add(watch.Elapsed.TotalMilliseconds);
            allocated.Add(GC.GetTotalAllocatedBytes(precise: true) - before);
            await done.CancelAsync();
            await sampler;
            peaks.Add(Math.Max(peak, Resident()) - rest);
        }

        var median = Median(times);
        var ratio = raw is { } limit ? (median / limit).ToString("F1", CultureInfo.InvariantCulture) : "1";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {median:F0} ms | {ratio} | {Median(peaks.Select(p => (double)p)) / 1048576:F0} MiB | {Median(allocated.Select(a => (double)a)) / 1048576:F0} MiB |"));
        return median;
    }

    private static async Task<long> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long length = 0;
        for (int read; (read = await body.ReadAsync(buffer)) > 0;)
        {
            length += read;
        }

        return length;
    }

    /// <summary>Resident memory of this process in bytes (Linux: /proc/self/statm, pages).</summary>
    private static long Resident() =>
        long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
