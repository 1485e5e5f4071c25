using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Arviointi.Web.Data;

internal enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

internal sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder of the SQLite file, relative to the content root.</summary>
    public string DataFolder { get; set; } = "data";

    /// <summary>
    /// How long a SQLite statement waits for another connection's lock before giving up; a respondent then reads "try
    /// again" and keeps what they answered.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = SecureDeleteInterceptor.DefaultBusyTimeout;

    /// <summary>SQLite's <c>synchronous</c>: Full (the default) or Normal (docs/storage.md).</summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>The folder the SQLite file is in (or <see cref="DataFolder"/> under the content root), for files kept beside it.</summary>
    public string DataFolderPath { get; set; } = "";
}

internal static class DatabaseSetup
{
    /// <summary>
    /// The app's database context, pooled: a respondent's request is a few small queries, and setting up a fresh context's
    /// services cost more CPU than the queries themselves (docs/storage.md, the load run's profile).
    /// </summary>
    public static DatabaseOptions AddArviointiDatabase(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var options = configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (options.Provider == DatabaseProvider.SqlServer)
        {
            var connectionString = configuration.GetConnectionString("SqlServer")
                ?? throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:SqlServer is not set.");
            services.AddDbContextPool<AppDbContext, SqlServerAppDbContext>(o => o.UseArviointiSqlServer(connectionString));
            options.DataFolderPath = Path.Combine(contentRoot, options.DataFolder);
        }
        else
        {
            var connectionString = configuration.GetConnectionString("Sqlite") ?? SqliteConnectionString(Path.Combine(contentRoot, options.DataFolder));
            var interceptor = new SecureDeleteInterceptor(options.BusyTimeout, options.Synchronous);
            services.AddDbContextPool<AppDbContext, SqliteAppDbContext>(o => o.UseSqlite(connectionString, sqlite => sqlite.CommandTimeout(BusySeconds(options.BusyTimeout))).AddInterceptors(interceptor));
            options.DataFolderPath = Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource, contentRoot))!;
        }

        return options;
    }

    /// <summary>The SQL Server options of the app, also those the tests translate every query with (docs: README, SQL Server).</summary>
    public static DbContextOptionsBuilder UseArviointiSqlServer(this DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlServer(connectionString);

    /// <summary>
    /// Microsoft.Data.Sqlite retries a locked statement itself until the command timeout (30 s unless set), beside
    /// SQLite's own busy_timeout: both are set from <see cref="DatabaseOptions.BusyTimeout"/>, in whole seconds here.
    /// </summary>
    private static int BusySeconds(TimeSpan timeout) => Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));

    public static string SqliteConnectionString(string folder)
    {
        Directory.CreateDirectory(folder);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, "arviointi.db"),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Applies migrations; on SQLite also switches the file to write-ahead logging so readers never wait for the writer.</summary>
    public static async Task MigrateAsync(AppDbContext db, CancellationToken ct = default)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        await db.Database.MigrateAsync(ct);
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the app.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Lets <c>dotnet ef</c> build the SQL Server context without a server.</summary>
internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerAppDbContext>
{
    public SqlServerAppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqlServerAppDbContext>();
        options.UseArviointiSqlServer("Server=localhost;Database=Arviointi;Trusted_Connection=True;TrustServerCertificate=True");
        return new(options.Options);
    }
}
