using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Features.Answering;

/// <summary>
/// Answers in progress. Found by a key derived from a secret only the respondent's browser holds (the personal code
/// keyed with the browser's own random secret, or a random key of the session for a group code) and encrypted with
/// another key derived from it, so neither the database nor the code list can read a draft or tell whose it is.
/// Deleted on submission and when the round ends.
/// </summary>
internal sealed class Draft
{
    public required Guid Id { get; init; }
    public required string Lookup { get; init; }
    public required int RoundId { get; init; }
    public EvaluationRound? Round { get; init; }
    public required byte[] Payload { get; set; }
    public required DateOnly UpdatedOn { get; set; }
}

internal sealed class DraftConfiguration : IEntityTypeConfiguration<Draft>
{
    public void Configure(EntityTypeBuilder<Draft> builder)
    {
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Lookup).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(d => d.Lookup).IsUnique();
        builder.Property(d => d.Payload).HasMaxLength(200_000);
        builder.HasOne(d => d.Round).WithMany().HasForeignKey(d => d.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>What a draft holds: the answer bytes so far, free texts, and the survey version they belong to.</summary>
internal sealed record DraftContent(int SurveyVersionId, byte[] Answers, Dictionary<string, string> Texts);

internal sealed class DraftStore(AppDbContext db, TimeProvider time)
{
    private static readonly byte[] Salt = Encoding.UTF8.GetBytes("arviointi-draft-v1");

    public async Task<DraftContent?> LoadAsync(string secret, CancellationToken ct = default)
    {
        var lookup = Lookup(secret);
        var draft = await db.Set<Draft>().AsNoTracking().FirstOrDefaultAsync(d => d.Lookup == lookup, ct);
        return draft is null ? null : Decrypt(secret, draft.Payload);
    }

    public async Task SaveAsync(string secret, int roundId, DraftContent content, CancellationToken ct = default)
    {
        var lookup = Lookup(secret);
        var payload = Encrypt(secret, content);
        var today = Organisation.Region.Day(time.GetUtcNow());
        var updated = await db.Set<Draft>().Where(d => d.Lookup == lookup)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Payload, payload).SetProperty(d => d.UpdatedOn, today), ct);
        if (updated == 0)
        {
            db.Set<Draft>().Add(new Draft { Id = Guid.NewGuid(), Lookup = lookup, RoundId = roundId, Payload = payload, UpdatedOn = today });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The same respondent saved from a second tab at the same moment; the later save wins.
                db.ChangeTracker.Clear();
                await db.Set<Draft>().Where(d => d.Lookup == lookup).ExecuteUpdateAsync(s => s.SetProperty(d => d.Payload, payload), ct);
            }
        }
    }

    public Task DeleteAsync(string secret, CancellationToken ct = default)
    {
        var lookup = Lookup(secret);
        return db.Set<Draft>().Where(d => d.Lookup == lookup).ExecuteDeleteAsync(ct);
    }

    private static byte[] Key(string secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, Salt, Encoding.UTF8.GetBytes(purpose));

    private static string Lookup(string secret) => Convert.ToHexStringLower(Key(secret, "lookup"));

    private static byte[] Encrypt(string secret, DraftContent content)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(content);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using var aes = new AesGcm(Key(secret, "encrypt"), tag.Length);
        aes.Encrypt(nonce, plain, cipher, tag);
        return [.. nonce, .. tag, .. cipher];
    }

    private static DraftContent? Decrypt(string secret, byte[] payload)
    {
        var nonceSize = AesGcm.NonceByteSizes.MaxSize;
        var tagSize = AesGcm.TagByteSizes.MaxSize;
        var plain = new byte[payload.Length - nonceSize - tagSize];
        try
        {
            using var aes = new AesGcm(Key(secret, "encrypt"), tagSize);
            aes.Decrypt(payload.AsSpan(0, nonceSize), payload.AsSpan(nonceSize + tagSize), payload.AsSpan(nonceSize, tagSize), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return JsonSerializer.Deserialize<DraftContent>(plain);
    }
}
