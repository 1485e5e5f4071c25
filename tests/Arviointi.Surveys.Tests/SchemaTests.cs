using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;
using YamlDotNet.Serialization;

namespace Arviointi.Surveys.Tests;

/// <summary>
/// The editor schemas in <c>surveys/schema/</c> are real: every survey file validates against the schema its first
/// line names, typical mistakes are rejected, and the allowed keys and values match the parser and the C# enums.
/// </summary>
/// <remarks>
/// Validation uses NJsonSchema (JsonSchema.Net does not restore from the feed here): it understands the draft 4–7
/// core (type, required, properties, additionalProperties, patternProperties, enum, pattern, bounds, minItems,
/// uniqueItems, oneOf, $ref) but not the newer keywords (if/then/else, const, contains, dependentRequired), which
/// only editors check, nor <c>$defs</c>, which <see cref="Bundle"/> maps to <c>definitions</c>.
/// </remarks>
public sealed partial class SchemaTests
{
    private static readonly string SurveyRoot = Path.Combine(RepositorySurveyTests.RepositoryRoot(), "surveys");
    private static readonly string SchemaFolder = Path.Combine(SurveyRoot, "schema");

    public static TheoryData<string> SurveyFiles() => [.. Files()];

    private static List<string> Files() =>
        [.. Directory.EnumerateFiles(SurveyRoot, "*.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(SurveyRoot, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    [Fact]
    public void There_are_survey_files_of_every_kind()
    {
        var files = Files();
        Assert.Contains("cycle.yaml", files);
        Assert.Contains(files, f => f.StartsWith("items/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("ecec/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("basic/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("modules/", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SurveyFiles))]
    public async Task Every_survey_file_names_its_schema_on_the_first_line_and_is_valid_against_it(string relative)
    {
        var path = Path.Combine(SurveyRoot, relative);
        var text = await File.ReadAllTextAsync(path);
        var match = SchemaComment().Match(text.Split('\n')[0]);
        Assert.True(match.Success, $"{relative}: the first line should be '# yaml-language-server: $schema=…'");
        var schemaPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, match.Groups[1].Value));
        Assert.Equal(Path.Combine(SchemaFolder, ExpectedSchema(relative)), schemaPath);

        var errors = (await Schema(ExpectedSchema(relative))).Validate(ToJson(text));
        Assert.True(errors.Count == 0, $"{relative}:\n{string.Join("\n", Flatten(errors).Select(e => $"{e.Path} {e.Kind}"))}");
    }

    /// <summary>One mistake each, in an otherwise valid document, and the error NJsonSchema should report for it.</summary>
    public static TheoryData<string, string, string, string> BrokenDocuments => new()
    {
        // case, schema, YAML, expected error (path and kind)
        { "unknown key in an item", "items.schema.json", Item.Replace("    text:", "    colour: red\n    text:", StringComparison.Ordinal), "#/items[0].colour NoAdditionalPropertiesAllowed" },
        { "unknown item type", "items.schema.json", Item.Replace("type: agreement", "type: likert", StringComparison.Ordinal), "#/items[0].type NotInEnumeration" },
        { "item without id", "items.schema.json", Item.Replace("  - id: q1\n    type:", "  - type:", StringComparison.Ordinal), "#/items[0].id PropertyRequired" },
        { "bad language code as a key", "items.schema.json", Item.Replace("en: Question", "eng: Question", StringComparison.Ordinal), "#/items[0].text.eng NoAdditionalPropertiesAllowed" },
        { "language code in upper case", "items.schema.json", Item.Replace("en: Question", "EN: Question", StringComparison.Ordinal), "#/items[0].text.EN NoAdditionalPropertiesAllowed" },
        { "text not given by language", "items.schema.json", Item.Replace("{ fi: Kysymys, sv: Fråga, en: Question }", "Kysymys", StringComparison.Ordinal), "#/items[0].text ObjectExpected" },
        { "choice item with one option", "items.schema.json", Choice[..Choice.IndexOf("      - id: b", StringComparison.Ordinal)], "#/items[0].options TooFewItems" },
        { "option without label", "items.schema.json", Choice.Replace("        label: { fi: B }\n", "", StringComparison.Ordinal), "#/items[0].options[1].label PropertyRequired" },
        { "unknown quality area", "items.schema.json", Item.Replace("area: interaction", "area: happiness", StringComparison.Ordinal), "#/items[0].area NotInEnumeration" },
        { "id with a space", "items.schema.json", Item.Replace("id: q1", "id: q 1", StringComparison.Ordinal), "#/items[0].id PatternMismatch" },
        { "max_length over 10000", "items.schema.json", Item.Replace("type: agreement\n    area: interaction", "type: text\n    max_length: 20000", StringComparison.Ordinal), "#/items[0].max_length NumberTooBig" },
        { "max_length zero", "items.schema.json", Item.Replace("type: agreement\n    area: interaction", "type: text\n    max_length: 0", StringComparison.Ordinal), "#/items[0].max_length NumberTooSmall" },
        { "background given as a word", "items.schema.json", Item.Replace("area: interaction", "background: kyllä", StringComparison.Ordinal), "#/items[0].background BooleanExpected" },
        { "unknown key in a survey", "survey.schema.json", Survey.Replace("version: 1\n", "version: 1\ncolour: red\n", StringComparison.Ordinal), "#/colour NoAdditionalPropertiesAllowed" },
        { "unknown respondent group", "survey.schema.json", Survey.Replace("group: guardian", "group: teachers", StringComparison.Ordinal), "#/group NotInEnumeration" },
        { "version zero", "survey.schema.json", Survey.Replace("version: 1", "version: 0", StringComparison.Ordinal), "#/version NumberTooSmall" },
        { "version as a word", "survey.schema.json", Survey.Replace("version: 1", "version: yksi", StringComparison.Ordinal), "#/version IntegerExpected" },
        { "survey without introduction", "survey.schema.json", Survey.Replace("introduction: { fi: Johdanto }\n", "", StringComparison.Ordinal), "#/introduction PropertyRequired" },
        { "three-letter language", "survey.schema.json", Survey.Replace("languages: [fi]", "languages: [fi, swe]", StringComparison.Ordinal), "#/languages[1] PatternMismatch" },
        { "item written inline in a survey", "survey.schema.json", Survey.Replace("      - q1\n", "      - id: q1\n        type: agreement\n", StringComparison.Ordinal), "#/sections[0].items[0] NotOneOf" },
        { "item reference without show_if", "survey.schema.json", Survey.Replace("      - q1\n", "      - item: q1\n", StringComparison.Ordinal), "#/sections[0].items[0].show_if PropertyRequired" },
        { "condition without options", "survey.schema.json", Survey.Replace("in: [a]", "in: []", StringComparison.Ordinal), "#/sections[0].items[1].show_if.in TooFewItems" },
        { "section without items", "survey.schema.json", Survey[..Survey.IndexOf("    items:", StringComparison.Ordinal)] + "    items: []\n", "#/sections[0].items TooFewItems" },
        { "module section without groups", "module.schema.json", Module.Replace("    groups: [guardian, staff]\n", "", StringComparison.Ordinal), "#/sections[0].groups PropertyRequired" },
        { "module section for an unknown group", "module.schema.json", Module.Replace("groups: [guardian, staff]", "groups: [parents]", StringComparison.Ordinal), "#/sections[0].groups[0] NotInEnumeration" },
        { "section key of a module in a survey", "survey.schema.json", Survey.Replace("  - id: s\n", "  - id: s\n    groups: [guardian]\n", StringComparison.Ordinal), "#/sections[0].groups NoAdditionalPropertiesAllowed" },
        { "unknown sector in the cycle", "cycle.schema.json", Cycle.Replace("sector: ecec }", "sector: lukio }", StringComparison.Ordinal), "#/years[0].sector NotInEnumeration" },
        { "cycle without rule", "cycle.schema.json", Cycle[Cycle.IndexOf("years:", StringComparison.Ordinal)..], "#/rule PropertyRequired" },
        { "year as a word", "cycle.schema.json", Cycle.Replace("year: 2023", "year: twenty", StringComparison.Ordinal), "#/years[0].year IntegerExpected" },
    };

    private const string Item = "items:\n  - id: q1\n    type: agreement\n    area: interaction\n    text: { fi: Kysymys, sv: Fråga, en: Question }\n";

    private const string Choice =
        "items:\n  - id: bg\n    type: singlechoice\n    background: true\n    text: { fi: Ikä }\n    options:\n      - id: a\n        label: { fi: A }\n      - id: b\n        label: { fi: B }\n";

    private const string Module =
        "id: focus\nsector: ecec\ntitle: { fi: Teema }\nsections:\n  - id: s\n    groups: [guardian, staff]\n    title: { fi: Osio }\n    items: [q1]\n";

    private const string Cycle = "rule: { from: 2022, even: basic, odd: ecec }\nyears:\n  - { year: 2023, sector: ecec }\n  - year: 2024\n    sector: basic\n    focus: attendance\n    theme: { fi: Teema }\n";

    private const string Survey =
        "id: ecec-guardian\nsector: ecec\ngroup: guardian\nversion: 1\nlanguages: [fi]\ntitle: { fi: Kysely }\nintroduction: { fi: Johdanto }\n"
        + "sections:\n  - id: s\n    title: { fi: Osio }\n    items:\n      - q1\n      - item: q2\n        show_if: { item: bg, in: [a] }\n";

    [Theory]
    [InlineData("items.schema.json", Item)]
    [InlineData("items.schema.json", Choice)]
    [InlineData("items.schema.json", "items:\n  - { id: open, type: text, max_length: 10000, text: { fi: Kerro, se: Muitalus } }\n  - id: bg\n    type: multiplechoice\n    text: { fi: Mitkä }\n    options:\n      - { id: \"0-2\", label: { fi: A } }\n      - { id: 6, label: { fi: B } }\n")]
    [InlineData("survey.schema.json", Survey)]
    [InlineData("module.schema.json", Module)]
    [InlineData("cycle.schema.json", Cycle)]
    public async Task The_documents_the_broken_ones_are_made_from_are_valid(string schema, string yaml)
    {
        var errors = (await Schema(schema)).Validate(ToJson(yaml));
        Assert.True(errors.Count == 0, string.Join(", ", Flatten(errors).Select(e => $"{e.Path} {e.Kind}")));
    }

    [Fact]
    public void Yaml_scalars_keep_their_type_as_an_editor_reads_them()
    {
        var json = JsonNode.Parse(ToJson("version: 2\nbackground: true\nquoted: \"6\"\nband: 1-2\nlist: [fi, 3]\ntext: >-\n  folded\n  lines\n"))!;
        Assert.Equal(JsonValueKind.Number, json["version"]!.GetValueKind());
        Assert.Equal(JsonValueKind.True, json["background"]!.GetValueKind());
        Assert.Equal("6", json["quoted"]!.GetValue<string>());
        Assert.Equal("1-2", json["band"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.Number, json["list"]![1]!.GetValueKind());
        Assert.Equal("folded lines", json["text"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(BrokenDocuments))]
    public async Task Broken_documents_are_rejected(string @case, string schema, string yaml, string expected)
    {
        var errors = Flatten((await Schema(schema)).Validate(ToJson(yaml))).Select(e => $"{e.Path} {e.Kind}").ToList();
        Assert.True(errors.Contains(expected), $"{@case}: expected '{expected}' from {schema}, got: {string.Join(", ", errors)}");
    }

    [Fact]
    public async Task The_enums_match_the_CSharp_enums_and_quality_areas()
    {
        var common = await Json("common.schema.json");
        var items = await Json("items.schema.json");
        Assert.Equal(Names<Sector>(), Strings(common["$defs"]!["sector"]!["enum"]));
        Assert.Equal(Names<RespondentGroup>(), Strings(common["$defs"]!["group"]!["enum"]));
        var item = items["$defs"]!["item"]!["properties"]!;
        Assert.Equal(Names<ItemType>(), Strings(item["type"]!["enum"]));
        Assert.Equal(QualityAreas.Ecec.Concat(QualityAreas.Basic).Distinct(), Strings(item["area"]!["enum"]));
        Assert.Equal(Strings(item["type"]!["enum"]).Count, item["type"]!["enumDescriptions"]!.AsArray().Count);
        Assert.Equal(Strings(item["area"]!["enum"]).Count, item["area"]!["enumDescriptions"]!.AsArray().Count);
    }

    [Theory]
    // parser's list of keys, schema file, JSON pointer to the object in it
    [InlineData("BankKeys", "items.schema.json", "")]
    [InlineData("ItemKeys", "items.schema.json", "/$defs/item")]
    [InlineData("OptionKeys", "items.schema.json", "/$defs/option")]
    [InlineData("SurveyKeys", "survey.schema.json", "")]
    [InlineData("SectionKeys", "survey.schema.json", "/$defs/section")]
    [InlineData("ModuleKeys", "module.schema.json", "")]
    [InlineData("ModuleSectionKeys", "module.schema.json", "/$defs/section")]
    [InlineData("RefKeys", "common.schema.json", "/$defs/itemReference/oneOf/1")]
    [InlineData("ConditionKeys", "common.schema.json", "/$defs/condition")]
    [InlineData("CycleKeys", "cycle.schema.json", "")]
    [InlineData("RuleKeys", "cycle.schema.json", "/properties/rule")]
    [InlineData("YearKeys", "cycle.schema.json", "/$defs/year")]
    public async Task Each_object_allows_exactly_the_keys_the_parser_allows(string parserField, string schema, string location)
    {
        var parser = typeof(SurveyLibrary).Assembly.GetType("Arviointi.Surveys.Files.SourceParsers", throwOnError: true)!;
        var allowed = (string[])parser.GetField(parserField, BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        JsonNode node = await Json(schema);
        foreach (var part in location.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = int.TryParse(part, CultureInfo.InvariantCulture, out var index) ? node[index]! : node[part]!;
        }

        Assert.False(node["additionalProperties"]!.GetValue<bool>());
        Assert.Equal(allowed.Order(StringComparer.Ordinal), node["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.All(Strings(node["required"]), key => Assert.Contains(key, allowed));
    }

    [Fact]
    public async Task Every_schema_is_draft_2020_12_and_every_reference_resolves()
    {
        foreach (var file in Directory.EnumerateFiles(SchemaFolder, "*.schema.json"))
        {
            var json = await Json(Path.GetFileName(file));
            Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)json["$schema"]);
            foreach (var reference in References(json))
            {
                var (target, fragment) = reference.Split('#') is [var f, var p] ? (f, p) : (reference, "");
                JsonNode? node = target.Length == 0 ? json : await Json(target);
                foreach (var part in fragment.Split('/', StringSplitOptions.RemoveEmptyEntries))
                {
                    node = node?[part];
                }

                Assert.True(node is JsonObject, $"{Path.GetFileName(file)}: '$ref: {reference}' does not resolve");
            }
        }
    }

    private static IEnumerable<NJsonSchema.Validation.ValidationError> Flatten(IEnumerable<NJsonSchema.Validation.ValidationError> errors) =>
        errors.SelectMany(e => e is NJsonSchema.Validation.ChildSchemaValidationError child
            ? [e, .. Flatten(child.Errors.SelectMany(c => c.Value))]
            : new[] { e });

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" ? [(string)p.Value!] : References(p.Value)),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };

    private static string ExpectedSchema(string relative) => relative switch
    {
        "cycle.yaml" => "cycle.schema.json",
        _ when relative.StartsWith("items/", StringComparison.Ordinal) => "items.schema.json",
        _ when relative.StartsWith("modules/", StringComparison.Ordinal) => "module.schema.json",
        _ => "survey.schema.json",
    };

    private static readonly Dictionary<string, Task<JsonSchema>> Schemas = [];

    private static Task<JsonSchema> Schema(string name)
    {
        lock (Schemas)
        {
            if (!Schemas.TryGetValue(name, out var schema))
            {
                schema = Bundle(name);
                Schemas[name] = schema;
            }

            return schema;
        }
    }

    /// <summary>
    /// The schema with common.schema.json's definitions copied in, as one document for NJsonSchema, which predates
    /// draft 2019-09 and finds reused schemas under <c>definitions</c> rather than <c>$defs</c>: every
    /// <c>$ref</c> is pointed there, otherwise the schema is used as written.
    /// </summary>
    private static async Task<JsonSchema> Bundle(string name)
    {
        var schema = await Json(name);
        var definitions = new JsonObject();
        foreach (var file in new[] { name, "common.schema.json" }.Distinct())
        {
            var source = file == name ? schema : await Json(file);
            foreach (var (key, value) in source["$defs"]?.AsObject().ToList() ?? [])
            {
                definitions[Definition(file, key)] = Rewrite(value!.DeepClone(), file);
            }
        }

        var bundled = (JsonObject)Rewrite(schema.DeepClone(), name);
        bundled.Remove("$defs");
        bundled["definitions"] = definitions;
        return await JsonSchema.FromJsonAsync(bundled.ToJsonString());
    }

    private static string Definition(string file, string key) => file == "common.schema.json" ? $"common.{key}" : key;

    private static JsonNode Rewrite(JsonNode node, string file)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var (key, value) in map.ToList())
                {
                    if (key == "$ref")
                    {
                        var reference = (string)value!;
                        var hash = reference.IndexOf('#', StringComparison.Ordinal);
                        var target = hash > 0 ? reference[..hash] : file;
                        var fragment = hash >= 0 ? reference[(hash + 1)..] : "";
                        Assert.StartsWith("/$defs/", fragment, StringComparison.Ordinal);
                        map[key] = $"#/definitions/{Definition(target, fragment["/$defs/".Length..])}";
                    }
                    else if (value is not null)
                    {
                        map[key] = Rewrite(value.DeepClone(), file);
                    }
                }

                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    list[i] = list[i] is { } item ? Rewrite(item.DeepClone(), file) : null;
                }

                break;
        }

        return node;
    }

    private static async Task<JsonNode> Json(string name) =>
        JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(SchemaFolder, name)))!;

    private static List<string> Names<T>()
        where T : struct, Enum => [.. Enum.GetNames<T>().Select(n => n.ToLowerInvariant())];

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => (string)n!)];

    /// <summary>
    /// YAML to JSON as an editor sees it: YamlDotNet deserializes unquoted scalars such as <c>1</c> or <c>true</c>
    /// to numbers and booleans, and quoted ones (<c>"6"</c>) to strings.
    /// </summary>
    private static string ToJson(string yaml)
    {
        var graph = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object?>(yaml);
        return ToNode(graph)?.ToJsonString() ?? "null";
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(Convert.ToString(p.Key, CultureInfo.InvariantCulture)!, ToNode(p.Value)))),
        IList<object?> list => new JsonArray([.. list.Select(ToNode)]),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        _ when value.GetType().IsPrimitive || value is decimal => JsonSerializer.SerializeToNode(value),
        _ => throw new InvalidOperationException($"unexpected YAML value {value.GetType()}"),
    };

    [GeneratedRegex(@"^# yaml-language-server: \$schema=(\S+)\s*$")]
    private static partial Regex SchemaComment();
}
