using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Tests.Infrastructure;
using CsvHelper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// The README's download examples for curl and unzip, R (httr2) and Python (requests), taken from README.md as they
/// stand, run against the app on a real loopback port with a personal API token; the rows each reads from the research
/// dataset's zip must be those a browser's download holds.
/// </summary>
public sealed partial class ScriptExamplesTests(ScriptExamplesTests.Fixture app) : IClassFixture<ScriptExamplesTests.Fixture>
{
    /// <summary>The dataset's address, the one place to change when it moves; the README's examples name round 3's guardians.</summary>
    private static string ExportPath(int round) => $"/api/rounds/{round}/aineisto/guardian.zip";

    private const string ReadmeSite = "https://arviointi.example.fi";
    private const int ReadmeRound = 3;

    /// <summary>The app on Kestrel at a free loopback port, with a closed round and an analyst who has a token.</summary>
    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        public Fixture() => UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

        public Uri BaseUrl { get; private set; } = null!;

        internal ClosedRound Data { get; private set; } = null!;

        public string Token { get; private set; } = "";

        public async Task InitializeAsync()
        {
            StartServer();
            BaseUrl = new Uri(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
            Data = await ClosedRound.CreateAsync(this);
            await TestData.UserAsync(this, "skripti.analyst", Roles.Analyst);
            Token = await Tokens.CreateAsync(this, "skripti.analyst");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Theory]
    [InlineData("sh", "/usr/bin/bash")]
    [InlineData("r", "/usr/bin/Rscript")]
    [InlineData("python", "/usr/bin/python3")]
    public async Task The_readme_example_reads_with_a_token_the_rows_the_browser_downloads(string language, string interpreter)
    {
        Assert.True(File.Exists(interpreter), $"{interpreter} is missing: .ci/run installs curl, unzip, r-base-core, r-cran-httr2 and python3-requests.");
        var readmeUrl = ReadmeSite + ExportPath(ReadmeRound);
        var example = Example(language);
        Assert.Contains(readmeUrl, example, StringComparison.Ordinal);
        var url = new Uri(app.BaseUrl, ExportPath(app.Data.Round.Id)).ToString();
        // What the example read, written out where the test can read it: the shell example writes its CSV itself.
        var script = example.Replace(readmeUrl, url, StringComparison.Ordinal).Replace("arv_…", app.Token, StringComparison.Ordinal) + language switch
        {
            "r" => "write.csv(aineisto, \"aineisto.csv\", row.names = FALSE)\n",
            "python" => "with open(\"aineisto.csv\", \"w\", newline=\"\", encoding=\"utf-8\") as out:\n    csv.writer(out).writerows(rows)\n",
            _ => "",
        };

        var folder = Directory.CreateTempSubdirectory("arviointi-script-").FullName;
        try
        {
            var file = Path.Combine(folder, "example." + language);
            await File.WriteAllTextAsync(file, script);
            await RunAsync(interpreter, file, folder);
            var read = Canonical(Rows(await File.ReadAllTextAsync(Path.Combine(folder, "aineisto.csv"))));
            Assert.Equal(Canonical(Rows(await BrowserDownloadAsync(url))), read);
            Assert.True(read.Respondents > 0, "The dataset has no rows.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The fenced block of <paramref name="language"/> in the README's section on scripts.</summary>
    private static string Example(string language)
    {
        var readme = File.ReadAllText(Path.Combine(ArviointiFactory.RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("## Downloading data with a script", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no section \"Downloading data with a script\".");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var blocks = FencedBlock().Matches(readme[start..(end < 0 ? readme.Length : end)]).Where(m => m.Groups[1].Value == language).ToList();
        Assert.Single(blocks);
        return blocks[0].Groups[2].Value;
    }

    private async Task RunAsync(string interpreter, string file, string folder)
    {
        var start = new ProcessStartInfo(interpreter, [file]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ARVIOINTI_TOKEN"] = app.Token;
        // Loopback never goes through a proxy the machine may have set.
        start.Environment["NO_PROXY"] = start.Environment["no_proxy"] = "127.0.0.1,localhost";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{interpreter} exited {process.ExitCode}:\n{await output}\n{await error}");
    }

    /// <summary>The CSV of the zip a signed-in browser downloads.</summary>
    private async Task<string> BrowserDownloadAsync(string url)
    {
        using var browser = new Browser(app.BaseUrl);
        await browser.SignInAsync("skripti.analyst", TestData.Password, app.BaseUrl.ToString());
        using var response = await browser.Client.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        using var csv = new StreamReader(zip.Entries.Single(e => e.Name.EndsWith("-guardian.csv", StringComparison.Ordinal)).Open(), Encoding.UTF8);
        return await csv.ReadToEndAsync();
    }

    private static List<string[]> Rows(string csv)
    {
        using var parser = new CsvParser(new StringReader(csv.TrimStart('\uFEFF')), CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (parser.Read())
        {
            rows.Add(parser.Record!);
        }

        return rows;
    }

    /// <summary>
    /// The dataset up to its respondent numbers: they are 1…n in an order drawn afresh for every download, so two reads
    /// are compared as the header, the numbers as a set and the rows without them as a sorted multiset.
    /// </summary>
    private static (string Header, int Respondents, string Rows) Canonical(List<string[]> rows)
    {
        Assert.True(rows.Count > 1, "The file has no rows.");
        Assert.Equal("respondent", rows[0][0]);
        var data = rows.Skip(1).ToList();
        Assert.Equal(Enumerable.Range(1, data.Count), data.Select(r => int.Parse(r[0], CultureInfo.InvariantCulture)).Order());
        return (string.Join(',', rows[0]), data.Count, string.Join('\n', data.Select(r => string.Join(',', r.Skip(1))).Order(StringComparer.Ordinal)));
    }

    [GeneratedRegex(@"```(\w+)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
