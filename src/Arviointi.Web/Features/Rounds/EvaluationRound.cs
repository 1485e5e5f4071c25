using Arviointi.Surveys;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Features.Rounds;

/// <summary>Where a round is in its life; only an administrator's extension of the close time moves anything back.</summary>
internal enum RoundState
{
    Draft,
    Scheduled,
    Open,
    Closed,
    Published,
    RawDataDeleted,
}

/// <summary>One yearly evaluation: a sector, a focus theme, the surveys per group and the answering window.</summary>
internal sealed class EvaluationRound
{
    public int Id { get; init; }
    public required int Year { get; init; }
    public required Sector Sector { get; init; }
    /// <summary>The focus theme in Finnish, the language every round has.</summary>
    public required string FocusTheme { get; set; }

    /// <summary>The focus theme in Swedish, when the cycle or the coordinator gave one.</summary>
    public string? FocusThemeSv { get; set; }

    /// <summary>The focus theme in English, when the cycle or the coordinator gave one.</summary>
    public string? FocusThemeEn { get; set; }
    public required DateTimeOffset OpensAt { get; set; }
    public required DateTimeOffset ClosesAt { get; set; }

    /// <summary>When results are published to directors and unit leaders; until then only administrators review them.</summary>
    public required DateTimeOffset PublishAt { get; set; }

    /// <summary>When raw answers are deleted; the published snapshot stays.</summary>
    public required DateTimeOffset DeleteRawDataAt { get; set; }
    public RoundState State { get; set; } = RoundState.Draft;

    /// <summary>True for the synthetic rounds of the embedded demo; shown as such everywhere.</summary>
    public bool IsDemo { get; init; }
    public List<RoundSurvey> Surveys { get; } = [];

    /// <summary>The focus theme in <paramref name="language"/> ("fi", "sv", "en"), Finnish where that one is missing.</summary>
    public string Theme(string language) => language switch
    {
        "sv" when !string.IsNullOrWhiteSpace(FocusThemeSv) => FocusThemeSv,
        "en" when !string.IsNullOrWhiteSpace(FocusThemeEn) => FocusThemeEn,
        _ => FocusTheme,
    };

    /// <summary>Sets the theme in every language <paramref name="theme"/> has (fi, sv, en).</summary>
    public void SetTheme(LocalizedText? theme, string fallback = "")
    {
        FocusTheme = theme?.Get("fi") is { Length: > 0 } fi ? fi : fallback;
        FocusThemeSv = theme?.Values.GetValueOrDefault("sv");
        FocusThemeEn = theme?.Values.GetValueOrDefault("en");
    }

    public bool AcceptsAnswers(DateTimeOffset now) => State == RoundState.Open && now >= OpensAt && now < ClosesAt;

    /// <summary>Results exist once the round has closed, whether or not raw answers are still kept.</summary>
    public bool HasResults => State is RoundState.Closed or RoundState.Published or RoundState.RawDataDeleted;
}

/// <summary>The exact survey version a respondent group answers in a round.</summary>
internal sealed class RoundSurvey
{
    public int RoundId { get; init; }
    public required int SurveyVersionId { get; init; }
    public SurveyVersion? SurveyVersion { get; init; }
    public required RespondentGroup Group { get; init; }
}

internal sealed class EvaluationRoundConfiguration : IEntityTypeConfiguration<EvaluationRound>
{
    public void Configure(EntityTypeBuilder<EvaluationRound> builder)
    {
        builder.Property(r => r.Sector).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.FocusTheme).HasMaxLength(200);
        builder.Property(r => r.FocusThemeSv).HasMaxLength(200);
        builder.Property(r => r.FocusThemeEn).HasMaxLength(200);
        builder.HasIndex(r => new { r.State, r.OpensAt });
        builder.HasIndex(r => new { r.State, r.ClosesAt });
        builder.HasMany(r => r.Surveys).WithOne().HasForeignKey(s => s.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RoundSurveyConfiguration : IEntityTypeConfiguration<RoundSurvey>
{
    public void Configure(EntityTypeBuilder<RoundSurvey> builder)
    {
        builder.HasKey(s => new { s.RoundId, s.Group });
        builder.Property(s => s.Group).HasConversion<string>().HasMaxLength(20);
        builder.HasOne(s => s.SurveyVersion).WithMany().HasForeignKey(s => s.SurveyVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
