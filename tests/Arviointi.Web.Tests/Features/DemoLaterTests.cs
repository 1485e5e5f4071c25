using System.Globalization;
using System.Net;
using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Demo;
using Arviointi.Web.Features.Notifications;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Arviointi.Web.Tests.Features;

/// <summary>A demo made two years after the usual test day: its dates follow the day it is made, so it is as whole as ever.</summary>
public sealed class DemoLaterTests(DemoLaterTests.LaterDemoFactory factory) : IClassFixture<DemoLaterTests.LaterDemoFactory>
{
    /// <summary>10 January 2029, 09:00 in Helsinki: two years after the clock of the other tests.</summary>
    public static readonly DateTimeOffset Later = new(2029, 1, 10, 7, 0, 0, TimeSpan.Zero);

    public sealed class LaterDemoFactory() : ArviointiFactory(NewFolder(), new FakeTimeProvider(Later))
    {
        protected override bool SeedDemo => true;
    }

    [Theory]
    [InlineData("2026-12-02", 2027, 2026, 2024)]
    [InlineData("2027-01-10", 2027, 2026, 2024)]
    [InlineData("2027-04-14", 2027, 2026, 2024)]
    [InlineData("2027-10-01", 2029, 2026, 2024)]
    [InlineData("2028-04-16", 2029, 2028, 2026)]
    [InlineData("2029-01-10", 2029, 2028, 2026)]
    [InlineData("2033-06-30", 2033, 2032, 2030)]
    public void The_demo_years_follow_the_day_it_is_made(string day, int open, int published, int earlier)
    {
        var now = new DateTimeOffset(DateTime.Parse(day, CultureInfo.InvariantCulture), TimeSpan.Zero).AddHours(10);
        Assert.Equal(new DemoYears(open, published, earlier), DemoYears.For(now, Library()));
    }

    [Fact]
    public void On_any_day_of_ten_years_the_demo_has_an_open_ecec_year_and_a_published_basic_year()
    {
        var library = Library();
        for (var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero); now.Year < 2036; now = now.AddDays(1))
        {
            var years = DemoYears.For(now, library);
            Assert.Equal(Sector.Ecec, library.SectorOf(years.Open));
            Assert.Equal(Sector.Basic, library.SectorOf(years.Published));
            Assert.Equal(Sector.Basic, library.SectorOf(years.Earlier));
            Assert.True(DemoYears.PublishAt(years.Published) <= now, $"{now:d}: {years.Published} is not yet published");
            Assert.InRange(years.Open - years.Published, 1, 3);
            Assert.True(years.Earlier < years.Published);
        }
    }

    [Fact]
    public void A_year_past_the_cycle_takes_the_surveys_and_theme_of_the_latest_year_of_its_sector()
    {
        var library = Library();
        Assert.Equal(2027, DemoYears.ContentYear(2027, library));
        Assert.Equal(2024, DemoYears.ContentYear(2024, library));
        Assert.Equal(2027, DemoYears.ContentYear(2029, library));
        Assert.Equal(2028, DemoYears.ContentYear(2030, library));
    }

    [Fact]
    public async Task Made_two_years_on_the_demo_has_a_published_round_with_its_raw_data_and_an_open_round()
    {
        var now = factory.Clock.GetUtcNow();
        await using (var db = factory.CreateDbContext())
        {
            var rounds = await db.Rounds.AsNoTracking().OrderBy(r => r.Year).ToListAsync();
            Assert.Equal([(2026, Sector.Basic, RoundState.RawDataDeleted), (2028, Sector.Basic, RoundState.Published), (2029, Sector.Ecec, RoundState.Open)], rounds.Select(r => (r.Year, r.Sector, r.State)));
            var published = rounds[1];
            Assert.True(published.DeleteRawDataAt > now.AddMonths(11), $"Raw data of the published round is deleted already on {published.DeleteRawDataAt:O}");
            Assert.Equal("Delaktighet och digitala färdigheter", published.Theme("sv"));
            Assert.StartsWith("Children's participation", rounds[2].Theme("en"), StringComparison.Ordinal);
            Assert.True(rounds[2].AcceptsAnswers(now));
        }

        // The analyst's dataset of the published round has rows and shows answers (not everything blanked).
        using var analyst = await Browser.SignedInAsync(factory, DemoUsers.Analyst, DemoUsers.Password);
        var id = await PublishedIdAsync();
        var (rows, answers) = await DatasetAsync(analyst, id);
        Assert.True(rows > 0);
        Assert.True(answers > 0);

        // The printed demo codes let a respondent in.
        using var respondent = new Respondent(factory);
        Assert.Equal("/vastaa/kysely", (await respondent.EnterAsync(AccessCodes.Display(AccessCodes.GenerateDemo(new Random(2027))))).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Every_scheduled_job_run_at_that_clock_deletes_nothing_of_the_demo()
    {
        var id = await PublishedIdAsync();
        var before = await CountsAsync(id);
        Assert.True(before.Responses > 1000);
        await RunEveryJobAsync();
        await RunEveryJobAsync();
        Assert.Equal(before, await CountsAsync(id));
        await using var db = factory.CreateDbContext();
        Assert.Equal(RoundState.Published, (await db.Rounds.SingleAsync(r => r.Id == id)).State);
    }

    [Theory]
    [InlineData("fi", "Osallisuus ja digitaidot")]
    [InlineData("sv", "Delaktighet och digitala färdigheter")]
    [InlineData("en", "Participation and digital skills")]
    public async Task The_results_pages_and_the_report_give_the_focus_theme_in_the_readers_language(string language, string theme)
    {
        var id = await PublishedIdAsync();
        using var director = await Browser.SignedInAsync(factory, DemoUsers.Director, DemoUsers.Password);
        await director.GetAsync($"/kieli/{language}");
        foreach (var page in new[] { "/tulokset", $"/tulokset/{id}" })
        {
            var (status, html) = await director.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains(theme, html, StringComparison.Ordinal);
        }

        var results = (await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(id)))!;
        await using var db = factory.CreateDbContext();
        var report = TestData.ReportContent(factory, (await db.Rounds.FindAsync(id))!, results, (await db.Municipalities.FindAsync("398"))!, language);
        Assert.Contains(report.OfType<ParagraphBlock>(), p => p.Text.EndsWith($": {theme}.", StringComparison.Ordinal));
    }

    private async Task RunEveryJobAsync()
    {
        await TestData.RunJobAsync<RoundReconciler>(factory);
        await TestData.RunJobAsync<ResponseRateRecorder>(factory);
        await TestData.RunJobAsync<NotificationPlanner>(factory);
        await TestData.RunJobAsync<MailSender>(factory);
    }

    private async Task<int> PublishedIdAsync()
    {
        await using var db = factory.CreateDbContext();
        return await db.Rounds.Where(r => r.State == RoundState.Published).Select(r => r.Id).SingleAsync();
    }

    private async Task<(int Responses, int Codes, int OpenRounds)> CountsAsync(int publishedId)
    {
        await using var db = factory.CreateDbContext();
        return (await db.Responses.CountAsync(r => r.RoundId == publishedId), await db.AccessCodes.CountAsync(), await db.Rounds.CountAsync(r => r.State == RoundState.Open));
    }

    /// <summary>
    /// The analyst's research dataset of the guardians: its rows, and the answers 1–5 they show, which the statistics
    /// command reads from the zip as downloaded (its items' region n add up to the same).
    /// </summary>
    private static async Task<(int Rows, int Answers)> DatasetAsync(Browser analyst, int roundId)
    {
        using var response = await analyst.Client.GetAsync(new Uri($"/api/rounds/{roundId}/aineisto/guardian.zip", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        using var reader = new StreamReader(zip.Entries.Single(e => e.Name.EndsWith("-guardian.csv", StringComparison.Ordinal)).Open());
        var lines = (await reader.ReadToEndAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("respondent,municipality,unit_size,", lines[0], StringComparison.Ordinal);
        var codebook = System.Text.Json.JsonDocument.Parse(zip.GetEntry("koodikirja.json")!.Open()).RootElement;
        var items = codebook.GetProperty("columns").EnumerateArray().Select((c, i) => (Column: c, Index: i))
            .Where(c => c.Column.GetProperty("role").GetString() == "item" && c.Column.GetProperty("type").GetString() == "agreement").Select(c => c.Index).ToList();
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var answers = rows.Where(r => r[1] != "-4").Sum(r => items.Count(i => r[i] is "1" or "2" or "3" or "4" or "5"));

        var file = Path.Combine(Path.GetTempPath(), $"demo-{Guid.NewGuid():n}.zip");
        var json = Path.ChangeExtension(file, ".json");
        await File.WriteAllBytesAsync(file, bytes);
        try
        {
            var (exit, said) = await Cli.RunAsync(null, "stats", "--input", file, "--output", json);
            Assert.True(exit == 0, said);
            var n = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement.GetProperty("items").EnumerateArray().Sum(i => i.GetProperty("region").GetProperty("n").GetInt32());
            Assert.Equal(answers, n);
        }
        finally
        {
            File.Delete(file);
            File.Delete(json);
        }

        return (rows.Count, answers);
    }

    private static SurveyLibrary Library() => SurveyLibrary.Load(Path.Combine(ArviointiFactory.RepositoryRoot(), "surveys"));
}
