using Arviointi.Web.Features.Demo;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Arviointi.Benchmarks;

/// <summary>
/// A whole round on a SQLite file: 60 000 respondents × 100 agreement items in ~150 units of the ten municipalities.
/// Measures reading every answer of the round, and computing the full snapshot (region, municipalities, units).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RoundReadBenchmarks
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "arviointi-bench");
    private DbContextOptions<SqliteAppDbContext> options = null!;
    private SurveyCatalog catalog = null!;
    private int roundId;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "round.db");
        File.Delete(path);
        options = new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite($"Data Source={path}").Options;
        catalog = new SurveyCatalog(TimeProvider.System, NullLogger<SurveyCatalog>.Instance, Options.Create(new SurveyOptions()), new HostingEnvironment { ContentRootPath = folder });
        using var db = new SqliteAppDbContext(options);
        DatabaseSetup.MigrateAsync(db).GetAwaiter().GetResult();
        db.Municipalities.AddRange(Region.Municipalities());
        db.SaveChanges();
        var units = RegionGenerator.AddUnits(db);
        var version = catalog.ImportAsync(db, RegionGenerator.Survey(), "bench").GetAwaiter().GetResult();
        roundId = RegionGenerator.AddRound(db, version, units, RoundState.Closed);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark(Description = "read all answers of a 60 000 × 100 round")]
    public async Task<long> ReadRound()
    {
        await using var db = new SqliteAppDbContext(options);
        var rows = await db.Responses.AsNoTracking().Where(r => r.RoundId == roundId).Select(r => new { r.UnitId, r.Answers }).ToListAsync();
        return rows.Sum(r => (long)r.Answers[0]);
    }

    [Benchmark(Description = "compute the round's snapshot (region, 10 municipalities, 150 units, 100 items, 8 quality areas; comparisons and tests)")]
    public async Task<int> ComputeSnapshot()
    {
        await using var db = new SqliteAppDbContext(options);
        var results = await new SnapshotBuilder(db, catalog, TimeProvider.System, new MemoryCache(new MemoryCacheOptions())).BuildAsync(roundId);
        return results.Groups[0].Items.Count;
    }
}
