using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.OpenAnswers;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Shared;
using Arviointi.Web.Features.Surveys;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Export;

/// <summary>One open answer as released: the question, its Finnish text, the municipality and the masked text.</summary>
internal sealed record OpenAnswerRow(string ItemId, string ItemText, string Municipality, string Answer);

/// <summary>
/// A round's open answers of one respondent group, released by an administrator as a file of their own, apart from the
/// research dataset (issue 13): only answers some list of the publication shows (<see cref="OpenAnswerRules.Lists"/>:
/// a unit's or municipality's list of at least ten, no withheld answer), masked (<see cref="Masking"/>), each with its
/// municipality only, never its unit, in an order drawn afresh for every download. No respondent number, unit or date,
/// so no row can be joined to the dataset's rows or to another answer of the same respondent.
/// </summary>
internal sealed class OpenAnswerFile
{
    /// <summary>The CSV's header: nothing that links a row to a respondent, a unit or the research dataset.</summary>
    public static readonly IReadOnlyList<string> Header = ["item", "item_text", "municipality", "answer"];

    /// <summary>The readme's paragraphs, in Finnish (the resource keys); the zip holds them in fi, sv and en.</summary>
    public static readonly IReadOnlyList<string> ReadmeTexts =
    [
        "Avoimet vastaukset",
        "Kierros {0}, {1}, {2}: {3} vastausta.",
        "Mukana ovat vain vastaukset, jotka tulossivut näyttävät: kysymykset, joihin yksikössä tai kunnassa vastasi vähintään kymmenen, ilman koordinaattorin piilottamia vastauksia.",
        "Nimet, sähköpostiosoitteet, puhelinnumerot, henkilötunnukset ja osoitteet on peitetty automaattisesti. Peittäminen ei tunnista kaikkea, esimerkiksi lempinimeä tai tehtävää, josta yhden ihmisen tunnistaa: lue vastaukset ennen kuin lainaat niitä.",
        "Tiedostossa ei ole vastaajan numeroa, yksikköä eikä päivämääriä, eikä sen rivejä voi yhdistää tutkimusaineiston riveihin tai toisiinsa. Rivien järjestys arvotaan jokaisella latauksella.",
        "Sarakkeet: item – kysymyksen tunnus; item_text – kysymys suomeksi; municipality – kuntanumero; answer – peitetty vastaus. Taulukkolaskennan kaavana alkavan vastauksen eteen on lisätty heittomerkki.",
    ];

    private OpenAnswerFile(EvaluationRound round, RespondentGroup group, OpenAnswerRow[] rows)
    {
        Round = round;
        Group = group;
        Rows = rows;
    }

    public EvaluationRound Round { get; }

    public RespondentGroup Group { get; }

    /// <summary>The rows in this download's random order.</summary>
    public IReadOnlyList<OpenAnswerRow> Rows { get; }

    public string Stem => string.Create(CultureInfo.InvariantCulture, $"arviointi-{Round.Year}-{Round.Sector.ToString().ToLowerInvariant()}-{Group.ToString().ToLowerInvariant()}-avoimet");

    /// <summary>The file of a round and group, or the HTTP status and Finnish message of why there is none (null message: not found).</summary>
    public static async Task<(OpenAnswerFile? File, int Status, string? Problem)> PlanAsync(AppDbContext db, SurveyCatalog catalog, SnapshotBuilder snapshots, int roundId, string group, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var (round, published, status, problem) = await DatasetDownloads.PublishedGroupAsync(db, snapshots, roundId, group, ct);
        if (round is null || published is null)
        {
            return (null, status, problem);
        }

        // The units of every list the publication shows, per question: the coordinator, who reads them all, sees no other answer.
        var lists = OpenAnswerRules.Lists(published, await OpenAnswerReader.CountAsync(db, roundId, ct));
        var shown = lists.SelectMany(l => l.Units.Select(u => (l.ItemId, Unit: u))).ToHashSet();
        var definition = catalog.Definition(await db.SurveyVersions.AsNoTracking().FirstAsync(v => v.Id == published.SurveyVersionId, ct));
        var questions = definition.Items.Where(i => i.Type == ItemType.Text).ToDictionary(i => i.Id, i => i.Text.Values["fi"], StringComparer.Ordinal);
        var texts = await (from t in db.OpenTextAnswers
                           join r in db.Responses on t.ResponseId equals r.Id
                           join u in db.Units on r.UnitId equals u.Id
                           where r.RoundId == roundId && r.Group == published.Group && !t.Withheld
                           select new { t.ItemId, r.UnitId, u.MunicipalityCode, t.Text }).ToListAsync(ct);
        var rows = texts.Where(t => questions.ContainsKey(t.ItemId) && shown.Contains((t.ItemId, t.UnitId.ToString(CultureInfo.InvariantCulture))))
            .Select(t => new OpenAnswerRow(t.ItemId, questions[t.ItemId], t.MunicipalityCode, Masking.Mask(t.Text))).ToArray();
        RandomNumberGenerator.Shuffle(rows.AsSpan());
        return (new OpenAnswerFile(round, published.Group, rows), StatusCodes.Status200OK, null);
    }

    /// <summary>The zip: CSV (UTF-8 with a byte-order mark), its semicolon variant for Finnish Excel, and the readme in fi, sv and en.</summary>
    public async Task WriteAsync(Stream output, CancellationToken ct)
    {
        await using var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);
        await WriteCsvAsync(await DatasetZip.EntryAsync(zip, $"{Stem}.csv", ct), ",", ct);
        await WriteCsvAsync(await DatasetZip.EntryAsync(zip, $"{Stem}-puolipiste.csv", ct), ";", ct);
        await using var readme = new StreamWriter(await DatasetZip.EntryAsync(zip, "lueminut.md", ct), new UTF8Encoding(false));
        await readme.WriteAsync(Readme());
    }

    /// <summary>Records who released which round's and group's open answers, and how many.</summary>
    public async Task AuditAsync(AppDbContext db, TimeProvider time, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow(),
            Actor = actor,
            Action = "export.open",
            Details = string.Create(CultureInfo.InvariantCulture, $"Kierroksen {Round.Id} avoimet vastaukset ({Group.ToString().ToLowerInvariant()}) ladattiin: {Rows.Count} riviä"),
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Free text a spreadsheet could take for a formula is escaped, since respondents typed it.</summary>
    private async Task WriteCsvAsync(Stream entry, string delimiter, CancellationToken ct)
    {
        await using var writer = new StreamWriter(entry, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16);
        await using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter, InjectionOptions = InjectionOptions.Escape });
        foreach (var column in Header)
        {
            csv.WriteField(column);
        }

        await csv.NextRecordAsync();
        foreach (var row in Rows)
        {
            ct.ThrowIfCancellationRequested();
            csv.WriteField(row.ItemId);
            csv.WriteField(row.ItemText);
            csv.WriteField(row.Municipality);
            csv.WriteField(row.Answer);
            await csv.NextRecordAsync();
        }
    }

    private string Readme()
    {
        var markdown = new StringBuilder();
        foreach (var (language, heading) in (ReadOnlySpan<(string, string)>)[("fi", "Suomeksi"), ("sv", "På svenska"), ("en", "In English")])
        {
            var culture = CultureInfo.GetCultureInfo(language);
            string Text(string finnish) => DatasetTexts.Of(finnish)[language];
            markdown.Append(CultureInfo.InvariantCulture, $"# {Text(ReadmeTexts[0])} ({heading})\n\n");
            markdown.Append(string.Format(culture, Text(ReadmeTexts[1]), Round.Year, Text(Names.Of(Round.Sector)).ToLower(culture), Text(Names.Of(Group)).ToLower(culture), Rows.Count)).Append("\n\n");
            foreach (var paragraph in ReadmeTexts.Skip(2))
            {
                markdown.Append(Text(paragraph)).Append("\n\n");
            }
        }

        return markdown.ToString();
    }
}
