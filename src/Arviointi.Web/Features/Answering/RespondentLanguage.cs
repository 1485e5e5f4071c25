using System.Globalization;
using Arviointi.Web.Features.Shared;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;

namespace Arviointi.Web.Features.Answering;

/// <summary>
/// A respondent screen is in one language, the survey's, from the header to the buttons (WCAG 3.1.1 and 3.1.2): the
/// language travels as <c>kieli</c> in the address of every respondent page once it differs from the site's.
/// </summary>
internal static class RespondentLanguage
{
    public const string QueryKey = "kieli";

    /// <summary>
    /// The request's culture on the respondent pages (<c>/vastaa…</c>) from their <c>kieli</c>, ahead of the site's cookie,
    /// so the layout, the scale labels and the buttons speak the survey's language; a language the site's texts do not
    /// have is left to the other providers.
    /// </summary>
    public static readonly IRequestCultureProvider Provider = new CustomRequestCultureProvider(http =>
        Task.FromResult(
            http.Request.Path.StartsWithSegments("/vastaa") && http.Request.Query[QueryKey] is [{ } language] && LanguageSwitch.Languages.Contains(language)
                ? new ProviderCultureResult(language)
                : null));

    /// <summary>
    /// The <c>kieli</c> a respondent page's address carries for a survey shown in <paramref name="surveyLanguage"/>:
    /// none while the site's language is that language anyway and none was chosen, the survey's language otherwise.
    /// </summary>
    public static string? InAddress(string surveyLanguage, string? chosen) =>
        chosen is null && surveyLanguage == LanguageSwitch.Current ? null : surveyLanguage;

    /// <summary>The current address with <c>kieli</c> set to <paramref name="language"/>, everything else as it was.</summary>
    public static string AddressIn(HttpRequest request, string language)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query.Where(q => q.Key != QueryKey).Append(new(QueryKey, language));
        return request.PathBase + request.Path + QueryString.Create(query);
    }

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
