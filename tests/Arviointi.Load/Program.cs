using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Arviointi.Load;

/// <summary>
/// Guardians answering at once: each of <c>--concurrency</c> workers takes the next personal code and walks the whole flow
/// a browser without JavaScript walks (code page, code, every survey page shown and posted, review, send, thanks), each
/// flow with its own cookies. A flow counts only when the thanks page arrives. Prints flows/s, flow and per-request
/// latencies, errors, and the codes whose send was acknowledged (for the check against the database afterwards).
/// Usage: Arviointi.Load --url http://127.0.0.1:5077 --codes codes.txt [--skip 0] [--concurrency 64] [--seconds 20]
///        [--acknowledged FILE]
/// Hand-written rather than a load tool: the flow must parse each page (its fields, its token, where it redirects), which
/// wrk and its peers do not do without a script as long as this client.
/// </summary>
internal static partial class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = Options.Parse(args);
        var codes = File.ReadAllLines(options.Codes).Skip(options.Skip).Where(c => c.Length > 0).ToArray();
        var run = new Run(codes);
        var deadline = Stopwatch.GetTimestamp() + (long)(options.Seconds * Stopwatch.Frequency);
        using var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(60) };
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, options.Concurrency).Select(w => Task.Run(() => WorkAsync(client, run, deadline, w))).ToArray();
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;

        if (options.Acknowledged is not null)
        {
            await File.WriteAllLinesAsync(options.Acknowledged, run.Acknowledged);
        }

        Report(run, elapsed, options);
        return run.Errors.IsEmpty ? 0 : 2;
    }

    private static async Task WorkAsync(HttpClient client, Run run, long deadline, int worker)
    {
        var random = new Random(worker);
        while (Stopwatch.GetTimestamp() < deadline && run.TryTake(out var code))
        {
            var flow = new Flow(client, run, random);
            var started = Stopwatch.GetTimestamp();
            try
            {
                if (await flow.WalkAsync(code))
                {
                    run.Completed(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            catch (HttpRequestException e)
            {
                // The server is gone (refused or reset): this worker stops rather than spend every code on it.
                run.Errors.Add($"{code}: {e.Message}");
                return;
            }
            catch (Exception e) when (e is TaskCanceledException or FlowException)
            {
                run.Errors.Add($"{code}: {e.Message}");
            }
        }
    }

    private static void Report(Run run, double seconds, Options options)
    {
        var flows = run.FlowMilliseconds.ToArray();
        Array.Sort(flows);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"concurrency {options.Concurrency}: {flows.Length} flows in {seconds:F1} s = {flows.Length / seconds:F1} flows/s; requests {run.Requests} = {run.Requests / seconds:F0} req/s"));
        Console.WriteLine(string.Create(inv, $"flow ms: p50 {Percentile(flows, 0.5):F0}  p99 {Percentile(flows, 0.99):F0}  max {(flows.Length > 0 ? flows[^1] : 0):F0}"));
        foreach (var (kind, values) in run.RequestMilliseconds.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var sorted = values.ToArray();
            Array.Sort(sorted);
            Console.WriteLine(string.Create(inv, $"  {kind,-12} n {sorted.Length,7}  p50 {Percentile(sorted, 0.5),7:F1} ms  p99 {Percentile(sorted, 0.99),7:F1} ms  max {sorted[^1],7:F1} ms"));
        }

        Console.WriteLine(string.Create(inv, $"acknowledged sends {run.Acknowledged.Count}; errors {run.Errors.Count}"));
        foreach (var error in run.Errors.Take(10))
        {
            Console.WriteLine($"  error: {error}");
        }

        // One machine-readable line for tests/load/run.sh.
        Console.WriteLine(string.Create(inv, $"RESULT concurrency={options.Concurrency} flows={flows.Length} seconds={seconds:F2} flows_per_s={flows.Length / seconds:F1} flow_p50_ms={Percentile(flows, 0.5):F0} flow_p99_ms={Percentile(flows, 0.99):F0} request_p99_ms={run.WorstRequestP99():F1} requests={run.Requests} acknowledged={run.Acknowledged.Count} errors={run.Errors.Count} taken={run.Taken}"));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    internal static partial Regex TokenPattern();

    [GeneratedRegex("<input type=\"(radio|checkbox)\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    internal static partial Regex ChoicePattern();

    [GeneratedRegex("<textarea[^>]*name=\"([^\"]+)\"")]
    internal static partial Regex TextPattern();

    [GeneratedRegex("name=\"versio\" value=\"(\\d+)\"")]
    internal static partial Regex VersionPattern();
}

internal sealed class FlowException(string message) : Exception(message);

internal sealed record Options(string Url, string Codes, int Skip, int Concurrency, double Seconds, string? Acknowledged)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var inv = CultureInfo.InvariantCulture;
        return new Options(
            Value("--url", "http://127.0.0.1:5077"),
            Value("--codes", "codes.txt"),
            int.Parse(Value("--skip", "0"), inv),
            int.Parse(Value("--concurrency", "64"), inv),
            double.Parse(Value("--seconds", "20"), inv),
            Array.IndexOf(args, "--acknowledged") >= 0 ? Value("--acknowledged", "") : null);
    }
}

/// <summary>What all workers share: the codes not yet used and what was measured.</summary>
internal sealed class Run(string[] codes)
{
    private int next = -1;
    private long requests;

    public ConcurrentBag<double> FlowMilliseconds { get; } = [];

    public ConcurrentDictionary<string, ConcurrentBag<double>> RequestMilliseconds { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Acknowledged { get; } = new();

    public ConcurrentBag<string> Errors { get; } = [];

    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Codes handed to workers (used or not): the next run skips them.</summary>
    public int Taken => Math.Min(Volatile.Read(ref next) + 1, codes.Length);

    public bool TryTake(out string code)
    {
        var i = Interlocked.Increment(ref next);
        code = i < codes.Length ? codes[i] : "";
        return i < codes.Length;
    }

    public void Completed(double milliseconds) => FlowMilliseconds.Add(milliseconds);

    public void Request(string kind, double milliseconds)
    {
        Interlocked.Increment(ref requests);
        RequestMilliseconds.GetOrAdd(kind, _ => []).Add(milliseconds);
    }

    public double WorstRequestP99() => RequestMilliseconds.Values.Select(v =>
    {
        var sorted = v.ToArray();
        Array.Sort(sorted);
        return sorted[Math.Clamp((int)Math.Ceiling(0.99 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }).DefaultIfEmpty(0).Max();
}

/// <summary>One guardian's visit: their own cookies, the pages as the server sends them.</summary>
internal sealed class Flow(HttpClient client, Run run, Random random)
{
    private readonly Dictionary<string, string> cookies = new(StringComparer.Ordinal);

    public async Task<bool> WalkAsync(string code)
    {
        var (_, enter) = await GetAsync("/vastaa", "code-get", HttpStatusCode.OK);
        var location = await PostAsync("/vastaa", "code-post", enter, [new("Code", code)]);
        for (var pages = 0; !location.StartsWith("/vastaa/yhteenveto", StringComparison.Ordinal); pages++)
        {
            if (pages > 50 || !location.StartsWith("/vastaa/kysely", StringComparison.Ordinal))
            {
                throw new FlowException($"unexpected redirect to {location}");
            }

            var (_, page) = await GetAsync(location, "page-get", HttpStatusCode.OK);
            var target = location.Contains("sivu=", StringComparison.Ordinal) ? location : "/vastaa/kysely?sivu=1";
            location = await PostAsync(target, "page-post", page, Answers(page));
        }

        var (_, review) = await GetAsync("/vastaa/yhteenveto", "review-get", HttpStatusCode.OK);
        var thanks = await PostAsync("/vastaa/yhteenveto", "send-post", review, []);
        if (thanks != "/vastaa/kiitos")
        {
            throw new FlowException($"the send was not stored: {thanks}");
        }

        run.Acknowledged.Enqueue(code);
        await GetAsync(thanks, "thanks-get", HttpStatusCode.OK);
        return true;
    }

    /// <summary>What a guardian gives on a page: one option of most choice questions, now and then a sentence.</summary>
    private List<KeyValuePair<string, string>> Answers(string page)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("suunta", "seuraava"),
            new("versio", Program.VersionPattern().Match(page).Groups[1].Value),
        };
        foreach (var question in Program.ChoicePattern().Matches(page).GroupBy(m => m.Groups[2].Value))
        {
            var options = question.ToList();
            if (random.NextDouble() < 0.95)
            {
                fields.Add(new(question.Key, options[random.Next(options.Count)].Groups[3].Value));
            }
        }

        foreach (Match text in Program.TextPattern().Matches(page))
        {
            if (random.NextDouble() < 0.2)
            {
                fields.Add(new(text.Groups[1].Value, "Kiitos hyvästä arjesta, ja pihalle toivoisimme lisää varjoa kesäksi."));
            }
        }

        return fields;
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string kind, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var (status, body, _) = await SendAsync(request, kind);
        return status == expected ? (status, body) : throw new FlowException($"GET {path}: {(int)status}");
    }

    /// <summary>Posts a form of <paramref name="page"/> (its antiforgery token); returns where the server redirects.</summary>
    private async Task<string> PostAsync(string path, string kind, string page, List<KeyValuePair<string, string>> fields)
    {
        var token = Program.TokenPattern().Match(page);
        if (!token.Success)
        {
            throw new FlowException($"no form token on the page before POST {path}");
        }

        fields.Add(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)));
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        var (status, _, location) = await SendAsync(request, kind);
        return status == HttpStatusCode.Redirect && location is not null ? location : throw new FlowException($"POST {path}: {(int)status}");
    }

    private async Task<(HttpStatusCode, string, string?)> SendAsync(HttpRequestMessage request, string kind)
    {
        if (cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        run.Request(kind, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
        {
            foreach (var header in set)
            {
                var pair = header.Split(';', 2)[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..eq], pair[(eq + 1)..]);
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    cookies.Remove(name);
                }
                else
                {
                    cookies[name] = value;
                }
            }
        }

        var location = response.Headers.Location?.OriginalString;
        if (location is not null && location.StartsWith("http", StringComparison.Ordinal))
        {
            location = new Uri(location).PathAndQuery;
        }

        return (response.StatusCode, body, location);
    }
}
