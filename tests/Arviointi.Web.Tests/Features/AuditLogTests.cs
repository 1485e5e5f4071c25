using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Administrators read the audit log at /hallinta/loki: newest first, filtered by actor, action, Finnish calendar days
/// and text in the details, 50 to a page, and the filtered rows as a CSV that Excel opens (UTF-8 with BOM).
/// </summary>
public sealed partial class AuditLogTests(AuditLogTests.Fixture factory) : IClassFixture<AuditLogTests.Fixture>
{
    private const string Page = "/hallinta/loki";

    /// <summary>60 report downloads by one actor, a few user events by another around a day's edge in Helsinki, and the users.</summary>
    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await using (var db = CreateDbContext())
            {
                var start = new DateTimeOffset(2027, 1, 1, 8, 0, 0, TimeSpan.Zero);
                db.AuditEvents.AddRange(Enumerable.Range(0, 60).Select(i => new AuditEvent { At = start.AddMinutes(i), Actor = "loki.a", Action = "report.pdf", Details = $"Raportti #{i} ladattiin" }));
                db.AuditEvents.AddRange(
                    Event("2027-01-05T07:00:00Z", "Käyttäjä yksi luotiin"),
                    Event("2027-01-06T21:30:00Z", "Käyttäjä kaksi luotiin, kattavuus 100% valmis"), // 23.30 on 6 January in Helsinki
                    Event("2027-01-06T22:30:00Z", "=HYPERLINK(\"http://example.invalid\") kattavuus 1000"));  // 00.30 on 7 January in Helsinki
                await db.SaveChangesAsync();
            }

            await TestData.UserAsync(this, "loki.admin", Roles.Administrator);
            await TestData.UserAsync(this, "loki.analyst", Roles.Analyst);
            await TestData.UserAsync(this, "loki.director", Roles.Director, "398");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

        private static AuditEvent Event(string at, string details) =>
            new() { At = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), Actor = "loki.b", Action = "user.created", Details = details };
    }

    [Fact]
    public async Task Filters_by_actor_action_helsinki_days_and_text_newest_first_in_pages_of_fifty()
    {
        using var admin = await Browser.SignedInAsync(factory, "loki.admin", TestData.Password);

        var (status, first) = await admin.GetAsync(Page + "?toimija=loki.a&toiminto=report.pdf");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("60 tapahtumaa", first, StringComparison.Ordinal);
        Assert.Contains("Sivu 1 / 2", first, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(10, 50).Reverse().Select(i => $"Raportti #{i} ladattiin"), Details(first));
        var next = WebUtility.HtmlDecode(NextLink().Match(first).Groups[1].Value);
        Assert.Contains("toimija=loki.a", next, StringComparison.Ordinal);
        var (_, second) = await admin.GetAsync(next);
        Assert.Equal(Enumerable.Range(0, 10).Reverse().Select(i => $"Raportti #{i} ladattiin"), Details(second));

        var (_, day) = await admin.GetAsync(Page + "?toimija=loki.b&alkaen=2027-01-06&asti=2027-01-06");
        Assert.Equal(["Käyttäjä kaksi luotiin, kattavuus 100% valmis"], Details(day));
        var (_, from) = await admin.GetAsync(Page + "?toimija=loki.b&alkaen=2027-01-07");
        Assert.Single(Details(from));

        var (_, text) = await admin.GetAsync(Page + "?teksti=RAPORTTI%20%237%20");
        Assert.Equal(["Raportti #7 ladattiin"], Details(text));
        var (_, wildcard) = await admin.GetAsync(Page + "?teksti=" + Uri.EscapeDataString("100%"));
        Assert.Equal(["Käyttäjä kaksi luotiin, kattavuus 100% valmis"], Details(wildcard));
    }

    [Fact]
    public async Task The_csv_holds_the_filtered_rows_in_utf8_with_a_byte_order_mark_and_escapes_formulas()
    {
        using var admin = await Browser.SignedInAsync(factory, "loki.admin", TestData.Password);
        var (_, html) = await admin.GetAsync(Page + "?toimija=loki.b");
        var link = WebUtility.HtmlDecode(CsvLink().Match(html).Groups[1].Value);
        Assert.Contains("toimija=loki.b", link, StringComparison.Ordinal);

        using var response = await admin.Client.GetAsync(new Uri(link, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = new UTF8Encoding(false).GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "time,actor,action,details",
                "2027-01-07T00:30:00+02:00,loki.b,user.created,\"'=HYPERLINK(\"\"http://example.invalid\"\") kattavuus 1000\"",
                "2027-01-06T23:30:00+02:00,loki.b,user.created,\"Käyttäjä kaksi luotiin, kattavuus 100% valmis\"",
                "2027-01-05T09:00:00+02:00,loki.b,user.created,Käyttäjä yksi luotiin",
            ],
            lines);
    }

    [Theory]
    [InlineData("loki.analyst")]
    [InlineData("loki.director")]
    public async Task Analysts_and_directors_are_refused_the_log_and_its_csv(string user)
    {
        using var browser = await Browser.SignedInAsync(factory, user, TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync(Page)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync(Page + "?handler=Csv")).Status);
    }

    private static List<string> Details(string html) =>
        [.. DetailCell().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    /// <summary>The last cell of each row of the events table.</summary>
    [GeneratedRegex(@"<td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td></tr>")]
    private static partial Regex DetailCell();

    [GeneratedRegex(@"<a [^>]*href=""([^""]*sivu=2[^""]*)""")]
    private static partial Regex NextLink();

    [GeneratedRegex(@"href=""([^""]*handler=Csv[^""]*)""")]
    private static partial Regex CsvLink();
}
