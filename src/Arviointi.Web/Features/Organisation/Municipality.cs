using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Features.Organisation;

internal sealed class Municipality
{
    /// <summary>Official three-digit municipality code, e.g. 398 for Lahti.</summary>
    public required string Code { get; init; }
    public required string NameFi { get; set; }
    public required string NameSv { get; set; }
    public int Population { get; set; }
    public List<Unit> Units { get; } = [];

    public string Name(string language) => language == "sv" ? NameSv : NameFi;
}

internal sealed class MunicipalityConfiguration : IEntityTypeConfiguration<Municipality>
{
    public void Configure(EntityTypeBuilder<Municipality> builder)
    {
        builder.HasKey(m => m.Code);
        builder.Property(m => m.Code).HasMaxLength(3).IsFixedLength();
        builder.Property(m => m.NameFi).HasMaxLength(100);
        builder.Property(m => m.NameSv).HasMaxLength(100);
    }
}
