using Arviointi.Statistics;

namespace Arviointi.Cli.Stats;

/// <summary>The computed figures of one (item, respondent group).</summary>
/// <param name="KruskalWallis">Test of differences between municipalities; not computed yet, always null.</param>
internal sealed record ItemResult(
    string Item,
    string Group,
    LikertSummary Region,
    IReadOnlyList<MunicipalityResult> Municipalities,
    KruskalWallisResult? KruskalWallis);

/// <summary>One municipality's figures; <paramref name="Summary"/> is null when they are hidden, so hidden figures never reach the output.</summary>
internal sealed record MunicipalityResult(string Municipality, LikertSummary? Summary, SuppressionReason SuppressionReason)
{
    public bool Suppressed => Summary is null;
}

/// <summary>Placeholder for the Kruskal–Wallis test of the coming issue.</summary>
internal sealed record KruskalWallisResult(double H, int Df, double P);
