using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Rounds;

/// <summary>
/// Brings every round's state in line with the clock: opens rounds whose time has come, closes rounds
/// whose time has passed and makes sure every closed round has its snapshot. Works only from database
/// state with conditional updates, so late, repeated or concurrent runs, or lost job storage, give the same result.
/// </summary>
internal sealed class RoundReconciler(AppDbContext db, SnapshotBuilder snapshots, TimeProvider time, ILogger<RoundReconciler> logger) : IScheduledWork
{
    public const string Actor = "järjestelmä";

    public async Task RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();

        var toOpen = await db.Rounds.Where(r => r.State == RoundState.Scheduled && r.OpensAt <= now && r.ClosesAt > now)
            .Select(r => r.Id).ToListAsync(ct);
        foreach (var id in toOpen)
        {
            var changed = await db.Rounds.Where(r => r.Id == id && r.State == RoundState.Scheduled)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RoundState.Open), ct);
            if (changed == 1)
            {
                await AuditAsync(now, "round.opened", $"Kierros {id} avattiin", ct);
            }
        }

        var toClose = await db.Rounds.Where(r => (r.State == RoundState.Scheduled || r.State == RoundState.Open) && r.ClosesAt <= now)
            .Select(r => r.Id).ToListAsync(ct);
        foreach (var id in toClose)
        {
            var changed = await db.Rounds.Where(r => r.Id == id && (r.State == RoundState.Scheduled || r.State == RoundState.Open))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RoundState.Closed), ct);
            if (changed == 1)
            {
                await AuditAsync(now, "round.closed", $"Kierros {id} suljettiin", ct);
            }
        }

        // Drafts live only while their round is open; once it ends, answers in progress are gone for good.
        var drafts = await db.Drafts.Where(d => d.Round!.State != RoundState.Open).ExecuteDeleteAsync(ct);
        if (drafts > 0)
        {
            logger.LogInformation("{Count} keskeneräistä vastausta poistettiin päättyneiltä kierroksilta", drafts);
        }

        // Also repairs a run that stopped between closing a round and storing its snapshot.
        var withoutSnapshot = await db.Rounds
            .Where(r => (r.State == RoundState.Closed || r.State == RoundState.Published) && !db.ResultSnapshots.Any(s => s.RoundId == r.Id))
            .Select(r => r.Id).ToListAsync(ct);
        foreach (var id in withoutSnapshot)
        {
            try
            {
                await snapshots.StoreAsync(id, ct);
                logger.LogInformation("Kierroksen {RoundId} tulokset laskettiin", id);
            }
            catch (DbUpdateException)
            {
                // Another instance may have stored the same snapshot first; anything else is a real failure.
                db.ChangeTracker.Clear();
                if (!await db.ResultSnapshots.AnyAsync(s => s.RoundId == id, ct))
                {
                    throw;
                }
            }
        }
    }

    private async Task AuditAsync(DateTimeOffset now, string action, string details, CancellationToken ct)
    {
        db.AuditEvents.Add(new AuditEvent { At = now, Actor = Actor, Action = action, Details = details });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Details}", details);
    }
}
