using Arviointi.Web.Features.Demo;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Data;

internal sealed class BootstrapOptions
{
    /// <summary>An administrator created on first start when the database has no users (for non-demo installations).</summary>
    public string AdminUser { get; set; } = "";
    public string AdminPassword { get; set; } = "";
}

/// <summary>What every start does before serving: migrate, reference data, survey import, demo seed, one reconcile.</summary>
internal static class Initializer
{
    public static async Task InitializeAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var logger = services.GetRequiredService<ILogger<AppDbContext>>();
        await DatabaseSetup.MigrateAsync(db, ct);

        if (!await db.Municipalities.AnyAsync(ct))
        {
            db.Municipalities.AddRange(Region.Municipalities());
            await db.SaveChangesAsync(ct);
        }

        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All.Where(r => !roles.Roles.Any(x => x.Name == r)))
        {
            await roles.CreateAsync(new IdentityRole(role));
        }

        await services.GetRequiredService<SurveyCatalog>().ImportAllAsync(db, ct);
        await services.GetRequiredService<RoundAdmin>().TranslateCycleThemesAsync(ct);

        if (services.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled
            && await services.GetRequiredService<DemoSeeder>().SeedAsync(ct) is { } report)
        {
            logger.LogWarning("{DemoReport}", report);
        }

        await BootstrapAdministratorAsync(services, logger);

        // Catch up at once on anything due while the app was down; the schedule keeps it so from here on.
        await services.GetRequiredService<RoundReconciler>().RunAsync(ct);
    }

    private static async Task BootstrapAdministratorAsync(IServiceProvider services, ILogger logger)
    {
        var options = services.GetRequiredService<IOptions<BootstrapOptions>>().Value;
        var users = services.GetRequiredService<UserManager<AppUser>>();
        if (options.AdminUser.Length == 0 || users.Users.Any())
        {
            return;
        }

        var admin = new AppUser { UserName = options.AdminUser, DisplayName = "Alueen koordinaattori" };
        var created = await users.CreateAsync(admin, options.AdminPassword);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("Bootstrap administrator: " + string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(admin, Roles.Administrator);
        logger.LogWarning("Pääkäyttäjä {User} luotiin", options.AdminUser);
    }
}
