using System.Globalization;
using System.Security.Cryptography;
using Arviointi.Statistics;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Export;

/// <summary>Respondent-level data for analysts: the long format the statistics command reads, cut to what the round's publication shows.</summary>
internal static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExport(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/rounds").RequireAuthorization(Policies.Analyst);
        group.MapGet("/{roundId:int}/export.csv", ExportCsv);
        group.MapGet("/{roundId:int}/aineisto/{group:alpha}.zip", DatasetAsync);
        group.MapGet("/{roundId:int}/aineisto/{group:alpha}-avoimet.zip", OpenAnswersAsync).RequireAuthorization(Policies.Administrator);
        return routes;
    }

    /// <summary>
    /// The research dataset of one round and respondent group as a zip (<see cref="ResearchDataset"/>, <see cref="DatasetZip"/>):
    /// CSV, semicolon CSV, Parquet, codebook and risk report, streamed as it is written. <c>?yksikot=true</c> gives the
    /// unit instead of its size class, for administrators and the analysts they have granted it
    /// (<see cref="Scope.CanDownloadUnits"/>). Audited with its options, rows and the risk report's summary.
    /// </summary>
    private static async Task<IResult> DatasetAsync(int roundId, string group, bool? yksikot, AppDbContext db, SurveyCatalog catalog, Results.SnapshotBuilder snapshots, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var units = yksikot == true;
        if (units && !Scope.CanDownloadUnits(http.User))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Yksikkötason aineisto vaatii ylläpitäjän myöntämän oikeuden; ilman sitä aineistossa on yksikön kokoluokka.");
        }

        var (dataset, status, problem) = await DatasetDownloads.PlanAsync(db, catalog, snapshots, roundId, group, units, ct);
        if (dataset is null)
        {
            return problem is null ? TypedResults.NotFound() : TypedResults.Problem(statusCode: status, title: problem);
        }

        await DatasetDownloads.AuditAsync(db, time, http.User.Identity?.Name ?? "?", dataset, ct);
        http.Response.Headers.CacheControl = "no-store";

        AllowSynchronousWrites(http);
        return TypedResults.Stream(body => DatasetZip.WriteAsync(dataset, db, body, ct), "application/zip", $"{dataset.Stem}.zip");
    }

    /// <summary>
    /// A round's open answers of one respondent group as a zip of their own (<see cref="OpenAnswerFile"/>), for
    /// administrators only: the answers the publication shows, masked, with the municipality and nothing that links them
    /// to the research dataset. Audited with the number of rows.
    /// </summary>
    private static async Task<IResult> OpenAnswersAsync(int roundId, string group, AppDbContext db, SurveyCatalog catalog, Results.SnapshotBuilder snapshots, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var (file, status, problem) = await OpenAnswerFile.PlanAsync(db, catalog, snapshots, roundId, group, ct);
        if (file is null)
        {
            return problem is null ? TypedResults.NotFound() : TypedResults.Problem(statusCode: status, title: problem);
        }

        await file.AuditAsync(db, time, http.User.Identity?.Name ?? "?", ct);
        http.Response.Headers.CacheControl = "no-store";
        AllowSynchronousWrites(http);
        return TypedResults.Stream(body => file.WriteAsync(body, ct), "application/zip", $"{file.Stem}.zip");
    }

    /// <summary>CsvHelper and the zip's deflate streams write synchronously in places; this one download may block its thread.</summary>
    private static void AllowSynchronousWrites(HttpContext http)
    {
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>() is { } body)
        {
            body.AllowSynchronousIO = true;
        }
    }

    /// <summary>
    /// One row per respondent and item. Respondent ids are fresh random numbers in every export, rows are ordered by
    /// them, and codes, dates, IP addresses, units, background answers and free text are never included. What is
    /// exported follows the round's stored publication (<see cref="ExportRules"/>): a municipality's rows only where its
    /// respondents are shown, an item's values only where the municipality's cell of the item is shown ("suppressed"
    /// otherwise), so the export and the pages together reveal no hidden cell (docs/privacy.md).
    /// </summary>
    private static async Task<IResult> ExportCsv(int roundId, AppDbContext db, SurveyCatalog catalog, Results.SnapshotBuilder snapshots, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var round = await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null)
        {
            return TypedResults.NotFound();
        }

        if (round.State == RoundState.RawDataDeleted)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Kierroksen raakadata on poistettu säilytysajan päätyttyä; julkaistut tulokset ovat tallessa.");
        }

        if (round.State is not (RoundState.Closed or RoundState.Published) || await snapshots.LoadAsync(roundId, ct) is not { } results)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Aineistoa voi ladata vasta, kun kierros on päättynyt ja sen tulokset on laskettu.");
        }

        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, ct);
        var roundSurveys = await db.RoundSurveys.AsNoTracking().Include(s => s.SurveyVersion).Where(s => s.RoundId == roundId).ToListAsync(ct);
        // One row per respondent and item, respondents in the order of fresh random ids (so the file says nothing of the
        // storage order) and items by id; written straight to the response, never held whole in memory.
        var respondents = new List<(long Id, string Municipality, RespondentGroup Group, byte[] Answers, List<(string Id, int Slot, HashSet<string> Shown)> Items)>();
        foreach (var roundSurvey in roundSurveys)
        {
            if (results.Groups.FirstOrDefault(g => g.Group == roundSurvey.Group) is not { } published)
            {
                continue;
            }

            var definition = catalog.Definition(roundSurvey.SurveyVersion!);
            var layout = catalog.Layout(roundSurvey.SurveyVersion!);
            var municipalities = ExportRules.Municipalities(published);
            var items = ExportRules.Items(definition).Select(i => (i.Id, layout.SlotOf(i.Id)!.Index, ExportRules.ShownOn(published, i.Id).ToHashSet(StringComparer.Ordinal)))
                .OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
            var responses = await db.Responses.AsNoTracking()
                .Where(r => r.RoundId == roundId && r.Group == roundSurvey.Group && r.SurveyVersionId == roundSurvey.SurveyVersionId)
                .Select(r => new { r.UnitId, r.Answers }).ToListAsync(ct);
            foreach (var response in responses)
            {
                var municipality = units[response.UnitId].MunicipalityCode;
                if (municipalities.Contains(municipality))
                {
                    var id = RandomNumberGenerator.GetInt32(int.MaxValue) * (long)int.MaxValue + RandomNumberGenerator.GetInt32(int.MaxValue);
                    respondents.Add((id, municipality, roundSurvey.Group, response.Answers, items));
                }
            }
        }

        respondents.Sort((a, b) => a.Id.CompareTo(b.Id));
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = http.User.Identity?.Name ?? "?", Action = "export.csv", Details = $"Kierroksen {roundId} vastaajatason aineisto ladattiin" });
        await db.SaveChangesAsync(ct);

        var fileName = $"arviointi-{round.Year}-{round.Sector.ToString().ToLowerInvariant()}-vastaukset.csv";
        return TypedResults.Stream(
            async body =>
            {
                await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(false), 1 << 16);
                await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
                foreach (var header in (string[])["respondent_id", "municipality", "group", "item", "value"])
                {
                    csv.WriteField(header);
                }

                await csv.NextRecordAsync();
                foreach (var respondent in respondents)
                {
                    var id = respondent.Id.ToString("x", CultureInfo.InvariantCulture);
                    var group = respondent.Group.ToString().ToLowerInvariant();
                    foreach (var item in respondent.Items)
                    {
                        csv.WriteField(id);
                        csv.WriteField(respondent.Municipality);
                        csv.WriteField(group);
                        csv.WriteField(item.Id);
                        csv.WriteField(item.Shown.Contains(respondent.Municipality) ? Value(respondent.Answers[item.Slot]) : Suppressed);
                        await csv.NextRecordAsync();
                    }
                }
            },
            "text/csv; charset=utf-8",
            fileName);
    }

    /// <summary>The value of an item whose figures the publication hides for the respondent's municipality.</summary>
    public const string Suppressed = "suppressed";

    private static string Value(byte b) => b switch
    {
        AnswerCodes.NotAnswered => "",
        AnswerCodes.CantSay => "EOS",
        _ => b.ToString(CultureInfo.InvariantCulture),
    };
}
