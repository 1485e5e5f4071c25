using System.Data.Common;
using System.Net;
using System.Text.RegularExpressions;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// Sends under contention and storage that fails at a send: a code is used exactly as often as it allows however many
/// send it at once, and a locked or full database tells the respondent to try again in their language, writes nothing
/// half-way and keeps their draft.
/// </summary>
public sealed partial class AnsweringFaultTests(AnsweringFaultTests.Factory factory) : IClassFixture<AnsweringFaultTests.Factory>
{
    /// <summary>A short lock timeout (the default is 10 s), room for a hundred starts of one code, and a switch that makes every connection's file full.</summary>
    public sealed class Factory : ArviointiFactory
    {
        public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(1);

        internal DiskFull Disk { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Database:BusyTimeout", BusyTimeout.ToString());

            // A hundred browsers start the same code within the test's frozen minute (the product allows 60 a minute).
            builder.UseSetting("Answering:Guessing:EntriesPerCodePerMinute", "1000");
            builder.ConfigureServices(services => services.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(Disk)));
        }
    }

    /// <summary>While <see cref="Full"/>, a connection may not grow the file by a page (SQLite's <c>max_page_count</c>).</summary>
    internal sealed class DiskFull : DbConnectionInterceptor
    {
        public volatile bool Full;

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA page_count";
            var pages = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            command.CommandText = $"PRAGMA max_page_count = {(Full ? pages : 1_073_741_823)}";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
            ConnectionOpenedAsync(connection, eventData).GetAwaiter().GetResult();
    }

    /// <summary>A personal code (one use) and a group code of thirty, each sent by a hundred browsers at once.</summary>
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 30)]
    public async Task A_hundred_sends_at_once_with_one_code_store_exactly_as_many_as_it_allows(bool groupCode, int uses)
    {
        var (round, unit) = await RoundAsync();
        var code = await factory.WithScopeAsync(async services => (await services.GetRequiredService<RoundAdmin>()
            .IssueCodesAsync(new CodeOrder(round.Id, unit.Id, RespondentGroup.Guardian, 1, groupCode ? AccessCodeKind.Group : AccessCodeKind.Personal, uses), "testi"))[0]);

        var sent = await SendAtOnceAsync(code, 100);

        Assert.All(sent, s => Assert.Equal(HttpStatusCode.Redirect, s.Status));
        Assert.Equal(uses, sent.Count(s => s.Location == "/vastaa/kiitos"));
        Assert.Equal(100 - uses, sent.Count(s => s.Location == "/vastaa/kiitos?tila=kaytetty"));
        Assert.Equal(uses, await TestData.ResponseCountAsync(factory, round.Id));
        await using var db = factory.CreateDbContext();
        Assert.Equal(uses, (await db.AccessCodes.SingleAsync(c => c.RoundId == round.Id)).Uses);
    }

    [Fact]
    public async Task A_database_locked_past_the_timeout_at_a_send_asks_to_try_again_in_Finnish_and_keeps_the_draft()
    {
        var (round, unit) = await RoundAsync();
        using var respondent = await ReadyToSendAsync(round, unit);

        await using (var lockHolder = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=false"))
        {
            await lockHolder.OpenAsync();
            await using var begin = lockHolder.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();

            var started = System.Diagnostics.Stopwatch.StartNew();
            var refused = await respondent.SendAsync();
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(started.Elapsed >= Factory.BusyTimeout, $"The send gave up after {started.Elapsed}, before the lock timeout");
            Assert.True(started.Elapsed < Factory.BusyTimeout * 10, $"The send waited {started.Elapsed} for a lock timeout of {Factory.BusyTimeout}");
            Assert.Contains(StorageUnavailableException.RespondentText, html, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);

            // A page saved meanwhile is refused the same way, and the page shows what was posted.
            var page = await respondent.PostPageAsync(4, [new("a_vk_h_001", "2")]);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Matches("name=\"a_vk_h_001\" value=\"2\" checked=\"checked\"", await page.Content.ReadAsStringAsync());
        }

        await AssertNothingWrittenAsync(round);
        await AssertDraftKeptThenSentAsync(respondent, round);
    }

    [Fact]
    public async Task A_full_disk_at_a_send_asks_to_try_again_in_the_respondents_language_and_keeps_the_draft()
    {
        var (round, unit) = await RoundAsync();
        using var respondent = await ReadyToSendAsync(round, unit);

        // No free pages left inside the file either: every page the send needs would grow it.
        await using (var vacuum = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=false"))
        {
            await vacuum.OpenAsync();
            await using var command = vacuum.CreateCommand();
            command.CommandText = "VACUUM";
            await command.ExecuteNonQueryAsync();
        }

        factory.Disk.Full = true;
        HttpResponseMessage refused;
        try
        {
            var (_, review) = await respondent.Browser.GetAsync("/vastaa/yhteenveto?culture=sv&ui-culture=sv");
            refused = await respondent.Browser.PostFormFromAsync(review, "/vastaa/yhteenveto?culture=sv&ui-culture=sv", []);
        }
        finally
        {
            factory.Disk.Full = false;
        }

        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("Det gick inte att spara just nu.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        await AssertNothingWrittenAsync(round);
        await AssertDraftKeptThenSentAsync(respondent, round);
    }

    private async Task<(EvaluationRound Round, Unit Unit)> RoundAsync()
    {
        var unit = await TestData.UnitAsync(factory, "398", $"Päiväkoti {Guid.NewGuid():n}");
        return (await TestData.OpenRoundAsync(factory), unit);
    }

    /// <summary>A respondent with a code, an answered first page and the review open.</summary>
    private async Task<Respondent> ReadyToSendAsync(EvaluationRound round, Unit unit)
    {
        var code = (await TestData.CodesAsync(factory, round.Id, unit.Id, 1))[0];
        var respondent = new Respondent(factory);
        await respondent.EnterAsync(code);
        Assert.Equal(HttpStatusCode.Redirect, (await respondent.PostPageAsync(1, [new("a_vk_h_age_band", "3-5")])).StatusCode);
        return respondent;
    }

    /// <summary><paramref name="count"/> browsers enter the same code, answer the first page, then all send together.</summary>
    private async Task<List<(HttpStatusCode Status, string? Location)>> SendAtOnceAsync(string code, int count)
    {
        var respondents = Enumerable.Range(0, count).Select(_ => new Respondent(factory)).ToList();
        try
        {
            // Getting ready goes ten browsers at a time (only the sends must be at once).
            var reviews = new List<string>();
            foreach (var ten in respondents.Chunk(10))
            {
                reviews.AddRange(await Task.WhenAll(ten.Select(async respondent =>
                {
                    Assert.Equal("/vastaa/kysely", (await respondent.EnterAsync(code)).Headers.Location?.OriginalString);
                    await respondent.PostPageAsync(1, [new("a_vk_h_age_band", "0-2")]);
                    return (await respondent.Browser.GetAsync("/vastaa/yhteenveto")).Html;
                })));
            }

            var sent = await Task.WhenAll(respondents.Select((r, i) => Task.Run(() => r.Browser.PostFormFromAsync(reviews[i], "/vastaa/yhteenveto", []))));
            return sent.Select(s => (s.StatusCode, s.Headers.Location?.OriginalString)).ToList();
        }
        finally
        {
            respondents.ForEach(r => r.Dispose());
        }
    }

    private async Task AssertNothingWrittenAsync(EvaluationRound round)
    {
        await using var db = factory.CreateDbContext();
        Assert.Equal(0, (await db.AccessCodes.SingleAsync(c => c.RoundId == round.Id)).Uses);
        Assert.Equal(0, await db.Submissions.CountAsync(s => s.RoundId == round.Id));
        Assert.Equal(0, await TestData.ResponseCountAsync(factory, round.Id));
    }

    /// <summary>Once storage works again the review still shows the first page's answer, and the same send goes through once.</summary>
    private async Task AssertDraftKeptThenSentAsync(Respondent respondent, EvaluationRound round)
    {
        var (status, first, _, _) = await respondent.PageAsync(1);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Matches(KeptAnswer(), first);
        await respondent.Browser.GetAsync("/vastaa/yhteenveto?culture=fi&ui-culture=fi");
        var sent = await respondent.SendAsync();
        Assert.Equal("/vastaa/kiitos", sent.Headers.Location?.OriginalString);
        Assert.Equal(1, await TestData.ResponseCountAsync(factory, round.Id));
    }

    [GeneratedRegex("name=\"a_vk_h_age_band\" value=\"3-5\" checked=\"checked\"")]
    private static partial Regex KeptAnswer();
}
