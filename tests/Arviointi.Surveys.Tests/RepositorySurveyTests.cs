namespace Arviointi.Surveys.Tests;

/// <summary>The region's own surveys in <c>surveys/</c>: valid, complete in three languages, and of the size a regional evaluation uses.</summary>
public sealed class RepositorySurveyTests
{
    private static readonly Lazy<SurveyLibrary> Library = new(() => SurveyLibrary.Load(Path.Combine(RepositoryRoot(), "surveys")));

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Arviointi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root not found.");
    }

    [Fact]
    public void The_survey_folder_has_no_errors()
    {
        Assert.True(Library.Value.Errors.Count == 0, string.Join("\n", Library.Value.Errors));
    }

    [Theory]
    [InlineData("ecec-staff", Sector.Ecec, RespondentGroup.Staff)]
    [InlineData("ecec-guardian", Sector.Ecec, RespondentGroup.Guardian)]
    [InlineData("ecec-child", Sector.Ecec, RespondentGroup.Child)]
    [InlineData("basic-staff", Sector.Basic, RespondentGroup.Staff)]
    [InlineData("basic-guardian", Sector.Basic, RespondentGroup.Guardian)]
    [InlineData("basic-pupil", Sector.Basic, RespondentGroup.Pupil)]
    public void Each_of_the_six_surveys_has_15_to_35_items_besides_background_in_Finnish_Swedish_and_English(string id, Sector sector, RespondentGroup group)
    {
        var survey = Library.Value.Resolve(id).Definition!;
        Assert.Equal((sector, group), (survey.Sector, survey.Group));
        Assert.InRange(survey.Items.Count(i => !i.Background), 15, 35);
        Assert.Contains(survey.Items, i => i.Background);
        Assert.Equal(["fi", "sv", "en"], survey.Languages);
        Assert.All(survey.Items, i => Assert.True(i.Text.Has("fi") && i.Text.Has("sv") && i.Text.Has("en"), i.Id));
    }

    [Fact]
    public void The_child_survey_uses_the_picture_scale_only()
    {
        var child = Library.Value.Resolve("ecec-child").Definition!;
        Assert.All(child.Items.Where(i => !i.Background), i => Assert.Equal(ItemType.Smiley, i.Type));
    }

    [Fact]
    public void Pupils_in_grades_1_and_2_get_a_simpler_picture_scale_variant_by_condition()
    {
        var pupil = Library.Value.Resolve("basic-pupil").Definition!;
        var forYoungest = pupil.Items.Where(i => i.ShowIf?.Values.SequenceEqual(["1-2"]) == true).ToList();
        Assert.NotEmpty(forYoungest);
        Assert.All(forYoungest, i => Assert.Equal(ItemType.Smiley, i.Type));
        Assert.All(pupil.Items.Where(i => i.Type == ItemType.Agreement), i => Assert.DoesNotContain("1-2", i.ShowIf!.Values));
    }

    [Fact]
    public void The_cycle_holds_the_known_history_and_at_least_two_focus_modules()
    {
        var library = Library.Value;
        Assert.Equal(Sector.Ecec, library.SectorOf(2018));
        Assert.Equal(Sector.Basic, library.SectorOf(2022));
        Assert.Equal(Sector.Ecec, library.SectorOf(2023));
        Assert.Equal(Sector.Basic, library.SectorOf(2040));
        Assert.True(library.ModuleIds.Count >= 2);
        Assert.All(library.ResolveYear(2027), r => Assert.Empty(r.Errors));
        Assert.Contains(library.ResolveYear(2027), r => r.Definition!.FocusModule == "ecec-participation");
    }

    [Fact]
    public void Quality_areas_cover_the_sector_so_indices_per_area_can_be_computed()
    {
        foreach (var id in Library.Value.SurveyIds)
        {
            var survey = Library.Value.Resolve(id).Definition!;
            var areas = survey.Items.Where(i => i.Area.Length > 0).Select(i => i.Area).Distinct().ToList();
            Assert.True(areas.Count >= 4, $"{id} covers only {string.Join(", ", areas)}");
        }
    }
}
