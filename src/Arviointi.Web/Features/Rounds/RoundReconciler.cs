using System.Linq.Expressions;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
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
internal sealed class RoundReconciler(AppDbContext db, SnapshotBuilder snapshots, PendingResponses pending, TimeProvider time, ILogger<RoundReconciler> logger) : IScheduledWork
{
    public const string Actor = "järjestelmä";

    public async Task RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();

        var toOpen = await db.Rounds.Where(r => r.State == RoundState.Scheduled && r.OpensAt <= now && r.ClosesAt > now)
            .Select(r => r.Id).ToListAsync(ct);
        foreach (var id in toOpen)
        {
            await MoveAsync(id, r => r.State == RoundState.Scheduled, RoundState.Open, now, "round.opened", $"Kierros {id} avattiin", ct);
        }

        var toClose = await db.Rounds.Where(r => (r.State == RoundState.Scheduled || r.State == RoundState.Open) && r.ClosesAt <= now)
            .Select(r => r.Id).ToListAsync(ct);
        foreach (var id in toClose)
        {
            await MoveAsync(id, r => r.State == RoundState.Scheduled || r.State == RoundState.Open, RoundState.Closed, now, "round.closed", $"Kierros {id} suljettiin", ct);
        }

        // Answers waiting to be stored go in as soon as there are enough of them to hide among each other.
        await pending.FlushIfDueAsync(ct);

        // Drafts live only while their round is open; once it ends, answers in progress are gone for good, from the log too.
        var drafts = await db.Drafts.Where(d => d.Round!.State != RoundState.Open).ExecuteDeleteAsync(ct);
        var submissions = await db.Submissions.Where(s => s.Round!.State != RoundState.Open).ExecuteDeleteAsync(ct);
        if (drafts > 0)
        {
            logger.LogInformation("{Count} keskeneräistä vastausta poistettiin päättyneiltä kierroksilta", drafts);
        }

        if (drafts + submissions > 0)
        {
            await db.Database.CheckpointAsync(logger, ct);
        }

        // Also repairs a run that stopped between closing a round and storing its snapshot. Oldest first: a round's
        // snapshot measures change against the sector's previous one.
        var withoutSnapshot = await db.Rounds
            .Where(r => (r.State == RoundState.Closed || r.State == RoundState.Published) && !db.ResultSnapshots.Any(s => s.RoundId == r.Id))
            .OrderBy(r => r.Year).ThenBy(r => r.Id)
            .Select(r => r.Id).ToListAsync(ct);
        foreach (var id in withoutSnapshot)
        {
            try
            {
                // The results count every answer received before the close, however few are still waiting.
                await pending.FlushAsync(ct);
                if (await db.PendingResponses.AnyAsync(p => p.RoundId == id, ct))
                {
                    // The flush had to wait for the log to empty; the results wait a minute rather than miss these answers.
                    continue;
                }

                if (await snapshots.StoreAsync(id, ct))
                {
                    logger.LogInformation("Kierroksen {RoundId} tulokset laskettiin", id);
                }
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

        await PublishAndForgetAsync(now, ct);
    }

    /// <summary>
    /// Publishes closed rounds whose results date has come (their snapshot exists by then), and deletes the raw
    /// answers of published rounds whose retention has ended, keeping the snapshot for pages, reports and trends.
    /// </summary>
    private async Task PublishAndForgetAsync(DateTimeOffset now, CancellationToken ct)
    {
        var toPublish = await db.Rounds
            .Where(r => r.State == RoundState.Closed && r.PublishAt <= now && db.ResultSnapshots.Any(s => s.RoundId == r.Id))
            .Select(r => r.Id).ToListAsync(ct);
        foreach (var id in toPublish)
        {
            await MoveAsync(id, r => r.State == RoundState.Closed, RoundState.Published, now, "round.published", $"Kierroksen {id} tulokset julkaistiin", ct);
        }

        var toForget = await db.Rounds.Where(r => r.State == RoundState.Published && r.DeleteRawDataAt <= now).Select(r => r.Id).ToListAsync(ct);
        if (toForget.Count > 0)
        {
            await pending.FlushAsync(ct);
        }

        foreach (var id in toForget)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var changed = await db.Rounds.Where(r => r.Id == id && r.State == RoundState.Published)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RoundState.RawDataDeleted), ct);
            if (changed == 0)
            {
                continue;
            }

            var texts = await db.OpenTextAnswers.Where(t => db.Responses.Any(r => r.Id == t.ResponseId && r.RoundId == id)).ExecuteDeleteAsync(ct);
            var responses = await db.Responses.Where(r => r.RoundId == id).ExecuteDeleteAsync(ct);
            var codes = await db.AccessCodes.Where(c => c.RoundId == id).ExecuteDeleteAsync(ct);
            await db.Drafts.Where(d => d.RoundId == id).ExecuteDeleteAsync(ct);
            // Each unit's daily counts: the snapshot keeps the published development (docs/privacy.md).
            await db.ResponseRateSnapshots.Where(s => s.RoundId == id).ExecuteDeleteAsync(ct);
            await db.PendingResponses.Where(p => p.RoundId == id).ExecuteDeleteAsync(ct);
            await db.Submissions.Where(s => s.RoundId == id).ExecuteDeleteAsync(ct);
            await AuditAsync(now, "round.raw-data-deleted", $"Kierroksen {id} raakadata poistettiin: {responses} vastausta, {texts} avointa vastausta, {codes} koodia; tulokset säilyvät", ct);
            await transaction.CommitAsync(ct);
        }

        if (toForget.Count > 0)
        {
            // Deleted means gone from the files as well: secure_delete zeroed the rows, the log is emptied and the file rebuilt.
            await db.Database.VacuumAsync(logger, ct);
        }
    }

    /// <summary>
    /// Moves the round to <paramref name="to"/> if it is still where <paramref name="from"/> says, and audits the move in
    /// the same transaction: another server never sees the new state, and acts on it, before its audit event.
    /// </summary>
    private async Task MoveAsync(int id, Expression<Func<EvaluationRound, bool>> from, RoundState to, DateTimeOffset now, string action, string details, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.Rounds.Where(r => r.Id == id).Where(from).ExecuteUpdateAsync(s => s.SetProperty(r => r.State, to), ct) == 1)
        {
            await AuditAsync(now, action, details, ct);
            await transaction.CommitAsync(ct);
        }
    }

    private async Task AuditAsync(DateTimeOffset now, string action, string details, CancellationToken ct)
    {
        db.AuditEvents.Add(new AuditEvent { At = now, Actor = Actor, Action = action, Details = details });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Details}", details);
    }
}
