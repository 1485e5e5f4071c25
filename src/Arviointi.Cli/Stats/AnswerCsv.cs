using System.Buffers;
using System.Globalization;
using System.Text;
using Arviointi.Statistics;
using CsvHelper;
using CsvHelper.Configuration;

namespace Arviointi.Cli.Stats;

/// <summary>
/// Reads the respondent-level answer file <c>respondent_id,municipality,group,item,value</c>: the analyst export (any
/// further column, such as the <c>unit</c> of older files, is ignored). A value the publication hides for the
/// respondent's municipality (<c>suppressed</c>) cannot be attributed and is left out of every figure.
/// </summary>
internal sealed class AnswerCsv
{
    public static readonly string[] Columns = ["respondent_id", "municipality", "group", "item", "value"];

    /// <summary>The value of an item whose figures the publication hides for the municipality (docs/privacy.md).</summary>
    public const string Suppressed = "suppressed";

    private const int Municipality = 1;
    private const int Group = 2;
    private const int Item = 3;
    private const int Value = 4;

    // Invalid bytes must stop the run rather than turn silently into U+FFFD; the preamble makes the reader skip a BOM.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);

    private readonly string path;

    // CsvHelper's RawRow counts a line break inside quotes twice, so lines are counted here from the raw records.
    private long line;
    private long nextLine = 1;

    private AnswerCsv(string path) => this.path = path;

    /// <summary>Reads the whole file; throws <see cref="InputException"/> naming the line of the first problem.</summary>
    public static AnswerTable Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"{path}: tiedostoa ei löydy");
        }

        try
        {
            using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: false);
            return new AnswerCsv(path).Read(reader);
        }
        catch (Exception e) when (e is DecoderFallbackException || e.InnerException is DecoderFallbackException)
        {
            throw NotUtf8(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: tiedostoa ei voi lukea: {e.Message}");
        }
    }

    private AnswerTable Read(TextReader reader)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            // Blank lines are skipped below, where they can still be counted.
            IgnoreBlankLines = false,
            // Municipality, group, item and value repeat on every row: reuse their strings instead of allocating millions.
            CacheFields = true,
            BadDataFound = args => throw Error($"lainausmerkki väärässä kohdassa kentässä {args.Field}"),
        };
        using var csv = new CsvReader(reader, configuration);
        try
        {
            return Read(csv);
        }
        catch (CsvHelperException e) when (e.InnerException is not DecoderFallbackException)
        {
            // CsvHelper appends its parser state on further lines; the first says what went wrong.
            throw Error($"CSV-rakenne on rikki: {e.Message.Split('\n')[0].TrimEnd()}");
        }
    }

    private AnswerTable Read(CsvReader csv)
    {
        if (!Next(csv))
        {
            throw Error($"tiedosto on tyhjä; ensimmäiselle riville kuuluu otsikko {string.Join(',', Columns)}");
        }

        csv.ReadHeader();
        var header = csv.HeaderRecord ?? [];
        var index = new int[Columns.Length];
        for (var c = 0; c < Columns.Length; c++)
        {
            index[c] = Array.IndexOf(header, Columns[c]);
            if (index[c] < 0)
            {
                throw Error($"sarake '{Columns[c]}' puuttuu otsikkoriviltä; odotetaan {string.Join(',', Columns)}");
            }
        }

        var table = new AnswerTable();
        while (Next(csv))
        {
            var parser = csv.Parser;
            if (parser.Count != header.Length)
            {
                throw Error($"rivillä on {parser.Count} kenttää, otsikkorivillä {header.Length}");
            }

            var value = parser[index[Value]];
            if (value == Suppressed)
            {
                continue;
            }

            table.Add(
                item: Required(parser, index, Item),
                group: Required(parser, index, Group),
                municipality: Required(parser, index, Municipality),
                answer: ParseValue(value));
        }

        return table;
    }

    /// <summary>Moves to the next non-blank record and sets <see cref="line"/> to the line where it starts (or to the end).</summary>
    private bool Next(CsvReader csv)
    {
        while (csv.Read())
        {
            line = nextLine;
            // Spans, not strings: this runs once per row of files with millions of rows.
            var raw = csv.Parser.RawRecord.AsSpan();
            nextLine += raw.Count('\n');
            var content = raw.TrimEnd("\r\n");
            if (content.Contains('\n'))
            {
                // No field of this file holds a line break: a record over several lines means a quote left open.
                throw Error("lainausmerkki jää sulkematta, ja kenttä jatkuu seuraaville riveille");
            }

            if (!content.IsWhiteSpace())
            {
                return true;
            }
        }

        line = nextLine;
        return false;
    }

    private string Required(IParser parser, int[] index, int column)
    {
        var value = parser[index[column]];
        return value.Length > 0 ? value : throw Error($"sarake '{Columns[column]}' on tyhjä");
    }

    private byte ParseValue(string value) => value switch
    {
        "" => Likert.NotAnswered,
        "EOS" => Likert.CantSay,
        "1" or "2" or "3" or "4" or "5" => (byte)(value[0] - '0'),
        _ => throw Error($"arvo '{value}' ei kelpaa sarakkeeseen value: sallitut ovat 1–5, EOS (en osaa sanoa), tyhjä (ei vastausta) ja suppressed (piilotettu)"),
    };

    private InputException Error(string message) => InputException.At(path, line, message);

    // The decoder reads ahead in blocks and does not know the line, so the line is found from the bytes.
    private static InputException NotUtf8(string path)
    {
        const string Advice = "tiedosto ei ole UTF-8-muotoinen; tallenna se UTF-8-muodossa (esim. Excelissä \"CSV UTF-8\")";
        var bytes = File.ReadAllBytes(path);
        var line = 1;
        for (var i = 0; i < bytes.Length;)
        {
            if (Rune.DecodeFromUtf8(bytes.AsSpan(i), out _, out var consumed) != OperationStatus.Done)
            {
                return InputException.At(path, line, $"{Advice}; ensimmäinen virheellinen tavu 0x{bytes[i]:X2}");
            }

            if (bytes[i] == (byte)'\n')
            {
                line++;
            }

            i += consumed;
        }

        return new InputException($"{path}: {Advice}");
    }
}
