using System.Globalization;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Results;

/// <summary>Loading a round with its stored results, shared by the result pages.</summary>
internal sealed class ResultsQueries(AppDbContext db, SnapshotBuilder snapshots, IHttpContextAccessor http)
{
    public Task<(EvaluationRound Round, RoundResults Results)?> LoadAsync(int roundId, CancellationToken ct) => LoadAsync(roundId, null, ct);

    /// <summary>The round and its results, with the units of <paramref name="unitsOf"/> (a municipality code) when given.</summary>
    public async Task<(EvaluationRound Round, RoundResults Results)?> LoadAsync(int roundId, string? unitsOf, CancellationToken ct)
    {
        var round = await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null || !Visible(round.State))
        {
            return null;
        }

        var results = unitsOf is null ? await snapshots.LoadAsync(roundId, ct) : await snapshots.LoadAsync(roundId, unitsOf, ct);
        return results is null ? null : (round, results);
    }

    /// <summary>Rounds whose results the user may read, newest first: administrators review them before publication.</summary>
    public async Task<IReadOnlyList<EvaluationRound>> ClosedRoundsAsync(CancellationToken ct) =>
        (await db.Rounds.AsNoTracking().OrderByDescending(r => r.Year).ToListAsync(ct)).Where(r => Visible(r.State)).ToList();

    /// <summary>Rounds whose raw answers still exist, for respondent-level exports.</summary>
    public async Task<IReadOnlyList<EvaluationRound>> RoundsWithDataAsync(CancellationToken ct) =>
        await db.Rounds.AsNoTracking().Where(r => r.State == RoundState.Closed || r.State == RoundState.Published)
            .OrderByDescending(r => r.Year).ToListAsync(ct);

    private bool Visible(RoundState state) =>
        state is RoundState.Published or RoundState.RawDataDeleted
        || (state == RoundState.Closed && http.HttpContext?.User.IsInRole(Identity.Roles.Administrator) == true);
}

/// <summary>How figures are written in the UI: Finnish number format, one decimal.</summary>
internal static class Format
{
    public static string Mean(double value) => double.IsNaN(value) ? "–" : value.ToString("0.00", CultureInfo.CurrentCulture);

    public static string Percent(double share) => double.IsNaN(share) ? "–" : (share * 100).ToString("0", CultureInfo.CurrentCulture) + "\u00A0%";

    public static string Interval(double lower, double upper) =>
        double.IsNaN(lower) ? "" : $"{(lower * 100).ToString("0", CultureInfo.CurrentCulture)}–{(upper * 100).ToString("0", CultureInfo.CurrentCulture)}\u00A0%";

    /// <summary>A difference of shares in percentage points with its sign, e.g. "+12 %-yks." (the unit is a resource key).</summary>
    public static string Points(double difference) =>
        double.IsNaN(difference) ? "–" : (difference * 100).ToString("+0;−0;0", CultureInfo.CurrentCulture);

    /// <summary>A count with the culture's thousands separator: 4297 → "4 297".</summary>
    public static string Count(int n) => n.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>A share or difference as whole percentage points without a sign, for sentences: 0.083 → "8".</summary>
    public static string Whole(double share) => double.IsNaN(share) ? "–" : (share * 100).ToString("0", CultureInfo.CurrentCulture);

    public static string PointsInterval(double lower, double upper) =>
        double.IsNaN(lower) ? "" : $"{Points(lower)}…{Points(upper)}";

    /// <summary>A p value as a statistician reads it: three decimals, or "&lt; 0,001".</summary>
    public static string P(double p) =>
        double.IsNaN(p) ? "–" : p < 0.001 ? "< " + 0.001.ToString("0.000", CultureInfo.CurrentCulture) : p.ToString("0.000", CultureInfo.CurrentCulture);

    /// <summary>A p value in a sentence: "p = 0,012" or "p &lt; 0,001", never "p = &lt; 0,001".</summary>
    public static string PStatement(double p) => double.IsNaN(p) ? "p –" : p < 0.001 ? "p " + P(p) : "p = " + P(p);

    public static string Decimal(double value, string format = "0.00") => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.CurrentCulture);
}
