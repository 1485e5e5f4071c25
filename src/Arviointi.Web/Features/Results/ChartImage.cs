using Arviointi.Surveys;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Shared;
using Microsoft.Extensions.Localization;

namespace Arviointi.Web.Features.Results;

/// <summary>
/// A chart as a page embeds it (<c>_Chart.cshtml</c>): its address, the same chart drawn for a phone, and its text
/// alternative. Drawn 720 px wide and shrunk to a phone, chart text would be 5–6 px; below 752 px of viewport (720 px
/// of content with the page's padding) the phone drawing, 320 px wide with 13 px text, is shown at its own size.
/// </summary>
internal sealed record ChartImage(string Src, string Alt)
{
    /// <summary>The width of the phone drawing, in CSS pixels.</summary>
    public const int PhoneWidth = 320;

    /// <summary>Where the 720 px drawing would be shown smaller than drawn.</summary>
    public const string PhoneMedia = "(max-width: 751px)";

    public string PhoneSrc => $"{Src}{(Src.Contains('?', StringComparison.Ordinal) ? '&' : '?')}leveys={PhoneWidth}";

    /// <summary>
    /// A quality area's answer distribution for a municipality, or for the region when <paramref name="municipality"/> is
    /// null; null when the snapshot has not one distribution of it to draw (all hidden), so a page shows no broken image.
    /// </summary>
    public static ChartImage? Area(IStringLocalizer t, int roundId, GroupResults group, string area, string? municipality)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(group);
        var cells = group.Items.Where(i => i.Area == area)
            .Select(i => municipality is null ? i.Region : i.Municipalities.FirstOrDefault(m => m.Key == municipality));
        if (!cells.Any(c => c?.Figures?.Counts is not null))
        {
            return null;
        }

        var src = $"/tulokset/{roundId}/kaavio/alue/{group.Group}/{(area.Length == 0 ? "-" : area)}.svg?kieli={LanguageSwitch.Current}"
            + (municipality is null ? "" : "&kunta=" + municipality);
        return new(src, $"{Whose(t, group.Group, Who(group.Items, municipality))}. {t["Vastausjakaumat, {0}: taulukot alla kertovat samat luvut.", t[Names.Area(area)]]}");
    }

    /// <summary>Whose answers a chart shows, as drawn above it: "Huoltajien vastaukset, Orimattila".</summary>
    public static string Whose(IStringLocalizer t, RespondentGroup group, string who) => $"{t[Names.Answers(group)]}, {who}";

    /// <summary>The municipality's name as the results store it, or the region's.</summary>
    public static string Who(IEnumerable<ItemResults> items, string? municipality) =>
        municipality is null ? Region.NameFi : items.SelectMany(i => i.Municipalities).FirstOrDefault(m => m.Key == municipality)?.Name ?? Region.NameFi;
}
