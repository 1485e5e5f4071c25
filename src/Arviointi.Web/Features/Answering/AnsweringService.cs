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

/// <summary>Checks codes and receives submissions so that a code is consumed exactly when its one answer is received.</summary>
internal sealed class AnsweringService(AppDbContext db, SurveyCatalog catalog, DraftStore drafts, PendingResponses pending, AnsweringKeys keys, TimeProvider time, ILogger<AnsweringService> logger)
{
    public async Task<CodeCheck> CheckAsync(string? code, CancellationToken ct = default)
    {
        var normalized = AccessCodes.Normalize(code);
        if (normalized.Length != AccessCodes.Length)
        {
            return new CodeCheck(CodeStatus.Unknown, null);
        }

        var hash = keys.HashCode(normalized);
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

    /// <summary>
    /// Consumes the code and stores the answers as a sealed <see cref="PendingResponse"/> in one transaction (the draft,
    /// if any, goes with them); the answers become a response at the next flush, among others, in a transaction of its own.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(int codeId, string submissionKey, ParsedAnswers answers, string? draftSecret = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.Errors.Count > 0)
        {
            return new SubmitOutcome(SubmitStatus.Invalid, answers.Errors);
        }

        var submissionHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(submissionKey)));
        if (await db.Submissions.AnyAsync(s => s.Hash == submissionHash, ct))
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

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var consumed = await db.AccessCodes
                .Where(c => c.Id == codeId && c.Uses < c.MaxUses)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Uses, c => c.Uses + 1), ct);
            if (consumed == 0)
            {
                // A double click whose twin was stored first is not a second answer with a used code.
                await transaction.RollbackAsync(ct);
                return Outcome(await db.Submissions.AnyAsync(s => s.Hash == submissionHash, ct) ? SubmitStatus.AlreadySaved : SubmitStatus.CodeUsed);
            }

            var content = new PendingContent(survey.Version.Id, Organisation.Region.Day(now), answers.Answers, answers.Texts);
            db.PendingResponses.Add(pending.Seal(code.RoundId, code.UnitId, code.Group, content, PendingResponses.PaddedSize(catalog.Definition(survey.Version), layout)));
            db.Submissions.Add(new Submission { Hash = submissionHash, RoundId = code.RoundId });
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
                // A concurrent retry of the same submission (a group code's next use) was received first: one answer is kept.
                await transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                if (await db.Submissions.AnyAsync(s => s.Hash == submissionHash, ct))
                {
                    return Outcome(SubmitStatus.AlreadySaved);
                }

                throw;
            }
        }

        db.ChangeTracker.Clear();
        try
        {
            await pending.FlushIfDueAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The answer is safely received; the reconciler flushes it a minute later.
            logger.LogError(e, "Odottavien vastausten tallennus epäonnistui");
        }

        return Outcome(SubmitStatus.Saved);
    }

    private static SubmitOutcome Outcome(SubmitStatus status) => new(status, new Dictionary<string, UiMessage>());
}
