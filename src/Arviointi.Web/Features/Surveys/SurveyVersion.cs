using Arviointi.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Features.Surveys;

/// <summary>
/// An immutable, self-contained survey as imported: the core survey resolved with its items from the bank
/// and, when set, a focus module. A changed file becomes a new revision; rounds point at the revision they
/// were created with, so editing a file or the bank never changes a past round.
/// </summary>
internal sealed class SurveyVersion
{
    public int Id { get; init; }
    public required string SurveyId { get; init; }
    public required int Revision { get; init; }
    public required int DeclaredVersion { get; init; }
    public required Sector Sector { get; init; }
    public required RespondentGroup Group { get; init; }
    public string? FocusModule { get; init; }
    public required string ContentHash { get; init; }
    public required string SourcePath { get; init; }

    /// <summary>The resolved definition as canonical JSON (<see cref="SurveyJson"/>).</summary>
    public required string DefinitionJson { get; init; }
    public required DateTimeOffset ImportedAt { get; init; }
}

internal sealed class SurveyVersionConfiguration : IEntityTypeConfiguration<SurveyVersion>
{
    public void Configure(EntityTypeBuilder<SurveyVersion> builder)
    {
        builder.Property(v => v.SurveyId).HasMaxLength(100);
        builder.Property(v => v.FocusModule).HasMaxLength(100);
        builder.Property(v => v.ContentHash).HasMaxLength(64).IsFixedLength();
        builder.Property(v => v.SourcePath).HasMaxLength(400);
        builder.Property(v => v.Sector).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.Group).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(v => new { v.SurveyId, v.Revision }).IsUnique();
        builder.HasIndex(v => new { v.SurveyId, v.ContentHash }).IsUnique();
    }
}
