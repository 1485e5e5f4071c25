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

    /// <summary>
    /// The first day the unit no longer works (a school closed, a day-care centre merged into another). A unit row is
    /// never deleted: past rounds keep their answers, codes and results under it.
    /// </summary>
    public DateOnly? ClosedOn { get; set; }

    /// <summary>The unit this one was merged into, when it closed by a merger.</summary>
    public int? MergedIntoId { get; set; }

    public Unit? MergedInto { get; init; }

    /// <summary>The unit's renames, oldest first when ordered by date.</summary>
    public List<UnitNameChange> NameChanges { get; } = [];

    /// <summary>True when the unit still works on <paramref name="day"/>: a closing day in the future leaves it open until then.</summary>
    public bool IsOpenOn(DateOnly day) => ClosedOn is not { } closed || closed > day;

    /// <summary>The name the unit had on <paramref name="day"/>, from its renames (which must be loaded).</summary>
    public string NameOn(DateOnly day) =>
        NameChanges.Where(c => c.ChangedOn > day).OrderBy(c => c.ChangedOn).ThenBy(c => c.Id).FirstOrDefault()?.OldName ?? Name;
}

/// <summary>One rename of a unit: the name it had before <see cref="ChangedOn"/> and the name it got then.</summary>
internal sealed class UnitNameChange
{
    public int Id { get; init; }
    public required int UnitId { get; init; }
    public required string OldName { get; init; }
    public required string NewName { get; init; }

    /// <summary>The first day of the new name.</summary>
    public required DateOnly ChangedOn { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
    public required string RecordedBy { get; init; }
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
        builder.HasOne(u => u.MergedInto).WithMany().HasForeignKey(u => u.MergedIntoId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(u => u.NameChanges).WithOne().HasForeignKey(c => c.UnitId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UnitNameChangeConfiguration : IEntityTypeConfiguration<UnitNameChange>
{
    public void Configure(EntityTypeBuilder<UnitNameChange> builder)
    {
        builder.Property(c => c.OldName).HasMaxLength(200);
        builder.Property(c => c.NewName).HasMaxLength(200);
        builder.Property(c => c.RecordedBy).HasMaxLength(256);
        builder.HasIndex(c => new { c.UnitId, c.ChangedOn });
    }
}
