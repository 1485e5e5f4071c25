using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Arviointi.Web.Features.Results;

/// <summary>
/// The stored snapshot's formats and the upgrades between them. A snapshot outlives the raw answers (after retention it is
/// the only record of a round), so every format ever stored must still read: each upgrade is written out here, the
/// golden files of every earlier format are read in the tests, and reading is strict, so a renamed or dropped property
/// fails a test instead of silently losing a trend years later.
/// </summary>
/// <remarks>
/// Format 1 (November 2026, no <c>format</c> property): cells carried a <c>suppressionReason</c>; figures were stored
/// at full precision, with <c>agreeing</c>, <c>differs</c> and <c>significant</c> written alongside; weighted shares had no
/// strata; units were inline or, from 87153ba on, in parts. Format 2: no reasons, published precision, weighted shares
/// with their strata, response rates and the audit's figures (docs/privacy.md).
/// </remarks>
internal static class SnapshotFormat
{
    public const int Current = 2;

    /// <summary>How snapshots are written and read: strict, so that a property the records no longer have is an error.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Reads a stored overview of any format.</summary>
    /// <exception cref="JsonException">The JSON is not a snapshot of a known format.</exception>
    public static RoundResults ReadOverview(string json)
    {
        var node = JsonNode.Parse(json) ?? throw new JsonException("An empty snapshot.");
        var stored = node["format"]?.GetValue<int>() ?? 1;
        var results = Upgrade(node).Deserialize<RoundResults>(Json) ?? throw new JsonException("An empty snapshot.");
        return results with { StoredFormat = stored };
    }

    /// <summary>
    /// Hides the units of every hidden municipality, as the publication model does: format 1 showed them, and a hidden
    /// municipality's units add up to it. A no-op on snapshots made by the publication model.
    /// </summary>
    public static RoundResults Normalize(RoundResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        static Cell Hide(Cell c) => c with { Suppressed = true, Figures = null, VsRest = null, Change = null };
        static AreaCell HideArea(AreaCell c) => c with { Suppressed = true, Figures = null };
        return results with
        {
            Groups = [.. results.Groups.Select(g => g with
            {
                Items = [.. g.Items.Select(i =>
                {
                    var hidden = i.Municipalities.Where(m => m.Suppressed).Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
                    return hidden.Count == 0 || i.Units.Count == 0 ? i : i with { Units = [.. i.Units.Select(u => u.MunicipalityCode is { } m && hidden.Contains(m) && !u.Suppressed ? Hide(u) : u)] };
                })],
                Areas = g.Areas is null ? null : [.. g.Areas.Select(a =>
                {
                    var hidden = a.Municipalities.Where(m => m.Suppressed).Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
                    return hidden.Count == 0 || a.Units.Count == 0 ? a : a with { Units = [.. a.Units.Select(u => u.MunicipalityCode is { } m && hidden.Contains(m) && !u.Suppressed ? HideArea(u) : u)] };
                })],
            })],
        };
    }

    /// <summary>Reads a stored part of a municipality's units, of the format of its overview.</summary>
    public static MunicipalityUnits ReadUnits(string json, int format)
    {
        var node = JsonNode.Parse(json) ?? throw new JsonException("An empty snapshot part.");
        if (format < 2)
        {
            UpgradeFrom1(node);
        }

        return node.Deserialize<MunicipalityUnits>(Json) ?? throw new JsonException("An empty snapshot part.");
    }

    /// <summary>Brings a stored overview to the current format.</summary>
    public static JsonNode Upgrade(JsonNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var format = root["format"]?.GetValue<int>() ?? 1;
        if (format > Current)
        {
            throw new JsonException($"The snapshot has format {format}, newer than this version reads ({Current}).");
        }

        if (format < 2)
        {
            UpgradeFrom1(root);
            root["format"] = 2;
        }

        return root;
    }

    /// <summary>
    /// Format 1 to 2: reasons and computed properties dropped, figures rounded to the published precision, and weighted
    /// shares dropped, since without their strata nobody can tell whether they separated hidden units.
    /// </summary>
    private static void UpgradeFrom1(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                o.Remove("suppressionReason");
                o.Remove("agreeing");
                o.Remove("differs");
                o.Remove("significant");
                if (o.ContainsKey("agreeShare"))
                {
                    o.Remove("weighted");
                    Round(o, 2, "agreeShare", "agreeLower", "agreeUpper", "mean", "sd", "meanLower", "meanUpper");
                }

                if (o.ContainsKey("agreeDiff"))
                {
                    Round(o, 2, "agreeDiff", "lower", "upper", "cliffsDelta");
                }

                if (o.ContainsKey("previousShare"))
                {
                    Round(o, 2, "previousShare", "diff", "lower", "upper");
                }

                if (o.ContainsKey("share") && o.ContainsKey("n") && !o.ContainsKey("designEffect"))
                {
                    Round(o, 2, "share", "lower", "upper");
                }

                if (o.ContainsKey("mean") && o.ContainsKey("n") && !o.ContainsKey("agreeShare"))
                {
                    Round(o, 2, "mean", "sd", "lower", "upper");
                }

                foreach (var (_, child) in o.ToList())
                {
                    if (child is not null)
                    {
                        UpgradeFrom1(child);
                    }
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    if (child is not null)
                    {
                        UpgradeFrom1(child);
                    }
                }

                break;
        }
    }

    private static void Round(JsonObject o, int decimals, params string[] names)
    {
        foreach (var name in names)
        {
            if (o[name] is JsonValue value && value.TryGetValue<double>(out var number) && double.IsFinite(number))
            {
                o[name] = Math.Round(number, decimals, MidpointRounding.AwayFromZero);
            }
        }
    }
}
