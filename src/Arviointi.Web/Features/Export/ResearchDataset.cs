using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Arviointi.Statistics.Anonymisation;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Results.Publication;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Export;

/// <summary>The codes of values that are not answers, the same in every column and format (codebook: "Puuttuvat arvot").</summary>
internal static class MissingCodes
{
    /// <summary>"Can't say" (en osaa sanoa) on an agreement item.</summary>
    public const int CantSay = -1;

    /// <summary>The question was shown and left unanswered.</summary>
    public const int NotAnswered = -2;

    /// <summary>The question was not shown: its condition (<c>show_if</c>) did not hold.</summary>
    public const int NotAsked = -3;

    /// <summary>Blanked by disclosure control: hidden in the publication, or suppressed for k-anonymity.</summary>
    public const int Suppressed = -4;
}

/// <summary>What a column holds.</summary>
internal enum DatasetRole
{
    /// <summary>A fresh random respondent number, 1…n in the file's order.</summary>
    Respondent,

    /// <summary>The municipality's code (a quasi-identifier).</summary>
    Municipality,

    /// <summary>The unit's id, for an analyst whose permission includes units (a quasi-identifier).</summary>
    Unit,

    /// <summary>The unit's size class by enrolment, for everyone else (a quasi-identifier).</summary>
    UnitSize,

    /// <summary>A background question (a quasi-identifier where the survey marks it).</summary>
    Background,

    /// <summary>A scale, smiley or single-choice question.</summary>
    Item,

    /// <summary>One option of a multiple-choice question: 1 chosen, 0 not.</summary>
    Choice,
}

/// <summary>One column of the dataset: its name, what it holds, and the labels of its values.</summary>
/// <param name="Slot">The byte of the stored answers it comes from; -1 for the respondent, municipality and unit columns.</param>
/// <param name="Labels">Value labels by language (fi, sv, en), for the codebook and the Parquet metadata.</param>
internal sealed record DatasetColumn(string Name, DatasetRole Role, SurveyItem? Item, ItemOption? Option, int Slot, IReadOnlyDictionary<int, IReadOnlyDictionary<string, string>> Labels)
{
    public bool QuasiIdentifier { get; init; }

    /// <summary>The value labels merged into "other" by the recoding, as old code → new code.</summary>
    public IReadOnlyDictionary<int, int>? Recoding { get; init; }

    /// <summary>Values of this column set to <see cref="MissingCodes.Suppressed"/> for k-anonymity.</summary>
    public int Suppressed { get; set; }

    /// <summary>Values set to <see cref="MissingCodes.Suppressed"/> because the publication hides them (or they would reveal a suppressed background answer).</summary>
    public int Blanked { get; set; }
}

/// <summary>What the analyst asked for.</summary>
/// <param name="Units">The analyst's permission includes units: the unit's id instead of its size class.</param>
internal sealed record DatasetOptions(bool Units = false, int K = Risk.DefaultK);

/// <summary>
/// The research dataset of one round and respondent group (docs/privacy.md, "The research dataset"): one row per
/// response and one column per item, with the background questions, values as numbers and <see cref="MissingCodes"/>.
/// Planned in one pass that reads only the quasi-identifiers (municipality, unit, the background questions the survey
/// marks <c>quasi_identifier</c>) and makes them k-anonymous (<see cref="Anonymiser"/>: rare options merged, then
/// local suppression, the least important first: background questions, then the unit, the municipality last); the rows
/// are then read again in batches, in a fresh random order, and written as they come: memory holds the plan, a few
/// integers a respondent, never the answers.
/// </summary>
/// <remarks>
/// Consistency with the publication (<see cref="ExportRules"/>): only municipalities whose respondents the publication
/// shows; an item's values blanked where the municipality's cell of it is hidden; the unit (or its size class) blanked
/// for units whose respondents are hidden. A conditional item whose condition is on a quasi-identifier is blanked in
/// rows where that answer was recoded or suppressed, since "not asked" would tell it. The plan is deterministic: two
/// downloads with the same options suppress the same values, and a download without units is the same data with each
/// unit replaced by its size class (suppression is decided with the unit, the finer of the two), so joining downloads
/// gives nothing that one of them does not.
/// </remarks>
internal sealed class ResearchDataset
{
    private const int BatchSize = 1000;

    private Guid[] responseIds = [];
    private readonly int[][] quasi;
    private readonly int[] order;
    private readonly IReadOnlyList<QuasiColumn> qiColumns;
    private readonly PublishedCells published;
    private readonly Dictionary<int, (string Municipality, int Size, bool Hidden)> units;

    private ResearchDataset(EvaluationRound round, RespondentGroup group, SurveyVersion version, SurveyDefinition definition, DatasetOptions options,
        IReadOnlyList<DatasetColumn> columns, int[][] quasi, int[] order, RiskReport risk,
        IReadOnlyList<QuasiColumn> qiColumns, PublishedCells published, Dictionary<int, (string, int, bool)> units)
    {
        Round = round;
        Group = group;
        Version = version;
        Definition = definition;
        Options = options;
        Columns = columns;
        this.quasi = quasi;
        this.order = order;
        Risk = risk;
        this.qiColumns = qiColumns;
        this.published = published;
        this.units = units;
    }

    public EvaluationRound Round { get; }

    public RespondentGroup Group { get; }

    public SurveyVersion Version { get; }

    public SurveyDefinition Definition { get; }

    public DatasetOptions Options { get; }

    public IReadOnlyList<DatasetColumn> Columns { get; }

    public int RowCount => order.Length;

    public RiskReport Risk { get; }

    /// <summary>The file name's stem: <c>arviointi-2027-ecec-guardian</c>.</summary>
    public string Stem => string.Create(CultureInfo.InvariantCulture, $"arviointi-{Round.Year}-{Round.Sector.ToString().ToLowerInvariant()}-{Group.ToString().ToLowerInvariant()}");

    /// <summary>Plans the dataset: reads the quasi-identifiers of every response and makes them k-anonymous.</summary>
    /// <returns>Null when the round has no survey for the group.</returns>
    public static async Task<ResearchDataset?> PlanAsync(AppDbContext db, SurveyCatalog catalog, EvaluationRound round, GroupResults published, DatasetOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(options);
        var roundSurvey = await db.RoundSurveys.AsNoTracking().Include(s => s.SurveyVersion)
            .FirstOrDefaultAsync(s => s.RoundId == round.Id && s.Group == published.Group, ct);
        if (roundSurvey?.SurveyVersion is not { } version)
        {
            return null;
        }

        var municipalities = await db.Municipalities.AsNoTracking().ToDictionaryAsync(m => m.Code, m => (m.NameFi, m.NameSv), ct);
        var enrolment = await db.Enrolments.AsNoTracking().Where(e => e.RoundId == round.Id && e.Group == published.Group).ToDictionaryAsync(e => e.UnitId, e => e.Count, ct);
        var unitRows = await db.Units.AsNoTracking().Select(u => new { u.Id, u.MunicipalityCode, u.Name }).ToDictionaryAsync(u => u.Id, ct);
        var planner = new Planner(catalog.Definition(version), catalog.Layout(version), published, enrolment, options);

        // Pass 1: the quasi-identifiers of every response, streamed.
        var ids = new List<Guid>();
        var query = db.Responses.AsNoTracking()
            .Where(r => r.RoundId == round.Id && r.Group == published.Group && r.SurveyVersionId == version.Id)
            .OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.UnitId, r.Answers });
        await foreach (var response in query.AsAsyncEnumerable().WithCancellation(ct))
        {
            if (planner.Add(response.UnitId, unitRows[response.UnitId].MunicipalityCode, response.Answers))
            {
                ids.Add(response.Id);
            }
        }

        var (dataset, source) = planner.Finish(round, version, code => municipalities[code], id => unitRows[id].Name);
        dataset.responseIds = [.. source.Select(i => ids[i])];
        return dataset;
    }

    /// <summary>
    /// Plans the dataset of a group from its counts, as the publication's audit reads it before anything is stored: the
    /// same plan as <see cref="PlanAsync"/> makes from the database (the plan orders the rows canonically before
    /// anonymising them, so where the rows come from changes nothing), with the answers of each row in the plan's order.
    /// </summary>
    public static (ResearchDataset Dataset, IReadOnlyList<byte[]> Answers, IReadOnlyList<int> Units) Plan(GroupCounts counts, GroupResults published, DatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(published);
        var planner = new Planner(counts.Definition, counts.Layout, published, counts.Enrolment, options);
        var added = new List<int>();
        for (var i = 0; i < counts.Ordered.Length; i++)
        {
            if (planner.Add(counts.Ordered[i].Unit.Id, counts.Ordered[i].Unit.MunicipalityCode, counts.Ordered[i].Answers))
            {
                added.Add(i);
            }
        }

        // Silent units too: a municipality whose units had no respondents is shown in the response rates, with none.
        var units = counts.Ordered.Select(r => r.Unit).Concat(counts.Silent).DistinctBy(u => u.Id).ToDictionary(u => u.Id);
        // The plan needs no round: the audit reads its counts, never its file name or codebook.
        var round = new EvaluationRound { Year = 0, Sector = default, FocusTheme = "", OpensAt = default, ClosesAt = default, PublishAt = default, DeleteRawDataAt = default };
        var (dataset, source) = planner.Finish(round, counts.Version, code => units.Values.FirstOrDefault(u => u.MunicipalityCode == code)?.Municipality is { } m ? (m.NameFi, m.NameSv) : (code, code), id => units[id].Name);
        return (dataset, [.. source.Select(i => counts.Ordered[added[i]].Answers)], [.. source.Select(i => counts.Ordered[added[i]].Unit.Id)]);
    }

    /// <summary>
    /// The values of a row in the plan's order (<paramref name="position"/>), given its unit and answers: what
    /// <see cref="RowsAsync"/> writes for it, numbered 0 (the respondent numbers are the file's own).
    /// </summary>
    public int[] RowAt(int position, int unitId, byte[] answers) => Row(0, quasi[position], unitId, answers, SizeClasses.Default);

    /// <summary>
    /// Pass 1 of the plan: reads each response's quasi-identifiers and a digest of its answers, then orders the rows by
    /// them (a canonical order: the same rows give the same plan whatever order they came in) and makes them k-anonymous.
    /// Memory: a few integers a respondent.
    /// </summary>
    private sealed class Planner
    {
        private readonly SurveyDefinition definition;
        private readonly AnswerLayout layout;
        private readonly GroupResults published;
        private readonly IReadOnlyDictionary<int, int> enrolment;
        private readonly DatasetOptions options;
        private readonly List<SurveyItem> quasiItems;
        private readonly IReadOnlySet<string> shownMunicipalities;
        private readonly HashSet<string> hiddenUnits;
        private readonly List<int[]> rows = [];
        private readonly List<ulong> digests = [];
        private readonly Dictionary<int, int> counts = [];
        private readonly Dictionary<int, string> municipalityOf = [];

        public Planner(SurveyDefinition definition, AnswerLayout layout, GroupResults published, IReadOnlyDictionary<int, int> enrolment, DatasetOptions options)
        {
            this.definition = definition;
            this.layout = layout;
            this.published = published;
            this.enrolment = enrolment;
            this.options = options;
            shownMunicipalities = ExportRules.Municipalities(published);
            hiddenUnits = (published.Rates?.Cells.Where(c => c.IsUnit && c.Suppressed).Select(c => c.Key) ?? []).ToHashSet(StringComparer.Ordinal);

            // The quasi-identifier columns: municipality, the unit (by id; its size class is read off it), and the marked
            // background questions. Surveys stored before the flag existed mark none: then every single-choice background
            // question is one.
            var background = definition.Items.Where(i => i.Background && i.Type == ItemType.SingleChoice).ToList();
            var marked = background.Where(i => i.QuasiIdentifier).ToList();
            quasiItems = marked.Count > 0 || definition.Items.Any(i => i.QuasiIdentifier) ? marked : background;
        }

        /// <summary>Reads one response; false when its municipality's respondents are not shown (the row is left out).</summary>
        public bool Add(int unitId, string municipality, byte[] answers)
        {
            if (!shownMunicipalities.Contains(municipality))
            {
                return false;
            }

            counts[unitId] = counts.GetValueOrDefault(unitId) + 1;
            municipalityOf[unitId] = municipality;
            var row = new int[2 + quasiItems.Count];
            row[0] = int.Parse(municipality, CultureInfo.InvariantCulture);
            row[1] = hiddenUnits.Contains(unitId.ToString(CultureInfo.InvariantCulture)) ? QuasiIdentifierTable.Missing : unitId;
            for (var q = 0; q < quasiItems.Count; q++)
            {
                row[2 + q] = answers[layout.SlotOf(quasiItems[q].Id)!.Index];
            }

            rows.Add(row);
            digests.Add(BitConverter.ToUInt64(SHA256.HashData([.. BitConverter.GetBytes(unitId), .. answers]), 0));
            return true;
        }

        /// <summary>Anonymises the rows read; returns the dataset and, per row in its plan order, the index of the response as read.</summary>
        public (ResearchDataset Dataset, int[] Source) Finish(EvaluationRound round, SurveyVersion version, Func<string, (string Fi, string Sv)> municipalityName, Func<int, string> unitName)
        {
            // The canonical order: by the quasi-identifiers, then by the digest of the whole response, so that rows equal in
            // their quasi-identifiers are taken in an order that does not depend on where they were read from.
            var source = Enumerable.Range(0, rows.Count).ToArray();
            Array.Sort(source, (a, b) =>
            {
                for (var c = 0; c < rows[a].Length; c++)
                {
                    if (rows[a][c] != rows[b][c])
                    {
                        return rows[a][c].CompareTo(rows[b][c]);
                    }
                }

                return digests[a].CompareTo(digests[b]);
            });
            var ordered = source.Select(i => rows[i]).ToList();

            // Each respondent stands for enrolment / respondents of the unit (1 where the enrolment is unknown or smaller).
            var weights = ordered.Select(r => r[1] == QuasiIdentifierTable.Missing ? 1.0
                : enrolment.TryGetValue(r[1], out var enrolled) && enrolled > counts[r[1]] ? (double)enrolled / counts[r[1]] : 1.0).ToList();
            var quasiColumns = new List<QuasiIdentifier>
            {
                new("municipality", Importance: 1),
                new("unit", Importance: 2),
            };
            quasiColumns.AddRange(quasiItems.Select((item, q) => new QuasiIdentifier(item.Id, Importance: 3 + q, OtherCode: item.Options.Count + 1)));
            var anonymised = Anonymiser.Apply(new QuasiIdentifierTable(quasiColumns, ordered, weights), options.K);
            var protectedTable = anonymised.Table;
            var quasiRows = Enumerable.Range(0, protectedTable.RowCount).Select(protectedTable.Row).ToArray();

            // The unit's size class, for an analyst without units: from the enrolment, or the respondents where none is known.
            var sizes = SizeClasses.Default;
            var unitInfo = counts.Keys.ToDictionary(id => id, id => (municipalityOf[id], enrolment.GetValueOrDefault(id, counts[id]), hiddenUnits.Contains(id.ToString(CultureInfo.InvariantCulture))));

            var columns = new List<DatasetColumn>
            {
                new("respondent", DatasetRole.Respondent, null, null, -1, new Dictionary<int, IReadOnlyDictionary<string, string>>()),
                new("municipality", DatasetRole.Municipality, null, null, -1,
                    shownMunicipalities.Order(StringComparer.Ordinal)
                        .ToDictionary(code => int.Parse(code, CultureInfo.InvariantCulture), code => (IReadOnlyDictionary<string, string>)Same(municipalityName(code).Fi, municipalityName(code).Sv)))
                { QuasiIdentifier = true, Suppressed = anonymised.Report.Columns[0].Suppressed },
                options.Units
                    ? new("unit", DatasetRole.Unit, null, null, -1, counts.Keys.Order().ToDictionary(id => id, id => (IReadOnlyDictionary<string, string>)Same(unitName(id), unitName(id))))
                        { QuasiIdentifier = true, Suppressed = anonymised.Report.Columns[1].Suppressed }
                    : new("unit_size", DatasetRole.UnitSize, null, null, -1,
                        Enumerable.Range(0, sizes.Count).ToDictionary(i => i + 1, i => (IReadOnlyDictionary<string, string>)Same(sizes.Label(i), sizes.Label(i))))
                        { QuasiIdentifier = true, Suppressed = anonymised.Report.Columns[1].Suppressed },
            };

            var qi = new List<QuasiColumn>();
            foreach (var slot in layout.Slots)
            {
                var item = slot.Item;
                var role = item.Background ? DatasetRole.Background : item.Type == ItemType.MultipleChoice ? DatasetRole.Choice : DatasetRole.Item;
                var name = slot.Option is { } option ? $"{item.Id}__{option.Id}" : item.Id;
                var quasiIndex = quasiItems.IndexOf(item);
                var recoding = quasiIndex < 0 ? null : anonymised.Report.Columns[2 + quasiIndex].Recoding;
                var column = new DatasetColumn(name, role, item, slot.Option, slot.Index, Labels(item, recoding))
                {
                    QuasiIdentifier = quasiIndex >= 0,
                    Recoding = recoding?.Map,
                    Suppressed = quasiIndex < 0 ? 0 : anonymised.Report.Columns[2 + quasiIndex].Suppressed,
                };
                columns.Add(column);
                if (quasiIndex >= 0)
                {
                    qi.Add(new QuasiColumn(columns.Count - 1, slot.Index, 2 + quasiIndex, []));
                }
            }

            // Items shown on a condition on a quasi-identifier: blanked where that answer was recoded or suppressed.
            qi = [.. qi.Select(q => q with { Dependants = [.. columns.Select((c, i) => (c, i)).Where(x => x.c.Item?.ShowIf?.ItemId == columns[q.Index].Item!.Id).Select(x => x.i)] })];

            var orderOfRows = Enumerable.Range(0, rows.Count).ToArray();
            RandomNumberGenerator.Shuffle(orderOfRows.AsSpan());
            var dataset = new ResearchDataset(round, published.Group, version, definition, options, columns, quasiRows, orderOfRows, anonymised.Report, qi,
                PublishedCells.Of(published, layout), unitInfo.ToDictionary(u => u.Key, u => (u.Value.Item1, u.Value.Item2, u.Value.Item3)));
            return (dataset, source);
        }
    }

    /// <summary>The rows in the file's order, read from the database in batches; each row one value per column.</summary>
    public async IAsyncEnumerable<int[]> RowsAsync(AppDbContext db, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sizes = SizeClasses.Default;
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            var positions = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
            var batch = positions.Select(p => responseIds[p]).ToList();
            var answers = await db.Responses.AsNoTracking().Where(r => batch.Contains(r.Id))
                .Select(r => new { r.Id, r.UnitId, r.Answers }).ToDictionaryAsync(r => r.Id, ct);
            for (var i = 0; i < positions.Length; i++)
            {
                var p = positions[i];
                var response = answers[responseIds[p]];
                yield return Row(start + i + 1, quasi[p], response.UnitId, response.Answers, sizes);
            }
        }
    }

    private int[] Row(int number, int[] protectedQuasi, int unitId, byte[] answers, SizeClasses sizes)
    {
        var values = new int[Columns.Count];
        values[0] = number;
        values[1] = protectedQuasi[0] == QuasiIdentifierTable.Missing ? MissingCodes.Suppressed : protectedQuasi[0];
        var (municipality, size, hidden) = units[unitId];
        values[2] = protectedQuasi[1] == QuasiIdentifierTable.Missing || hidden ? MissingCodes.Suppressed
            : Options.Units ? unitId
            : sizes.Classify(size) is var c && c >= 0 ? c + 1 : MissingCodes.Suppressed;
        for (var i = 3; i < Columns.Count; i++)
        {
            values[i] = Value(Columns[i], answers, municipality, unitId);
        }

        foreach (var (index, slot, quasiColumn, dependants) in qiColumns)
        {
            var code = protectedQuasi[quasiColumn];
            var original = answers[slot];
            values[index] = code == QuasiIdentifierTable.Missing ? MissingCodes.Suppressed : code == 0 ? MissingCodes.NotAnswered : code;
            if (code != original)
            {
                foreach (var d in dependants)
                {
                    values[d] = MissingCodes.Suppressed;
                }
            }
        }

        return values;
    }

    private int Value(DatasetColumn column, byte[] answers, string municipality, int unitId)
    {
        // A cell the pages hide is blanked whole, "not asked" too: the number of those asked would bound its answers.
        var item = column.Item!;
        if (item.Type == ItemType.Agreement && published.Hides(item.Id, municipality, unitId, answers))
        {
            return MissingCodes.Suppressed;
        }

        if (item.ShowIf is { } condition && !Holds(condition, answers))
        {
            return MissingCodes.NotAsked;
        }

        var b = answers[column.Slot];
        return item.Type switch
        {
            ItemType.MultipleChoice => b,
            ItemType.Agreement when b == AnswerCodes.CantSay => MissingCodes.CantSay,
            _ when b == AnswerCodes.NotAnswered => MissingCodes.NotAnswered,
            _ => b,
        };
    }

    /// <summary>Whether a <c>show_if</c> held for a response: the referenced choice item has one of the listed options.</summary>
    private bool Holds(Condition condition, byte[] answers)
    {
        var source = Definition.Items.First(i => i.Id == condition.ItemId);
        var options = source.Options.Select((o, i) => (o.Id, Index: i)).Where(o => condition.Values.Contains(o.Id)).ToList();
        if (source.Type == ItemType.MultipleChoice)
        {
            return Columns.Any(c => c.Item == source && c.Option is { } o && condition.Values.Contains(o.Id) && answers[c.Slot] == 1);
        }

        var slot = Columns.First(c => c.Item == source).Slot;
        return options.Any(o => answers[slot] == o.Index + 1);
    }

    private static Dictionary<int, IReadOnlyDictionary<string, string>> Labels(SurveyItem item, CategoryRecoding? recoding)
    {
        var labels = new Dictionary<int, IReadOnlyDictionary<string, string>>();
        switch (item.Type)
        {
            case ItemType.Agreement:
                for (var v = 1; v <= 5; v++)
                {
                    labels[v] = Texts(ScaleLabels.Agreement[v - 1]);
                }

                break;
            case ItemType.Smiley:
                for (var v = 1; v <= 3; v++)
                {
                    labels[v] = Texts(ScaleLabels.Smiley[v - 1]);
                }

                break;
            case ItemType.SingleChoice:
                for (var o = 0; o < item.Options.Count; o++)
                {
                    if (recoding is null || !recoding.Map.TryGetValue(o + 1, out var to) || to == o + 1)
                    {
                        labels[o + 1] = item.Options[o].Label.Values;
                    }
                }

                if (recoding is not null && recoding.Map.Any(m => m.Value == recoding.OtherCode))
                {
                    labels[recoding.OtherCode] = new Dictionary<string, string> { ["fi"] = "muu (yhdistetty)", ["sv"] = "annat (sammanslaget)", ["en"] = "other (merged)" };
                }

                break;
            case ItemType.MultipleChoice:
                labels[0] = new Dictionary<string, string> { ["fi"] = "ei valittu", ["sv"] = "inte vald", ["en"] = "not chosen" };
                labels[1] = new Dictionary<string, string> { ["fi"] = "valittu", ["sv"] = "vald", ["en"] = "chosen" };
                break;
        }

        return labels;
    }

    private static Dictionary<string, string> Same(string fi, string sv) => new Dictionary<string, string> { ["fi"] = fi, ["sv"] = sv, ["en"] = fi };

    private static IReadOnlyDictionary<string, string> Texts(string finnish) => DatasetTexts.Of(finnish);
}

/// <summary>A background question that is a quasi-identifier: its column, its answer byte, its column in the k-anonymised table, and the columns of the items shown on a condition on it.</summary>
internal sealed record QuasiColumn(int Index, int Slot, int QuasiIndex, IReadOnlyList<int> Dependants);

/// <summary>
/// Which agreement values the publication hides, so that the dataset never shows a cell the pages hide: an item's values
/// of a municipality whose cell is hidden, of a unit whose cell is hidden, and of the respondents of one option of a
/// background question where that filtered cell is hidden, the region's or their municipality's (and of those who did not
/// answer it, where any option's cell is hidden: they are never shown, so they cover it). (The publication's complementary hiding then
/// holds for the rows as it holds for the pages: no shown cell minus shown cells leaves a hidden one.)
/// </summary>
internal sealed class PublishedCells
{
    private readonly HashSet<(string Item, int Unit)> units = [];
    private readonly List<(int Slot, IReadOnlyList<string> Options, HashSet<(string Item, string Option, string Municipality)> Hidden, HashSet<(string Item, string Municipality)> Covered)> filters = [];
    private readonly HashSet<(string Item, string Municipality)> shownMunicipalities = [];

    /// <summary>The key of the region's filtered cells among the municipalities'.</summary>
    private const string Region = "region";

    public static PublishedCells Of(GroupResults published, AnswerLayout layout)
    {
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(layout);
        var cells = new PublishedCells();
        foreach (var item in published.Items)
        {
            cells.shownMunicipalities.UnionWith(item.Municipalities.Where(m => !m.Suppressed).Select(m => (item.ItemId, m.Key)));
            cells.units.UnionWith(item.Units.Where(u => u.Suppressed).Select(u => (item.ItemId, int.Parse(u.Key, CultureInfo.InvariantCulture))));
        }

        foreach (var filter in published.Filters ?? [])
        {
            if (layout.SlotOf(filter.BackgroundItemId) is not { } slot)
            {
                continue;
            }

            // Filtered cells are published for the region (and may be for municipalities): a row falls in both.
            var hidden = filter.Options.SelectMany(o => o.Items.SelectMany(i => i.Municipalities.Where(m => m.Suppressed).Select(m => (i.ItemId, o.OptionId, m.Key))
                .Concat(i.Region.Suppressed ? [(i.ItemId, o.OptionId, Region)] : []))).ToHashSet();
            cells.filters.Add((slot.Index, [.. slot.Item.Options.Select(o => o.Id)], hidden, hidden.Select(h => (h.ItemId, h.Key)).ToHashSet()));
        }

        return cells;
    }

    /// <summary>Whether the publication hides the cell this response's answer to the item falls in.</summary>
    public bool Hides(string itemId, string municipality, int unit, byte[] answers)
    {
        if (!shownMunicipalities.Contains((itemId, municipality)) || units.Contains((itemId, unit)))
        {
            return true;
        }

        foreach (var (slot, options, hidden, covered) in filters)
        {
            // Those who did not answer the background question are a group the pages never show: where an option's cell
            // is hidden, they are part of its cover (the audit reads them so), and their values would uncover it.
            var chosen = answers[slot];
            if (chosen > 0 && chosen <= options.Count
                ? hidden.Contains((itemId, options[chosen - 1], municipality)) || hidden.Contains((itemId, options[chosen - 1], Region))
                : covered.Contains((itemId, municipality)) || covered.Contains((itemId, Region)))
            {
                return true;
            }
        }

        return false;
    }
}
