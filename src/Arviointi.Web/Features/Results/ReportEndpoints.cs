using System.Security.Claims;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Arviointi.Web.Features.Results;

/// <summary>The municipality report as a PDF download in the reader's language, for administrators and the municipality's own director.</summary>
internal static class ReportEndpoints
{
    public static void MapMunicipalityReport(this IEndpointRouteBuilder app) =>
        app.MapGet("/tulokset/{roundId:int}/kunta/{code}/raportti.pdf", CreateAsync).RequireAuthorization(Policies.Results);

    private static async Task<IResult> CreateAsync(
        int roundId, string code, ClaimsPrincipal user, AppDbContext db, ResultsQueries queries, ResponseRateQueries rates, IAuthorizationService authorization, TimeProvider time, IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        var municipality = await db.Municipalities.AsNoTracking().FirstOrDefaultAsync(m => m.Code == code, ct);
        if (municipality is null)
        {
            return TypedResults.NotFound();
        }

        if (!(await authorization.AuthorizeAsync(user, municipality, Policies.MunicipalityScope)).Succeeded)
        {
            return TypedResults.Forbid();
        }

        if (await queries.LoadAsync(roundId, ct) is not { } loaded)
        {
            return TypedResults.NotFound();
        }

        var (round, results) = loaded;
        // The rates as the publication model shows them, stored with the results: the municipality's row and the region's.
        var published = await rates.PublishedAsync(round, ct);
        var reportRates = results.Groups.Select(g => g.Group).Where(published.ContainsKey)
            .Select(g => (Group: g, Municipality: published[g].Cells.FirstOrDefault(c => !c.IsUnit && c.Key == code), Region: published[g].Cells.First(c => c.Key == "region")))
            .Where(r => r.Municipality?.Enrolment is not null)
            .Select(r => new ReportRate(r.Group, RateRow.Of(r.Municipality!, r.Group, null), RateRow.Of(r.Region, r.Group, null)))
            .ToList();
        var language = LanguageSwitch.Current;
        var pdf = MunicipalityReport.Create(round, results, municipality, reportRates, time.GetUtcNow(), t, language);
        return TypedResults.File(pdf, "application/pdf", $"{t["arviointiraportti"]}-{municipality.Name(language).ToLowerInvariant()}-{round.Year}.pdf");
    }
}
