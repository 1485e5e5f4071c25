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
    /// <summary>Creates a scheduled round, or returns the Finnish reasons it cannot be created.</summary>
    public async Task<(EvaluationRound? Round, IReadOnlyList<string> Errors)> CreateAsync(NewRound request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        var versions = await db.SurveyVersions.Where(v => request.SurveyVersionIds.Contains(v.Id)).ToListAsync(ct);
        if (versions.Count == 0)
        {
            errors.Add("Valitse vähintään yksi kysely.");
        }

        if (versions.Any(v => v.Sector != request.Sector))
        {
            errors.Add("Kaikkien kyselyjen pitää kuulua kierroksen sektoriin.");
        }

        if (versions.GroupBy(v => v.Group).Any(g => g.Count() > 1))
        {
            errors.Add("Kullekin vastaajaryhmälle voi valita vain yhden kyselyn.");
        }

        if (request.ClosesAt <= request.OpensAt)
        {
            errors.Add("Sulkeutumisajan pitää olla avautumisajan jälkeen.");
        }

        if (request.ClosesAt <= time.GetUtcNow())
        {
            errors.Add("Sulkeutumisaika on jo mennyt.");
        }

        var publishAt = options.Value.PublishAt(request);
        var deleteAt = options.Value.DeleteRawDataAt(request);
        if (publishAt < request.ClosesAt || deleteAt <= publishAt)
        {
            errors.Add("Tulokset julkaistaan kierroksen päätyttyä, ja raakadata poistetaan julkaisun jälkeen.");
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
    public async Task<(EvaluationRound? Round, IReadOnlyList<string> Errors)> CreateFromCycleAsync(
        int year, DateTimeOffset opensAt, DateTimeOffset closesAt, string actor, DateTimeOffset? publishAt = null, int? retentionMonths = null, CancellationToken ct = default)
    {
        if (retentionMonths is < 1 or > 120)
        {
            return (null, ["Raakadatan säilytysajan pitää olla 1–120 kuukautta."]);
        }

        var library = catalog.LoadLibrary();
        if (library.SectorOf(year) is not { } sector)
        {
            return (null, [$"Vuodelle {year} ei ole sektoria vuosikellossa (surveys/cycle.yaml)."]);
        }

        var resolved = library.ResolveYear(year);
        var problems = resolved.SelectMany(r => r.Errors).Select(e => e.ToString()).Distinct().ToList();
        if (problems.Count > 0 || resolved.Count == 0)
        {
            return (null, problems.Count > 0 ? problems : [$"Sektorille ei ole kyselyitä kansiossa {catalog.Folder}."]);
        }

        var versions = new List<int>();
        foreach (var definition in resolved.Select(r => r.Definition!))
        {
            versions.Add((await catalog.ImportAsync(db, definition, definition.FocusModule is null ? definition.Id : $"{definition.Id}+{definition.FocusModule}", ct)).Id);
        }

        var cycleYear = library.Cycle.FirstOrDefault(y => y.Year == year);
        var theme = cycleYear?.Theme?.Get(SurveyDefinition.RequiredLanguage) ?? cycleYear?.FocusModule ?? "";
        var request = new NewRound(year, sector, theme, opensAt, closesAt, versions) { PublishAt = publishAt };
        if (retentionMonths is { } months)
        {
            request = request with { DeleteRawDataAt = options.Value.PublishAt(request).AddMonths(months) };
        }

        return await CreateAsync(request, actor, ct);
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
