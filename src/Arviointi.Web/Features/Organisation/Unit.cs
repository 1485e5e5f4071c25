using Arviointi.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Features.Organisation;

internal enum UnitKind
{
    DayCareCentre,
    FamilyDayCare,
    School,
}

internal sealed class Unit
{
    public int Id { get; init; }
    public required string MunicipalityCode { get; init; }
    public Municipality? Municipality { get; init; }
    public required string Name { get; set; }
    public required Sector Sector { get; init; }
    public required UnitKind Kind { get; init; }

    /// <summary>Languages the unit works in, e.g. "fi", "sv" or "fi,sv": its code slips are printed in them.</summary>
    public string Languages { get; set; } = "fi";
}

internal sealed class UnitConfiguration : IEntityTypeConfiguration<Unit>
{
    public void Configure(EntityTypeBuilder<Unit> builder)
    {
        builder.Property(u => u.Name).HasMaxLength(200);
        builder.Property(u => u.MunicipalityCode).HasMaxLength(3).IsFixedLength();
        builder.Property(u => u.Sector).HasConversion<string>().HasMaxLength(20);
        builder.Property(u => u.Kind).HasConversion<string>().HasMaxLength(30);
        builder.HasOne(u => u.Municipality).WithMany(m => m.Units)
            .HasForeignKey(u => u.MunicipalityCode).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(u => new { u.MunicipalityCode, u.Name }).IsUnique();
        builder.Property(u => u.Languages).HasMaxLength(20).HasDefaultValue("fi");
    }
}
