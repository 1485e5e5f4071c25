using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;

namespace Arviointi.Web.Tests.Features;

/// <summary>Small things a newcomer meets first: the tab's icon, the job dashboard signed out, and the API's refusals.</summary>
public sealed class NewcomerTests(NewcomerTests.Fixture factory) : IClassFixture<NewcomerTests.Fixture>
{
    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await TestData.UserAsync(this, "newcomer.admin", Roles.Administrator);
            await TestData.UserAsync(this, "newcomer.analyst", Roles.Analyst);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task The_site_has_an_icon_at_favicon_ico()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/favicon.ico", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/x-icon", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, (await response.Content.ReadAsByteArrayAsync())[..4]);
    }

    [Fact]
    public async Task A_signed_out_visitor_to_the_job_dashboard_signs_in_and_arrives_there()
    {
        using var browser = new Browser(factory);
        using var dashboard = await browser.Client.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        var signIn = dashboard.Headers.Location!.PathAndQuery;
        Assert.Equal("/kirjaudu?ReturnUrl=%2Fhangfire", signIn);

        var (_, page) = await browser.GetAsync(signIn);
        Assert.Contains("name=\"ReturnUrl\" value=\"/hangfire\"", page, StringComparison.Ordinal);
        var signedIn = await browser.PostFormFromAsync(page, signIn, new() { ["UserName"] = "newcomer.admin", ["Password"] = TestData.Password, ["ReturnUrl"] = "/hangfire" });

        // An administrator's second step keeps where they were going.
        var second = signedIn.Headers.Location!.OriginalString;
        Assert.Equal("/kirjaudu/kaksivaihe?ReturnUrl=%2Fhangfire", second);
        signedIn = await browser.PostFormAsync(second, second, new() { ["code"] = SecondFactor.Code(SecondFactor.TestKey) });
        Assert.Equal("/hangfire", signedIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hangfire")).Status);
    }

    [Theory]
    [InlineData(null, "/api/rounds/1/results", 401, "Kirjautuminen vaaditaan")]
    [InlineData(null, "/api/rounds/1/aineisto/guardian.zip", 401, "Kirjautuminen vaaditaan")]
    [InlineData("newcomer.analyst", "/api/rounds/1/results", 403, "Ei käyttöoikeutta")]
    [InlineData("newcomer.admin", "/api/rounds/99999/results", 404, "Ei löytynyt")]
    [InlineData("newcomer.admin", "/api/ei-ole", 404, "Ei löytynyt")]
    public async Task The_api_refuses_with_problem_details_in_json_with_a_Finnish_title(string? user, string path, int status, string title)
    {
        using var browser = user is null ? new Browser(factory) : await Browser.SignedInAsync(factory, user, TestData.Password);
        // As a browser asks for it: HTML first. The API answers in JSON all the same.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        using var response = await browser.Client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
    }
}
