using Arviointi.Web.Features.Demo;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Benchmarks;

/// <summary>
/// What a municipal director waits for: the real app (in-process test server) on a SQLite file holding a published
/// 60 000 × 100 round and its stored snapshot, signed in as Lahti's director. Measures the steady state, with the parsed
/// snapshot in the memory cache; the first, cold load is timed once in the setup and printed.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DirectorPageBenchmarks
{
    private const string Lahti = "398";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "arviointi-bench-director");
    private BenchmarkApp factory = null!;
    private HttpClient client = null!;
    private Uri overview = null!;
    private Uri municipality = null!;
    private Uri chart = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        // Creating the client starts the app: it migrates the empty file and seeds municipalities, roles and surveys.
        factory = new BenchmarkApp(folder);
        client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        int roundId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<AppDbContext>();
            var units = RegionGenerator.AddUnits(db);
            var version = await services.GetRequiredService<SurveyCatalog>().ImportAsync(db, RegionGenerator.Survey(), "bench");
            roundId = RegionGenerator.AddRound(db, version, units, RoundState.Published);

            var compute = Stopwatch.StartNew();
            await services.GetRequiredService<SnapshotBuilder>().StoreAsync(roundId);
            Console.WriteLine($"// Snapshot computed and stored in {compute.ElapsedMilliseconds} ms");
            var json = await db.ResultSnapshots.Where(s => s.RoundId == roundId).Select(s => s.Json).SingleAsync();
            var parse = Stopwatch.StartNew();
            JsonSerializer.Deserialize<RoundResults>(json, SnapshotBuilder.Json);
            Console.WriteLine($"// Snapshot JSON: {json.Length / 1024} KiB, parsed in {parse.ElapsedMilliseconds} ms (first parse of the process)");

            await BenchmarkApp.AddUserAsync(services, "johtaja.lahti", Roles.Director, Lahti);
        }

        await BenchmarkApp.SignInAsync(client, "johtaja.lahti");
        overview = new Uri($"/tulokset/{roundId}", UriKind.Relative);
        municipality = new Uri($"/tulokset/{roundId}/kunta/{Lahti}", UriKind.Relative);
        chart = new Uri($"/tulokset/{roundId}/kaavio/kysymys/Pupil/{RegionGenerator.ItemId(0)}/osuudet.svg", UriKind.Relative);

        // Cold: the process's first result page (JIT, views, snapshot parsed), then a new snapshot version in a warm process.
        Console.WriteLine($"// Cold first load of the overview (first request of the process): {await TimedAsync(overview)} ms");
        foreach (var uri in new[] { overview, municipality, chart })
        {
            Console.WriteLine($"// GET {uri}: {(await client.GetByteArrayAsync(uri)).Length / 1024} KiB");
        }

        ((MemoryCache)factory.Services.GetRequiredService<IMemoryCache>()).Compact(1.0);
        Console.WriteLine($"// Cold load of the overview in a warm process (snapshot read and parsed): {await TimedAsync(overview)} ms");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        client.Dispose();
        factory.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark(Description = "director: GET /tulokset/{round} (overview of the municipalities)")]
    public Task Overview() => GetAsync(overview);

    [Benchmark(Description = "director: GET /tulokset/{round}/kunta/398 (own municipality's units)")]
    public Task Municipality() => GetAsync(municipality);

    [Benchmark(Description = "director: GET one chart (shares by municipality, SVG)")]
    public Task Chart() => GetAsync(chart);

    /// <summary>The whole response is read, as a browser would, and dropped, so the client adds little to the allocation.</summary>
    private async Task GetAsync(Uri uri)
    {
        using var response = await client.GetAsync(uri);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {uri}: {(int)response.StatusCode}");
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        await body.CopyToAsync(Stream.Null);
    }

    private async Task<long> TimedAsync(Uri uri)
    {
        var watch = Stopwatch.StartNew();
        await GetAsync(uri);
        return watch.ElapsedMilliseconds;
    }
}
