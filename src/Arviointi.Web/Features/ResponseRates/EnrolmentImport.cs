using System.Globalization;
using System.Text;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Audit;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.ResponseRates;

/// <summary>
/// Imports a round's enrolment figures from CSV (<c>municipality,unit,group,count</c>). Every bad row is reported with its
/// line number and then nothing is imported; a good file replaces the round's previous figures in one transaction.
/// </summary>
internal sealed class EnrolmentImport(AppDbContext db, TimeProvider time)
{
    public const int MaxBytes = 2 * 1024 * 1024;
    private static readonly string[] Header = ["municipality", "unit", "group", "count"];

    /// <summary>Imports the file, returning the number of rows stored or the Finnish errors (line numbers from 1, the header).</summary>
    public async Task<(int Imported, IReadOnlyList<UiMessage> Errors)> ImportAsync(int roundId, byte[] file, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var round = await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null)
        {
            return (0, [new UiMessage("Kierrosta ei löytynyt.")]);
        }

        var csv = CsvLines.Read(file, MaxBytes, ",");
        if (csv.Errors.Count > 0)
        {
            return (0, csv.Errors);
        }

        var units = (await db.Units.AsNoTracking().ToListAsync(ct))
            .ToDictionary(u => (u.MunicipalityCode, u.Name.ToUpperInvariant()));
        var municipalities = await db.Municipalities.AsNoTracking().Select(m => m.Code).ToListAsync(ct);
        var rows = new List<Enrolment>();
        var errors = new List<UiMessage>();
        var seen = new Dictionary<(int UnitId, RespondentGroup Group), int>();

        if (!csv.Header.Select(h => h.ToLowerInvariant()).SequenceEqual(Header))
        {
            return (0, [new UiMessage("Rivi {0}: otsikkorivin pitää olla municipality,unit,group,count.", csv.HeaderLine)]);
        }

        var roundDay = Organisation.Region.Day(round.OpensAt);
        foreach (var (line, record, badQuotes) in csv.Lines)
        {
            if (badQuotes)
            {
                errors.Add(new UiMessage("Rivi {0}: lainausmerkit ovat väärin.", line));
                continue;
            }

            if (record.Length != Header.Length)
            {
                errors.Add(new UiMessage("Rivi {0}: sarakkeita on {1}, pitää olla 4 (municipality, unit, group, count).", line, record.Length));
                continue;
            }

            var (code, unitName, groupText, countText) = (record[0], record[1], record[2], record[3]);
            if (!municipalities.Contains(code))
            {
                errors.Add(new UiMessage("Rivi {0}: tuntematon kuntanumero ”{1}”.", line, code));
                continue;
            }

            if (!units.TryGetValue((code, unitName.ToUpperInvariant()), out var unit))
            {
                errors.Add(new UiMessage("Rivi {0}: kunnassa {1} ei ole yksikköä ”{2}”.", line, code, unitName));
                continue;
            }

            if (!unit.IsOpenOn(roundDay))
            {
                errors.Add(new UiMessage("Rivi {0}: yksikkö ”{1}” on suljettu {2}, eikä se ole mukana kierroksella.", line, unitName, Organisation.UnitRegister.Show(unit.ClosedOn!.Value)));
                continue;
            }

            if (ParseGroup(groupText) is not { } group)
            {
                errors.Add(new UiMessage("Rivi {0}: tuntematon vastaajaryhmä ”{1}”: pitää olla staff, guardian, child tai pupil.", line, groupText));
                continue;
            }

            if (unit.Sector != round.Sector || !GroupBelongsTo(group, round.Sector))
            {
                errors.Add(new UiMessage("Rivi {0}: yksikkö ”{1}” tai ryhmä ”{2}” ei kuulu kierroksen sektoriin.", line, unitName, groupText));
                continue;
            }

            if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
            {
                errors.Add(new UiMessage("Rivi {0}: määrä ”{1}” ei ole positiivinen kokonaisluku.", line, countText));
                continue;
            }

            if (seen.TryGetValue((unit.Id, group), out var earlier))
            {
                errors.Add(new UiMessage("Rivi {0}: sama yksikkö ja ryhmä on jo rivillä {1}.", line, earlier));
                continue;
            }

            seen[(unit.Id, group)] = line;
            rows.Add(new Enrolment { RoundId = roundId, UnitId = unit.Id, Group = group, Count = count });
        }

        if (errors.Count > 0)
        {
            return (0, errors);
        }

        if (rows.Count == 0)
        {
            return (0, [new UiMessage("Tiedostossa ei ole yhtään riviä otsikon jälkeen.")]);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var replaced = await db.Enrolments.Where(e => e.RoundId == roundId).ExecuteDeleteAsync(ct);
        db.Enrolments.AddRange(rows);
        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow(),
            Actor = actor,
            Action = "enrolment.imported",
            Details = $"Kierroksen {roundId} osallistujamäärät tuotiin: {rows.Count} riviä, yhteensä {rows.Sum(r => r.Count)}; korvattiin {replaced} riviä",
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (rows.Count, []);
    }

    internal static RespondentGroup? ParseGroup(string text) => text.ToLowerInvariant() switch
    {
        "staff" => RespondentGroup.Staff,
        "guardian" => RespondentGroup.Guardian,
        "child" => RespondentGroup.Child,
        "pupil" => RespondentGroup.Pupil,
        _ => null,
    };

    internal static bool GroupBelongsTo(RespondentGroup group, Sector sector) => group switch
    {
        RespondentGroup.Child => sector == Sector.Ecec,
        RespondentGroup.Pupil => sector != Sector.Ecec,
        _ => true,
    };
}

/// <summary>One data line of a CSV file: its line number (the header is line 1), its fields, and whether its quotes were broken.</summary>
internal sealed record CsvLine(int Line, string[] Fields, bool BadQuotes);

/// <summary>A CSV file read for an import: the header's fields (trimmed), the data lines, or the errors that stop reading.</summary>
internal sealed record CsvRead(string[] Header, int HeaderLine, IReadOnlyList<CsvLine> Lines, IReadOnlyList<UiMessage> Errors);

/// <summary>
/// Reads the CSV files of the imports (enrolment figures, the unit register): size and UTF-8 checked with the line named,
/// a byte order mark allowed, blank lines skipped, fields trimmed, each line numbered as a spreadsheet shows it.
/// </summary>
internal static class CsvLines
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="delimiter">"," or ";"; null takes the one the header line has (a semicolon if it has one, as Excel writes in Finland).</param>
    public static CsvRead Read(byte[] file, int maxBytes, string? delimiter)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length > maxBytes)
        {
            return Failed(new UiMessage("Tiedosto on liian suuri: enintään {0} Mt.", maxBytes / 1024 / 1024));
        }

        if (FirstLineNotUtf8(file) is { } badLine)
        {
            return Failed(new UiMessage("Rivi {0}: tiedosto ei ole UTF-8-muodossa. Tallenna se UTF-8-merkistössä.", badLine));
        }

        var text = StrictUtf8.GetString(file).TrimStart('\uFEFF');
        if (delimiter is null)
        {
            var firstLine = text.Split('\n', 2)[0];
            delimiter = firstLine.Contains(';', StringComparison.Ordinal) ? ";" : ",";
        }

        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            DetectDelimiter = false,
            TrimOptions = TrimOptions.Trim,
            IgnoreBlankLines = true,
        };
        var badData = new HashSet<int>();
        config.BadDataFound = args => badData.Add(args.Context.Parser!.RawRow);
        using var reader = new StringReader(text);
        using var parser = new CsvParser(reader, config);
        if (!parser.Read())
        {
            return Failed(new UiMessage("Tiedosto on tyhjä."));
        }

        var header = parser.Record!.Select(h => h.Trim()).ToArray();
        var headerLine = parser.RawRow;
        var lines = new List<CsvLine>();
        while (parser.Read())
        {
            var record = parser.Record!;
            if (record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            lines.Add(new CsvLine(parser.RawRow, record, badData.Contains(parser.RawRow)));
        }

        return new CsvRead(header, headerLine, lines, []);
    }

    private static CsvRead Failed(UiMessage error) => new([], 0, [], [error]);

    /// <summary>The first line (from 1) that is not valid UTF-8, or null when the whole file is.</summary>
    private static int? FirstLineNotUtf8(byte[] file)
    {
        var line = 1;
        var start = 0;
        for (var i = 0; i <= file.Length; i++)
        {
            if (i < file.Length && file[i] != (byte)'\n')
            {
                continue;
            }

            try
            {
                StrictUtf8.GetCharCount(file, start, i - start);
            }
            catch (DecoderFallbackException)
            {
                return line;
            }

            line++;
            start = i + 1;
        }

        return null;
    }
}
