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

/// <summary>Respondent-level data for analysts: the long format the statistics command reads.</summary>
internal static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExport(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/rounds").RequireAuthorization(Policies.Analyst);
        group.MapGet("/{roundId:int}/export.csv", ExportCsv);
        return routes;
    }

    /// <summary>
    /// One row per respondent and item. Respondent ids are fresh random numbers in every export, rows are
    /// ordered by them, and codes, dates, IP addresses, background answers and free text are never included.
    /// Municipalities under 5 respondents of a group are left out, and units under 5 are blanked.
    /// </summary>
    private static async Task<IResult> ExportCsv(int roundId, AppDbContext db, SurveyCatalog catalog, TimeProvider time, HttpContext http, CancellationToken ct)
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

        if (round.State is not (RoundState.Closed or RoundState.Published))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Aineistoa voi ladata vasta, kun kierros on päättynyt.");
        }

        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, ct);
        var roundSurveys = await db.RoundSurveys.AsNoTracking().Include(s => s.SurveyVersion).Where(s => s.RoundId == roundId).ToListAsync(ct);
        var rows = new List<(long Respondent, string Municipality, string Unit, RespondentGroup Group, string Item, string Value)>();
        foreach (var roundSurvey in roundSurveys)
        {
            var definition = catalog.Definition(roundSurvey.SurveyVersion!);
            var layout = catalog.Layout(roundSurvey.SurveyVersion!);
            var slots = layout.Slots.Where(s => s.Item.Type is ItemType.Agreement or ItemType.Smiley && !s.Item.Background).ToList();
            var responses = await db.Responses.AsNoTracking()
                .Where(r => r.RoundId == roundId && r.Group == roundSurvey.Group)
                .Select(r => new { r.UnitId, r.Answers }).ToListAsync(ct);
            // The same disclosure as the pages, complementary cells included: the published region total minus the
            // exported rows must not reveal a small municipality, nor a municipality's total minus its named units a small unit.
            var hiddenMunicipalities = Hidden(responses.CountBy(r => units[r.UnitId].MunicipalityCode).Select(c => new DisclosureCell<string>(c.Key, c.Key, c.Value)).ToList());
            var blankedUnits = responses.CountBy(r => r.UnitId).GroupBy(c => units[c.Key].MunicipalityCode)
                .SelectMany(g => Hidden(g.Select(c => new DisclosureCell<int>(c.Key, units[c.Key].Name, c.Value)).ToList()))
                .ToHashSet();
            foreach (var response in responses)
            {
                var unit = units[response.UnitId];
                if (hiddenMunicipalities.Contains(unit.MunicipalityCode))
                {
                    continue;
                }

                var respondent = RandomNumberGenerator.GetInt32(int.MaxValue) * (long)int.MaxValue + RandomNumberGenerator.GetInt32(int.MaxValue);
                var unitName = blankedUnits.Contains(unit.Id) ? "" : unit.Name;
                rows.AddRange(slots.Select(s => (respondent, unit.MunicipalityCode, unitName, roundSurvey.Group, s.Item.Id, Value(response.Answers[s.Index]))));
            }
        }

        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = http.User.Identity?.Name ?? "?", Action = "export.csv", Details = $"Kierroksen {roundId} vastaajatason aineisto ladattiin" });
        await db.SaveChangesAsync(ct);

        await using var writer = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            csv.WriteField("respondent_id");
            csv.WriteField("municipality");
            csv.WriteField("unit");
            csv.WriteField("group");
            csv.WriteField("item");
            csv.WriteField("value");
            await csv.NextRecordAsync();
            foreach (var row in rows.OrderBy(r => r.Respondent).ThenBy(r => r.Item, StringComparer.Ordinal))
            {
                csv.WriteField(row.Respondent.ToString("x", CultureInfo.InvariantCulture));
                csv.WriteField(row.Municipality);
                csv.WriteField(row.Unit);
                csv.WriteField(row.Group.ToString().ToLowerInvariant());
                csv.WriteField(row.Item);
                csv.WriteField(row.Value);
                await csv.NextRecordAsync();
            }
        }

        var fileName = $"arviointi-{round.Year}-{round.Sector.ToString().ToLowerInvariant()}-vastaukset.csv";
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", fileName);
    }

    private static HashSet<TKey> Hidden<TKey>(List<DisclosureCell<TKey>> cells) =>
        [.. Disclosure.Decide(cells).Where(d => d.Suppressed).Select(d => d.Key)];

    private static string Value(byte b) => b switch
    {
        AnswerCodes.NotAnswered => "",
        AnswerCodes.CantSay => "EOS",
        _ => b.ToString(CultureInfo.InvariantCulture),
    };
}
