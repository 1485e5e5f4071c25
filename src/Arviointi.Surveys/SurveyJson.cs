using System.Text.Json;
using System.Text.Json.Serialization;

namespace Arviointi.Surveys;

/// <summary>The stored form of a resolved survey: self-contained JSON, independent of the files and the bank.</summary>
public static class SurveyJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Canonical JSON of a definition: the same survey always gives the same text.</summary>
    public static string Serialize(SurveyDefinition definition) => JsonSerializer.Serialize(definition, Options);

    /// <summary>Reads a stored definition back.</summary>
    public static SurveyDefinition Deserialize(string json) =>
        JsonSerializer.Deserialize<SurveyDefinition>(json, Options) ?? throw new JsonException("Empty survey definition.");
}

/// <summary>Writes a <see cref="LocalizedText"/> as a plain object of language → text.</summary>
internal sealed class LocalizedTextJsonConverter : JsonConverter<LocalizedText>
{
    public override LocalizedText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(JsonSerializer.Deserialize<Dictionary<string, string>>(ref reader, options) ?? []);

    public override void Write(Utf8JsonWriter writer, LocalizedText value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (language, text) in value.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            writer.WriteString(language, text);
        }

        writer.WriteEndObject();
    }
}
