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
/// Deleted on submission, when a group's adult starts the next respondent instead, and when the round ends.
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

/// <summary>
/// Reads drafts and hands saves to the <see cref="AnswerWriter"/>, which writes them together with other respondents'
/// saves: a page costs a share of one transaction, not a transaction of its own.
/// </summary>
internal sealed class DraftStore(AppDbContext db, AnswerWriter writer, TimeProvider time)
{
    private static readonly byte[] Salt = Encoding.UTF8.GetBytes("arviointi-draft-v1");

    private static readonly Func<AppDbContext, string, Task<byte[]?>> PayloadQuery = EF.CompileAsyncQuery((AppDbContext db, string lookup) =>
        db.Drafts.Where(d => d.Lookup == lookup).Select(d => d.Payload).FirstOrDefault());

    public async Task<DraftContent?> LoadAsync(string secret)
    {
        var payload = await PayloadQuery(db, Lookup(secret));
        return payload is null ? null : Decrypt(secret, payload);
    }

    /// <summary>Returns once the draft is committed.</summary>
    public Task SaveAsync(string secret, int roundId, DraftContent content) =>
        writer.SaveDraftAsync(Lookup(secret), roundId, Encrypt(secret, content), Organisation.Region.Day(time.GetUtcNow()));

    /// <summary>Deletes the draft of this secret, if any; returns once the deletion is committed.</summary>
    public Task DiscardAsync(string secret) => writer.DiscardDraftAsync(Lookup(secret));

    /// <summary>Where the draft of this secret is stored; nothing else can find it.</summary>
    public static string Lookup(string secret) => Convert.ToHexStringLower(Key(secret, "lookup"));

    private static byte[] Key(string secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, Salt, Encoding.UTF8.GetBytes(purpose));

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
