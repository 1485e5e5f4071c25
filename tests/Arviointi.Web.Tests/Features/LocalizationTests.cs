using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Arviointi.Surveys;
using Arviointi.Web.Features.Home;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Shared;
using Arviointi.Web.Tests.Infrastructure;

namespace Arviointi.Web.Tests.Features;

/// <summary>Finnish is the key; every UI text has a Swedish and an English translation, and the language switch shows them.</summary>
public sealed partial class LocalizationTests(ArviointiFactory factory) : IClassFixture<ArviointiFactory>
{
    private static readonly string[] Translations = ["sv", "en"];
    private static readonly int[] StatusCodes = [403, 404, 500];

    public static TheoryData<string> Languages => new(Translations);

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_literal_text_of_the_pages_is_translated(string language)
    {
        var translations = Resx(language);
        var missing = new List<string>();
        var pages = Directory.GetFiles(Path.Combine(RepoRoot(), "src", "Arviointi.Web", "Features"), "*.cshtml", SearchOption.AllDirectories);
        Assert.NotEmpty(pages);
        foreach (var page in pages)
        {
            foreach (Match match in LiteralKey().Matches(File.ReadAllText(page)))
            {
                var key = match.Groups[1].Value;
                if (!translations.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text))
                {
                    missing.Add($"{Path.GetFileName(page)}: {key}");
                }
            }
        }

        Assert.True(missing.Count == 0, $"Missing from SharedResource.{language}.resx:\n" + string.Join("\n", missing.Distinct()));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Names_states_and_status_texts_made_in_code_are_translated(string language)
    {
        var translations = Resx(language);
        IEnumerable<string> keys =
        [
            .. Enum.GetValues<Sector>().Select(Names.Of),
            .. Enum.GetValues<RespondentGroup>().Select(Names.Of),
            .. Enum.GetValues<RespondentGroup>().Select(Names.Answers),
            .. Enum.GetValues<RoundState>().Select(AdminModel.StateName),
            .. Enum.GetValues<Arviointi.Web.Features.YearView.Phase>().Select(Arviointi.Web.Features.YearView.IndexModel.PhaseName),
            .. Enum.GetValues<Arviointi.Web.Features.YearView.PhaseStatus>().Select(Arviointi.Web.Features.YearView.IndexModel.StatusName),
            .. Enum.GetValues<Arviointi.Web.Features.YearView.EventKind>().Select(Arviointi.Web.Features.YearView.IndexModel.EventName),
            .. Arviointi.Web.Jobs.Schedule.Jobs.Select(j => j.Description),
            .. QualityAreas.Ecec.Concat(QualityAreas.Basic).Append("").Select(Names.Area),
            "Ero muuhun alueeseen (%-yks.)",
            .. Arviointi.Web.Features.Identity.Roles.All.Append("").Select(Arviointi.Web.Features.Identity.UsersModel.RoleName),
            "Ero vertailuryhmään (%-yks.)",
            .. Arviointi.Web.Features.Answering.ScaleLabels.Agreement,
            .. Arviointi.Web.Features.Answering.ScaleLabels.Smiley,
            Arviointi.Web.Features.Answering.NextRespondentModel.GroupUsedUp,
            .. Arviointi.Web.Features.Tokens.IndexModel.TextsMadeInCode,
            .. Arviointi.Web.Features.Identity.UsersModel.InvitationTextsMadeInCode,
            .. Arviointi.Web.Features.Identity.PasswordResets.TextsMadeInCode,
            .. Arviointi.Web.Features.Export.OpenAnswerFile.ReadmeTexts,
            .. StatusCodes.Select(code => new StatusModel { Code = code }).SelectMany(s => new[] { s.Title, s.Message }),
        ];
        Assert.All(keys, key => Assert.False(string.IsNullOrWhiteSpace(translations.GetValueOrDefault(key)), $"Missing from SharedResource.{language}.resx: {key}"));
    }

    [Fact]
    public void Swedish_and_English_have_the_same_texts_with_the_same_placeholders()
    {
        var sv = Resx("sv");
        var en = Resx("en");
        Assert.Equal(sv.Keys.Order(StringComparer.Ordinal), en.Keys.Order(StringComparer.Ordinal));
        Assert.All(sv.Keys, key =>
        {
            var expected = Placeholders(key);
            Assert.True(expected == Placeholders(sv[key]) && expected == Placeholders(en[key]), $"Placeholders differ for: {key}");
        });
    }

    [Theory]
    [InlineData("sv", "<h1>Svara på enkäten</h1>", "Svarskod")]
    [InlineData("en", "<h1>Answer the survey</h1>", "Response code")]
    public async Task The_language_switch_shows_the_answering_page_in_the_chosen_language(string language, string heading, string label)
    {
        using var browser = new Browser(factory);
        var (switched, _) = await browser.GetAsync($"/kieli/{language}?returnUrl=%2Fvastaa");
        Assert.Equal(HttpStatusCode.Redirect, switched);

        var (status, html) = await browser.GetAsync("/vastaa");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<html lang=\"{language}\">", html, StringComparison.Ordinal);
        Assert.Contains(heading, html, StringComparison.Ordinal);
        Assert.Contains(label, html, StringComparison.Ordinal);
        Assert.DoesNotContain("Vastaa kyselyyn", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finnish_is_the_default()
    {
        using var browser = new Browser(factory);
        var (status, html) = await browser.GetAsync("/vastaa");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<html lang=\"fi\">", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Vastaa kyselyyn</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Vastauskoodi", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_made_in_code_are_translated_with_their_numbers()
    {
        var unit = await TestData.UnitAsync(factory, "398", $"Daghem {Guid.NewGuid():n}");
        var round = await TestData.OpenRoundAsync(factory);
        var codes = await TestData.CodesAsync(factory, round.Id, unit.Id, 1);
        using var respondent = new Respondent(factory);
        await respondent.Browser.GetAsync("/kieli/sv");

        var unknown = await respondent.EnterAsync("AAAAA-BBBBB");
        Assert.Contains("Koden hittades inte. Kontrollera att du skrev den rätt.", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await respondent.EnterAsync(codes[0]);
        var tooLong = await respondent.PostPageAsync(7, [new("t_vk_h_open", new string('x', 1001))]);
        var html = await tooLong.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Contains("Svaret är för långt: högst 1000 tecken, nu 1001.", html, StringComparison.Ordinal);
        Assert.Contains("Sida 7 / 7", html, StringComparison.Ordinal);
        Assert.Contains("Helt av samma åsikt", (await respondent.PageAsync(2)).Html, StringComparison.Ordinal);
    }

    internal static Dictionary<string, string> Resx(string language)
    {
        var path = Path.Combine(RepoRoot(), "src", "Arviointi.Web", "Resources", "Features", "Shared", $"SharedResource.{language}.resx");
        Assert.True(File.Exists(path), $"No resource file {path}");
        return XDocument.Load(path).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);
    }

    private static string Placeholders(string text) =>
        string.Join(",", Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal));

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Arviointi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Arviointi.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>T["..."] with a literal key, possibly followed by format arguments.</summary>
    [GeneratedRegex("""\bT\["((?:[^"\\]|\\.)*)"\s*[\],]""")]
    private static partial Regex LiteralKey();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
