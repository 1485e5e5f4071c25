using Arviointi.Surveys;

namespace Arviointi.Web.Features.Shared;

/// <summary>Finnish names (resource keys) of the domain's enumerations.</summary>
internal static class Names
{
    /// <summary>Names sorted as a Finnish reader expects (å, ä, ö after z).</summary>
    public static readonly StringComparer FinnishOrder = StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("fi"), false);

    public static string Of(Sector sector) => sector == Sector.Ecec ? "Varhaiskasvatus" : "Esi- ja perusopetus";

    public static string Of(RespondentGroup group) => group switch
    {
        RespondentGroup.Staff => "Henkilöstö",
        RespondentGroup.Guardian => "Huoltajat",
        RespondentGroup.Child => "Lapset",
        _ => "Oppilaat",
    };

    /// <summary>Whose answers a chart or figure shows, e.g. "Huoltajien vastaukset".</summary>
    public static string Answers(RespondentGroup group) => group switch
    {
        RespondentGroup.Staff => "Henkilöstön vastaukset",
        RespondentGroup.Guardian => "Huoltajien vastaukset",
        RespondentGroup.Child => "Lasten vastaukset",
        _ => "Oppilaiden vastaukset",
    };

    /// <summary>The Finnish name of a quality area id of <see cref="QualityAreas"/>.</summary>
    public static string Area(string area) => area switch
    {
        "operating_culture" => "Toimintakulttuuri",
        "learning_environment" => "Oppimisympäristöt",
        "pedagogy_play" => "Pedagoginen toiminta ja leikki",
        "interaction" => "Vuorovaikutus",
        "participation" => "Osallisuus",
        "support" => "Kehityksen ja oppimisen tuki",
        "guardian_cooperation" => "Yhteistyö huoltajien kanssa",
        "leadership_competence" => "Johtaminen ja henkilöstön osaaminen",
        "wellbeing_safety" => "Hyvinvointi ja turvallisuus",
        "attendance" => "Koulussa käyminen",
        "learning_support" => "Oppimisen tuki ja inkluusio",
        "teaching_learning" => "Opetus ja oppiminen",
        "home_school" => "Kodin ja koulun yhteistyö",
        "guidance" => "Ohjaus",
        "digital_skills" => "Digitaidot",
        "" => "Muut kysymykset",
        _ => area,
    };
}
