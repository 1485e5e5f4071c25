using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Arviointi.Surveys;

/// <summary>
/// Reads a survey definition from YAML. Walks the node tree by hand rather than deserializing,
/// so that every problem can be reported with its line and column in plain Finnish-friendly words.
/// </summary>
public static class SurveyParser
{
    private static readonly HashSet<string> SurveyKeys = ["id", "sector", "group", "version", "languages", "title", "introduction", "sections"];
    private static readonly HashSet<string> SectionKeys = ["id", "title", "items"];
    private static readonly HashSet<string> ItemKeys = ["id", "type", "area", "background", "text", "options", "max_length"];
    private static readonly HashSet<string> OptionKeys = ["id", "label"];

    /// <summary>Parses one survey file's text; never throws for bad input.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="file">The file name used in error messages.</param>
    public static SurveyParseResult Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var context = new Context(file);
        YamlStream stream = [];
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            context.Error(e.Start, $"YAML-rakenne on rikki: {Plain(e)}");
            return new SurveyParseResult(null, context.Errors);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet throws this for a flow list or mapping left open at the end of the file.
            var lines = text.Split('\n');
            context.Errors.Add(new SurveyError(file, lines.Length, 1, "YAML-rakenne on rikki: tiedosto loppui kesken, esimerkiksi hakasulku [ tai aaltosulku { jäi sulkematta"));
            return new SurveyParseResult(null, context.Errors);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            context.Errors.Add(new SurveyError(file, 1, 1, "tiedoston pitää olla avain–arvo-rakenne, jossa on kyselyn id, sector, group, …"));
            return new SurveyParseResult(null, context.Errors);
        }

        var definition = ReadSurvey(root, context);
        return new SurveyParseResult(context.Errors.Count == 0 ? definition : null, context.Errors);
    }

    private static string Plain(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        var paren = message.IndexOf("): ", StringComparison.Ordinal);
        return paren >= 0 ? message[(paren + 3)..] : message;
    }

    private static SurveyDefinition? ReadSurvey(YamlMappingNode root, Context c)
    {
        c.CheckKeys(root, SurveyKeys, "kyselyssä");
        var id = c.RequiredScalar(root, "id", "kyselyltä");
        var sector = c.RequiredEnum<Sector>(root, "sector", "kyselyltä", "ecec, basic");
        var group = c.RequiredEnum<RespondentGroup>(root, "group", "kyselyltä", "staff, guardian, child, pupil");
        var version = c.RequiredInt(root, "version", "kyselyltä");
        var languages = ReadLanguages(root, c);
        c.Languages = languages;
        var title = c.RequiredText(root, "title", $"kyselyltä '{id}'");
        var intro = c.RequiredText(root, "introduction", $"kyselyltä '{id}'");

        var sections = new List<SurveySection>();
        if (Context.Get(root, "sections") is not { } sectionsNode)
        {
            c.Error(root.Start, "kyselystä puuttuu 'sections' (osiot ja niiden kysymykset)");
        }
        else if (sectionsNode is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            c.Error(sectionsNode.Start, "'sections' pitää olla luettelo osioista (rivit alkavat '- ')");
        }
        else
        {
            foreach (var node in sequence)
            {
                if (ReadSection(node, c) is { } section)
                {
                    sections.Add(section);
                }
            }
        }

        if (id is null || sector is null || group is null || version is null || title is null || intro is null)
        {
            return null;
        }

        return new SurveyDefinition
        {
            Id = id,
            Sector = sector.Value,
            Group = group.Value,
            Version = version.Value,
            Languages = languages,
            Title = title,
            Introduction = intro,
            Sections = sections,
        };
    }

    private static List<string> ReadLanguages(YamlMappingNode root, Context c)
    {
        var node = Context.Get(root, "languages");
        if (node is not YamlSequenceNode sequence)
        {
            c.Error(node?.Start ?? root.Start, "'languages' pitää olla luettelo kielikoodeista, esim. [fi, sv, en]");
            return [SurveyDefinition.RequiredLanguage];
        }

        var languages = sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList();
        if (!languages.Contains(SurveyDefinition.RequiredLanguage))
        {
            c.Error(sequence.Start, "kyselyn kielissä pitää olla suomi (fi)");
        }

        return languages;
    }

    private static SurveySection? ReadSection(YamlNode node, Context c)
    {
        if (node is not YamlMappingNode map)
        {
            c.Error(node.Start, "osion pitää olla avain–arvo-rakenne (id, title, items)");
            return null;
        }

        c.CheckKeys(map, SectionKeys, "osiossa");
        var id = c.RequiredScalar(map, "id", "osiolta");
        var title = c.RequiredText(map, "title", $"osiolta '{id}'");
        var items = new List<SurveyItem>();
        if (Context.Get(map, "items") is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            c.Error(map.Start, $"osiossa '{id}' pitää olla 'items'-luettelo, jossa on vähintään yksi kysymys");
        }
        else
        {
            foreach (var itemNode in sequence)
            {
                if (ReadItem(itemNode, c) is { } item)
                {
                    items.Add(item);
                }
            }
        }

        return id is null || title is null ? null : new SurveySection(id, title, items);
    }

    private static SurveyItem? ReadItem(YamlNode node, Context c)
    {
        if (node is not YamlMappingNode map)
        {
            c.Error(node.Start, "kysymyksen pitää olla avain–arvo-rakenne (id, type, text, …)");
            return null;
        }

        c.CheckKeys(map, ItemKeys, "kysymyksessä");
        var id = c.RequiredScalar(map, "id", "kysymykseltä");
        if (id is not null && !c.ItemIds.Add(id))
        {
            c.Error(Context.Get(map, "id")!.Start, $"kysymyksen id '{id}' on jo käytössä tässä kyselyssä");
        }

        var type = c.RequiredEnum<ItemType>(map, "type", $"kysymykseltä '{id}'", "agreement, smiley, singlechoice, multiplechoice, text");
        var text = c.RequiredText(map, "text", $"kysymykseltä '{id}'");
        var background = Context.Get(map, "background") is YamlScalarNode { Value: "true" };
        var area = (Context.Get(map, "area") as YamlScalarNode)?.Value ?? "";
        if (!background && type is ItemType.Agreement or ItemType.Smiley && area.Length == 0)
        {
            c.Error(map.Start, $"kysymykseltä '{id}' puuttuu laatualue 'area'");
        }

        var options = new List<ItemOption>();
        var optionsNode = Context.Get(map, "options");
        if (type is ItemType.SingleChoice or ItemType.MultipleChoice)
        {
            if (optionsNode is not YamlSequenceNode sequence || sequence.Children.Count < 2)
            {
                c.Error(optionsNode?.Start ?? map.Start, $"valintakysymyksellä '{id}' pitää olla 'options'-luettelo, jossa on vähintään kaksi vaihtoehtoa");
            }
            else
            {
                foreach (var optionNode in sequence)
                {
                    if (optionNode is not YamlMappingNode option)
                    {
                        c.Error(optionNode.Start, "vaihtoehdon pitää olla avain–arvo-rakenne (id, label)");
                        continue;
                    }

                    c.CheckKeys(option, OptionKeys, "vaihtoehdossa");
                    var optionId = c.RequiredScalar(option, "id", "vaihtoehdolta");
                    var label = c.RequiredText(option, "label", $"vaihtoehdolta '{optionId}'");
                    if (optionId is not null && label is not null)
                    {
                        options.Add(new ItemOption(optionId, label));
                    }
                }
            }
        }
        else if (optionsNode is not null)
        {
            c.Error(optionsNode.Start, $"kysymyksellä '{id}' on vaihtoehtoja, mutta sen tyyppi ei ole single tai multiple");
        }

        var maxLength = 1000;
        if (Context.Get(map, "max_length") is YamlScalarNode lengthNode)
        {
            if (!int.TryParse(lengthNode.Value, NumberStyles.None, CultureInfo.InvariantCulture, out maxLength) || maxLength is < 1 or > 10000)
            {
                c.Error(lengthNode.Start, "'max_length' pitää olla kokonaisluku 1–10000");
            }
        }

        if (id is null || type is null || text is null)
        {
            return null;
        }

        return new SurveyItem { Id = id, Type = type.Value, Text = text, Area = area, Background = background, Options = options, MaxLength = maxLength };
    }

    private sealed class Context(string file)
    {
        public List<SurveyError> Errors { get; } = [];

        public HashSet<string> ItemIds { get; } = new(StringComparer.Ordinal);

        public IReadOnlyList<string> Languages { get; set; } = [SurveyDefinition.RequiredLanguage];

        public void Error(Mark mark, string message) =>
            Errors.Add(new SurveyError(file, (int)mark.Line, (int)mark.Column, message));

        public static YamlNode? Get(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        public void CheckKeys(YamlMappingNode map, HashSet<string> allowed, string where)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (!allowed.Contains(name))
                {
                    Error(key.Start, $"tuntematon avain '{name}' {where}; sallitut: {string.Join(", ", allowed)}");
                }
            }
        }

        public string? RequiredScalar(YamlMappingNode map, string key, string owner)
        {
            var node = Get(map, key);
            if (node is YamlScalarNode { Value.Length: > 0 } scalar)
            {
                return scalar.Value;
            }

            Error(node?.Start ?? map.Start, $"{owner} puuttuu '{key}'");
            return null;
        }

        public int? RequiredInt(YamlMappingNode map, string key, string owner)
        {
            var text = RequiredScalar(map, key, owner);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
            {
                return value;
            }

            Error(Get(map, key)!.Start, $"'{key}' pitää olla positiivinen kokonaisluku, nyt '{text}'");
            return null;
        }

        public T? RequiredEnum<T>(YamlMappingNode map, string key, string owner, string allowed)
            where T : struct, Enum
        {
            var text = RequiredScalar(map, key, owner);
            if (text is null)
            {
                return null;
            }

            if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _))
            {
                return value;
            }

            Error(Get(map, key)!.Start, $"'{key}': tuntematon arvo '{text}'; sallitut: {allowed}");
            return null;
        }

        public LocalizedText? RequiredText(YamlMappingNode map, string key, string owner)
        {
            var node = Get(map, key);
            if (node is not YamlMappingNode texts)
            {
                Error(node?.Start ?? map.Start, $"{owner} puuttuu '{key}' kielittäin (fi, sv, en)");
                return null;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (languageNode, valueNode) in texts.Children)
            {
                var language = (languageNode as YamlScalarNode)?.Value ?? "";
                if (!Languages.Contains(language))
                {
                    Error(languageNode.Start, $"kieli '{language}' ei ole kyselyn kielissä ({string.Join(", ", Languages)})");
                    continue;
                }

                values[language] = (valueNode as YamlScalarNode)?.Value?.Trim() ?? "";
            }

            foreach (var language in Languages.Where(l => !values.TryGetValue(l, out var v) || v.Length == 0))
            {
                Error(texts.Start, $"{owner} puuttuu {LanguageName(language)} teksti ('{key}')");
            }

            return new LocalizedText(values);
        }

        private static string LanguageName(string code) => code switch
        {
            "fi" => "suomenkielinen",
            "sv" => "ruotsinkielinen",
            "en" => "englanninkielinen",
            _ => $"kielen '{code}'",
        };
    }
}
