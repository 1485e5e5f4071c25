using System.Net;
using System.Text.RegularExpressions;
using Arviointi.Surveys;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// One language per respondent screen (WCAG 3.1.1, 3.1.2; axe does not see a Finnish button inside <c>lang="sv"</c>):
/// every screen of every survey in every language its file declares, walked as a browser without JavaScript does.
/// </summary>
public sealed partial class RespondentLanguageTests(RespondentLanguageTests.Fixture app, ITestOutputHelper output) : IClassFixture<RespondentLanguageTests.Fixture>
{
    /// <summary>The year's rounds of both sectors as the cycle plans them (every survey file with its focus module) and a unit of each.</summary>
    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        public List<(int Round, int Unit, RespondentGroup Group, SurveyDefinition Survey)> Surveys { get; } = [];

        public async Task InitializeAsync()
        {
            var now = Clock.GetUtcNow();
            foreach (var (year, sector) in new[] { (2027, Sector.Ecec), (2028, Sector.Basic) })
            {
                var unit = await TestData.UnitAsync(this, "398", $"Kieliyksikkö {year}", sector);
                var round = await WithScopeAsync(async services =>
                {
                    var (created, errors) = await services.GetRequiredService<RoundAdmin>().CreateFromCycleAsync(year, now.AddMinutes(-1), now.AddDays(20), "testi");
                    Assert.Empty(errors);
                    return created!;
                });
                await using var db = CreateDbContext();
                var catalog = Services.GetRequiredService<SurveyCatalog>();
                foreach (var survey in await db.RoundSurveys.Where(s => s.RoundId == round.Id).Include(s => s.SurveyVersion).ToListAsync())
                {
                    Surveys.Add((round.Id, unit.Id, survey.Group, catalog.Definition(survey.SurveyVersion!)));
                }
            }

            await TestData.ReconcileAsync(this);
        }

        public async Task<string> CodeAsync(int round, int unit, RespondentGroup group) =>
            (await WithScopeAsync(services => services.GetRequiredService<RoundAdmin>().IssueCodesAsync(group == RespondentGroup.Child
                ? new CodeOrder(round, unit, group, 1, AccessCodeKind.Group, UsesPerCode: 2)
                : new CodeOrder(round, unit, group, 1), "testi")))[0];

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> UiTexts = new Dictionary<string, IReadOnlyList<string>>
    {
        ["fi"] = [.. LocalizationTests.Resx("sv").Keys],
        ["sv"] = [.. LocalizationTests.Resx("sv").Values],
        ["en"] = [.. LocalizationTests.Resx("en").Values],
    };

    [Fact]
    public async Task Every_screen_of_every_survey_is_in_the_language_chosen_and_no_other()
    {
        await using (var db = app.CreateDbContext())
        {
            // Every survey file is in a round here (alone or with its focus module), so every file is walked.
            Assert.Equal(await db.SurveyVersions.Select(v => v.SurveyId).Distinct().OrderBy(id => id).ToListAsync(), app.Surveys.Select(s => s.Survey.Id).Order(StringComparer.Ordinal));
        }

        var (screens, walks) = (0, 0);
        foreach (var (round, unit, group, survey) in app.Surveys)
        {
            Assert.True(survey.OfferedLanguages.Count() >= 3, $"{survey.Id} offers {string.Join(", ", survey.OfferedLanguages)}");
            foreach (var language in survey.OfferedLanguages)
            {
                screens += await WalkAsync(survey, language, await app.CodeAsync(round, unit, group));
                walks++;
            }
        }

        output.WriteLine($"{walks} surveys and languages, {screens} screens");

        Assert.True(screens > 150, $"Only {screens} screens were walked.");
    }

    [Fact]
    public async Task An_address_naming_a_language_the_survey_lacks_goes_to_the_one_it_shows()
    {
        var (round, unit, group, _) = app.Surveys.First(s => s.Group == RespondentGroup.Guardian);
        using var respondent = new Respondent(app);
        await respondent.Browser.GetAsync("/kieli/sv");
        await respondent.EnterAsync(await app.CodeAsync(round, unit, group));

        using var page = await respondent.Browser.Client.GetAsync(new Uri("/vastaa/kysely?sivu=2&kieli=de", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/vastaa/kysely?sivu=2&kieli=sv", page.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_sites_language_switch_on_a_respondent_page_changes_the_surveys_language_too()
    {
        using var browser = new Browser(app);
        using var switched = await browser.Client.GetAsync(new Uri("/kieli/en?returnUrl=" + Uri.EscapeDataString("/vastaa/yhteenveto?kieli=sv"), UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/vastaa/yhteenveto?kieli=en", switched.Headers.Location?.OriginalString);
    }

    /// <summary>
    /// The respondent starts in another language of the site, chooses <paramref name="language"/> with the survey's own
    /// choice on its first page (an answer given there stays), and answers every page, one text too long once, to the end.
    /// </summary>
    private async Task<int> WalkAsync(SurveyDefinition survey, string language, string code)
    {
        var markers = Markers(survey, language);
        var screens = 0;
        void Check(string screen, string html)
        {
            AssertOnlyIn(language, $"{survey.Id} in {language}, {screen}", html, markers);
            screens++;
        }

        var site = language == "fi" ? "sv" : "fi";
        using var respondent = new Respondent(app);
        await respondent.Browser.GetAsync($"/kieli/{site}");
        var (_, codePage) = await respondent.Browser.GetAsync($"/vastaa?kieli={language}");
        Check("code page", codePage);
        var unknown = await respondent.Browser.PostFormFromAsync(codePage, $"/vastaa?kieli={language}", new() { ["Code"] = "AAAAA-BBBBB" });
        Check("code page with a wrong code", await unknown.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await respondent.EnterAsync(code)).StatusCode);
        var first = await respondent.PageAsync(1);
        var (field, value) = Choices(first.Html).First();
        var switched = await respondent.Browser.PostFormFromAsync(first.Html, $"/vastaa/kysely?sivu=1&kieli={language}", new()
        {
            ["suunta"] = SurveyModel.SwitchLanguage,
            ["versio"] = first.Version,
            [field] = value,
        });
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal($"/vastaa/kysely?sivu=1&kieli={language}", switched.Headers.Location?.OriginalString);

        var chosen = new Respondent(respondent.Browser) { Language = language };
        var tooLong = false;
        for (var number = 1; ; number++)
        {
            Assert.True(number < 60, $"{survey.Id} in {language}: more than 60 pages");
            var page = await chosen.PageAsync(number);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Check($"page {number}", page.Html);
            if (number == 1)
            {
                Assert.Matches($"name=\"{Regex.Escape(field)}\" value=\"{Regex.Escape(value)}\" checked", page.Html);
            }

            var texts = page.Fields.Where(f => f.StartsWith(AnswerForm.TextPrefix, StringComparison.Ordinal)).ToList();
            if (!tooLong && texts.Count > 0)
            {
                var refused = await chosen.PostPageAsync(number, [new(texts[0], new string('x', 10_001))]);
                Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
                Check($"page {number} with a text too long", await refused.Content.ReadAsStringAsync());
                tooLong = true;
            }

            var answers = Choices(page.Html).ToDictionary(c => c.Field, c => c.Value);
            answers["suunta"] = SurveyModel.Next;
            answers["versio"] = page.Version;
            var posted = await chosen.Browser.PostFormFromAsync(page.Html, chosen.Address($"/vastaa/kysely?sivu={number}"), answers);
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            if (posted.Headers.Location!.OriginalString.StartsWith("/vastaa/yhteenveto", StringComparison.Ordinal))
            {
                break;
            }
        }

        var (_, review) = await chosen.Browser.GetAsync(chosen.Address("/vastaa/yhteenveto"));
        Check("review", review);
        var sent = await chosen.SendAsync();
        Assert.Equal($"/vastaa/kiitos?kieli={language}", sent.Headers.Location?.OriginalString);
        var (_, thanks) = await chosen.Browser.GetAsync(sent.Headers.Location!.OriginalString);
        Check("thank-you page", thanks);
        return screens;
    }

    /// <summary>
    /// Texts that would show another language on a screen in <paramref name="language"/>: every UI text and every text of
    /// the survey in the other languages (split at their placeholders), except what the language itself also says.
    /// </summary>
    private static List<(string Language, string Text)> Markers(SurveyDefinition survey, string language)
    {
        var texts = UiTexts.Keys.ToDictionary(l => l, l => UiTexts[l].Concat(SurveyTexts(survey, l)).ToList());
        var own = string.Join("\n", texts.GetValueOrDefault(language) ?? [.. SurveyTexts(survey, language)]);
        return [.. texts.Where(t => t.Key != language)
            .SelectMany(t => t.Value.SelectMany(text => Placeholder().Split(text)).Select(part => (Language: t.Key, Text: part.Trim())))
            .Where(m => m.Text.Length >= 4 && !own.Contains(m.Text, StringComparison.Ordinal))
            .Distinct()];
    }

    private static IEnumerable<string> SurveyTexts(SurveyDefinition survey, string language) =>
        new[] { survey.Title, survey.Introduction }
            .Concat(survey.Sections.Select(s => s.Title))
            .Concat(survey.Items.Select(i => i.Text))
            .Concat(survey.Items.SelectMany(i => i.Options.Select(o => o.Label)))
            .Where(t => t.Has(language))
            .Select(t => t.Get(language));

    /// <summary>
    /// The page says it is in <paramref name="language"/>, and apart from parts marked as another language (the names
    /// of the languages to choose) no text of another language is in it, in its text or its attributes.
    /// </summary>
    private static void AssertOnlyIn(string language, string what, string html, List<(string Language, string Text)> markers)
    {
        var unmarked = MarkedPart().Replace(Token().Replace(html, ""), m => m.Groups["lang"].Value == language ? m.Value : "");
        var text = WebUtility.HtmlDecode(string.Join("\n", ReadText().Matches(unmarked).Select(m => m.Groups["text"].Value)));
        var found = markers.Where(m => text.Contains(m.Text, StringComparison.Ordinal)).Select(m => $"[{m.Language}] {m.Text}").ToList();
        Assert.True(found.Count == 0, $"{what} has text of another language:\n{string.Join("\n", found)}");
        var otherLangs = LangAttribute().Matches(unmarked).Select(m => m.Groups[1].Value).Where(l => l != language).Distinct().ToList();
        Assert.True(otherLangs.Count == 0, $"{what}: a block marked {string.Join(", ", otherLangs)} holds more than a name");
        Assert.True(html.Contains($"<html lang=\"{language}\">", StringComparison.Ordinal), $"{what}: not <html lang=\"{language}\">");
    }

    /// <summary>The first choice offered for each question on the page, as (field, value).</summary>
    private static List<(string Field, string Value)> Choices(string html) =>
        [.. ChoicePattern().Matches(html).Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value))).DistinctBy(c => c.Item1)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    /// <summary>An element holding only text, marked with a language of its own.</summary>
    [GeneratedRegex("""<(?<tag>[a-z]+)\b[^>]*\slang="(?<lang>[^"]+)"[^>]*>[^<]*</\k<tag>>""")]
    private static partial Regex MarkedPart();

    [GeneratedRegex(""""\slang="([^"]*)"""")]
    private static partial Regex LangAttribute();

    /// <summary>What a reader meets: the text between tags and the attributes read out or shown (not names, classes or ids).</summary>
    [GeneratedRegex("""(?:>(?<text>[^<]+)<|\s(?:aria-label|title|alt|placeholder|data-saved)="(?<text>[^"]*)")""")]
    private static partial Regex ReadText();

    /// <summary>The antiforgery token: random letters that could spell a word.</summary>
    [GeneratedRegex("""<input name="__RequestVerificationToken"[^>]*>""")]
    private static partial Regex Token();

    [GeneratedRegex("""<input type="(?:radio|checkbox)" name="(a_[^"]+)" value="([^"]*)""")]
    private static partial Regex ChoicePattern();
}
