using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Arviointi.Web.Features.Results;

/// <summary>
/// The stored results as JSON for other systems (a municipality's own reporting, an analyst's notebook): the same
/// snapshot, disclosure, precision and scope as the pages, in the shape of the <c>stats</c> command's output, plus the
/// change since the previous round and the weighted share. A hidden cell carries its name and nothing else.
/// </summary>
internal static class ResultsApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new FiniteDoubleConverter() },
        // Served as application/json, never into HTML: keep ä and ö readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IEndpointRouteBuilder MapResultsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/rounds/{roundId:int}/results").RequireAuthorization(Policies.Results);
        group.MapGet("", RoundAsync);
        group.MapGet("/{code}", MunicipalityAsync);
        return routes;
    }

    /// <summary>Every item with the region and the municipalities the user may see side by side (a unit leader: the own one).</summary>
    private static async Task<IResult> RoundAsync(int roundId, ResultsQueries queries, HttpContext http, CancellationToken ct) =>
        await queries.LoadAsync(roundId, ct) is { } loaded
            ? TypedResults.Json(Document(loaded.Round, loaded.Results, http.User, unitsOf: null), Json)
            : TypedResults.NotFound();

    /// <summary>The same with the municipality's units, for the people who may see it broken down (its director, administrators).</summary>
    private static async Task<IResult> MunicipalityAsync(int roundId, string code, AppDbContext db, ResultsQueries queries, IAuthorizationService authorization, HttpContext http, CancellationToken ct)
    {
        if (await db.Municipalities.FindAsync([code], ct) is not { } municipality)
        {
            return TypedResults.NotFound();
        }

        if (!(await authorization.AuthorizeAsync(http.User, municipality, Policies.MunicipalityScope)).Succeeded)
        {
            return TypedResults.Forbid();
        }

        return await queries.LoadAsync(roundId, code, ct) is { } loaded
            ? TypedResults.Json(Document(loaded.Round, loaded.Results, http.User, unitsOf: code), Json)
            : TypedResults.NotFound();
    }

    private static ApiRound Document(Rounds.EvaluationRound round, RoundResults results, System.Security.Claims.ClaimsPrincipal user, string? unitsOf) => new(
        round.Id,
        round.Year,
        round.Sector.ToString(),
        results.ComputedAt,
        results.Previous?.Year,
        [.. results.Groups.SelectMany(g => g.Items.Select(i => new ApiItem(
            i.ItemId,
            g.Group.ToString(),
            i.Area,
            i.Text.GetValueOrDefault("fi") ?? "",
            ToApi(i.Region, unit: false),
            [.. i.Municipalities.Where(m => Scope.CanSeeMunicipalityFigures(user, m.Key)).Select(m => ToApi(m, unit: false))],
            i.KruskalWallis is { } kw ? new ApiKruskalWallis(kw.H, kw.Df, Finite(kw.P)) : null,
            unitsOf is null ? null : [.. i.Units.Where(u => u.MunicipalityCode == unitsOf).Select(u => ToApi(u, unit: true))])))]);

    private static ApiCell ToApi(Cell cell, bool unit)
    {
        var region = cell.Key == "region";
        var (municipality, unitId) = (region ? null : unit ? cell.MunicipalityCode : cell.Key, unit ? cell.Key : null);
        if (cell.Figures is not { } f)
        {
            return new ApiCell(municipality, unitId, cell.Name, true);
        }

        return new ApiCell(municipality, unitId, cell.Name, false)
        {
            N = f.N,
            CantSay = f.CantSay,
            Mean = Finite(f.Mean),
            Sd = Finite(f.Sd),
            MeanCi = [Finite(f.MeanLower), Finite(f.MeanUpper)],
            AgreeShare = Finite(f.AgreeShare),
            AgreeCi = [Finite(f.AgreeLower), Finite(f.AgreeUpper)],
            // An undefined comparison figure is null, as the others above: NaN cannot be written as JSON and made this a 500.
            VsRest = cell.VsRest is { } vs ? new ApiVsRest(Finite(vs.AgreeDiff), [Finite(vs.Lower), Finite(vs.Upper)], Finite(vs.MannWhitneyP), Finite(vs.HolmP), Finite(vs.CliffsDelta)) : null,
            Change = cell.Change is { } c ? new ApiChange(c.PreviousYear, Finite(c.PreviousShare), Finite(c.Diff), [Finite(c.Lower), Finite(c.Upper)]) : null,
            Weighted = f.Weighted is { } w ? new ApiWeighted(Finite(w.Share), [Finite(w.Lower), Finite(w.Upper)], Finite(w.DesignEffect), Finite(w.EffectiveN)) : null,
        };
    }

    /// <summary>JSON has no NaN: an undefined figure (e.g. a test of two groups that all answered alike) is null.</summary>
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}

internal sealed record ApiRound(int Round, int Year, string Sector, DateTimeOffset ComputedAt, int? PreviousYear, IReadOnlyList<ApiItem> Items);

/// <param name="KruskalWallis">Across the visible municipalities; null (written, as in the command's output) with fewer than two.</param>
/// <param name="Units">Only from the municipality's address: its units, each compared with the rest of the municipality.</param>
internal sealed record ApiItem(
    string Item,
    string Group,
    string Area,
    string Text,
    ApiCell Region,
    IReadOnlyList<ApiCell> Municipalities,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ApiKruskalWallis? KruskalWallis,
    IReadOnlyList<ApiCell>? Units);

/// <summary>The region, a municipality or a unit; when suppressed only the keys and the name (no reason: it would narrow the hidden count).</summary>
internal sealed record ApiCell(string? Municipality, string? Unit, string Name, bool Suppressed)
{
    public int? N { get; init; }

    public int? CantSay { get; init; }

    public double? Mean { get; init; }

    public double? Sd { get; init; }

    public double?[]? MeanCi { get; init; }

    public double? AgreeShare { get; init; }

    public double?[]? AgreeCi { get; init; }

    public ApiVsRest? VsRest { get; init; }

    public ApiChange? Change { get; init; }

    public ApiWeighted? Weighted { get; init; }
}

internal sealed record ApiVsRest(double? AgreeDiff, double?[] AgreeDiffCi, double? MannWhitneyP, double? HolmP, double? CliffsDelta);

internal sealed record ApiKruskalWallis(double H, int Df, double? P);

internal sealed record ApiChange(int PreviousYear, double? PreviousShare, double? Diff, double?[] DiffCi);

internal sealed record ApiWeighted(double? Share, double?[] Ci, double? DesignEffect, double? EffectiveN);

/// <summary>
/// JSON has no NaN or infinity: any undefined figure the API writes (a test of groups that all answered alike, a change
/// against a year with no answers) is null, rather than the serializer failing mid-response with a 500.
/// </summary>
internal sealed class FiniteDoubleConverter : System.Text.Json.Serialization.JsonConverter<double>
{
    public override double Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        reader.TokenType == System.Text.Json.JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(System.Text.Json.Utf8JsonWriter writer, double value, System.Text.Json.JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
