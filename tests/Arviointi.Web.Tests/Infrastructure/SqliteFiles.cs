using System.Buffers.Binary;
using System.Text;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>
/// A copy of a SQLite database's files at one moment (the main file, its write-ahead log, the log's index and a
/// rollback journal if there is one), as someone who copied the data folder or took a backup would hold them.
/// </summary>
public sealed record SqliteFiles(string Label, IReadOnlyDictionary<string, byte[]> Files)
{
    public static readonly string[] Suffixes = ["", "-wal", "-shm", "-journal"];

    public static SqliteFiles Copy(string databasePath, string label) => Copy(databasePath, label, Suffixes);

    /// <summary>The write-ahead log alone.</summary>
    public static SqliteFiles CopyLog(string databasePath, string label) => Copy(databasePath, label, ["-wal"]);

    private static SqliteFiles Copy(string databasePath, string label, string[] suffixes)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var suffix in suffixes)
        {
            var path = databasePath + suffix;
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                files[suffix.Length == 0 ? "main" : suffix[1..]] = copy.ToArray();
            }
        }

        return new SqliteFiles(label, files);
    }

    public byte[] Wal => Files.GetValueOrDefault("wal") ?? [];

    public byte[] Main => Files.GetValueOrDefault("main") ?? [];

    /// <summary>The files in which the bytes occur anywhere, live or deleted, current or stale.</summary>
    public IReadOnlyList<string> Holding(ReadOnlySpan<byte> needle)
    {
        var holding = new List<string>();
        foreach (var (name, bytes) in Files)
        {
            if (bytes.AsSpan().IndexOf(needle) >= 0)
            {
                holding.Add(name);
            }
        }

        return holding;
    }

    public IReadOnlyList<string> Holding(string text) => Holding(Encoding.UTF8.GetBytes(text));

    public long Size => Files.Values.Sum(f => (long)f.Length);
}

/// <summary>
/// Reads a SQLite write-ahead log as a forensic reader would (https://www.sqlite.org/fileformat.html#the_write_ahead_log):
/// a 32-byte header, then frames of a 24-byte header and one page each; a frame whose "commit" field is non-zero ends a
/// transaction. Every frame in the file counts, also those of earlier log generations a restart left behind.
/// </summary>
public static class WalReader
{
    public const int HeaderSize = 32;
    public const int FrameHeaderSize = 24;

    /// <summary>One frame: the page it holds and the transaction it belongs to.</summary>
    public sealed record Frame(int Index, uint PageNumber, bool EndsCommit, uint Salt1, uint Salt2, ReadOnlyMemory<byte> Page);

    /// <summary>The frames of one transaction, in log order; <paramref name="Complete"/> when its commit frame is there.</summary>
    public sealed record Commit(IReadOnlyList<Frame> Frames, bool Complete)
    {
        public bool Any(Func<ReadOnlyMemory<byte>, bool> page) => Frames.Any(f => page(f.Page));
    }

    public static int PageSize(byte[] wal)
    {
        ArgumentNullException.ThrowIfNull(wal);
        var magic = BinaryPrimitives.ReadUInt32BigEndian(wal);
        Assert.True(magic is 0x377f0682 or 0x377f0683, $"Not a SQLite WAL file (magic {magic:x8})");
        return (int)BinaryPrimitives.ReadUInt32BigEndian(wal.AsSpan(8));
    }

    public static IReadOnlyList<Frame> Frames(byte[] wal)
    {
        ArgumentNullException.ThrowIfNull(wal);
        if (wal.Length < HeaderSize)
        {
            return [];
        }

        var pageSize = PageSize(wal);
        var frames = new List<Frame>();
        for (var (offset, index) = (HeaderSize, 0); offset + FrameHeaderSize + pageSize <= wal.Length; offset += FrameHeaderSize + pageSize, index++)
        {
            var header = wal.AsSpan(offset, FrameHeaderSize);
            frames.Add(new Frame(
                index,
                BinaryPrimitives.ReadUInt32BigEndian(header),
                BinaryPrimitives.ReadUInt32BigEndian(header[4..]) != 0,
                BinaryPrimitives.ReadUInt32BigEndian(header[8..]),
                BinaryPrimitives.ReadUInt32BigEndian(header[12..]),
                wal.AsMemory(offset + FrameHeaderSize, pageSize)));
        }

        return frames;
    }

    /// <summary>The log's transactions: runs of frames of one generation (salts), each ended by its commit frame.</summary>
    public static IReadOnlyList<Commit> Commits(byte[] wal)
    {
        var commits = new List<Commit>();
        var current = new List<Frame>();
        foreach (var frame in Frames(wal))
        {
            if (current.Count > 0 && (current[^1].Salt1, current[^1].Salt2) != (frame.Salt1, frame.Salt2))
            {
                commits.Add(new Commit(current, false));
                current = [];
            }

            current.Add(frame);
            if (frame.EndsCommit)
            {
                commits.Add(new Commit(current, true));
                current = [];
            }
        }

        if (current.Count > 0)
        {
            commits.Add(new Commit(current, false));
        }

        return commits;
    }
}
