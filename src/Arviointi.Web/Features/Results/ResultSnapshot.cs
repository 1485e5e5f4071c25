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
