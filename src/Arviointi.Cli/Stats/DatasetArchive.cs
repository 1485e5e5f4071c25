using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Arviointi.Statistics;
using CsvHelper;

namespace Arviointi.Cli.Stats;

/// <summary>
/// Reads the research dataset's zip as downloaded (<c>/api/rounds/{id}/aineisto/{group}.zip</c>): its codebook
/// (<c>koodikirja.json</c>) says which columns are agreement items and which group the rows are, and its CSV gives one row
/// per respondent. Values: 1–5, <c>-1</c> can't say, <c>-2</c> not answered and <c>-3</c> not asked (both no answer), and
/// <c>-4</c> suppressed, which is left out of every figure, as is a row whose municipality is suppressed.
/// </summary>
internal static class DatasetArchive
{
    public static AnswerTable Read(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var codebookEntry = zip.GetEntry("koodikirja.json") ?? throw new InputException($"{path}: zipissä ei ole koodikirjaa koodikirja.json; onko se Arvioinnin tutkimusaineisto?");
            using var codebook = JsonDocument.Parse(codebookEntry.Open());
            var group = codebook.RootElement.GetProperty("group").GetString()!;
            var items = codebook.RootElement.GetProperty("columns").EnumerateArray()
                .Where(c => c.TryGetProperty("role", out var role) && role.GetString() == "item" && c.TryGetProperty("type", out var type) && type.GetString() == "agreement")
                .Select(c => c.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal);
            var csvEntry = zip.Entries.FirstOrDefault(e => e.Name.EndsWith(".csv", StringComparison.Ordinal) && !e.Name.EndsWith("-puolipiste.csv", StringComparison.Ordinal))
                ?? throw new InputException($"{path}: zipissä ei ole aineiston CSV-tiedostoa");
            using var reader = new StreamReader(csvEntry.Open());
            using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
            csv.Read();
            csv.ReadHeader();
            var header = csv.HeaderRecord ?? [];
            var municipality = Array.IndexOf(header, "municipality");
            if (municipality < 0)
            {
                throw InputException.At($"{path}/{csvEntry.Name}", 1, "sarake 'municipality' puuttuu otsikkoriviltä");
            }

            var columns = header.Select((name, i) => (name, i)).Where(c => items.Contains(c.name)).ToList();
            var table = new AnswerTable();
            var line = 1;
            while (csv.Read())
            {
                line++;
                var code = csv.Parser[municipality];
                if (code == "-4")
                {
                    continue;
                }

                var municipalityCode = int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                    ? number.ToString("000", CultureInfo.InvariantCulture)
                    : throw InputException.At($"{path}/{csvEntry.Name}", line, $"kunnan koodi '{code}' ei ole numero");
                foreach (var (name, i) in columns)
                {
                    var value = csv.Parser[i];
                    byte? answer = value switch
                    {
                        "1" or "2" or "3" or "4" or "5" => (byte)(value[0] - '0'),
                        "-1" => Likert.CantSay,
                        "-2" or "-3" => Likert.NotAnswered,
                        "-4" => null,
                        _ => throw InputException.At($"{path}/{csvEntry.Name}", line, $"arvo '{value}' ei kelpaa sarakkeeseen {name}: sallitut ovat 1–5, -1, -2, -3 ja -4"),
                    };
                    if (answer is { } b)
                    {
                        table.Add(name, group, municipalityCode, b);
                    }
                }
            }

            return table;
        }
        catch (InvalidDataException e)
        {
            throw new InputException($"{path}: ei ole luettava zip-tiedosto: {e.Message}");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: koodikirja.json on rikki: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: tiedostoa ei voi lukea: {e.Message}");
        }
    }
}
