using System.Globalization;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Shared;
using Arviointi.Web.Features.Surveys;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>Small, explicit test data built through the app's own services.</summary>
internal static class TestData
{
    public const string Password = "Testi-salasana-2027";

    public static async Task<Unit> UnitAsync(ArviointiFactory factory, string municipality, string name, Sector sector = Sector.Ecec)
    {
        await using var db = factory.CreateDbContext();
        var unit = new Unit { MunicipalityCode = municipality, Name = name, Sector = sector, Kind = sector == Sector.Ecec ? UnitKind.DayCareCentre : UnitKind.School };
        db.Units.Add(unit);
        await db.SaveChangesAsync();
        return unit;
    }

    public static Task UserAsync(ArviointiFactory factory, string name, string role, string? municipality = null, int? unit = null, string? email = null) =>
        factory.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = name, DisplayName = name, MunicipalityCode = municipality, UnitId = unit, Email = email };
            var result = await users.CreateAsync(user, Password);
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
            await users.AddToRoleAsync(user, role);
            if (role is Roles.Administrator or Roles.Analyst)
            {
                // Their roles require an authenticator app: the test users have set one up (SecondFactor.TestKey).
                await SecondFactor.EnableAsync(services, user);
            }

            return user;
        });

    public static async Task<SurveyVersion> SurveyAsync(ArviointiFactory factory, string surveyId)
    {
        await using var db = factory.CreateDbContext();
        return await db.SurveyVersions.Where(v => v.SurveyId == surveyId && v.FocusModule == null).OrderByDescending(v => v.Revision).FirstAsync();
    }

    /// <summary>An ECEC round open around the factory's clock, of the guardians' survey and any <paramref name="more"/>.</summary>
    public static async Task<EvaluationRound> OpenRoundAsync(ArviointiFactory factory, params string[] more)
    {
        var versions = new List<int>();
        foreach (var survey in (string[])["ecec-guardian", .. more])
        {
            versions.Add((await SurveyAsync(factory, survey)).Id);
        }

        var now = factory.Clock.GetUtcNow();
        var round = await factory.WithScopeAsync(async services =>
        {
            var (created, errors) = await services.GetRequiredService<RoundAdmin>()
                .CreateAsync(new NewRound(2027, Sector.Ecec, "Osallisuus", now.AddHours(-1), now.AddDays(30), versions), "testi");
            Assert.Empty(errors);
            return created!;
        });
        await ReconcileAsync(factory);
        return round;
    }

    public static Task<IReadOnlyList<string>> CodesAsync(ArviointiFactory factory, int roundId, int unitId, int count) =>
        factory.WithScopeAsync(services => services.GetRequiredService<RoundAdmin>().IssueCodesAsync(roundId, unitId, RespondentGroup.Guardian, count, "testi"));

    /// <summary>
    /// An ECEC guardian round of <paramref name="year"/> open for a day around the clock, answered with one form per
    /// respondent of each unit, then moved past its publication date: closed, snapshotted and published. Returns its id.
    /// </summary>
    /// <param name="enrolment">Guardians' group size per unit id, recorded before the close as the enrolment import would.</param>
    public static async Task<int> PublishedRoundAsync(ArviointiFactory factory, int year, IEnumerable<(Unit Unit, IReadOnlyList<Dictionary<string, string>> Forms)> answers, IReadOnlyDictionary<int, int>? enrolment = null)
    {
        var version = await SurveyAsync(factory, "ecec-guardian");
        var now = factory.Clock.GetUtcNow();
        var (round, errors) = await factory.WithScopeAsync(s => s.GetRequiredService<RoundAdmin>()
            .CreateAsync(new NewRound(year, Sector.Ecec, $"Testikierros {year}", now.AddMinutes(-1), now.AddDays(1), [version.Id]), "testi"));
        Assert.Empty(errors);
        await ReconcileAsync(factory);
        foreach (var (unit, forms) in answers)
        {
            var codes = await CodesAsync(factory, round!.Id, unit.Id, forms.Count);
            for (var i = 0; i < forms.Count; i++)
            {
                Assert.Equal(SubmitStatus.Saved, await AnswerAsync(factory, codes[i], forms[i]));
            }
        }

        if (enrolment is not null)
        {
            await using var db = factory.CreateDbContext();
            db.Enrolments.AddRange(enrolment.Select(e => new Arviointi.Web.Features.ResponseRates.Enrolment { RoundId = round!.Id, UnitId = e.Key, Group = RespondentGroup.Guardian, Count = e.Value }));
            await db.SaveChangesAsync();
        }

        // Past the close and the default publication eight weeks later.
        factory.Clock.Advance(TimeSpan.FromDays(1 + 57));
        await ReconcileAsync(factory);
        return round!.Id;
    }

    /// <summary>One form per value, each answering only <paramref name="itemId"/>: for rounds that compare a single item.</summary>
    public static IReadOnlyList<Dictionary<string, string>> Forms(string itemId, IEnumerable<string> values) =>
        [.. values.Select(v => new Dictionary<string, string> { ["a_" + itemId] = v })];

    /// <summary><paramref name="value"/> <paramref name="count"/> times, e.g. twelve answers of "4".</summary>
    public static string[] Times(string value, int count) => Enumerable.Repeat(value, count).ToArray();

    /// <summary>Runs a scheduled job as Hangfire would: through its scoped wrapper, which records how it went.</summary>
    public static Task RunJobAsync<T>(ArviointiFactory factory)
        where T : Arviointi.Web.Jobs.IScheduledWork =>
        new Arviointi.Web.Jobs.ScopedJob<T>(factory.Services.GetRequiredService<IServiceScopeFactory>()).RunAsync(CancellationToken.None);

    public static Task ReconcileAsync(ArviointiFactory factory) =>
        factory.WithScopeAsync(async services =>
        {
            await services.GetRequiredService<RoundReconciler>().RunAsync();
            return 0;
        });

    /// <summary>Stores one response with the given agreement answers (item id → byte), straight through the answering service.</summary>
    public static Task<SubmitStatus> AnswerAsync(ArviointiFactory factory, string code, IReadOnlyDictionary<string, string> form) =>
        factory.WithScopeAsync(async services =>
        {
            var answering = services.GetRequiredService<AnsweringService>();
            var check = await answering.CheckAsync(code);
            Assert.Equal(CodeStatus.Valid, check.Status);
            var (version, _) = (await answering.SurveyForAsync(check.Code!.Id))!.Value;
            var catalog = services.GetRequiredService<SurveyCatalog>();
            var parsed = AnswerForm.Parse(catalog.Definition(version), catalog.Layout(version), form.Select(f => new KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>(f.Key, f.Value)));
            return (await answering.SubmitAsync(check.Code.Id, Guid.NewGuid().ToString(), parsed)).Status;
        });

    /// <summary>
    /// Every detail page a results summary links to (one per group and quality area), joined: the tables that were on
    /// one long page before the summary came first.
    /// </summary>
    public static async Task<string> DetailsAsync(Browser browser, string summary)
    {
        var (status, html) = await browser.GetAsync(summary);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var pages = new List<string>();
        foreach (var link in System.Text.RegularExpressions.Regex.Matches(html, @"href=""([^""]*\?ryhma=[^""]*)""").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).Distinct())
        {
            var (detailStatus, detail) = await browser.GetAsync(link);
            Assert.Equal(System.Net.HttpStatusCode.OK, detailStatus);
            pages.Add(detail);
        }

        Assert.NotEmpty(pages);
        return string.Join('\n', pages);
    }

    /// <summary>Answers received in the round: stored as responses, or sent and waiting for the next flush.</summary>
    public static async Task<int> ResponseCountAsync(ArviointiFactory factory, int roundId)
    {
        await using var db = factory.CreateDbContext();
        return (await PendingResponses.CountsAsync(db, roundId, CancellationToken.None)).Sum(c => c.Count);
    }

    /// <summary>A municipality report's blocks as the endpoint composes them for a reader of <paramref name="language"/> (no response rates).</summary>
    public static IReadOnlyList<ReportBlock> ReportContent(ArviointiFactory factory, EvaluationRound round, RoundResults results, Municipality municipality, string language)
    {
        // The localizer reads the current UI culture, as a request's culture is set for the endpoint.
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        try
        {
            var t = factory.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
            return MunicipalityReport.Content(round, results, municipality, [], factory.Clock.GetUtcNow(), t, language);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    /// <summary>Stores every answer still waiting, as closing a round does, so a test can read the responses.</summary>
    public static Task<int> FlushAsync(ArviointiFactory factory) =>
        factory.WithScopeAsync(services => services.GetRequiredService<PendingResponses>().FlushAsync());
}
