using Arviointi.Statistics;

namespace Arviointi.Cli.Stats;

/// <summary>The computed figures of one (item, respondent group).</summary>
/// <param name="Region">Figures over every answer, hidden municipalities' included.</param>
/// <param name="KruskalWallis">Test of differences between the visible municipalities; null with fewer than two.</param>
internal sealed record ItemResult(
    string Item,
    string Group,
    LikertSummary Region,
    IReadOnlyList<MunicipalityResult> Municipalities,
    KruskalWallisResult? KruskalWallis);

/// <summary>One municipality's figures; <paramref name="Figures"/> is null when they are hidden, so hidden figures never reach the output.</summary>
internal sealed record MunicipalityResult(string Municipality, MunicipalityFigures? Figures, SuppressionReason SuppressionReason)
{
    public bool Suppressed => Figures is null;
}

/// <summary>A visible municipality's own figures and its comparison with the rest of the region.</summary>
/// <param name="HolmP"><see cref="LikertComparison.MannWhitneyP"/> adjusted by Holm across the item's visible municipalities.</param>
internal sealed record MunicipalityFigures(LikertSummary Summary, LikertComparison VsRest, double HolmP);
