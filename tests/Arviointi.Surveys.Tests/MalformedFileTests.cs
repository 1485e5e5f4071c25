namespace Arviointi.Surveys.Tests;

/// <summary>
/// Every kind of mistake a survey author can make, one file broken at a time: each gives its own plain Finnish
/// message at the right file, line and column, and none throws. The expected place is where <c>At</c> stands
/// in the broken file (its first occurrence), so the table reads like the files themselves.
/// </summary>
public sealed class MalformedFileTests
{
    public static TheoryData<string, string, string, string, string, string, string> Cases => new()
    {
        // case, broken file, find, replace with, file of the error, text at the error, message
        { "broken YAML: unclosed quote", "ecec/guardian.yaml", "version: 1", "version: \"1", "ecec/guardian.yaml", "\"1", "YAML-rakenne on rikki: lainausmerkki jäi sulkematta" },
        { "wrong indentation", "ecec/guardian.yaml", "group: guardian", "group: guardian\n  oops: true", "ecec/guardian.yaml", ": true", "YAML-rakenne on rikki: rivillä on kaksoispiste väärässä paikassa" },
        { "unclosed flow list", "ecec/child.yaml", "languages: [fi, sv, en]", "languages: [fi, sv, en", "ecec/child.yaml", "", "tiedosto loppui kesken" },
        { "not a mapping at all", "modules/focus.yaml", "id: focus", "- just a list\nid: focus", "modules/focus.yaml", "id: focus", "YAML-rakenne on rikki: luettelon rivit alkavat '- '" },
        { "a tab in the indentation", "ecec/child.yaml", "version: 1", "\tversion: 1", "ecec/child.yaml", "\tversion", "YAML-rakenne on rikki: sisennyksessä on sarkain (tab)" },
        { "the same key twice", "ecec/child.yaml", "version: 1", "version: 1\nversion: 2", "ecec/child.yaml", "version: 2", "YAML-rakenne on rikki: sama avain on kahdesti" },
        { "a tab before a list row", "ecec/child.yaml", "version: 1", "version:\n\t- 1", "ecec/child.yaml", "\t- 1", "YAML-rakenne on rikki: sisennyksessä on sarkain (tab); käytä välilyöntejä" },
        { "a second YAML document", "ecec/child.yaml", "version: 1", "version: 1\n---\nversion: 2", "ecec/child.yaml", "version: 2", "tiedostossa on '---'- tai '...'-rivin jälkeen toinen YAML-dokumentti, jota ei lueta" },
        { "text after a document of its own", "ecec/child.yaml", "version: 1", "version: 1\n--- |\n  x\nfoo: 1", "ecec/child.yaml", "foo: 1", "YAML-rakenne on rikki: '---'- tai '...'-rivin jälkeen tiedosto jatkuu väärin" },
        { "a YAML version not supported", "ecec/child.yaml", "id: ecec-child", "%YAML 2.0\n---\nid: ecec-child", "ecec/child.yaml", "%YAML", "YAML-rakenne on rikki: '%YAML'-rivin versiota ei tueta" },
        { "text after a block scalar sign", "ecec/child.yaml", "version: 1", "version: |abc", "ecec/child.yaml", "|abc", "YAML-rakenne on rikki: '|'- tai '>'-merkin perässä ei voi olla tekstiä samalla rivillä" },
        { "a key cut off at the end", "modules/focus.yaml", "      - q2", "      - q2\n    itms", "modules/focus.yaml", "itms", "YAML-rakenne on rikki: avaimen perästä puuttuu kaksoispiste" },
        { "a directive in the middle", "ecec/child.yaml", "version: 1", "version: 1\n%YAML 1.2", "ecec/child.yaml", "%YAML", "YAML-rakenne on rikki: '%'-alkuinen rivi on väärässä kohdassa" },
        { "a value starting with a backtick", "ecec/child.yaml", "version: 1", "version: `1", "ecec/child.yaml", "`1", "YAML-rakenne on rikki: arvo alkaa merkillä, jolla YAML-arvo ei voi alkaa" },
        { "a value that is only a bracket", "ecec/child.yaml", "version: 1", "version: ]", "ecec/child.yaml", "]", "YAML-rakenne on rikki: arvo puuttuu tai alkaa väärällä merkillä" },
        { "a list row after a key on the same line", "ecec/child.yaml", "version: 1", "version: - 1", "ecec/child.yaml", "- 1", "YAML-rakenne on rikki: luettelon rivi '- ' ei voi alkaa tässä" },
        { "a bare alias sign", "ecec/child.yaml", "version: 1", "version: *", "ecec/child.yaml", "*", "YAML-rakenne on rikki: '&' ja '*' aloittavat YAML-viittauksen" },
        { "a list as a key", "ecec/child.yaml", "version: 1", "version: 1\n? [a, b]\n: c", "ecec/child.yaml", "[a, b]", "YAML-rakenne on rikki: avaimen pitää olla yksittäinen sana" },
        { "an empty key before a document marker", "ecec/child.yaml", "  - id: play", "  - : play\n---", "ecec/child.yaml", "---", "YAML-rakenne on rikki: rakenne katkeaa tähän" },
        { "unknown item type", "items/bank.yaml", "type: agreement\n    area: interaction", "type: likert\n    area: interaction", "items/bank.yaml", "likert", "'type': tuntematon arvo 'likert'; sallitut: agreement, smiley, singlechoice, multiplechoice, text" },
        { "duplicate item id", "items/bank.yaml", "- id: q2", "- id: q1", "items/bank.yaml", "id: q1\n    type: agreement\n    area: participation", "kysymyksen id 'q1' on jo käytössä" },
        { "missing Swedish text", "items/bank.yaml", "{ fi: Kysymys yksi, sv: Fråga ett, en: Question one }", "{ fi: Kysymys yksi, en: Question one }", "items/bank.yaml", "{ fi: Kysymys yksi", "kysymykseltä 'q1' puuttuu ruotsinkielinen teksti ('text'), jota kysely 'ecec-guardian' tarvitsee" },
        { "missing English option label", "items/bank.yaml", "label: { fi: B, sv: B, en: B }", "label: { fi: B, sv: B }", "items/bank.yaml", "{ fi: B", "kysymyksen 'bg' vaihtoehdolta 'b' puuttuu englanninkielinen teksti ('label')" },
        { "text not given by language", "items/bank.yaml", "text: { fi: Hymy, sv: Leende, en: Smile }", "text: Hymy", "items/bank.yaml", "Hymy", "'text' pitää antaa kielittäin" },
        { "not a language code", "items/bank.yaml", "en: Question two", "eng: Question two", "items/bank.yaml", "eng:", "'eng' ei ole kielikoodi" },
        { "condition on an unknown item", "ecec/guardian.yaml", "show_if: { item: bg", "show_if: { item: nope", "ecec/guardian.yaml", "open\n", "ehto viittaa kysymykseen 'nope', jota ei ole tässä kyselyssä ennen sitä" },
        { "condition on an unknown option", "ecec/guardian.yaml", "in: [a]", "in: [z]", "ecec/guardian.yaml", "open\n", "ehdossa on vaihtoehto 'z', jota kysymyksessä 'bg' ei ole; vaihtoehdot: a, b" },
        { "condition on a scale item", "ecec/guardian.yaml", "show_if: { item: bg", "show_if: { item: q1", "ecec/guardian.yaml", "open\n", "ehto viittaa kysymykseen 'q1', joka ei ole valintakysymys" },
        { "item missing from the bank", "ecec/guardian.yaml", "- q1", "- q9", "ecec/guardian.yaml", "q9", "kysymystä 'q9' ei ole kysymyspankissa" },
        { "item used twice", "ecec/guardian.yaml", "- q1", "- q1\n      - q1", "ecec/guardian.yaml", "q1\n      - item", "kysymys 'q1' on kyselyssä 'ecec-guardian' jo aiemmin" },
        { "unknown key in a survey", "ecec/guardian.yaml", "version: 1", "version: 1\ncolour: red", "ecec/guardian.yaml", "colour", "tuntematon avain 'colour' kyselyssä" },
        { "unknown sector", "ecec/child.yaml", "sector: ecec", "sector: lukio", "ecec/child.yaml", "lukio", "'sector': tuntematon arvo 'lukio'; sallitut: ecec, basic" },
        { "no Finnish", "ecec/child.yaml", "languages: [fi, sv, en]", "languages: [sv, en]", "ecec/child.yaml", "[sv, en]", "kyselyn kielissä pitää olla suomi (fi)" },
        { "version not a number", "ecec/child.yaml", "version: 1", "version: yksi", "ecec/child.yaml", "yksi", "'version' pitää olla positiivinen kokonaisluku, nyt 'yksi'" },
        { "missing title", "ecec/child.yaml", "title: { fi: Lapset, sv: Barn, en: Children }\n", "", "ecec/child.yaml", "id: ecec-child", "kyselyltä 'ecec-child' puuttuu 'title'" },
        { "unknown quality area", "items/bank.yaml", "area: participation", "area: happiness", "items/bank.yaml", "happiness", "tuntematon laatualue 'happiness'" },
        { "area of the other sector", "items/bank.yaml", "area: participation", "area: digital_skills", "modules/focus.yaml", "q2", "kysymyksen 'q2' laatualue 'digital_skills' ei kuulu sektorin varhaiskasvatus (ecec) laatualueisiin" },
        { "five-point scale in the child survey", "ecec/child.yaml", "- smile", "- q1", "ecec/child.yaml", "q1", "lasten kyselyssä käytetään kuvallista asteikkoa (smiley), mutta kysymys 'q1' on 5-portainen (agreement)" },
        { "smiley for adults without a condition", "ecec/guardian.yaml", "- q1", "- smile", "ecec/guardian.yaml", "smile", "kuvallinen asteikko (smiley) kuuluu lasten kyselyyn tai ehdolla (show_if) nuorimmille oppilaille" },
        { "choice with one option", "items/bank.yaml", "      - id: b\n        label: { fi: B, sv: B, en: B }\n", "", "items/bank.yaml", "- id: a", "valintakysymyksellä 'bg' pitää olla vähintään kaksi vaihtoehtoa" },
        { "quasi-identifier on a scale item", "items/bank.yaml", "area: interaction\n", "area: interaction\n    quasi_identifier: true\n", "items/bank.yaml", "id: q1", "'quasi_identifier' sopii vain yksivalintaiseen taustakysymykseen" },
        { "max_length on a scale item", "items/bank.yaml", "area: interaction\n", "area: interaction\n    max_length: 10\n", "items/bank.yaml", "10", "'max_length' sopii vain tekstikysymykselle" },
        { "duplicate section id", "ecec/guardian.yaml", "- id: main", "- id: background", "ecec/guardian.yaml", "background\n    title: { fi: Pääosio", "osion id 'background' on jo käytössä" },
        { "item written inline in a survey", "ecec/child.yaml", "- smile", "- id: smile2\n        type: smiley\n        text: { fi: X }", "ecec/child.yaml", "id: smile2", "kysymykset kirjoitetaan kysymyspankkiin (surveys/items/)" },
        { "rewording of an unknown item", "items/bank.yaml", "area: participation", "area: participation\n    replaces: old\n    comparable: true", "items/bank.yaml", "id: q2", "kysymys 'q2' korvaa kysymyksen 'old', jota ei ole kysymyspankissa" },
        { "comparable across different scales", "items/bank.yaml", "area: participation", "area: participation\n    replaces: smile\n    comparable: true", "items/bank.yaml", "id: q2", "asteikko ei vastaa (agreement / smiley)" },
        { "year against the rule", "cycle.yaml", "year: 2023\n    sector: ecec", "year: 2023\n    sector: basic", "cycle.yaml", "year: 2023", "vuonna 2023 arvioidaan säännön mukaan varhaiskasvatus (ecec), ei perusopetus (basic)" },
        { "unknown focus module", "cycle.yaml", "focus: focus", "focus: robots", "cycle.yaml", "year: 2023", "vuoden 2023 teemamoduulia 'robots' ei ole kansiossa modules/" },
        { "module section for a group without a survey", "modules/focus.yaml", "groups: [guardian]", "groups: [staff]", "modules/focus.yaml", "id: focus_guardian", "osio 'focus_guardian' on ryhmälle 'staff', mutta sektorilla ei ole sen ryhmän kyselyä" },
        { "pupils in early childhood education", "ecec/child.yaml", "group: child", "group: pupil", "ecec/child.yaml", "pupil", "oppilaat (pupil) vastaavat perusopetuksen kyselyyn" },
        { "second survey for the same group", "ecec/child.yaml", "group: child", "group: guardian", "ecec/guardian.yaml", "id: ecec-guardian", "samalle sektorille ja vastaajaryhmälle on jo kysely" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_mistake_is_reported_in_its_own_words_at_its_place(string name, string file, string find, string replace, string errorFile, string at, string message)
    {
        using var sample = new SampleLibrary(file, find, replace);
        var library = sample.Load();

        var error = Assert.Single(library.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
        var text = sample.Read(errorFile);
        var (line, column) = at.Length == 0 ? (text.Split('\n').Length, 1) : Place(text, at);
        Assert.True(
            error.File == Path.Join(sample.Root, errorFile) && error.Line == line && error.Column == column,
            $"{name}: expected {errorFile}:{line}:{column}, got {error}");
        Assert.Matches(@"^.+\.yaml:\d+:\d+: \S", error.ToString());
    }

    [Fact]
    public void The_table_has_at_least_twenty_kinds_of_mistake_with_distinct_messages()
    {
        var messages = Cases.Select(c => (string)c[6]).ToList();
        Assert.True(messages.Count >= 20);
        Assert.Equal(messages.Count, messages.Distinct().Count());
    }

    [Fact]
    public void Binary_garbage_and_an_empty_folder_are_reported_not_thrown()
    {
        using var sample = new SampleLibrary();
        File.WriteAllBytes(Path.Combine(sample.Root, "ecec", "garbage.yaml"), [0xFF, 0xFE, 0x00, 0x01, 0x5B, 0x7B]);
        Assert.Contains(sample.Load().Errors, e => e.File.EndsWith("garbage.yaml", StringComparison.Ordinal));

        var empty = Directory.CreateTempSubdirectory("arviointi-empty");
        Assert.Equal("kansiosta ei löytynyt yhtään .yaml-tiedostoa", Assert.Single(SurveyLibrary.Load(empty.FullName).Errors).Message);
        empty.Delete();
    }

    [Fact]
    public void A_brace_left_open_on_the_last_line_is_reported_on_that_line_not_after_it()
    {
        using var sample = new SampleLibrary("modules/focus.yaml", "      - q2", "      - { item: q2");
        var text = sample.Read("modules/focus.yaml");
        Assert.False(text.EndsWith('\n'));

        var error = Assert.Single(sample.Load().Errors, e => e.Message.Contains("aaltosulkeissa", StringComparison.Ordinal));
        Assert.Equal((text.Split('\n').Length, text.Split('\n')[^1].Length + 1), (error.Line, error.Column));
    }

    [Fact]
    public void An_empty_second_document_at_the_end_is_reported_on_the_last_line_not_after_it()
    {
        // Lines ending in the Unicode line separator, which YAML counts as line breaks, and a '---' last.
        using var sample = new SampleLibrary("modules/focus.yaml", "      - q2", "      - q2\n---");
        var path = Path.Combine(sample.Root, "modules", "focus.yaml");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\n", "\u2028", StringComparison.Ordinal).Replace("\u2028---", "\n---", StringComparison.Ordinal));

        var error = Assert.Single(sample.Load().Errors, e => e.Message.Contains("toinen YAML-dokumentti", StringComparison.Ordinal));
        Assert.Equal(sample.Read("modules/focus.yaml").Split('\u2028', '\n').Length, error.Line);
    }

    [Fact]
    public void Nesting_a_hundred_thousand_levels_deep_is_reported_at_its_33rd_level_instead_of_overflowing_the_stack()
    {
        using var sample = new SampleLibrary("ecec/child.yaml", "version: 1", "version: " + new string('[', 100_000) + new string(']', 100_000));

        // The file's own mapping is the first level, so the 32nd bracket opens the 33rd.
        var error = Assert.Single(sample.Load().Errors);
        Assert.Equal((4, "version: ".Length + 32), (error.Line, error.Column));
        Assert.Contains("sisäkkäisiä luetteloita tai rakenteita on yli 32 tasoa", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_of_nested_aliases_is_refused_at_once_instead_of_being_hashed_for_hours()
    {
        // Each anchor lists the one before ten times: 10^30 nodes behind the key, in a file of two kilobytes.
        var bomb = string.Join('\n', Enumerable.Range(1, 29).Select(i => $"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]"));
        using var sample = new SampleLibrary("ecec/child.yaml", "version: 1", $"version: 1\nl0: &l0 [x, x]\n{bomb}\n? [*l29, *l29]\n: bomb");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.Single(sample.Load().Errors, e => e.Message.Contains("avaimen pitää olla yksittäinen sana", StringComparison.Ordinal));
        Assert.Equal(35, error.Line);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    private static (int Line, int Column) Place(string text, string at)
    {
        var index = text.IndexOf(at, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{at}' not in the broken file");
        var before = text[..index];
        var line = before.Count(c => c == '\n') + 1;
        return (line, index - (before.LastIndexOf('\n') + 1) + 1);
    }
}
