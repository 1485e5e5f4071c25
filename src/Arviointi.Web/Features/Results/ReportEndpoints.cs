using System.Security.Claims;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.ResponseRates;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Results;

/// <summary>The municipality report as a PDF download, for administrators and the municipality's own director.</summary>
internal static class ReportEndpoints
{
    public static void MapMunicipalityReport(this IEndpointRouteBuilder app) =>
        app.MapGet("/tulokset/{roundId:int}/kunta/{code}/raportti.pdf", CreateAsync).RequireAuthorization(Policies.Results);

    private static async Task<IResult> CreateAsync(
        int roundId, string code, ClaimsPrincipal user, AppDbContext db, ResultsQueries queries, ResponseRateQueries rates, IAuthorizationService authorization, TimeProvider time, CancellationToken ct)
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
        var units = await db.Units.AsNoTracking().Where(u => u.Sector == round.Sector).ToListAsync(ct);
        var figures = await rates.FiguresAsync(round, [.. units.Select(u => u.Id)], ct);
        var own = units.Where(u => u.MunicipalityCode == code).ToList();
        var groups = results.Groups.Select(g => g.Group).ToList();
        var reportRates = figures.Rows(municipality.NameFi, own, groups, isUnit: false)
            .Zip(figures.Rows(Organisation.Region.NameFi, units, groups, isUnit: false), (m, r) => new ReportRate(m.Group, m, r))
            .Where(r => r.Municipality.Enrolment is not null)
            .ToList();
        var pdf = MunicipalityReport.Create(round, results, municipality, reportRates, time.GetUtcNow());
        return TypedResults.File(pdf, "application/pdf", $"arviointiraportti-{municipality.NameFi.ToLowerInvariant()}-{round.Year}.pdf");
    }
}
