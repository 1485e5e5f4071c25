using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.OpenAnswers;
using Arviointi.Web.Features.Surveys;
using Arviointi.Web.Tests.Infrastructure;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// An administrator releases a group's open answers as a file of their own: only what the open-answer lists of the
/// publication show, masked, with the municipality and nothing that links a row to a respondent or the research dataset,
/// in a fresh random order; analysts and directors cannot fetch it, and every release is audited.
/// </summary>
public sealed class OpenAnswerExportTests(ArviointiFactory factory, ITestOutputHelper output) : IClassFixture<ArviointiFactory>
{
    private const string Item = "vk_h_open";
    private const string Rare = "vk_h_open_good";
    private const int Year = 2051;

    [Fact]
    public async Task An_administrator_gets_the_masked_answers_the_publication_shows_unlinked_and_in_a_fresh_order()
    {
        var large = await TestData.UnitAsync(factory, "398", "Avoin päiväkoti A");
        var second = await TestData.UnitAsync(factory, "398", "Avoin päiväkoti B");
        var small = await TestData.UnitAsync(factory, "398", "Avoin päiväkoti C");
        var heinola = await TestData.UnitAsync(factory, "111", "Avoin päiväkoti D");
        IReadOnlyList<Dictionary<string, string>> Forms(int count, Func<int, string> text, int rare = 0) =>
            [.. Enumerable.Range(0, count).Select(i => new Dictionary<string, string> { ["a_vk_h_001"] = "4", ["t_" + Item] = text(i) }
                .Concat(i < rare ? [new("t_" + Rare, $"Harvinainen vastaus {i}")] : Array.Empty<KeyValuePair<string, string>>()).ToDictionary())];
        var round = await TestData.PublishedRoundAsync(factory, Year, [
            // Nine answers to the rarer question in all: no list shows them.
            (large, Forms(12, i => $"Opettaja Mikko Virtanen, puhelin 040 123 4567, mikko.virtanen@example.fi, vastaus {i}", rare: 9)),
            (second, Forms(11, i => i == 0 ? "=SUMMA(1;2) toisen yksikön vastaus" : $"Toisen yksikön vastaus {i}")),
            // Six in a unit of its own: the municipality's list leaves them out, or it minus the units' lists would show them.
            (small, Forms(6, i => $"Pienen yksikön vastaus {i}")),
            // Eight in a municipality: no list.
            (heinola, Forms(8, i => $"Heinolan vastaus {i}")),
        ]);
        await TestData.UserAsync(factory, "avoimet.admin", Roles.Administrator);
        await TestData.UserAsync(factory, "avoimet.analyytikko", Roles.Analyst);
        await TestData.UserAsync(factory, "avoimet.johtaja", Roles.Director, "398");
        var url = $"/api/rounds/{round}/aineisto/guardian-avoimet.zip";

        // A withheld answer is in no list and so in no file.
        Assert.True(await factory.WithScopeAsync(async services =>
        {
            var texts = await services.GetRequiredService<Arviointi.Web.Data.AppDbContext>().OpenTextAnswers.Where(t => t.ItemId == Item).ToListAsync();
            return await services.GetRequiredService<OpenAnswerReader>().WithholdAsync(round, texts.Single(t => t.Text == "Toisen yksikön vastaus 5").Id, "avoimet.admin", CancellationToken.None);
        }));

        using var analyst = await Browser.SignedInAsync(factory, "avoimet.analyytikko", TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.Client.GetAsync(url)).StatusCode);
        Assert.DoesNotContain("-avoimet.zip", (await analyst.GetAsync("/aineistot")).Html, StringComparison.Ordinal);
        using var director = await Browser.SignedInAsync(factory, "avoimet.johtaja", TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await director.Client.GetAsync(url)).StatusCode);

        using var admin = await Browser.SignedInAsync(factory, "avoimet.admin", TestData.Password);
        Assert.Contains($"href=\"{url}\"", (await admin.GetAsync("/aineistot")).Html, StringComparison.Ordinal);
        var first = await DownloadAsync(admin, url);
        var again = await DownloadAsync(admin, url);

        Assert.Equal(["item", "item_text", "municipality", "answer"], first.Header);
        var question = await factory.WithScopeAsync(async services =>
        {
            var catalog = services.GetRequiredService<SurveyCatalog>();
            return catalog.Definition(await TestData.SurveyAsync(factory, "ecec-guardian")).Items.Single(i => i.Id == Item).Text.Values["fi"];
        });
        Assert.Equal(12 + 11 - 1, first.Rows.Count);
        Assert.All(first.Rows, r => Assert.Equal((Item, question, "398"), (r[0], r[1], r[2])));
        // The large unit's twelve masked, the second unit's ten left after the withheld one (a formula escaped), nothing else.
        var answers = first.Rows.Select(r => r[3]).ToList();
        var masked = answers.Where(a => a.StartsWith("Opettaja [nimi] [nimi], puhelin [puhelinnumero], [sähköposti], vastaus ", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, masked.Count);
        Assert.DoesNotContain(answers, a => a.Contains("Virtanen", StringComparison.Ordinal) || a.Contains("4567", StringComparison.Ordinal) || a.Contains('@', StringComparison.Ordinal));
        Assert.Equal(
            Enumerable.Range(1, 10).Where(i => i != 5).Select(i => Masking.Mask($"Toisen yksikön vastaus {i}")).Append("'=SUMMA(1;2) toisen yksikön vastaus").Order(StringComparer.Ordinal),
            answers.Except(masked).Order(StringComparer.Ordinal));

        // The semicolon file holds the same rows; the second download the same rows in another order.
        Assert.Equal(first.Rows.Select(r => string.Join('\u001f', r)), first.Semicolon.Select(r => string.Join('\u001f', r)));
        Assert.Equal(Sorted(first.Rows), Sorted(again.Rows));
        Assert.NotEqual(first.Rows.Select(r => r[3]), again.Rows.Select(r => r[3]));
        Assert.Contains("22", first.Readme, StringComparison.Ordinal);
        Assert.Contains("In English", first.Readme, StringComparison.Ordinal);
        Assert.Contains("På svenska", first.Readme, StringComparison.Ordinal);

        // The same file from the command line on the server.
        var zipFile = Path.Combine(Path.GetTempPath(), $"avoimet-{Guid.NewGuid():n}.zip");
        try
        {
            var (exit, said) = await Cli.RunAsync(factory, "export", "--round", $"{round}", "--group", "guardian", "--open", "--output", zipFile);
            output.WriteLine(said);
            Assert.Equal(0, exit);
            Assert.Equal(Sorted(first.Rows), Sorted(Read(await File.ReadAllBytesAsync(zipFile)).Rows));
        }
        finally
        {
            File.Delete(zipFile);
        }

        await using var db = factory.CreateDbContext();
        var audited = await db.AuditEvents.Where(e => e.Action == "export.open").Select(e => new { e.Actor, e.Details }).ToListAsync();
        Assert.Equal(2, audited.Count(e => e.Actor == "avoimet.admin" && e.Details == $"Kierroksen {round} avoimet vastaukset (guardian) ladattiin: 22 riviä"));
        Assert.Single(audited, e => e.Actor.StartsWith("cli:", StringComparison.Ordinal) && e.Details.Contains("22 riviä", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_round_still_open_has_no_file_and_an_unknown_group_none_either()
    {
        await TestData.UserAsync(factory, "avoimet.admin2", Roles.Administrator);
        var open = await TestData.OpenRoundAsync(factory);
        using var admin = await Browser.SignedInAsync(factory, "avoimet.admin2", TestData.Password);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.GetAsync($"/api/rounds/{open.Id}/aineisto/guardian-avoimet.zip")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync($"/api/rounds/{open.Id}/aineisto/teacher-avoimet.zip")).StatusCode);
    }

    private static IEnumerable<string> Sorted(IEnumerable<string[]> rows) => rows.Select(r => string.Join('\u001f', r)).Order(StringComparer.Ordinal);

    private static async Task<(string[] Header, List<string[]> Rows, List<string[]> Semicolon, string Readme)> DownloadAsync(Browser admin, string url)
    {
        var response = await admin.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return Read(await response.Content.ReadAsByteArrayAsync());
    }

    private static (string[] Header, List<string[]> Rows, List<string[]> Semicolon, string Readme) Read(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        Assert.Equal([$"arviointi-{Year}-ecec-guardian-avoimet.csv", $"arviointi-{Year}-ecec-guardian-avoimet-puolipiste.csv", "lueminut.md"], archive.Entries.Select(e => e.Name));
        string Text(int entry)
        {
            using var reader = new StreamReader(archive.Entries[entry].Open(), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
            return reader.ReadToEnd();
        }

        var csv = Text(0);
        Assert.StartsWith("\uFEFF", csv, StringComparison.Ordinal);
        var rows = Parse(csv.TrimStart('\uFEFF'), ",");
        var semicolon = Parse(Text(1).TrimStart('\uFEFF'), ";");
        Assert.Equal(rows[0], semicolon[0]);
        return (rows[0], rows.Skip(1).ToList(), semicolon.Skip(1).ToList(), Text(2));
    }

    private static List<string[]> Parse(string csv, string delimiter)
    {
        using var reader = new CsvParser(new StringReader(csv), new CsvHelper.Configuration.CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter });
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(reader.Record!);
        }

        return rows;
    }
}
