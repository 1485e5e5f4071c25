namespace Arviointi.Surveys.Tests;

/// <summary>A small valid survey folder written to a temporary directory; tests break one file at a time.</summary>
internal sealed class SampleLibrary : IDisposable
{
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        ["items/bank.yaml"] = """
            items:
              - id: bg
                type: singlechoice
                background: true
                text: { fi: Tausta, sv: Bakgrund, en: Background }
                options:
                  - id: a
                    label: { fi: A, sv: A, en: A }
                  - id: b
                    label: { fi: B, sv: B, en: B }
              - id: q1
                type: agreement
                area: interaction
                text: { fi: Kysymys yksi, sv: Fråga ett, en: Question one }
              - id: q2
                type: agreement
                area: participation
                text: { fi: Kysymys kaksi, sv: Fråga två, en: Question two }
              - id: smile
                type: smiley
                area: pedagogy_play
                text: { fi: Hymy, sv: Leende, en: Smile }
              - id: open
                type: text
                max_length: 500
                text: { fi: Avoin, sv: Öppen, en: Open }
            """,
        ["ecec/guardian.yaml"] = """
            id: ecec-guardian
            sector: ecec
            group: guardian
            version: 1
            languages: [fi, sv, en]
            title: { fi: Huoltajat, sv: Vårdnadshavare, en: Guardians }
            introduction: { fi: Johdanto, sv: Inledning, en: Introduction }
            sections:
              - id: background
                title: { fi: Tausta, sv: Bakgrund, en: Background }
                items:
                  - bg
              - id: main
                title: { fi: Pääosio, sv: Huvuddel, en: Main }
                items:
                  - q1
                  - item: open
                    show_if: { item: bg, in: [a] }
            """,
        ["ecec/child.yaml"] = """
            id: ecec-child
            sector: ecec
            group: child
            version: 1
            languages: [fi, sv, en]
            title: { fi: Lapset, sv: Barn, en: Children }
            introduction: { fi: Johdanto, sv: Inledning, en: Introduction }
            sections:
              - id: play
                title: { fi: Leikki, sv: Lek, en: Play }
                items:
                  - smile
            """,
        ["modules/focus.yaml"] = """
            id: focus
            sector: ecec
            title: { fi: Teema, sv: Tema, en: Theme }
            sections:
              - id: focus_guardian
                groups: [guardian]
                title: { fi: Teemaosio, sv: Temadel, en: Theme part }
                items:
                  - q2
            """,
        ["cycle.yaml"] = """
            rule: { from: 2022, even: basic, odd: ecec }
            years:
              - { year: 2018, sector: ecec }
              - year: 2023
                sector: ecec
                focus: focus
                theme: { fi: Osallisuus, sv: Delaktighet, en: Participation }
            """,
    };

    public SampleLibrary(string? file = null, string? find = null, string? replace = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "arviointi-surveys", Guid.NewGuid().ToString("n"));
        foreach (var (name, text) in Files)
        {
            var content = text;
            if (name == file)
            {
                Assert.Contains(find!, content, StringComparison.Ordinal);
                content = content.Replace(find!, replace, StringComparison.Ordinal);
            }

            var path = Path.Combine(Root, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }

    public string Root { get; }

    public SurveyLibrary Load() => SurveyLibrary.Load(Root);

    public string Read(string name) => File.ReadAllText(Path.Combine(Root, name));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
