using System.Security.Claims;
using Arviointi.Web.Features.Organisation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Arviointi.Web.Features.Identity;

internal static class Policies
{
    public const string Administrator = nameof(Administrator);

    /// <summary>Administrators, directors and unit leaders: the people who read results.</summary>
    public const string Results = nameof(Results);

    /// <summary>
    /// Administrators and analysts: respondent-level exports. Signed in with the cookie in the browser, or with a personal
    /// API token from a script (<see cref="Tokens.ApiTokenHandler"/>, which answers only on the API, never on a page).
    /// Directors and unit leaders read published results and never download respondent-level data.
    /// </summary>
    public const string Analyst = nameof(Analyst);

    /// <summary>Resource policy: may see this unit's own pages (results, response rate).</summary>
    public const string UnitScope = nameof(UnitScope);

    /// <summary>Resource policy: may see a municipality broken down by its units.</summary>
    public const string MunicipalityScope = nameof(MunicipalityScope);

    public static AuthorizationBuilder AddArviointiPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Administrator, p => p.RequireRole(Roles.Administrator))
        .AddPolicy(Results, p => p.RequireRole(Roles.Administrator, Roles.Director, Roles.UnitLeader))
        .AddPolicy(Analyst, p => p
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, Tokens.ApiTokenHandler.SchemeName)
            .RequireRole(Roles.Administrator, Roles.Analyst))
        .AddPolicy(UnitScope, p => p.AddRequirements(new ScopeRequirement()))
        .AddPolicy(MunicipalityScope, p => p.AddRequirements(new ScopeRequirement()));
}

internal sealed class ScopeRequirement : IAuthorizationRequirement;

/// <summary>The scoping rules of DOMAIN.md, in one place, checked on the server for every unit and municipality resource.</summary>
internal static class Scope
{
    public static bool CanSeeUnit(ClaimsPrincipal user, Unit unit) =>
        user.IsInRole(Roles.Administrator)
        || (user.IsInRole(Roles.Director) && user.MunicipalityCode() == unit.MunicipalityCode)
        || (user.IsInRole(Roles.UnitLeader) && user.UnitId() == unit.Id);

    public static bool CanSeeMunicipalityUnits(ClaimsPrincipal user, string municipalityCode) =>
        user.IsInRole(Roles.Administrator)
        || (user.IsInRole(Roles.Director) && user.MunicipalityCode() == municipalityCode);

    /// <summary>
    /// The research dataset with units instead of their size classes: administrators, and analysts an administrator has
    /// granted it (the claim is renewed from the database when the cookie is revalidated, and on every request with a token).
    /// </summary>
    public static bool CanDownloadUnits(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Administrator)
        || (user.IsInRole(Roles.Analyst) && user.HasClaim(ScopeClaims.UnitLevelData, "true"));

    /// <summary>Municipality-level figures: directors see all side by side; a unit leader sees only the own municipality.</summary>
    public static bool CanSeeMunicipalityFigures(ClaimsPrincipal user, string municipalityCode) =>
        user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.Director)
        || (user.IsInRole(Roles.UnitLeader) && user.MunicipalityCode() == municipalityCode);
}

internal sealed class UnitScopeHandler : AuthorizationHandler<ScopeRequirement, Unit>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement, Unit resource)
    {
        if (Scope.CanSeeUnit(context.User, resource))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

internal sealed class MunicipalityScopeHandler : AuthorizationHandler<ScopeRequirement, Municipality>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement, Municipality resource)
    {
        if (Scope.CanSeeMunicipalityUnits(context.User, resource.Code))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
