using System.Security.Cryptography;
using System.Text;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Features.Answering;

/// <summary>
/// A sent answer waiting to be stored as a <see cref="Response"/>. It is written in the transaction that uses the
/// code, so that transaction holds only this: the unit and group in the clear (the code's own, needed for response
/// rates) and the answers encrypted with a key that is not in the database, padded to the survey's fixed size.
/// A flush later stores waiting answers together, in random order, in a transaction of their own.
/// </summary>
internal sealed class PendingResponse
{
    public required Guid Id { get; init; }
    public required int RoundId { get; init; }
    public EvaluationRound? Round { get; init; }
    public required int UnitId { get; init; }
    public required RespondentGroup Group { get; init; }
    public required byte[] Payload { get; init; }
}

/// <summary>
/// That a session's answer was received, for telling a repeated send from a second answer. Holds a hash of the
/// session's random key only: nothing here refers to the response, so it cannot link the code's use to the answer.
/// </summary>
internal sealed class Submission
{
    public required string Hash { get; init; }
    public required int RoundId { get; init; }
    public EvaluationRound? Round { get; init; }
}

internal sealed class PendingResponseConfiguration : IEntityTypeConfiguration<PendingResponse>
{
    public void Configure(EntityTypeBuilder<PendingResponse> builder)
    {
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Group).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Payload).HasMaxLength(PendingResponses.MaxPayload);
        builder.HasIndex(p => new { p.RoundId, p.Group });
        builder.HasOne(p => p.Round).WithMany().HasForeignKey(p => p.RoundId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Unit>().WithMany().HasForeignKey(p => p.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SubmissionConfiguration : IEntityTypeConfiguration<Submission>
{
    public void Configure(EntityTypeBuilder<Submission> builder)
    {
        builder.HasKey(s => s.Hash);
        builder.Property(s => s.Hash).HasMaxLength(64).IsFixedLength();
        builder.HasOne(s => s.Round).WithMany().HasForeignKey(s => s.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>What a pending response holds under its encryption.</summary>
internal sealed record PendingContent(int SurveyVersionId, DateOnly SubmittedOn, byte[] Answers, IReadOnlyDictionary<string, string> Texts);

/// <summary>Answers received per unit and group: those stored and those waiting, counted in one statement.</summary>
internal sealed record ReceivedCount(int UnitId, RespondentGroup Group, int Count);

/// <summary>
/// Seals sent answers into <see cref="PendingResponse"/> rows and flushes them into responses. A flush (1) empties
/// the SQLite log with a truncating checkpoint, so the transactions that used codes are no longer in it, (2) in one
/// transaction decrypts every waiting answer, stores them as responses with fresh random ids in random order and
/// deletes the waiting rows, and (3) empties the log again. No log ever holds a code's use and a readable answer.
/// </summary>
internal sealed class PendingResponses(AppDbContext db, AnsweringKeys keys, ILogger<PendingResponses> logger)
{
    /// <summary>A flush waits for this many answers, so each stored answer is one of at least this many at once.</summary>
    public const int Threshold = 10;

    public const int MaxPayload = 1 << 20;
    private const byte Format = 1;
    private const int Bucket = 4096;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>Answers received per unit and group in the round, stored or waiting.</summary>
    public static Task<List<ReceivedCount>> CountsAsync(AppDbContext db, int roundId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Responses.Where(r => r.RoundId == roundId).Select(r => new { r.UnitId, r.Group })
            .Concat(db.PendingResponses.Where(p => p.RoundId == roundId).Select(p => new { p.UnitId, p.Group }))
            .GroupBy(r => new { r.UnitId, r.Group })
            .Select(g => new ReceivedCount(g.Key.UnitId, g.Key.Group, g.Count()))
            .ToListAsync(ct);
    }

    /// <summary>
    /// Plaintext size of every pending response of a survey: room for every answer byte and every open text at its
    /// longest (three UTF-8 bytes per character), rounded up to 4 KiB. What was written changes nothing in the length.
    /// </summary>
    public static int PaddedSize(SurveyDefinition survey, AnswerLayout layout)
    {
        ArgumentNullException.ThrowIfNull(survey);
        ArgumentNullException.ThrowIfNull(layout);
        var texts = survey.Items.Where(i => i.Type == ItemType.Text).Sum(i => 5 + Encoding.UTF8.GetByteCount(i.Id) + 5 + (3 * i.MaxLength));
        var longest = 1 + 4 + 4 + 5 + layout.Length + 5 + texts;
        return (longest + Bucket - 1) / Bucket * Bucket;
    }

    public PendingResponse Seal(int roundId, int unitId, RespondentGroup group, PendingContent content, int paddedSize)
    {
        ArgumentNullException.ThrowIfNull(content);
        var plain = new byte[paddedSize];
        using (var writer = new BinaryWriter(new MemoryStream(plain), Encoding.UTF8))
        {
            writer.Write(Format);
            writer.Write(content.SurveyVersionId);
            writer.Write(content.SubmittedOn.DayNumber);
            writer.Write7BitEncodedInt(content.Answers.Length);
            writer.Write(content.Answers);
            writer.Write7BitEncodedInt(content.Texts.Count);
            foreach (var (item, text) in content.Texts)
            {
                writer.Write(item);
                writer.Write(text);
            }
        }

        var payload = new byte[NonceSize + TagSize + paddedSize];
        RandomNumberGenerator.Fill(payload.AsSpan(0, NonceSize));
        using var aes = new AesGcm(keys.PendingKey, TagSize);
        aes.Encrypt(payload.AsSpan(0, NonceSize), plain, payload.AsSpan(NonceSize + TagSize), payload.AsSpan(NonceSize, TagSize), Associated(roundId, unitId, group));
        CryptographicOperations.ZeroMemory(plain);
        return new PendingResponse { Id = Guid.NewGuid(), RoundId = roundId, UnitId = unitId, Group = group, Payload = payload };
    }

    public PendingContent Open(PendingResponse pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var payload = pending.Payload;
        var plain = new byte[payload.Length - NonceSize - TagSize];
        using var aes = new AesGcm(keys.PendingKey, TagSize);
        aes.Decrypt(payload.AsSpan(0, NonceSize), payload.AsSpan(NonceSize + TagSize), payload.AsSpan(NonceSize, TagSize), plain, Associated(pending.RoundId, pending.UnitId, pending.Group));
        using var reader = new BinaryReader(new MemoryStream(plain), Encoding.UTF8);
        if (reader.ReadByte() != Format)
        {
            throw new InvalidDataException($"Pending response {pending.Id} has an unknown format.");
        }

        var version = reader.ReadInt32();
        var day = DateOnly.FromDayNumber(reader.ReadInt32());
        var answers = reader.ReadBytes(reader.Read7BitEncodedInt());
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var count = reader.Read7BitEncodedInt(); count > 0; count--)
        {
            var item = reader.ReadString();
            texts[item] = reader.ReadString();
        }

        return new PendingContent(version, day, answers, texts);
    }

    /// <summary>
    /// Flushes when at least <see cref="Threshold"/> answers are waiting, counted in the flush's own transaction: another
    /// server may have flushed since anyone counted.
    /// </summary>
    public Task<int> FlushIfDueAsync(CancellationToken ct = default) => FlushAsync(Threshold, ct);

    /// <summary>
    /// Stores every waiting answer now, however few: before results are computed and before raw data is deleted. Waits
    /// for a later run (and returns 0) when readers keep the log from being emptied first.
    /// </summary>
    public Task<int> FlushAsync(CancellationToken ct = default) => FlushAsync(1, ct);

    private async Task<int> FlushAsync(int atLeast, CancellationToken ct)
    {
        if (await db.PendingResponses.CountAsync(ct) < atLeast)
        {
            return 0;
        }

        if ((await db.Database.CheckpointAsync(logger, ct)).Blocked)
        {
            // The log still holds the transactions that used codes: answers stored now would sit beside them. Next run.
            return 0;
        }

        int count;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var waiting = await db.PendingResponses.AsNoTracking().ToListAsync(ct);
            if (waiting.Count < atLeast)
            {
                // Another flush, of this server or another, took them since the count above.
                return 0;
            }

            var responses = waiting.Select(ToResponse).ToArray();
            var ids = waiting.Select(p => p.Id).ToList();
            if (await db.PendingResponses.Where(p => ids.Contains(p.Id)).ExecuteDeleteAsync(ct) != waiting.Count)
            {
                // Another instance is flushing the same rows; it stores them.
                await transaction.RollbackAsync(ct);
                return 0;
            }

            RandomNumberGenerator.Shuffle(responses.AsSpan());
            db.Responses.AddRange(responses);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            count = waiting.Count;
        }

        await db.Database.CheckpointAsync(logger, ct);
        logger.LogInformation("{Count} odottavaa vastausta tallennettiin", count);
        return count;
    }

    private Response ToResponse(PendingResponse pending)
    {
        var content = Open(pending);
        var response = new Response
        {
            Id = Guid.NewGuid(),
            RoundId = pending.RoundId,
            SurveyVersionId = content.SurveyVersionId,
            UnitId = pending.UnitId,
            Group = pending.Group,
            SubmittedOn = content.SubmittedOn,
            Answers = content.Answers,
        };
        response.OpenTexts.AddRange(content.Texts.Select(t => new OpenTextAnswer { Id = Guid.NewGuid(), ItemId = t.Key, Text = t.Value }));
        return response;
    }

    private static byte[] Associated(int roundId, int unitId, RespondentGroup group) =>
        Encoding.UTF8.GetBytes(FormattableString.Invariant($"{Format}:{roundId}:{unitId}:{group}"));
}
