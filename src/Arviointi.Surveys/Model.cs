using System.Text.Json.Serialization;

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

/// <summary>Where something was written: a file, a line and a column (1-based).</summary>
public sealed record SourceLocation(string File, int Line, int Column);

/// <summary>A text in several languages, keyed by ISO 639-1 code.</summary>
[JsonConverter(typeof(LocalizedTextJsonConverter))]
public sealed record LocalizedText(IReadOnlyDictionary<string, string> Values)
{
    /// <summary>Where the text was written, for error messages; not stored.</summary>
    [JsonIgnore]
    public SourceLocation? Location { get; init; }

    /// <summary>The text in <paramref name="language"/>, falling back to Finnish.</summary>
    public string Get(string language) =>
        Values.TryGetValue(language, out var text) && text.Length > 0 ? text
        : Values.TryGetValue(SurveyDefinition.RequiredLanguage, out var fi) ? fi
        : Values.Values.FirstOrDefault() ?? "";

    /// <summary>True when the text exists, non-empty, in <paramref name="language"/>.</summary>
    public bool Has(string language) => Values.TryGetValue(language, out var text) && text.Length > 0;
}

/// <summary>One choice of a single- or multiple-choice item.</summary>
public sealed record ItemOption(string Id, LocalizedText Label);

/// <summary>Show an item only when an earlier choice item has one of the given options.</summary>
/// <param name="ItemId">The earlier single- or multiple-choice item.</param>
/// <param name="Values">Option ids for which the item is shown.</param>
public sealed record Condition(string ItemId, IReadOnlyList<string> Values);

/// <summary>One question of a survey, as written in the item bank.</summary>
public sealed record SurveyItem
{
    /// <summary>Stable id of the item; the same question keeps its id across years.</summary>
    public required string Id { get; init; }

    /// <summary>How the item is answered.</summary>
    public required ItemType Type { get; init; }

    /// <summary>The question text.</summary>
    public required LocalizedText Text { get; init; }

    /// <summary>Quality area the item measures (empty for background and text items).</summary>
    public string Area { get; init; } = "";

    /// <summary>True when the answer describes the respondent (age band, grade band, profession …).</summary>
    public bool Background { get; init; }

    /// <summary>
    /// True for a background item that, with the municipality and unit, could single a respondent out: the research
    /// export keeps every combination of these at least k-anonymous (docs/privacy.md). Not written when false, so
    /// surveys stored before the flag keep their content hash.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool QuasiIdentifier { get; init; }

    /// <summary>Options of choice items; empty otherwise.</summary>
    public IReadOnlyList<ItemOption> Options { get; init; } = [];

    /// <summary>Maximum length of a text answer.</summary>
    public int MaxLength { get; init; } = 1000;

    /// <summary>The item this one rewords, if any.</summary>
    public string? Replaces { get; init; }

    /// <summary>True when results of <see cref="Replaces"/> and this item form one series.</summary>
    public bool Comparable { get; init; }

    /// <summary>When set, the item is shown only if the condition holds.</summary>
    public Condition? ShowIf { get; init; }

    /// <summary>Where the item was defined in the bank; not stored.</summary>
    [JsonIgnore]
    public SourceLocation? Location { get; init; }
}

/// <summary>A titled group of items shown together.</summary>
public sealed record SurveySection(string Id, LocalizedText Title, IReadOnlyList<SurveyItem> Items);

/// <summary>A resolved survey: core sections, the focus module's sections, every item's text.</summary>
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

    /// <summary>Fully translated languages; Finnish first.</summary>
    public required IReadOnlyList<string> Languages { get; init; }

    /// <summary>Languages offered although not every text is translated (Finnish is shown for the rest).</summary>
    public IReadOnlyList<string> PartialLanguages { get; init; } = [];

    /// <summary>Title shown to respondents.</summary>
    public required LocalizedText Title { get; init; }

    /// <summary>Introduction shown before the first section.</summary>
    public required LocalizedText Introduction { get; init; }

    /// <summary>Sections in order: the core module's, then the focus module's.</summary>
    public required IReadOnlyList<SurveySection> Sections { get; init; }

    /// <summary>The focus-theme module added to the core, if any.</summary>
    public string? FocusModule { get; init; }

    /// <summary>All items in order of appearance.</summary>
    [JsonIgnore]
    public IEnumerable<SurveyItem> Items => Sections.SelectMany(s => s.Items);

    /// <summary>Every language a respondent may choose: full ones first, then partial ones.</summary>
    [JsonIgnore]
    public IEnumerable<string> OfferedLanguages => Languages.Concat(PartialLanguages);
}

/// <summary>A problem in a survey file, with its place.</summary>
public sealed record SurveyError(string File, int Line, int Column, string Message)
{
    /// <summary>An error at a known location.</summary>
    public SurveyError(SourceLocation at, string message)
        : this(at?.File ?? "", at?.Line ?? 1, at?.Column ?? 1, message)
    {
    }

    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
