using System.Security.Claims;
using System.Text.Encodings.Web;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Shared;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Arviointi.Web.Features.Tokens;

/// <summary>
/// <c>Authorization: Bearer arv_…</c>: a personal API token authenticates as its owner, with the roles the owner has
/// now. ASP.NET Core has no built-in scheme for personal access tokens (its JwtBearer handler validates tokens an
/// identity provider signs), so this small handler looks the token's hash up in the database.
/// Only the policies that name <see cref="SchemeName"/> consult it (<see cref="Policies.Analyst"/>: the export), and it
/// answers only under <c>/api</c>, so a token never signs in to a page even where a page shares that policy.
/// </summary>
internal sealed class ApiTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokens tokens,
    IUserClaimsPrincipalFactory<AppUser> principals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    /// <summary>The display prefix of the token a request was authenticated with.</summary>
    public const string TokenClaim = "arviointi:token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!ApiProblems.IsApi(Context) || !TryGetBearer(Request, out var presented))
        {
            return AuthenticateResult.NoResult();
        }

        var check = await tokens.CheckAsync(presented, Context.RequestAborted);
        if (check.Token is not { User: { } user } token)
        {
            return AuthenticateResult.Fail(check.Refusal ?? "API-tunnusta ei tunnistettu.");
        }

        // The owner's roles and scope as they are now: a role taken away since the token was made no longer counts.
        var current = await principals.CreateAsync(user);
        var identity = new ClaimsIdentity(current.Claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(TokenClaim, token.Prefix));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>401 with problem details saying what was wrong with the token; on a page the cookie's sign-in redirect stands.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!ApiProblems.IsApi(Context))
        {
            return;
        }

        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers[HeaderNames.WWWAuthenticate] = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        if (result.Failure is { } failure && !Response.HasStarted)
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Kirjautuminen vaaditaan", detail: failure.Message).ExecuteAsync(Context);
        }
        else
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
        }
    }

    private static bool TryGetBearer(HttpRequest request, out string token)
    {
        var header = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        token = header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? header[bearer.Length..].Trim() : "";
        return token.Length > 0;
    }
}
