using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Arviointi.Web.Features.Answering;

/// <summary>Texts a respondent reads in the survey's language, whatever language the rest of the site is in.</summary>
internal static class RespondentLanguage
{
    public static string In(this IStringLocalizer localizer, string language, string key)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        var ui = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
            return localizer[key];
        }
        finally
        {
            CultureInfo.CurrentUICulture = ui;
        }
    }
}
