using Arviointi.Web.Data;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Arviointi.Web.Tests.Data;

/// <summary>The SQL Server path cannot run here, so its migrations are built, scripted and checked for SQL Server's own traps.</summary>
public sealed class SchemaTests
{
    private static SqlServerAppDbContext SqlServer() => SqlServerContext.Create();

    private static SqliteAppDbContext Sqlite() =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite("Data Source=:memory:").Options);

    [Fact]
    public void The_SQL_Server_idempotent_migration_script_is_generated()
    {
        using var db = SqlServer();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("IF NOT EXISTS (", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [Responses]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [DataProtectionKeys]", script, StringComparison.Ordinal);
        Assert.Contains("[Answers] varbinary(4000) NOT NULL", script, StringComparison.Ordinal);
        var output = Path.Combine(AppContext.BaseDirectory, "sqlserver-migrations.sql");
        File.WriteAllText(output, script);
    }

    [Fact]
    public void Both_providers_migrations_match_the_model()
    {
        using var sqlServer = SqlServer();
        using var sqlite = Sqlite();
        Assert.False(sqlServer.Database.HasPendingModelChanges(), "SQL Server migrations are behind the model: add a migration.");
        Assert.False(sqlite.Database.HasPendingModelChanges(), "SQLite migrations are behind the model: add a migration.");
    }

    [Fact]
    public void No_table_is_reached_by_two_cascade_delete_paths_which_SQL_Server_refuses()
    {
        using var db = SqlServer();
        var model = db.GetService<IDesignTimeModel>().Model;
        foreach (var root in model.GetEntityTypes())
        {
            var reached = new Dictionary<string, int>();
            Walk(root, reached, []);
            var twice = reached.Where(r => r.Value > 1).Select(r => r.Key).ToList();
            Assert.True(twice.Count == 0, $"{root.ClrType.Name} cascades to {string.Join(", ", twice)} by more than one path");
        }
    }

    [Fact]
    public void Every_indexed_string_column_is_bounded_for_SQL_Server()
    {
        using var db = SqlServer();
        var model = db.GetService<IDesignTimeModel>().Model;
        var unbounded = model.GetEntityTypes()
            .SelectMany(e => e.GetIndexes().SelectMany(i => i.Properties).Concat(e.GetKeys().SelectMany(k => k.Properties)))
            .Where(p => p.ClrType == typeof(string) && p.GetRelationalTypeMapping().StoreType.Contains("(max)", StringComparison.Ordinal))
            .Select(p => $"{p.DeclaringType.DisplayName()}.{p.Name}")
            .Distinct()
            .ToList();
        Assert.Empty(unbounded);
    }

    private static void Walk(IEntityType principal, Dictionary<string, int> reached, HashSet<IEntityType> path)
    {
        if (!path.Add(principal))
        {
            return;
        }

        foreach (var fk in principal.GetReferencingForeignKeys().Where(f => f.DeleteBehavior == DeleteBehavior.Cascade && !f.IsOwnership))
        {
            var dependent = fk.DeclaringEntityType;
            reached[dependent.ClrType.Name] = reached.GetValueOrDefault(dependent.ClrType.Name) + 1;
            Walk(dependent, reached, path);
        }

        path.Remove(principal);
    }
}

/// <summary>What the running app keeps in its database so several instances can share it.</summary>
public sealed class SharedStateTests(ArviointiFactory factory) : IClassFixture<ArviointiFactory>
{
    [Fact]
    public async Task Data_protection_keys_live_in_the_database_so_instances_share_cookies()
    {
        using var browser = new Browser(factory);
        await browser.GetAsync("/kirjaudu");
        await using var db = factory.CreateDbContext();
        Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
    }

    [Fact]
    public async Task The_SQLite_file_uses_write_ahead_logging()
    {
        await using var db = factory.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Every_connection_zeroes_what_it_deletes_and_responses_have_no_rowid_to_order_them_by()
    {
        await using var db = factory.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA secure_delete;";
        Assert.Equal(1L, (long?)await command.ExecuteScalarAsync());

        // EF Core rebuilds a SQLite table for some column changes and would drop WITHOUT ROWID: redo it in that migration.
        command.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'Responses';";
        Assert.EndsWith("WITHOUT ROWID", ((string?)await command.ExecuteScalarAsync())?.TrimEnd(), StringComparison.Ordinal);
    }
}
