namespace Arviointi.Surveys.Tests;

public sealed class SurveyParserTests
{
    private const string Valid = """
        id: test-survey
        sector: ecec
        group: guardian
        version: 1
        languages: [fi, sv, en]
        title: { fi: Otsikko, sv: Rubrik, en: Title }
        introduction: { fi: Johdanto, sv: Inledning, en: Introduction }
        sections:
          - id: s1
            title: { fi: Osio, sv: Avsnitt, en: Section }
            items:
              - id: q1
                type: agreement
                area: interaction
                text: { fi: Kysymys, sv: Fråga, en: Question }
        """;

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
    public void Every_survey_file_in_the_repository_is_valid()
    {
        var files = SurveyDirectory.Load(Path.Combine(RepositoryRoot(), "surveys"));
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.True(f.Result.IsValid, string.Join("\n", f.Result.Errors)));
    }

    [Fact]
    public void A_valid_file_gives_its_definition_with_texts_in_every_language()
    {
        var result = SurveyParser.Parse(Valid, "test.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var item = Assert.Single(result.Definition!.Items);
        Assert.Equal(("q1", ItemType.Agreement, "Fråga"), (item.Id, item.Type, item.Text.Get("sv")));
        Assert.Equal(Sector.Ecec, result.Definition.Sector);
    }

    [Theory]
    [InlineData("sector: ecec", "sector: ecce", 2, 9, "'sector': tuntematon arvo 'ecce'; sallitut: ecec, basic")]
    [InlineData("        type: agreement", "        type: likert", 13, 15, "'type': tuntematon arvo 'likert'")]
    [InlineData("text: { fi: Kysymys, sv: Fråga, en: Question }", "text: { fi: Kysymys, en: Question }", 15, 15, "kysymykseltä 'q1' puuttuu ruotsinkielinen teksti ('text')")]
    [InlineData("        area: interaction", "        area: interaction\n        colour: red", 15, 9, "tuntematon avain 'colour' kysymyksessä")]
    [InlineData("version: 1", "version: yksi", 4, 10, "'version' pitää olla positiivinen kokonaisluku, nyt 'yksi'")]
    [InlineData("group: guardian", "group: guardian\n  oops: true", 4, 7, "YAML-rakenne on rikki")]
    public void A_mistake_is_reported_with_file_line_column_and_a_plain_message(string replace, string with, int line, int column, string message)
    {
        var text = Valid.Replace(replace, with, StringComparison.Ordinal);
        Assert.NotEqual(Valid, text);
        var result = SurveyParser.Parse(text, "surveys/ecec/test.yaml");

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(("surveys/ecec/test.yaml", line, column), (error.File, error.Line, error.Column));
        Assert.StartsWith($"surveys/ecec/test.yaml:{line}:{column}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_item_id_is_reported_at_the_second_one()
    {
        var text = Valid + """

                  - id: q1
                    type: agreement
                    area: interaction
                    text: { fi: Toinen, sv: Annan, en: Another }
            """;
        var result = SurveyParser.Parse(text, "dup.yaml");
        var error = Assert.Single(result.Errors);
        Assert.Equal((16, 13), (error.Line, error.Column));
        Assert.Contains("kysymyksen id 'q1' on jo käytössä", error.Message, StringComparison.Ordinal);
    }
}
