using System.Security.Claims;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Organisation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Arviointi.Web.Features.Identity;

/// <summary>
/// One municipality's own identity provider (usually Microsoft Entra ID), from
/// <c>Authentication:Municipalities:{code}</c>: its directors and unit leaders, once invited by the coordinator,
/// sign in with their work account instead of a password and a second factor of ours.
/// </summary>
internal sealed class MunicipalProviderOptions
{
    /// <summary>The issuer, e.g. <c>https://login.microsoftonline.com/{tenant id}/v2.0</c>: a single tenant, never <c>common</c>.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>The municipality's own e-mail domains, e.g. <c>lahti.fi</c>: only addresses in these are matched to accounts.</summary>
    public List<string> AllowedEmailDomains { get; set; } = [];

    /// <summary>The name on the button; the municipality's name when not set.</summary>
    public string? DisplayName { get; set; }
}

/// <summary>A configured municipal provider, validated at start.</summary>
internal sealed record MunicipalProvider(string Code, string Scheme, string? DisplayName, string NameFi, string NameSv, MunicipalProviderOptions Options)
{
    public string CallbackPath => $"/signin-oidc-{Code}";

    public string Name(string language) => DisplayName ?? (language == "sv" ? NameSv : NameFi);

    public bool AllowsDomain(string domain) =>
        Options.AllowedEmailDomains.Any(d => string.Equals(d.Trim().TrimStart('@'), domain, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The municipalities configured for sign-in with their own provider, in the region's order.</summary>
internal sealed class MunicipalProviders(IReadOnlyList<MunicipalProvider> all)
{
    public const string Section = "Authentication:Municipalities";

    public IReadOnlyList<MunicipalProvider> All { get; } = all;

    public MunicipalProvider? ByCode(string? code) => All.FirstOrDefault(p => p.Code == code);

    public MunicipalProvider? ByScheme(string? scheme) => All.FirstOrDefault(p => p.Scheme == scheme);

    /// <summary>Reads and checks the section; a mistake stops the start with a message naming the key.</summary>
    public static MunicipalProviders Read(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration.GetSection(Section).Get<Dictionary<string, MunicipalProviderOptions>>() ?? [];
        var providers = new List<MunicipalProvider>();
        foreach (var municipality in Region.Municipalities())
        {
            if (!configured.Remove(municipality.Code, out var options))
            {
                continue;
            }

            Check(municipality.Code, options, environment);
            providers.Add(new MunicipalProvider(municipality.Code, $"oidc-{municipality.Code}", string.IsNullOrWhiteSpace(options.DisplayName) ? null : options.DisplayName.Trim(), municipality.NameFi, municipality.NameSv, options));
        }

        if (configured.Count > 0)
        {
            throw new InvalidOperationException($"{Section}: {string.Join(", ", configured.Keys)} is not a municipality code of the region (e.g. 398 for Lahti).");
        }

        return new MunicipalProviders(providers);
    }

    private static void Check(string code, MunicipalProviderOptions options, IHostEnvironment environment)
    {
        var key = $"{Section}:{code}";
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority))
        {
            throw new InvalidOperationException($"{key}:Authority must be the provider's address, e.g. https://login.microsoftonline.com/<tenant id>/v2.0.");
        }

        // Plain http only for a provider on this machine in development and tests: tokens travel over this channel.
        if (authority.Scheme != Uri.UriSchemeHttps && !(authority.IsLoopback && !environment.IsProduction()))
        {
            throw new InvalidOperationException($"{key}:Authority must use https.");
        }

        // A multi-tenant endpoint would let any organisation's tenant vouch for an address in the municipality's domain.
        var firstSegment = authority.AbsolutePath.Trim('/').Split('/')[0];
        if (firstSegment is "common" or "organizations" or "consumers")
        {
            throw new InvalidOperationException($"{key}:Authority must name the municipality's own tenant (its tenant id), not '{firstSegment}'.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId) || string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            throw new InvalidOperationException($"{key}: ClientId and ClientSecret are required (the app registration's client id and a client secret).");
        }

        if (options.AllowedEmailDomains.Count == 0 || options.AllowedEmailDomains.Any(d => string.IsNullOrWhiteSpace(d) || d.Contains('*', StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"{key}:AllowedEmailDomains must list the municipality's own e-mail domains, e.g. lahti.fi (no wildcards).");
        }
    }
}

/// <summary>How a session was signed in: present on sessions that came through a municipality's provider.</summary>
internal static class SignInClaims
{
    /// <summary>The claim type; its value is the provider's scheme, e.g. <c>oidc-398</c>.</summary>
    public const string Method = "arviointi:signin";

    /// <summary>
    /// Signed in through a municipality's provider, whose own multi-factor policy applies: Arviointi asks no second factor
    /// of such a session.
    /// </summary>
    public static bool IsMunicipalSignIn(this ClaimsPrincipal user) =>
        user.FindFirstValue(Method) is { } scheme && scheme.StartsWith("oidc-", StringComparison.Ordinal);
}

/// <summary>Why a municipal sign-in was refused; the code travels in the refusal page's address and the audit log.</summary>
internal enum MunicipalRefusal
{
    NoEmail,
    Unverified,
    Domain,
    NoAccount,
    OtherMunicipality,
    PasswordRole,
    Ambiguous,
    LinkedToOther,
    LockedOut,
    ProviderError,
    Cancelled,
    NotConfigured,
}

internal static class MunicipalRefusals
{
    public static string Code(this MunicipalRefusal refusal) => refusal switch
    {
        MunicipalRefusal.NoEmail => "no-email",
        MunicipalRefusal.Unverified => "unverified",
        MunicipalRefusal.Domain => "domain",
        MunicipalRefusal.NoAccount => "no-account",
        MunicipalRefusal.OtherMunicipality => "other-municipality",
        MunicipalRefusal.PasswordRole => "password-role",
        MunicipalRefusal.Ambiguous => "ambiguous",
        MunicipalRefusal.LinkedToOther => "linked-to-other",
        MunicipalRefusal.LockedOut => "locked-out",
        MunicipalRefusal.ProviderError => "provider-error",
        MunicipalRefusal.Cancelled => "cancelled",
        _ => "not-configured",
    };

    public static MunicipalRefusal? Parse(string? code) =>
        Enum.GetValues<MunicipalRefusal>().Cast<MunicipalRefusal?>().FirstOrDefault(r => r!.Value.Code() == code);
}

/// <summary>Registers one OpenID Connect scheme per configured municipality and the matching of its sign-ins.</summary>
internal static class MunicipalSignInSetup
{
    public static IServiceCollection AddMunicipalSignIn(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var providers = MunicipalProviders.Read(configuration, environment);
        services.AddSingleton(providers);
        services.AddScoped<MunicipalSignIn>();

        var authentication = services.AddAuthentication();
        foreach (var provider in providers.All)
        {
            authentication.AddOpenIdConnect(provider.Scheme, provider.NameFi, o =>
            {
                o.Authority = provider.Options.Authority;
                o.ClientId = provider.Options.ClientId;
                o.ClientSecret = provider.Options.ClientSecret;
                o.RequireHttpsMetadata = new Uri(provider.Options.Authority).Scheme == Uri.UriSchemeHttps;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                o.SignInScheme = IdentityConstants.ExternalScheme;
                o.CallbackPath = provider.CallbackPath;
                o.SignedOutCallbackPath = $"/signout-callback-oidc-{provider.Code}";
                o.RemoteSignOutPath = $"/signout-oidc-{provider.Code}";
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("profile");
                o.Scope.Add("email");

                // The claims under their OpenID Connect names (email, email_verified, preferred_username, upn, sub).
                o.MapInboundClaims = false;

                // Tokens are used once to learn who signed in and never kept.
                o.SaveTokens = false;
                o.Events.OnAccessDenied = context => RefuseAsync(context, provider, MunicipalRefusal.Cancelled, "access_denied");
                o.Events.OnRemoteFailure = context =>
                    RefuseAsync(context, provider, MunicipalRefusal.ProviderError, context.Failure is OpenIdConnectProtocolException ? "protocol" : context.Failure?.GetType().Name ?? "unknown");
            });
        }

        // The marker of a municipal sign-in survives the cookie's renewal from the database: Sessions keeps it.
        return services;
    }

    /// <summary>The provider failed or the person cancelled there: audited (the kind, never a token), then a Finnish page.</summary>
    private static async Task RefuseAsync<TOptions>(HandleRequestContext<TOptions> context, MunicipalProvider provider, MunicipalRefusal refusal, string detail)
        where TOptions : RemoteAuthenticationOptions
    {
        var audit = context.HttpContext.RequestServices.GetRequiredService<MunicipalSignIn>();
        await audit.RecordRefusalAsync(provider, null, refusal, detail, context.HttpContext.RequestAborted);
        context.Response.Redirect($"/kirjaudu/ulkoinen?syy={refusal.Code()}&kunta={provider.Code}");
        context.HandleResponse();
    }
}

/// <summary>
/// Matches a person the municipality's provider vouched for to an account the coordinator invited: a director or unit
/// leader of that same municipality with that e-mail address. Nobody gets an account or a role from the provider.
/// </summary>
internal sealed class MunicipalSignIn(AppDbContext db, UserManager<AppUser> users, SignInManager<AppUser> signIn, TimeProvider time)
{
    public const string FailedAction = "signin.external.failed";
    public const string SucceededAction = "signin.external.succeeded";

    private static readonly string[] MunicipalRoles = [Roles.Director, Roles.UnitLeader];
    private static readonly string[] PasswordRoles = [Roles.Administrator, Roles.Analyst];

    /// <summary>Signs the matched account in with the application cookie, or says why not; both audited.</summary>
    public async Task<MunicipalRefusal?> SignInAsync(MunicipalProvider provider, ClaimsPrincipal external, CancellationToken ct)
    {
        var email = EmailOf(external);
        var (user, refusal) = await MatchAsync(provider, external, email, ct);
        if (refusal is { } refused)
        {
            await RecordRefusalAsync(provider, email, refused, null, ct);
            return refused;
        }

        var subject = external.FindFirstValue("sub")!;
        var linked = (await users.GetLoginsAsync(user!)).FirstOrDefault(l => l.LoginProvider == provider.Scheme);
        var firstTime = linked is null;
        if (firstTime)
        {
            var added = await users.AddLoginAsync(user!, new UserLoginInfo(provider.Scheme, subject, provider.NameFi));
            if (!added.Succeeded)
            {
                // The provider's subject is already linked to another account.
                await RecordRefusalAsync(provider, email, MunicipalRefusal.LinkedToOther, null, ct);
                return MunicipalRefusal.LinkedToOther;
            }
        }

        await signIn.SignInWithClaimsAsync(user!, isPersistent: false,
        [
            new Claim(ClaimTypes.AuthenticationMethod, provider.Scheme),
            new Claim(SignInClaims.Method, provider.Scheme),
        ]);
        await RecordAsync(user!.UserName!, SucceededAction, $"Kunnan {provider.Code} tunnistuspalvelu ({provider.Scheme}): {email}" + (firstTime ? "; tunnus yhdistettiin ensimmäistä kertaa" : ""), ct);
        return null;
    }

    public Task RecordRefusalAsync(MunicipalProvider provider, string? email, MunicipalRefusal refusal, string? detail, CancellationToken ct) =>
        RecordAsync(
            email ?? "tuntematon",
            FailedAction,
            $"Kunnan {provider.Code} tunnistuspalvelu ({provider.Scheme}): syy {refusal.Code()}" + (detail is null ? "" : $" ({detail})") + (email is null ? "" : $"; {email}"),
            ct);

    /// <summary>
    /// The address the provider vouches for: <c>email</c>, or for Entra ID, which often leaves it out, the sign-in name
    /// (<c>preferred_username</c>, <c>upn</c>), which in a single-tenant registration is an address of the tenant's own domains.
    /// </summary>
    private static string? EmailOf(ClaimsPrincipal external) =>
        ((string[])["email", "preferred_username", "upn"])
            .Select(type => external.FindFirstValue(type)?.Trim())
            .FirstOrDefault(value => value is { Length: > 2 and <= 256 } && value.IndexOf('@', StringComparison.Ordinal) is > 0 && value.IndexOf('@', StringComparison.Ordinal) == value.LastIndexOf('@') && !value.EndsWith('@'));

    private async Task<(AppUser? User, MunicipalRefusal? Refusal)> MatchAsync(MunicipalProvider provider, ClaimsPrincipal external, string? email, CancellationToken ct)
    {
        if (email is null || string.IsNullOrEmpty(external.FindFirstValue("sub")))
        {
            return (null, MunicipalRefusal.NoEmail);
        }

        // A provider that says whether the address is verified must say yes. Entra ID does not send the claim: there the
        // domain rule below carries it, since in the municipality's own tenant only its administrators assign addresses
        // in its verified domains.
        if (external.FindFirstValue("email_verified") is { } verified && !(bool.TryParse(verified, out var yes) && yes))
        {
            return (null, MunicipalRefusal.Unverified);
        }

        if (!provider.AllowsDomain(email[(email.LastIndexOf('@') + 1)..]))
        {
            return (null, MunicipalRefusal.Domain);
        }

        var normalized = users.NormalizeEmail(email);
        var candidates = await db.Users.Where(u => u.NormalizedEmail == normalized).ToListAsync(ct);
        var eligible = new List<AppUser>();
        var passwordRole = false;
        var elsewhere = false;
        foreach (var candidate in candidates)
        {
            var roles = await users.GetRolesAsync(candidate);
            if (roles.Intersect(PasswordRoles).Any())
            {
                passwordRole = true;
            }
            else if (roles.Intersect(MunicipalRoles).Any())
            {
                if (candidate.MunicipalityCode == provider.Code)
                {
                    eligible.Add(candidate);
                }
                else
                {
                    elsewhere = true;
                }
            }
        }

        if (eligible.Count == 0)
        {
            return (null, passwordRole ? MunicipalRefusal.PasswordRole : elsewhere ? MunicipalRefusal.OtherMunicipality : MunicipalRefusal.NoAccount);
        }

        if (eligible.Count > 1)
        {
            return (null, MunicipalRefusal.Ambiguous);
        }

        var user = eligible[0];
        if (await users.IsLockedOutAsync(user) || !await signIn.CanSignInAsync(user))
        {
            return (null, MunicipalRefusal.LockedOut);
        }

        // Once linked, the account answers only to the same person at the provider (an address handed to someone else is not enough).
        var linked = (await users.GetLoginsAsync(user)).FirstOrDefault(l => l.LoginProvider == provider.Scheme);
        if (linked is not null && linked.ProviderKey != external.FindFirstValue("sub"))
        {
            return (null, MunicipalRefusal.LinkedToOther);
        }

        return (user, null);
    }

    private async Task RecordAsync(string actor, string action, string details, CancellationToken ct)
    {
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = actor.Length > 256 ? actor[..256] : actor, Action = action, Details = details.Length > 2000 ? details[..2000] : details });
        await db.SaveChangesAsync(ct);
    }
}
