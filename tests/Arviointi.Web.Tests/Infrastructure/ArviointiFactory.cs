using Arviointi.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>
/// The real app on its own SQLite file, with a clock the test moves and no background job server. Every query the app
/// compiles is translated for SQL Server too (SqlServerTranslationCheck), and one SQL Server cannot translate fails.
/// </summary>
public class ArviointiFactory : WebApplicationFactory<Program>
{
    private readonly string folder;
    private readonly UntranslatedQueries untranslatedForSqlServer = new();

    public ArviointiFactory()
        : this(NewFolder())
    {
    }

    /// <summary>The app on the files already in <paramref name="folder"/>, as after a restart.</summary>
    protected ArviointiFactory(string folder)
        : this(folder, new FakeTimeProvider(new DateTimeOffset(2027, 1, 10, 7, 0, 0, TimeSpan.Zero)))
    {
    }

    /// <summary>The app on <paramref name="folder"/> with <paramref name="clock"/>, which another instance on the same files may share.</summary>
    protected ArviointiFactory(string folder, FakeTimeProvider clock)
    {
        this.folder = folder;
        Clock = clock;
    }

    /// <summary>10 January 2027, 09:00 in Helsinki: inside a typical answering window.</summary>
    public FakeTimeProvider Clock { get; }

    protected virtual bool SeedDemo => false;

    /// <summary>
    /// Staff sessions as configured by default (30 idle minutes, 8 hours). Most tests move the clock by days within one
    /// signed-in browser: they get two weeks instead; the tests of sessions themselves use the defaults.
    /// </summary>
    protected virtual bool DefaultSessionLifetimes => false;

    /// <summary>A survey folder of the test's own; null uses the repository's <c>surveys/</c>.</summary>
    protected virtual string? SurveysPath => null;

    public string DatabasePath => Path.Combine(folder, "arviointi.db");

    /// <summary>The data folder: the database, its log files and the development answering keys beside them.</summary>
    public string DataFolder => folder;

    public static string NewFolder() => Path.Combine(Path.GetTempPath(), "arviointi-tests", Guid.NewGuid().ToString("n"));

    /// <summary>The folder of Arviointi.sln above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Arviointi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root not found.");
    }

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

        // As `dotnet run` (Development) checks them: a singleton that takes a scoped service fails every test, not only a newcomer's start.
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = true;
        });
        builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={DatabasePath};Pooling=false");
        builder.UseSetting("Demo:Enabled", SeedDemo ? "true" : "false");
        builder.UseSetting("Jobs:RunServer", "false");
        builder.UseSetting("Jobs:Logging", "false");
        if (!DefaultSessionLifetimes)
        {
            builder.UseSetting("Sessions:Idle", "14.00:00:00");
            builder.UseSetting("Sessions:Absolute", "14.00:00:00");
        }
        if (SurveysPath is not null)
        {
            builder.UseSetting("Surveys:Path", SurveysPath);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton(untranslatedForSqlServer);
            services.ConfigureDbContext<SqliteAppDbContext>(SqlServerTranslationCheck.Configure);
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

        // Production runs on SQL Server: a query only SQLite can run fails the run even where the app caught its failure.
        var untranslated = disposing ? untranslatedForSqlServer.Take() : [];
        if (untranslated.Count > 0)
        {
            throw new InvalidOperationException("SQL Server cannot translate queries the app ran:\n\n" + string.Join("\n\n", untranslated));
        }
    }
}

/// <summary>The app on a copy of the repository's survey folder, which a test may edit.</summary>
public sealed class EditableSurveysFactory : ArviointiFactory
{
    public EditableSurveysFactory()
    {
        var source = Path.Combine(ArviointiFactory.RepositoryRoot(), "surveys");
        foreach (var file in Directory.EnumerateFiles(source, "*.yaml", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "arviointi-tests", "surveys-" + Guid.NewGuid().ToString("n"));

    protected override string? SurveysPath => Folder;

    /// <summary>Replaces text in one survey file, as an author would edit it.</summary>
    public void Edit(string relativePath, string find, string replace)
    {
        var path = Path.Combine(Folder, relativePath);
        var text = File.ReadAllText(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
    }
}

/// <summary>The app as a newcomer meets it: demo region seeded on first start.</summary>
public sealed class DemoFactory : ArviointiFactory
{
    protected override bool SeedDemo => true;
}
