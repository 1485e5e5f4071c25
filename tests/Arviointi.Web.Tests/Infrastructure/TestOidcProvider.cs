using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>Who the provider says is signed in there; <see cref="EmailVerified"/> null leaves the claim out, as Entra ID does.</summary>
/// <param name="Email">Sent as <c>email</c>, or as <c>preferred_username</c> only when <paramref name="AsPreferredUsername"/>.</param>
/// <param name="Cancels">The person cancels at the provider: it answers <c>access_denied</c>.</param>
internal sealed record ProviderPerson(string Subject, string Email, bool? EmailVerified = true, bool AsPreferredUsername = false, bool Cancels = false);

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server) on a free loopback port: discovery, authorization code flow
/// with PKCE required, confidential clients, ephemeral keys. Its "signed-in person" is whoever the test says.
/// Degraded mode: clients and redirect addresses are checked by the handlers here instead of a database.
/// </summary>
internal sealed class TestOidcProvider : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, (string Secret, ConcurrentBag<string> RedirectUris)> clients = new(StringComparer.Ordinal);

    private TestOidcProvider(WebApplication app) => this.app = app;

    public Uri Authority { get; private set; } = null!;

    /// <summary>The person the next authorization request signs in.</summary>
    public ProviderPerson? Person { get; set; }

    /// <summary>Authorization requests that reached the provider, with their PKCE challenge method, newest last.</summary>
    public ConcurrentQueue<string?> ChallengeMethods { get; } = new();

    public void AddClient(string clientId, string secret, string redirectUri) =>
        clients.GetOrAdd(clientId, _ => (secret, [])).RedirectUris.Add(redirectUri);

    public static async Task<TestOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        TestOidcProvider? provider = null;
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.RegisterScopes(Scopes.Email, Scopes.Profile);
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            o.EnableDegradedMode();
            o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
            o.AddEventHandler<ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
            {
                provider!.ChallengeMethods.Enqueue(context.Request.CodeChallengeMethod);
                if (!provider.clients.TryGetValue(context.ClientId ?? "", out var client))
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }
                else if (!client.RedirectUris.Contains(context.RedirectUri ?? ""))
                {
                    context.Reject(Errors.InvalidRequest, "The redirect_uri is not registered for this client.");
                }

                return default;
            }));
            o.AddEventHandler<ValidateTokenRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (!provider!.clients.TryGetValue(context.ClientId ?? "", out var client) || client.Secret != context.ClientSecret)
                {
                    context.Reject(Errors.InvalidClient, "Wrong client credentials.");
                }

                return default;
            }));
        });

        var app = builder.Build();
        provider = new TestOidcProvider(app);
        app.MapMethods("/connect/authorize", ["GET", "POST"], (HttpContext http) => provider.Authorize(http));
        app.MapPost("/connect/token", async (HttpContext http) =>
        {
            var code = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(code.Principal!, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        provider.Authority = new Uri(address.TrimEnd('/') + "/");
        return provider;
    }

    private IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var person = Person ?? throw new InvalidOperationException("The test has not said who is signed in at the provider.");
        if (person.Cancels)
        {
            return Results.Forbid(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user cancelled.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, person.Subject);
        identity.SetClaim(person.AsPreferredUsername ? Claims.PreferredUsername : Claims.Email, person.Email);
        identity.SetClaim(Claims.Name, "Testihenkilö");
        if (person.EmailVerified is { } verified)
        {
            identity.AddClaim(new Claim(Claims.EmailVerified, verified ? "true" : "false", ClaimValueTypes.Boolean));
        }

        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
