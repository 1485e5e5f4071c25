namespace Arviointi.Surveys;

/// <summary>The education sector a survey or round belongs to.</summary>
public enum Sector
{
    /// <summary>Early childhood education and care (varhaiskasvatus).</summary>
    Ecec,

    /// <summary>Pre-primary and basic education (esi- ja perusopetus).</summary>
    Basic,
}

/// <summary>Who answers a survey.</summary>
public enum RespondentGroup
{
    /// <summary>Staff of a unit (henkilöstö).</summary>
    Staff,

    /// <summary>Guardians, one answer per child (huoltajat).</summary>
    Guardian,

    /// <summary>Children in ECEC, answering with an adult (lapset).</summary>
    Child,

    /// <summary>Pupils in basic education (oppilaat).</summary>
    Pupil,
}

/// <summary>How an item is answered.</summary>
public enum ItemType
{
    /// <summary>Five-point agreement scale 1–5 with a separate "can't say".</summary>
    Agreement,

    /// <summary>Three-point picture scale for children.</summary>
    Smiley,

    /// <summary>One option of several.</summary>
    SingleChoice,

    /// <summary>Any number of options.</summary>
    MultipleChoice,

    /// <summary>Free text with a length limit.</summary>
    Text,
}

/// <summary>A text in several languages, keyed by ISO 639-1 code.</summary>
public sealed record LocalizedText(IReadOnlyDictionary<string, string> Values)
{
    /// <summary>The text in <paramref name="language"/>, falling back to Finnish.</summary>
    public string Get(string language) =>
        Values.TryGetValue(language, out var text) ? text
        : Values.TryGetValue(SurveyDefinition.RequiredLanguage, out var fi) ? fi
        : Values.Values.FirstOrDefault() ?? "";
}

/// <summary>One choice of a single- or multiple-choice item.</summary>
public sealed record ItemOption(string Id, LocalizedText Label);

/// <summary>One question of a survey.</summary>
public sealed record SurveyItem
{
    /// <summary>Stable id of the item; the same question keeps its id across years.</summary>
    public required string Id { get; init; }

    /// <summary>How the item is answered.</summary>
    public required ItemType Type { get; init; }

    /// <summary>The question text.</summary>
    public required LocalizedText Text { get; init; }

    /// <summary>Quality area the item measures (empty for background items).</summary>
    public string Area { get; init; } = "";

    /// <summary>True when the answer describes the respondent (a quasi-identifier in exports).</summary>
    public bool Background { get; init; }

    /// <summary>Options of choice items; empty otherwise.</summary>
    public IReadOnlyList<ItemOption> Options { get; init; } = [];

    /// <summary>Maximum length of a text answer.</summary>
    public int MaxLength { get; init; } = 1000;
}

/// <summary>A titled group of items shown together.</summary>
public sealed record SurveySection(string Id, LocalizedText Title, IReadOnlyList<SurveyItem> Items);

/// <summary>A parsed, validated survey definition.</summary>
public sealed record SurveyDefinition
{
    /// <summary>The language every survey must have.</summary>
    public const string RequiredLanguage = "fi";

    /// <summary>Stable id of the survey, e.g. <c>ecec-guardian</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Sector the survey evaluates.</summary>
    public required Sector Sector { get; init; }

    /// <summary>Who answers.</summary>
    public required RespondentGroup Group { get; init; }

    /// <summary>The author's version number.</summary>
    public required int Version { get; init; }

    /// <summary>Languages the survey is written in; Finnish first.</summary>
    public required IReadOnlyList<string> Languages { get; init; }

    /// <summary>Title shown to respondents.</summary>
    public required LocalizedText Title { get; init; }

    /// <summary>Introduction shown before the first section.</summary>
    public required LocalizedText Introduction { get; init; }

    /// <summary>Sections in order.</summary>
    public required IReadOnlyList<SurveySection> Sections { get; init; }

    /// <summary>All items in order of appearance.</summary>
    public IEnumerable<SurveyItem> Items => Sections.SelectMany(s => s.Items);
}

/// <summary>A problem in a survey file, with its place.</summary>
public sealed record SurveyError(string File, int Line, int Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>The outcome of parsing one survey file.</summary>
public sealed record SurveyParseResult(SurveyDefinition? Definition, IReadOnlyList<SurveyError> Errors)
{
    /// <summary>True when the file parsed without errors.</summary>
    public bool IsValid => Definition is not null && Errors.Count == 0;
}
