using System.Globalization;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Export;

/// <summary>What the download endpoint and <c>arviointi export</c> share: which round and group can be exported, and the audit of each export.</summary>
internal static class DatasetDownloads
{
    /// <summary>The planned dataset, or the HTTP status and Finnish message of why there is none (null message: not found).</summary>
    public static async Task<(ResearchDataset? Dataset, int Status, string? Problem)> PlanAsync(AppDbContext db, SurveyCatalog catalog, SnapshotBuilder snapshots, int roundId, string group, bool units, CancellationToken ct)
    {
        var (round, published, status, problem) = await PublishedGroupAsync(db, snapshots, roundId, group, ct);
        if (published is null)
        {
            return (null, status, problem);
        }

        return await ResearchDataset.PlanAsync(db, catalog, round!, published, new DatasetOptions(units), ct) is { } dataset
            ? (dataset, StatusCodes.Status200OK, null)
            : (null, StatusCodes.Status404NotFound, null);
    }

    /// <summary>
    /// A round whose raw data is still kept and whose results are computed, with the stored publication of one respondent
    /// group (every unit's cells included); or the HTTP status and Finnish message of why not (null message: not found).
    /// </summary>
    public static async Task<(EvaluationRound? Round, GroupResults? Published, int Status, string? Problem)> PublishedGroupAsync(AppDbContext db, SnapshotBuilder snapshots, int roundId, string group, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(snapshots);
        if (!Enum.TryParse<RespondentGroup>(group, ignoreCase: true, out var respondents) || int.TryParse(group, out _)
            || await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == roundId, ct) is not { } round)
        {
            return (null, null, StatusCodes.Status404NotFound, null);
        }

        if (round.State == RoundState.RawDataDeleted)
        {
            return (null, null, StatusCodes.Status410Gone, "Kierroksen raakadata on poistettu säilytysajan päätyttyä; julkaistut tulokset ovat tallessa.");
        }

        if (round.State is not (RoundState.Closed or RoundState.Published) || await snapshots.LoadWholeAsync(roundId, ct) is not { } results)
        {
            return (null, null, StatusCodes.Status409Conflict, "Aineistoa voi ladata vasta, kun kierros on päättynyt ja sen tulokset on laskettu.");
        }

        return results.Groups.FirstOrDefault(g => g.Group == respondents) is { } published
            ? (round, published, StatusCodes.Status200OK, null)
            : (null, null, StatusCodes.Status404NotFound, null);
    }

    /// <summary>Records who exported which round and group with which options, how many rows, and the risk report's summary.</summary>
    public static async Task AuditAsync(AppDbContext db, TimeProvider time, string actor, ResearchDataset dataset, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(dataset);
        var risk = dataset.Risk;
        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow(),
            Actor = actor,
            Action = "export.dataset",
            Details = string.Create(CultureInfo.InvariantCulture,
                $"Kierroksen {dataset.Round.Id} aineisto ({dataset.Group.ToString().ToLowerInvariant()}, {(dataset.Options.Units ? "yksiköt" : "kokoluokat")}, k = {risk.K}) ladattiin: {dataset.RowCount} riviä; k:ta rikkovia {risk.ViolatingBefore} → {risk.ViolatingAfter}, odotetut tunnistukset {risk.ExpectedReidentificationsBefore:0.00} → {risk.ExpectedReidentificationsAfter:0.00}, piilotettuja arvoja {risk.Columns.Sum(c => c.Suppressed)}, yhdistettyjä {risk.Columns.Sum(c => c.Recoded)}"),
        });
        await db.SaveChangesAsync(ct);
    }
}
