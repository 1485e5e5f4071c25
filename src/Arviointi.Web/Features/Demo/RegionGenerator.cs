using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Demo;

/// <summary>What <c>--Generate:*</c> asks of a start of the app: data at region scale, then the app exits.</summary>
internal sealed class GenerateOptions
{
    /// <summary>Respondents of a closed basic-education round of <see cref="RegionGenerator.Items"/> agreement items (0: none).</summary>
    public int Respondents { get; set; }

    /// <summary>Personal guardian codes for the open demo round, for a load run (0: none).</summary>
    public int Codes { get; set; }

    /// <summary>Where the codes are written, one a line (they are not in the database, only their keyed hashes).</summary>
    public string CodesFile { get; set; } = "codes.txt";

    public bool Requested => Respondents > 0 || Codes > 0;
}

/// <summary>
/// Region-scale data for the benchmarks and the load run: a round of 60 000 pupils × 100 items whose answers follow the
/// same kind of model as the demo's (a municipality, a school, a respondent and an item each move the answer; most
/// answers agree, a few are "cannot say" or left empty), schools of the sizes DOMAIN.md gives, and personal guardian codes
/// for an open round. Fixed seeds, so every run reads the same data.
/// </summary>
internal static class RegionGenerator
{
    public const int Respondents = 60_000;
    public const int Items = 100;
    public const int UnitsPerMunicipality = 15;

    /// <summary>Runs what <paramref name="options"/> asks against the app's database; returns a line for the console.</summary>
    public static async Task<string> RunAsync(IServiceProvider services, GenerateOptions options, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var report = new List<string>();
        if (options.Respondents > 0)
        {
            var units = AddUnits(db);
            var version = await scope.ServiceProvider.GetRequiredService<SurveyCatalog>().ImportAsync(db, Survey(), "bench", ct);
            var round = AddRound(db, version, units, RoundState.Published, options.Respondents);
            report.Add($"kierros {round}: {options.Respondents} vastaajaa × {Items} kysymystä");
        }

        if (options.Codes > 0)
        {
            var codes = await AddGuardianCodesAsync(db, scope.ServiceProvider.GetRequiredService<AnsweringKeys>(), options.Codes, ct);
            await File.WriteAllLinesAsync(options.CodesFile, codes, ct);
            await scope.ServiceProvider.GetRequiredService<RoundReconciler>().RunAsync(ct);
            report.Add($"{codes.Count} huoltajan koodia tiedostoon {options.CodesFile}");
        }

        return string.Join("; ", report);
    }

    /// <summary>15 basic-education schools in every municipality (the municipalities must exist).</summary>
    public static List<Unit> AddUnits(AppDbContext db)
    {
        var units = db.Municipalities.Select(m => m.Code).ToList().SelectMany(code => Enumerable.Range(0, UnitsPerMunicipality).Select(i =>
            new Unit { MunicipalityCode = code, Name = $"Koulu {i}", Sector = Sector.Basic, Kind = UnitKind.School })).ToList();
        db.Units.AddRange(units);
        db.SaveChanges();
        return units;
    }

    /// <summary>A basic-education round of the given state with the pupils' survey and every response, saved in batches.</summary>
    public static int AddRound(AppDbContext db, SurveyVersion version, IReadOnlyList<Unit> units, RoundState state, int respondents = Respondents)
    {
        var now = DateTimeOffset.UtcNow;
        var round = new EvaluationRound
        {
            Year = 2026,
            Sector = Sector.Basic,
            FocusTheme = "bench",
            OpensAt = now.AddDays(-120),
            ClosesAt = now.AddDays(-90),
            PublishAt = now.AddDays(-30),
            DeleteRawDataAt = now.AddDays(365),
            State = state,
        };
        round.Surveys.Add(new RoundSurvey { SurveyVersionId = version.Id, Group = RespondentGroup.Pupil });
        db.Rounds.Add(round);
        db.SaveChanges();

        // Schools of 50–700 pupils (DOMAIN.md); a school's share of the respondents follows its size, and the snapshot
        // weights every share to the same enrolment, as a real round does.
        var random = new Random(1);
        var enrolment = units.Select(_ => 50 + (int)(650 * Math.Pow(random.NextDouble(), 1.6))).ToArray();
        db.Enrolments.AddRange(units.Select((u, i) => new Enrolment { RoundId = round.Id, UnitId = u.Id, Group = RespondentGroup.Pupil, Count = enrolment[i] }));
        db.SaveChanges();

        var municipalityEffect = units.Select(u => u.MunicipalityCode).Distinct().ToDictionary(c => c, _ => Normal(random) * 0.35);
        var unitEffect = units.Select(_ => Normal(random) * 0.2).ToArray();
        var itemEffect = Enumerable.Range(0, Items).Select(_ => Normal(random) * 0.3).ToArray();
        var cumulative = new double[units.Count];
        var total = 0.0;
        for (var u = 0; u < units.Count; u++)
        {
            total += enrolment[u];
            cumulative[u] = total;
        }

        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var r = 0; r < respondents; r++)
        {
            var u = Array.BinarySearch(cumulative, random.NextDouble() * total);
            u = u < 0 ? ~u : u;
            var level = municipalityEffect[units[u].MunicipalityCode] + unitEffect[u] + (Normal(random) * 0.7);
            var answers = new byte[Items];
            for (var i = 0; i < Items; i++)
            {
                answers[i] = Agreement(random, level + itemEffect[i] + (Normal(random) * 0.6));
            }

            db.Responses.Add(new Response
            {
                Id = Guid.NewGuid(),
                RoundId = round.Id,
                SurveyVersionId = version.Id,
                UnitId = units[u].Id,
                Group = RespondentGroup.Pupil,
                SubmittedOn = DateOnly.FromDateTime(now.AddDays(-120 + random.Next(30)).UtcDateTime),
                Answers = answers,
            });
            if (r % 5000 == 4999)
            {
                db.SaveChanges();
                db.ChangeTracker.Clear();
            }
        }

        db.SaveChanges();
        db.ChangeTracker.Clear();
        db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        return round.Id;
    }

    /// <summary>
    /// Personal guardian codes in the open early-childhood round (the demo's), spread over its units; returns the codes.
    /// </summary>
    public static async Task<List<string>> AddGuardianCodesAsync(AppDbContext db, AnsweringKeys keys, int count, CancellationToken ct = default)
    {
        var round = await db.Rounds.Include(r => r.Surveys)
            .Where(r => r.Sector == Sector.Ecec && r.State != RoundState.Closed && r.State != RoundState.Published && r.Surveys.Any(s => s.Group == RespondentGroup.Guardian))
            .OrderByDescending(r => r.Year).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException("Koodeille ei ole avointa varhaiskasvatuksen kierrosta: käynnistä sovellus demoaineistolla (Demo:Enabled).");
        var units = await db.Units.Where(u => u.Sector == Sector.Ecec).Select(u => u.Id).ToListAsync(ct);
        var codes = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var random = new Random(2027_11);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        while (codes.Count < count)
        {
            var code = AccessCodes.GenerateDemo(random);
            var hash = keys.HashCode(code);
            if (!seen.Add(hash) || await db.AccessCodes.AnyAsync(c => c.Hash == hash, ct))
            {
                continue;
            }

            codes.Add(code);
            db.AccessCodes.Add(new AccessCode { RoundId = round.Id, UnitId = units[codes.Count % units.Count], Group = RespondentGroup.Guardian, Kind = AccessCodeKind.Personal, Hash = hash, MaxUses = 1 });
            if (codes.Count % 5000 == 0)
            {
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        return codes;
    }

    /// <summary>The benchmarks' survey: 100 agreement items over the eight quality areas of basic education.</summary>
    public static SurveyDefinition Survey()
    {
        static LocalizedText Fi(string text) => new(new Dictionary<string, string> { ["fi"] = text });
        var items = Enumerable.Range(0, Items)
            .Select(i => new SurveyItem { Id = ItemId(i), Type = ItemType.Agreement, Area = QualityAreas.Basic[i % QualityAreas.Basic.Count], Text = Fi($"Kysymys {i}") })
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

    public static string ItemId(int index) => $"q{index:000}";

    /// <summary>One agreement answer around a latent level: 2 % left empty, 4 % "cannot say", the rest leaning to agree.</summary>
    public static byte Agreement(Random random, double latent) => random.NextDouble() switch
    {
        < 0.02 => AnswerCodes.NotAnswered,
        < 0.06 => AnswerCodes.CantSay,
        _ => (byte)Math.Clamp(Math.Round(3.7 + latent), 1, 5),
    };

    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
