using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Arviointi.Surveys.Files;

/// <summary>
/// Reads one YAML file node by node, collecting located errors in plain Finnish instead of throwing.
/// Hand-walked rather than deserialized so that every message can name its line and column.
/// </summary>
internal sealed partial class YamlReader(string file, List<SurveyError> errors)
{
    public string File { get; } = file;

    /// <summary>Parses the text; null (with an error recorded) when it is not a YAML mapping.</summary>
    public YamlMappingNode? Root(string text, string expected)
    {
        YamlStream stream = [];
        var parser = new GuardedParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            // YamlDotNet notices a tab only while reading the line before it; point at the tab itself.
            var message = e.InnerException?.Message ?? e.Message;
            var tab = message.Contains("tab character", StringComparison.Ordinal) || message.Contains("tab as indentation", StringComparison.Ordinal)
                ? text.Split('\n').Select((line, i) => (Line: i + 1, Column: line.IndexOf('\t') + 1, Leading: line.TakeWhile(char.IsWhiteSpace).Contains('\t')))
                    .FirstOrDefault(l => l.Leading && l.Line >= e.Start.Line)
                : default;
            Errors.Add(tab.Line > 0
                ? new SurveyError(File, tab.Line, tab.Column, $"YAML-rakenne on rikki: {Plain(e)}")
                : new SurveyError(InFile(e.Start, text), $"YAML-rakenne on rikki: {Plain(e)}"));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet throws this for a flow list or mapping left open at the end of the file.
            Errors.Add(new SurveyError(File, text.Split('\n').Length, 1, "YAML-rakenne on rikki: tiedosto loppui kesken, esimerkiksi hakasulku [ tai aaltosulku { jäi sulkematta"));
            return null;
        }
        catch (ArgumentException) when (parser.Current is { } current)
        {
            // YamlDotNet's node model throws this when a broken structure leaves an event out of place ("a:\n  - : b\n---").
            Errors.Add(new SurveyError(InFile(current.Start, text), "YAML-rakenne on rikki: rakenne katkeaa tähän; tarkista sisennys, puuttuvat avaimet ja '---'-rivit"));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            Errors.Add(new SurveyError(File, 1, 1, $"tiedoston pitää olla avain–arvo-rakenne: {expected}"));
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            // YamlDotNet reads every document, but only the first is a survey file: the rest would vanish unnoticed.
            Errors.Add(new SurveyError(InFile(stream.Documents[1].RootNode.Start, text), "tiedostossa on '---'- tai '...'-rivin jälkeen toinen YAML-dokumentti, jota ei lueta; kyselytiedosto on yksi dokumentti, joten poista rivi"));
        }

        return root;
    }

    public List<SurveyError> Errors { get; } = errors;

    /// <summary>The mark, or the end of the file's last line where YamlDotNet places the end of the file on a line after it.</summary>
    private SourceLocation InFile(Mark mark, string text)
    {
        var lines = LineBreak().Split(text);
        return mark.Line <= lines.Length ? At(mark) : new SourceLocation(File, lines.Length, lines[^1].Length + 1);
    }

    public SourceLocation At(YamlNode node) => At(node.Start);

    public SourceLocation At(Mark mark) => new(File, (int)mark.Line, (int)mark.Column);

    public void Error(Mark mark, string message) => Errors.Add(new SurveyError(At(mark), message));

    public void Error(YamlNode node, string message) => Error(node.Start, message);

    public static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public void CheckKeys(YamlMappingNode map, IReadOnlyCollection<string> allowed, string where)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name))
            {
                Error(key, $"tuntematon avain '{name}' {where}; sallitut: {string.Join(", ", allowed)}");
            }
        }
    }

    public string? Scalar(YamlMappingNode map, string key, string owner, bool required = true)
    {
        var node = Get(map, key);
        if (node is YamlScalarNode { Value.Length: > 0 } scalar)
        {
            return scalar.Value;
        }

        if (node is not null)
        {
            Error(node, $"'{key}' pitää olla yksittäinen arvo, ei luettelo tai rakenne");
        }
        else if (required)
        {
            Error(map, $"{owner} puuttuu '{key}'");
        }

        return null;
    }

    /// <summary>An id: letters, digits, '_' and '-'.</summary>
    public string? Id(YamlMappingNode map, string key, string owner)
    {
        var id = Scalar(map, key, owner);
        if (id is not null && !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            Error(Get(map, key)!, $"tunnisteessa '{id}' saa olla vain kirjaimia a–z, numeroita, '_' ja '-'");
            return null;
        }

        return id;
    }

    public int? PositiveInt(YamlMappingNode map, string key, string owner, bool required = true)
    {
        var text = Scalar(map, key, owner, required);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        Error(Get(map, key)!, $"'{key}' pitää olla positiivinen kokonaisluku, nyt '{text}'");
        return null;
    }

    public bool Bool(YamlMappingNode map, string key)
    {
        if (Get(map, key) is not { } node)
        {
            return false;
        }

        if (node is YamlScalarNode { Value: "true" or "false" } scalar)
        {
            return scalar.Value == "true";
        }

        Error(node, $"'{key}' pitää olla true tai false");
        return false;
    }

    public T? Enum<T>(YamlMappingNode map, string key, string owner, string allowed, bool required = true)
        where T : struct, System.Enum
    {
        var text = Scalar(map, key, owner, required);
        if (text is null)
        {
            return null;
        }

        if (System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, CultureInfo.InvariantCulture, out _))
        {
            return value;
        }

        Error(Get(map, key)!, $"'{key}': tuntematon arvo '{text}'; sallitut: {allowed}");
        return null;
    }

    /// <summary>A list of scalars, such as <c>[fi, sv, en]</c>.</summary>
    public List<string>? ScalarList(YamlMappingNode map, string key, string owner, bool required = true)
    {
        var node = Get(map, key);
        if (node is null)
        {
            if (required)
            {
                Error(map, $"{owner} puuttuu '{key}'");
            }

            return null;
        }

        if (node is not YamlSequenceNode sequence || sequence.Children.Any(c => c is not YamlScalarNode))
        {
            Error(node, $"'{key}' pitää olla luettelo, esim. [fi, sv, en]");
            return null;
        }

        return sequence.Children.Cast<YamlScalarNode>().Select(s => s.Value ?? "").ToList();
    }

    /// <summary>A sequence of mappings (a list whose rows start with '- ').</summary>
    public IEnumerable<YamlMappingNode> Mappings(YamlMappingNode map, string key, string owner, string what)
    {
        var node = Get(map, key);
        if (node is null)
        {
            Error(map, $"{owner} puuttuu '{key}'");
            yield break;
        }

        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            Error(node, $"'{key}' pitää olla luettelo, jossa on vähintään yksi {what} (rivit alkavat '- ')");
            yield break;
        }

        foreach (var child in sequence)
        {
            if (child is YamlMappingNode mapping)
            {
                yield return mapping;
            }
            else
            {
                Error(child, $"luettelon rivin pitää olla {what}: avain–arvo-rakenne, ei pelkkä arvo");
            }
        }
    }

    /// <summary>A text by language. Which languages are required is checked where the text is used.</summary>
    public LocalizedText? Text(YamlMappingNode map, string key, string owner, bool required = true)
    {
        var node = Get(map, key);
        if (node is null)
        {
            if (required)
            {
                Error(map, $"{owner} puuttuu '{key}' kielittäin (fi, sv, en)");
            }

            return null;
        }

        if (node is not YamlMappingNode texts)
        {
            Error(node, $"'{key}' pitää antaa kielittäin, esim. {{ fi: …, sv: …, en: … }}");
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (languageNode, valueNode) in texts.Children)
        {
            var language = (languageNode as YamlScalarNode)?.Value ?? "";
            if (!Languages.IsValidCode(language))
            {
                Error(languageNode, $"'{language}' ei ole kielikoodi; käytä kaksikirjaimisia koodeja kuten fi, sv, en");
                continue;
            }

            if (valueNode is not YamlScalarNode scalar)
            {
                Error(valueNode, $"'{key}' kielellä {language} pitää olla teksti");
                continue;
            }

            values[language] = scalar.Value?.Trim() ?? "";
        }

        return new LocalizedText(values) { Location = At(texts) };
    }

    /// <summary>YamlDotNet's English messages for the mistakes authors make most, in plain Finnish.</summary>
    private static readonly (string English, string Finnish)[] Explanations =
    [
        ("quoted scalar", "lainausmerkki jäi sulkematta, tai lainattu teksti jatkuu väärin sisennettynä"),
        ("found invalid mapping", "rivillä on kaksoispiste väärässä paikassa tai sisennys on pielessä; laita teksti, jossa on ': ', lainausmerkkeihin"),
        ("Mapping values are not allowed", "rivillä on kaksoispiste väärässä paikassa tai sisennys on pielessä; laita teksti, jossa on ': ', lainausmerkkeihin"),
        ("did not find expected '-' indicator", "luettelon rivit alkavat '- ' ja ovat samassa sisennyksessä; tarkista sisennys"),
        ("tab character", "sisennyksessä on sarkain (tab); käytä välilyöntejä"),
        ("tab as indentation", "sisennyksessä on sarkain (tab); käytä välilyöntejä"),
        ("did not find expected key", "sisennys ei täsmää: avain on eri tasolla kuin samaan rakenteeseen kuuluvat avaimet"),
        ("did not find expected ',' or ']'", "hakasulkeissa [ ] oleva luettelo on rikki: puuttuuko pilkku tai ]"),
        ("did not find expected ',' or '}'", "aaltosulkeissa { } oleva rakenne on rikki: puuttuuko pilkku tai }"),
        ("Duplicate key", "sama avain on kahdesti samassa rakenteessa"),
        ("expected <document", "'---'- tai '...'-rivin jälkeen tiedosto jatkuu väärin; kyselytiedosto on yksi dokumentti, joten poista rivi"),
        ("could not find expected ':'", "avaimen perästä puuttuu kaksoispiste ':', tai avain jatkuu seuraavalle riville"),
        ("incompatible YAML document", "'%YAML'-rivin versiota ei tueta; kyselytiedostossa sitä ei tarvita, joten poista rivi"),
        ("did not find expected comment or line break", "'|'- tai '>'-merkin perässä ei voi olla tekstiä samalla rivillä; aloita teksti seuraavalta riviltä sisennettynä"),
        ("preceding <document end>", "'%'-alkuinen rivi on väärässä kohdassa; kyselytiedostossa sitä ei tarvita, joten poista rivi"),
        ("cannot start any token", "arvo alkaa merkillä, jolla YAML-arvo ei voi alkaa (esimerkiksi @ tai `); laita teksti lainausmerkkeihin"),
        ("did not find expected node content", "arvo puuttuu tai alkaa väärällä merkillä; tarkista rivin loppu ja sisennys"),
        ("Block sequence entries are not allowed", "luettelon rivi '- ' ei voi alkaa tässä; aloita luettelo omalta riviltään sisennettynä"),
        ("anchor or alias", "'&' ja '*' aloittavat YAML-viittauksen; laita teksti, joka alkaa niillä, lainausmerkkeihin"),
    ];

    private static string Plain(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        foreach (var (english, finnish) in Explanations)
        {
            if (message.Contains(english, StringComparison.OrdinalIgnoreCase))
            {
                return finnish;
            }
        }

        var paren = message.IndexOf("): ", StringComparison.Ordinal);
        return (paren >= 0 ? message[(paren + 3)..] : message).TrimEnd('.');
    }

    /// <summary>Line breaks as YAML counts them.</summary>
    [GeneratedRegex("\r\n|[\r\n\u0085\u2028\u2029]")]
    private static partial Regex LineBreak();
}
