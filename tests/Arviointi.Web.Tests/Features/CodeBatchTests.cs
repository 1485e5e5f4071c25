using System.Globalization;
using System.IO.Compression;
using System.Net;
using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Codes;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>Code batches: ordered by the coordinator, downloaded once by the unit's own leader, voided when lost.</summary>
public sealed class CodeBatchTests(CodeBatchTests.Fixture factory) : IClassFixture<CodeBatchTests.Fixture>
{
    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        internal Arviointi.Web.Features.Organisation.Unit School { get; private set; } = null!;

        internal Arviointi.Web.Features.Organisation.Unit OtherSchool { get; private set; } = null!;

        internal int RoundId { get; private set; }

        public async Task InitializeAsync()
        {
            School = await TestData.UnitAsync(this, "111", "Heinolan testikoulu", Sector.Ecec);
            OtherSchool = await TestData.UnitAsync(this, "111", "Toinen testikoulu", Sector.Ecec);
            await using (var db = CreateDbContext())
            {
                await db.Units.Where(u => u.Id == School.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Languages, "fi,sv"));
            }

            RoundId = (await TestData.OpenRoundAsync(this)).Id;
            await TestData.UserAsync(this, "batch.leader", Roles.UnitLeader, "111", School.Id);
            await TestData.UserAsync(this, "batch.other", Roles.UnitLeader, "111", OtherSchool.Id);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task The_units_leader_downloads_the_slips_once_and_the_codes_work()
    {
        var batch = await OrderAsync(factory.School.Id, AccessCodeKind.Personal, 9, 1);
        using var other = await Browser.SignedInAsync(factory, "batch.other", TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await DownloadAsync(other, batch.Id)).StatusCode);

        using var leader = await Browser.SignedInAsync(factory, "batch.leader", TestData.Password);
        var (_, list) = await leader.GetAsync("/koodit");
        Assert.Contains("Heinolan testikoulu", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Toinen testikoulu", list, StringComparison.Ordinal);

        var download = await DownloadAsync(leader, batch.Id);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var (pdf, csv) = await ReadZipAsync(download);
        using (var document = CodeSlipsTests.Open(pdf))
        {
            // The slips name the municipality and when to answer: the round opens 10.1. 08:00 and closes 9.2. 09:00 (Finnish time).
            var slips = CodeSlipsTests.Text(document.Pages[0]);
            Assert.Contains("Heinolan testikoulu, Heinola · Huoltajat", slips, StringComparison.Ordinal);
            Assert.Contains("Vastausaika · Svarstid 10.1.2027–9.2.2027", slips, StringComparison.Ordinal);
        }

        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("code,link,uses", rows[0]);
        Assert.Equal(9, rows.Length - 1);
        var first = rows[1].Split(',');
        Assert.EndsWith($"/vastaa#{first[0]}", first[1], StringComparison.Ordinal);

        using var respondent = new Respondent(factory);
        Assert.Equal("/vastaa/kysely", (await respondent.EnterAsync(first[0])).Headers.Location?.OriginalString);

        // A second download cannot make a second set of codes.
        var again = await DownloadAsync(leader, batch.Id);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Tämä koodierä on jo ladattu tai mitätöity.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.Equal(9, await db.AccessCodes.CountAsync(c => c.BatchId == batch.Id));
    }

    [Fact]
    public async Task A_group_code_batch_prints_how_many_answers_each_code_takes()
    {
        var batch = await OrderAsync(factory.School.Id, AccessCodeKind.Group, 2, 24);
        using var leader = await Browser.SignedInAsync(factory, "batch.leader", TestData.Password);
        var (_, csv) = await ReadZipAsync(await DownloadAsync(leader, batch.Id));
        Assert.All(csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1), row => Assert.EndsWith(",24", row, StringComparison.Ordinal));
        await using var db = factory.CreateDbContext();
        Assert.All(await db.AccessCodes.Where(c => c.BatchId == batch.Id).ToListAsync(), c => Assert.Equal((AccessCodeKind.Group, 24), (c.Kind, c.MaxUses)));
    }

    [Fact]
    public async Task A_voided_batch_stops_its_unused_codes_but_keeps_given_answers()
    {
        var batch = await OrderAsync(factory.School.Id, AccessCodeKind.Personal, 3, 1);
        using var leader = await Browser.SignedInAsync(factory, "batch.leader", TestData.Password);
        var (_, csv) = await ReadZipAsync(await DownloadAsync(leader, batch.Id));
        var codes = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).Select(r => r.Split(',')[0]).ToList();
        await TestData.AnswerAsync(factory, codes[0], new Dictionary<string, string> { ["a_vk_h_001"] = "5" });

        var removed = await factory.WithScopeAsync(s => s.GetRequiredService<CodeBatches>().VoidAsync(batch.Id, "testi"));
        Assert.Equal(2, removed);
        using var respondent = new Respondent(factory);
        Assert.Contains("Koodia ei löytynyt.", await (await respondent.EnterAsync(codes[1])).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await TestData.ResponseCountAsync(factory, factory.RoundId));
    }

    private async Task<CodeBatch> OrderAsync(int unitId, AccessCodeKind kind, int count, int uses)
    {
        var (batch, error) = await factory.WithScopeAsync(s => s.GetRequiredService<CodeBatches>()
            .OrderAsync(new BatchOrder(factory.RoundId, unitId, RespondentGroup.Guardian, kind, count, uses), "testi"));
        Assert.Null(error);
        return batch!;
    }

    private static Task<HttpResponseMessage> DownloadAsync(Browser browser, int batchId) =>
        browser.PostFormAsync("/koodit", "/koodit?handler=Download", new() { ["batchId"] = batchId.ToString(CultureInfo.InvariantCulture) });

    private static async Task<(byte[] Pdf, string Csv)> ReadZipAsync(HttpResponseMessage response)
    {
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        using var pdf = new MemoryStream();
        await using (var stream = zip.Entries.Single(e => e.Name.EndsWith(".pdf", StringComparison.Ordinal)).Open())
        {
            await stream.CopyToAsync(pdf);
        }

        using var csv = new StreamReader(zip.Entries.Single(e => e.Name.EndsWith(".csv", StringComparison.Ordinal)).Open());
        return (pdf.ToArray(), await csv.ReadToEndAsync());
    }
}
