namespace Arviointi.Surveys;

/// <summary>Facts about languages that the survey format needs; any ISO 639-1 code may be used.</summary>
public static class Languages
{
    private static readonly HashSet<string> RightToLeft = ["ar", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi", "dv"];

    /// <summary>True for scripts written right to left, such as Arabic.</summary>
    public static bool IsRightToLeft(string language) => RightToLeft.Contains(language);

    /// <summary>The HTML <c>dir</c> value for a language.</summary>
    public static string Direction(string language) => IsRightToLeft(language) ? "rtl" : "ltr";

    /// <summary>True for a two-letter lower-case code.</summary>
    public static bool IsValidCode(string code) => code is { Length: 2 } && code.All(char.IsAsciiLetterLower);

    /// <summary>The Finnish adjective for a language in error messages ("ruotsinkielinen").</summary>
    public static string FinnishAdjective(string code) => code switch
    {
        "fi" => "suomenkielinen",
        "sv" => "ruotsinkielinen",
        "en" => "englanninkielinen",
        "et" => "vironkielinen",
        "ru" => "venäjänkielinen",
        "ar" => "arabiankielinen",
        "so" => "somalinkielinen",
        "uk" => "ukrainankielinen",
        _ => $"kielen '{code}'",
    };
}

/// <summary>Quality areas items are built on (DOMAIN.md): Karvi's ECEC criteria and basic education's themes.</summary>
public static class QualityAreas
{
    /// <summary>Areas of early childhood education.</summary>
    public static readonly IReadOnlyList<string> Ecec =
        ["operating_culture", "learning_environment", "pedagogy_play", "interaction", "participation", "support", "guardian_cooperation", "leadership_competence"];

    /// <summary>Areas of pre-primary and basic education.</summary>
    public static readonly IReadOnlyList<string> Basic =
        ["wellbeing_safety", "attendance", "learning_support", "participation", "teaching_learning", "home_school", "guidance", "digital_skills"];

    /// <summary>The areas of a sector.</summary>
    public static IReadOnlyList<string> Of(Sector sector) => sector == Sector.Ecec ? Ecec : Basic;

    /// <summary>True when the area exists in some sector.</summary>
    public static bool IsKnown(string area) => Ecec.Contains(area) || Basic.Contains(area);
}
