using Arviointi.Surveys.Files;

namespace Arviointi.Surveys;

/// <summary>A year of the evaluation cycle: its sector, and the focus module and theme chosen for it.</summary>
public sealed record CycleYear(int Year, Sector Sector, string? FocusModule, LocalizedText? Theme);

/// <summary>
/// The survey folder as a whole: item bank, core surveys, focus modules and the yearly cycle, checked
/// together (ids, references, conditions, translations, scales) and resolved into complete surveys.
/// </summary>
public sealed class SurveyLibrary
{
    private readonly Dictionary<string, SurveyItem> bank = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SurveySource> surveys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModuleSource> modules = new(StringComparer.Ordinal);
    private readonly List<SurveyError> errors = [];
    private CycleRule? rule;
    private readonly List<CycleYearSource> years = [];

    private SurveyLibrary()
    {
    }

    /// <summary>Every problem found, each with its file, line and column; empty when the folder is valid.</summary>
    public IReadOnlyList<SurveyError> Errors { get; private set; } = [];

    /// <summary>How many files were read.</summary>
    public int FileCount { get; private set; }

    /// <summary>Ids of the core surveys, in file order.</summary>
    public IReadOnlyList<string> SurveyIds => [.. surveys.Keys];

    /// <summary>Ids of the focus modules.</summary>
    public IReadOnlyList<string> ModuleIds => [.. modules.Keys];

    /// <summary>The yearly cycle, by year.</summary>
    public IReadOnlyList<CycleYear> Cycle =>
        [.. years.OrderBy(y => y.Year).Select(y => new CycleYear(y.Year, y.Sector, y.Focus, y.Theme))];

    /// <summary>Reads and checks every file of a survey folder. Never throws for bad content.</summary>
    public static SurveyLibrary Load(string root)
    {
        var library = new SurveyLibrary();
        var files = Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('_'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        if (files.Count == 0)
        {
            library.errors.Add(new SurveyError(root, 1, 1, "kansiosta ei löytynyt yhtään .yaml-tiedostoa"));
        }

        foreach (var path in files)
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            library.Read(path, relative, Path.Join(root, relative).Replace('\\', '/'));
        }

        library.FileCount = files.Count;
        library.CheckAll();
        return library;
    }

    /// <summary>The complete survey a group answers: the core survey, plus the focus module's sections for its group.</summary>
    /// <returns>The survey, or null with the reasons when it cannot be built.</returns>
    public (SurveyDefinition? Definition, IReadOnlyList<SurveyError> Errors) Resolve(string surveyId, string? moduleId = null)
    {
        var found = new List<SurveyError>();
        if (!surveys.TryGetValue(surveyId, out var survey))
        {
            return (null, [new SurveyError("", 1, 1, $"kyselyä '{surveyId}' ei ole")]);
        }

        ModuleSource? module = null;
        if (moduleId is not null && !modules.TryGetValue(moduleId, out module))
        {
            return (null, [new SurveyError(survey.At, $"teemamoduulia '{moduleId}' ei ole")]);
        }

        var definition = Build(survey, module, found);
        var related = found.Concat(Errors.Where(e => e.File == survey.At.File || (module is not null && e.File == module.At.File))).Distinct().ToList();
        return (related.Count == 0 ? definition : null, related);
    }

    /// <summary>The focus modules that add a section to a survey (same sector, a section for its group).</summary>
    public IReadOnlyList<string> ModulesFor(string surveyId) =>
        surveys.TryGetValue(surveyId, out var survey)
            ? [.. modules.Values.Where(m => m.Sector == survey.Sector && m.Sections.Any(s => s.Groups.Contains(survey.Group))).Select(m => m.Id)]
            : [];

    /// <summary>The surveys of a cycle year: every core survey of its sector with the year's focus module.</summary>
    public IReadOnlyList<(SurveyDefinition? Definition, IReadOnlyList<SurveyError> Errors)> ResolveYear(int year)
    {
        var cycleYear = years.FirstOrDefault(y => y.Year == year);
        var sector = cycleYear?.Sector ?? SectorOf(year);
        if (sector is null)
        {
            return [];
        }

        return [.. surveys.Values.Where(s => s.Sector == sector).Select(s => Resolve(s.Id, cycleYear?.Focus is { } f && ModulesFor(s.Id).Contains(f) ? f : null))];
    }

    /// <summary>The sector a year evaluates: the cycle's entry, or the rule from its first year on.</summary>
    public Sector? SectorOf(int year) =>
        years.FirstOrDefault(y => y.Year == year)?.Sector
        ?? (rule is not null && year >= rule.From ? (year % 2 == 0 ? rule.Even : rule.Odd) : null);

    private void Read(string path, string relative, string name)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            errors.Add(new SurveyError(name, 1, 1, $"tiedostoa ei voitu lukea: {e.Message}"));
            return;
        }

        var reader = new YamlReader(name, errors);
        var kind = relative == "cycle.yaml" ? "cycle" : relative.StartsWith("items/", StringComparison.Ordinal) ? "items" : relative.StartsWith("modules/", StringComparison.Ordinal) ? "module" : "survey";
        var root = reader.Root(text, kind switch
        {
            "items" => "kysymyspankissa on 'items'-luettelo",
            "module" => "teemamoduulissa on id, sector, title ja sections",
            "cycle" => "vuosikellossa on rule ja years",
            _ => "kyselyssä on id, sector, group, version, languages, title, introduction ja sections",
        });
        if (root is null)
        {
            return;
        }

        switch (kind)
        {
            case "items":
                foreach (var item in SourceParsers.ItemBank(reader, root))
                {
                    if (bank.TryGetValue(item.Id, out var existing))
                    {
                        errors.Add(new SurveyError(item.Location!, $"kysymyksen id '{item.Id}' on jo käytössä ({existing.Location!.File}:{existing.Location.Line})"));
                    }
                    else
                    {
                        bank[item.Id] = item;
                    }
                }

                break;
            case "module":
                if (SourceParsers.Module(reader, root) is { } module && !modules.TryAdd(module.Id, module))
                {
                    errors.Add(new SurveyError(module.At, $"teemamoduulin id '{module.Id}' on jo tiedostossa {modules[module.Id].At.File}"));
                }

                break;
            case "cycle":
                (rule, var parsed) = SourceParsers.Cycle(reader, root);
                years.AddRange(parsed);
                break;
            default:
                if (SourceParsers.Survey(reader, root) is { } survey)
                {
                    if (surveys.TryGetValue(survey.Id, out var other))
                    {
                        errors.Add(new SurveyError(survey.At, $"kyselyn id '{survey.Id}' on jo tiedostossa {other.At.File}"));
                    }
                    else if (surveys.Values.FirstOrDefault(s => s.Sector == survey.Sector && s.Group == survey.Group) is { } same)
                    {
                        errors.Add(new SurveyError(survey.At, $"samalle sektorille ja vastaajaryhmälle on jo kysely {same.At.File}"));
                    }
                    else
                    {
                        surveys[survey.Id] = survey;
                    }
                }

                break;
        }
    }

    private void CheckAll()
    {
        foreach (var item in bank.Values.Where(i => i.Replaces is not null))
        {
            if (!bank.TryGetValue(item.Replaces!, out var predecessor))
            {
                errors.Add(new SurveyError(item.Location!, $"kysymys '{item.Id}' korvaa kysymyksen '{item.Replaces}', jota ei ole kysymyspankissa"));
            }
            else if (item.Comparable && predecessor.Type != item.Type)
            {
                errors.Add(new SurveyError(item.Location!, $"kysymys '{item.Id}' on merkitty vertailukelpoiseksi kysymyksen '{item.Replaces}' kanssa, mutta asteikko ei vastaa ({Name(item.Type)} / {Name(predecessor.Type)})"));
            }
        }

        foreach (var survey in surveys.Values)
        {
            Build(survey, null, errors);
            foreach (var moduleId in ModulesFor(survey.Id))
            {
                Build(survey, modules[moduleId], errors);
            }
        }

        foreach (var module in modules.Values)
        {
            foreach (var section in module.Sections.Where(s => s.Groups.Count > 0))
            {
                foreach (var group in section.Groups.Where(g => !surveys.Values.Any(s => s.Sector == module.Sector && s.Group == g)))
                {
                    errors.Add(new SurveyError(section.At, $"osio '{section.Id}' on ryhmälle '{group.ToString().ToLowerInvariant()}', mutta sektorilla ei ole sen ryhmän kyselyä"));
                }
            }
        }

        foreach (var year in years)
        {
            if (rule is not null && year.Year >= rule.From && year.Sector != (year.Year % 2 == 0 ? rule.Even : rule.Odd))
            {
                errors.Add(new SurveyError(year.At, $"vuonna {year.Year} arvioidaan säännön mukaan {Name(year.Year % 2 == 0 ? rule.Even : rule.Odd)}, ei {Name(year.Sector)}"));
            }

            if (year.Focus is not null && !modules.ContainsKey(year.Focus))
            {
                errors.Add(new SurveyError(year.At, $"vuoden {year.Year} teemamoduulia '{year.Focus}' ei ole kansiossa modules/"));
            }
            else if (year.Focus is not null && modules[year.Focus].Sector != year.Sector)
            {
                errors.Add(new SurveyError(year.At, $"vuoden {year.Year} teemamoduuli '{year.Focus}' on toiselle sektorille"));
            }
        }

        Errors = [.. errors.Distinct().OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column)];
    }

    private SurveyDefinition Build(SurveySource survey, ModuleSource? module, List<SurveyError> found)
    {
        var languages = survey.Languages;
        var placed = new Dictionary<string, SurveyItem>(StringComparer.Ordinal);
        var sections = new List<SurveySection>();

        void RequireText(LocalizedText text, string owner, string key)
        {
            foreach (var language in languages.Where(l => !text.Has(l)))
            {
                found.Add(new SurveyError(text.Location!, $"{owner} puuttuu {Languages.FinnishAdjective(language)} teksti ('{key}'), jota kysely '{survey.Id}' tarvitsee"));
            }
        }

        RequireText(survey.Title, $"kyselyltä '{survey.Id}'", "title");
        RequireText(survey.Introduction, $"kyselyltä '{survey.Id}'", "introduction");
        if (module is not null)
        {
            RequireText(module.Title, $"teemamoduulilta '{module.Id}'", "title");
        }

        var sectionSources = survey.Sections.Concat(module?.Sections.Where(s => s.Groups.Contains(survey.Group)) ?? []);
        foreach (var source in sectionSources)
        {
            RequireText(source.Title, $"osiolta '{source.Id}'", "title");
            var items = new List<SurveyItem>();
            foreach (var reference in source.Items)
            {
                if (!bank.TryGetValue(reference.ItemId, out var item))
                {
                    found.Add(new SurveyError(reference.At, $"kysymystä '{reference.ItemId}' ei ole kysymyspankissa (surveys/items/)"));
                    continue;
                }

                if (placed.ContainsKey(item.Id))
                {
                    found.Add(new SurveyError(reference.At, $"kysymys '{item.Id}' on kyselyssä '{survey.Id}' jo aiemmin"));
                    continue;
                }

                CheckItem(survey, item, reference, placed, found);
                RequireText(item.Text, $"kysymykseltä '{item.Id}'", "text");
                foreach (var option in item.Options)
                {
                    RequireText(option.Label, $"kysymyksen '{item.Id}' vaihtoehdolta '{option.Id}'", "label");
                }

                var resolved = item with { ShowIf = reference.ShowIf };
                placed[item.Id] = resolved;
                items.Add(resolved);
            }

            sections.Add(new SurveySection(source.Id, source.Title, items));
        }

        return new SurveyDefinition
        {
            Id = survey.Id,
            Sector = survey.Sector,
            Group = survey.Group,
            Version = survey.Version,
            Languages = survey.Languages,
            PartialLanguages = survey.PartialLanguages,
            Title = survey.Title,
            Introduction = survey.Introduction,
            Sections = sections,
            FocusModule = module?.Id,
        };
    }

    private static void CheckItem(SurveySource survey, SurveyItem item, ItemRef reference, Dictionary<string, SurveyItem> placed, List<SurveyError> found)
    {
        if (item.Area.Length > 0 && !QualityAreas.Of(survey.Sector).Contains(item.Area))
        {
            found.Add(new SurveyError(reference.At, $"kysymyksen '{item.Id}' laatualue '{item.Area}' ei kuulu sektorin {Name(survey.Sector)} laatualueisiin"));
        }

        if (survey.Group == RespondentGroup.Child && item.Type == ItemType.Agreement)
        {
            found.Add(new SurveyError(reference.At, $"lasten kyselyssä käytetään kuvallista asteikkoa (smiley), mutta kysymys '{item.Id}' on 5-portainen (agreement)"));
        }
        else if (survey.Group != RespondentGroup.Child && item.Type == ItemType.Smiley && reference.ShowIf is null)
        {
            found.Add(new SurveyError(reference.At, $"kuvallinen asteikko (smiley) kuuluu lasten kyselyyn tai ehdolla (show_if) nuorimmille oppilaille; kysymys '{item.Id}' on kyselyssä '{survey.Id}' ilman ehtoa"));
        }

        if (reference.ShowIf is not { } condition)
        {
            return;
        }

        if (!placed.TryGetValue(condition.ItemId, out var target))
        {
            found.Add(new SurveyError(reference.At, $"kysymyksen '{item.Id}' ehto viittaa kysymykseen '{condition.ItemId}', jota ei ole tässä kyselyssä ennen sitä"));
        }
        else if (target.Type is not (ItemType.SingleChoice or ItemType.MultipleChoice))
        {
            found.Add(new SurveyError(reference.At, $"kysymyksen '{item.Id}' ehto viittaa kysymykseen '{condition.ItemId}', joka ei ole valintakysymys"));
        }
        else
        {
            foreach (var value in condition.Values.Where(v => target.Options.All(o => o.Id != v)))
            {
                found.Add(new SurveyError(reference.At, $"kysymyksen '{item.Id}' ehdossa on vaihtoehto '{value}', jota kysymyksessä '{condition.ItemId}' ei ole; vaihtoehdot: {string.Join(", ", target.Options.Select(o => o.Id))}"));
            }
        }
    }

    private static string Name(Sector sector) => sector == Sector.Ecec ? "varhaiskasvatus (ecec)" : "perusopetus (basic)";

    private static string Name(ItemType type) => type.ToString().ToLowerInvariant();
}
