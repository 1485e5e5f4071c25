using Microsoft.AspNetCore.Authentication;

namespace Arviointi.Web.Features.Tokens;

internal static class TokenServices
{
    /// <summary>Personal API tokens: the service and the authentication scheme the export's policy names.</summary>
    public static IServiceCollection AddApiTokens(this IServiceCollection services)
    {
        services.AddScoped<ApiTokens>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, displayName: null, configureOptions: null);
        return services;
    }
}
