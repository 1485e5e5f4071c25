using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Arviointi.Surveys;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>
/// The coordinator's forms: a round of a year and sector only once, a past opening confirmed, the code order listing
/// the chosen round's units in Finnish order, and every admin page (focus theme included) in Swedish and English.
/// </summary>
public sealed partial class CoordinatorTests(CoordinatorTests.Fixture factory) : IClassFixture<CoordinatorTests.Fixture>
{
    private const string Admin = "koordinoija";

    /// <summary>ECEC units in Hollola, Heinola and Lahti, schools in Asikkala; the open 2027 ECEC round and the 2028 basic-education round.</summary>
    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        internal int EcecRound { get; private set; }

        internal int BasicRound { get; private set; }

        internal int School { get; private set; }

        public async Task InitializeAsync()
        {
            foreach (var (municipality, name) in new[] { ("098", "Päiväkoti Bertta"), ("098", "Åkerin päiväkoti"), ("098", "aallon päiväkoti"), ("098", "Ämmälän päiväkoti"), ("111", "Päiväkoti Heinäkukka"), ("398", "Päiväkoti Lähde") })
            {
                await TestData.UnitAsync(this, municipality, name);
            }

            School = (await TestData.UnitAsync(this, "016", "Asikkalan testikoulu", Sector.Basic)).Id;
            EcecRound = (await TestData.OpenRoundAsync(this)).Id;
            var opens = new DateTimeOffset(2028, 1, 10, 6, 0, 0, TimeSpan.Zero);
            BasicRound = await WithScopeAsync(async s =>
            {
                var (round, errors) = await s.GetRequiredService<RoundAdmin>().CreateFromCycleAsync(2028, opens, opens.AddDays(30), "testi");
                Assert.Empty(errors);
                return round!.Id;
            });
            await TestData.UserAsync(this, Admin, Roles.Administrator);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task A_second_round_for_the_same_year_and_sector_is_refused_with_what_was_typed_kept()
    {
        using var admin = await Browser.SignedInAsync(factory, Admin, TestData.Password);
        var version = await TestData.SurveyAsync(factory, "basic-guardian");
        var refused = await admin.PostFormAsync("/hallinta/kierrokset", "/hallinta/kierrokset?handler=Create", new()
        {
            ["Year"] = "2028", ["Sector"] = "Basic", ["FocusTheme"] = "Toinen painopiste", ["FocusThemeSv"] = "Annat fokus",
            ["OpensLocal"] = "2028-01-17T08:00", ["ClosesLocal"] = "2028-02-18T16:00", ["SurveyVersionIds"] = version.Id.ToString(CultureInfo.InvariantCulture),
        });
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Vuodelle 2028 on jo tämän sektorin kierros (avautuu 10.1.2028 08.00).", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Toinen painopiste\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Annat fokus\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"2028-01-17T08:00\"", html, StringComparison.Ordinal);
        Assert.Matches($"<option value=\"Basic\" selected=\"selected\">", html);
        Assert.Matches($"value=\"{version.Id}\" checked=\"checked\"", html);

        // The cycle's form refuses it too; the other sector's round of a year is no duplicate.
        var fromCycle = await admin.PostFormAsync("/hallinta/kierrokset", "/hallinta/kierrokset?handler=Cycle", new()
        {
            ["Year"] = "2028", ["OpensLocal"] = "2028-01-17T08:00", ["ClosesLocal"] = "2028-02-18T16:00", ["RetentionMonths"] = "14",
        });
        html = await fromCycle.Content.ReadAsStringAsync();
        Assert.Contains("Vuodelle 2028 on jo tämän sektorin kierros", html, StringComparison.Ordinal);
        Assert.Contains("value=\"14\"", html, StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.Rounds.CountAsync(r => r.Year == 2028));
    }

    [Fact]
    public async Task An_opening_time_in_the_past_is_created_only_once_confirmed()
    {
        using var admin = await Browser.SignedInAsync(factory, Admin, TestData.Password);
        var version = await TestData.SurveyAsync(factory, "ecec-guardian");
        Dictionary<string, string> form = new()
        {
            ["Year"] = "2031", ["Sector"] = "Ecec", ["FocusTheme"] = "Menneisyys", ["OpensLocal"] = "2027-01-05T08:00", ["ClosesLocal"] = "2027-02-05T16:00",
            ["SurveyVersionIds"] = version.Id.ToString(CultureInfo.InvariantCulture),
        };
        var warned = await admin.PostFormAsync("/hallinta/kierrokset", "/hallinta/kierrokset?handler=Create", form);
        var html = await warned.Content.ReadAsStringAsync();
        Assert.Contains("Avautumisaika 5.1.2027 08.00 on jo mennyt: kierros avautuu heti, kun se on luotu.", html, StringComparison.Ordinal);
        Assert.Contains("name=\"ConfirmPastOpening\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Menneisyys\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"2027-01-05T08:00\"", html, StringComparison.Ordinal);
        await using (var db = factory.CreateDbContext())
        {
            Assert.False(await db.Rounds.AnyAsync(r => r.Year == 2031));
        }

        form["ConfirmPastOpening"] = "true";
        var created = await admin.PostFormFromAsync(html, "/hallinta/kierrokset?handler=Create", form);
        Assert.Contains("Kierros luotiin ja ajastettiin.", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await TestData.ReconcileAsync(factory);
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(RoundState.Open, (await db.Rounds.SingleAsync(r => r.Year == 2031)).State);
        }
    }

    [Fact]
    public async Task The_code_order_lists_the_chosen_rounds_units_by_municipality_in_Finnish_order()
    {
        using var admin = await Browser.SignedInAsync(factory, Admin, TestData.Password);
        var (status, html) = await admin.GetAsync($"/koodit?kierros={factory.EcecRound}");
        Assert.Equal(HttpStatusCode.OK, status);
        var groups = UnitGroups(html);

        // Heinola before Hollola (their codes 111 and 098 sort the other way), å before ä, and lower case among the rest.
        var order = groups.Select(g => g.Municipality).ToList();
        Assert.True(order.IndexOf("Heinola") < order.IndexOf("Hollola") && order.IndexOf("Hollola") < order.IndexOf("Lahti"), string.Join(", ", order));
        Assert.Equal(["aallon päiväkoti", "Päiväkoti Bertta", "Åkerin päiväkoti", "Ämmälän päiväkoti"], groups.Single(g => g.Municipality == "Hollola").Units);
        Assert.DoesNotContain(groups, g => g.Municipality == "Asikkala");
        Assert.Equal(["Guardian"], OrderGroups(html));

        // The basic-education round lists its schools and its own respondent groups.
        (_, html) = await admin.GetAsync($"/koodit?kierros={factory.BasicRound}");
        var schools = Assert.Single(UnitGroups(html));
        Assert.Equal("Asikkala", schools.Municipality);
        Assert.Equal(["Asikkalan testikoulu"], schools.Units);
        Assert.Contains("Pupil", OrderGroups(html));
    }

    [Fact]
    public async Task A_forged_order_naming_a_unit_of_the_other_sector_is_refused()
    {
        using var admin = await Browser.SignedInAsync(factory, Admin, TestData.Password);
        var refused = await admin.PostFormAsync($"/koodit?kierros={factory.EcecRound}", "/koodit?handler=Order", new()
        {
            ["RoundId"] = factory.EcecRound.ToString(CultureInfo.InvariantCulture), ["UnitId"] = factory.School.ToString(CultureInfo.InvariantCulture),
            ["Group"] = "Guardian", ["Kind"] = "Personal", ["Count"] = "5", ["UsesPerCode"] = "25",
        });
        Assert.Contains("Valitse kierroksen sektoriin kuuluva yksikkö.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.CodeBatches.AnyAsync(b => b.UnitId == factory.School));

        await admin.GetAsync("/kieli/sv");
        var swedish = await admin.PostFormAsync($"/koodit?kierros={factory.EcecRound}", "/koodit?handler=Order", new()
        {
            ["RoundId"] = factory.EcecRound.ToString(CultureInfo.InvariantCulture), ["UnitId"] = factory.School.ToString(CultureInfo.InvariantCulture),
            ["Group"] = "Guardian", ["Kind"] = "Personal", ["Count"] = "5", ["UsesPerCode"] = "25",
        });
        Assert.Contains("Välj en enhet inom omgångens sektor.", await swedish.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_round_made_before_themes_had_languages_gets_the_cycles_translations_when_its_finnish_theme_is_the_cycles()
    {
        int fromCycle, typed;
        await using (var db = factory.CreateDbContext())
        {
            var old = new EvaluationRound
            {
                Year = 2027, Sector = Sector.Ecec, FocusTheme = "Lasten osallisuus", OpensAt = factory.Clock.GetUtcNow().AddDays(400),
                ClosesAt = factory.Clock.GetUtcNow().AddDays(430), PublishAt = factory.Clock.GetUtcNow().AddDays(490), DeleteRawDataAt = factory.Clock.GetUtcNow().AddDays(900),
            };
            db.Rounds.Add(old);
            await db.SaveChangesAsync();
            fromCycle = old.Id;
            typed = factory.EcecRound;
        }

        await factory.WithScopeAsync(async s =>
        {
            await s.GetRequiredService<RoundAdmin>().TranslateCycleThemesAsync();
            await s.GetRequiredService<RoundAdmin>().TranslateCycleThemesAsync();
            return 0;
        });
        await using (var db = factory.CreateDbContext())
        {
            var translated = await db.Rounds.AsNoTracking().SingleAsync(r => r.Id == fromCycle);
            Assert.Equal(("Lasten osallisuus", "Barnens delaktighet", "Children's participation"), (translated.Theme("fi"), translated.Theme("sv"), translated.Theme("en")));
            var own = await db.Rounds.AsNoTracking().SingleAsync(r => r.Id == typed);
            Assert.Equal(("Osallisuus", null, null), (own.Theme("sv"), own.FocusThemeSv, own.FocusThemeEn));
            db.Rounds.Remove(translated);
            await db.SaveChangesAsync();
        }
    }

    [Theory]
    [InlineData("sv", "Stöd för skolgången och frånvaro", "Delaktighet och digitala färdigheter")]
    [InlineData("en", "Support for school attendance and absences", "Participation and digital skills")]
    public async Task Every_admin_page_is_in_the_chosen_language_focus_theme_included(string language, string theme2026, string theme2028)
    {
        using var admin = await Browser.SignedInAsync(factory, Admin, TestData.Password);
        var known = LocalizationTests.Resx(language).Where(t => t.Key.Length >= 12 && t.Key != t.Value).Select(t => t.Key).ToList();

        // The check sees Finnish where it is: the same pages in Finnish are full of it.
        var (_, inFinnish) = await admin.GetAsync("/koodit");
        Assert.True(known.Count(k => Text(inFinnish).Contains(k, StringComparison.Ordinal)) >= 10 && FinnishWords(inFinnish).Count() >= 10);

        await admin.GetAsync($"/kieli/{language}");
        var (_, rounds) = await admin.GetAsync("/hallinta/kierrokset");
        Assert.Contains(theme2028, rounds, StringComparison.Ordinal);
        Assert.DoesNotContain("Osallisuus ja digitaidot", rounds, StringComparison.Ordinal);

        // A refusal and a warning of the round form, and the cycle's 2026 theme once that round is created.
        var refused = await admin.PostFormAsync("/hallinta/kierrokset", "/hallinta/kierrokset?handler=Cycle", new()
        {
            ["Year"] = "2028", ["OpensLocal"] = "2028-01-17T08:00", ["ClosesLocal"] = "2028-02-18T16:00", ["RetentionMonths"] = "12",
        });
        var warned = await admin.PostFormAsync("/hallinta/kierrokset", "/hallinta/kierrokset?handler=Cycle", new()
        {
            ["Year"] = "2026", ["OpensLocal"] = "2027-01-09T08:00", ["ClosesLocal"] = "2027-02-18T16:00", ["RetentionMonths"] = "12",
        });
        var pages = new List<(string Page, string Html)>
        {
            ("/hallinta/kierrokset (refused)", await refused.Content.ReadAsStringAsync()),
            ("/hallinta/kierrokset (warned)", await warned.Content.ReadAsStringAsync()),
        };
        await using (var db = factory.CreateDbContext())
        {
            if (!await db.Rounds.AnyAsync(r => r.Year == 2026))
            {
                var created = await admin.PostFormAsync("/hallinta/kierrokset", "/hallinta/kierrokset?handler=Cycle", new()
                {
                    ["Year"] = "2026", ["OpensLocal"] = "2027-01-09T08:00", ["ClosesLocal"] = "2027-02-18T16:00", ["RetentionMonths"] = "12", ["ConfirmPastOpening"] = "true",
                });
                Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            }
        }

        foreach (var page in new[] { "/", "/hallinta/kierrokset", "/koodit", $"/koodit?kierros={factory.BasicRound}", "/hallinta/kayttajat", "/hallinta/osallistujat", "/vastausaste", "/aineistot", "/vuosikello", "/tila/403", "/tila/404", "/tila/500" })
        {
            var (status, html) = await admin.GetAsync(page);
            Assert.True(status == HttpStatusCode.OK || page.StartsWith("/tila/", StringComparison.Ordinal), $"{page}: {status}");
            pages.Add((page, html));
        }

        Assert.Contains(theme2026, pages.Single(p => p.Page == "/hallinta/kierrokset").Html, StringComparison.Ordinal);
        // No Finnish text of the resource files (one that has a translation of its own), and no common Finnish word.
        var finnish = pages.SelectMany(p => known.Where(k => Text(p.Html).Contains(k, StringComparison.Ordinal)).Concat(FinnishWords(p.Html)).Select(w => $"{p.Page}: {w}")).Distinct().ToList();
        Assert.True(finnish.Count == 0, $"Finnish on the {language} admin pages:\n" + string.Join("\n", finnish));
    }

    /// <summary>Visible text and the texts assistive technology reads, with the data (unit and user names) the test made left out.</summary>
    private static IEnumerable<string> FinnishWords(string html)
    {
        var text = Text(html);
        foreach (var data in new[] { "päiväkoti", "Päiväkoti", "Asikkalan testikoulu", "Menneisyys", "Osallisuus", "Toinen painopiste", "koordinoija", "Päijät-Häme" })
        {
            text = text.Replace(data, " ", StringComparison.Ordinal);
        }

        return FinnishWord().Matches(text).Select(m => m.Value);
    }

    private static string Text(string html)
    {
        var text = Regex.Replace(html, "<(script|style)[^>]*>.*?</\\1>", " ", RegexOptions.Singleline);
        var attributes = Regex.Matches(text, "(?:aria-label|title|placeholder|alt|label)=\"([^\"]*)\"").Select(m => m.Groups[1].Value);
        text = Regex.Replace(text, "<[^>]+>", " ");
        return WebUtility.HtmlDecode(string.Join(" ", attributes.Prepend(text)));
    }

    /// <summary>Words of the Finnish admin texts that no Swedish or English text has.</summary>
    [GeneratedRegex(@"\b(ja|tai|ei|kierro\w*|kierros\w*|yksikkö\w*|yksikö\w*|vastaaja\w*|vastau\w*|tulokset|kunta|kunnan|avautuu|sulkeutu\w*|tilaa|tallenna|lataa|painopiste|valitse|käyttäjä\w*|koodi\w*|raakadata\w*|osallistuja\w*|aineisto\w*|kysely\w*|sivu|takaisin|etusivu|kirjaudu\w*|poista|muuta|vuosi|luotiin|mitätöi\w*|huoltaja\w*|henkilöstö|oppilaat|lapset|varhaiskasvatus|perusopetus|kuukautta)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FinnishWord();

    private static List<(string Municipality, string[] Units)> UnitGroups(string html)
    {
        var select = Regex.Match(html, "<select id=\"order-unit\"[^>]*>(.*?)</select>", RegexOptions.Singleline).Groups[1].Value;
        return [.. Regex.Matches(select, "<optgroup label=\"([^\"]*)\">(.*?)</optgroup>", RegexOptions.Singleline)
            .Select(g => (WebUtility.HtmlDecode(g.Groups[1].Value), Regex.Matches(g.Groups[2].Value, "<option value=\"\\d+\">([^<]*)</option>").Select(o => WebUtility.HtmlDecode(o.Groups[1].Value)).ToArray()))];
    }

    private static string[] OrderGroups(string html) =>
        [.. Regex.Matches(Regex.Match(html, "<select id=\"order-group\"[^>]*>(.*?)</select>", RegexOptions.Singleline).Groups[1].Value, "<option value=\"(\\w+)\"").Select(m => m.Groups[1].Value)];
}
