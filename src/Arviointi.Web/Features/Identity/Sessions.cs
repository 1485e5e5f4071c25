using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Features.Identity;

/// <summary>How long a staff session lasts and which roles must have a second factor (docs/security.md).</summary>
internal sealed class SessionOptions
{
    /// <summary>A session unused this long ends (sliding).</summary>
    public TimeSpan Idle { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after its sign-in, however busy.</summary>
    public TimeSpan Absolute { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How often a session is checked against the account (security stamp): zero checks on every request, so a sign-out,
    /// a password change or a role change ends every other session of that user at their next request.
    /// </summary>
    public TimeSpan StampCheckInterval { get; set; } = TimeSpan.Zero;

    /// <summary>Roles that must sign in with an authenticator app besides their password.</summary>
    public string[] TwoFactorRoles { get; set; } = [Roles.Administrator, Roles.Analyst];
}

internal static class Sessions
{
    /// <summary>The instant of the sign-in, kept in the cookie's properties (never renewed by sliding or refreshing).</summary>
    private const string StartedKey = "arviointi:started";

    public static IServiceCollection AddStaffSessions(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<SessionOptions>().BindConfiguration("Sessions")
            .Validate(o => o.Idle > TimeSpan.Zero && o.Absolute >= o.Idle, "Sessions: Idle must be positive and Absolute at least Idle.")
            .ValidateOnStart();
        var options = configuration.GetSection("Sessions").Get<SessionOptions>() ?? new SessionOptions();

        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            // The validator checks when more than the interval has passed since the cookie was issued: a negative interval
            // checks every request even when the clock has not moved (as under a test's clock).
            o.ValidationInterval = options.StampCheckInterval > TimeSpan.Zero ? options.StampCheckInterval : TimeSpan.FromTicks(-1);
            o.OnRefreshingPrincipal = context =>
            {
                // The validator builds a fresh principal from the account; how the person signed in stays with it.
                foreach (var type in (string[])["amr", ClaimTypes.AuthenticationMethod, SignInClaims.Method])
                {
                    if (context.CurrentPrincipal?.FindFirst(type) is { } claim && context.NewPrincipal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == type))
                    {
                        identity.AddClaim(new Claim(type, claim.Value));
                    }
                }

                return Task.CompletedTask;
            };
        });

        services.ConfigureApplicationCookie(o =>
        {
            o.ExpireTimeSpan = options.Idle;
            o.SlidingExpiration = true;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.Events.OnSigningIn = context =>
            {
                // A refresh (password change, enabling two factors) keeps the original sign-in's start: it never lengthens a session.
                if (!context.Properties.Items.ContainsKey(StartedKey))
                {
                    var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                    context.Properties.Items[StartedKey] = now.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = async context =>
            {
                var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                var absolute = context.HttpContext.RequestServices.GetRequiredService<IOptions<SessionOptions>>().Value.Absolute;
                if (!context.Properties.Items.TryGetValue(StartedKey, out var started)
                    || !long.TryParse(started, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
                    || now - new DateTimeOffset(ticks, TimeSpan.Zero) > absolute)
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }

                await SecurityStampValidator.ValidatePrincipalAsync(context);
            };
        });
        return services;
    }

    /// <summary>
    /// An administrator or analyst who has not set up an authenticator app is sent to set it up before anything else; a
    /// form posted elsewhere is refused. A sign-in through a municipality's provider relies on that provider's MFA.
    /// </summary>
    public static IApplicationBuilder UseTwoFactorRequirement(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true
            && user.Identity.AuthenticationType == IdentityConstants.ApplicationScheme
            && !user.HasClaim(c => c.Type == TwoFactorClaim)
            && !user.IsMunicipalSignIn()
            && context.RequestServices.GetRequiredService<IOptions<SessionOptions>>().Value.TwoFactorRoles.Any(user.IsInRole)
            && !AllowedBeforeSecondFactor(context.Request.Path))
        {
            if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/api"))
            {
                context.Response.Redirect("/tili/kaksivaihe?ReturnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
            }

            return;
        }

        await next();
    });

    /// <summary>On the principal of a user who has an authenticator app (renewed from the account on every check).</summary>
    public const string TwoFactorClaim = "arviointi:2fa";

    private static bool AllowedBeforeSecondFactor(PathString path) =>
        path.StartsWithSegments("/tili/kaksivaihe") || path.StartsWithSegments("/kirjaudu") || path.StartsWithSegments("/kirjaudu-ulos")
        || path.StartsWithSegments("/kieli") || path.StartsWithSegments("/virhe") || path.StartsWithSegments("/health") || path.StartsWithSegments("/tila");
}
