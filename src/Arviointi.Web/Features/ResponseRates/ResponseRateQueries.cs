using System.Globalization;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.ResponseRates;

/// <summary>Responses against enrolment for one region, municipality or unit and respondent group, with its daily series.</summary>
internal sealed record RateRow(string Name, RespondentGroup Group, int Responses, int? Enrolment, IReadOnlyList<DayCount> Series, bool IsUnit)
{
    /// <summary>No count under this is shown (DOMAIN.md), nor a rate derived from it.</summary>
    public const int Minimum = 5;

    public bool ResponsesHidden => Responses < Minimum;

    public bool EnrolmentHidden => Enrolment < Minimum;

    public double? Rate => ResponsesHidden || EnrolmentHidden || Enrolment is not > 0 ? null : Responses / (double)Enrolment.Value;

    /// <summary>Under half answered, also when the count is hidden but even four answers would stay under half.</summary>
    public bool UnderHalf => Below(0.5);

    /// <summary>Under the given rate, also when the count is hidden but even four answers would stay under it.</summary>
    public bool Below(double threshold) =>
        Enrolment is { } e && !EnrolmentHidden && (ResponsesHidden ? (Minimum - 1) / (double)e < threshold : Responses / (double)e < threshold);

    public static string Show(int count) => count < Minimum ? $"< {Minimum}" : count.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>The days whose count may be shown, as (day, share of the row's scale) for the sparkline.</summary>
    public IReadOnlyList<(DayCount Day, double Value)> Plotted()
    {
        var visible = Series.Where(d => d.Responses >= Minimum).ToList();
        double scale = Enrolment is { } e && !EnrolmentHidden ? Math.Max(e, visible.Select(d => d.Responses).DefaultIfEmpty(1).Max()) : visible.Select(d => d.Responses).DefaultIfEmpty(1).Max();
        return visible.Select(d => (d, d.Responses / scale)).ToList();
    }
}

internal sealed record DayCount(DateOnly Date, int Responses);

internal sealed record RateTable(string Caption, string? CaptionArgument, IReadOnlyList<RateRow> Rows);

/// <summary>Builds the response-rate tables of a round for the units a user may see; the page decides which units those are.</summary>
internal sealed class ResponseRateQueries(AppDbContext db)
{
    public static RespondentGroup[] GroupsOf(Sector sector) =>
        sector == Sector.Ecec ? [RespondentGroup.Staff, RespondentGroup.Guardian, RespondentGroup.Child] : [RespondentGroup.Staff, RespondentGroup.Guardian, RespondentGroup.Pupil];

    /// <summary>Rounds that have or had answers, newest first.</summary>
    public Task<List<EvaluationRound>> RoundsAsync(CancellationToken ct) =>
        db.Rounds.AsNoTracking().Where(r => r.State != RoundState.Draft && r.State != RoundState.Scheduled)
            .OrderByDescending(r => r.OpensAt).ThenByDescending(r => r.Id).ToListAsync(ct);

    /// <summary>Figures per unit and group of the given units: current responses, enrolment and the daily series.</summary>
    public async Task<Figures> FiguresAsync(EvaluationRound round, IReadOnlyCollection<int> unitIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(round);
        var ids = unitIds.ToList();
        var enrolment = await db.Enrolments.AsNoTracking().Where(e => e.RoundId == round.Id && ids.Contains(e.UnitId))
            .ToDictionaryAsync(e => (e.UnitId, e.Group), e => e.Count, ct);
        var snapshots = await db.ResponseRateSnapshots.AsNoTracking().Where(s => s.RoundId == round.Id && ids.Contains(s.UnitId))
            .OrderBy(s => s.Date).ToListAsync(ct);
        var series = snapshots.GroupBy(s => (s.UnitId, s.Group))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<DayCount>)g.Select(s => new DayCount(s.Date, s.Responses)).ToList());

        Dictionary<(int, RespondentGroup), int> current;
        if (round.State == RoundState.RawDataDeleted)
        {
            // The answers are gone; the last recorded day is the final count.
            current = series.ToDictionary(s => s.Key, s => s.Value[^1].Responses);
        }
        else
        {
            current = (await db.Responses.Where(r => r.RoundId == round.Id && ids.Contains(r.UnitId))
                    .GroupBy(r => new { r.UnitId, r.Group }).Select(g => new { g.Key.UnitId, g.Key.Group, Count = g.Count() }).ToListAsync(ct))
                .ToDictionary(c => (c.UnitId, c.Group), c => c.Count);
        }

        return new Figures(current, enrolment, series);
    }

    internal sealed record Figures(
        IReadOnlyDictionary<(int UnitId, RespondentGroup Group), int> Responses,
        IReadOnlyDictionary<(int UnitId, RespondentGroup Group), int> Enrolment,
        IReadOnlyDictionary<(int UnitId, RespondentGroup Group), IReadOnlyList<DayCount>> Series)
    {
        /// <summary>One row per group for the sum of the given units (a unit alone, a municipality, the region).</summary>
        public IEnumerable<RateRow> Rows(string name, IReadOnlyCollection<Unit> units, IEnumerable<RespondentGroup> groups, bool isUnit) =>
            groups.Select(group =>
            {
                var keys = units.Select(u => (u.Id, group)).ToList();
                var enrolled = keys.Where(Enrolment.ContainsKey).Select(k => Enrolment[k]).ToList();
                var days = keys.Where(Series.ContainsKey).SelectMany(k => Series[k])
                    .GroupBy(d => d.Date).OrderBy(g => g.Key).Select(g => new DayCount(g.Key, g.Sum(d => d.Responses))).ToList();
                return new RateRow(name, group, keys.Sum(k => Responses.GetValueOrDefault(k)), enrolled.Count == 0 ? null : enrolled.Sum(), days, isUnit);
            });
    }
}
