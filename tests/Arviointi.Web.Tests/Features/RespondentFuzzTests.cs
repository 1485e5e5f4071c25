using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Thousands of malformed requests (<see cref="MalformedRequests"/>) to every respondent endpoint, many of them inside real
/// respondents' sessions walked part way: none answers 500, no response shows exception text, no redirect leaves the
/// site, and nothing already answered is lost. The seed is fixed so that CI is reproducible; ARVIOINTI_FUZZ_SEED and
/// ARVIOINTI_FUZZ_REQUESTS explore further.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed partial class RespondentFuzzTests(RespondentFuzzTests.Factory factory, ITestOutputHelper output) : IClassFixture<RespondentFuzzTests.Factory>
{
    /// <summary>Wrong codes are slowed by a millisecond instead of a second, so the slowed path is fuzzed too without the wait.</summary>
    public sealed class Factory : ArviointiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Answering:Guessing:SlowDelay", TimeSpan.FromMilliseconds(1).ToString());
        }
    }

    private const int Senders = 6;

    [Fact]
    public async Task Thousands_of_malformed_requests_get_no_500_no_exception_text_and_lose_no_answer()
    {
        var seed = Setting("ARVIOINTI_FUZZ_SEED", 20270110);
        var count = Setting("ARVIOINTI_FUZZ_REQUESTS", 3000);
        var unit = await TestData.UnitAsync(factory, "398", "Päiväkoti Sumu");
        var round = await TestData.OpenRoundAsync(factory, "ecec-child");
        var codes = await TestData.CodesAsync(factory, round.Id, unit.Id, 2 + Senders);
        var groupCode = (await factory.WithScopeAsync(s => s.GetRequiredService<RoundAdmin>()
            .IssueCodesAsync(new CodeOrder(round.Id, unit.Id, RespondentGroup.Child, 1, AccessCodeKind.Group, 20), "testi")))[0];

        // A guardian who answered two pages and left; the fuzz never holds their cookies.
        using var bystander = new Respondent(factory);
        await bystander.EnterAsync(codes[0]);
        Assert.Equal(HttpStatusCode.Redirect, (await bystander.PostPageAsync(1, [new("a_vk_h_age_band", "3-5"), new("a_vk_h_care_type", "centre")])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await bystander.PostPageAsync(2, [new("a_vk_h_002", "4")])).StatusCode);

        // A guardian and a child group part way through, whose sessions the fuzz uses; and senders whose sessions it may send.
        using var guardian = new Respondent(factory);
        await guardian.EnterAsync(codes[1]);
        await guardian.PostPageAsync(1, [new("a_vk_h_age_band", "6")]);
        await guardian.PostPageAsync(2, [new("a_vk_h_002", "2")]);
        using var group = new Respondent(factory);
        await group.EnterAsync(groupCode);
        await group.PostPageAsync(1, [new("a_vk_l_age_band", "5-6")]);
        var senders = codes.Skip(2).Select(_ => new Respondent(factory)).ToList();
        for (var i = 0; i < Senders; i++)
        {
            await senders[i].EnterAsync(codes[2 + i]);
        }

        FuzzSession[] sessions = [await FuzzSession.OfAsync("guardian", guardian), await FuzzSession.OfAsync("child group", group)];
        var sending = new List<FuzzSession>();
        foreach (var (sender, i) in senders.Select((s, i) => (s, i)))
        {
            sending.Add(await FuzzSession.OfAsync($"sender {i}", sender));
        }

        output.WriteLine($"seed {seed}, {count} requests; sessions: {string.Join(", ", sessions.Select(s => $"{s.Name} ({s.Pages} pages, {s.Fields.Count} fields)"))}, {Senders} senders");
        var requests = new MalformedRequests(new Random(seed), sessions, sending, [.. codes, groupCode]);
        using var client = factory.CreateDefaultClient();
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var kinds = new SortedDictionary<string, (int Count, TimeSpan Time)>(StringComparer.Ordinal);
        var sent = new HashSet<int>();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count && failures.Count < 10; i++)
        {
            var request = requests.Next(out var sender);
            var started = watch.Elapsed;
            using var message = request.ToMessage();
            using var response = await client.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            var kind = request.Description.Split(" as ")[0].Split(" (")[0];
            kinds[kind] = (kinds.GetValueOrDefault(kind).Count + 1, kinds.GetValueOrDefault(kind).Time + watch.Elapsed - started);
            statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
            if (Problem(response, body) is { } problem)
            {
                failures.Add($"request {i} (seed {seed}): {request.Description}: {request.Method} {request.Target[..Math.Min(300, request.Target.Length)]}\n  cookies: {request.Cookies?[..Math.Min(300, request.Cookies.Length)]}\n  body: {Shorten(request.Body)}\n  → {(int)response.StatusCode}: {problem}");
            }

            // Thanked for an answer stored, in whatever language the request's address chose.
            if (sender is { } index && ThankedForAnswer().IsMatch(response.Headers.Location?.OriginalString ?? ""))
            {
                sent.Add(index);
            }
        }

        output.WriteLine($"{statuses.Values.Sum()} requests in {watch.Elapsed.TotalSeconds:F1} s; by status: {string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))}; senders that sent: {sent.Count}");
        output.WriteLine("by kind: " + string.Join("; ", kinds.Select(k => $"{k.Key}: {k.Value.Count} in {k.Value.Time.TotalSeconds:F1} s")));
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));

        // What was answered before is still there: the bystander's pages, reopened in their browser.
        using var returning = bystander.Reopen();
        await returning.EnterAsync(codes[0]);
        var first = await returning.PageAsync(1);
        Assert.Contains("Jatkat aiemmin aloittamaasi vastausta.", first.Html, StringComparison.Ordinal);
        Assert.Matches("name=\"a_vk_h_age_band\" value=\"3-5\" checked=\"checked\"", first.Html);
        Assert.Matches("name=\"a_vk_h_002\" value=\"4\" checked=\"checked\"", (await returning.PageAsync(2)).Html);

        // The fuzzed sessions still load and send, and every send is stored exactly once, through the flush as well.
        Assert.Equal(HttpStatusCode.OK, (await guardian.PageAsync(1)).Status);
        Assert.Equal("/vastaa/kiitos", (await guardian.SendAsync()).Headers.Location?.OriginalString);
        Assert.Equal("/vastaa/kiitos", (await group.SendAsync()).Headers.Location?.OriginalString);
        Assert.Equal(sent.Count + 2, await TestData.ResponseCountAsync(factory, round.Id));
        await TestData.FlushAsync(factory);
        await using var db = factory.CreateDbContext();
        Assert.Equal(sent.Count + 2, await db.Responses.CountAsync(r => r.RoundId == round.Id));
        senders.ForEach(s => s.Dispose());
    }

    [Fact]
    public void The_check_for_exception_text_knows_a_stack_trace_and_the_framework_s_messages()
    {
        string trace;
        try
        {
            _ = Array.Empty<int>().First();
            trace = "";
        }
        catch (InvalidOperationException e)
        {
            trace = e.ToString().Replace("Exception", "", StringComparison.Ordinal);
        }

        Assert.Matches(Leak(), trace);
        Assert.Matches(Leak(), "<p>SQLite Error 5: 'database is locked'.</p>");
        Assert.Matches(Leak(), "<pre>\n   at Arviointi.Web.Features.Answering.SurveyModel.OnPostAsync(String direction, Int32 version)</pre>");
        Assert.Matches(Leak(), "Cannot convert System.String to System.Int32");
        Assert.DoesNotMatch(Leak(), "<p>Vastauksen arvo ei ole sallittu. Valitse yksi annetuista vaihtoehdoista.</p>\n    <a href=\"/vastaa/kysely?sivu=2\">Edellinen</a>");
    }

    /// <summary>What is wrong with a response, or null: a server error, exception text, or a redirect off the site.</summary>
    private static string? Problem(HttpResponseMessage response, string body)
    {
        if ((int)response.StatusCode >= 500)
        {
            return "server error";
        }

        var leak = Leak().Match(body + "\n" + string.Join("\n", response.Headers.Concat(response.Content.Headers).SelectMany(h => h.Value)));
        if (leak.Success)
        {
            return $"exception text: …{body.Substring(Math.Max(0, leak.Index - 100), Math.Min(300, body.Length - Math.Max(0, leak.Index - 100)))}…";
        }

        return response.Headers.Location is { } location && (location.IsAbsoluteUri || !location.OriginalString.StartsWith('/') || location.OriginalString.StartsWith("//", StringComparison.Ordinal) || location.OriginalString.StartsWith("/\\", StringComparison.Ordinal))
            ? $"redirect off the site: {location}"
            : null;
    }

    private static string Shorten(byte[]? body) =>
        body is null ? "none" : body.Length <= 300 ? System.Text.Encoding.Latin1.GetString(body) : $"{System.Text.Encoding.Latin1.GetString(body, 0, 300)}… ({body.Length} B)";

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>Exception types and messages, stack frames, SQLite's errors, framework type names.</summary>
    [GeneratedRegex(@"Exception|^\s+at [\w.`<>]+\.[\w`<>]+\(|SQLite Error|\bSystem\.[A-Z]\w*|\bMicrosoft\.[A-Z]\w*\.[A-Z]|Object reference not set|Sequence contains|Index was outside|Value cannot be null|was not in a correct format|An unhandled", RegexOptions.Multiline)]
    private static partial Regex Leak();

    [GeneratedRegex("^/vastaa/kiitos(\\?kieli=[^&]*)?$")]
    private static partial Regex ThankedForAnswer();
}
