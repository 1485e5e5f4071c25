using System.Globalization;
using Arviointi.Web.Data;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Arviointi.Web.Tests.Data;

/// <summary>
/// What makes SQLite forget, measured on a file shaped like the responses table: rows of two rounds interleaved by
/// their random keys, one round deleted, then the files searched for the deleted rows' bytes.
/// </summary>
public sealed class ForgettingTests(ITestOutputHelper output) : IDisposable
{
    private const int Rows = 400;
    private readonly string folder = Directory.CreateDirectory(ArviointiFactory.NewFolder()).FullName;

    /// <summary>What follows the delete.</summary>
    public enum AfterDelete
    {
        /// <summary>Nothing more.</summary>
        Nothing,

        /// <summary>A checkpoint that truncates the log.</summary>
        Checkpoint,

        /// <summary>VACUUM between truncating checkpoints.</summary>
        Vacuum,
    }

    [Theory]
    [InlineData(false, AfterDelete.Nothing, true)]
    [InlineData(false, AfterDelete.Checkpoint, true)]
    [InlineData(true, AfterDelete.Nothing, true)]
    [InlineData(true, AfterDelete.Checkpoint, false)]
    [InlineData(false, AfterDelete.Vacuum, false)]
    [InlineData(true, AfterDelete.Vacuum, false)]
    public async Task Deleted_rows_leave_the_files_only_with_secure_delete_or_vacuum_and_an_emptied_log(bool secureDelete, AfterDelete step, bool traces)
    {
        var path = Path.Combine(folder, $"forget-{secureDelete}-{step}.db");
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync();
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;");
        await ExecuteAsync(connection, secureDelete ? "PRAGMA secure_delete=ON;" : "PRAGMA secure_delete=OFF;");
        await ExecuteAsync(connection, "CREATE TABLE Responses (Id TEXT NOT NULL PRIMARY KEY, RoundId INTEGER NOT NULL, Answers BLOB NOT NULL, Text TEXT NOT NULL) WITHOUT ROWID;");
        await ExecuteAsync(connection, "CREATE INDEX IX_Round ON Responses (RoundId);");
        var deleted = new List<string>();
        var kept = new List<string>();
        for (var i = 0; i < Rows; i++)
        {
            var marker = string.Create(CultureInfo.InvariantCulture, $"MERKKI-{i:000}-{Guid.NewGuid():n}");
            (i % 2 == 0 ? deleted : kept).Add(marker);
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO Responses VALUES ($id, $round, randomblob(60), $text);";
            insert.Parameters.AddWithValue("$id", Guid.NewGuid().ToString().ToUpperInvariant());
            insert.Parameters.AddWithValue("$round", i % 2);
            insert.Parameters.AddWithValue("$text", marker);
            await insert.ExecuteNonQueryAsync();
        }

        await ExecuteAsync(connection, Forgetting.TruncateSql);
        var before = SqliteFiles.Copy(path, "before");
        await ExecuteAsync(connection, "DELETE FROM Responses WHERE RoundId = 0;");
        if (step != AfterDelete.Nothing)
        {
            await ExecuteAsync(connection, Forgetting.TruncateSql);
        }

        if (step == AfterDelete.Vacuum)
        {
            await ExecuteAsync(connection, "VACUUM;");
            await ExecuteAsync(connection, Forgetting.TruncateSql);
        }

        var after = SqliteFiles.Copy(path, "after");
        var remaining = deleted.Count(m => after.Holding(m).Count > 0);
        var then = step switch
        {
            AfterDelete.Nothing => "nothing",
            AfterDelete.Checkpoint => "truncating checkpoint",
            _ => "`VACUUM` between truncating checkpoints",
        };

        // A row of docs/storage.md's table, with the file sizes beside it.
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {(secureDelete ? "on" : "off")} | {then} | {remaining} of {deleted.Count} | main file {before.Main.Length} → {after.Main.Length} B, log {before.Wal.Length} → {after.Wal.Length} B"));
        Assert.All(kept, m => Assert.NotEmpty(after.Holding(m)));
        Assert.Equal(traces, remaining > 0);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned with the temp folder eventually.
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
        }
    }
}
