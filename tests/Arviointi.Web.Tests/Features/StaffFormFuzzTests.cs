using System.Net;
using System.Text.RegularExpressions;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Every form a staff member can fill, found on the pages as served (so a new field is fuzzed without a change here),
/// sent with each field in turn replaced by what people and attackers type: nothing, far too much, the wrong kind of
/// value, impossible numbers and dates, markup, a missing or doubled field. None may answer 500.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed partial class StaffFormFuzzTests(StaffFormFuzzTests.Fixture app) : IClassFixture<StaffFormFuzzTests.Fixture>
{
    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        internal ClosedRound Data { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Data = await ClosedRound.CreateAsync(this);

            // A round not yet open, for which codes can be ordered.
            var version = await TestData.SurveyAsync(this, "ecec-guardian");
            var now = Clock.GetUtcNow();
            var (next, errors) = await WithScopeAsync(s => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Arviointi.Web.Features.Rounds.RoundAdmin>(s)
                .CreateAsync(new Arviointi.Web.Features.Rounds.NewRound(now.Year + 1, Arviointi.Surveys.Sector.Ecec, "Sumea", now.AddDays(30), now.AddDays(60), [version.Id]), "testi"));
            Assert.Empty(errors);
            Assert.NotNull(next);
            await TestData.UserAsync(this, "fuzz.admin", Roles.Administrator);
            await TestData.UserAsync(this, "fuzz.director", Roles.Director, "398");
            await TestData.UserAsync(this, "fuzz.analyst", Roles.Analyst);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    /// <summary>What goes into a field instead of its value.</summary>
    private static readonly string[] Bad =
    [
        "", " ", new string('x', 5000), "-1", "0", "2147483648", "99999999999999999999", "1e309", "NaN", "1,5", "abc",
        "0001-01-01T00:00", "9999-12-31T23:59", "2027-02-30T10:00", "2027-03-28T03:30", "2027-13-01", "<script>alert(1)</script>",
        "'; DROP TABLE Units; --", "=HYPERLINK(\"http://x\")", "\u0000", "\ud800", "ä\u202eö", "../../etc/passwd", "true", "null", "[]",
    ];

    public static TheoryData<string, string> Pages() => new()
    {
        { "fuzz.admin", "/hallinta/kayttajat" },
        { "fuzz.admin", "/hallinta/kierrokset" },
        { "fuzz.admin", "/hallinta/osallistujat" },
        { "fuzz.admin", "/hallinta/loki" },
        { "fuzz.admin", "/koodit" },
        { "fuzz.admin", "/tili" },
        { "fuzz.admin", "/tili/kaksivaihe" },
        { "fuzz.admin", "/tili/tunnukset" },
        { "fuzz.admin", "/tulokset/{round}/kysymys/Guardian/vk_h_001" },
        { "fuzz.admin", "/vastausaste" },
        { "fuzz.director", "/tili" },
        { "fuzz.director", "/tili/kaksivaihe" },
        { "fuzz.director", "/vastausaste" },
        { "fuzz.analyst", "/tili/tunnukset" },
        { "fuzz.admin", "/hallinta/yksikot" },
        { "", "/kirjaudu" },
        { "", "/salasana/unohtunut" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task No_form_answers_500_whatever_is_typed(string user, string path)
    {
        path = path.Replace("{round}", app.Data.Round.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using var browser = user.Length == 0 ? new Browser(app) : await Browser.SignedInAsync(app, user, TestData.Password);
        var (status, html) = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        var forms = Forms(html, path).Where(f => !f.Action.StartsWith("/kirjaudu-ulos", StringComparison.Ordinal) && !f.Action.Contains("handler=Reset", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(forms);

        var random = new Random(path.Length * 7919 + user.Length);
        var sent = 0;
        var failures = new List<string>();
        foreach (var form in forms)
        {
            foreach (var field in form.Fields.Keys.Where(k => k != "__RequestVerificationToken").Append("(missing)").Append("(doubled)"))
            {
                foreach (var value in Bad.OrderBy(_ => random.Next()).Take(field.StartsWith('(') ? 1 : 6))
                {
                    // The token of a freshly loaded page: a stale one would only test antiforgery.
                    var (_, fresh) = await browser.GetAsync(path);
                    var fields = form.Fields.ToDictionary(f => f.Key, f => f.Value);
                    var extra = new List<KeyValuePair<string, string>>();
                    if (field == "(missing)")
                    {
                        foreach (var key in fields.Keys.Where(k => k != "__RequestVerificationToken").ToList())
                        {
                            fields.Remove(key);
                        }
                    }
                    else if (field == "(doubled)")
                    {
                        extra.AddRange(fields.Where(f => f.Key != "__RequestVerificationToken").Select(f => new KeyValuePair<string, string>(f.Key, value)));
                    }
                    else
                    {
                        fields[field] = value;
                    }

                    fields.Remove("__RequestVerificationToken");
                    using var response = form.Get
                        ? await browser.Client.GetAsync(new Uri(form.Action + (form.Action.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join("&", fields.Concat(extra).Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(Safe(f.Value)))), UriKind.Relative))
                        : form.Multipart
                            ? await PostMultipartAsync(browser, fresh, form.Action, fields, extra, value)
                            : await browser.PostFormFromAsync(fresh, form.Action, fields.ToDictionary(f => f.Key, f => Safe(f.Value)), extra.Select(e => new KeyValuePair<string, string>(e.Key, Safe(e.Value))));
                    sent++;
                    var body = await response.Content.ReadAsStringAsync();
                    if ((int)response.StatusCode >= 500 || body.Contains("   at ", StringComparison.Ordinal))
                    {
                        failures.Add($"{form.Action} {field}={Shorten(value)}: {(int)response.StatusCode}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{sent} requests; failed:\n" + string.Join("\n", failures));
        Assert.True(sent >= forms.Count * 2, $"Only {sent} requests were sent to {path}.");
        Assert.NotEqual(HttpStatusCode.InternalServerError, (await browser.GetAsync("/")).Status);
    }

    /// <summary>A lone surrogate cannot be form-encoded at all by a client; a browser sends it as the replacement character.</summary>
    private static string Safe(string value) => value.Replace("\ud800", "\ufffd", StringComparison.Ordinal);

    private static string Shorten(string value) => value.Length > 30 ? value[..30] + "…" : value;

    private static async Task<HttpResponseMessage> PostMultipartAsync(Browser browser, string page, string action, Dictionary<string, string> fields, List<KeyValuePair<string, string>> extra, string value)
    {
        using var content = new MultipartFormDataContent();
        foreach (var (key, v) in fields.Concat(extra))
        {
            content.Add(new StringContent(Safe(v)), key);
        }

        content.Add(new StringContent(Browser.TokenIn(page)), "__RequestVerificationToken");
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("yksikkö;lapsia\n" + Safe(value) + ";" + Safe(value) + "\n\"rikki"));
        content.Add(file, "file", "fuzz.csv");
        content.Add(new ByteArrayContent([0xff, 0xfe, 0x00, 0x01, 0x02]), "upload", "binary.csv");
        return await browser.Client.PostAsync(new Uri(action, UriKind.Relative), content);
    }

    private sealed record Form(string Action, bool Get, bool Multipart, Dictionary<string, string> Fields);

    /// <summary>The forms of a page as a browser would send them: each named input, select and textarea with its value.</summary>
    private static IEnumerable<Form> Forms(string html, string path)
    {
        foreach (Match form in FormPattern().Matches(html))
        {
            var attributes = form.Groups[1].Value;
            var action = System.Net.WebUtility.HtmlDecode(ActionPattern().Match(attributes) is { Success: true } a ? a.Groups[1].Value : path);
            if (action.Length == 0)
            {
                action = path;
            }

            var fields = new Dictionary<string, string>();
            foreach (Match input in InputPattern().Matches(form.Groups[2].Value))
            {
                var tag = input.Value;
                var name = NamePattern().Match(tag);
                if (!name.Success || tag.Contains("type=\"file\"", StringComparison.Ordinal))
                {
                    continue;
                }

                var value = ValuePattern().Match(tag);
                fields.TryAdd(System.Net.WebUtility.HtmlDecode(name.Groups[1].Value), value.Success ? System.Net.WebUtility.HtmlDecode(value.Groups[1].Value) : "1");
            }

            yield return new Form(action, attributes.Contains("method=\"get\"", StringComparison.Ordinal), attributes.Contains("multipart", StringComparison.Ordinal), fields);
        }
    }

    [GeneratedRegex("<form([^>]*)>(.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("action=\"([^\"]*)\"")]
    private static partial Regex ActionPattern();

    [GeneratedRegex("<(input|select|textarea)[^>]*>", RegexOptions.Singleline)]
    private static partial Regex InputPattern();

    [GeneratedRegex("name=\"([^\"]+)\"")]
    private static partial Regex NamePattern();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValuePattern();
}
