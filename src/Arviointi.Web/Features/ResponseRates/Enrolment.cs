using Arviointi.Surveys;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Features.ResponseRates;

/// <summary>How many people of a group a unit has in a round: the denominator of its response rate.</summary>
internal sealed class Enrolment
{
    public int Id { get; init; }
    public required int RoundId { get; init; }
    public EvaluationRound? Round { get; init; }
    public required int UnitId { get; init; }
    public Unit? Unit { get; init; }
    public required RespondentGroup Group { get; init; }
    public required int Count { get; init; }
}

/// <summary>Responses of a unit and group so far, as recorded once a day (Helsinki date) while the round is open.</summary>
internal sealed class ResponseRateSnapshot
{
    public int Id { get; init; }
    public required int RoundId { get; init; }
    public EvaluationRound? Round { get; init; }
    public required int UnitId { get; init; }
    public Unit? Unit { get; init; }
    public required RespondentGroup Group { get; init; }
    public required DateOnly Date { get; init; }
    public required int Responses { get; set; }
}

internal sealed class EnrolmentConfiguration : IEntityTypeConfiguration<Enrolment>
{
    public void Configure(EntityTypeBuilder<Enrolment> builder)
    {
        builder.Property(e => e.Group).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(e => new { e.RoundId, e.UnitId, e.Group }).IsUnique();
        builder.HasOne(e => e.Round).WithMany().HasForeignKey(e => e.RoundId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(e => e.Unit).WithMany().HasForeignKey(e => e.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ResponseRateSnapshotConfiguration : IEntityTypeConfiguration<ResponseRateSnapshot>
{
    public void Configure(EntityTypeBuilder<ResponseRateSnapshot> builder)
    {
        builder.Property(s => s.Group).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(s => new { s.RoundId, s.UnitId, s.Group, s.Date }).IsUnique();
        builder.HasOne(s => s.Round).WithMany().HasForeignKey(s => s.RoundId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(s => s.Unit).WithMany().HasForeignKey(s => s.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
