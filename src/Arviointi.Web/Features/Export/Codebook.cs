using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Arviointi.Web.Features.Results;

namespace Arviointi.Web.Features.Export;

/// <summary>
/// The dataset's codebook: every column with its question in fi/sv/en, quality area, value labels and what disclosure
/// control did to it; the missing-value codes; the survey version; and the risk report (sdcMicro's measures). As JSON
/// for scripts and Markdown for people; the Markdown is in Finnish, as the analysts' documentation is.
/// </summary>
internal static class Codebook
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The missing-value codes and their labels, the same in every column.</summary>
    public static readonly IReadOnlyDictionary<int, IReadOnlyDictionary<string, string>> MissingLabels = new Dictionary<int, IReadOnlyDictionary<string, string>>
    {
        [MissingCodes.CantSay] = new Dictionary<string, string> { ["fi"] = "en osaa sanoa", ["sv"] = "kan inte säga", ["en"] = "can't say" },
        [MissingCodes.NotAnswered] = new Dictionary<string, string> { ["fi"] = "ei vastattu", ["sv"] = "inte besvarad", ["en"] = "not answered" },
        [MissingCodes.NotAsked] = new Dictionary<string, string> { ["fi"] = "ei kysytty (ehto ei täyttynyt)", ["sv"] = "inte frågad (villkoret uppfylldes inte)", ["en"] = "not asked (its condition did not hold)" },
        [MissingCodes.Suppressed] = new Dictionary<string, string> { ["fi"] = "piilotettu tietosuojan vuoksi", ["sv"] = "dold av dataskyddsskäl", ["en"] = "suppressed for privacy" },
    };

    public static object Json(ResearchDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var risk = dataset.Risk;
        return new
        {
            Round = new { dataset.Round.Year, Sector = dataset.Round.Sector.ToString().ToLowerInvariant() },
            Group = dataset.Group.ToString().ToLowerInvariant(),
            Survey = new { Id = dataset.Definition.Id, dataset.Definition.Version, dataset.Version.Revision },
            Rows = dataset.RowCount,
            dataset.Options.K,
            Units = dataset.Options.Units,
            MissingCodes = MissingLabels.ToDictionary(m => m.Key.ToString(CultureInfo.InvariantCulture), m => m.Value),
            Columns = dataset.Columns.Select(c => new
            {
                c.Name,
                Role = c.Role.ToString().ToLowerInvariant(),
                Text = c.Item?.Text.Values,
                Option = c.Option?.Label.Values,
                Area = c.Item is { Area.Length: > 0 } item ? item.Area : null,
                Type = c.Item?.Type.ToString().ToLowerInvariant(),
                Condition = c.Item?.ShowIf is { } condition ? $"{condition.ItemId} ∈ {{{string.Join(", ", condition.Values)}}}" : null,
                c.QuasiIdentifier,
                Values = c.Labels.Count == 0 ? null : c.Labels.ToDictionary(l => l.Key.ToString(CultureInfo.InvariantCulture), l => l.Value),
                Recoding = c.Recoding?.Where(r => r.Key != r.Value).ToDictionary(r => r.Key.ToString(CultureInfo.InvariantCulture), r => r.Value),
                SuppressedForK = c.Suppressed,
            }),
            Risk = new
            {
                risk.K,
                risk.Records,
                risk.ViolatingBefore,
                risk.ViolatingAfter,
                risk.MaxRiskBefore,
                risk.MaxRiskAfter,
                risk.MeanRiskBefore,
                risk.MeanRiskAfter,
                risk.ExpectedReidentificationsBefore,
                risk.ExpectedReidentificationsAfter,
                Columns = risk.Columns.Select(c => new { c.Name, c.Recoded, c.Suppressed }),
            },
        };
    }

    public static string Markdown(ResearchDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var fi = CultureInfo.GetCultureInfo("fi");
        var text = new StringBuilder();
        text.AppendLine(fi, $"# Koodikirja: {dataset.Stem}");
        text.AppendLine();
        text.AppendLine(fi, $"Kierros {dataset.Round.Year} ({dataset.Round.Sector.ToString().ToLowerInvariant()}), vastaajaryhmä {dataset.Group.ToString().ToLowerInvariant()}, kysely {dataset.Definition.Id} versio {dataset.Definition.Version} (tallennettu versio {dataset.Version.Revision}). {dataset.RowCount} riviä, yksi vastaus riviä kohden.");
        text.AppendLine();
        text.AppendLine("Tunnisteet: `respondent` on joka latauksessa uudelleen arvottu juokseva numero, eikä sitä voi yhdistää toiseen lataukseen tai mihinkään muuhun. Aineistossa ei ole vastauskoodeja, päivämääriä, IP-osoitteita eikä avoimia vastauksia.");
        text.AppendLine();
        text.AppendLine("## Puuttuvat arvot");
        text.AppendLine();
        foreach (var (code, label) in MissingLabels)
        {
            text.AppendLine(fi, $"- `{code}`: {label["fi"]}");
        }

        text.AppendLine();
        text.AppendLine("## Tietosuoja");
        text.AppendLine();
        text.AppendLine(fi, $"Taustatiedot, joista vastaajan voisi tunnistaa (kunta, {(dataset.Options.Units ? "yksikkö" : "yksikön kokoluokka")} ja tunnisteeksi merkityt taustakysymykset), on käsitelty niin, että jokainen niiden yhdistelmä esiintyy aineistossa vähintään {dataset.Options.K} kertaa (k-anonymiteetti). Ensin harvinaiset vaihtoehdot on yhdistetty luokaksi \"muu\", sitten yksittäisiä arvoja on piilotettu (koodi `-4`) vähiten tärkeästä alkaen: ensin taustakysymykset, sitten yksikkö, viimeisenä kunta. Piilotettu arvo voi olla mikä tahansa luokka. Kysymys, joka näytettiin vain tietyn taustavastauksen perusteella, on piilotettu niiltä, joiden taustavastaus on yhdistetty tai piilotettu, koska \"ei kysytty\" kertoisi sen.");
        text.AppendLine();
        text.AppendLine("Aineisto noudattaa julkaistuja tuloksia: mukana ovat vain kunnat, joiden vastaajamäärä julkaistaan, ja kysymyksen arvo on piilotettu (`-4`) jokaiselta vastaajalta, jonka solun tulossivut piilottavat: kunnan, yksikön tai taustakysymyksen vaihtoehdon (ja taustakysymykseen vastaamatta jättäneiltä, jos jokin vaihtoehto on piilotettu). Siksi pienten yksiköiden ja harvinaisten vaihtoehtojen vastaajilta voi puuttua paljon arvoja. Julkaisun tietosuojatarkastus lukee aineiston yhdessä kaikkien tulossivujen kanssa ennen julkaisua. Riskiraportti (`riskiraportti.md`) kertoo riskin ennen käsittelyä ja sen jälkeen.");
        text.AppendLine();
        text.AppendLine("## Sarakkeet");
        text.AppendLine();
        text.AppendLine("| sarake | kysymys | laatualue | arvot | tietosuoja |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var column in dataset.Columns)
        {
            var question = column.Item is { } item ? item.Text.Get("fi") + (column.Option is { } option ? $" – {option.Label.Get("fi")}" : "") : column.Role switch
            {
                DatasetRole.Respondent => "vastaajan numero tässä latauksessa",
                DatasetRole.Municipality => "kunta (kuntanumero)",
                DatasetRole.Unit => "yksikkö (tunnus)",
                _ => "yksikön kokoluokka (osallistujia)",
            };
            if (column.Item?.ShowIf is { } condition)
            {
                question += $" (kysytään, jos {condition.ItemId} = {string.Join(" tai ", condition.Values)})";
            }

            var values = string.Join("; ", column.Labels.Select(l => $"{l.Key.ToString(CultureInfo.InvariantCulture)} = {l.Value["fi"]}"));
            var protection = new List<string>();
            if (column.QuasiIdentifier)
            {
                protection.Add("tunniste");
            }

            if (column.Recoding?.Where(r => r.Key != r.Value).ToList() is { Count: > 0 } recoded)
            {
                protection.Add("yhdistetty: " + string.Join(", ", recoded.Select(r => $"{r.Key}→{r.Value}")));
            }

            if (column.Suppressed > 0)
            {
                protection.Add(string.Create(fi, $"piilotettu {column.Suppressed} arvoa"));
            }

            text.AppendLine(fi, $"| `{column.Name}` | {Cell(question)} | {(column.Item is { Area.Length: > 0 } i ? i.Area : "")} | {Cell(values)} | {string.Join("; ", protection)} |");
        }

        return text.ToString();
    }

    public static string RiskMarkdown(ResearchDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var fi = CultureInfo.GetCultureInfo("fi");
        var risk = dataset.Risk;
        var text = new StringBuilder();
        text.AppendLine(fi, $"# Riskiraportti: {dataset.Stem}");
        text.AppendLine();
        text.AppendLine(fi, $"k = {risk.K}; {risk.Records} vastausta. Yksilöllinen tunnistusriski on sdcMicron määritelmän mukainen (indivRisk, Benedetti–Franconi), painona yksikön osallistujamäärä jaettuna sen vastaajamäärällä; odotettu tunnistusten määrä on riskien summa.");
        text.AppendLine();
        text.AppendLine("| | ennen | jälkeen |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(fi, $"| k-anonymiteettiä rikkovia rivejä | {risk.ViolatingBefore} | {risk.ViolatingAfter} |");
        text.AppendLine(fi, $"| suurin yksilöllinen riski | {Risk(risk.MaxRiskBefore)} | {Risk(risk.MaxRiskAfter)} |");
        text.AppendLine(fi, $"| keskimääräinen riski | {Risk(risk.MeanRiskBefore)} | {Risk(risk.MeanRiskAfter)} |");
        text.AppendLine(fi, $"| odotettu tunnistusten määrä | {Risk(risk.ExpectedReidentificationsBefore)} | {Risk(risk.ExpectedReidentificationsAfter)} |");
        text.AppendLine();
        text.AppendLine("| tunniste | yhdistettyjä arvoja | piilotettuja arvoja |");
        text.AppendLine("|---|---|---|");
        foreach (var column in risk.Columns)
        {
            text.AppendLine(fi, $"| `{column.Name}` | {column.Recoded} | {column.Suppressed} |");
        }

        return text.ToString();
    }

    private static string Risk(double value) => value.ToString("0.0000", CultureInfo.GetCultureInfo("fi"));

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
