using Arviointi.Surveys;

namespace Arviointi.Web.Features.Results;

/// <summary>One item of one group where a cell stands out: against the rest, or against the previous round.</summary>
internal sealed record Finding(RespondentGroup Group, ItemResults Item, Cell Cell);

/// <summary>A finding as one sentence of the summary, linking to its item.</summary>
internal sealed record FindingLine(Finding Finding, string Link, bool AsChange)
{
    public const string Rises = "{0}: {1} samaa mieltä väitteestä ”{2}”; vuonna {3} {4}. Nousua {5} prosenttiyksikköä (todennäköisesti {6}–{7}).";
    public const string Falls = "{0}: {1} samaa mieltä väitteestä ”{2}”; vuonna {3} {4}. Laskua {5} prosenttiyksikköä (todennäköisesti {6}–{7}).";
    public const string AboveRegion = "{0}: {1} samaa mieltä väitteestä ”{2}”. Se on {3} prosenttiyksikköä enemmän kuin muissa kunnissa (todennäköisesti {4}–{5}).";
    public const string BelowRegion = "{0}: {1} samaa mieltä väitteestä ”{2}”. Se on {3} prosenttiyksikköä vähemmän kuin muissa kunnissa (todennäköisesti {4}–{5}).";
}

/// <summary>A group's respondents in the reader's own area and in the whole region.</summary>
internal sealed record RateLine(RespondentGroup Group, RateCell? Own, RateCell? Region)
{
    public static double? Share(RateCell? cell) =>
        cell is { Suppressed: false, Respondents: { } n, Enrolment: > 0 and var enrolled } ? (double)n / enrolled : null;
}

/// <summary>
/// The first screen of a results page, read in a minute: response rates, the few strengths and concerns against the
/// rest, and the clearest changes since the previous round. Every figure is a stored, published cell of the snapshot,
/// so the summary shows nothing the tables do not (docs/privacy.md).
/// </summary>
internal static class Story
{
    /// <summary>How many strengths, concerns and changes the first screen shows; the rest are in the details.</summary>
    public const int Shown = 3;

    /// <summary>Items where <paramref name="pick"/>'s cell is clearly above (or below) the rest, the largest differences first.</summary>
    public static IReadOnlyList<Finding> AgainstRest(RoundResults results, Func<ItemResults, Cell?> pick, bool above) =>
        [.. Cells(results, pick)
            .Where(f => f.Cell.VsRest is { Differs: true } vs && (vs.AgreeDiff > 0) == above)
            .OrderByDescending(f => Math.Abs(f.Cell.VsRest!.AgreeDiff))];

    /// <summary>Items whose share agreeing changed clearly since the previous round (the interval excludes zero), largest first.</summary>
    public static IReadOnlyList<Finding> Changes(RoundResults results, Func<ItemResults, Cell?> pick) =>
        [.. Cells(results, pick)
            .Where(f => f.Cell.Change is { Significant: true })
            .OrderByDescending(f => Math.Abs(f.Cell.Change!.Diff))];

    /// <summary>Each group's response rate for <paramref name="key"/> (a municipality code or unit id) and for the region.</summary>
    public static IReadOnlyList<RateLine> Rates(RoundResults results, string? key) =>
        [.. results.Groups.Select(g => new RateLine(
            g.Group,
            key is null ? null : g.Rates?.Cells.FirstOrDefault(c => c.Key == key),
            g.Rates?.Cells.FirstOrDefault(c => c.Key == "region")))];

    private static IEnumerable<Finding> Cells(RoundResults results, Func<ItemResults, Cell?> pick) =>
        results.Groups.SelectMany(g => g.Items.Select(i => (Group: g.Group, Item: i, Cell: pick(i))))
            .Where(f => f.Cell is { Suppressed: false, Figures: not null })
            .Select(f => new Finding(f.Group, f.Item, f.Cell!));
}
