using System.Net;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Arviointi.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Web.Tests.Features;

/// <summary>Survey files become immutable versions; a round keeps the exact version it was created with.</summary>
public sealed class SurveyVersionTests(EditableSurveysFactory factory) : IClassFixture<EditableSurveysFactory>
{
    private const string OldText = "Lapseni tulee kuulluksi ja ymmärretyksi.";
    private const string NewText = "Lastani kuunnellaan ja hänet ymmärretään.";

    [Fact]
    public async Task Editing_a_file_after_a_round_was_created_never_changes_that_round()
    {
        var unit = await TestData.UnitAsync(factory, "142", "Päiväkoti Versio");
        var now = factory.Clock.GetUtcNow();
        var round = await factory.WithScopeAsync(async s =>
        {
            var (created, errors) = await s.GetRequiredService<RoundAdmin>().CreateFromCycleAsync(2027, now.AddMinutes(-1), now.AddDays(20), "testi");
            Assert.Empty(errors);
            return created!;
        });
        Assert.Equal(Sector.Ecec, round.Sector);
        Assert.Equal("Lasten osallisuus", round.FocusTheme);
        await TestData.ReconcileAsync(factory);

        int versionAtCreation;
        await using (var db = factory.CreateDbContext())
        {
            var guardian = await db.RoundSurveys.Include(r => r.SurveyVersion).SingleAsync(r => r.RoundId == round.Id && r.Group == RespondentGroup.Guardian);
            versionAtCreation = guardian.SurveyVersionId;
            Assert.Equal("ecec-participation", guardian.SurveyVersion!.FocusModule);
            Assert.Equal(3, await db.RoundSurveys.CountAsync(r => r.RoundId == round.Id));
        }

        // An author rewords the first item in the bank; the next import makes a new version.
        factory.Edit("items/ecec-guardian.yaml", OldText, NewText);
        var imported = await factory.WithScopeAsync(s => s.GetRequiredService<SurveyCatalog>().ImportAllAsync(s.GetRequiredService<AppDbContext>()));
        var newVersion = imported.Single(v => v.SurveyId == "ecec-guardian" && v.FocusModule == "ecec-participation");
        Assert.NotEqual(versionAtCreation, newVersion.Id);

        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(versionAtCreation, (await db.RoundSurveys.SingleAsync(r => r.RoundId == round.Id && r.Group == RespondentGroup.Guardian)).SurveyVersionId);
        }

        // A respondent of the round still gets the wording the round was created with.
        var code = (await factory.WithScopeAsync(s => s.GetRequiredService<RoundAdmin>().IssueCodesAsync(round.Id, unit.Id, RespondentGroup.Guardian, 1, "testi")))[0];
        using var respondent = new Respondent(factory);
        await respondent.EnterAsync(code);
        await respondent.PostPageAsync(1, [new("a_vk_h_age_band", "3-5")]);
        var (_, review) = await respondent.Browser.GetAsync("/vastaa/yhteenveto");
        Assert.Contains(OldText, review, StringComparison.Ordinal);
        Assert.DoesNotContain(NewText, review, StringComparison.Ordinal);
        var moduleSection = factory.Services.GetRequiredService<SurveyCatalog>().Definition(newVersion).Sections[^1].Title.Get("fi");
        Assert.Contains(moduleSection, review, StringComparison.Ordinal);

        // The new version shows the new wording to reviewers.
        await TestData.UserAsync(factory, "versions.admin", Roles.Administrator);
        using var admin = await Browser.SignedInAsync(factory, "versions.admin", TestData.Password);
        var (_, preview) = await admin.GetAsync($"/hallinta/kyselyt/{newVersion.Id}");
        Assert.Contains(NewText, preview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_language_added_to_the_files_is_offered_to_respondents_and_Arabic_runs_right_to_left()
    {
        factory.Edit("ecec/guardian.yaml", "languages: [fi, sv, en]", "languages: [fi, sv, en]\npartial_languages: [ar]");
        factory.Edit("ecec/guardian.yaml", "  en: Evaluation survey on early childhood education for guardians", "  en: Evaluation survey on early childhood education for guardians\n  ar: استبيان تقييم التعليم في مرحلة الطفولة المبكرة للأولياء");
        var imported = await factory.WithScopeAsync(s => s.GetRequiredService<SurveyCatalog>().ImportAllAsync(s.GetRequiredService<AppDbContext>()));
        var version = imported.Single(v => v.SurveyId == "ecec-guardian" && v.FocusModule is null);
        var unit = await TestData.UnitAsync(factory, "016", "Päiväkoti Kieli");
        var now = factory.Clock.GetUtcNow();
        var round = await factory.WithScopeAsync(async s => (await s.GetRequiredService<RoundAdmin>()
            .CreateAsync(new NewRound(2027, Sector.Ecec, "Kielet", now.AddMinutes(-5), now.AddDays(5), [version.Id]), "testi")).Round!);
        await TestData.ReconcileAsync(factory);
        var code = (await TestData.CodesAsync(factory, round.Id, unit.Id, 1))[0];

        using var respondent = new Respondent(factory);
        await respondent.EnterAsync(code);
        var (_, finnish) = await respondent.Browser.GetAsync("/vastaa/kysely");
        Assert.Contains("formaction=\"/vastaa/kysely?sivu=1&amp;kieli=ar\" name=\"suunta\" value=\"kieli\" lang=\"ar\"", finnish, StringComparison.Ordinal);
        var (_, arabic) = await respondent.Browser.GetAsync("/vastaa/kysely?kieli=ar");
        Assert.Contains("<div lang=\"ar\" dir=\"rtl\" class=\"survey-content\">", arabic, StringComparison.Ordinal);
        Assert.Contains("استبيان تقييم التعليم", arabic, StringComparison.Ordinal);
        Assert.Contains("Kuinka vanha lapsesi on?", arabic, StringComparison.Ordinal); // a partial language shows Finnish where a text is missing
    }

    [Fact]
    public async Task An_unchanged_folder_imports_no_new_versions()
    {
        var before = await factory.WithScopeAsync(s => s.GetRequiredService<AppDbContext>().SurveyVersions.CountAsync());
        await factory.WithScopeAsync(s => s.GetRequiredService<SurveyCatalog>().ImportAllAsync(s.GetRequiredService<AppDbContext>()));
        var after = await factory.WithScopeAsync(s => s.GetRequiredService<AppDbContext>().SurveyVersions.CountAsync());
        Assert.Equal(before, after);
    }
}

/// <summary>The preview renders any stored version as respondents see it, in each of its languages, for administrators only.</summary>
public sealed class SurveyPreviewTests(SurveyPreviewTests.Fixture factory) : IClassFixture<SurveyPreviewTests.Fixture>
{
    public sealed class Fixture : ArviointiFactory, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await TestData.UserAsync(this, "preview.admin", Roles.Administrator);
            await TestData.UserAsync(this, "preview.director", Roles.Director, "398");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Theory]
    [InlineData("fi", "Lasten arviointikysely varhaiskasvatuksesta")]
    [InlineData("sv", "Barnens utvärderingsenkät om småbarnspedagogik")]
    [InlineData("en", "Children's evaluation survey on early childhood education")]
    public async Task Every_language_of_a_survey_previews_with_its_own_texts(string language, string title)
    {
        var version = await TestData.SurveyAsync(factory, "ecec-child");
        using var admin = await Browser.SignedInAsync(factory, "preview.admin", TestData.Password);
        var (status, html) = await admin.GetAsync($"/hallinta/kyselyt/{version.Id}?kieli={language}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<div lang=\"{language}\" dir=\"ltr\" class=\"survey-content\">", html, StringComparison.Ordinal);
        Assert.Contains(title.Replace("'", "&#x27;", StringComparison.Ordinal), html, StringComparison.Ordinal);
        Assert.Contains("class=\"item smiley\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"__RequestVerificationToken\"", html.Split("survey-content")[1], StringComparison.Ordinal);
        Assert.DoesNotContain("Lähetä vastaukset", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_links_every_version_and_language_and_directors_cannot_see_it()
    {
        using var admin = await Browser.SignedInAsync(factory, "preview.admin", TestData.Password);
        var (_, list) = await admin.GetAsync("/hallinta/kyselyt");
        foreach (var id in new[] { "ecec-staff", "ecec-guardian", "ecec-child", "basic-staff", "basic-guardian", "basic-pupil" })
        {
            Assert.Contains($"({id})", list, StringComparison.Ordinal);
        }

        Assert.Contains("attendance", list, StringComparison.Ordinal);
        using var director = await Browser.SignedInAsync(factory, "preview.director", TestData.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await director.GetAsync("/hallinta/kyselyt")).Status);
    }

    [Fact]
    public async Task Conditional_items_say_when_to_answer_and_an_answer_to_a_hidden_item_is_not_kept()
    {
        var version = await TestData.SurveyAsync(factory, "ecec-guardian");
        using var admin = await Browser.SignedInAsync(factory, "preview.admin", TestData.Password);
        var (_, html) = await admin.GetAsync($"/hallinta/kyselyt/{version.Id}");
        Assert.Contains("data-show-if=\"a_vk_h_age_band\" data-show-values=\"6\"", html, StringComparison.Ordinal);
        Assert.Contains("Vastaa, jos valitsit: esiopetusikäinen", html, StringComparison.Ordinal);

        var (definition, layout) = factory.Services.GetRequiredService<SurveyCatalog>() is var c ? (c.Definition(version), c.Layout(version)) : default;
        var answers = AnswerForm.Parse(definition, layout, new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
        {
            ["a_vk_h_age_band"] = "3-5",
            ["a_vk_h_023"] = "5",
            ["a_vk_h_001"] = "4",
        });
        Assert.Equal(0, answers.Answers[layout.SlotOf("vk_h_023")!.Index]);
        Assert.Equal(4, answers.Answers[layout.SlotOf("vk_h_001")!.Index]);

        var shown = AnswerForm.Parse(definition, layout, new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["a_vk_h_age_band"] = "6", ["a_vk_h_023"] = "5" });
        Assert.Equal(5, shown.Answers[layout.SlotOf("vk_h_023")!.Index]);
    }
}
