using Arviointi.Surveys;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Arviointi.Web.Features.Answering;

/// <summary>
/// One submitted questionnaire. Answers are one byte per slot of the survey's <see cref="AnswerLayout"/>,
/// so a round of 60 000 respondents reads as 60 000 small rows. The id is random (never sequential),
/// the date has day precision, and nothing points at the access code used. Responses arrive through
/// <see cref="PendingResponses"/>, several at once in random order, and on SQLite the table has no rowid
/// (it is ordered by the random id), so neither the rows nor their order tell when each was sent.
/// </summary>
internal sealed class Response
{
    public required Guid Id { get; init; }
    public required int RoundId { get; init; }
    public EvaluationRound? Round { get; init; }
    public required int SurveyVersionId { get; init; }
    public SurveyVersion? SurveyVersion { get; init; }
    public required int UnitId { get; init; }
    public Unit? Unit { get; init; }
    public required RespondentGroup Group { get; init; }
    public required DateOnly SubmittedOn { get; init; }
    public required byte[] Answers { get; init; }
    public List<OpenTextAnswer> OpenTexts { get; } = [];
}

/// <summary>A free-text answer: kept apart from the scale answers and never exported by default.</summary>
internal sealed class OpenTextAnswer
{
    public required Guid Id { get; init; }
    public Guid ResponseId { get; init; }
    public required string ItemId { get; init; }
    public required string Text { get; init; }

    /// <summary>Withheld by the coordinator because it names or harms someone (audited): counted, never shown.</summary>
    public bool Withheld { get; set; }
}

internal sealed class ResponseConfiguration : IEntityTypeConfiguration<Response>
{
    public void Configure(EntityTypeBuilder<Response> builder)
    {
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Group).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Answers).HasMaxLength(4000);
        builder.HasIndex(r => new { r.RoundId, r.Group });
        builder.HasOne(r => r.Round).WithMany().HasForeignKey(r => r.RoundId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(r => r.SurveyVersion).WithMany().HasForeignKey(r => r.SurveyVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.Unit).WithMany().HasForeignKey(r => r.UnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(r => r.OpenTexts).WithOne().HasForeignKey(t => t.ResponseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OpenTextAnswerConfiguration : IEntityTypeConfiguration<OpenTextAnswer>
{
    public void Configure(EntityTypeBuilder<OpenTextAnswer> builder)
    {
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.ItemId).HasMaxLength(100);
        builder.Property(t => t.Text).HasMaxLength(10000);
    }
}
