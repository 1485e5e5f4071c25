using Arviointi.Web.Data;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.ResponseRates;

/// <summary>
/// Records each open round's responses per unit and group for today's Helsinki date, and a closed round's final count
/// for its closing day. One row per round, unit, group and day: rows are compared and upserted, so a second or
/// concurrent run changes nothing and a later run the same day only brings the count up to date.
/// </summary>
internal sealed class ResponseRateRecorder(AppDbContext db, TimeProvider time, ILogger<ResponseRateRecorder> logger) : IScheduledWork
{
    private const int Attempts = 3;

    public async Task RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var today = Day(now);

        // Closed rounds still have raw answers until retention ends; their closing-day row is the final count, stable once written.
        var rounds = await db.Rounds.AsNoTracking()
            .Where(r => r.State == RoundState.Open || r.State == RoundState.Closed || r.State == RoundState.Published)
            .Select(r => new { r.Id, r.State, r.ClosesAt })
            .ToListAsync(ct);
        foreach (var round in rounds)
        {
            var date = round.State == RoundState.Open ? today : Day(round.ClosesAt);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await RecordAsync(round.Id, date, ct);
                    break;
                }
                catch (DbUpdateException) when (attempt < Attempts)
                {
                    // Another run inserted the same day's row first; read again and compare.
                    db.ChangeTracker.Clear();
                }
            }
        }
    }

    public static DateOnly Day(DateTimeOffset instant) => Organisation.Region.Day(instant);

    private async Task RecordAsync(int roundId, DateOnly date, CancellationToken ct)
    {
        var counts = await Answering.PendingResponses.CountsAsync(db, roundId, ct);
        var wanted = counts.ToDictionary(c => (c.UnitId, c.Group), c => c.Count);

        // Units with enrolment figures but no answers yet get a zero, so their series starts on the first day.
        foreach (var e in await db.Enrolments.Where(e => e.RoundId == roundId).Select(e => new { e.UnitId, e.Group }).ToListAsync(ct))
        {
            wanted.TryAdd((e.UnitId, e.Group), 0);
        }

        var existing = await db.ResponseRateSnapshots.AsNoTracking().Where(s => s.RoundId == roundId && s.Date == date)
            .ToDictionaryAsync(s => (s.UnitId, s.Group), ct);
        var inserted = 0;
        foreach (var ((unitId, group), responses) in wanted)
        {
            if (existing.TryGetValue((unitId, group), out var row))
            {
                if (row.Responses != responses)
                {
                    await db.ResponseRateSnapshots.Where(s => s.Id == row.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.Responses, responses), ct);
                }
            }
            else
            {
                db.ResponseRateSnapshots.Add(new ResponseRateSnapshot { RoundId = roundId, UnitId = unitId, Group = group, Date = date, Responses = responses });
                inserted++;
            }
        }

        if (inserted > 0)
        {
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            logger.LogInformation("Kierroksen {RoundId} vastausmäärät {Date} tallennettiin: {Count} uutta riviä", roundId, date, inserted);
        }
    }
}
