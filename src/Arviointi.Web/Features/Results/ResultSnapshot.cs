using Arviointi.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Features.Results;

/// <summary>The computed, disclosure-checked results of a closed round, stored so pages never recompute.</summary>
internal sealed class ResultSnapshot
{
    public int Id { get; init; }
    public required int RoundId { get; init; }
    public EvaluationRound? Round { get; init; }
    public required DateTimeOffset ComputedAt { get; set; }
    public required string Json { get; set; }
}

internal sealed class ResultSnapshotConfiguration : IEntityTypeConfiguration<ResultSnapshot>
{
    public void Configure(EntityTypeBuilder<ResultSnapshot> builder)
    {
        builder.HasIndex(s => s.RoundId).IsUnique();
        builder.HasOne(s => s.Round).WithMany().HasForeignKey(s => s.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// A part of a round's results stored apart from the overview: each municipality's units (key <c>units:398</c>).
/// The overview that most pages read stays small and parses fast; a municipality's page adds only its own units.
/// </summary>
internal sealed class ResultSnapshotPart
{
    public const string UnitsPrefix = "units:";

    public int Id { get; init; }
    public required int RoundId { get; init; }
    public EvaluationRound? Round { get; init; }
    public required string Key { get; init; }
    public required string Json { get; set; }
}

internal sealed class ResultSnapshotPartConfiguration : IEntityTypeConfiguration<ResultSnapshotPart>
{
    public void Configure(EntityTypeBuilder<ResultSnapshotPart> builder)
    {
        builder.Property(p => p.Key).HasMaxLength(40);
        builder.HasIndex(p => new { p.RoundId, p.Key }).IsUnique();
        builder.HasOne(p => p.Round).WithMany().HasForeignKey(p => p.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}
