using YamlDotNet.RepresentationModel;

namespace Arviointi.Surveys.Files;

/// <summary>An item used in a survey or module: a bank id, perhaps with a condition.</summary>
internal sealed record ItemRef(string ItemId, Condition? ShowIf, SourceLocation At);

internal sealed record SectionSource(string Id, LocalizedText Title, IReadOnlyList<ItemRef> Items, IReadOnlyList<RespondentGroup> Groups, SourceLocation At);

internal sealed record SurveySource(
    string Id,
    Sector Sector,
    RespondentGroup Group,
    int Version,
    IReadOnlyList<string> Languages,
    IReadOnlyList<string> PartialLanguages,
    LocalizedText Title,
    LocalizedText Introduction,
    IReadOnlyList<SectionSource> Sections,
    SourceLocation At);

internal sealed record ModuleSource(string Id, Sector Sector, LocalizedText Title, IReadOnlyList<SectionSource> Sections, SourceLocation At);

internal sealed record CycleRule(int From, Sector Even, Sector Odd);

internal sealed record CycleYearSource(int Year, Sector Sector, string? Focus, LocalizedText? Theme, SourceLocation At);

/// <summary>Parsers of the four kinds of file: item bank, survey, focus module, cycle.</summary>
internal static class SourceParsers
{
    private static readonly string[] BankKeys = ["items"];
    private static readonly string[] ItemKeys = ["id", "type", "area", "background", "quasi_identifier", "text", "options", "max_length", "replaces", "comparable"];
    private static readonly string[] OptionKeys = ["id", "label"];
    private static readonly string[] SurveyKeys = ["id", "sector", "group", "version", "languages", "partial_languages", "title", "introduction", "sections"];
    private static readonly string[] SectionKeys = ["id", "title", "items"];
    private static readonly string[] ModuleKeys = ["id", "sector", "title", "sections"];
    private static readonly string[] ModuleSectionKeys = ["id", "groups", "title", "items"];
    private static readonly string[] RefKeys = ["item", "show_if"];
    private static readonly string[] ConditionKeys = ["item", "in"];
    private static readonly string[] CycleKeys = ["rule", "years"];
    private static readonly string[] RuleKeys = ["from", "even", "odd"];
    private static readonly string[] YearKeys = ["year", "sector", "focus", "theme"];
    private const string Types = "agreement, smiley, singlechoice, multiplechoice, text";
    private const string Sectors = "ecec, basic";
    private const string Groups = "staff, guardian, child, pupil";

    public static List<SurveyItem> ItemBank(YamlReader r, YamlMappingNode root)
    {
        r.CheckKeys(root, BankKeys, "kysymyspankissa");
        var items = new List<SurveyItem>();
        foreach (var map in r.Mappings(root, "items", "kysymyspankilta", "kysymys"))
        {
            if (Item(r, map) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    private static SurveyItem? Item(YamlReader r, YamlMappingNode map)
    {
        r.CheckKeys(map, ItemKeys, "kysymyksessä");
        var id = r.Id(map, "id", "kysymykseltä");
        var owner = $"kysymykseltä '{id}'";
        var type = r.Enum<ItemType>(map, "type", owner, Types);
        var text = r.Text(map, "text", owner);
        var background = r.Bool(map, "background");
        var quasiIdentifier = r.Bool(map, "quasi_identifier");
        if (quasiIdentifier && !(background && type is ItemType.SingleChoice))
        {
            r.Error(map, $"'quasi_identifier' sopii vain yksivalintaiseen taustakysymykseen (type: singlechoice, background: true); {owner} ei ole sellainen");
        }
        var area = r.Scalar(map, "area", owner, required: false) ?? "";
        if (area.Length > 0 && !QualityAreas.IsKnown(area))
        {
            r.Error(YamlReader.Get(map, "area")!, $"tuntematon laatualue '{area}'; varhaiskasvatus: {string.Join(", ", QualityAreas.Ecec)}; perusopetus: {string.Join(", ", QualityAreas.Basic)}");
        }
        else if (area.Length == 0 && !background && type is ItemType.Agreement or ItemType.Smiley)
        {
            r.Error(map, $"{owner} puuttuu laatualue 'area'");
        }

        var options = new List<ItemOption>();
        var optionsNode = YamlReader.Get(map, "options");
        if (type is ItemType.SingleChoice or ItemType.MultipleChoice)
        {
            var optionIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var option in r.Mappings(map, "options", owner, "vaihtoehto"))
            {
                r.CheckKeys(option, OptionKeys, "vaihtoehdossa");
                var optionId = r.Id(option, "id", "vaihtoehdolta");
                var label = r.Text(option, "label", $"vaihtoehdolta '{optionId}'");
                if (optionId is not null && !optionIds.Add(optionId))
                {
                    r.Error(YamlReader.Get(option, "id")!, $"vaihtoehdon id '{optionId}' on jo käytössä kysymyksessä '{id}'");
                }
                else if (optionId is not null && label is not null)
                {
                    options.Add(new ItemOption(optionId, label));
                }
            }

            if (optionsNode is YamlSequenceNode { Children.Count: 1 })
            {
                r.Error(optionsNode, $"valintakysymyksellä '{id}' pitää olla vähintään kaksi vaihtoehtoa");
            }
        }
        else if (optionsNode is not null)
        {
            r.Error(optionsNode, $"kysymyksellä '{id}' on vaihtoehtoja, mutta sen tyyppi ei ole singlechoice tai multiplechoice");
        }

        var maxLength = 1000;
        if (YamlReader.Get(map, "max_length") is { } lengthNode)
        {
            if (type != ItemType.Text)
            {
                r.Error(lengthNode, $"'max_length' sopii vain tekstikysymykselle (type: text)");
            }
            else if (r.PositiveInt(map, "max_length", owner) is not { } length || length > 10000)
            {
                r.Error(lengthNode, "'max_length' pitää olla kokonaisluku 1–10000");
            }
            else
            {
                maxLength = length;
            }
        }

        var replaces = r.Scalar(map, "replaces", owner, required: false);
        var comparable = r.Bool(map, "comparable");
        if (YamlReader.Get(map, "comparable") is { } comparableNode && replaces is null)
        {
            r.Error(comparableNode, "'comparable' kertoo, jatkuuko edeltäjän aikasarja; se tarvitsee myös 'replaces'-kohdan");
        }

        if (id is null || type is null || text is null)
        {
            return null;
        }

        return new SurveyItem
        {
            Id = id,
            Type = type.Value,
            Text = text,
            Area = area,
            Background = background,
            QuasiIdentifier = quasiIdentifier,
            Options = options,
            MaxLength = maxLength,
            Replaces = replaces,
            Comparable = comparable,
            Location = r.At(map),
        };
    }

    public static SurveySource? Survey(YamlReader r, YamlMappingNode root)
    {
        r.CheckKeys(root, SurveyKeys, "kyselyssä");
        var id = r.Id(root, "id", "kyselyltä");
        var owner = $"kyselyltä '{id}'";
        var sector = r.Enum<Sector>(root, "sector", owner, Sectors);
        var group = r.Enum<RespondentGroup>(root, "group", owner, Groups);
        var version = r.PositiveInt(root, "version", owner);
        var languages = r.ScalarList(root, "languages", owner) ?? [SurveyDefinition.RequiredLanguage];
        var partial = r.ScalarList(root, "partial_languages", owner, required: false) ?? [];
        CheckLanguages(r, root, languages, partial);
        var title = r.Text(root, "title", owner);
        var intro = r.Text(root, "introduction", owner);
        var sections = Sections(r, root, owner, module: false);
        if ((group, sector) is (RespondentGroup.Child, Sector.Basic) or (RespondentGroup.Pupil, Sector.Ecec))
        {
            r.Error(YamlReader.Get(root, "group")!, group == RespondentGroup.Child
                ? "lapset (child) vastaavat varhaiskasvatuksen kyselyyn; perusopetuksessa ryhmä on oppilaat (pupil)"
                : "oppilaat (pupil) vastaavat perusopetuksen kyselyyn; varhaiskasvatuksessa ryhmä on lapset (child)");
        }

        if (id is null || sector is null || group is null || version is null || title is null || intro is null)
        {
            return null;
        }

        return new SurveySource(id, sector.Value, group.Value, version.Value, languages, partial, title, intro, sections, r.At(root));
    }

    private static void CheckLanguages(YamlReader r, YamlMappingNode root, List<string> languages, List<string> partial)
    {
        var node = YamlReader.Get(root, "languages") ?? root;
        if (!languages.Contains(SurveyDefinition.RequiredLanguage))
        {
            r.Error(node, "kyselyn kielissä pitää olla suomi (fi)");
        }

        foreach (var code in languages.Concat(partial).Where(c => !Languages.IsValidCode(c)))
        {
            r.Error(node, $"'{code}' ei ole kielikoodi; käytä kaksikirjaimisia koodeja kuten fi, sv, en");
        }

        foreach (var code in languages.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key).Concat(partial.Where(languages.Contains)))
        {
            r.Error(YamlReader.Get(root, "partial_languages") ?? node, $"kieli '{code}' on mainittu kahdesti");
        }
    }

    public static ModuleSource? Module(YamlReader r, YamlMappingNode root)
    {
        r.CheckKeys(root, ModuleKeys, "teemamoduulissa");
        var id = r.Id(root, "id", "teemamoduulilta");
        var owner = $"teemamoduulilta '{id}'";
        var sector = r.Enum<Sector>(root, "sector", owner, Sectors);
        var title = r.Text(root, "title", owner);
        var sections = Sections(r, root, owner, module: true);
        return id is null || sector is null || title is null ? null : new ModuleSource(id, sector.Value, title, sections, r.At(root));
    }

    private static List<SectionSource> Sections(YamlReader r, YamlMappingNode root, string owner, bool module)
    {
        var sections = new List<SectionSource>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var map in r.Mappings(root, "sections", owner, "osio"))
        {
            r.CheckKeys(map, module ? ModuleSectionKeys : SectionKeys, "osiossa");
            var id = r.Id(map, "id", "osiolta");
            if (id is not null && !ids.Add(id))
            {
                r.Error(YamlReader.Get(map, "id")!, $"osion id '{id}' on jo käytössä");
            }

            var title = r.Text(map, "title", $"osiolta '{id}'");
            var groups = new List<RespondentGroup>();
            if (module)
            {
                foreach (var name in r.ScalarList(map, "groups", $"osiolta '{id}'") ?? [])
                {
                    if (Enum.TryParse<RespondentGroup>(name, ignoreCase: true, out var g) && !int.TryParse(name, out _))
                    {
                        groups.Add(g);
                    }
                    else
                    {
                        r.Error(YamlReader.Get(map, "groups")!, $"'groups': tuntematon vastaajaryhmä '{name}'; sallitut: {Groups}");
                    }
                }
            }

            var refs = References(r, map, id);
            if (id is not null && title is not null)
            {
                sections.Add(new SectionSource(id, title, refs, groups, r.At(map)));
            }
        }

        return sections;
    }

    private static List<ItemRef> References(YamlReader r, YamlMappingNode section, string? sectionId)
    {
        var refs = new List<ItemRef>();
        var node = YamlReader.Get(section, "items");
        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            r.Error(node ?? section, $"osiossa '{sectionId}' pitää olla 'items'-luettelo, jossa on vähintään yksi kysymys");
            return refs;
        }

        foreach (var child in sequence)
        {
            switch (child)
            {
                case YamlScalarNode { Value.Length: > 0 } scalar:
                    refs.Add(new ItemRef(scalar.Value!, null, r.At(scalar)));
                    break;
                case YamlMappingNode map when YamlReader.Get(map, "type") is not null || YamlReader.Get(map, "text") is not null:
                    r.Error(map, "kysymykset kirjoitetaan kysymyspankkiin (surveys/items/); kyselyssä niihin viitataan id:llä, esim. '- vk_h_001'");
                    break;
                case YamlMappingNode map:
                    r.CheckKeys(map, RefKeys, "kysymysviittauksessa");
                    var itemId = r.Scalar(map, "item", "kysymysviittaukselta");
                    var condition = YamlReader.Get(map, "show_if") is { } conditionNode ? Condition(r, conditionNode) : null;
                    if (YamlReader.Get(map, "show_if") is null)
                    {
                        r.Error(map, "kysymysviittauksella on 'item' mutta ei 'show_if'; pelkän kysymyksen voi kirjoittaa muodossa '- kysymyksen_id'");
                    }

                    if (itemId is not null)
                    {
                        refs.Add(new ItemRef(itemId, condition, r.At(YamlReader.Get(map, "item")!)));
                    }

                    break;
                default:
                    r.Error(child, "kysymysluettelon rivi on joko kysymyksen id tai { item: id, show_if: … }");
                    break;
            }
        }

        return refs;
    }

    private static Condition? Condition(YamlReader r, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            r.Error(node, "'show_if' pitää olla muotoa { item: taustakysymyksen_id, in: [vaihtoehto, …] }");
            return null;
        }

        r.CheckKeys(map, ConditionKeys, "ehdossa 'show_if'");
        var item = r.Scalar(map, "item", "ehdolta 'show_if'");
        var values = r.ScalarList(map, "in", "ehdolta 'show_if'");
        if (values is { Count: 0 })
        {
            r.Error(YamlReader.Get(map, "in")!, "ehdon 'in'-luettelossa pitää olla vähintään yksi vaihtoehto");
        }

        return item is null || values is null or { Count: 0 } ? null : new Condition(item, values);
    }

    public static (CycleRule? Rule, List<CycleYearSource> Years) Cycle(YamlReader r, YamlMappingNode root)
    {
        r.CheckKeys(root, CycleKeys, "vuosikellossa");
        CycleRule? rule = null;
        if (YamlReader.Get(root, "rule") is YamlMappingNode ruleMap)
        {
            r.CheckKeys(ruleMap, RuleKeys, "säännössä");
            var from = r.PositiveInt(ruleMap, "from", "säännöltä");
            var even = r.Enum<Sector>(ruleMap, "even", "säännöltä", Sectors);
            var odd = r.Enum<Sector>(ruleMap, "odd", "säännöltä", Sectors);
            rule = from is null || even is null || odd is null ? null : new CycleRule(from.Value, even.Value, odd.Value);
        }
        else
        {
            r.Error(YamlReader.Get(root, "rule") ?? root, "vuosikellosta puuttuu 'rule' (from, even, odd)");
        }

        var years = new List<CycleYearSource>();
        var seen = new HashSet<int>();
        foreach (var map in r.Mappings(root, "years", "vuosikellolta", "vuosi"))
        {
            r.CheckKeys(map, YearKeys, "vuodessa");
            var year = r.PositiveInt(map, "year", "vuodelta");
            var sector = r.Enum<Sector>(map, "sector", $"vuodelta {year}", Sectors);
            var focus = r.Scalar(map, "focus", $"vuodelta {year}", required: false);
            var theme = r.Text(map, "theme", $"vuodelta {year}", required: false);
            if (year is not null && !seen.Add(year.Value))
            {
                r.Error(YamlReader.Get(map, "year")!, $"vuosi {year} on vuosikellossa kahdesti");
            }
            else if (year is not null && sector is not null)
            {
                years.Add(new CycleYearSource(year.Value, sector.Value, focus, theme, r.At(map)));
            }
        }

        return (rule, years);
    }
}
