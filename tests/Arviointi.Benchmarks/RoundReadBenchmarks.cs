using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
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
    private const int Respondents = 60_000;
    private const int Items = 100;
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
        var units = Region.Municipalities().SelectMany(m => Enumerable.Range(0, 15).Select(i =>
            new Unit { MunicipalityCode = m.Code, Name = $"Koulu {i}", Sector = Sector.Basic, Kind = UnitKind.School })).ToList();
        db.Units.AddRange(units);
        db.SaveChanges();

        var version = catalog.ImportAsync(db, Survey(), "bench").GetAwaiter().GetResult();
        var round = new EvaluationRound { Year = 2026, Sector = Sector.Basic, FocusTheme = "bench", OpensAt = DateTimeOffset.UnixEpoch, ClosesAt = DateTimeOffset.UnixEpoch.AddDays(1), PublishAt = DateTimeOffset.UnixEpoch.AddDays(2), DeleteRawDataAt = DateTimeOffset.UnixEpoch.AddDays(400), State = RoundState.Closed };
        round.Surveys.Add(new RoundSurvey { SurveyVersionId = version.Id, Group = RespondentGroup.Pupil });
        db.Rounds.Add(round);
        db.SaveChanges();
        roundId = round.Id;

        var random = new Random(1);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var r = 0; r < Respondents; r++)
        {
            var answers = new byte[Items];
            for (var i = 0; i < Items; i++)
            {
                answers[i] = (byte)random.Next(0, 7);
            }

            db.Responses.Add(new Response
            {
                Id = Guid.NewGuid(),
                RoundId = roundId,
                SurveyVersionId = version.Id,
                UnitId = units[random.Next(units.Count)].Id,
                Group = RespondentGroup.Pupil,
                SubmittedOn = new DateOnly(2026, 1, 20),
                Answers = answers,
                SubmissionHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray()),
            });
            if (r % 5000 == 4999)
            {
                db.SaveChanges();
                db.ChangeTracker.Clear();
            }
        }

        db.SaveChanges();
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

    private static SurveyDefinition Survey()
    {
        static LocalizedText Fi(string text) => new(new Dictionary<string, string> { ["fi"] = text });
        var items = Enumerable.Range(0, Items)
            .Select(i => new SurveyItem { Id = $"q{i:000}", Type = ItemType.Agreement, Area = QualityAreas.Basic[i % QualityAreas.Basic.Count], Text = Fi($"Kysymys {i}") })
            .ToList();
        return new SurveyDefinition
        {
            Id = "bench",
            Sector = Sector.Basic,
            Group = RespondentGroup.Pupil,
            Version = 1,
            Languages = ["fi"],
            Title = Fi("Testi"),
            Introduction = Fi("Testi"),
            Sections = [new SurveySection("s", Fi("Osio"), items)],
        };
    }
}
