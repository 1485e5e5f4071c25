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

/// <summary>Respondent-level data for analysts and administrators: the research dataset and the open answers, cut to what the round's publication shows.</summary>
internal static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExport(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/rounds").RequireAuthorization(Policies.Analyst);
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
}
