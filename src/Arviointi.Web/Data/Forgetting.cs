using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Arviointi.Web.Data;

/// <summary>
/// Every SQLite connection overwrites what it deletes with zeros (<c>secure_delete</c>), so deleted drafts, answers
/// and codes do not linger in free space of the file; and waits for readers instead of failing at once, which lets a
/// truncating checkpoint finish while pages are being read.
/// </summary>
internal sealed class SecureDeleteInterceptor(TimeSpan busyTimeout, SqliteSynchronous synchronous = SqliteSynchronous.Full) : DbConnectionInterceptor
{
    /// <summary>How long a statement waits for another connection's lock before failing (<c>Database:BusyTimeout</c>).</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(10);

    private readonly string pragmas =
        $"PRAGMA secure_delete=ON; PRAGMA busy_timeout={(int)busyTimeout.TotalMilliseconds}; PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()};";

    /// <summary>
    /// The native connections already set up. The pragmas hold for the life of a connection and Microsoft.Data.Sqlite
    /// pools them, so they run once a connection instead of at every open (every request's query; the load run's
    /// profile had them at 4 % of the server's CPU).
    /// </summary>
    private readonly ConditionalWeakTable<object, object> configured = new();

    public SecureDeleteInterceptor()
        : this(DefaultBusyTimeout)
    {
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!IsNew(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!IsNew(connection))
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether this open is the first of its native connection (recording it if so).</summary>
    private bool IsNew(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle })
        {
            return true;
        }

        lock (configured)
        {
            if (configured.TryGetValue(handle, out _))
            {
                return false;
            }

            configured.Add(handle, handle);
            return true;
        }
    }
}

/// <summary>
/// When a commit waits for the disk (SQLite's <c>synchronous</c>, in WAL mode). <see cref="Full"/> syncs the log at every
/// commit: an acknowledged answer survives a power cut as well as a killed process. <see cref="Normal"/> syncs only at
/// checkpoints: it survives a killed process but may lose the last commits in a power cut. docs/storage.md has the
/// figures of both under the load run.
/// </summary>
internal enum SqliteSynchronous
{
    Normal,
    Full,
}

/// <summary>What a truncating checkpoint did: whether readers kept it from finishing, and the log's frames before it.</summary>
internal sealed record Checkpoint(bool Blocked, int Frames);

/// <summary>
/// Making the SQLite files forget. Committed changes wait in the write-ahead log (<c>-wal</c>) until a checkpoint
/// copies them into the main file, and an ordinary checkpoint leaves the old frames in the log file to be overwritten
/// later: a copy of the log shows which pages each transaction changed, and old versions of them. A truncating
/// checkpoint empties the log file. On SQL Server these do nothing (docs/storage.md says what the operator does there).
/// </summary>
internal static class Forgetting
{
    public const string TruncateSql = "PRAGMA wal_checkpoint(TRUNCATE);";
    private const int Attempts = 5;

    /// <summary>Copies the log into the main file and empties the log file, retrying a little while readers hold it.</summary>
    public static async Task<Checkpoint> CheckpointAsync(this DatabaseFacade database, ILogger logger, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!database.IsSqlite())
        {
            return new Checkpoint(false, 0);
        }

        var result = new Checkpoint(true, 0);
        for (var attempt = 1; attempt <= Attempts && result.Blocked; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);
            }

            result = await RunCheckpointAsync(database, ct);
        }

        if (result.Blocked)
        {
            logger.LogWarning("Tietokannan lokia ei saatu tyhjennettyä: lukijat pitivät sitä auki ({Frames} kehystä)", result.Frames);
        }

        return result;
    }

    /// <summary>After deleting raw data: rebuilds the file with only what is left, so no freed page or page order remains.</summary>
    public static async Task VacuumAsync(this DatabaseFacade database, ILogger logger, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!database.IsSqlite())
        {
            return;
        }

        await database.CheckpointAsync(logger, ct);
        await database.ExecuteSqlRawAsync("VACUUM;", ct);
        await database.CheckpointAsync(logger, ct);
    }

    private static async Task<Checkpoint> RunCheckpointAsync(DatabaseFacade database, CancellationToken ct)
    {
        var connection = database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await database.OpenConnectionAsync(ct);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = TruncateSql;
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return new Checkpoint(reader.GetInt32(0) != 0, reader.GetInt32(1));
        }
        finally
        {
            if (opened)
            {
                await database.CloseConnectionAsync();
            }
        }
    }
}
