using Arviointi.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>The real app on its own SQLite file, with a clock the test moves and no background job server.</summary>
public class ArviointiFactory : WebApplicationFactory<Program>
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "arviointi-tests", Guid.NewGuid().ToString("n"));

    /// <summary>10 January 2027, 09:00 in Helsinki: inside a typical answering window.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2027, 1, 10, 7, 0, 0, TimeSpan.Zero));

    protected virtual bool SeedDemo => false;

    public string DatabasePath => Path.Combine(folder, "arviointi.db");

    internal AppDbContext CreateDbContext() => Services.CreateScope().ServiceProvider.GetRequiredService<AppDbContext>();

    internal async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(folder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={DatabasePath};Pooling=false");
        builder.UseSetting("Demo:Enabled", SeedDemo ? "true" : "false");
        builder.UseSetting("Jobs:RunServer", "false");
        builder.UseSetting("Jobs:Logging", "false");
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on some platforms; the temp folder is cleaned eventually.
        }
    }
}

/// <summary>The app as a newcomer meets it: demo region seeded on first start.</summary>
public sealed class DemoFactory : ArviointiFactory
{
    protected override bool SeedDemo => true;
}
