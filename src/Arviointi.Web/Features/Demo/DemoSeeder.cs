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
    AnsweringKeys keys,
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
        // Years and dates from the day the demo is made: it stays whole (published round with its raw data, an open round) whenever it starts.
        var now = time.GetUtcNow();
        var years = DemoYears.For(now, catalog.LoadLibrary());
        var published = await RoundFromCycleAsync(years.Published, DemoYears.OpensAt(years.Published), DemoYears.ClosesAt(years.Published), DemoYears.PublishAt(years.Published), now.AddMonths(12), ct);
        var effects = await SeedClosedRoundAsync(published, units, random, null, ct);
        await SeedOpenRoundAsync(years.Open, units, report, ct);

        // An earlier basic-education round, the region a little lower and municipalities moved a little: the trends directors
        // compare with. Its retention has passed, so only its results remain once the scheduler has run.
        var closes = DemoYears.ClosesAt(years.Earlier);
        var earlier = await RoundFromCycleAsync(years.Earlier, DemoYears.OpensAt(years.Earlier), closes, closes.AddDays(56), closes.AddDays(56).AddMonths(12), ct);
        await SeedClosedRoundAsync(earlier, units, new Random(20240122), effects, ct);
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
            // .invalid never resolves: demo reminders wait in the outbox, or reach only a test SMTP server.
            var user = new AppUser { UserName = name, DisplayName = display, MunicipalityCode = municipality, UnitId = unit, Email = $"{name}@demo.invalid" };
            var created = await users.CreateAsync(user, DemoUsers.Password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
            }

            await users.AddToRoleAsync(user, role);
            report.AppendLine(CultureInfo.InvariantCulture, $"  {name,-24} {display}");
        }
    }

    /// <summary>The latent levels a demo round was drawn from, so an earlier round can be drawn around the same ones.</summary>
    private sealed record DemoEffects(Dictionary<string, double> Municipalities, Dictionary<string, double> Items);

    /// <summary>Answers to a basic-education round; with <paramref name="basis"/>, drawn around that round's levels.</summary>
    private async Task<DemoEffects> SeedClosedRoundAsync(EvaluationRound round, List<(Unit Unit, int Enrolment)> units, Random random, DemoEffects? basis, CancellationToken ct)
    {
        var municipalityEffect = basis is null
            ? units.Select(u => u.Unit.MunicipalityCode).Distinct().ToDictionary(c => c, _ => Normal(random) * 0.35)
            : basis.Municipalities.ToDictionary(m => m.Key, m => m.Value - 0.12 + (Normal(random) * 0.12));
        var allItems = new Dictionary<string, double>(StringComparer.Ordinal);
        var days = (int)(round.ClosesAt - round.OpensAt).TotalDays;
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        foreach (var roundSurvey in round.Surveys.OrderBy(s => s.Group))
        {
            var version = await db.SurveyVersions.SingleAsync(v => v.Id == roundSurvey.SurveyVersionId, ct);
            var layout = catalog.Layout(version);
            var openItems = catalog.Definition(version).Items.Where(i => i.Type == ItemType.Text).Select(i => i.Id).ToList();
            var itemEffect = catalog.Definition(version).Items.ToDictionary(i => i.Id, i => basis?.Items.TryGetValue(i.Id, out var e) == true ? e : Normal(random) * 0.3);
            foreach (var (id, effect) in itemEffect)
            {
                allItems.TryAdd(id, effect);
            }


            // DOMAIN.md: guardians answer at 30–50 %, staff and pupils during working or school hours at 70–85 %.
            var rate = municipalityEffect.Keys.ToDictionary(c => c, _ => roundSurvey.Group == RespondentGroup.Guardian ? 0.30 + (random.NextDouble() * 0.2) : 0.70 + (random.NextDouble() * 0.15));
            foreach (var (unit, pupils) in units.Where(u => u.Unit.Sector == Sector.Basic))
            {
                var population = roundSurvey.Group switch
                {
                    RespondentGroup.Staff => Math.Max(1, pupils / 10),
                    RespondentGroup.Pupil => pupils * 9 / 10,
                    _ => pupils,
                };
                db.Enrolments.Add(new ResponseRates.Enrolment { RoundId = round.Id, UnitId = unit.Id, Group = roundSurvey.Group, Count = population });
                var unitEffect = Normal(random) * 0.2;
                var count = unit.Name == "Kyläkoulu" && roundSurvey.Group == RespondentGroup.Guardian ? 3 : (int)Math.Round(population * rate[unit.MunicipalityCode]);
                for (var r = 0; r < count; r++)
                {
                    var level = municipalityEffect[unit.MunicipalityCode] + unitEffect + (Normal(random) * 0.7);
                    var response = new Response
                    {
                        Id = Guid.NewGuid(),
                        RoundId = round.Id,
                        SurveyVersionId = version.Id,
                        UnitId = unit.Id,
                        Group = roundSurvey.Group,
                        SubmittedOn = DateOnly.FromDateTime(round.OpensAt.UtcDateTime.AddDays(random.Next(days))),
                        Answers = SyntheticAnswers(layout, itemEffect, level, random),
                    };
                    response.OpenTexts.AddRange(OpenTexts(openItems, level));
                    db.Responses.Add(response);
                }

                if (db.ChangeTracker.Entries().Count() > 5000)
                {
                    await SaveAndClearAsync(ct);
                }
            }
        }

        await SaveAndClearAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        return new DemoEffects(municipalityEffect, allItems);
    }

    /// <summary>
    /// About one respondent in eight writes an open answer, warmer the higher their level; a few carry the kind of
    /// personal data the masking removes (made-up names, a phone number, an address). A random source of its own, so
    /// that the scale answers stay as they were drawn.
    /// </summary>
    private IEnumerable<OpenTextAnswer> OpenTexts(List<string> items, double level)
    {
        foreach (var item in items)
        {
            if (openRandom.NextDouble() < 0.12)
            {
                var pool = level > 0 ? WarmTexts : ColdTexts;
                yield return new OpenTextAnswer { Id = Guid.NewGuid(), ItemId = item, Text = pool[openRandom.Next(pool.Length)] };
            }
        }
    }

    private readonly Random openRandom = new(2027);

    private static readonly string[] WarmTexts =
    [
        "Kiitos hyvästä arjesta, lapsi lähtee aamuisin mielellään.",
        "Opettaja Mikko Virtanen on tehnyt upeaa työtä, Mikon tunneilla viihdytään.",
        "Tiedotus on ollut selkeää ja ajoissa.",
        "Ruoka on parantunut ja välitunneilla on tekemistä.",
        "Yhteistyö kodin kanssa toimii, kiitos Annalle ja koko tiimille.",
        "Olemme tyytyväisiä. Jos tarvitsette lisätietoja, soittakaa 040 123 4567.",
        "Kerhotoimintaa voisi olla enemmän, muuten kaikki hyvin.",
        "Hyvä ilmapiiri ja turvallinen olo.",
    ];

    private static readonly string[] ColdTexts =
    [
        "Kiusaamiseen pitäisi puuttua nopeammin.",
        "Tukea on vaikea saada, odotimme pitkään.",
        "Viestejä tulee liikaa eri kanavista, asioita on vaikea löytää.",
        "Koulumatka on vaarallinen, Koulukatu 5 kohdalla ei ole suojatietä.",
        "Toivoisin yhteydenottoa: maija.meikalainen@example.fi.",
        "Luokassa on levotonta eikä opettaja ehdi kaikkien luo.",
        "Sijaisia vaihtuu usein ja lapsi on ollut hämmentynyt.",
        "Henkilökuntaa on liian vähän.",
    ];

    /// <summary>One respondent's answers: background first, then items their conditions show, around a personal level.</summary>
    private static byte[] SyntheticAnswers(AnswerLayout layout, Dictionary<string, double> itemEffect, double level, Random random)
    {
        var bytes = new byte[layout.Length];
        foreach (var slot in layout.Slots)
        {
            var item = slot.Item;
            if (!AnswerForm.IsShown(item, layout, bytes))
            {
                continue;
            }

            var latent = level + itemEffect[item.Id] + (Normal(random) * 0.6);
            bytes[slot.Index] = item.Type switch
            {
                ItemType.SingleChoice => (byte)(item.Id.EndsWith("grade_band", StringComparison.Ordinal) ? Weighted(random, item.Options.Count) : random.Next(1, item.Options.Count + 1)),
                ItemType.MultipleChoice => (byte)(random.NextDouble() < 0.3 ? 1 : 0),
                ItemType.Smiley => (byte)Math.Clamp(Math.Round(2.5 + (latent * 0.6)), 1, 3),
                ItemType.Agreement => RegionGenerator.Agreement(random, latent),
                _ => AnswerCodes.NotAnswered,
            };
        }

        return bytes;
    }

    /// <summary>Grade bands: the later bands span more years, so more respondents fall in them.</summary>
    private static int Weighted(Random random, int options)
    {
        var weights = Enumerable.Range(1, options).Select(i => (double)i).ToArray();
        var pick = random.NextDouble() * weights.Sum();
        for (var i = 0; i < options; i++)
        {
            pick -= weights[i];
            if (pick <= 0)
            {
                return i + 1;
            }
        }

        return options;
    }

    private async Task SaveAndClearAsync(CancellationToken ct)
    {
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private async Task SeedOpenRoundAsync(int year, List<(Unit Unit, int Enrolment)> units, StringBuilder report, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var closes = now.AddDays(60);
        var round = await RoundFromCycleAsync(year, now.AddDays(-1), closes, closes.AddDays(56), closes.AddDays(56).AddMonths(12), ct);
        (round.FocusTheme, round.FocusThemeSv, round.FocusThemeEn) =
            ($"{round.Theme("fi")} (demo: avattu etuajassa kokeiltavaksi)", $"{round.Theme("sv")} (demo: öppnad i förväg för att prövas)", $"{round.Theme("en")} (demo: opened early to try out)");
        await db.SaveChangesAsync(ct);

        // Demo codes are reproducible so the README can list some; real codes come from the cryptographic generator.
        var guardianCodes = new Random(2027);
        var staffCodes = new Random(2028);
        var childCodes = new Random(2029);
        var printed = new List<string>();
        foreach (var (unit, children) in units.Where(u => u.Unit.Sector == Sector.Ecec))
        {
            for (var i = 0; i < 10; i++)
            {
                var code = AccessCodes.GenerateDemo(guardianCodes);
                if (printed.Count < 5)
                {
                    printed.Add($"{AccessCodes.Display(code)}  (huoltaja; {unit.Name}, {unit.MunicipalityCode})");
                }

                db.AccessCodes.Add(Code(round, unit, RespondentGroup.Guardian, AccessCodeKind.Personal, code, 1));
            }

            for (var i = 0; i < 3; i++)
            {
                var code = AccessCodes.GenerateDemo(staffCodes);
                if (printed.Count == 5)
                {
                    printed.Add($"{AccessCodes.Display(code)}  (henkilöstö; {unit.Name}, {unit.MunicipalityCode})");
                }

                db.AccessCodes.Add(Code(round, unit, RespondentGroup.Staff, AccessCodeKind.Personal, code, 1));
            }

            // Children answer with an adult, a child group at a time: one group code for the group's size.
            var group = AccessCodes.GenerateDemo(childCodes);
            var groupSize = Math.Clamp(children / 4, 5, 20);
            if (printed.Count == 6)
            {
                printed.Add($"{AccessCodes.Display(group)}  (lapset, ryhmäkoodi {groupSize} vastaukselle; {unit.Name}, {unit.MunicipalityCode})");
            }

            db.AccessCodes.Add(Code(round, unit, RespondentGroup.Child, AccessCodeKind.Group, group, groupSize));

            // Denominators for the response-rate monitor and reminders: one guardian per child, about one adult per six.
            db.Enrolments.AddRange(
                new ResponseRates.Enrolment { RoundId = round.Id, UnitId = unit.Id, Group = RespondentGroup.Guardian, Count = children },
                new ResponseRates.Enrolment { RoundId = round.Id, UnitId = unit.Id, Group = RespondentGroup.Staff, Count = Math.Max(5, children / 6) },
                new ResponseRates.Enrolment { RoundId = round.Id, UnitId = unit.Id, Group = RespondentGroup.Child, Count = groupSize });
        }

        await db.SaveChangesAsync(ct);
        report.AppendLine(CultureInfo.InvariantCulture, $"Avoin demokierros {round.Year} (varhaiskasvatus). Kokeile vastaamista osoitteessa /vastaa koodilla:");
        foreach (var line in printed)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  {line}");
        }
    }

    private AccessCode Code(EvaluationRound round, Unit unit, RespondentGroup group, AccessCodeKind kind, string code, int uses) =>
        new() { RoundId = round.Id, UnitId = unit.Id, Group = group, Kind = kind, Hash = keys.HashCode(code), MaxUses = uses };

    /// <summary>
    /// A demo round planned as <c>surveys/cycle.yaml</c> says: the year's surveys with its focus module and theme in every
    /// language the cycle gives (a year past the cycle's end takes those of <see cref="DemoYears.ContentYear"/>).
    /// </summary>
    private async Task<EvaluationRound> RoundFromCycleAsync(int year, DateTimeOffset opensAt, DateTimeOffset closesAt, DateTimeOffset publishAt, DateTimeOffset deleteAt, CancellationToken ct)
    {
        var library = catalog.LoadLibrary();
        var content = DemoYears.ContentYear(year, library);
        var round = new EvaluationRound
        {
            Year = year,
            Sector = library.SectorOf(year) ?? throw new InvalidOperationException($"The demo needs year {year} in surveys/cycle.yaml."),
            FocusTheme = "",
            OpensAt = opensAt,
            ClosesAt = closesAt,
            PublishAt = publishAt,
            DeleteRawDataAt = deleteAt,
            State = RoundState.Scheduled,
            IsDemo = true,
        };
        round.SetTheme(library.Cycle.FirstOrDefault(y => y.Year == content)?.Theme);
        foreach (var (definition, errors) in library.ResolveYear(content))
        {
            var resolved = definition ?? throw new InvalidOperationException($"The demo's surveys for {year} do not resolve: {string.Join("; ", errors)}");
            var version = await catalog.ImportAsync(db, resolved, resolved.FocusModule is null ? resolved.Id : $"{resolved.Id}+{resolved.FocusModule}", ct);
            round.Surveys.Add(new RoundSurvey { SurveyVersionId = version.Id, Group = resolved.Group });
        }

        db.Rounds.Add(round);
        await db.SaveChangesAsync(ct);
        return round;
    }

    private static double Normal(Random random) => RegionGenerator.Normal(random);
}
