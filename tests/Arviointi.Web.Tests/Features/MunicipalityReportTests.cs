using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.IO;
using Xunit.Abstractions;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// The board's PDF through the real host, in the director's language: a tagged PDF (poppler's pdfinfo says so and prints
/// its structure) whose structure tree, read back with PDFsharp, has the headings in reading order, a Figure with its
/// alternative text for every chart, the document's language, and no heading left at the bottom of a page.
/// </summary>
public sealed partial class MunicipalityReportTests(MunicipalityReportTests.Fixture app, ITestOutputHelper output) : IClassFixture<MunicipalityReportTests.Fixture>
{
    /// <summary>Poppler's pdfinfo, from Debian's poppler-utils (.ci/run installs it).</summary>
    private const string PdfInfo = "/usr/bin/pdfinfo";

    /// <summary>Four municipalities whose guardians answered every question of the ECEC guardians' survey, Lahti agreeing most.</summary>
    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        public int RoundId { get; private set; }

        async Task IAsyncLifetime.InitializeAsync()
        {
            var answers = new List<(Arviointi.Web.Features.Organisation.Unit, IReadOnlyList<Dictionary<string, string>>)>();
            foreach (var (code, respondents, lift) in new[] { ("398", 30, 2), ("111", 40, 0), ("098", 25, 0), ("560", 20, 1) })
            {
                var unit = await TestData.UnitAsync(this, code, $"Raporttipäiväkoti {code}");
                answers.Add((unit, [.. Enumerable.Range(0, respondents).Select(i => Enumerable.Range(1, 31).ToDictionary(
                    item => $"a_vk_h_{item:000}",
                    item => Math.Min(5, ((i + item) % 5) + 1 + (item <= 5 ? lift : 0)).ToString(CultureInfo.InvariantCulture)))]));
            }

            await TestData.UserAsync(this, "raportti.lahti", Roles.Director, "398");
            RoundId = await TestData.PublishedRoundAsync(this, 2027, answers);
        }

        async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
    }

    [Fact]
    public void PDFsharp_is_the_MIT_licensed_6_2_4()
    {
        // 6.5.0 names AGPL-3.0-only: a newer version is a licence decision (Directory.Packages.props).
        var version = typeof(PdfDocument).Assembly.GetName().Version!;
        Assert.Equal((6, 2, 4), (version.Major, version.Minor, version.Build));
    }

    [Theory]
    [InlineData("fi", "Arviointiraportti: Lahti 2027", "Keskeiset havainnot", "Huoltajien vastaukset, Lahti", "Viktigaste iakttagelser")]
    [InlineData("sv", "Utvärderingsrapport: Lahtis 2027", "Viktigaste iakttagelser", "Vårdnadshavarnas svar, Lahtis", "Keskeiset havainnot")]
    public async Task The_report_is_a_tagged_PDF_in_the_directors_language_with_headings_kept_with_what_follows_and_every_chart_described(
        string language, string title, string findings, string whose, string otherLanguage)
    {
        Assert.True(File.Exists(PdfInfo), $"The PDF test needs poppler's {PdfInfo} (apt-get install poppler-utils); .ci/run installs it.");
        using var director = await Browser.SignedInAsync(app, "raportti.lahti", TestData.Password);
        await director.GetAsync($"/kieli/{language}");
        using var response = await director.Client.GetAsync(new Uri($"/tulokset/{app.RoundId}/kunta/398/raportti.pdf", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(app.DataFolder, $"raportti-{language}.pdf");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());

        // Poppler: tagged, titled in the language, and its structure with the texts in reading order.
        var info = Run(PdfInfo, path);
        output.WriteLine(info);
        Assert.Matches(@"(?m)^Tagged:\s+yes$", info);
        Assert.Matches($@"(?m)^Title:\s+{title}$", info);
        var tree = Run(PdfInfo, "-struct-text", path);
        Assert.Contains(findings, tree, StringComparison.Ordinal);
        Assert.DoesNotContain(otherLanguage, tree, StringComparison.Ordinal);
        var expected = await ExpectedAsync(language);
        Assert.Equal(
            expected.OfType<HeadingBlock>().Select(h => ($"H{h.Level}", h.Text)),
            HeadingLine().Matches(tree).Select(m => (m.Groups[1].Value, m.Groups[2].Value)));

        // The structure tree read back: language, headings in the order the report says them, a described Figure per chart.
        using var document = PdfReader.Open(path, PdfDocumentOpenMode.Import);
        Assert.Equal(language, document.Internals.Catalog.Elements.GetString("/Lang"));
        var elements = Flatten(document);

        var figures = elements.Where(e => e.Type == "/Figure").ToList();
        Assert.Equal(expected.OfType<ChartBlock>().Count(), figures.Count);
        Assert.True(figures.Count >= 8, $"{figures.Count} charts");
        Assert.All(figures, f => Assert.StartsWith(whose + ": ", f.Alt, StringComparison.Ordinal));
        Assert.All(expected.OfType<ChartBlock>(), c => Assert.Equal(whose, c.Title));

        // A heading stands on the page where what follows it begins, and an area's heading on the page of its chart.
        var content = elements.Where(e => e.Pages.Count > 0).ToList();
        var moves = 0;
        for (var i = 0; i < content.Count - 1; i++)
        {
            if (content[i].Type is "/H1" or "/H2" or "/H3")
            {
                var page = content[i].Pages.Max();
                Assert.True(page == content[i + 1].Pages.Min(), $"{content[i].Type} on page {page + 1} is the last thing there: {content[i + 1].Type} begins on page {content[i + 1].Pages.Min() + 1}");
                if (content.Skip(i + 1).Take(2).FirstOrDefault(e => e.Type == "/Figure") is { } chart)
                {
                    Assert.True(page == chart.Pages.Min(), $"{content[i].Type} on page {page + 1} is apart from its chart on page {chart.Pages.Min() + 1}");
                    moves += content[i].Pages.Min() > content[Math.Max(0, i - 1)].Pages.Max() ? 1 : 0;
                }
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{language}: {document.PageCount} pages, {elements.Count(e => e.Type is "/H1" or "/H2" or "/H3")} headings, {figures.Count} figures with alternative text, {moves} area headings begin a page to stay with their chart"));
    }

    /// <summary>Lahti's report as the endpoint composes it, in <paramref name="language"/>.</summary>
    private async Task<IReadOnlyList<ReportBlock>> ExpectedAsync(string language)
    {
        var results = (await app.WithScopeAsync(s => s.GetRequiredService<SnapshotBuilder>().LoadAsync(app.RoundId)))!;
        await using var db = app.CreateDbContext();
        return TestData.ReportContent(app, (await db.Rounds.FindAsync(app.RoundId))!, results, (await db.Municipalities.FindAsync("398"))!, language);
    }

    private sealed record Element(string Type, List<int> Pages, string Alt);

    /// <summary>The structure elements in reading order (depth first), each with the pages of its own marked content.</summary>
    private static List<Element> Flatten(PdfDocument document)
    {
        var pages = Enumerable.Range(0, document.PageCount).ToDictionary(i => document.Pages[i].Internals.ObjectID, i => i);
        var root = document.Internals.Catalog.Elements.GetDictionary("/StructTreeRoot") ?? throw new InvalidOperationException("No structure tree.");
        var elements = new List<Element>();
        Walk(root);
        return elements;

        void Walk(PdfDictionary node)
        {
            var page = node.Elements.GetReference("/Pg") is { } pg ? pages[pg.ObjectID] : -1;
            var own = new List<int>();
            var children = new List<PdfDictionary>();
            foreach (var kid in Kids(node))
            {
                switch (kid)
                {
                    case PdfInteger:
                        own.Add(page);
                        break;
                    case PdfDictionary mcr when mcr.Elements.GetName("/Type") == "/MCR":
                        own.Add(mcr.Elements.GetReference("/Pg") is { } p ? pages[p.ObjectID] : page);
                        break;
                    case PdfDictionary child when child.Elements.ContainsKey("/S"):
                        children.Add(child);
                        break;
                }
            }

            if (node.Elements.ContainsKey("/S"))
            {
                elements.Add(new Element(node.Elements.GetName("/S"), own, node.Elements.GetString("/Alt")));
            }

            children.ForEach(Walk);
        }

        static IEnumerable<PdfItem> Kids(PdfDictionary node)
        {
            var k = node.Elements["/K"];
            var items = k is PdfArray array ? array.Elements.ToList() : k is null ? [] : [k];
            return items.Select(i => i is PdfReference r ? r.Value : i);
        }
    }

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {errors}");
        return text;
    }

    /// <summary>A heading and its text as pdfinfo -struct-text prints them: <c>H2 (block)</c>, then the text in quotes.</summary>
    [GeneratedRegex(@"(?m)^\s*(H[1-3]) \(block\)\r?\n\s*""([^""\n]*)""")]
    private static partial Regex HeadingLine();
}
