using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Tokens;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Personal API tokens: made on the page and shown once, stored as a hash, listed and revoked by their owner and by
/// administrators; as a bearer token they download the export and nothing else, and an expired, revoked or refused
/// token gets 401 problem details and an audit row without the token.
/// </summary>
public sealed partial class ApiTokenTests(ApiTokenTests.Fixture factory) : IClassFixture<ApiTokenTests.Fixture>
{
    private const string Page = "/tili/tunnukset";

    /// <summary>A closed round and users of each role, made once for the class.</summary>
    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        internal ClosedRound Data { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Data = await ClosedRound.CreateAsync(this);
            await TestData.UserAsync(this, "token.admin", Roles.Administrator);
            await TestData.UserAsync(this, "token.analyst", Roles.Analyst);
            await TestData.UserAsync(this, "token.analyst2", Roles.Analyst);
            await TestData.UserAsync(this, "token.director", Roles.Director, "398");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private string Export => $"/api/rounds/{factory.Data.Round.Id}/aineisto/guardian.zip";

    [Fact]
    public async Task A_token_made_on_the_page_is_shown_once_stored_only_as_its_hash_and_listed_to_its_owner_alone()
    {
        using var analyst = await Browser.SignedInAsync(factory, "token.analyst", TestData.Password);
        using var created = await analyst.PostFormAsync(Page, Page + "?handler=Create", new() { ["Name"] = "R-skripti", ["Days"] = "30" });
        var html = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.True(created.Headers.CacheControl?.NoStore);
        var token = TokenPattern().Match(html).Value;
        Assert.Matches("^arv_[A-Za-z0-9_-]{43}$", token);

        await using (var db = factory.CreateDbContext())
        {
            var row = await db.ApiTokens.SingleAsync(t => t.Name == "R-skripti");
            Assert.Equal(ApiTokens.HashOf(token), row.Hash);
            Assert.Equal(token[..12], row.Prefix);
            Assert.Equal(factory.Clock.GetUtcNow().AddDays(30), row.ExpiresAt);
            Assert.Null(row.LastUsedAt);
            var audit = await db.AuditEvents.SingleAsync(a => a.Action == "token.created" && a.Details.Contains(row.Prefix));
            Assert.Equal("token.analyst", audit.Actor);
        }

        // Nowhere in the database file or its log: only the hash is written.
        Assert.DoesNotContain(token, ReadShared(factory.DatabasePath) + ReadShared(factory.DatabasePath + "-wal"), StringComparison.Ordinal);

        var (_, again) = await analyst.GetAsync(Page);
        Assert.DoesNotContain(token, again, StringComparison.Ordinal);
        Assert.Contains(token[..12] + "…", again, StringComparison.Ordinal);
        Assert.Contains("R-skripti", again, StringComparison.Ordinal);

        using var other = await Browser.SignedInAsync(factory, "token.analyst2", TestData.Password);
        var (_, othersPage) = await other.GetAsync(Page);
        Assert.DoesNotContain("R-skripti", othersPage, StringComparison.Ordinal);

        using var refused = await analyst.PostFormAsync(Page, Page + "?handler=Create", new() { ["Name"] = "liian pitkä", ["Days"] = "366" });
        Assert.Contains("Voimassaolo on 1–365 päivää.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var director = await Browser.SignedInAsync(factory, "token.director", TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await director.GetAsync(Page)).Status);
    }

    [Fact]
    public async Task A_bearer_token_downloads_the_export_as_its_owner_and_its_last_use_is_recorded()
    {
        var token = await Tokens.CreateAsync(factory, "token.analyst");
        using var client = Tokens.Client(factory, token);
        using var response = await client.GetAsync(new Uri(Export, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("PK"u8.ToArray(), (await response.Content.ReadAsByteArrayAsync())[..2]);

        await using var db = factory.CreateDbContext();
        var hash = ApiTokens.HashOf(token);
        Assert.Equal(factory.Clock.GetUtcNow(), (await db.ApiTokens.SingleAsync(t => t.Hash == hash)).LastUsedAt);
        Assert.Contains(await db.AuditEvents.Where(a => a.Action == "export.dataset").Select(a => a.Actor).ToListAsync(), a => a == "token.analyst");
    }

    [Fact]
    public async Task A_token_signs_in_to_no_page_and_no_other_api()
    {
        var token = await Tokens.CreateAsync(factory, "token.admin");
        using var client = Tokens.Client(factory, token);
        foreach (var page in (string[])["/aineistot", Page, "/hallinta/kayttajat", "/hallinta/loki"])
        {
            using var response = await client.GetAsync(new Uri(page, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/kirjaudu", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        using var results = await client.GetAsync(new Uri($"/api/rounds/{factory.Data.Round.Id}/results", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, results.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(Export, UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task An_expired_revoked_or_unknown_token_gets_401_problem_details_and_is_audited_without_the_token()
    {
        var expiring = await Tokens.CreateAsync(factory, "token.analyst2", days: 1);
        var revoked = await Tokens.CreateAsync(factory, "token.analyst2");
        Assert.True(await factory.WithScopeAsync(async s =>
        {
            var hash = ApiTokens.HashOf(revoked);
            var id = await s.GetRequiredService<Arviointi.Web.Data.AppDbContext>().ApiTokens.Where(t => t.Hash == hash).Select(t => t.Id).SingleAsync();
            return await s.GetRequiredService<ApiTokens>().RevokeAsync(id, null, "token.analyst2", CancellationToken.None);
        }));

        using (var client = Tokens.Client(factory, expiring))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(Export, UriKind.Relative))).StatusCode);
        }

        factory.Clock.Advance(TimeSpan.FromDays(1));
        var unknown = ApiTokens.Marker + new string('A', 43);
        foreach (var (token, detail) in new[] { (expiring, "vanhentunut"), (revoked, "peruttu"), (unknown, "ei tunnistettu"), ("not-a-token", "ei tunnistettu") })
        {
            using var client = Tokens.Client(factory, token);
            using var response = await client.GetAsync(new Uri(Export, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await using var db = factory.CreateDbContext();
        var refusals = await db.AuditEvents.Where(a => a.Action == "token.refused").ToListAsync();
        Assert.Contains(refusals, a => a.Actor == "token.analyst2" && a.Details.Contains(expiring[..12] + " (testi) hylättiin: API-tunnus on vanhentunut", StringComparison.Ordinal));
        Assert.Contains(refusals, a => a.Actor == "token.analyst2" && a.Details.Contains(revoked[..12], StringComparison.Ordinal) && a.Details.Contains("peruttu", StringComparison.Ordinal));
        Assert.Contains(refusals, a => a.Actor == "?" && a.Details.StartsWith("Tuntematon API-tunnus hylättiin", StringComparison.Ordinal));
        Assert.All(refusals, a => Assert.False(a.Details.Contains(expiring, StringComparison.Ordinal) || a.Details.Contains(revoked, StringComparison.Ordinal) || a.Details.Contains(unknown[..12], StringComparison.Ordinal)));
        Assert.Contains(await db.AuditEvents.Where(a => a.Action == "token.revoked").Select(a => a.Details).ToListAsync(), d => d.Contains(revoked[..12], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Directors_are_refused_the_export_with_cookie_or_token_and_a_lost_role_or_a_lockout_ends_a_token()
    {
        using (var director = await Browser.SignedInAsync(factory, "token.director", TestData.Password))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await director.GetAsync(Export)).Status);
        }

        await TestData.UserAsync(factory, "token.former.analyst", Roles.Analyst);
        var token = await Tokens.CreateAsync(factory, "token.former.analyst");
        using var client = Tokens.Client(factory, token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(Export, UriKind.Relative))).StatusCode);

        // The analyst becomes a director: the token is the director's now, and directors do not download respondent data.
        await factory.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
            var user = (await users.FindByNameAsync("token.former.analyst"))!;
            Assert.True((await users.RemoveFromRoleAsync(user, Roles.Analyst)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Director)).Succeeded);
            return 0;
        });
        using (var forbidden = await client.GetAsync(new Uri(Export, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        }

        await TestData.UserAsync(factory, "token.locked", Roles.Analyst);
        var locked = await Tokens.CreateAsync(factory, "token.locked");
        Assert.True(await factory.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
            return (await users.SetLockoutEndDateAsync((await users.FindByNameAsync("token.locked"))!, factory.Clock.GetUtcNow().AddHours(1))).Succeeded;
        }));
        using var lockedClient = Tokens.Client(factory, locked);
        using var lockedOut = await lockedClient.GetAsync(new Uri(Export, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, lockedOut.StatusCode);
        Assert.Contains("lukittu", await lockedOut.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_lists_and_revokes_anyones_token_and_an_analyst_cannot_revoke_anothers()
    {
        await TestData.UserAsync(factory, "token.owner", Roles.Analyst);
        var token = await Tokens.CreateAsync(factory, "token.owner");
        int id;
        await using (var db = factory.CreateDbContext())
        {
            var hash = ApiTokens.HashOf(token);
            id = await db.ApiTokens.Where(t => t.Hash == hash).Select(t => t.Id).SingleAsync();
        }

        using (var other = await Browser.SignedInAsync(factory, "token.analyst2", TestData.Password))
        {
            using var refused = await other.PostFormAsync(Page, Page + "?handler=Revoke", new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using var admin = await Browser.SignedInAsync(factory, "token.admin", TestData.Password);
        var (_, list) = await admin.GetAsync(Page);
        Assert.Contains("token.owner", list, StringComparison.Ordinal);
        Assert.Contains(token[..12], list, StringComparison.Ordinal);
        using var revoked = await admin.PostFormAsync(Page, Page + "?handler=Revoke", new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Contains("Tunnus peruttiin.", await revoked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(factory.Clock.GetUtcNow(), (await db.ApiTokens.SingleAsync(t => t.Id == id)).RevokedAt);
            Assert.Contains(await db.AuditEvents.Where(a => a.Action == "token.revoked" && a.Actor == "token.admin").Select(a => a.Details).ToListAsync(), d => d.Contains("token.owner", StringComparison.Ordinal));
        }

        using var client = Tokens.Client(factory, token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri(Export, UriKind.Relative))).StatusCode);
    }

    /// <summary>A file SQLite holds open, read as another reader may; empty if it does not exist.</summary>
    private static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        return reader.ReadToEnd();
    }

    [GeneratedRegex("arv_[A-Za-z0-9_-]{43}")]
    private static partial Regex TokenPattern();
}
