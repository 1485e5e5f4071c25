using Arviointi.Web.Features.Results;

namespace Arviointi.Web.Features.Export;

/// <summary>
/// Which municipalities' respondents the research dataset holds, read from the round's stored publication so that it
/// never shows what the pages hide (the rest of its blanking is <see cref="PublishedCells"/>).
/// </summary>
internal static class ExportRules
{
    /// <summary>The municipalities whose rows are exported: those whose respondents the response rates show.</summary>
    public static IReadOnlySet<string> Municipalities(GroupResults group) =>
        (group.Rates?.Cells.Where(c => !c.IsUnit && c.Key != "region" && !c.Suppressed).Select(c => c.Key) ?? []).ToHashSet(StringComparer.Ordinal);
}
