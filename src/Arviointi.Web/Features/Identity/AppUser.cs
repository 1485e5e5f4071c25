using System.Security.Claims;
using Arviointi.Web.Features.Organisation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Features.Identity;

internal sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The municipality a director is scoped to, or a unit leader's unit's municipality.</summary>
    public string? MunicipalityCode { get; set; }

    /// <summary>The unit a unit leader is scoped to.</summary>
    public int? UnitId { get; set; }

    /// <summary>An analyst an administrator has let download the research dataset with units instead of their size classes.</summary>
    public bool UnitLevelData { get; set; }
}

internal static class Roles
{
    public const string Administrator = "Administrator";
    public const string Director = "MunicipalDirector";
    public const string UnitLeader = "UnitLeader";
    public const string Analyst = "Analyst";

    public static readonly string[] All = [Administrator, Director, UnitLeader, Analyst];
}

internal static class UserQueries
{
    /// <summary>The users who hold any of <paramref name="roles"/>, as one query.</summary>
    public static IQueryable<AppUser> InRoles(this IQueryable<AppUser> users, Data.AppDbContext db, params string[] roles) =>
        users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && roles.Contains(r.Name))));
}

internal static class ScopeClaims
{
    public const string Municipality = "arviointi:municipality";
    public const string Unit = "arviointi:unit";
    public const string DisplayName = "arviointi:name";

    /// <summary>Present (<c>true</c>) on an analyst granted the unit-level research dataset (<see cref="AppUser.UnitLevelData"/>).</summary>
    public const string UnitLevelData = "arviointi:unit-data";

    public static string? MunicipalityCode(this ClaimsPrincipal user) => user.FindFirstValue(Municipality);

    public static int? UnitId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(Unit), out var id) ? id : null;
}

/// <summary>Puts the user's scope into the cookie so every request can check it without a query.</summary>
internal sealed class AppClaimsPrincipalFactory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ScopeClaims.DisplayName, user.DisplayName));
        if (user.MunicipalityCode is { } municipality)
        {
            identity.AddClaim(new Claim(ScopeClaims.Municipality, municipality));
        }

        if (user.UnitId is { } unit)
        {
            identity.AddClaim(new Claim(ScopeClaims.Unit, unit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (user.UnitLevelData)
        {
            identity.AddClaim(new Claim(ScopeClaims.UnitLevelData, "true"));
        }

        if (user.TwoFactorEnabled)
        {
            identity.AddClaim(new Claim(Sessions.TwoFactorClaim, "true"));
        }

        return identity;
    }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.Property(u => u.MunicipalityCode).HasMaxLength(3).IsFixedLength();
        builder.HasOne<Municipality>().WithMany().HasForeignKey(u => u.MunicipalityCode).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Unit>().WithMany().HasForeignKey(u => u.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
