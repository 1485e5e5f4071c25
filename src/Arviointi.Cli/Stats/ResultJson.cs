using System.Text.Encodings.Web;
using System.Text.Json;
using Arviointi.Statistics;

namespace Arviointi.Cli.Stats;

/// <summary>Writes results as camelCase JSON with unrounded numbers and null for undefined ones.</summary>
/// <remarks>
/// Written by hand rather than serialized: a municipality's object has two shapes (figures or a suppression
/// reason), and NaN must become null.
/// </remarks>
internal static class ResultJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // A file for analysts, not HTML: keep ä and ö readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(Stream stream, IEnumerable<ItemResult> items)
    {
        using var writer = new Utf8JsonWriter(stream, Options);
        writer.WriteStartObject();
        writer.WriteStartArray("items");
        foreach (var item in items)
        {
            writer.WriteStartObject();
            writer.WriteString("item", item.Item);
            writer.WriteString("group", item.Group);
            writer.WriteStartObject("region");
            WriteSummary(writer, item.Region);
            writer.WriteEndObject();
            writer.WriteStartArray("municipalities");
            foreach (var municipality in item.Municipalities)
            {
                WriteMunicipality(writer, municipality);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("kruskalWallis");
            if (item.KruskalWallis is { } test)
            {
                writer.WriteStartObject();
                WriteNumber(writer, "h", test.H);
                writer.WriteNumber("df", test.Df);
                WriteNumber(writer, "p", test.P);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNullValue();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteMunicipality(Utf8JsonWriter writer, MunicipalityResult municipality)
    {
        writer.WriteStartObject();
        writer.WriteString("municipality", municipality.Municipality);
        writer.WriteBoolean("suppressed", municipality.Suppressed);
        if (municipality.Figures is { } figures)
        {
            WriteSummary(writer, figures.Summary);
            writer.WriteStartObject("vsRest");
            WriteNumber(writer, "agreeDiff", figures.VsRest.AgreeDifference);
            WriteInterval(writer, "agreeDiffCi", figures.VsRest.AgreeDifferenceCi);
            WriteNumber(writer, "mannWhitneyP", figures.VsRest.MannWhitneyP);
            WriteNumber(writer, "holmP", figures.HolmP);
            WriteNumber(writer, "cliffsDelta", figures.VsRest.CliffsDelta);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteString("suppressionReason", municipality.SuppressionReason switch
            {
                SuppressionReason.SmallN => $"n<{Disclosure.MinimumN}",
                SuppressionReason.Complementary => "complementary",
                _ => throw new InvalidOperationException($"Suppressed without a reason: {municipality.Municipality}"),
            });
        }

        writer.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter writer, LikertSummary summary)
    {
        writer.WriteNumber("n", summary.N);
        writer.WriteNumber("cantSay", summary.CantSay);
        WriteNumber(writer, "mean", summary.Mean);
        WriteNumber(writer, "sd", summary.Sd);
        WriteInterval(writer, "meanCi", summary.MeanCi);
        WriteNumber(writer, "agreeShare", summary.AgreeShare);
        WriteInterval(writer, "agreeCi", summary.AgreeCi);
    }

    private static void WriteInterval(Utf8JsonWriter writer, string name, Interval interval)
    {
        writer.WriteStartArray(name);
        WriteNumberValue(writer, interval.Lower);
        WriteNumberValue(writer, interval.Upper);
        writer.WriteEndArray();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        WriteNumberValue(writer, value);
    }

    private static void WriteNumberValue(Utf8JsonWriter writer, double value)
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
