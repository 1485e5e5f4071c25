using System.Globalization;
using System.Text;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Demo;

internal sealed class DemoOptions
{
    /// <summary>Seed the synthetic demo region (units, users, rounds, answers) into an empty database.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>Demo user names and the one shared demo password; demo data only, printed on first start.</summary>
internal static class DemoUsers
{
    public const string Password = "Arviointi-Demo-2026";
    public const string Administrator = "koordinaattori";
    public const string Director = "sivistysjohtaja.lahti";
    public const string UnitLeader = "rehtori.lahti";
    public const string Analyst = "analyytikko";
}

/// <summary>
/// Seeds the synthetic Päijät-Häme demo: units at realistic scale, one user per role, a closed basic-education
/// round with answers in which municipalities really differ, and an open ECEC round with working codes.
/// Everything is drawn from fixed seeds, so every fresh start looks the same.
/// </summary>
internal sealed class DemoSeeder(
    AppDbContext db,
    UserManager<AppUser> users,
    RoleManager<IdentityRole> roles,
    SurveyCatalog catalog,
    TimeProvider time)
{
    private static readonly string[] CentreNames =
    [
        "Kielo", "Kanerva", "Mustikka", "Puolukka", "Vaahtera", "Koivu", "Pihlaja", "Tammi", "Kuusi", "Mänty", "Haapa", "Leppä",
        "Saarni", "Lehmus", "Kataja", "Orvokki", "Sinivuokko", "Leinikki", "Apila", "Kaisla", "Lumme", "Ruusu", "Satakieli",
        "Pääsky", "Tikka", "Kottarainen", "Harakka", "Orava", "Siili", "Jänis", "Kettu", "Karhu", "Ilves", "Majava", "Saukko",
        "Peippo", "Tiainen", "Käpy", "Sammal", "Kallio", "Niitty", "Lähde", "Ranta", "Harju", "Mäki", "Metsä", "Aalto", "Tähti",
        "Kuu", "Aurinko", "Revontuli", "Sateenkaari", "Pilvi",
    ];

    private static readonly string[] SchoolNames =
    [
        "Mäkelän", "Rinteen", "Kankaan", "Laakson", "Niemen", "Kylän", "Harjun", "Kirkonkylän", "Aseman", "Rannan", "Metsolan",
        "Myllyn", "Kummun", "Kallion", "Lehdon", "Koivulan", "Pihlajan", "Tammelan", "Kuuselan", "Männistön", "Haapalan",
        "Saarelan", "Jokelan", "Järvelän", "Hiekan", "Kiven", "Lähteen", "Ahon", "Salon", "Peltolan", "Niittylän", "Pajulan",
        "Kartanon", "Puiston", "Lammen", "Vuoren", "Ojalan", "Kedon",
    ];

    public async Task<string?> SeedAsync(CancellationToken ct = default)
    {
        if (await db.Units.AnyAsync(ct))
        {
            return null;
        }

        var random = new Random(20260122);
        var municipalities = await db.Municipalities.OrderByDescending(m => m.Population).ToListAsync(ct);
        var units = CreateUnits(municipalities, random);
        db.Units.AddRange(units.Select(u => u.Unit));
        await db.SaveChangesAsync(ct);

        var report = new StringBuilder();
        report.AppendLine("DEMO-AINEISTO (synteettinen, kiinteä siemen) — Arviointi käynnistyi ensimmäistä kertaa.");
        await SeedUsersAsync(units, report);
        await SeedClosedRoundAsync(units, random, ct);
        await SeedOpenRoundAsync(units, report, ct);
        return report.ToString();
    }

    private static List<(Unit Unit, int Enrolment)> CreateUnits(List<Municipality> municipalities, Random random)
    {
        var units = new List<(Unit, int)>();
        foreach (var m in municipalities)
        {
            // DOMAIN.md scale: 4.5 % of the population in ECEC (centres of 40–150), 10 % in basic education (schools of 50–700).
            var children = (int)(m.Population * 0.045);
            var familyCare = Math.Max(8, children / 12);
            var centres = Math.Max(1, (int)Math.Round((children - familyCare) / 105.0));
            foreach (var (size, i) in Split(children - familyCare, centres, 40, 150, random).Select((s, i) => (s, i)))
            {
                units.Add((new Unit { MunicipalityCode = m.Code, Name = $"Päiväkoti {Name(CentreNames, i)}", Sector = Sector.Ecec, Kind = UnitKind.DayCareCentre }, size));
            }

            units.Add((new Unit { MunicipalityCode = m.Code, Name = "Perhepäivähoito", Sector = Sector.Ecec, Kind = UnitKind.FamilyDayCare }, familyCare));

            var pupils = (int)(m.Population * 0.10);
            var schools = Math.Max(1, (int)Math.Round(pupils / 340.0));
            foreach (var (size, i) in Split(pupils, schools, 50, 700, random).Select((s, i) => (s, i)))
            {
                units.Add((new Unit { MunicipalityCode = m.Code, Name = $"{Name(SchoolNames, i)} koulu", Sector = Sector.Basic, Kind = UnitKind.School }, size));
            }

            if (m.Population < 4000)
            {
                // A small village school, so the demo shows a unit hidden for fewer than five answers.
                units.Add((new Unit { MunicipalityCode = m.Code, Name = "Kyläkoulu", Sector = Sector.Basic, Kind = UnitKind.School }, 9));
            }
        }

        return units;
    }

    private static string Name(string[] names, int index) =>
        index < names.Length ? names[index] : $"{names[index % names.Length]} {(index / names.Length) + 1}";

    private static List<int> Split(int total, int parts, int min, int max, Random random)
    {
        var weights = Enumerable.Range(0, parts).Select(_ => 0.5 + random.NextDouble()).ToList();
        var sum = weights.Sum();
        return weights.Select(w => Math.Clamp((int)Math.Round(total * w / sum), Math.Min(min, total), max)).ToList();
    }

    private async Task SeedUsersAsync(List<(Unit Unit, int Enrolment)> units, StringBuilder report)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        var school = units.First(u => u.Unit.MunicipalityCode == "398" && u.Unit.Sector == Sector.Basic).Unit;
        (string Name, string Display, string Role, string? Municipality, int? Unit)[] demo =
        [
            (DemoUsers.Administrator, "Alueen koordinaattori (demo)", Roles.Administrator, null, null),
            (DemoUsers.Director, "Lahden sivistysjohtaja (demo)", Roles.Director, "398", null),
            (DemoUsers.UnitLeader, $"Rehtori, {school.Name} (demo)", Roles.UnitLeader, "398", school.Id),
            (DemoUsers.Analyst, "Analyytikko (demo)", Roles.Analyst, null, null),
        ];
        report.AppendLine(CultureInfo.InvariantCulture, $"Demokäyttäjät (salasana kaikilla: {DemoUsers.Password}):");
        foreach (var (name, display, role, municipality, unit) in demo)
        {
            var user = new AppUser { UserName = name, DisplayName = display, MunicipalityCode = municipality, UnitId = unit };
            var created = await users.CreateAsync(user, DemoUsers.Password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
            }

            await users.AddToRoleAsync(user, role);
            report.AppendLine(CultureInfo.InvariantCulture, $"  {name,-24} {display}");
        }
    }

    private async Task SeedClosedRoundAsync(List<(Unit Unit, int Enrolment)> units, Random random, CancellationToken ct)
    {
        var version = await SurveyAsync("basic-guardian", ct);
        var round = new EvaluationRound
        {
            Year = 2026,
            Sector = Sector.Basic,
            FocusTheme = "Turvallinen koulupäivä ja oppimisen tuki",
            OpensAt = new DateTimeOffset(2026, 1, 12, 6, 0, 0, TimeSpan.Zero),
            ClosesAt = new DateTimeOffset(2026, 2, 13, 14, 0, 0, TimeSpan.Zero),
            State = RoundState.Scheduled,
            IsDemo = true,
        };
        round.Surveys.Add(new RoundSurvey { SurveyVersionId = version.Id, Group = RespondentGroup.Guardian });
        db.Rounds.Add(round);
        await db.SaveChangesAsync(ct);

        var layout = catalog.Layout(version);
        var definition = catalog.Definition(version);
        var municipalityEffect = units.Select(u => u.Unit.MunicipalityCode).Distinct()
            .ToDictionary(c => c, _ => Normal(random) * 0.35);
        var itemEffect = definition.Items.ToDictionary(i => i.Id, _ => Normal(random) * 0.3);
        var responseRate = municipalityEffect.Keys.ToDictionary(c => c, _ => 0.30 + (random.NextDouble() * 0.2));
        var days = (int)(round.ClosesAt - round.OpensAt).TotalDays;

        foreach (var (unit, pupils) in units.Where(u => u.Unit.Sector == Sector.Basic))
        {
            var unitEffect = Normal(random) * 0.2;
            var answers = unit.Name == "Kyläkoulu" ? 3 : (int)Math.Round(pupils * responseRate[unit.MunicipalityCode]);
            for (var r = 0; r < answers; r++)
            {
                var person = Normal(random) * 0.7;
                var bytes = new byte[layout.Length];
                foreach (var slot in layout.Slots)
                {
                    bytes[slot.Index] = slot.Item.Type switch
                    {
                        ItemType.SingleChoice => (byte)random.Next(1, slot.Item.Options.Count + 1),
                        ItemType.Agreement => random.NextDouble() switch
                        {
                            < 0.02 => AnswerCodes.NotAnswered,
                            < 0.06 => AnswerCodes.CantSay,
                            _ => (byte)Math.Clamp(Math.Round(3.7 + municipalityEffect[unit.MunicipalityCode] + unitEffect + itemEffect[slot.Item.Id] + person + (Normal(random) * 0.6)), 1, 5),
                        },
                        _ => AnswerCodes.NotAnswered,
                    };
                }

                db.Responses.Add(new Response
                {
                    Id = Guid.NewGuid(),
                    RoundId = round.Id,
                    SurveyVersionId = version.Id,
                    UnitId = unit.Id,
                    Group = RespondentGroup.Guardian,
                    SubmittedOn = DateOnly.FromDateTime(round.OpensAt.UtcDateTime.AddDays(random.Next(days))),
                    Answers = bytes,
                    SubmissionHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray()),
                });
            }
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private async Task SeedOpenRoundAsync(List<(Unit Unit, int Enrolment)> units, StringBuilder report, CancellationToken ct)
    {
        var version = await SurveyAsync("ecec-guardian", ct);
        var now = time.GetUtcNow();
        var round = new EvaluationRound
        {
            Year = 2027,
            Sector = Sector.Ecec,
            FocusTheme = "Lasten osallisuus (demo: avattu etuajassa kokeiltavaksi)",
            OpensAt = now.AddDays(-1),
            ClosesAt = now.AddDays(60),
            State = RoundState.Scheduled,
            IsDemo = true,
        };
        round.Surveys.Add(new RoundSurvey { SurveyVersionId = version.Id, Group = RespondentGroup.Guardian });
        db.Rounds.Add(round);
        await db.SaveChangesAsync(ct);

        // Demo codes are reproducible so the README can list some; real codes come from the cryptographic generator.
        var random = new Random(2027);
        var printed = new List<string>();
        foreach (var (unit, _) in units.Where(u => u.Unit.Sector == Sector.Ecec))
        {
            for (var i = 0; i < 10; i++)
            {
                var code = AccessCodes.GenerateDemo(random);
                if (printed.Count < 5)
                {
                    printed.Add($"{AccessCodes.Display(code)}  ({unit.Name}, {unit.MunicipalityCode})");
                }

                db.AccessCodes.Add(new AccessCode { RoundId = round.Id, UnitId = unit.Id, Group = RespondentGroup.Guardian, Kind = AccessCodeKind.Personal, Hash = AccessCodes.Hash(code), MaxUses = 1 });
            }
        }

        await db.SaveChangesAsync(ct);
        report.AppendLine(CultureInfo.InvariantCulture, $"Avoin demokierros {round.Year} (varhaiskasvatus, huoltajat). Kokeile vastaamista osoitteessa /vastaa koodilla:");
        foreach (var line in printed)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  {line}");
        }
    }

    private async Task<SurveyVersion> SurveyAsync(string surveyId, CancellationToken ct) =>
        await db.SurveyVersions.Where(v => v.SurveyId == surveyId).OrderByDescending(v => v.Revision).FirstOrDefaultAsync(ct)
        ?? throw new InvalidOperationException($"The demo needs the survey '{surveyId}' from the surveys folder.");

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
