using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Arviointi.Web.Features.Export;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Tests.Infrastructure;
using DuckDB.NET.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// The analysts' research dataset over generated rounds made to be hard (small units, a unit of one, rare background
/// answers, conditional items): every download is k-anonymous on its quasi-identifiers with a suppressed value matching
/// anything (checked here by brute force, not by the code that made it), holds no free text and no stored id, its
/// item totals equal the published figures, and its Parquet file, read back by DuckDB, holds the same rows as its CSV.
/// </summary>
public sealed class ResearchDatasetTests(ArviointiFactory factory, ITestOutputHelper output) : IClassFixture<ArviointiFactory>
{
    private static readonly string[] Quasi = ["municipality", "unit_size", "vk_h_age_band", "vk_h_care_type"];

    [Theory]
    [InlineData(2041, 11)]
    [InlineData(2043, 12)]
    [InlineData(2045, 13)]
    public async Task Every_download_of_a_generated_round_is_k_anonymous_without_free_text_and_matches_the_publication(int year, int seed)
    {
        var random = new Random(seed);
        var answers = new List<(Arviointi.Web.Features.Organisation.Unit, IReadOnlyList<Dictionary<string, string>>)>();
        foreach (var (municipality, size) in new[] { ("398", 45), ("398", 12), ("398", 1), ("398", 3), ("111", 25), ("111", 6), ("098", 8) })
        {
            var unit = await TestData.UnitAsync(factory, municipality, $"Aineisto {year} {municipality} {size} {Guid.NewGuid():n}");
            answers.Add((unit, [.. Enumerable.Range(0, size).Select(_ => Form(random))]));
        }

        await TestData.UserAsync(factory, $"analyytikko{year}", Roles.Analyst);
        var round = await TestData.PublishedRoundAsync(factory, year, answers);
        using var analyst = await Browser.SignedInAsync(factory, $"analyytikko{year}", TestData.Password);

        var (first, firstZip) = await DownloadAsync(analyst, round);
        var (second, _) = await DownloadAsync(analyst, round);
        Assert.Equal(first.Count, second.Count);

        // k-anonymity with a suppressed value (-4) matching any category, counted pair by pair.
        var header = first[0];
        var rows = first.Skip(1).ToList();
        var q = Quasi.Select(c => Array.IndexOf(header, c)).ToArray();
        Assert.DoesNotContain(-1, q);
        foreach (var row in rows)
        {
            var matches = rows.Count(other => q.All(c => row[c] == "-4" || other[c] == "-4" || row[c] == other[c]));
            Assert.True(matches >= 5, $"{string.Join(",", q.Select(c => row[c]))} occurs {matches} times");
        }

        // Numbers only (no free text, no dates, no codes), respondent numbers 1…n in a fresh order each time.
        Assert.All(rows, r => Assert.All(r, v => Assert.Matches("^-?[0-9]+$", v)));
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[0]).Order(StringComparer.Ordinal).OrderBy(int.Parse));
        Assert.DoesNotContain(header, h => h.Contains("open", StringComparison.Ordinal));
        Assert.NotEqual(rows.Select(r => string.Join(",", r.Skip(1))), second.Skip(1).Select(r => string.Join(",", r.Skip(1))));

        // The rows never hold more of an answer than the published cell they fall in: each item's answers 1–5 against
        // the region's counts, and (below, with units) each shown unit's. Values the publication hides are -4, so the
        // totals equal the published ones only where nothing of the item is hidden.
        var results = (await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadWholeAsync(round)))!;
        var group = results.Groups.Single();
        foreach (var item in group.Items.Where(i => i.Region.Figures?.Counts is not null))
        {
            var column = Array.IndexOf(header, item.ItemId);
            for (var v = 1; v <= 5; v++)
            {
                Assert.InRange(rows.Count(r => r[column] == v.ToString(CultureInfo.InvariantCulture)), 0, item.Region.Figures!.Counts![v - 1]);
            }
        }

        // A shown municipal cell's published counts are its rows' values with the blanked ones (-4) put back: each answer
        // between the rows' count and that plus the blanked rows, exactly the rows' count where nothing is blanked.
        var municipal = 0;
        var exact = 0;
        foreach (var item in group.Items)
        {
            var column = Array.IndexOf(header, item.ItemId);
            foreach (var cell in item.Municipalities.Where(m => m.Figures?.Counts is not null))
            {
                var of = rows.Where(r => r[1] == int.Parse(cell.Key, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)).ToList();
                var blanked = of.Count(r => r[column] == "-4") + rows.Count(r => r[1] == "-4");
                var shown = Enumerable.Range(1, 5).Select(v => of.Count(r => r[column] == $"{v}")).ToList();
                municipal++;
                exact += blanked == 0 ? 1 : 0;
                for (var v = 0; v < 5; v++)
                {
                    Assert.InRange(cell.Figures!.Counts![v], shown[v], shown[v] + blanked);
                }

                Assert.InRange(cell.Figures!.Counts!.Sum() - shown.Sum(), 0, blanked);
            }
        }

        output.WriteLine($"{year}: {municipal} municipal cells compared, {exact} with nothing blanked");
        Assert.True(municipal > 0);

        // No cell the pages hide is shown by the rows: an administrator's download with units has no answer 1–5 of an
        // item in a unit whose cell is hidden, nor among one background option's respondents of a municipality whose
        // filtered cell is hidden.
        await TestData.UserAsync(factory, $"yllapito{year}", Roles.Administrator);
        using var admin = await Browser.SignedInAsync(factory, $"yllapito{year}", TestData.Password);
        var (withUnits, _) = await DownloadAsync(admin, round, "?yksikot=true");
        var unitColumn = Array.IndexOf(withUnits[0], "unit");

        // The disclosure audit read these very rows: the tallies it was given when the round was published are those of
        // the administrator's download, by municipality, unit and each agreement item's value.
        var counts = (await factory.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().CountAsync(round))).Single().Counts;
        var audited = DatasetTallies.Of(counts, group).Units
            .Select(t => $"{(t.Municipality is null ? "-4" : int.Parse(t.Municipality, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture))}|{t.Units?.Single() ?? "-4"}|{t.ItemId}|{t.Byte}|{t.Rows}")
            .Order(StringComparer.Ordinal).ToList();
        var agreement = group.Items.Select(i => i.ItemId).ToList();
        var downloaded = withUnits.Skip(1)
            .SelectMany(r => agreement.Select(i => $"{r[1]}|{r[unitColumn]}|{i}|{r[Array.IndexOf(withUnits[0], i)] switch { "-4" => -1, "-1" => 6, "-2" or "-3" => 0, var v => int.Parse(v, CultureInfo.InvariantCulture) }}").Prepend($"{r[1]}|{r[unitColumn]}||0"))
            .GroupBy(k => k, StringComparer.Ordinal).Select(g => $"{g.Key}|{g.Count()}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(downloaded, audited);
        var hiddenCells = 0;
        var compared = 0;
        foreach (var item in group.Items)
        {
            var column = Array.IndexOf(withUnits[0], item.ItemId);
            foreach (var shown in item.Units.Where(u => u.Figures?.Counts is not null))
            {
                compared++;
                for (var v = 1; v <= 5; v++)
                {
                    Assert.InRange(withUnits.Skip(1).Count(r => r[unitColumn] == shown.Key && r[column] == $"{v}"), 0, shown.Figures!.Counts![v - 1]);
                }
            }

            foreach (var hidden in item.Units.Where(u => u.Suppressed))
            {
                hiddenCells++;
                Assert.DoesNotContain(withUnits.Skip(1), r => r[unitColumn] == hidden.Key && r[column] is "1" or "2" or "3" or "4" or "5");
            }
        }

        var municipalityColumn = Array.IndexOf(header, "municipality");
        foreach (var filter in group.Filters ?? [])
        {
            var background = Array.IndexOf(header, filter.BackgroundItemId);
            for (var o = 0; o < filter.Options.Count; o++)
            {
                foreach (var filtered in filter.Options[o].Items)
                {
                    var column = Array.IndexOf(header, filtered.ItemId);
                    foreach (var hidden in filtered.Municipalities.Where(m => m.Suppressed))
                    {
                        hiddenCells++;
                        Assert.DoesNotContain(rows, r => r[municipalityColumn] == hidden.Key && r[background] == $"{o + 1}" && r[column] is "1" or "2" or "3" or "4" or "5");
                    }
                }
            }
        }

        output.WriteLine($"{year}: audit {results.Audit}; unit cells shown {compared}, hidden {group.Items.Sum(i => i.Units.Count(u => u.Suppressed))}");
        Assert.True(hiddenCells > 0);
        Assert.True(compared > 0);

        // A conditional item whose background answer was suppressed or merged never says "not asked" (-3) there.
        var ageColumn = Array.IndexOf(header, "vk_h_age_band");
        var olderOnly = Array.IndexOf(header, "vk_h_030");
        Assert.All(rows.Where(r => r[ageColumn] is "-4" or "4"), r => Assert.Equal("-4", r[olderOnly]));

        // The zip's other files: the semicolon variant, Parquet read back by DuckDB, the codebook and the risk report.
        var codebook = JsonDocument.Parse(Entry(firstZip, "koodikirja.json")).RootElement;
        Assert.Equal(0, codebook.GetProperty("risk").GetProperty("violating_after").GetInt32());
        Assert.Equal(rows.Count, codebook.GetProperty("rows").GetInt32());
        var semicolon = Encoding.UTF8.GetString(Entry(firstZip, $"arviointi-{year}-ecec-guardian-puolipiste.csv"));
        Assert.StartsWith("\uFEFFrespondent;municipality;", semicolon, StringComparison.Ordinal);
        var parquet = Path.Combine(Path.GetTempPath(), $"aineisto-{Guid.NewGuid():n}.parquet");
        await File.WriteAllBytesAsync(parquet, Entry(firstZip, $"arviointi-{year}-ecec-guardian.parquet"));
        try
        {
            using var duck = new DuckDBConnection("DataSource=:memory:");
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"SELECT * FROM read_parquet('{parquet}') ORDER BY respondent";
            using var reader = command.ExecuteReader();
            var fromParquet = new List<string>();
            while (reader.Read())
            {
                Assert.Equal(typeof(int), reader.GetFieldType(1));
                fromParquet.Add(string.Join(",", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetInt32(i).ToString(CultureInfo.InvariantCulture))));
            }

            Assert.Equal(rows.OrderBy(r => int.Parse(r[0], CultureInfo.InvariantCulture)).Select(r => string.Join(",", r)), fromParquet);
            command.CommandText = $"SELECT value FROM parquet_kv_metadata('{parquet}') WHERE key = 'arviointi.value_labels'";
            using var value = (Stream)command.ExecuteScalar()!;
            var labels = JsonDocument.Parse(value).RootElement;
            Assert.Equal("Täysin samaa mieltä", labels.GetProperty("vk_h_001").GetProperty("5").GetString());
        }
        finally
        {
            File.Delete(parquet);
        }

        // The same dataset from the command line on the server: arviointi export, as its own process on the same file.
        if (seed == 11)
        {
            var zipFile = Path.Combine(Path.GetTempPath(), $"aineisto-{Guid.NewGuid():n}.zip");
            var (exitCode, said) = await Cli.RunAsync(factory, "export", "--round", $"{round}", "--group", "guardian", "--output", zipFile);
            output.WriteLine(said);
            try
            {
                Assert.Equal(0, exitCode);
                var fromCli = Encoding.UTF8.GetString(Entry(await File.ReadAllBytesAsync(zipFile), $"arviointi-{year}-ecec-guardian.csv")).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(string.Join(',', header), fromCli[0]);
                Assert.Equal(rows.Select(r => string.Join(',', r.Skip(1))).Order(StringComparer.Ordinal), fromCli.Skip(1).Select(l => string.Join(',', l.Split(',').Skip(1))).Order(StringComparer.Ordinal));
            }
            finally
            {
                File.Delete(zipFile);
            }
        }

        // The statistics command reads the zip as downloaded: each item's region n is its rows' answers 1–5 (an item
        // whose every value is blanked, as many are in these small rounds, has no figures).
        var statsZip = Path.Combine(Path.GetTempPath(), $"aineisto-{Guid.NewGuid():n}.zip");
        var statsJson = Path.ChangeExtension(statsZip, ".json");
        await File.WriteAllBytesAsync(statsZip, firstZip);
        try
        {
            var (exit, said) = await Cli.RunAsync(null, "stats", "--input", statsZip, "--output", statsJson);
            Assert.True(exit == 0, said);
            var figures = JsonDocument.Parse(await File.ReadAllTextAsync(statsJson)).RootElement.GetProperty("items").EnumerateArray()
                .ToDictionary(i => i.GetProperty("item").GetString()!, i => i.GetProperty("region").GetProperty("n").GetInt32());
            var answered = group.Items.Select(i => (i.ItemId, N: rows.Count(r => r[Array.IndexOf(header, i.ItemId)] is "1" or "2" or "3" or "4" or "5" && r[1] != "-4")))
                .Where(i => rows.Any(r => r[Array.IndexOf(header, i.ItemId)] is not "-4" and not "-3")).ToDictionary(i => i.ItemId, i => i.N);
            Assert.Equal(answered.OrderBy(a => a.Key, StringComparer.Ordinal), figures.OrderBy(f => f.Key, StringComparer.Ordinal));
            output.WriteLine($"{year}: stats read {figures.Count} items with answers from the zip");
        }
        finally
        {
            File.Delete(statsZip);
            File.Delete(statsJson);
        }

        var risk = Encoding.UTF8.GetString(Entry(firstZip, "riskiraportti.md"));
        output.WriteLine($"{year}: {rows.Count} rows; {risk.Split('\n').First(l => l.StartsWith("| k-anonym", StringComparison.Ordinal))}");
        await using var db = factory.CreateDbContext();
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == "export.dataset" && e.Actor == $"analyytikko{year}" && e.Details.Contains($"Kierroksen {round} aineisto")));
        Assert.Equal(seed == 11 ? 1 : 0, await db.AuditEvents.CountAsync(e => e.Action == "export.dataset" && e.Actor.StartsWith("cli:") && e.Details.Contains($"Kierroksen {round} aineisto")));
    }

    [Fact]
    public async Task Directors_cannot_download_and_analysts_cannot_ask_for_units()
    {
        await TestData.UserAsync(factory, "aineisto.johtaja", Roles.Director, "398");
        await TestData.UserAsync(factory, "aineisto.analyytikko", Roles.Analyst);
        using var director = await Browser.SignedInAsync(factory, "aineisto.johtaja", TestData.Password);
        Assert.Equal(HttpStatusCode.OK, (await director.GetAsync("/tulokset")).Status);
        Assert.Contains((await director.GetAsync("/api/rounds/1/aineisto/guardian.zip")).Status, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        var unit = await TestData.UnitAsync(factory, "398", $"Yksiköt {Guid.NewGuid():n}");
        var round = await TestData.PublishedRoundAsync(factory, 2047, [(unit, TestData.Forms("vk_h_001", TestData.Times("4", 6)))]);
        using var analyst = await Browser.SignedInAsync(factory, "aineisto.analyytikko", TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync($"/api/rounds/{round}/aineisto/guardian.zip?yksikot=true")).Status);
    }

    private static Dictionary<string, string> Form(Random random)
    {
        // Age band 6 and family day care are rare; about one in ten leaves the age band unanswered.
        var age = random.Next(20) switch { 0 => "", 1 => "6", < 12 => "3-5", _ => "0-2" };
        var care = random.Next(12) == 0 ? "family" : "centre";
        var form = new Dictionary<string, string> { ["a_vk_h_care_type"] = care, ["t_vk_h_open"] = "Vapaa teksti, jota ei saa viedä." };
        if (age.Length > 0)
        {
            form["a_vk_h_age_band"] = age;
        }

        foreach (var item in new[] { "vk_h_001", "vk_h_002", "vk_h_003" })
        {
            form["a_" + item] = random.Next(8) == 0 ? "eos" : random.Next(1, 6).ToString(CultureInfo.InvariantCulture);
        }

        if (age == "6")
        {
            form["a_vk_h_030"] = random.Next(1, 6).ToString(CultureInfo.InvariantCulture);
        }

        return form;
    }

    private static async Task<(List<string[]> Rows, byte[] Zip)> DownloadAsync(Browser analyst, int round, string query = "")
    {
        var response = await analyst.Client.GetAsync($"/api/rounds/{round}/aineisto/guardian.zip{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var zip = await response.Content.ReadAsByteArrayAsync();
        var csv = Encoding.UTF8.GetString(Entry(zip, $"{Stem(zip)}.csv"));
        Assert.StartsWith("\uFEFF", csv, StringComparison.Ordinal);
        return ([.. csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(','))], zip);
    }

    private static string Stem(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        return archive.Entries.Single(e => e.Name.EndsWith(".parquet", StringComparison.Ordinal)).Name[..^".parquet".Length];
    }

    private static byte[] Entry(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        using var stream = archive.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
