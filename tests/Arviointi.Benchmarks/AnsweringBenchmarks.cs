using Arviointi.Web.Features.Demo;
using System.Security.Cryptography;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Arviointi.Benchmarks;

/// <summary>
/// Sending an answer and flushing waiting answers, on a SQLite file that already holds a closed round of 60 000
/// respondents: the cost of the sealed pending write on every send, and of a flush (two truncating checkpoints
/// around one transaction storing ten responses in random order).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AnsweringBenchmarks
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "arviointi-bench-answering");
    private DbContextOptions<SqliteAppDbContext> options = null!;
    private SurveyCatalog catalog = null!;
    private AnsweringKeys keys = null!;
    private SurveyVersion version = null!;
    private ServiceProvider services = null!;
    private string connectionString = "";
    private int roundId;
    private int codeId;
    private int unitId;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "answering.db");
        File.Delete(path);
        connectionString = $"Data Source={path}";
        options = new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connectionString).AddInterceptors(new SecureDeleteInterceptor()).Options;
        catalog = new SurveyCatalog(TimeProvider.System, NullLogger<SurveyCatalog>.Instance, Options.Create(new SurveyOptions()), new HostingEnvironment { ContentRootPath = folder });
        keys = new AnsweringKeys(Options.Create(new AnsweringKeyOptions
        {
            CodeKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            PendingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }));
        using var db = new SqliteAppDbContext(options);
        DatabaseSetup.MigrateAsync(db).GetAwaiter().GetResult();
        db.Municipalities.AddRange(Region.Municipalities());
        db.SaveChanges();
        var units = RegionGenerator.AddUnits(db);
        var closed = catalog.ImportAsync(db, RegionGenerator.Survey(), "bench").GetAwaiter().GetResult();
        RegionGenerator.AddRound(db, closed, units, RoundState.Published);

        // The same hundred items and two open texts, as the real surveys end.
        static LocalizedText Fi(string text) => new(new Dictionary<string, string> { ["fi"] = text });
        var survey = RegionGenerator.Survey();
        survey = survey with
        {
            Id = "bench-open",
            Sections = [.. survey.Sections, new SurveySection("open", Fi("Avoimet"), [
                new SurveyItem { Id = "open_good", Type = ItemType.Text, Text = Fi("Mikä on hyvin?") },
                new SurveyItem { Id = "open", Type = ItemType.Text, Text = Fi("Mitä pitäisi kehittää?") }])],
        };
        version = catalog.ImportAsync(db, survey, "bench").GetAwaiter().GetResult();
        var now = DateTimeOffset.UtcNow;
        var round = new EvaluationRound
        {
            Year = 2027, Sector = Sector.Basic, FocusTheme = "bench", OpensAt = now.AddDays(-1), ClosesAt = now.AddDays(30),
            PublishAt = now.AddDays(90), DeleteRawDataAt = now.AddDays(455), State = RoundState.Open,
        };
        round.Surveys.Add(new RoundSurvey { SurveyVersionId = version.Id, Group = RespondentGroup.Pupil });
        db.Rounds.Add(round);
        db.SaveChanges();
        roundId = round.Id;
        var code = new AccessCode { RoundId = round.Id, UnitId = units[0].Id, Group = RespondentGroup.Pupil, Kind = AccessCodeKind.Group, Hash = keys.HashCode("BENCHBENCH"), MaxUses = int.MaxValue };
        db.AccessCodes.Add(code);
        db.SaveChanges();
        codeId = code.Id;
        unitId = units[0].Id;
        services = Services();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        services.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [IterationSetup(Target = nameof(Submit))]
    public void NothingWaiting()
    {
        using var db = new SqliteAppDbContext(options);
        db.PendingResponses.ExecuteDelete();
    }

    [Benchmark(Description = "send one answer (100 items, 2 open texts): code used, answer sealed and padded, in one transaction")]
    public async Task Submit()
    {
        await using var scope = services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<AnsweringService>();
        var answers = new byte[catalog.Layout(version).Length];
        Random.Shared.NextBytes(answers);
        for (var i = 0; i < answers.Length; i++)
        {
            answers[i] = (byte)(1 + (answers[i] % 5));
        }

        var texts = new Dictionary<string, string> { ["open_good"] = "Opettajat kuuntelevat.", ["open"] = "Välitunnit voisivat olla pidempiä." };
        var outcome = await service.SubmitAsync(codeId, Guid.NewGuid().ToString(), new ParsedAnswers(answers, texts, new Dictionary<string, UiMessage>()));
        if (outcome.Status != SubmitStatus.Saved)
        {
            throw new InvalidOperationException($"The answer was not received: {outcome.Status}");
        }
    }

    [IterationSetup(Target = nameof(Flush))]
    public void TenWaiting()
    {
        using var db = new SqliteAppDbContext(options);
        var pending = new PendingResponses(db, keys, NullLogger<PendingResponses>.Instance);
        var size = PendingResponses.PaddedSize(catalog.Definition(version), catalog.Layout(version));
        for (var i = 0; i < PendingResponses.Threshold; i++)
        {
            var content = new PendingContent(version.Id, DateOnly.FromDateTime(DateTime.UtcNow), [.. Enumerable.Repeat((byte)4, catalog.Layout(version).Length)], new Dictionary<string, string> { ["open"] = $"Vastaus {i}" });
            db.PendingResponses.Add(pending.Seal(roundId, unitId, RespondentGroup.Pupil, content, size));
        }

        db.SaveChanges();
    }

    [Benchmark(Description = "flush ten waiting answers: checkpoint, decrypt and store in random order, checkpoint")]
    public async Task<int> Flush()
    {
        await using var db = new SqliteAppDbContext(options);
        return await new PendingResponses(db, keys, NullLogger<PendingResponses>.Instance).FlushAsync();
    }

    /// <summary>The app's services for sending: the context, the cache, and the one writer, started as the app starts it.</summary>
    private ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContext<AppDbContext, SqliteAppDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(new SecureDeleteInterceptor()));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(catalog);
        services.AddSingleton(keys);
        services.AddSingleton<AnsweringCache>();
        services.AddSingleton<AnswerWriter>();
        services.AddScoped<PendingResponses>();
        services.AddScoped<AnsweringService>();
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<AnswerWriter>().StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return provider;
    }
}
