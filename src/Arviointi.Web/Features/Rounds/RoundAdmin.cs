using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Rounds;

/// <summary>Codes to make for one unit and group: personal (one answer each) or group codes good for <paramref name="UsesPerCode"/> answers.</summary>
internal sealed record CodeOrder(int RoundId, int UnitId, RespondentGroup Group, int Count, AccessCodeKind Kind = AccessCodeKind.Personal, int UsesPerCode = 1, int? BatchId = null);

internal sealed record NewRound(int Year, Sector Sector, string FocusTheme, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, IReadOnlyList<int> SurveyVersionIds)
{
    /// <summary>The focus theme in Swedish; the Finnish one is shown where it is missing.</summary>
    public string? FocusThemeSv { get; init; }

    /// <summary>The focus theme in English; the Finnish one is shown where it is missing.</summary>
    public string? FocusThemeEn { get; init; }

    /// <summary>Results publication; by default <see cref="RoundOptions.PublishAfter"/> after closing.</summary>
    public DateTimeOffset? PublishAt { get; init; }

    /// <summary>Raw data deletion; by default <see cref="RoundOptions.RetentionMonths"/> after publication.</summary>
    public DateTimeOffset? DeleteRawDataAt { get; init; }
}

internal sealed class RoundOptions
{
    /// <summary>Time from closing to publication when a round does not set it (results reviewed in March–April).</summary>
    public TimeSpan PublishAfter { get; set; } = TimeSpan.FromDays(56);

    /// <summary>How long raw answers are kept after publication; the aggregates stay.</summary>
    public int RetentionMonths { get; set; } = 12;

    public DateTimeOffset PublishAt(NewRound round) => round.PublishAt ?? round.ClosesAt + PublishAfter;

    public DateTimeOffset DeleteRawDataAt(NewRound round) => round.DeleteRawDataAt ?? PublishAt(round).AddMonths(RetentionMonths);
}

/// <summary>The administrator's round operations: create a scheduled round and issue access codes.</summary>
internal sealed class RoundAdmin(AppDbContext db, SurveyCatalog catalog, AnsweringKeys keys, TimeProvider time, Microsoft.Extensions.Options.IOptions<RoundOptions> options)
{
    /// <summary>
    /// The coordinator's checks before a round is created: a second round of the same year and sector is refused, and an
    /// opening time already past is a warning the coordinator must confirm (the round would open at the next scheduler run).
    /// </summary>
    public async Task<(IReadOnlyList<UiMessage> Errors, UiMessage? Warning)> ReviewAsync(int year, Sector? sector, DateTimeOffset opensAt, CancellationToken ct = default)
    {
        sector ??= catalog.LoadLibrary().SectorOf(year);
        var existing = sector is null ? null : await db.Rounds.AsNoTracking().Where(r => r.Year == year && r.Sector == sector).OrderBy(r => r.Id).FirstOrDefaultAsync(ct);
        IReadOnlyList<UiMessage> errors = existing is null
            ? []
            : [new UiMessage("Vuodelle {0} on jo tämän sektorin kierros (avautuu {1}). Samalle vuodelle ja sektorille ei voi luoda toista kierrosta: muuta olemassa olevaa kierrosta tai valitse toinen vuosi.", year, Organisation.Region.LocalText(existing.OpensAt))];
        var warning = opensAt < time.GetUtcNow()
            ? new UiMessage("Avautumisaika {0} on jo mennyt: kierros avautuu heti, kun se on luotu. Vahvista, että näin on tarkoitus, tai muuta avautumisaikaa.", Organisation.Region.LocalText(opensAt))
            : null;
        return (errors, warning);
    }

    /// <summary>Creates a scheduled round, or returns the Finnish reasons it cannot be created.</summary>
    public async Task<(EvaluationRound? Round, IReadOnlyList<UiMessage> Errors)> CreateAsync(NewRound request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<UiMessage>();
        var versions = await db.SurveyVersions.Where(v => request.SurveyVersionIds.Contains(v.Id)).ToListAsync(ct);
        if (versions.Count == 0)
        {
            errors.Add(new UiMessage("Valitse vähintään yksi kysely."));
        }

        if (versions.Any(v => v.Sector != request.Sector))
        {
            errors.Add(new UiMessage("Kaikkien kyselyjen pitää kuulua kierroksen sektoriin."));
        }

        if (versions.GroupBy(v => v.Group).Any(g => g.Count() > 1))
        {
            errors.Add(new UiMessage("Kullekin vastaajaryhmälle voi valita vain yhden kyselyn."));
        }

        if (request.ClosesAt <= request.OpensAt)
        {
            errors.Add(new UiMessage("Sulkeutumisajan pitää olla avautumisajan jälkeen."));
        }

        if (request.ClosesAt <= time.GetUtcNow())
        {
            errors.Add(new UiMessage("Sulkeutumisaika on jo mennyt."));
        }

        var publishAt = options.Value.PublishAt(request);
        var deleteAt = options.Value.DeleteRawDataAt(request);
        if (publishAt < request.ClosesAt || deleteAt <= publishAt)
        {
            errors.Add(new UiMessage("Tulokset julkaistaan kierroksen päätyttyä, ja raakadata poistetaan julkaisun jälkeen."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var round = new EvaluationRound
        {
            Year = request.Year,
            Sector = request.Sector,
            FocusTheme = request.FocusTheme,
            FocusThemeSv = string.IsNullOrWhiteSpace(request.FocusThemeSv) ? null : request.FocusThemeSv.Trim(),
            FocusThemeEn = string.IsNullOrWhiteSpace(request.FocusThemeEn) ? null : request.FocusThemeEn.Trim(),
            OpensAt = request.OpensAt.ToUniversalTime(),
            ClosesAt = request.ClosesAt.ToUniversalTime(),
            PublishAt = publishAt.ToUniversalTime(),
            DeleteRawDataAt = deleteAt.ToUniversalTime(),
            State = RoundState.Scheduled,
        };
        round.Surveys.AddRange(versions.Select(v => new RoundSurvey { SurveyVersionId = v.Id, Group = v.Group }));
        db.Rounds.Add(round);
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = actor, Action = "round.created", Details = $"Kierros {request.Year} {request.Sector} luotiin" });
        await db.SaveChangesAsync(ct);
        return (round, []);
    }

    /// <summary>
    /// Creates a year's round as <c>surveys/cycle.yaml</c> plans it: the year's sector, every core survey of the
    /// sector with the year's focus module, and the year's theme. The surveys are imported as they are now.
    /// </summary>
    /// <param name="publishAt">When results are published; <see cref="RoundOptions.PublishAfter"/> after closing when null.</param>
    /// <param name="retentionMonths">Months from publication to deleting raw answers; <see cref="RoundOptions.RetentionMonths"/> when null.</param>
    public async Task<(EvaluationRound? Round, IReadOnlyList<UiMessage> Errors)> CreateFromCycleAsync(
        int year, DateTimeOffset opensAt, DateTimeOffset closesAt, string actor, DateTimeOffset? publishAt = null, int? retentionMonths = null, CancellationToken ct = default)
    {
        if (retentionMonths is < 1 or > 120)
        {
            return (null, [new UiMessage("Raakadatan säilytysajan pitää olla 1–120 kuukautta.")]);
        }

        var library = catalog.LoadLibrary();
        if (library.SectorOf(year) is not { } sector)
        {
            return (null, [new UiMessage("Vuodelle {0} ei ole sektoria vuosikellossa (surveys/cycle.yaml).", year)]);
        }

        var resolved = library.ResolveYear(year);
        // Survey file errors stay in Finnish with their file and line, as the validator prints them.
        var problems = resolved.SelectMany(r => r.Errors).Select(e => e.ToString()).Distinct().Select(e => new UiMessage(e)).ToList();
        if (problems.Count > 0 || resolved.Count == 0)
        {
            return (null, problems.Count > 0 ? problems : [new UiMessage("Sektorille ei ole kyselyitä kansiossa {0}.", catalog.Folder)]);
        }

        var versions = new List<int>();
        foreach (var definition in resolved.Select(r => r.Definition!))
        {
            versions.Add((await catalog.ImportAsync(db, definition, definition.FocusModule is null ? definition.Id : $"{definition.Id}+{definition.FocusModule}", ct)).Id);
        }

        var cycleYear = library.Cycle.FirstOrDefault(y => y.Year == year);
        var theme = cycleYear?.Theme?.Get(SurveyDefinition.RequiredLanguage) ?? cycleYear?.FocusModule ?? "";
        var request = new NewRound(year, sector, theme, opensAt, closesAt, versions)
        {
            PublishAt = publishAt,
            FocusThemeSv = cycleYear?.Theme?.Values.GetValueOrDefault("sv"),
            FocusThemeEn = cycleYear?.Theme?.Values.GetValueOrDefault("en"),
        };
        if (retentionMonths is { } months)
        {
            request = request with { DeleteRawDataAt = options.Value.PublishAt(request).AddMonths(months) };
        }

        return await CreateAsync(request, actor, ct);
    }

    /// <summary>
    /// Gives rounds made before themes were kept in every language their Swedish and English theme from the cycle, where
    /// the Finnish one is the cycle's for that year. Safe to run at every start.
    /// </summary>
    public async Task TranslateCycleThemesAsync(CancellationToken ct = default)
    {
        var themes = catalog.LoadLibrary().Cycle.Where(y => y.Theme is not null).ToDictionary(y => y.Year, y => y.Theme!);
        var untranslated = await db.Rounds.Where(r => r.FocusThemeSv == null && r.FocusThemeEn == null).ToListAsync(ct);
        foreach (var round in untranslated.Where(r => themes.TryGetValue(r.Year, out var theme) && theme.Get("fi") == r.FocusTheme))
        {
            round.SetTheme(themes[round.Year]);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>Moves an open round's close time later; the only step back a round may take, and it is audited.</summary>
    public async Task<string?> ExtendCloseAsync(int roundId, DateTimeOffset closesAt, string actor, CancellationToken ct = default)
    {
        var round = await db.Rounds.FirstOrDefaultAsync(r => r.Id == roundId, ct);
        var now = time.GetUtcNow();
        if (round is null || round.State != RoundState.Open)
        {
            return "Vain avoimen kierroksen sulkeutumista voi siirtää.";
        }

        if (closesAt <= round.ClosesAt || closesAt <= now || closesAt >= round.PublishAt)
        {
            return "Uuden sulkeutumisajan pitää olla nykyistä myöhemmin ja ennen tulosten julkaisua.";
        }

        var previous = round.ClosesAt;
        round.ClosesAt = closesAt.ToUniversalTime();
        db.AuditEvents.Add(new AuditEvent { At = now, Actor = actor, Action = "round.extended", Details = $"Kierroksen {roundId} sulkeutuminen siirrettiin: {previous:O} → {round.ClosesAt:O}" });
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Issues personal codes for one unit and group. The plain codes exist only in the returned list.</summary>
    public Task<IReadOnlyList<string>> IssueCodesAsync(int roundId, int unitId, RespondentGroup group, int count, string actor, CancellationToken ct = default) =>
        IssueCodesAsync(new CodeOrder(roundId, unitId, group, count), actor, ct);

    /// <summary>Issues codes as ordered. The plain codes exist only in the returned list.</summary>
    public async Task<IReadOnlyList<string>> IssueCodesAsync(CodeOrder order, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        var (roundId, unitId, group, count, kind, usesPerCode, batchId) = order;
        var round = await db.Rounds.Include(r => r.Surveys).FirstAsync(r => r.Id == roundId, ct);
        if (round.Surveys.All(s => s.Group != group))
        {
            throw new InvalidOperationException($"Round {roundId} has no survey for {group}.");
        }

        var opens = Organisation.Region.Day(round.OpensAt);
        if (await db.Units.AnyAsync(u => u.Id == unitId && u.ClosedOn != null && u.ClosedOn <= opens, ct))
        {
            throw new InvalidOperationException($"Unit {unitId} is closed before round {roundId} opens and gets no codes.");
        }

        var codes = Enumerable.Range(0, count).Select(_ => AccessCodes.Generate()).ToList();
        db.AccessCodes.AddRange(codes.Select(c => new AccessCode
        {
            RoundId = roundId,
            UnitId = unitId,
            Group = group,
            Kind = kind,
            Hash = keys.HashCode(c),
            MaxUses = kind == AccessCodeKind.Personal ? 1 : usesPerCode,
            BatchId = batchId,
        }));
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = actor, Action = "codes.issued", Details = $"{count} koodia ({kind}), kierros {roundId}, yksikkö {unitId}, {group}" });
        await db.SaveChangesAsync(ct);
        return codes.Select(AccessCodes.Display).ToList();
    }
}
