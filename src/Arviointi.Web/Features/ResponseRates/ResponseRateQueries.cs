using System.Globalization;
using Arviointi.Audit;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Results.Publication;
using Arviointi.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.ResponseRates;

/// <summary>
/// One row of response rates as published: respondents (null when hidden) against enrolment, the daily development
/// where the publication model shows one, and whether the row is marked as under half.
/// </summary>
internal sealed record RateRow(string Name, RespondentGroup Group, int? Responses, int? Enrolment, IReadOnlyList<RateDay> Series, bool IsUnit, bool UnderHalf)
{
    /// <summary>No count under this is shown (DOMAIN.md), nor a rate derived from it.</summary>
    public const int Minimum = 5;

    public bool ResponsesHidden => Responses is null;

    public bool EnrolmentHidden => Enrolment < Minimum;

    public double? Rate => Responses is { } r && Enrolment is { } e && !EnrolmentHidden && e > 0 ? r / (double)e : null;

    /// <summary>Under the given rate, as far as the published figures tell: a shown count against its enrolment, or the published mark of a hidden one.</summary>
    public bool Below(double threshold) => Rate is { } rate ? rate < threshold : ResponsesHidden && UnderHalf && threshold >= 0.5;

    public static RateRow Of(RateCell cell, RespondentGroup group, IReadOnlyList<RateDay>? series) =>
        new(cell.Name, group, cell.Respondents, cell.Enrolment, series ?? [], cell.IsUnit, cell.UnderHalf);

    /// <summary>A count as shown: an enrolment under five as "&lt; 5" (it is not an answer count), a hidden count as null.</summary>
    public static string ShowEnrolment(int count) => count < Minimum ? $"< {Minimum}" : count.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>The days whose count is shown, as (day, share of the row's scale) for the sparkline.</summary>
    public IReadOnlyList<(RateDay Day, double Value)> Plotted()
    {
        double scale = Enrolment is { } e && !EnrolmentHidden ? Math.Max(e, Series.Select(d => d.Respondents).DefaultIfEmpty(1).Max()) : Series.Select(d => d.Respondents).DefaultIfEmpty(1).Max();
        return Series.Select(d => (d, d.Respondents / scale)).ToList();
    }
}

internal sealed record RateTable(string Caption, string? CaptionArgument, IReadOnlyList<RateRow> Rows);

/// <summary>
/// A round's response rates as the publication model shows them (docs/privacy.md): once the round has closed, the rates
/// stored with its results snapshot, decided together with every other figure; while it is open, decided now from the
/// live counts by the same rules and audited, since nothing else of the round is published yet.
/// </summary>
internal sealed class ResponseRateQueries(AppDbContext db, SnapshotBuilder snapshots)
{
    public static RespondentGroup[] GroupsOf(Sector sector) =>
        sector == Sector.Ecec ? [RespondentGroup.Staff, RespondentGroup.Guardian, RespondentGroup.Child] : [RespondentGroup.Staff, RespondentGroup.Guardian, RespondentGroup.Pupil];

    /// <summary>Rounds that have or had answers, newest first.</summary>
    public Task<List<EvaluationRound>> RoundsAsync(CancellationToken ct) =>
        db.Rounds.AsNoTracking().Where(r => r.State != RoundState.Draft && r.State != RoundState.Scheduled)
            .OrderByDescending(r => r.OpensAt).ThenByDescending(r => r.Id).ToListAsync(ct);

    /// <summary>The round's published response rates per respondent group.</summary>
    public async Task<IReadOnlyDictionary<RespondentGroup, RateResults>> PublishedAsync(EvaluationRound round, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(round);
        if (round.State is RoundState.Closed or RoundState.Published or RoundState.RawDataDeleted && await snapshots.LoadAsync(round.Id, ct) is { } results)
        {
            return results.Groups.Where(g => g.Rates is not null).ToDictionary(g => g.Group, g => g.Rates!);
        }

        var groups = await db.RoundSurveys.AsNoTracking().Where(s => s.RoundId == round.Id).Select(s => s.Group).Distinct().ToListAsync(ct);
        var units = await db.Units.AsNoTracking().Include(u => u.Municipality).Where(u => u.Sector == round.Sector).ToDictionaryAsync(u => u.Id, ct);
        var enrolment = await db.Enrolments.AsNoTracking().Where(e => e.RoundId == round.Id).Select(e => new { e.UnitId, e.Group, e.Count }).ToListAsync(ct);
        var responses = await Answering.PendingResponses.CountsAsync(db, round.Id, ct);
        var daily = await db.ResponseRateSnapshots.AsNoTracking().Where(s => s.RoundId == round.Id)
            .Select(s => new { s.UnitId, s.Group, s.Date, s.Responses }).ToListAsync(ct);

        var published = new Dictionary<RespondentGroup, RateResults>();
        foreach (var group in GroupsOf(round.Sector).Where(groups.Contains))
        {
            var counts = responses.Where(r => r.Group == group && units.ContainsKey(r.UnitId)).ToDictionary(r => r.UnitId, r => r.Count);
            var enrolled = enrolment.Where(e => e.Group == group && units.ContainsKey(e.UnitId)).ToDictionary(e => e.UnitId, e => e.Count);
            var rateUnits = counts.Keys.Union(enrolled.Keys).Select(id => units[id]).OrderBy(u => u.MunicipalityCode, StringComparer.Ordinal).ThenBy(u => u.Id)
                .Select(u => new RateUnit(u, counts.GetValueOrDefault(u.Id), enrolled.TryGetValue(u.Id, out var e) ? e : null)).ToList();
            published[group] = RatePublisher.Publish(group, rateUnits, [.. daily.Where(d => d.Group == group).Select(d => new DailyCount(d.UnitId, d.Date, d.Responses))]);
        }

        return published;
    }
}

/// <summary>A unit in the response rates: its respondents so far and its enrolment, if known.</summary>
internal sealed record RateUnit(Organisation.Unit Unit, int Respondents, int? Enrolment)
{
    public string Key => Unit.Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Response rates decided, composed and audited on their own, as while a round is open: the same rules and the same
/// composition as inside a results snapshot, and the same loop that hides one more cell of a line while the audit can
/// narrow a hidden count below five.
/// </summary>
internal static class RatePublisher
{
    public static RateResults Publish(RespondentGroup group, IReadOnlyList<RateUnit> units, IReadOnlyList<DailyCount> daily)
    {
        var cells = Cells(units);
        var forced = new HashSet<ForcedCell>();
        for (var attempt = 1; ; attempt++)
        {
            var hidden = PublicationRules.Line(cells, Family.Rate, null, forced, null);
            var rates = Compose(units, hidden, daily);
            var view = PublicationViews.Of(new RoundResults(0, default, [new GroupResults(group, "", 0, [], Rates: rates)]), Viewer.Everything);
            var sizes = cells.ToDictionary(c => c.Key, c => c.N, StringComparer.Ordinal);
            int SizeOf(CellRef cell) => cell.Level switch
            {
                Level.Region => cells.Sum(c => c.N),
                Level.Municipality => cells.Where(c => c.Municipality == cell.Key).Sum(c => c.N),
                _ => sizes[cell.Key],
            };
            var disclosed = Attack.Solve(Reader.Read(view), sensitive: t => SizeOf(t.Origin!.Cell) < Statistics.Disclosure.MinimumN).Disclosed;
            if (disclosed.Count == 0)
            {
                return rates;
            }

            var added = disclosed.Select(d => d.Target.Origin!).Distinct().Count(cell => Cover(cells, hidden, cell, forced));
            if (added == 0 || attempt >= 25)
            {
                throw new InvalidOperationException($"The response rates of {group} cannot be published safely: {disclosed[0].Target.Key} can be narrowed to {disclosed[0].Lower}–{disclosed[0].Upper}.");
            }
        }
    }

    public static List<LineCell> Cells(IEnumerable<RateUnit> units) =>
        [.. units.Select(u => new LineCell(u.Key, u.Unit.MunicipalityCode, u.Unit.Municipality!.NameFi, u.Unit.Name, u.Respondents))];

    /// <summary>Hides the smallest shown cell of a disclosed cell's line (its municipality's units, or the region's municipalities).</summary>
    public static bool Cover(IReadOnlyList<LineCell> cells, LineDecision hidden, HiddenCell disclosed, ISet<ForcedCell> forced)
    {
        ArgumentNullException.ThrowIfNull(disclosed);
        if (disclosed.Cell.Level == Level.Unit)
        {
            var municipality = cells.First(u => u.Key == disclosed.Cell.Key).Municipality;
            var partner = cells.Where(u => u.Municipality == municipality && !hidden.Units.Contains(u.Key)).MinBy(u => u.N);
            return forced.Add(new ForcedCell(Family.Rate, null, null, partner is null ? new CellRef(Level.Municipality, municipality) : new CellRef(Level.Unit, partner.Key)));
        }

        if (disclosed.Cell.Level == Level.Municipality)
        {
            var partner = cells.GroupBy(u => u.Municipality).Where(m => !hidden.Municipalities.Contains(m.Key)).MinBy(m => m.Sum(u => u.N));
            return forced.Add(new ForcedCell(Family.Rate, null, null, partner is null ? CellRef.Region : new CellRef(Level.Municipality, partner.Key)));
        }

        return false;
    }

    /// <summary>The published rows: region, each municipality with its real total, each unit; hidden counts are null.</summary>
    public static RateResults Compose(IReadOnlyList<RateUnit> units, LineDecision hidden, IReadOnlyList<DailyCount> daily)
    {
        static int? EnrolmentOf(IEnumerable<RateUnit> of)
        {
            var known = of.Where(u => u.Enrolment is not null).Select(u => u.Enrolment!.Value).ToList();
            return known.Count == 0 ? null : known.Sum();
        }

        var rows = new List<RateCell> { Row("region", Organisation.Region.NameFi, null, false, hidden.Region, units.Sum(u => u.Respondents), EnrolmentOf(units)) };
        var byMunicipality = units.GroupBy(u => u.Unit.MunicipalityCode, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        foreach (var municipality in byMunicipality)
        {
            rows.Add(Row(municipality.Key, municipality.First().Unit.Municipality!.NameFi, municipality.Key, false, hidden.Municipalities.Contains(municipality.Key), municipality.Sum(u => u.Respondents), EnrolmentOf(municipality)));
            rows.AddRange(municipality.Select(u => Row(u.Key, u.Unit.Name, u.Unit.MunicipalityCode, true, hidden.Units.Contains(u.Key), u.Respondents, u.Enrolment)));
        }

        // Daily development only where it cannot split hidden cells: the region, and municipalities when none is hidden.
        var byUnit = daily.GroupBy(d => d.UnitId).ToDictionary(g => g.Key, g => g.ToList());
        RateSeries SeriesOf(string key, IEnumerable<RateUnit> of) => new(key, [.. of.SelectMany(u => byUnit.GetValueOrDefault(u.Unit.Id) ?? [])
            .GroupBy(d => d.Date).OrderBy(g => g.Key).Select(g => new RateDay(g.Key, g.Sum(d => d.Responses))).Where(d => d.Respondents >= Statistics.Disclosure.MinimumN)]);
        var series = new List<RateSeries>();
        if (!hidden.Region)
        {
            series.Add(SeriesOf("region", units));
            if (hidden.Municipalities.Count == 0)
            {
                series.AddRange(byMunicipality.Select(m => SeriesOf(m.Key, m)));
            }
        }

        return new RateResults(rows, series);
    }

    private static RateCell Row(string key, string name, string? municipality, bool isUnit, bool isHidden, int respondents, int? enrolment)
    {
        // A hidden unit is marked under half only where the mark leaves its count at least five wide: a hidden count is
        // known to be at least 1 (empty cells are shown), and the mark bounds it by ⌈E/2⌉ − 1, so ⌈E/2⌉ − 2 ≥ 5.
        var underHalf = isUnit && enrolment is > 0 && respondents < enrolment.Value / 2.0 && (!isHidden || Math.Ceiling(enrolment.Value / 2.0) - 2 >= Statistics.Disclosure.MinimumN);
        return new RateCell(key, name, municipality, isUnit, isHidden, isHidden ? null : respondents, enrolment, underHalf);
    }
}
