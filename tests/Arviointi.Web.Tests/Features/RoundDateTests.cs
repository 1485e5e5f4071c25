using System.Net;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Tests.Features;

/// <summary>A time that does not exist in Finland, or one far off, is refused in Finnish on the round forms, and no round is made.</summary>
public sealed class RoundDateTests(ArviointiFactory factory) : IClassFixture<ArviointiFactory>
{
    private static int users;

    [Theory]
    [InlineData("Create", "2028-03-26T03:30", "2028-04-20T16:00", "kellonaikaa 26.3.2028 3.30 ei ole Suomen ajassa")]
    [InlineData("Cycle", "2028-01-17T08:00", "2028-03-26T03:00", "kellonaikaa 26.3.2028 3.00 ei ole Suomen ajassa")]
    [InlineData("Create", "1900-01-01T00:00", "2028-02-18T16:00", "päivämäärän pitää olla vuosien 2000 ja 2100 välillä")]
    [InlineData("Cycle", "2028-01-17T08:00", "9999-12-31T23:59", "päivämäärän pitää olla vuosien 2000 ja 2100 välillä")]
    [InlineData("Create", "ei päivä", "2028-02-18T16:00", "anna päivämäärä ja kellonaika")]
    public async Task An_unrepresentable_time_is_refused_in_Finnish_and_makes_no_round(string handler, string opens, string closes, string message)
    {
        var name = $"paivat.{Interlocked.Increment(ref users)}";
        await TestData.UserAsync(factory, name, Roles.Administrator);
        using var admin = await Browser.SignedInAsync(factory, name, TestData.Password);
        await using var before = factory.CreateDbContext();
        var rounds = await before.Rounds.CountAsync();
        using var response = await admin.PostFormAsync("/hallinta/kierrokset", $"/hallinta/kierrokset?handler={handler}", new()
        {
            ["Year"] = "2028", ["Sector"] = "Ecec", ["FocusTheme"] = "Kello", ["OpensLocal"] = opens, ["ClosesLocal"] = closes, ["RetentionMonths"] = "14",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var after = factory.CreateDbContext();
        Assert.Equal(rounds, await after.Rounds.CountAsync());
    }

    [Fact]
    public async Task Extending_to_a_nonexistent_time_is_refused()
    {
        await TestData.UserAsync(factory, "paivat.jatko", Roles.Administrator);
        using var admin = await Browser.SignedInAsync(factory, "paivat.jatko", TestData.Password);
        using var response = await admin.PostFormAsync("/hallinta/kierrokset", "/hallinta/kierrokset?handler=Extend", new()
        {
            ["roundId"] = "1", ["closesLocal"] = "2027-03-28T03:15",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("kellonaikaa 28.3.2027 3.15 ei ole Suomen ajassa", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
