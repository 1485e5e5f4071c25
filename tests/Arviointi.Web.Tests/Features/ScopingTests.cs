using System.Net;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;

namespace Arviointi.Web.Tests.Features;

/// <summary>Role scoping is enforced on the server for every page and endpoint, whatever the links show.</summary>
public sealed class ScopingTests(ScopingTests.Fixture factory) : IClassFixture<ScopingTests.Fixture>
{
    private ClosedRound Data => factory.Data;

    /// <summary>A closed round and one user per role, made once for the class.</summary>
    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        internal ClosedRound Data { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Data = await ClosedRound.CreateAsync(this);
            await TestData.UserAsync(this, "scope.admin", Roles.Administrator);
            await TestData.UserAsync(this, "scope.director.lahti", Roles.Director, "398");
            await TestData.UserAsync(this, "scope.leader.a", Roles.UnitLeader, "398", Data.LahtiA.Id);
            await TestData.UserAsync(this, "scope.analyst", Roles.Analyst);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task A_director_gets_403_for_another_municipalitys_unit_and_unit_breakdown_but_sees_her_own()
    {
        using var director = await Browser.SignedInAsync(factory, "scope.director.lahti", TestData.Password);
        var id = Data.Round.Id;

        var (otherUnit, html) = await director.GetAsync($"/tulokset/{id}/yksikko/{Data.Hollola.Id}");
        Assert.Equal(HttpStatusCode.Forbidden, otherUnit);
        Assert.Contains("Ei käyttöoikeutta", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Data.Hollola.Name, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await director.GetAsync($"/tulokset/{id}/kunta/098")).Status);

        Assert.Equal(HttpStatusCode.OK, (await director.GetAsync($"/tulokset/{id}/yksikko/{Data.LahtiA.Id}")).Status);
        var (own, ownHtml) = await director.GetAsync($"/tulokset/{id}/kunta/398");
        Assert.Equal(HttpStatusCode.OK, own);
        Assert.Contains(Data.LahtiB.Name, ownHtml, StringComparison.Ordinal);

        // All municipalities side by side at municipality level.
        var comparison = await TestData.DetailsAsync(director, $"/tulokset/{id}");
        Assert.Contains(">Hollola<", comparison, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unit_leader_sees_only_the_own_unit_the_own_municipality_and_the_region()
    {
        using var leader = await Browser.SignedInAsync(factory, "scope.leader.a", TestData.Password);
        var id = Data.Round.Id;

        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"/tulokset/{id}/yksikko/{Data.LahtiA.Id}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync($"/tulokset/{id}/yksikko/{Data.LahtiB.Id}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync($"/tulokset/{id}/kunta/398")).Status);
        var comparison = await TestData.DetailsAsync(leader, $"/tulokset/{id}");
        Assert.Contains(">Lahti<", comparison, StringComparison.Ordinal);
        Assert.DoesNotContain(">Hollola<", comparison, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_analyst_downloads_data_but_reads_no_result_pages_and_administers_nothing()
    {
        using var analyst = await Browser.SignedInAsync(factory, "scope.analyst", TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync($"/tulokset/{Data.Round.Id}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/hallinta/kierrokset")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/hangfire")).Status);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"/api/rounds/{Data.Round.Id}/aineisto/guardian.zip")).Status);
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_and_the_api_answers_401()
    {
        using var anonymous = new Browser(factory);
        using var page = await anonymous.Client.GetAsync(new Uri($"/tulokset/{Data.Round.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("http://localhost/kirjaudu", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/rounds/{Data.Round.Id}/aineisto/guardian.zip")).Status);
        using var dashboard = await anonymous.Client.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.Equal("/kirjaudu?ReturnUrl=%2Fhangfire", dashboard.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_job_dashboard_is_for_administrators()
    {
        using var admin = await Browser.SignedInAsync(factory, "scope.admin", TestData.Password);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire")).Status);
        using var director = await Browser.SignedInAsync(factory, "scope.director.lahti", TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await director.GetAsync("/hangfire")).Status);
    }
}
