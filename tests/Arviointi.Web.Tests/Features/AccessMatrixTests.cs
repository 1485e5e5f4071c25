using System.Net;
using System.Text;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Every endpoint the app maps (read from its own <see cref="EndpointDataSource"/>, so a new page fails here until it is
/// given its expected statuses) against every role and scope: signed out, the coordinator, a director of the unit's
/// municipality and one of another, the unit's leader and an analyst. Each response also carries the security headers.
/// </summary>
public sealed class AccessMatrixTests(AccessMatrixTests.Fixture app) : IClassFixture<AccessMatrixTests.Fixture>
{
    /// <summary>Who asks, in the order of each row's expectations.</summary>
    private static readonly string[] Viewers = ["anonymous", "administrator", "director 398", "director 098", "leader of Lahti A", "analyst"];

    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        internal ClosedRound Data { get; private set; } = null!;

        internal Dictionary<string, Browser> Browsers { get; } = [];

        public async Task InitializeAsync()
        {
            Data = await ClosedRound.CreateAsync(this);
            await TestData.UserAsync(this, "matrix.admin", Roles.Administrator);
            await TestData.UserAsync(this, "matrix.director.lahti", Roles.Director, "398");
            await TestData.UserAsync(this, "matrix.director.hollola", Roles.Director, "098");
            await TestData.UserAsync(this, "matrix.leader", Roles.UnitLeader, "398", Data.LahtiA.Id);
            await TestData.UserAsync(this, "matrix.analyst", Roles.Analyst);
            Browsers["anonymous"] = new Browser(this);
            Browsers["administrator"] = await Browser.SignedInAsync(this, "matrix.admin", TestData.Password);
            Browsers["director 398"] = await Browser.SignedInAsync(this, "matrix.director.lahti", TestData.Password);
            Browsers["director 098"] = await Browser.SignedInAsync(this, "matrix.director.hollola", TestData.Password);
            Browsers["leader of Lahti A"] = await Browser.SignedInAsync(this, "matrix.leader", TestData.Password);
            Browsers["analyst"] = await Browser.SignedInAsync(this, "matrix.analyst", TestData.Password);

            // The quality area of the answered item, for its area chart.
            var (_, json) = await Browsers["administrator"].GetAsync($"/api/rounds/{Data.Round.Id}/results");
            using var document = System.Text.Json.JsonDocument.Parse(json);
            Area = document.RootElement.GetProperty("items").EnumerateArray().First(i => i.GetProperty("item").GetString() == "vk_h_001").GetProperty("area").GetString()!;
        }

        internal string Area { get; private set; } = "";

        Task IAsyncLifetime.DisposeAsync()
        {
            foreach (var browser in Browsers.Values)
            {
                browser.Dispose();
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Each route: the address asked and what each viewer must get — 200, 403, 401, or "→path" for a redirect to that path
    /// (the sign-in page for a signed-out visitor of a staff page).
    /// </summary>
    private Dictionary<string, (string Url, string[] Expected)> Routes()
    {
        var round = app.Data.Round.Id;
        var unit = app.Data.LahtiA.Id;
        const string Login = "→/kirjaudu";
        string[] everyone = ["200", "200", "200", "200", "200", "200"];
        string[] administrators = [Login, "200", "403", "403", "403", "403"];
        string[] results = [Login, "200", "200", "200", "200", "403"];
        string[] signedIn = [Login, "200", "200", "200", "200", "200"];
        string[] analysts = [Login, "200", "403", "403", "403", "200"];
        string[] ownMunicipality = [Login, "200", "200", "403", "403", "403"];
        string[] Redirect(string to) => [.. Enumerable.Repeat("→" + to, 6)];
        return new()
        {
            ["/"] = ("/", everyone),
            ["/aineistot"] = ("/aineistot", analysts),
            ["/hallinta/kayttajat"] = ("/hallinta/kayttajat", administrators),
            ["/hallinta/kierrokset"] = ("/hallinta/kierrokset", administrators),
            ["/hallinta/kyselyt"] = ("/hallinta/kyselyt", administrators),
            ["/hallinta/kyselyt/{id:int}"] = ("/hallinta/kyselyt/1", administrators),
            ["/hallinta/loki"] = ("/hallinta/loki", administrators),
            ["/hallinta/osallistujat"] = ("/hallinta/osallistujat", administrators),
            ["/kirjaudu"] = ("/kirjaudu", everyone),
            ["/kirjaudu-ulos"] = ("/kirjaudu-ulos", Redirect("/")),
            ["/kirjaudu/kaksivaihe"] = ("/kirjaudu/kaksivaihe", Redirect("/kirjaudu")),
            ["/koodit"] = ("/koodit", results),
            ["/tila/{code:int}"] = ("/tila/404", everyone),
            ["/tili"] = ("/tili", signedIn),
            ["/tili/kaksivaihe"] = ("/tili/kaksivaihe", signedIn),
            ["/tili/tunnukset"] = ("/tili/tunnukset", analysts),
            ["/tulokset"] = ("/tulokset", results),
            ["/tulokset/menetelmat"] = ("/tulokset/menetelmat", results),
            ["/tulokset/{roundId:int}"] = ($"/tulokset/{round}", results),
            ["/tulokset/{roundId:int}/avoimet"] = ($"/tulokset/{round}/avoimet", results),
            ["/tulokset/{roundId:int}/kunta/{code}"] = ($"/tulokset/{round}/kunta/398", ownMunicipality),
            ["/tulokset/{roundId:int}/kunta/{code}/raportti.pdf"] = ($"/tulokset/{round}/kunta/398/raportti.pdf", ownMunicipality),
            ["/tulokset/{roundId:int}/kysymys/{group}/{itemId}"] = ($"/tulokset/{round}/kysymys/Guardian/vk_h_001", results),
            ["/tulokset/{roundId:int}/yksikko/{unitId:int}"] = ($"/tulokset/{round}/yksikko/{unit}", [Login, "200", "200", "403", "200", "403"]),
            ["/tulokset/{roundId:int}/kaavio/alue/{group}/{area}.svg"] = ($"/tulokset/{round}/kaavio/alue/Guardian/{app.Area}.svg", results),
            ["/tulokset/{roundId:int}/kaavio/kysymys/{group}/{itemId}/{kind}.svg"] = ($"/tulokset/{round}/kaavio/kysymys/Guardian/vk_h_001/osuudet.svg", results),
            ["/api/rounds/{roundId:int}/results"] = ($"/api/rounds/{round}/results", ["401", "200", "200", "200", "200", "403"]),
            ["/api/rounds/{roundId:int}/results/{code}"] = ($"/api/rounds/{round}/results/398", ["401", "200", "200", "403", "403", "403"]),
            ["/api/rounds/{roundId:int}/aineisto/{group:alpha}.zip"] = ($"/api/rounds/{round}/aineisto/guardian.zip", ["401", "200", "403", "403", "403", "200"]),
            ["/api/rounds/{roundId:int}/aineisto/{group:alpha}-avoimet.zip"] = ($"/api/rounds/{round}/aineisto/guardian-avoimet.zip", ["401", "200", "403", "403", "403", "403"]),
            ["/vastaa"] = ("/vastaa", everyone),
            ["/vastaa/kiitos"] = ("/vastaa/kiitos", everyone),
            ["/vastaa/kysely"] = ("/vastaa/kysely", Redirect("/vastaa")),
            ["/vastaa/seuraava-vastaaja"] = ("/vastaa/seuraava-vastaaja", Redirect("/vastaa")),
            ["/vastaa/yhteenveto"] = ("/vastaa/yhteenveto", Redirect("/vastaa")),
            ["/vastausaste"] = ("/vastausaste", results),
            ["/virhe"] = ("/virhe", everyone),
            ["/vuosikello"] = ("/vuosikello", results),
            ["/kieli/{language}"] = ("/kieli/sv", Redirect("/")),
            ["/health"] = ("/health", everyone),
            ["/hangfire/{**path}"] = ("/hangfire", administrators),
            ["/hallinta/yksikot"] = ("/hallinta/yksikot", administrators),
            ["/salasana/unohtunut"] = ("/salasana/unohtunut", everyone),
            ["/salasana/kutsu"] = ("/salasana/kutsu?kayttaja=x&koodi=y", [.. Enumerable.Repeat("400", 6)]),
            ["/salasana/uusi"] = ("/salasana/uusi?kayttaja=x&koodi=y", [.. Enumerable.Repeat("400", 6)]),
            ["/kirjaudu/ulkoinen/{handler?}"] = ("/kirjaudu/ulkoinen", Redirect("/kirjaudu")),
        };
    }

    [Fact]
    public async Task Every_endpoint_answers_every_role_and_scope_as_it_must_with_the_security_headers()
    {
        var routes = Routes();
        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").Trim('/'))
            .Distinct()
            .ToList();
        var unclassified = mapped.Where(p => !routes.ContainsKey(p)).ToList();
        Assert.True(unclassified.Count == 0, "Routes without expected statuses (add them to the table): " + string.Join(", ", unclassified));

        var wrong = new StringBuilder();
        var cells = 0;
        foreach (var pattern in mapped)
        {
            var (url, expected) = routes[pattern];
            for (var v = 0; v < Viewers.Length; v++)
            {
                using var response = await app.Browsers[Viewers[v]].Client.GetAsync(new Uri(url, UriKind.Relative));
                cells++;
                var actual = response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found
                    ? "→" + (response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.AbsolutePath : response.Headers.Location.OriginalString.Split('?')[0])
                    : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (actual != expected[v])
                {
                    wrong.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{url} as {Viewers[v]}: {actual}, expected {expected[v]}");
                }

                foreach (var problem in HeaderProblems(response, url))
                {
                    wrong.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{url} as {Viewers[v]}: {problem}");
                }
            }
        }

        Assert.True(wrong.Length == 0, $"{cells} cells asked:\n{wrong}");
        Assert.True(cells >= 40 * Viewers.Length, $"Only {cells} cells asked.");
    }

    [Fact]
    public async Task A_static_file_may_be_cached_but_carries_the_same_headers()
    {
        using var response = await app.Browsers["anonymous"].Client.GetAsync(new Uri("/css/site.css", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(HeaderProblems(response, "/css/site.css", staticFile: true));
        Assert.NotEqual("no-store", response.Headers.CacheControl?.ToString());
    }

    /// <summary>What is missing or wrong in a response's security headers (docs/security.md).</summary>
    internal static IEnumerable<string> HeaderProblems(HttpResponseMessage response, string url, bool staticFile = false)
    {
        string? Header(string name) =>
            response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
            : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : null;

        var csp = Header("Content-Security-Policy");
        if (csp is null)
        {
            yield return "no Content-Security-Policy";
        }
        else
        {
            var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
            if (!directives.TryGetValue("frame-ancestors", out var frames) || frames != "frame-ancestors 'none'")
            {
                yield return "CSP lets other sites frame the page";
            }

            if (!url.StartsWith("/hangfire", StringComparison.Ordinal)
                && (!directives.TryGetValue("script-src", out var scripts) || scripts.Contains("unsafe-inline", StringComparison.Ordinal)))
            {
                yield return "CSP allows inline script";
            }

            if (!directives.ContainsKey("default-src") || !directives.ContainsKey("form-action") || !directives.ContainsKey("object-src"))
            {
                yield return "CSP lacks default-src, form-action or object-src";
            }
        }

        if (Header("X-Content-Type-Options") != "nosniff")
        {
            yield return "no X-Content-Type-Options: nosniff";
        }

        if (Header("Referrer-Policy") != "no-referrer")
        {
            yield return "no Referrer-Policy: no-referrer";
        }

        if (Header("Permissions-Policy") is not { } permissions || !permissions.Contains("camera=()", StringComparison.Ordinal))
        {
            yield return "no Permissions-Policy";
        }

        if (Header("Server") is { } server)
        {
            yield return $"Server header {server}";
        }

        if (!staticFile && response.Headers.CacheControl?.NoStore != true)
        {
            yield return $"Cache-Control {response.Headers.CacheControl} instead of no-store";
        }
    }
}
