namespace Arviointi.Surveys.Tests;

public sealed class SurveyLibraryTests
{
    [Fact]
    public void A_valid_folder_resolves_surveys_with_items_from_the_bank_and_conditions()
    {
        using var sample = new SampleLibrary();
        var library = sample.Load();
        Assert.Empty(library.Errors);

        var (survey, errors) = library.Resolve("ecec-guardian");
        Assert.Empty(errors);
        Assert.Equal(["bg", "q1", "open"], survey!.Items.Select(i => i.Id));
        var open = survey.Items.Single(i => i.Id == "open");
        Assert.Equal("bg", open.ShowIf!.ItemId);
        Assert.Equal(["a"], open.ShowIf.Values);
        Assert.Equal(500, open.MaxLength);
        Assert.Equal("Fråga ett", survey.Items.Single(i => i.Id == "q1").Text.Get("sv"));
    }

    [Fact]
    public void A_focus_module_adds_its_section_to_the_groups_it_names_only()
    {
        using var sample = new SampleLibrary();
        var library = sample.Load();

        var guardian = library.Resolve("ecec-guardian", "focus").Definition!;
        Assert.Equal(["background", "main", "focus_guardian"], guardian.Sections.Select(s => s.Id));
        Assert.Equal("focus", guardian.FocusModule);
        Assert.Equal(["focus"], library.ModulesFor("ecec-guardian"));
        Assert.Empty(library.ModulesFor("ecec-child"));
    }

    [Fact]
    public void The_cycle_gives_each_year_its_sector_and_the_years_surveys_their_focus_module()
    {
        using var sample = new SampleLibrary();
        var library = sample.Load();

        Assert.Equal(Sector.Ecec, library.SectorOf(2018));
        Assert.Null(library.SectorOf(2019));
        Assert.Equal(Sector.Basic, library.SectorOf(2030));
        Assert.Equal(Sector.Ecec, library.SectorOf(2031));
        var year = library.ResolveYear(2023);
        Assert.Equal(2, year.Count);
        Assert.Equal("focus", year.Single(y => y.Definition!.Group == RespondentGroup.Guardian).Definition!.FocusModule);
        Assert.Null(year.Single(y => y.Definition!.Group == RespondentGroup.Child).Definition!.FocusModule);
        Assert.Equal("Delaktighet", library.Cycle.Single(c => c.Year == 2023).Theme!.Get("sv"));
    }

    [Fact]
    public void A_resolved_survey_round_trips_through_its_stored_JSON_unchanged()
    {
        using var sample = new SampleLibrary();
        var survey = sample.Load().Resolve("ecec-guardian", "focus").Definition!;

        var json = SurveyJson.Serialize(survey);
        var back = SurveyJson.Deserialize(json);

        Assert.Equal(json, SurveyJson.Serialize(back));
        Assert.Equal(survey.Items.Select(i => (i.Id, i.Type, i.Text.Get("en"), i.ShowIf?.ItemId)), back.Items.Select(i => (i.Id, i.Type, i.Text.Get("en"), i.ShowIf?.ItemId)));
        Assert.Contains("\"type\":\"singleChoice\"", json, StringComparison.Ordinal);
        Assert.Contains("Fråga ett", json, StringComparison.Ordinal);
    }

    [Fact]
    public void More_languages_need_no_code_and_a_partial_language_may_miss_texts()
    {
        using var sample = new SampleLibrary("ecec/child.yaml", "languages: [fi, sv, en]", "languages: [fi, sv, en]\npartial_languages: [ar, uk]");
        var child = sample.Load().Resolve("ecec-child");

        Assert.Empty(child.Errors);
        Assert.Equal(["fi", "sv", "en", "ar", "uk"], child.Definition!.OfferedLanguages);
        Assert.Equal("Hymy", child.Definition.Items.Single().Text.Get("ar"));
        Assert.True(Languages.IsRightToLeft("ar"));
        Assert.Equal("rtl", Languages.Direction("ar"));
        Assert.Equal("ltr", Languages.Direction("uk"));
    }

    [Fact]
    public void A_full_language_must_have_every_text()
    {
        using var sample = new SampleLibrary("ecec/child.yaml", "languages: [fi, sv, en]", "languages: [fi, sv, en, et]");
        var errors = sample.Load().Errors;

        Assert.Contains(errors, e => e.Message == "kysymykseltä 'smile' puuttuu vironkielinen teksti ('text'), jota kysely 'ecec-child' tarvitsee");
        Assert.Contains(errors, e => e.Message.StartsWith("kyselyltä 'ecec-child' puuttuu vironkielinen teksti ('title')", StringComparison.Ordinal));
    }
}
