using System.Net;
using System.Text.RegularExpressions;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>A respondent in a browser without JavaScript: enters a code, answers page by page, reviews and sends.</summary>
public sealed partial class Respondent : IDisposable
{
    public Respondent(ArviointiFactory factory)
        : this(new Browser(factory))
    {
    }

    public Respondent(Browser browser) => Browser = browser;

    public Browser Browser { get; }

    /// <summary>The survey language the respondent chose, carried as <c>kieli</c> in every address; null follows the site's language.</summary>
    public string? Language { get; init; }

    /// <summary>The same respondent after closing the browser and opening it again (<see cref="Browser.Reopen"/>).</summary>
    public Respondent Reopen() => new(Browser.Reopen()) { Language = Language };

    public async Task<HttpResponseMessage> EnterAsync(string code) =>
        await Browser.PostFormAsync(Address("/vastaa"), Address("/vastaa"), new() { ["Code"] = code });

    /// <summary>The fields of one page: item field names, and the survey version the form belongs to.</summary>
    public async Task<(HttpStatusCode Status, string Html, IReadOnlyList<string> Fields, string Version)> PageAsync(int number)
    {
        var (status, html) = await Browser.GetAsync(Address($"/vastaa/kysely?sivu={number}"));
        var fields = FieldPattern().Matches(html).Select(m => m.Groups[1].Value).Distinct().ToList();
        var version = VersionPattern().Match(html).Groups[1].Value;
        return (status, html, fields, version);
    }

    /// <summary>Posts one page: the given answers, plus anything else (a forged field), moving in <paramref name="direction"/>.</summary>
    public async Task<HttpResponseMessage> PostPageAsync(int number, IEnumerable<KeyValuePair<string, string>> fields, string direction = "seuraava", string? version = null)
    {
        var page = await PageAsync(number);
        var all = new Dictionary<string, string> { ["suunta"] = direction, ["versio"] = version ?? page.Version };
        return await Browser.PostFormAsync(Address($"/vastaa/kysely?sivu={number}"), Address($"/vastaa/kysely?sivu={number}"), all, fields);
    }

    /// <summary>Walks every page answering what each shows from <paramref name="answers"/>, then sends; returns where it ended.</summary>
    public async Task<string> AnswerAllAsync(IReadOnlyDictionary<string, string> answers)
    {
        for (var number = 1; number < 100; number++)
        {
            var (status, _, fields, _) = await PageAsync(number);
            if (status == HttpStatusCode.Redirect)
            {
                break;
            }

            var given = answers.Where(a => fields.Contains(a.Key));
            var posted = await PostPageAsync(number, given);
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            if (posted.Headers.Location!.OriginalString.StartsWith("/vastaa/yhteenveto", StringComparison.Ordinal))
            {
                break;
            }
        }

        var sent = await SendAsync();
        return sent.Headers.Location?.OriginalString ?? $"status {(int)sent.StatusCode}";
    }

    public Task<HttpResponseMessage> SendAsync() =>
        Browser.PostFormAsync(Address("/vastaa/yhteenveto"), Address("/vastaa/yhteenveto"), []);

    /// <summary>A respondent address with the chosen language, as the pages' own links and forms carry it.</summary>
    public string Address(string path) =>
        Language is null ? path : $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}kieli={Language}";

    public void Dispose() => Browser.Dispose();

    [GeneratedRegex("name=\"((?:a|t)_[^\"]+)\"")]
    private static partial Regex FieldPattern();

    [GeneratedRegex("name=\"versio\" value=\"(\\d+)\"")]
    private static partial Regex VersionPattern();
}
