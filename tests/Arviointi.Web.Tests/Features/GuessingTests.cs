using System.Diagnostics;
using System.Net;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Guessing codes is slowed per source, without ever locking out a class that answers together from one school
/// address: in the test host every request comes from the same (unknown) address, like a school behind one router.
/// </summary>
public sealed class GuessingTests(GuessingTests.Factory factory) : IClassFixture<GuessingTests.Factory>
{
    public sealed class Factory : ArviointiFactory
    {
        public static readonly TimeSpan SlowDelay = TimeSpan.FromMilliseconds(400);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Answering:Guessing:SlowDelay", SlowDelay.ToString());
        }
    }

    [Fact]
    public async Task Thirty_pupils_behind_one_address_start_at_once_then_a_guesser_there_is_slowed_but_nobody_is_locked_out()
    {
        var unit = await TestData.UnitAsync(factory, "316", "Kärkölän testikoulu");
        var round = await TestData.OpenRoundAsync(factory);
        var codes = await TestData.CodesAsync(factory, round.Id, unit.Id, 31);

        var respondents = codes.Take(30).Select(_ => new Respondent(factory)).ToList();
        var entered = await Task.WhenAll(respondents.Select((r, i) => r.EnterAsync(codes[i])));
        Assert.All(entered, e => Assert.Equal("/vastaa/kysely", e.Headers.Location?.OriginalString));

        // Thirty wrong codes go through at full speed; from then on the address's tries queue up, one a pause apart.
        using var guesser = new Respondent(factory);
        for (var i = 0; i < 30; i++)
        {
            var wrong = await guesser.EnterAsync(AccessCodes.Generate());
            Assert.Contains("Koodia ei löytynyt.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var watch = Stopwatch.StartNew();
        await guesser.EnterAsync(AccessCodes.Generate());
        Assert.True(watch.Elapsed >= Factory.SlowDelay * 0.9, $"The 31st wrong code took only {watch.Elapsed}");

        // The last pupil still gets in, only a moment later.
        using var late = new Respondent(factory);
        Assert.Equal("/vastaa/kysely", (await late.EnterAsync(codes[30])).Headers.Location?.OriginalString);
        respondents.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task Slowing_ends_when_the_wrong_tries_fall_out_of_the_window()
    {
        var guard = factory.Services.GetRequiredService<GuessGuard>();
        var source = new DefaultHttpContext();
        source.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.10");
        for (var i = 0; i < 30; i++)
        {
            guard.RecordFailure(source);
        }

        var watch = Stopwatch.StartNew();
        using (await guard.EnterAsync(source, CancellationToken.None))
        {
            Assert.True(watch.Elapsed >= Factory.SlowDelay * 0.9, $"Waited only {watch.Elapsed}");
        }

        factory.Clock.Advance(TimeSpan.FromMinutes(11));
        var other = new DefaultHttpContext();
        other.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.11");
        using (await guard.EnterAsync(other, CancellationToken.None))
        {
        }

        // The same address again: its failures are older than the window now, so no turn to wait for.
        var lease = guard.EnterAsync(source, CancellationToken.None);
        Assert.True(lease.IsCompletedSuccessfully);
        (await lease).Dispose();
    }

    [Fact]
    public async Task A_group_code_serves_a_class_at_once_but_not_an_endless_stream()
    {
        factory.Clock.Advance(TimeSpan.FromMinutes(11)); // wrong codes of the other tests here are past
        var unit = await TestData.UnitAsync(factory, "576", "Padasjoen testikoulu");
        var round = await TestData.OpenRoundAsync(factory);
        var code = AccessCodes.Generate();
        await using (var db = factory.CreateDbContext())
        {
            db.AccessCodes.Add(new AccessCode { RoundId = round.Id, UnitId = unit.Id, Group = Arviointi.Surveys.RespondentGroup.Guardian, Kind = AccessCodeKind.Group, Hash = factory.Services.GetRequiredService<AnsweringKeys>().HashCode(code), MaxUses = 500 });
            await db.SaveChangesAsync();
        }

        var starts = new List<string?>();
        for (var i = 0; i < 61; i++)
        {
            using var pupil = new Respondent(factory);
            var entered = await pupil.EnterAsync(code);
            starts.Add(entered.StatusCode == HttpStatusCode.Redirect ? "ok" : await entered.Content.ReadAsStringAsync());
        }

        Assert.Equal(60, starts.Count(s => s == "ok"));
        Assert.Contains("Tällä koodilla aloitetaan juuri nyt hyvin monta vastausta.", starts[^1], StringComparison.Ordinal);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        using var next = new Respondent(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await next.EnterAsync(code)).StatusCode);
    }
}
