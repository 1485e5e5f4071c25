using System.Globalization;
using System.Security.Claims;
using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Results.Charts;
using Arviointi.Web.Features.Shared;
using Microsoft.Extensions.Localization;

namespace Arviointi.Web.Features.Results;

/// <summary>
/// The result charts as SVG images, drawn from the stored snapshot with the same disclosure and scope as the tables
/// (a hidden cell is never drawn). Separate requests keep pages fast; the browser caches each chart. Each says above
/// it whose answers it shows; <c>?leveys=</c> draws it for that width (a phone's text is larger), 720 px by default.
/// </summary>
internal static class ChartEndpoints
{
    /// <summary>The widths a chart can be asked for: a small phone's up to a print's.</summary>
    private const int MinWidth = 280;
    private const int MaxWidth = 1440;

    public static void MapResultCharts(this IEndpointRouteBuilder app)
    {
        var charts = app.MapGroup("/tulokset/{roundId:int}/kaavio").RequireAuthorization(Policies.Results);
        charts.MapGet("/alue/{group}/{area}.svg", AreaAsync);
        charts.MapGet("/kysymys/{group}/{itemId}/{kind}.svg", ItemAsync);
    }

    /// <summary>The answer distribution of every item of a quality area: the region's, or a municipality's the user may see.</summary>
    private static async Task<IResult> AreaAsync(int roundId, string group, string area, string? kunta, int? leveys, ClaimsPrincipal user, ResultsQueries queries, IStringLocalizer<SharedResource> t, HttpContext http, CancellationToken ct)
    {
        if (leveys is < MinWidth or > MaxWidth)
        {
            return TypedResults.BadRequest();
        }

        if (await LoadGroupAsync(roundId, group, queries, ct) is not { } results)
        {
            return TypedResults.NotFound();
        }

        var areaId = area == "-" ? "" : area;
        var municipality = kunta is not null && Scope.CanSeeMunicipalityFigures(user, kunta) ? kunta : null;
        var lang = LanguageSwitch.Current;
        var bars = results.Items.Where(i => i.Area == areaId)
            .Select(i => (Item: i, Cell: municipality is null ? i.Region : i.Municipalities.FirstOrDefault(m => m.Key == municipality)))
            .Where(x => x.Cell?.Figures?.Counts is not null)
            .Select(x => new LikertBar(x.Item.Text.GetValueOrDefault(lang) ?? x.Item.Text["fi"], x.Cell!.Figures!.Counts!, false))
            .ToList();
        if (bars.Count == 0)
        {
            return TypedResults.NotFound();
        }

        var title = ChartImage.Whose(t, results.Group, ChartImage.Who(results.Items, municipality));
        var width = leveys ?? 720;
        return Svg(http, ResultCharts.LikertSvg(bars, Texts(t, double.NaN) with { Title = title }, $"{title}. {t["Vastausjakauma"]}: {t[Names.Area(areaId)]}", width));
    }

    private static async Task<IResult> ItemAsync(int roundId, string group, string itemId, string kind, string? kunta, int? leveys, ClaimsPrincipal user, ResultsQueries queries, IStringLocalizer<SharedResource> t, HttpContext http, CancellationToken ct)
    {
        if (leveys is < MinWidth or > MaxWidth)
        {
            return TypedResults.BadRequest();
        }

        if (await LoadGroupAsync(roundId, group, queries, ct) is not { } results || results.Items.FirstOrDefault(i => i.ItemId == itemId) is not { } item
            || item.Region.Figures is not { } region)
        {
            return TypedResults.NotFound();
        }

        var own = OwnMunicipality(user, kunta);
        var visible = item.Municipalities.Where(m => m.Figures is not null && Scope.CanSeeMunicipalityFigures(user, m.Key)).OrderBy(m => m.Name, Names.FinnishOrder).ToList();
        var byMunicipality = t["{0} kunnittain", t[Names.Answers(results.Group)]].Value;
        var texts = Texts(t, region.AgreeShare) with { Title = byMunicipality };
        var lang = LanguageSwitch.Current;
        var text = item.Text.GetValueOrDefault(lang) ?? item.Text["fi"];
        var width = leveys ?? 720;
        switch (kind)
        {
            case "jakauma":
                return Svg(http, ResultCharts.LikertSvg(
                    [new LikertBar(Region.NameFi, region.Counts ?? [], true), .. visible.Select(m => new LikertBar(m.Name, m.Figures!.Counts ?? [], m.Key == own))],
                    texts, $"{byMunicipality}. {t["Vastausjakaumat kunnittain: {0}", text]}", width));
            case "osuudet":
                return Svg(http, ResultCharts.SharesSvg(
                    [.. visible.Select(m => new ShareRow(m.Name, m.Figures!.AgreeShare, m.Figures.AgreeLower, m.Figures.AgreeUpper, m.Key == own, m.VsRest?.Differs == true))],
                    region.AgreeShare, texts, $"{byMunicipality}. {t["Samaa mieltä olevien osuus kunnittain luottamusväleineen: {0}", text]}", width));
            case "suppilo":
                return Svg(http, ResultCharts.FunnelSvg(
                    [.. visible.Select(m => new FunnelPoint(m.Name, m.Figures!.N, m.Figures.AgreeShare, m.Key == own))],
                    region.AgreeShare, texts, $"{byMunicipality}. {t["Suppilokuvio: kuntien osuudet vastaajamäärän mukaan: {0}", text]}", width));
            case "trendi":
                var series = Trend(item, results.Year, own, user);
                var who = series.Count == 1 ? series[0].Label : t["{0} ja {1}", series[0].Label, series[1].Label].Value;
                var title = ChartImage.Whose(t, results.Group, who);
                return Svg(http, ResultCharts.TrendSvg(series, texts with { Title = title }, $"{title}. {t["Kehitys aiempiin kierroksiin verrattuna: {0}", text]}", width));
            default:
                return TypedResults.NotFound();
        }
    }

    /// <summary>The region's series and the own (or chosen) municipality's, from the snapshot's history and this round.</summary>
    private static List<TrendSeries> Trend(ItemResults item, int year, string? own, ClaimsPrincipal user)
    {
        var history = item.History ?? [];
        var series = new List<TrendSeries>
        {
            new(Region.NameFi, [.. history.Where(h => h.Region is not null).Select(h => Point(h.Year, h.Region!)), Point(year, item.Region.Figures!)], own is null),
        };
        if (own is not null && Scope.CanSeeMunicipalityFigures(user, own) && item.Municipalities.FirstOrDefault(m => m.Key == own) is { } cell)
        {
            var points = history.Where(h => h.Municipalities.ContainsKey(own)).Select(h => Point(h.Year, h.Municipalities[own])).ToList();
            if (cell.Figures is { } f)
            {
                points.Add(Point(year, f));
            }

            series.Add(new TrendSeries(cell.Name, points, true));
        }

        return series;
    }

    private static TrendPoint Point(int year, ShareFigures f) => new(year, f.Share, f.Lower, f.Upper);

    private static TrendPoint Point(int year, Figures f) => new(year, f.AgreeShare, f.AgreeLower, f.AgreeUpper);

    private static string? OwnMunicipality(ClaimsPrincipal user, string? requested) =>
        requested ?? (user.IsInRole(Roles.Director) || user.IsInRole(Roles.UnitLeader) ? user.MunicipalityCode() : null);

    private static async Task<GroupView?> LoadGroupAsync(int roundId, string group, ResultsQueries queries, CancellationToken ct)
    {
        if (!Enum.TryParse<RespondentGroup>(group, ignoreCase: false, out var respondentGroup) || await queries.LoadAsync(roundId, ct) is not { } loaded)
        {
            return null;
        }

        return loaded.Results.Groups.FirstOrDefault(g => g.Group == respondentGroup) is { } found ? new GroupView(loaded.Round.Year, found.Group, found.Items) : null;
    }

    /// <summary>The charts' texts in the reader's language; the region's line is labelled with its share unless NaN.</summary>
    internal static ChartTexts Texts(IStringLocalizer t, double regionShare) => new(
        [.. ScaleLabels.Agreement.Select(l => t[l].Value)],
        t["Samaa mieltä (%)"],
        t["Vastauksia (n)"],
        double.IsNaN(regionShare) ? Region.NameFi : $"{Region.NameFi} {Format.Percent(regionShare)}",
        t["95 %:n rajat"],
        t["99,8 %:n rajat"],
        t["Vuosi"]);

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Svg(HttpContext http, string svg)
    {
        // A chart shows figures of one scope: like every response but static files, a shared computer must not keep it.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Text(svg, "image/svg+xml; charset=utf-8");
    }

    private sealed record GroupView(int Year, RespondentGroup Group, IReadOnlyList<ItemResults> Items);
}
