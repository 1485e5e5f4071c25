using Arviointi.Surveys;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Features.Answering;

internal enum AccessCodeKind
{
    /// <summary>One person, one answer.</summary>
    Personal,

    /// <summary>A class or child group, usable up to the group's size.</summary>
    Group,
}

/// <summary>
/// The right to answer once (or a group's size times). Holds only a keyed hash of the code and a use count:
/// no time of use and no reference to the response, so a code can never be joined to an answer.
/// </summary>
internal sealed class AccessCode
{
    public int Id { get; init; }
    public required int RoundId { get; init; }
    public EvaluationRound? Round { get; init; }
    public required int UnitId { get; init; }
    public Unit? Unit { get; init; }
    public required RespondentGroup Group { get; init; }
    public required AccessCodeKind Kind { get; init; }
    public required string Hash { get; init; }
    public required int MaxUses { get; init; }
    public int Uses { get; set; }

    /// <summary>The distribution batch the code was printed in, so a lost batch can be voided.</summary>
    public int? BatchId { get; init; }
}

internal sealed class AccessCodeConfiguration : IEntityTypeConfiguration<AccessCode>
{
    public void Configure(EntityTypeBuilder<AccessCode> builder)
    {
        builder.Property(c => c.Hash).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(c => c.Hash).IsUnique();
        builder.Property(c => c.Group).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        builder.HasOne(c => c.Round).WithMany().HasForeignKey(c => c.RoundId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(c => c.Unit).WithMany().HasForeignKey(c => c.UnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Codes.CodeBatch>().WithMany().HasForeignKey(c => c.BatchId).OnDelete(DeleteBehavior.Restrict);
    }
}
