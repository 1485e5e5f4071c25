using Arviointi.Web.Data;
using Arviointi.Web.Features.Surveys;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Features.Results.Publication;

/// <summary>
/// The services the administrators' command line needs to read a round from the database on the server, without
/// starting the web app: the database context of the configured provider, the survey catalogue, snapshots and the audit.
/// </summary>
internal static class OfflineServices
{
    /// <param name="sqliteFile">The SQLite database file (the app's <c>data/arviointi.db</c>).</param>
    /// <param name="sqlServer">A SQL Server connection string instead, when the deployment uses one.</param>
    /// <param name="write">Open the SQLite file for writing too (an export records itself in the audit log); read-only otherwise.</param>
    public static ServiceProvider Create(string? sqliteFile, string? sqlServer, bool write = false)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = sqlServer is null ? "Sqlite" : "SqlServer",
            ["ConnectionStrings:Sqlite"] = sqliteFile is null ? null : $"Data Source={sqliteFile};Mode={(write ? "ReadWrite" : "ReadOnly")};Pooling=false",
            ["ConnectionStrings:SqlServer"] = sqlServer,
        }).Build();
        var services = new ServiceCollection();
        services.AddArviointiDatabase(configuration, Directory.GetCurrentDirectory());
        services.AddSingleton<IHostEnvironment>(new OfflineEnvironment());
        services.AddSingleton<ILogger<SurveyCatalog>>(NullLogger<SurveyCatalog>.Instance);
        services.AddSingleton(Options.Create(new SurveyOptions()));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IMemoryCache>(new MemoryCache(new MemoryCacheOptions { SizeLimit = 20 }));
        services.AddSingleton<SurveyCatalog>();
        services.AddScoped<SnapshotBuilder>();
        services.AddScoped<DisclosureAuditor>();
        return services.BuildServiceProvider();
    }

    private sealed class OfflineEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "Arviointi";

        public string ContentRootPath { get; set; } = Directory.GetCurrentDirectory();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
