using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Notifications;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Features.YearView;

/// <summary>The phases of the yearly cycle (DOMAIN.md), in the order they come.</summary>
internal enum Phase
{
    ChooseFocus,
    Prepare,
    Collect,
    Results,
    Discuss,
}

internal enum PhaseStatus
{
    Done,
    Now,
    Coming,
}

internal enum EventKind
{
    Opens,
    Reminder,
    Closes,
    Publishes,
    DeletesRawData,
}

/// <summary>A dated step of the year's round; <see cref="Number"/> numbers the reminders.</summary>
internal sealed record YearEvent(DateTimeOffset At, EventKind Kind, int Number = 0);

/// <summary>A phase with its Finnish calendar span in the evaluation year and where it stands today.</summary>
internal sealed record YearPhase(Phase Phase, DateOnly From, DateOnly To, PhaseStatus Status);

/// <summary>
/// An evaluation year: the phases from choosing the focus in the September before to discussing the results after April,
/// the year's plan in <c>surveys/cycle.yaml</c>, its round with the dates that drive the jobs, and what is due next.
/// </summary>
internal sealed record YearPlan(
    int Year,
    DateTimeOffset Now,
    CycleYear? Cycle,
    EvaluationRound? Round,
    int UnitsInSector,
    int UnitsWithEnrolment,
    int CodeBatches,
    int CodeBatchesDownloaded,
    IReadOnlyList<YearPhase> Phases,
    IReadOnlyList<YearEvent> Events)
{
    /// <summary>The next dated step, or null when the round is not created yet or everything is done.</summary>
    public YearEvent? Next => Events.FirstOrDefault(e => e.At > Now);

    /// <summary>The evaluation year a date belongs to: from September on, the coming year's round is being prepared.</summary>
    public static int EvaluationYearOf(DateOnly day) => day.Month >= 9 ? day.Year + 1 : day.Year;
}

internal sealed class YearPlans(AppDbContext db, SurveyCatalog catalog, TimeProvider time, IOptions<ReminderOptions> reminders)
{
    public async Task<YearPlan> ForAsync(int? year, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = Region.Day(now);
        var y = year ?? YearPlan.EvaluationYearOf(today);
        var cycle = catalog.LoadLibrary().Cycle.FirstOrDefault(c => c.Year == y);

        // Real rounds before demo ones, the latest created first.
        var round = await db.Rounds.AsNoTracking().Where(r => r.Year == y && r.State != RoundState.Draft)
            .OrderBy(r => r.IsDemo).ThenByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        var sector = round?.Sector ?? cycle?.Sector;
        // Units working when the round opens (or on 1 January when it is not created yet): closed ones take no part.
        var opens = round is null ? new DateOnly(y, 1, 1) : Region.Day(round.OpensAt);
        var units = sector is { } s ? await db.Units.CountAsync(u => u.Sector == s && (u.ClosedOn == null || u.ClosedOn > opens), ct) : 0;
        var enrolled = round is null ? 0 : await db.Enrolments.Where(e => e.RoundId == round.Id).Select(e => e.UnitId).Distinct().CountAsync(ct);
        var batches = round is null ? 0 : await db.CodeBatches.CountAsync(b => b.RoundId == round.Id && b.VoidedAt == null, ct);
        var downloaded = round is null ? 0 : await db.CodeBatches.CountAsync(b => b.RoundId == round.Id && b.VoidedAt == null && b.DownloadedAt != null, ct);

        var events = new List<YearEvent>();
        if (round is not null)
        {
            events.Add(new(round.OpensAt, EventKind.Opens));
            events.AddRange(NotificationPlanner.Points(round, reminders.Value).Select(p => new YearEvent(p.At, EventKind.Reminder, p.Number)));
            events.Add(new(round.ClosesAt, EventKind.Closes));
            events.Add(new(round.PublishAt, EventKind.Publishes));
            events.Add(new(round.DeleteRawDataAt, EventKind.DeletesRawData));
        }

        return new YearPlan(y, now, cycle, round, units, enrolled, batches, downloaded, Phases(y, today, round), [.. events.OrderBy(e => e.At)]);
    }

    private static List<YearPhase> Phases(int year, DateOnly today, EvaluationRound? round)
    {
        // The discussion phase lasts until the raw data is deleted, or a year after the results by default.
        var discussEnd = round is null ? new DateOnly(year + 1, 4, 30) : Region.Day(round.DeleteRawDataAt);
        (Phase Phase, DateOnly From, DateOnly To)[] spans =
        [
            (Phase.ChooseFocus, new(year - 1, 9, 1), new(year - 1, 10, 31)),
            (Phase.Prepare, new(year - 1, 11, 1), new(year - 1, 12, 31)),
            (Phase.Collect, new(year, 1, 1), new DateOnly(year, 3, 1).AddDays(-1)),
            (Phase.Results, new(year, 3, 1), new(year, 4, 30)),
            (Phase.Discuss, new(year, 5, 1), discussEnd < new DateOnly(year, 5, 1) ? new(year, 5, 1) : discussEnd),
        ];
        return [.. spans.Select(s => new YearPhase(s.Phase, s.From, s.To, today > s.To ? PhaseStatus.Done : today >= s.From ? PhaseStatus.Now : PhaseStatus.Coming))];
    }
}
