using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Arviointi.Web.Features.Answering;

internal sealed class GuessGuardOptions
{
    /// <summary>Wrong codes one source may try within <see cref="Window"/> before its tries are slowed down.</summary>
    public int FailuresPerSource { get; set; } = 30;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>While slowed, a source's tries go one at a time, this far apart.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Sessions one code may start per minute: a group code serves a class of 30 at once.</summary>
    public int EntriesPerCodePerMinute { get; set; } = 60;
}

/// <summary>
/// Keeps code guessing slow without ever locking a class out. Only wrong codes count against a source; once a
/// source has tried too many, its tries are served one at a time with a pause, right ones too, so 30 pupils behind
/// one school address still get in (a little slower) while a guesser is held to about one try a second. With
/// 31^10 possible codes that leaves no realistic chance of hitting one during a round.
/// A source is the connection's address, used only in memory as a keyed hash with a key that lives and dies with the
/// process: it is never stored, logged or compared across restarts.
/// </summary>
internal sealed class GuessGuard(TimeProvider time, Microsoft.Extensions.Options.IOptions<GuessGuardOptions> options)
{
    private readonly byte[] processKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Source> sources = new();
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> codes = new();

    private GuessGuardOptions Options => options.Value;

    /// <summary>Waits its turn when the source has tried too many wrong codes; returns a lease to give back after the try.</summary>
    public async Task<IDisposable> EnterAsync(HttpContext http, CancellationToken ct)
    {
        var source = sources.GetOrAdd(SourceKey(http), _ => new Source());
        if (source.Failures(time.GetUtcNow() - Options.Window) < Options.FailuresPerSource)
        {
            return new Lease(null);
        }

        await source.Gate.WaitAsync(ct);
        await Task.Delay(Options.SlowDelay, ct);
        return new Lease(source.Gate);
    }

    public void RecordFailure(HttpContext http) =>
        sources.GetOrAdd(SourceKey(http), _ => new Source()).Add(time.GetUtcNow(), time.GetUtcNow() - Options.Window);

    /// <summary>False when the code has started too many sessions within the last minute.</summary>
    public bool TryStart(string codeHash)
    {
        var now = time.GetUtcNow();
        var starts = codes.GetOrAdd(codeHash, _ => new Queue<DateTimeOffset>());
        lock (starts)
        {
            while (starts.Count > 0 && starts.Peek() <= now - TimeSpan.FromMinutes(1))
            {
                starts.Dequeue();
            }

            if (starts.Count >= Options.EntriesPerCodePerMinute)
            {
                return false;
            }

            starts.Enqueue(now);
            return true;
        }
    }

    private string SourceKey(HttpContext http)
    {
        // Read here only to tell sources apart in memory (see the class remark); never stored or logged.
        var address = http.Connection.RemoteIpAddress?.GetAddressBytes() ?? [];
        return Convert.ToHexString(HMACSHA256.HashData(processKey, address));
    }

    private sealed class Source
    {
        private readonly Queue<DateTimeOffset> failures = new();

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Failures(DateTimeOffset since)
        {
            lock (failures)
            {
                while (failures.Count > 0 && failures.Peek() <= since)
                {
                    failures.Dequeue();
                }

                return failures.Count;
            }
        }

        public void Add(DateTimeOffset at, DateTimeOffset since)
        {
            lock (failures)
            {
                failures.Enqueue(at);
                while (failures.Count > 0 && failures.Peek() <= since)
                {
                    failures.Dequeue();
                }
            }
        }
    }

    private sealed class Lease(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
