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
internal sealed class AnsweringService(AppDbContext db, AnsweringCache cache, SurveyCatalog catalog, AnswerWriter writer, PendingResponses pending, AnsweringKeys keys, TimeProvider time)
{
    public async Task<CodeCheck> CheckAsync(string? code, CancellationToken ct = default)
    {
        var normalized = AccessCodes.Normalize(code);
        if (normalized.Length != AccessCodes.Length)
        {
            return new CodeCheck(CodeStatus.Unknown, null);
        }

        var hash = keys.HashCode(normalized);
        return Check(await db.AccessCodes.AsNoTracking().Include(c => c.Round).FirstOrDefaultAsync(c => c.Hash == hash, ct));
    }

    /// <summary>A group code this browser already entered, for the next child of the group (<see cref="AnswerSession.RememberedGroup"/>).</summary>
    public async Task<CodeCheck> CheckGroupAsync(int codeId, CancellationToken ct = default) =>
        Check(await db.AccessCodes.AsNoTracking().Include(c => c.Round).FirstOrDefaultAsync(c => c.Id == codeId && c.Kind == AccessCodeKind.Group, ct));

    private CodeCheck Check(AccessCode? found)
    {
        var round = found?.Round;
        var now = time.GetUtcNow();
        return found switch
        {
            null or { Round: null } => new CodeCheck(CodeStatus.Unknown, null),
            _ when round!.State is RoundState.Draft or RoundState.Scheduled || now < round.OpensAt => new CodeCheck(CodeStatus.NotYetOpen, found),
            _ when !round.AcceptsAnswers(now) => new CodeCheck(CodeStatus.Closed, found),
            _ when found.Uses >= found.MaxUses => new CodeCheck(CodeStatus.Used, found),
            _ => new CodeCheck(CodeStatus.Valid, found),
        };
    }

    /// <summary>The survey a code answers and its round, from memory after the first request (<see cref="AnsweringCache"/>).</summary>
    public async Task<(SurveyVersion Version, EvaluationRound Round)?> SurveyForAsync(int codeId, CancellationToken ct = default) =>
        await cache.SurveyForAsync(db, codeId, ct) is { } found ? (found.Version, found.Round) : null;

    /// <summary>
    /// Consumes the code and stores the answers as a sealed <see cref="PendingResponse"/> in one transaction (the draft,
    /// if any, goes with them), written by the <see cref="AnswerWriter"/> together with other respondents' writes; the
    /// answers become a response at a later flush, among others, in a transaction of its own.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(int codeId, string submissionKey, ParsedAnswers answers, string? draftSecret = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.Errors.Count > 0)
        {
            return new SubmitOutcome(SubmitStatus.Invalid, answers.Errors);
        }

        var now = time.GetUtcNow();
        if (await cache.SurveyForAsync(db, codeId, ct) is not { } survey)
        {
            return Outcome(SubmitStatus.RoundClosed);
        }

        var layout = catalog.Layout(survey.Version);
        if (answers.Answers.Length != layout.Length)
        {
            return new SubmitOutcome(SubmitStatus.Invalid, new Dictionary<string, UiMessage> { [""] = new UiMessage("Lomake ei vastaa tätä kyselyä. Avaa kysely uudelleen.") });
        }

        var content = new PendingContent(survey.Version.Id, Organisation.Region.Day(now), answers.Answers, answers.Texts);
        var place = survey.Place;
        var sealedAnswer = pending.Seal(place.RoundId, place.UnitId, place.Group, content, PendingResponses.PaddedSize(catalog.Definition(survey.Version), layout));
        var submissionHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(submissionKey)));
        var result = await writer.SendAsync(codeId, submissionHash, sealedAnswer, draftSecret is null ? null : DraftStore.Lookup(draftSecret), now).WaitAsync(ct);
        return Outcome(result switch
        {
            SendResult.Saved => SubmitStatus.Saved,
            SendResult.AlreadySaved => SubmitStatus.AlreadySaved,
            SendResult.CodeUsed => SubmitStatus.CodeUsed,
            _ => SubmitStatus.RoundClosed,
        });
    }

    private static SubmitOutcome Outcome(SubmitStatus status) => new(status, new Dictionary<string, UiMessage>());
}
