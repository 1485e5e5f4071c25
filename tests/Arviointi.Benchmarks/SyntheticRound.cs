using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;

namespace Arviointi.Benchmarks;

/// <summary>
/// The round the benchmarks read: 60 000 pupils × 100 agreement items (spread over the eight quality areas) in 15 schools
/// of each of the ten municipalities, random answers on the whole scale including "cannot say".
/// </summary>
internal static class SyntheticRound
{
    public const int Respondents = 60_000;
    public const int Items = 100;
    public const int UnitsPerMunicipality = 15;

    /// <summary>15 basic-education schools in every municipality; the municipalities must exist.</summary>
    public static List<Unit> AddUnits(AppDbContext db)
    {
        var units = db.Municipalities.Select(m => m.Code).ToList().SelectMany(code => Enumerable.Range(0, UnitsPerMunicipality).Select(i =>
            new Unit { MunicipalityCode = code, Name = $"Koulu {i}", Sector = Sector.Basic, Kind = UnitKind.School })).ToList();
        db.Units.AddRange(units);
        db.SaveChanges();
        return units;
    }

    /// <summary>A basic-education round of the given state with the survey for pupils and every response, saved in batches.</summary>
    public static int AddRound(AppDbContext db, SurveyVersion version, IReadOnlyList<Unit> units, RoundState state)
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

        // Each school's pupils, so the snapshot also weights every share to enrolment as a real round does.
        db.Enrolments.AddRange(units.Select((u, i) => new Arviointi.Web.Features.ResponseRates.Enrolment { RoundId = round.Id, UnitId = u.Id, Group = RespondentGroup.Pupil, Count = 300 + (i * 37 % 500) }));
        db.SaveChanges();

        var random = new Random(1);
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
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
                RoundId = round.Id,
                SurveyVersionId = version.Id,
                UnitId = units[random.Next(units.Count)].Id,
                Group = RespondentGroup.Pupil,
                SubmittedOn = DateOnly.FromDateTime(now.AddDays(-100).UtcDateTime),
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
}
