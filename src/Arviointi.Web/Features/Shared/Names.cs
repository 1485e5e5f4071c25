using Arviointi.Surveys;

namespace Arviointi.Web.Features.Shared;

/// <summary>Finnish names (resource keys) of the domain's enumerations.</summary>
internal static class Names
{
    public static string Of(Sector sector) => sector == Sector.Ecec ? "Varhaiskasvatus" : "Esi- ja perusopetus";

    public static string Of(RespondentGroup group) => group switch
    {
        RespondentGroup.Staff => "Henkilöstö",
        RespondentGroup.Guardian => "Huoltajat",
        RespondentGroup.Child => "Lapset",
        _ => "Oppilaat",
    };
}
