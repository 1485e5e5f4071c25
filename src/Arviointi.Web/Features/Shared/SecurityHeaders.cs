using Microsoft.Net.Http.Headers;

namespace Arviointi.Web.Features.Shared;

/// <summary>
/// The headers every response carries (docs/security.md): a Content-Security-Policy that runs no inline script and lets
/// no other site frame a page, no referrer sent along, no sniffing, no device features, and the browser's own process
/// for our pages. HSTS is added in production by <c>UseHsts</c>; no <c>Server</c> header (Kestrel's is switched off).
/// </summary>
internal static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, IConfiguration configuration)
    {
        // A form may post to ourselves, and the municipal sign-in sends the browser on to the municipality's provider.
        var providers = configuration.GetSection(Identity.MunicipalProviders.Section).GetChildren()
            .Select(m => m["Authority"])
            .Where(a => Uri.TryCreate(a, UriKind.Absolute, out _))
            .Select(a => new Uri(a!).GetLeftPart(UriPartial.Authority))
            .Distinct();
        var formAction = string.Join(' ', ["'self'", .. providers]);
        var policy = $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action {formAction}; frame-ancestors 'none'";

        // Hangfire's dashboard is not ours: it styles with inline attributes (administrators only, behind the same sign-in).
        var dashboardPolicy = policy.Replace("style-src 'self'", "style-src 'self' 'unsafe-inline'", StringComparison.Ordinal)
            .Replace("script-src 'self'", "script-src 'self' 'unsafe-inline'", StringComparison.Ordinal);

        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers[HeaderNames.ContentSecurityPolicy] = context.Request.Path.StartsWithSegments("/hangfire") ? dashboardPolicy : policy;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers[HeaderNames.XFrameOptions] = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers.Remove(HeaderNames.Server);
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>
    /// Nothing but the static files is kept by a browser or a proxy: pages, results JSON, charts, PDFs and exports carry
    /// names and figures that a shared computer must not keep. Static files come before this in the pipeline.
    /// </summary>
    public static IApplicationBuilder UseNoStore(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderNames.CacheControl] = "no-store";
            context.Response.Headers.Remove(HeaderNames.Pragma);
            return Task.CompletedTask;
        });
        return next(context);
    });
}
