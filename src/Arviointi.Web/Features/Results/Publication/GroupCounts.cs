using Arviointi.Statistics;
using Arviointi.Surveys;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.Surveys;

namespace Arviointi.Web.Features.Results.Publication;

/// <summary>A municipality's or unit's contiguous run of respondents in a group's ordered answers.</summary>
internal sealed record Slice(string Key, int Start, int Length);

/// <summary>One respondent: the unit and the answer bytes.</summary>
internal sealed record Respondent(Unit Unit, byte[] Answers);

/// <summary>
/// Everything a group's figures are computed from, counted once: respondents per unit, each agreement item's answers
/// per unit by answer byte, quality-area indices per respondent and answers per municipality and background option.
/// The publication model decides from these counts what may be shown, and the figures are then made from them.
/// </summary>
internal sealed class GroupCounts
{
    public GroupCounts(RespondentGroup group, SurveyVersion version, SurveyDefinition definition, AnswerLayout layout, Respondent[] ordered, IReadOnlyDictionary<int, int> enrolment, IReadOnlyList<Unit> silent)
    {
        Silent = silent;
        Group = group;
        Version = version;
        Definition = definition;
        Layout = layout;
        Ordered = ordered;
        Enrolment = enrolment;
        Municipalities = Slices(ordered, r => r.Unit.MunicipalityCode);
        Units = Slices(ordered, r => r.Unit.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Items = [.. definition.Items.Where(i => i.Type == ItemType.Agreement && !i.Background)];
        Slots = Items.ToDictionary(i => i.Id, i => layout.SlotOf(i.Id)!.Index, StringComparer.Ordinal);

        var column = new byte[ordered.Length];
        var unitCounts = new Dictionary<string, int[][]>(StringComparer.Ordinal);
        UnitCounts = unitCounts;
        foreach (var item in Items)
        {
            var slot = Slots[item.Id];
            for (var i = 0; i < ordered.Length; i++)
            {
                column[i] = ordered[i].Answers[slot];
            }

            unitCounts[item.Id] = [.. Units.Select(u => Comparison.CountBytes(column.AsSpan(u.Start, u.Length)))];
        }

        Areas = [.. Items.Where(i => i.Area.Length > 0).GroupBy(i => i.Area).Select(area => AreaIndex.Of(area.Key, [.. area.Select(i => i.Id)], [.. area.Select(i => Slots[i.Id])], ordered))];
        Backgrounds = [.. definition.Items.Where(i => i.Background && i.Type == ItemType.SingleChoice && i.Options.Count > 0)];
        BackgroundSlots = Backgrounds.ToDictionary(b => b.Id, b => layout.SlotOf(b.Id)!.Index, StringComparer.Ordinal);
    }

    public RespondentGroup Group { get; }

    public SurveyVersion Version { get; }

    public SurveyDefinition Definition { get; }

    /// <summary>Where each item's answer is in a response's bytes.</summary>
    public AnswerLayout Layout { get; }

    /// <summary>Respondents sorted by municipality code and unit id, so each municipality and unit is one slice.</summary>
    public Respondent[] Ordered { get; }

    /// <summary>Enrolment of the group per unit id.</summary>
    public IReadOnlyDictionary<int, int> Enrolment { get; }

    public IReadOnlyList<Slice> Municipalities { get; }

    /// <summary>Units with an enrolment of the group but no respondents: listed, with none, in the response rates.</summary>
    public IReadOnlyList<Unit> Silent { get; }

    public IReadOnlyList<Slice> Units { get; }

    /// <summary>The agreement items with results.</summary>
    public IReadOnlyList<SurveyItem> Items { get; }

    public IReadOnlyDictionary<string, int> Slots { get; }

    /// <summary>Answers by byte (0 none, 1–5, 6 can't say) per item and unit, units in <see cref="Units"/> order.</summary>
    public IReadOnlyDictionary<string, int[][]> UnitCounts { get; }

    public IReadOnlyList<AreaIndex> Areas { get; }

    /// <summary>Background questions whose options filter the results.</summary>
    public IReadOnlyList<SurveyItem> Backgrounds { get; }

    public IReadOnlyDictionary<string, int> BackgroundSlots { get; }

    public Unit UnitOf(Slice unit) => Ordered[unit.Start].Unit;

    public Municipality MunicipalityOf(Slice municipality) => Ordered[municipality.Start].Unit.Municipality!;

    /// <summary>The units of a municipality, as indices into <see cref="Units"/>.</summary>
    public IEnumerable<int> UnitsOf(string municipalityCode) =>
        Enumerable.Range(0, Units.Count).Where(u => UnitOf(Units[u]).MunicipalityCode == municipalityCode);

    /// <summary>Answers by byte of an item summed over the given units.</summary>
    public int[] Sum(string itemId, IEnumerable<int> units)
    {
        var total = new int[Likert.CantSay + 1];
        foreach (var u in units)
        {
            var counts = UnitCounts[itemId][u];
            for (var b = 0; b < total.Length; b++)
            {
                total[b] += counts[b];
            }
        }

        return total;
    }

    /// <summary>The size a hidden cell is decided by: its answers 1–5, respondents with an index, or respondents.</summary>
    public int SizeOf(Arviointi.Audit.HiddenCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        IEnumerable<int> UnitsIn(Arviointi.Audit.CellRef of) => of.Level switch
        {
            Arviointi.Audit.Level.Region => Enumerable.Range(0, Units.Count),
            Arviointi.Audit.Level.Municipality => UnitsOf(of.Key),
            _ => Enumerable.Range(0, Units.Count).Where(u => Units[u].Key == of.Key),
        };
        switch (cell.Family)
        {
            case Arviointi.Audit.Family.Rate:
                return UnitsIn(cell.Cell).Sum(u => Units[u].Length);
            case Arviointi.Audit.Family.Item:
                return ScaleN(Sum(cell.Item!, UnitsIn(cell.Cell)));
            case Arviointi.Audit.Family.Area:
                var area = Areas.First(a => a.Area == cell.Item);
                return UnitsIn(cell.Cell).Sum(u => area.Indexed(Units[u]));
            default:
                var background = Backgrounds.First(b => b.Id == cell.Background);
                var option = background.Options.ToList().FindIndex(o => o.Id == cell.Option);
                var counts = FilterCounts(background, cell.Item!);
                return Enumerable.Range(0, Municipalities.Count).Where(m => cell.Cell.Level == Arviointi.Audit.Level.Region || Municipalities[m].Key == cell.Cell.Key).Sum(m => ScaleN(counts[m][option]));
        }
    }

    /// <summary>Whether a hidden cell is hidden for its own small size (and so must be protected), not only to cover another.</summary>
    public bool IsSmall(Arviointi.Audit.HiddenCell cell) =>
        SizeOf(cell) < (cell?.Family == Arviointi.Audit.Family.Filter ? Disclosure.FilterMinimumN : Disclosure.MinimumN);

    /// <summary>Answers 1–5 among byte counts.</summary>
    public static int ScaleN(IReadOnlyList<int> counts) => counts[1] + counts[2] + counts[3] + counts[4] + counts[5];

    /// <summary>
    /// Answers by byte per municipality (in <see cref="Municipalities"/> order) and option of a background question;
    /// the last option is "did not answer the question".
    /// </summary>
    public int[][][] FilterCounts(SurveyItem background, string itemId)
    {
        var slot = Slots[itemId];
        var backgroundSlot = BackgroundSlots[background.Id];
        var options = background.Options.Count;
        var counts = new int[Municipalities.Count][][];
        for (var m = 0; m < counts.Length; m++)
        {
            counts[m] = [.. Enumerable.Range(0, options + 1).Select(_ => new int[Likert.CantSay + 1])];
            var slice = Municipalities[m];
            for (var r = slice.Start; r < slice.Start + slice.Length; r++)
            {
                var choice = Ordered[r].Answers[backgroundSlot];
                var column = choice >= 1 && choice <= options ? choice - 1 : options;
                counts[m][column][Ordered[r].Answers[slot]]++;
            }
        }

        return counts;
    }

    private static List<Slice> Slices(Respondent[] ordered, Func<Respondent, string> key)
    {
        var slices = new List<Slice>();
        for (var start = 0; start < ordered.Length;)
        {
            var k = key(ordered[start]);
            var end = start;
            while (end < ordered.Length && key(ordered[end]) == k)
            {
                end++;
            }

            slices.Add(new Slice(k, start, end - start));
            start = end;
        }

        return slices;
    }
}

/// <summary>A quality area's index per respondent (NaN for those who answered fewer than half of its items) and its reliability over the group.</summary>
internal sealed record AreaIndex(string Area, IReadOnlyList<string> ItemIds, double[] Indices, CronbachAlphaResult Alpha)
{
    public static AreaIndex Of(string area, IReadOnlyList<string> itemIds, int[] slots, Respondent[] ordered)
    {
        // Respondent-major: respondent r's answer to the area's item i at r * k + i.
        var k = slots.Length;
        var matrix = new byte[ordered.Length * k];
        for (var r = 0; r < ordered.Length; r++)
        {
            for (var i = 0; i < k; i++)
            {
                matrix[(r * k) + i] = ordered[r].Answers[slots[i]];
            }
        }

        return new AreaIndex(area, itemIds, QualityArea.Indices(matrix, k), QualityArea.CronbachAlpha(matrix, k));
    }

    /// <summary>Respondents with an index in a slice.</summary>
    public int Indexed(Slice slice) => Indices.AsSpan(slice.Start, slice.Length).ToArray().Count(double.IsFinite);
}
