using System.Diagnostics;
using System.Threading.Channels;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Answering;

/// <summary>What the writer did with a send.</summary>
internal enum SendResult
{
    Saved,
    AlreadySaved,
    CodeUsed,
    RoundClosed,
}

/// <summary>
/// Nothing was written (the database locked past its timeout, the disk full, the app stopping): the respondent keeps
/// what they have and tries again.
/// </summary>
internal sealed class StorageUnavailableException(Exception inner) : Exception("Answers could not be stored just now.", inner)
{
    /// <summary>What the respondent reads, in every language of the resources.</summary>
    public const string RespondentText = "Tallennus ei juuri nyt onnistunut. Mitään vastaamaasi ei menetetty: yritä hetken kuluttua uudelleen.";
}

/// <summary>
/// The one writer of respondents' answers in this process (group commit). Every draft save and every send waits
/// here and is written together with whatever else arrived meanwhile, in one transaction: many respondents share one
/// lock and one sync of the log instead of each queuing on SQLite's write lock and sleeping in its busy retry. A
/// request is answered only after its transaction is committed, so an acknowledged answer is as durable as before.
/// One batch's writes also sit in the log together, interleaved: a send is one of many in the same commit.
/// Waiting answers are flushed into responses here too, between batches: at once when nothing else waits to be written,
/// at most every <see cref="FlushInterval"/> while writes keep coming.
/// docs/storage.md describes the choice and its figures.
/// </summary>
internal sealed class AnswerWriter(IServiceScopeFactory scopes, ILogger<AnswerWriter> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>At most this many writes in one transaction: enough for 256 respondents at once, small enough to commit in milliseconds.</summary>
    public const int MaxBatch = 256;

    /// <summary>Waiting answers are flushed at most this often under load (each flush empties the log twice).</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly Channel<Write> queue = Channel.CreateUnbounded<Write>(); // counts what waits (a single-reader channel cannot)
    private Task loop = Task.CompletedTask;
    private int waiting;
    private long lastFlush;

    /// <summary>Stores the draft (an encrypted payload found by its lookup) and returns once it is committed.</summary>
    public Task SaveDraftAsync(string lookup, int roundId, byte[] payload, DateOnly day) =>
        EnqueueAsync(new DraftWrite(lookup, roundId, payload, day));

    /// <summary>Deletes an unsent draft (a child who stopped half-way, before the next one starts); returns once committed.</summary>
    public Task DiscardDraftAsync(string lookup) =>
        EnqueueAsync(new DraftDiscard(lookup));

    /// <summary>
    /// Consumes the code and stores the sealed answer in one transaction, if the code has a use left and its round
    /// takes answers at <paramref name="now"/>; a session's repeated send stores nothing more.
    /// </summary>
    public Task<SendResult> SendAsync(int codeId, string submissionHash, PendingResponse answer, string? draftLookup, DateTimeOffset now) =>
        EnqueueAsync(new SendWrite(codeId, submissionHash, answer, draftLookup, now));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lastFlush = Stopwatch.GetTimestamp();
        loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Writes what is already queued, then stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await loop.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }

    private async Task<SendResult> EnqueueAsync(Write write)
    {
        if (!queue.Writer.TryWrite(write))
        {
            throw new StorageUnavailableException(new InvalidOperationException("The answer writer has stopped."));
        }

        return await write.Done;
    }

    private async Task RunAsync()
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            waiting = await CountWaitingAsync(db);
        }

        var batch = new List<Write>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            try
            {
                var written = await CommitAsync(batch);

                // Idle, a flush due now goes before the acknowledgements: a send that completes the number a flush waits
                // for is answered with the answers already stored. Under load the acknowledgements go first, so the
                // flush's two truncating checkpoints do not sit in that batch's response time.
                var idle = queue.Reader.Count == 0;
                if (idle)
                {
                    await FlushIfDueAsync();
                }

                foreach (var write in written)
                {
                    write.Complete();
                }

                if (!idle)
                {
                    await FlushIfDueAsync();
                }
            }
            catch (Exception e)
            {
                // The loop outlives any one batch: a write it cannot account for is failed, never left waiting.
                logger.LogError(e, "Vastausten kirjoittaja kohtasi odottamattoman virheen");
                foreach (var write in batch)
                {
                    write.Fail(new StorageUnavailableException(e));
                }
            }

            batch.Clear();
        }

        await FlushIfDueAsync();
    }

    private static async Task<int> CountWaitingAsync(AppDbContext db)
    {
        try
        {
            return await db.PendingResponses.CountAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            // Not migrated yet (a host that is being set up): nothing waits.
            return 0;
        }
    }

    /// <summary>
    /// Writes the batch in one transaction; if that fails, each write alone, so one bad write fails only itself.
    /// Returns the writes that were committed, to be acknowledged.
    /// </summary>
    private async Task<List<Write>> CommitAsync(List<Write> batch)
    {
        try
        {
            await ApplyAsync(batch);
            return batch;
        }
        catch (Exception e) when (batch.Count > 1)
        {
            logger.LogWarning(e, "{Count} vastauksen yhteinen tallennus epäonnistui; tallennetaan yksitellen", batch.Count);
            var written = new List<Write>(batch.Count);
            foreach (var write in batch)
            {
                try
                {
                    await ApplyAsync([write]);
                    written.Add(write);
                }
                catch (Exception alone)
                {
                    logger.LogError(alone, "Vastauksen tallennus epäonnistui");
                    write.Fail(new StorageUnavailableException(alone));
                }
            }

            return written;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Vastauksen tallennus epäonnistui");
            batch[0].Fail(new StorageUnavailableException(e));
            return [];
        }
    }

    private async Task ApplyAsync(IReadOnlyList<Write> writes)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var context = new WriteContext(db);
        foreach (var write in writes)
        {
            await write.ApplyAsync(context);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        foreach (var write in writes)
        {
            if (write is SendWrite && write.Result == SendResult.Saved)
            {
                waiting++;
            }
        }
    }

    private async Task FlushIfDueAsync()
    {
        var busy = queue.Reader.Count > 0 && !queue.Reader.Completion.IsCompleted;
        if (waiting < PendingResponses.Threshold || (busy && Stopwatch.GetElapsedTime(lastFlush) < FlushInterval))
        {
            return;
        }

        lastFlush = Stopwatch.GetTimestamp();
        try
        {
            // The count is this process's own: another server or the reconciler may have flushed what it counts, so the
            // flush counts again in its transaction, and the count starts over from the database either way.
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PendingResponses>().FlushIfDueAsync();
            waiting = await scope.ServiceProvider.GetRequiredService<AppDbContext>().PendingResponses.CountAsync();
        }
        catch (Exception e)
        {
            // The answers are safely received; the reconciler flushes them within a minute.
            logger.LogError(e, "Odottavien vastausten tallennus epäonnistui");
        }
    }

    /// <summary>What writes of one transaction share: sends already seen and drafts added but not yet saved.</summary>
    private sealed class WriteContext(AppDbContext db)
    {
        public AppDbContext Db { get; } = db;

        public HashSet<string> Sent { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Draft> AddedDrafts { get; } = new(StringComparer.Ordinal);
    }

    private abstract class Write
    {
        private readonly TaskCompletionSource<SendResult> done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<SendResult> Done => done.Task;

        public SendResult Result { get; protected set; }

        public abstract Task ApplyAsync(WriteContext context);

        public void Complete() => done.TrySetResult(Result);

        public void Fail(Exception e) => done.TrySetException(e);
    }

    private sealed class DraftWrite(string lookup, int roundId, byte[] payload, DateOnly day) : Write
    {
        public override async Task ApplyAsync(WriteContext context)
        {
            Result = SendResult.Saved;
            if (context.AddedDrafts.TryGetValue(lookup, out var added))
            {
                added.Payload = payload;
                added.UpdatedOn = day;
                return;
            }

            var updated = await context.Db.Drafts.Where(d => d.Lookup == lookup)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Payload, payload).SetProperty(d => d.UpdatedOn, day));
            if (updated == 0)
            {
                var draft = new Draft { Id = Guid.NewGuid(), Lookup = lookup, RoundId = roundId, Payload = payload, UpdatedOn = day };
                context.Db.Drafts.Add(draft);
                context.AddedDrafts[lookup] = draft;
            }
        }
    }

    private sealed class DraftDiscard(string lookup) : Write
    {
        public override async Task ApplyAsync(WriteContext context)
        {
            Result = SendResult.Saved;
            await DeleteDraftAsync(context, lookup);
        }
    }

    /// <summary>Deletes the draft, also one added earlier in the same batch and not yet saved.</summary>
    private static async Task DeleteDraftAsync(WriteContext context, string lookup)
    {
        if (context.AddedDrafts.Remove(lookup, out var added))
        {
            context.Db.Entry(added).State = EntityState.Detached;
        }

        await context.Db.Drafts.Where(d => d.Lookup == lookup).ExecuteDeleteAsync();
    }

    private sealed class SendWrite(int codeId, string submissionHash, PendingResponse answer, string? draftLookup, DateTimeOffset now) : Write
    {
        public override async Task ApplyAsync(WriteContext context)
        {
            var db = context.Db;
            if (context.Sent.Contains(submissionHash) || await db.Submissions.AnyAsync(s => s.Hash == submissionHash))
            {
                Result = SendResult.AlreadySaved;
                return;
            }

            var consumed = await db.AccessCodes
                .Where(c => c.Id == codeId && c.Uses < c.MaxUses
                    && db.Rounds.Any(r => r.Id == c.RoundId && r.State == RoundState.Open && r.OpensAt <= now && r.ClosesAt > now))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Uses, c => c.Uses + 1));
            if (consumed == 0)
            {
                var open = await db.Rounds.AnyAsync(r => r.Id == answer.RoundId && r.State == RoundState.Open && r.OpensAt <= now && r.ClosesAt > now);
                Result = open ? SendResult.CodeUsed : SendResult.RoundClosed;
                return;
            }

            context.Sent.Add(submissionHash);
            db.PendingResponses.Add(answer);
            db.Submissions.Add(new Submission { Hash = submissionHash, RoundId = answer.RoundId });
            if (draftLookup is not null)
            {
                await DeleteDraftAsync(context, draftLookup);
            }

            Result = SendResult.Saved;
        }
    }
}
