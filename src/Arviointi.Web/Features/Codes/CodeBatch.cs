using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Features.Codes;

/// <summary>
/// Codes ordered for one unit and group. The codes themselves are made only when the batch is downloaded, once:
/// they are stored as hashes, so nobody can print them again later; a lost batch is voided and a new one ordered.
/// </summary>
internal sealed class CodeBatch
{
    public int Id { get; init; }
    public required int RoundId { get; init; }
    public EvaluationRound? Round { get; init; }
    public required int UnitId { get; init; }
    public Unit? Unit { get; init; }
    public required RespondentGroup Group { get; init; }
    public required AccessCodeKind Kind { get; init; }

    /// <summary>How many codes (slips) the batch has.</summary>
    public required int Count { get; init; }

    /// <summary>Answers per code: 1 for personal codes, the group's size for a group code.</summary>
    public required int UsesPerCode { get; init; }
    public required DateTimeOffset OrderedAt { get; init; }
    public required string OrderedBy { get; init; }
    public DateTimeOffset? DownloadedAt { get; set; }
    public string? DownloadedBy { get; set; }
    public DateTimeOffset? VoidedAt { get; set; }
}

internal sealed class CodeBatchConfiguration : IEntityTypeConfiguration<CodeBatch>
{
    public void Configure(EntityTypeBuilder<CodeBatch> builder)
    {
        builder.Property(b => b.Group).HasConversion<string>().HasMaxLength(20);
        builder.Property(b => b.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(b => b.OrderedBy).HasMaxLength(256);
        builder.Property(b => b.DownloadedBy).HasMaxLength(256);
        builder.HasOne(b => b.Round).WithMany().HasForeignKey(b => b.RoundId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(b => b.Unit).WithMany().HasForeignKey(b => b.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
