using System.Collections.Concurrent;
using System.Diagnostics;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Answering;

/// <summary>What a respondent request needs of its code that never changes: its round, unit and group.</summary>
internal sealed record CodePlace(int RoundId, int UnitId, RespondentGroup Group);

/// <summary>A round as respondent pages read it: its times and state, and the survey version of each group.</summary>
internal sealed record RoundForAnswering(EvaluationRound Round, IReadOnlyDictionary<RespondentGroup, SurveyVersion> Surveys, long ReadAt);

/// <summary>
/// Keeps in memory what every respondent request would otherwise read again: where a code belongs (fixed when the
/// code is made) and its round with the survey versions (the round's state and times are read again at most every
/// <see cref="RoundLifetime"/>, so an instance sees another instance's open or close within seconds). The cache
/// decides nothing final: entering a code reads the round afresh, a page that would turn the respondent away reads it
/// again first, and a send checks the code's uses and the round's state in the transaction that stores it
/// (<see cref="AnswerWriter"/>); a stale entry can only show a page a few seconds after the close.
/// </summary>
internal sealed class AnsweringCache
{
    public static readonly TimeSpan RoundLifetime = TimeSpan.FromSeconds(5);

    /// <summary>More than a region's codes of one round; past it the oldest half is dropped.</summary>
    private const int MaxCodes = 200_000;

    private readonly ConcurrentDictionary<int, CodePlace> codes = new();
    private readonly ConcurrentDictionary<int, RoundForAnswering> rounds = new();

    private static readonly Func<AppDbContext, int, Task<CodePlace?>> CodeQuery = EF.CompileAsyncQuery((AppDbContext db, int id) =>
        db.AccessCodes.Where(c => c.Id == id).Select(c => new CodePlace(c.RoundId, c.UnitId, c.Group)).FirstOrDefault());

    public async Task<CodePlace?> CodeAsync(AppDbContext db, int codeId)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (codes.TryGetValue(codeId, out var known))
        {
            return known;
        }

        var place = await CodeQuery(db, codeId);
        if (place is not null)
        {
            if (codes.Count >= MaxCodes)
            {
                codes.Clear();
            }

            codes[codeId] = place;
        }

        return place;
    }

    /// <summary>The code's round and the survey its group answers, or null when either no longer exists.</summary>
    public async Task<(SurveyVersion Version, EvaluationRound Round, CodePlace Place)?> SurveyForAsync(AppDbContext db, int codeId, CancellationToken ct)
    {
        if (await CodeAsync(db, codeId) is not { } place || await RoundAsync(db, place.RoundId, ct) is not { } round
            || !round.Surveys.TryGetValue(place.Group, out var version))
        {
            return null;
        }

        return (version, round.Round, place);
    }

    public async Task<RoundForAnswering?> RoundAsync(AppDbContext db, int roundId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = Stopwatch.GetTimestamp();
        if (rounds.TryGetValue(roundId, out var cached) && Stopwatch.GetElapsedTime(cached.ReadAt, now) < RoundLifetime)
        {
            return cached;
        }

        var round = await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null)
        {
            rounds.TryRemove(roundId, out _);
            return null;
        }

        // Survey versions never change once imported; reuse the parsed ones while the round's choice stays the same.
        var choice = await db.RoundSurveys.Where(s => s.RoundId == roundId).Select(s => new { s.Group, s.SurveyVersionId }).ToListAsync(ct);
        var surveys = new Dictionary<RespondentGroup, SurveyVersion>();
        foreach (var pick in choice)
        {
            surveys[pick.Group] = cached?.Surveys.GetValueOrDefault(pick.Group) is { } same && same.Id == pick.SurveyVersionId
                ? same
                : await db.SurveyVersions.AsNoTracking().FirstAsync(v => v.Id == pick.SurveyVersionId, ct);
        }

        var fresh = new RoundForAnswering(round, surveys, now);
        rounds[roundId] = fresh;
        return fresh;
    }

    /// <summary>Forgets a round at once, for changes made by this instance (a coordinator's edit, a close).</summary>
    public void Forget(int roundId) => rounds.TryRemove(roundId, out _);
}
