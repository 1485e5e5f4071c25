using Microsoft.AspNetCore.Diagnostics;

namespace Arviointi.Web.Features.Shared;

/// <summary>
/// The API's refusals as problem details (RFC 9457, application/problem+json) with a Finnish title, where the pages
/// show the status page: a client of <c>/api</c> reads JSON whatever went wrong, never the site's HTML.
/// </summary>
internal static class ApiProblems
{
    public static bool IsApi(HttpContext http) => http?.Request.Path.StartsWithSegments("/api") == true;

    /// <summary>The status page for people, problem details for the API's clients.</summary>
    public static IApplicationBuilder UseStatusPages(this IApplicationBuilder app) => app
        .UseWhen(http => !IsApi(http), pages => pages.UseStatusCodePagesWithReExecute("/tila/{0}"))
        .UseWhen(IsApi, api => api.UseStatusCodePages(WriteAsync));

    private static (string Title, string Detail) Text(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => ("Kirjautuminen vaaditaan", "Kirjaudu sisään ja yritä uudelleen."),
        StatusCodes.Status403Forbidden => ("Ei käyttöoikeutta", "Sinulla ei ole oikeutta tähän tietoon."),
        StatusCodes.Status404NotFound => ("Ei löytynyt", "Pyydettyä tietoa ei ole. Tarkista osoite."),
        StatusCodes.Status405MethodNotAllowed => ("Menetelmä ei ole sallittu", "Tätä osoitetta ei voi käyttää tällä HTTP-menetelmällä."),
        StatusCodes.Status429TooManyRequests => ("Liian monta pyyntöä", "Odota hetki ja yritä uudelleen."),
        < 500 => ("Pyyntöä ei voitu käsitellä", "Tarkista pyyntö ja yritä uudelleen."),
        _ => ("Jotain meni vikaan", "Yritä hetken kuluttua uudelleen."),
    };

    private static Task WriteAsync(StatusCodeContext context)
    {
        var status = context.HttpContext.Response.StatusCode;
        var (title, detail) = Text(status);
        return TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context.HttpContext);
    }
}
