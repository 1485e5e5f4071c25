using System.Security.Cryptography;
using System.Text;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Answering;

internal enum CodeStatus
{
    Valid,
    Unknown,
    Used,
    NotYetOpen,
    Closed,
}

internal sealed record CodeCheck(CodeStatus Status, AccessCode? Code);

internal enum SubmitStatus
{
    Saved,
    AlreadySaved,
    CodeUsed,
    RoundClosed,
    Invalid,
}

internal sealed record SubmitOutcome(SubmitStatus Status, IReadOnlyDictionary<string, UiMessage> Errors);

/// <summary>Checks codes and stores submissions so that a code is consumed exactly when its one response is stored.</summary>
internal sealed class AnsweringService(AppDbContext db, SurveyCatalog catalog, DraftStore drafts, TimeProvider time)
{
    public async Task<CodeCheck> CheckAsync(string? code, CancellationToken ct = default)
    {
        var normalized = AccessCodes.Normalize(code);
        if (normalized.Length != AccessCodes.Length)
        {
            return new CodeCheck(CodeStatus.Unknown, null);
        }

        var hash = AccessCodes.Hash(normalized);
        var found = await db.AccessCodes.Include(c => c.Round).FirstOrDefaultAsync(c => c.Hash == hash, ct);
        return found switch
        {
            null => new CodeCheck(CodeStatus.Unknown, null),
            _ when found.Round!.State is RoundState.Draft or RoundState.Scheduled || time.GetUtcNow() < found.Round.OpensAt => new CodeCheck(CodeStatus.NotYetOpen, found),
            _ when !found.Round.AcceptsAnswers(time.GetUtcNow()) => new CodeCheck(CodeStatus.Closed, found),
            _ when found.Uses >= found.MaxUses => new CodeCheck(CodeStatus.Used, found),
            _ => new CodeCheck(CodeStatus.Valid, found),
        };
    }

    public async Task<(SurveyVersion Version, EvaluationRound Round)?> SurveyForAsync(int codeId, CancellationToken ct = default)
    {
        var code = await db.AccessCodes.AsNoTracking().Include(c => c.Round).FirstOrDefaultAsync(c => c.Id == codeId, ct);
        return code is null ? null : await SurveyForAsync(code, ct);
    }

    private async Task<(SurveyVersion Version, EvaluationRound Round)?> SurveyForAsync(AccessCode code, CancellationToken ct)
    {
        var roundSurvey = await db.RoundSurveys.AsNoTracking().Include(s => s.SurveyVersion)
            .FirstOrDefaultAsync(s => s.RoundId == code.RoundId && s.Group == code.Group, ct);
        return roundSurvey is null ? null : (roundSurvey.SurveyVersion!, code.Round!);
    }

    /// <summary>Stores the response and consumes the code in one transaction; the draft, if any, goes with them.</summary>
    public async Task<SubmitOutcome> SubmitAsync(int codeId, string submissionKey, ParsedAnswers answers, string? draftSecret = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.Errors.Count > 0)
        {
            return new SubmitOutcome(SubmitStatus.Invalid, answers.Errors);
        }

        var submissionHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(submissionKey)));
        if (await db.Responses.AnyAsync(r => r.SubmissionHash == submissionHash, ct))
        {
            return Outcome(SubmitStatus.AlreadySaved);
        }

        var code = await db.AccessCodes.AsNoTracking().Include(c => c.Round).FirstOrDefaultAsync(c => c.Id == codeId, ct);
        var now = time.GetUtcNow();
        if (code is null || !code.Round!.AcceptsAnswers(now))
        {
            return Outcome(SubmitStatus.RoundClosed);
        }

        var survey = await SurveyForAsync(code, ct) ?? throw new InvalidOperationException($"Round {code.RoundId} has no survey for {code.Group}.");
        var layout = catalog.Layout(survey.Version);
        if (answers.Answers.Length != layout.Length)
        {
            return new SubmitOutcome(SubmitStatus.Invalid, new Dictionary<string, UiMessage> { [""] = new UiMessage("Lomake ei vastaa tätä kyselyä. Avaa kysely uudelleen.") });
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var consumed = await db.AccessCodes
            .Where(c => c.Id == codeId && c.Uses < c.MaxUses)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Uses, c => c.Uses + 1), ct);
        if (consumed == 0)
        {
            // A double click whose twin was stored first is not a second answer with a used code.
            await transaction.RollbackAsync(ct);
            return Outcome(await db.Responses.AnyAsync(r => r.SubmissionHash == submissionHash, ct) ? SubmitStatus.AlreadySaved : SubmitStatus.CodeUsed);
        }

        var response = new Response
        {
            Id = Guid.NewGuid(),
            RoundId = code.RoundId,
            SurveyVersionId = survey.Version.Id,
            UnitId = code.UnitId,
            Group = code.Group,
            SubmittedOn = Organisation.Region.Day(now),
            Answers = answers.Answers,
            SubmissionHash = submissionHash,
        };
        response.OpenTexts.AddRange(answers.Texts.Select(t => new OpenTextAnswer { Id = Guid.NewGuid(), ItemId = t.Key, Text = t.Value }));
        db.Responses.Add(response);
        try
        {
            await db.SaveChangesAsync(ct);
            if (draftSecret is not null)
            {
                await drafts.DeleteAsync(draftSecret, ct);
            }

            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent retry of the same submission won the unique index: one response is stored.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            if (await db.Responses.AnyAsync(r => r.SubmissionHash == submissionHash, ct))
            {
                return Outcome(SubmitStatus.AlreadySaved);
            }

            throw;
        }

        return Outcome(SubmitStatus.Saved);
    }

    private static SubmitOutcome Outcome(SubmitStatus status) => new(status, new Dictionary<string, UiMessage>());
}
