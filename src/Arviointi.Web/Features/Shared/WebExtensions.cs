using Arviointi.Web.Features.Identity;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.WebUtilities;

namespace Arviointi.Web.Features.Shared;

internal static class LanguageSwitch
{
    public static readonly string[] Languages = ["fi", "sv", "en"];

    /// <summary>ViewData key: the page offers its own language choice, so the layout leaves out the site's.</summary>
    public const string PageChoosesLanguage = "PageChoosesLanguage";

    /// <summary>Remembers the chosen language in a cookie and returns to the page the user was on.</summary>
    public static IEndpointRouteBuilder MapLanguageSwitch(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/kieli/{language}", (string language, string? returnUrl, HttpContext http) =>
        {
            if (!Languages.Contains(language))
            {
                return (IResult)TypedResults.BadRequest();
            }

            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            var target = returnUrl is { Length: > 0 } && Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
                ? returnUrl
                : "/";
            return TypedResults.LocalRedirect(WithRespondentLanguage(target, language));
        });
        return routes;
    }

    /// <summary>A respondent page names its language in its address (<c>kieli</c>): the switch changes it there too.</summary>
    private static string WithRespondentLanguage(string target, string language)
    {
        var start = target.IndexOf('?', StringComparison.Ordinal);
        if (start < 0 || target.Contains('#', StringComparison.Ordinal) || !target.StartsWith("/vastaa", StringComparison.Ordinal))
        {
            return target;
        }

        var query = QueryHelpers.ParseQuery(target[start..]);
        if (!query.ContainsKey(Answering.RespondentLanguage.QueryKey))
        {
            return target;
        }

        query[Answering.RespondentLanguage.QueryKey] = language;
        return target[..start] + QueryString.Create(query);
    }

    public static string Current => System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;

    /// <summary>A language's name in that language ("suomi", "svenska", "العربية"), for choosing a survey's language.</summary>
    public static string NativeName(string code)
    {
        var name = System.Globalization.CultureInfo.GetCultureInfo(code).NativeName;
        return name.Length == 0 ? code : char.ToUpper(name[0], System.Globalization.CultureInfo.GetCultureInfo(code)) + name[1..];
    }
}

/// <summary>The Hangfire dashboard is for administrators only.</summary>
internal sealed class AdministratorDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) =>
        context.GetHttpContext().User.IsInRole(Roles.Administrator);
}
