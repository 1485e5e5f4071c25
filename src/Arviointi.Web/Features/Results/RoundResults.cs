using Arviointi.Surveys;

namespace Arviointi.Web.Features.Results;

/// <summary>The stored results of one round: what pages, reports and exports show.</summary>
internal sealed record RoundResults(int RoundId, DateTimeOffset ComputedAt, IReadOnlyList<GroupResults> Groups);

internal sealed record GroupResults(RespondentGroup Group, string SurveyId, int SurveyVersionId, IReadOnlyList<ItemResults> Items);

internal sealed record ItemResults(
    string ItemId,
    string Area,
    IReadOnlyDictionary<string, string> Text,
    Cell Region,
    IReadOnlyList<Cell> Municipalities,
    IReadOnlyList<Cell> Units);

/// <summary>
/// One figure set for the region, a municipality or a unit. A suppressed cell carries its reason and
/// no figures at all, not even n, so nothing hidden can leak through the stored JSON.
/// </summary>
internal sealed record Cell(
    string Key,
    string Name,
    string? MunicipalityCode,
    bool Suppressed,
    string? SuppressionReason,
    Figures? Figures);

internal sealed record Figures(int N, int CantSay, double Mean, double Sd, double MeanLower, double MeanUpper, double AgreeShare, double AgreeLower, double AgreeUpper);
