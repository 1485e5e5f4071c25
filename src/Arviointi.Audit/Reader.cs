namespace Arviointi.Audit;

/// <summary>
/// The attacker's reading of a <see cref="Publication"/>: every published figure turned into the linear facts it
/// implies about the unknown counts (answers by unit, item and answer; respondents by unit; answers by background
/// option), and every hidden cell's figures into quantities whose ranges are measured.
/// </summary>
/// <remarks>
/// The unknowns are the finest counts the figures are sums of: for each item and unit, the answers 0 (none), 1–5 and
/// 6 (can't say); each unit's respondents, which every item's answers add up to; for each background question, the
/// answers per municipality and option. A rounded figure becomes the interval it stands for. What the reader cannot
/// turn into a linear fact is listed in <see cref="KnowledgeModel.Unusable"/>, not silently dropped.
/// </remarks>
public static class Reader
{
    /// <summary>Answer bytes: 0 no answer, 1–5 the scale, 6 can't say.</summary>
    public const int Bytes = 7;

    /// <summary>The byte of "can't say".</summary>
    public const int CantSay = 6;

    /// <summary>Reads everything the publication shows into one model.</summary>
    public static KnowledgeModel Read(Publication publication)
    {
        ArgumentNullException.ThrowIfNull(publication);
        var model = new KnowledgeModel();
        foreach (var group in publication.Groups)
        {
            new GroupReading(model, publication.Precision, group).Read();
        }

        return model;
    }

    private sealed class GroupReading(KnowledgeModel model, Precision precision, PublishedGroup group)
    {
        private readonly HashSet<string> unseen = Unseen(group);
        private readonly List<PublishedUnit> units = UnitsRead(group, Unseen(group));
        private readonly Dictionary<string, int> unitIndex = IndexOf(group, UnitsRead(group, Unseen(group)), Unseen(group));
        private readonly Dictionary<string, List<int>> municipalities = UnitsRead(group, Unseen(group)).Select((u, i) => (u.Municipality, i)).GroupBy(p => p.Municipality, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.i).ToList(), StringComparer.Ordinal);
        private readonly Dictionary<string, string> municipalityOf = group.Units.ToDictionary(u => u.Key, u => u.Municipality, StringComparer.Ordinal);
        private readonly Dictionary<string, int> unseenCount = Unseen(group).GroupBy(k => group.Units.First(u => u.Key == k).Municipality, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        /// <summary>
        /// The units of which the reader sees no figure. Those of one municipality are read as one unit: every fact about
        /// units is a homogeneous sum over each unit, so any counts of theirs together fit one of them holding them all,
        /// and the ranges of everything the reader can see are exactly those of the full model, with a fraction of its
        /// unknowns (a director sees no other municipality's units; a unit leader only the own).
        /// </summary>
        private static HashSet<string> Unseen(PublishedGroup group)
        {
            var seen = group.Items.SelectMany(i => i.Cells).Select(c => c.Cell)
                .Concat(group.Areas.SelectMany(a => a.Cells).Select(c => c.Cell))
                .Concat(group.Rates?.Cells.Select(c => c.Cell) ?? [])
                .Concat(group.Rates?.Series.Select(s => s.Cell) ?? [])
                .Where(c => c.Level == Level.Unit).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            return group.Units.Where(u => !seen.Contains(u.Key)).Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        }

        private static List<PublishedUnit> UnitsRead(PublishedGroup group, HashSet<string> unseen) =>
        [
            .. group.Units.Where(u => !unseen.Contains(u.Key)),
            .. group.Units.Where(u => unseen.Contains(u.Key)).GroupBy(u => u.Municipality, StringComparer.Ordinal)
                .Select(m => new PublishedUnit($"{m.Key}/unseen units", m.Key, m.All(u => u.Enrolment is not null) ? m.Sum(u => u.Enrolment!.Value) : null)),
        ];

        /// <summary>Every unit's key to the unknowns it is read by (an unseen unit to its municipality's unseen ones).</summary>
        private static Dictionary<string, int> IndexOf(PublishedGroup group, List<PublishedUnit> read, HashSet<string> unseen)
        {
            var index = read.Select((u, i) => (u.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
            foreach (var unit in group.Units.Where(u => unseen.Contains(u.Key)))
            {
                index[unit.Key] = index[$"{unit.Municipality}/unseen units"];
            }

            return index;
        }

        private readonly Dictionary<string, (int[][] Units, Dictionary<string, int[]> Municipalities)> answers = new(StringComparer.Ordinal);

        /// <summary>Per background question read as a filter: its options, each municipality's respondents per option, and per item, municipality and option the answers by byte.</summary>
        private readonly Dictionary<string, (IReadOnlyList<string> Options, Dictionary<string, int[]> Chose, Dictionary<string, Dictionary<string, int[][]>> Cells)> filterUnknowns = new(StringComparer.Ordinal);
        private int[] respondents = [];
        private Dictionary<string, int> municipalityRespondents = [];

        public void Read()
        {
            respondents = [.. units.Select(u => model.Count($"{group.Group}/unit {u.Key}/respondents"))];

            // Municipal totals are unknowns of their own, tied to their units: a published total then fixes one unknown,
            // and the units of one municipality stay a problem apart from the others'.
            municipalityRespondents = municipalities.ToDictionary(m => m.Key, m => Aggregate($"{group.Group}/municipality {m.Key}/respondents", m.Value.Select(u => respondents[u])), StringComparer.Ordinal);

            // A unit in an item's table had respondents (response rates also list units that had none).
            foreach (var key in group.Items.SelectMany(i => i.Cells).Where(c => c.Cell.Level == Level.Unit).Select(c => c.Cell.Key).Distinct(StringComparer.Ordinal))
            {
                model.Fact([new Term(respondents[unitIndex[key]], 1)], 1, double.PositiveInfinity, $"{group.Group}: unit {key} is listed with answers");
            }

            ReadItems();
            ReadAreas();
            ReadFilters();
            ReadRates();
            ReadDataset();
            ReadOpenLists();
        }

        private int Aggregate(string name, IEnumerable<int> parts)
        {
            var total = model.Count(name);
            model.Equal([new Term(total, 1), .. parts.Select(p => new Term(p, -1))], 0, name + " adds up its parts");
            return total;
        }

        /// <summary>
        /// The unknown answers of an item, made on first use: per unit and byte (each unit's bytes adding up to its
        /// respondents) and per municipality and byte (adding up its units).
        /// </summary>
        private (int[][] Units, Dictionary<string, int[]> Municipalities) Answers(string itemId)
        {
            if (answers.TryGetValue(itemId, out var known))
            {
                return known;
            }

            var x = new int[units.Count][];
            for (var u = 0; u < x.Length; u++)
            {
                x[u] = [.. Enumerable.Range(0, Bytes).Select(b => model.Count($"{group.Group}/{itemId}/unit {units[u].Key}/byte {b}"))];
                model.Equal([.. x[u].Select(v => new Term(v, 1)), new Term(respondents[u], -1)], 0, $"{group.Group}/{itemId}: every respondent of unit {units[u].Key} has one answer byte");
            }

            var byMunicipality = municipalities.ToDictionary(
                m => m.Key,
                m => Enumerable.Range(0, Bytes).Select(b => Aggregate($"{group.Group}/{itemId}/municipality {m.Key}/byte {b}", m.Value.Select(u => x[u][b]))).ToArray(),
                StringComparer.Ordinal);
            answers[itemId] = (x, byMunicipality);
            return (x, byMunicipality);
        }

        /// <summary>The unknowns of one byte of a cell: the region's municipalities, a municipality's total, or a unit's.</summary>
        private List<int> ByteOf(string itemId, CellRef cell, int b)
        {
            var (x, byMunicipality) = Answers(itemId);
            return cell.Level switch
            {
                Level.Region => [.. byMunicipality.Values.Select(m => m[b])],
                Level.Municipality => byMunicipality.TryGetValue(cell.Key, out var m) ? [m[b]] : [],
                _ => unitIndex.TryGetValue(cell.Key, out var u) ? [x[u][b]] : throw new InvalidOperationException($"{group.Group}: a cell of unit {cell.Key}, which is not among the units with respondents."),
            };
        }

        private List<int> UnitsOf(CellRef cell) => cell.Level switch
        {
            Level.Region => [.. Enumerable.Range(0, units.Count)],
            Level.Municipality => municipalities.GetValueOrDefault(cell.Key) ?? [],
            _ => unitIndex.TryGetValue(cell.Key, out var u) ? [u] : throw new InvalidOperationException($"{group.Group}: a cell of unit {cell.Key}, which is not among the units with respondents."),
        };

        private List<int> RespondentsOf(CellRef cell) => cell.Level switch
        {
            Level.Region => [.. municipalityRespondents.Values],
            Level.Municipality => municipalityRespondents.TryGetValue(cell.Key, out var m) ? [m] : [],
            _ => [.. UnitsOf(cell).Select(u => respondents[u])],
        };

        private void ReadItems()
        {
            foreach (var item in group.Items)
            {
                foreach (var cell in item.Cells)
                {
                    var source = $"{group.Group}/{item.ItemId}/{cell.Cell}";
                    if (cell.Figures is { } figures)
                    {
                        FiguresFacts(figures, b => ByteOf(item.ItemId, cell.Cell, b), source);
                        if (figures.Weighted is { } weighted)
                        {
                            WeightedFacts(item, figures, weighted, source);
                        }
                    }
                    else
                    {
                        Protect(new HiddenCell(Family.Item, group.Group, cell.Cell, item.ItemId), source, b => ByteOf(item.ItemId, cell.Cell, b));
                    }
                }
            }
        }

        /// <summary>The facts a shown cell's figures give about its answers by byte.</summary>
        private void FiguresFacts(PublishedFigures figures, Func<int, List<int>> byteVariables, string source)
        {
            model.Equal(Sum(Enumerable.Range(1, 5).SelectMany(byteVariables)), figures.N, source + ": n");
            if (figures.CantSay is { } cantSay)
            {
                model.Equal(Sum(byteVariables(CantSay)), cantSay, source + ": can't say");
            }

            if (figures.Counts is { } counts)
            {
                for (var b = 1; b <= 5; b++)
                {
                    model.Equal(Sum(byteVariables(b)), counts[b - 1], $"{source}: answers {b}");
                }

                return;
            }

            var n = figures.N;
            if (figures.AgreeShare is { } share)
            {
                var (lo, hi) = WholeInterval((share - precision.ShareHalfUnit) * n, (share + precision.ShareHalfUnit) * n);
                model.Fact(Sum(byteVariables(4).Concat(byteVariables(5))), lo, hi, source + ": share agreeing");
            }

            if (figures.Mean is { } mean)
            {
                var terms = Enumerable.Range(1, 5).SelectMany(b => byteVariables(b).Select(v => new Term(v, b))).ToList();
                model.Fact(terms, (mean - precision.MeanHalfUnit) * n, (mean + precision.MeanHalfUnit) * n, source + ": mean");
            }
        }

        /// <summary>
        /// A weighted share and design effect over strata of which at most one is unknown to the reader give that
        /// stratum's share agreeing and its n (each within rounding): two linear facts. A stratum is known when it is one
        /// shown unit, or all the units of a municipality whose cell is shown. More unknown strata give non-linear
        /// equations, which this reading cannot use and lists instead.
        /// </summary>
        private void WeightedFacts(PublishedItem item, PublishedFigures figures, PublishedWeighting weighted, string source)
        {
            var shownUnits = item.Cells.Where(c => c.Cell.Level == Level.Unit && c.Figures is not null).ToDictionary(c => c.Cell.Key, c => c.Figures!, StringComparer.Ordinal);
            var shownMunicipalities = item.Cells.Where(c => c.Cell.Level == Level.Municipality && c.Figures is not null).ToDictionary(c => c.Cell.Key, c => c.Figures!, StringComparer.Ordinal);
            var strata = new List<(List<int> Units, double Enrolment, (int N, int Agreeing)? Known)>();
            foreach (var stratum in weighted.Strata)
            {
                var of = stratum.Select(k => unitIndex.TryGetValue(k, out var u) ? u : throw new InvalidOperationException($"{source}: a stratum names unit {k}, which has no respondents.")).Distinct().ToList();

                // Some of the unseen units read as one: unknown to the reader, and no sum it can name.
                var partial = stratum.Where(unseen.Contains).GroupBy(k => municipalityOf[k], StringComparer.Ordinal).Any(m => m.Count() < unseenCount[m.Key]);
                if (partial)
                {
                    strata.Add((of, double.NaN, null));
                    continue;
                }

                if (of.Any(u => units[u].Enrolment is null))
                {
                    model.CannotUse($"{source}: weighted share over a unit whose enrolment the reader does not know");
                    return;
                }

                PublishedFigures? f = null;
                if (stratum.Count == 1 && shownUnits.TryGetValue(stratum[0], out var unitFigures))
                {
                    f = unitFigures;
                }
                else if (municipalities.FirstOrDefault(m => m.Value.Count == of.Count && m.Value.All(of.Contains)) is { Key: not null } whole && shownMunicipalities.TryGetValue(whole.Key, out var municipalityFigures))
                {
                    f = municipalityFigures;
                }

                (int, int)? known = f is not null && KnownAgreeing(f) is { } agreeing ? (f.N, agreeing) : null;
                strata.Add((of, of.Sum(u => (double)units[u].Enrolment!.Value), known));
            }

            var unknown = strata.Where(s => s.Known is null).ToList();
            if (unknown.Count == 0)
            {
                return;
            }

            if (unknown.Count > 1 || double.IsNaN(unknown[0].Enrolment))
            {
                model.CannotUse($"{source}: weighted share over {unknown.Count} strata unknown to the reader (not linear)");
                return;
            }

            var population = strata.Sum(s => s.Enrolment);
            var hidden = unknown[0];
            var knownShare = strata.Where(s => s.Known is not null).Sum(s => s.Enrolment / population * s.Known!.Value.Agreeing / s.Known.Value.N);
            var weight = hidden.Enrolment / population;
            var lowShare = (weighted.Share - precision.ShareHalfUnit - knownShare) / weight;
            var highShare = (weighted.Share + precision.ShareHalfUnit - knownShare) / weight;

            // Whole municipalities in the stratum are read through their totals, so the fact stays among totals.
            List<int> StratumByte(int b) => [.. hidden.Units.GroupBy(u => units[u].Municipality, StringComparer.Ordinal).SelectMany(m =>
                municipalities[m.Key].Count == m.Count() ? ByteOf(item.ItemId, new CellRef(Level.Municipality, m.Key), b) : m.SelectMany(u => ByteOf(item.ItemId, new CellRef(Level.Unit, units[u].Key), b)))];
            var agree = StratumByte(4).Concat(StratumByte(5)).ToList();
            var answered = Enumerable.Range(1, 5).SelectMany(StratumByte).ToList();

            // lowShare · n_H ≤ agreeing_H ≤ highShare · n_H.
            model.Fact([.. agree.Select(v => new Term(v, 1)), .. answered.Select(v => new Term(v, -highShare))], double.NegativeInfinity, 0, source + ": weighted share");
            model.Fact([.. agree.Select(v => new Term(v, 1)), .. answered.Select(v => new Term(v, -lowShare))], 0, double.PositiveInfinity, source + ": weighted share");

            // deff = n Σ_h (E_h / E)² / n_h, so (E_H / E)² / n_H = deff / n − Σ_known.
            var knownSquares = strata.Where(s => s.Known is not null).Sum(s => Math.Pow(s.Enrolment / population, 2) / s.Known!.Value.N);
            var lowQ = ((weighted.DesignEffect - precision.DesignEffectHalfUnit) / figures.N) - knownSquares;
            var highQ = ((weighted.DesignEffect + precision.DesignEffectHalfUnit) / figures.N) - knownSquares;
            var square = weight * weight;
            var lowN = highQ > 0 ? square / highQ : 0;
            var highN = lowQ > 0 ? square / lowQ : double.PositiveInfinity;
            model.Fact(Sum(answered), lowN, highN, source + ": design effect");
        }

        private int? KnownAgreeing(PublishedFigures f)
        {
            if (f.Counts is { } c)
            {
                return c[3] + c[4];
            }

            if (f.AgreeShare is { } share)
            {
                var (lo, hi) = WholeInterval((share - precision.ShareHalfUnit) * f.N, (share + precision.ShareHalfUnit) * f.N);
                return lo == hi ? (int)lo : null;
            }

            return f.N == 0 ? 0 : null;
        }

        private void ReadAreas()
        {
            foreach (var area in group.Areas)
            {
                var k = area.ItemIds.Count;
                var half = (k + 1) / 2;
                var indexed = new int[units.Count];
                var sums = new int[units.Count];
                var source = $"{group.Group}/area {area.Area}";
                for (var u = 0; u < indexed.Length; u++)
                {
                    indexed[u] = model.Count($"{source}/unit {units[u].Key}/indexed");
                    sums[u] = model.Amount($"{source}/unit {units[u].Key}/index sum", 0, double.PositiveInfinity);
                    model.Fact([new Term(sums[u], 1), new Term(indexed[u], -1)], 0, double.PositiveInfinity, source + ": an index is at least 1");
                    model.Fact([new Term(sums[u], -1), new Term(indexed[u], 5)], 0, double.PositiveInfinity, source + ": an index is at most 5");
                    model.Fact([new Term(indexed[u], 1), new Term(respondents[u], -1)], double.NegativeInfinity, 0, source + ": indexed respondents are respondents");

                    // Those with an index answered ⌈k/2⌉ to k of the area's items on the scale, the others fewer.
                    var scale = area.ItemIds.SelectMany(i => Enumerable.Range(1, 5).Select(b => Answers(i).Units[u][b])).Select(v => new Term(v, 1)).ToList();
                    model.Fact([.. scale, new Term(indexed[u], -half)], 0, double.PositiveInfinity, source + ": indexed respondents answered at least half");
                    model.Fact([.. scale, new Term(indexed[u], -(k - half + 1)), new Term(respondents[u], -(half - 1))], double.NegativeInfinity, 0, source + ": the others answered fewer than half");
                }

                var municipalIndexed = municipalities.ToDictionary(m => m.Key, m => Aggregate($"{source}/municipality {m.Key}/indexed", m.Value.Select(u => indexed[u])), StringComparer.Ordinal);
                var municipalSums = municipalities.ToDictionary(m => m.Key, m =>
                {
                    var total = model.Amount($"{source}/municipality {m.Key}/index sum", 0, double.PositiveInfinity);
                    model.Equal([new Term(total, 1), .. m.Value.Select(u => new Term(sums[u], -1))], 0, source + ": index sums add up");
                    return total;
                }, StringComparer.Ordinal);
                (List<int> N, List<int> S) Of(CellRef cell) => cell.Level switch
                {
                    Level.Region => ([.. municipalIndexed.Values], [.. municipalSums.Values]),
                    Level.Municipality => municipalIndexed.TryGetValue(cell.Key, out var n) ? ([n], [municipalSums[cell.Key]]) : ([], []),
                    _ => ([.. UnitsOf(cell).Select(u => indexed[u])], [.. UnitsOf(cell).Select(u => sums[u])]),
                };

                foreach (var cell in area.Cells)
                {
                    var (n, sum) = Of(cell.Cell);
                    var cellSource = $"{source}/{cell.Cell}";
                    if (cell.N is { } count)
                    {
                        model.Equal(Sum(n), count, cellSource + ": n");
                        if (cell.Mean is { } mean)
                        {
                            model.Fact(Sum(sum), (mean - precision.MeanHalfUnit) * count, (mean + precision.MeanHalfUnit) * count, cellSource + ": mean");
                        }
                    }
                    else
                    {
                        model.Protect(cellSource, "n", Sum(n), Protection.Size, new HiddenCell(Family.Area, group.Group, cell.Cell, area.Area));
                    }
                }
            }
        }

        /// <remarks>
        /// Per municipality, option and item, the answers 1–6; those who chose an option are the same respondents for
        /// every item (at least their answers 1–6 to any item), and the options' respondents add up to the municipality's.
        /// (The answers 0 of each option are the slack of that inequality, so they need no unknowns of their own.)
        /// </remarks>
        private void ReadFilters()
        {
            foreach (var filter in group.Filters)
            {
                var options = filter.Options.Count + 1;
                var source = $"{group.Group}/by {filter.BackgroundItemId}";
                var chose = municipalities.Keys.ToDictionary(m => m, m => Enumerable.Range(0, options).Select(o => model.Count($"{source}/municipality {m}/option {o}")).ToArray(), StringComparer.Ordinal);
                foreach (var (m, groups) in chose)
                {
                    model.Equal([.. groups.Select(g => new Term(g, 1)), new Term(municipalityRespondents[m], -1)], 0, $"{source}/municipality {m}: the options' respondents are the municipality's");
                }

                var cells = new Dictionary<string, Dictionary<string, int[][]>>(StringComparer.Ordinal);
                foreach (var itemId in filter.Cells.Select(c => c.ItemId).Distinct(StringComparer.Ordinal))
                {
                    var byMunicipality = new Dictionary<string, int[][]>(StringComparer.Ordinal);
                    foreach (var m in municipalities.Keys)
                    {
                        var f = Enumerable.Range(0, options).Select(o => Enumerable.Range(0, Bytes).Select(b => b == 0 ? -1 : model.Count($"{source}/{itemId}/municipality {m}/option {o}/byte {b}")).ToArray()).ToArray();
                        for (var b = 1; b < Bytes; b++)
                        {
                            model.Equal([.. f.Select(row => new Term(row[b], 1)), .. ByteOf(itemId, new CellRef(Level.Municipality, m), b).Select(v => new Term(v, -1))], 0, $"{source}/{itemId}/municipality {m}: options add up to the municipality");
                        }

                        for (var o = 0; o < options; o++)
                        {
                            model.Fact([.. f[o].Skip(1).Select(v => new Term(v, 1)), new Term(chose[m][o], -1)], double.NegativeInfinity, 0, $"{source}/{itemId}/municipality {m}: an option's answers are at most its respondents");
                        }

                        byMunicipality[m] = f;
                    }

                    cells[itemId] = byMunicipality;
                }

                filterUnknowns[filter.BackgroundItemId] = (filter.Options, chose, cells);
                foreach (var cell in filter.Cells)
                {
                    var o = IndexOf(filter.Options, cell.Option);
                    var inCell = cell.Cell.Level switch
                    {
                        Level.Region => [.. municipalities.Keys],
                        Level.Municipality => new List<string> { cell.Cell.Key },
                        _ => throw new InvalidOperationException($"{source}: filtered cells are per region or municipality, not {cell.Cell}."),
                    };
                    var cellSource = $"{source}={cell.Option}/{cell.ItemId}/{cell.Cell}";
                    List<int> ByteVariables(int b) => b == 0
                        ? throw new InvalidOperationException("Filtered cells publish no unanswered count.")
                        : [.. inCell.Where(cells[cell.ItemId].ContainsKey).Select(m => cells[cell.ItemId][m][o][b])];
                    if (cell.Figures is { } figures)
                    {
                        FiguresFacts(figures, ByteVariables, cellSource);
                    }
                    else
                    {
                        Protect(new HiddenCell(Family.Filter, group.Group, cell.Cell, cell.ItemId, cell.Option, filter.BackgroundItemId), cellSource, ByteVariables);
                    }
                }
            }
        }

        private void ReadRates()
        {
            if (group.Rates is not { } rates)
            {
                return;
            }

            foreach (var cell in rates.Cells)
            {
                var cellRespondents = RespondentsOf(cell.Cell);
                var source = $"{group.Group}/respondents/{cell.Cell}";
                if (cell.Respondents is { } count)
                {
                    model.Equal(Sum(cellRespondents), count, source);
                    continue;
                }

                model.Protect(source, "respondents", Sum(cellRespondents), Protection.Size, new HiddenCell(Family.Rate, group.Group, cell.Cell));
                if (cell.UnderHalf)
                {
                    var enrolment = UnitsOf(cell.Cell).Select(u => units[u].Enrolment).ToList();
                    if (enrolment.Any(e => e is null))
                    {
                        model.CannotUse(source + ": marked under half of an enrolment the reader does not know");
                        continue;
                    }

                    // Fewer than half of E: at most ⌈E/2⌉ − 1.
                    model.Fact(Sum(cellRespondents), 0, Math.Ceiling(enrolment.Sum(e => e!.Value) / 2.0) - 1, source + ": under half");
                }
            }

            var days = rates.Series.Select(s => s.Days.Count).DefaultIfEmpty(0).Max();
            if (days == 0)
            {
                return;
            }

            if (rates.Series.Any(s => s.Cell.Level == Level.Unit))
            {
                model.CannotUse($"{group.Group}: daily development of a unit (only the region's and municipalities' are read)");
            }

            var daily = municipalities.Keys.ToDictionary(m => m, m => Enumerable.Range(0, days).Select(d => model.Count($"{group.Group}/municipality {m}/day {d}")).ToArray(), StringComparer.Ordinal);
            foreach (var (m, series) in daily)
            {
                for (var d = 0; d + 1 < days; d++)
                {
                    model.Fact([new Term(series[d], 1), new Term(series[d + 1], -1)], double.NegativeInfinity, 0, $"{group.Group}: respondents only accumulate");
                }

                model.Fact([new Term(series[days - 1], 1), new Term(municipalityRespondents[m], -1)], double.NegativeInfinity, 0, $"{group.Group}: no day counts more than the final count");
            }

            foreach (var series in rates.Series.Where(s => s.Cell.Level != Level.Unit))
            {
                var of = series.Cell.Level == Level.Region ? [.. daily.Values] : daily.TryGetValue(series.Cell.Key, out var m) ? [m] : new List<int[]>();
                for (var d = 0; d < series.Days.Count; d++)
                {
                    if (series.Days[d] is { } value)
                    {
                        // A shorter series ends on the last day.
                        var day = days - series.Days.Count + d;
                        model.Equal(Sum(of.Select(s => s[day])), value, $"{group.Group}/respondents/{series.Cell}/day {day}");
                    }
                }
            }
        }

        /// <summary>
        /// The research dataset, read cell by cell as intervals: a cell's rows (or values) are at least the rows certainly
        /// in it (with that value), and at most those that may be (their unit, option or value suppressed or blanked). A
        /// municipality's rows are its respondents, rows with a suppressed municipality counting towards any. The reader
        /// knows the dataset's rule that every value in a cell the pages hide is blanked: a hidden cell's answers are at
        /// most the blanked values that may be in it. The reading leaves out what only the joint table of several columns
        /// tells (e.g. an item by unit and option together); docs/privacy.md names it.
        /// </summary>
        private void ReadDataset()
        {
            if (group.Dataset is not { } dataset)
            {
                return;
            }

            var items = group.Items.Select(i => i.ItemId).ToHashSet(StringComparer.Ordinal);
            var hidden = group.Items.SelectMany(i => i.Cells.Where(c => c.Figures is null).Select(c => (i.ItemId, c.Cell))).ToHashSet();
            var hiddenFiltered = group.Filters.SelectMany(f => f.Cells.Where(c => c.Figures is null).Select(c => (f.BackgroundItemId, c.ItemId, c.Option, c.Cell))).ToHashSet();

            var nowhere = dataset.Units.Where(t => t.Municipality is null).ToList();
            var inDataset = dataset.Units.Select(t => t.Municipality).OfType<string>().ToHashSet(StringComparer.Ordinal);
            int Count(IEnumerable<DatasetTally> tallies, string? itemId, int b) => tallies.Where(t => t.ItemId == itemId && t.Byte == b).Sum(t => t.Rows);
            int Rows(IEnumerable<DatasetTally> tallies) => Count(tallies, null, 0);

            foreach (var m in dataset.Units.Where(t => t.Municipality is not null).GroupBy(t => t.Municipality!, StringComparer.Ordinal))
            {
                if (!municipalities.ContainsKey(m.Key))
                {
                    throw new InvalidOperationException($"{group.Group}: the dataset has rows of municipality {m.Key}, which has no respondents.");
                }

                var cell = new CellRef(Level.Municipality, m.Key);
                var source = $"{group.Group}/dataset/municipality {m.Key}";
                model.Fact(Sum(RespondentsOf(cell)), Rows(m), Rows(m) + Rows(nowhere), source + ": rows");
                var anyUnit = m.Where(t => t.Units is null).Concat(nowhere).ToList();
                foreach (var itemId in m.Select(t => t.ItemId).OfType<string>().Distinct(StringComparer.Ordinal).Where(items.Contains))
                {
                    CellFacts(b => ByteOf(itemId, cell, b), 0, hidden.Contains((itemId, cell)), b => Count(m, itemId, b), b => Count(m, itemId, b) + Count(nowhere, itemId, b), $"{source}/{itemId}");
                }

                foreach (var unitGroup in m.Where(t => t.Units is not null).GroupBy(t => string.Join(",", t.Units!), StringComparer.Ordinal))
                {
                    var keys = unitGroup.First().Units!;
                    var groupSource = $"{source}/units {unitGroup.Key}";
                    if (UnitTerms(keys, groupSource) is not { } of)
                    {
                        continue;
                    }

                    model.Fact(Sum(of.Select(u => respondents[u])), Rows(unitGroup), Rows(unitGroup) + Rows(anyUnit), groupSource + ": rows");
                    foreach (var itemId in unitGroup.Select(t => t.ItemId).OfType<string>().Distinct(StringComparer.Ordinal).Where(items.Contains))
                    {
                        var x = Answers(itemId).Units;
                        CellFacts(b => [.. of.Select(u => x[u][b])], 0, keys.All(k => hidden.Contains((itemId, new CellRef(Level.Unit, k)))),
                            b => Count(unitGroup, itemId, b), b => Count(unitGroup, itemId, b) + Count(anyUnit, itemId, b), $"{groupSource}/{itemId}");
                    }
                }
            }

            foreach (var question in dataset.Options.GroupBy(t => t.BackgroundItemId, StringComparer.Ordinal))
            {
                // Only a question the pages filter by has hidden cells; the others' tallies bound nothing protected.
                if (!filterUnknowns.TryGetValue(question.Key, out var filter))
                {
                    continue;
                }

                var none = filter.Options.Count;
                HashSet<int> OptionsOf(IReadOnlyList<string>? options) => options is null
                    ? [.. Enumerable.Range(0, none + 1)]
                    : options.Count == 0 ? [none] : [.. options.Select(o => IndexOf(filter.Options, o))];
                var tallies = question.Select(t => (t.Municipality, Options: OptionsOf(t.Options), t.ItemId, t.Byte, t.Rows)).ToList();
                var anywhere = tallies.Where(t => t.Municipality is null).ToList();
                // Municipalities whose respondents are not shown have no rows: nothing is known of them.
                foreach (var m in filter.Chose.Keys.Where(inDataset.Contains))
                {
                    var of = tallies.Where(t => t.Municipality == m).ToList();
                    var source = $"{group.Group}/dataset/{question.Key}/municipality {m}";
                    for (var o = 0; o <= none; o++)
                    {
                        var exactly = of.Where(t => t.Options.Count == 1 && t.Options.Contains(o)).ToList();
                        var maybe = of.Concat(anywhere).Where(t => t.Options.Contains(o)).ToList();
                        model.Fact([new Term(filter.Chose[m][o], 1)], exactly.Where(t => t.ItemId is null).Sum(t => t.Rows), maybe.Where(t => t.ItemId is null).Sum(t => t.Rows), $"{source}/option {o}: rows");
                        foreach (var (itemId, cells) in filter.Cells)
                        {
                            var isHidden = o < none && hiddenFiltered.Contains((question.Key, itemId, filter.Options[o], new CellRef(Level.Municipality, m)));
                            var option = o;
                            CellFacts(b => [cells[m][option][b]], 1, isHidden, b => exactly.Where(t => t.ItemId == itemId && t.Byte == b).Sum(t => t.Rows),
                                b => maybe.Where(t => t.ItemId == itemId && t.Byte == b).Sum(t => t.Rows), $"{source}/option {o}/{itemId}");
                        }
                    }
                }
            }
        }

        /// <summary>
        /// The facts of one cell of the dataset: each byte's answers at least the values certainly in the cell
        /// (<paramref name="certain"/>) and at most those that may be (<paramref name="possible"/>, by value). A value that
        /// shows is in no hidden cell: of a hidden cell, only the blanked values may be answers, each byte and all of them
        /// together.
        /// </summary>
        private void CellFacts(Func<int, List<int>> byteVariables, int firstByte, bool hidden, Func<int, int> certain, Func<int, int> possible, string source)
        {
            var blanked = possible(DatasetTally.Blanked);
            for (var b = firstByte; b < Bytes; b++)
            {
                model.Fact(Sum(byteVariables(b)), certain(b), hidden ? blanked : possible(b) + blanked, $"{source}: byte {b}");
            }

            if (hidden)
            {
                model.Fact(Sum(Enumerable.Range(1, Bytes - 1).SelectMany(byteVariables)), 0, blanked, $"{source}: a hidden cell's answers are blanked values");
            }
        }

        /// <summary>The indices of the given units' unknowns; null when they name only some of a municipality's unseen units (no sum the reader can name).</summary>
        private List<int>? UnitTerms(IReadOnlyList<string> keys, string source)
        {
            if (keys.Where(unseen.Contains).GroupBy(k => municipalityOf[k], StringComparer.Ordinal).Any(m => m.Count() < unseenCount[m.Key]))
            {
                model.CannotUse($"{source}: holds some of the units unseen by the reader");
                return null;
            }

            return [.. keys.Select(k => unitIndex.TryGetValue(k, out var u) ? u : throw new InvalidOperationException($"{source}: unit {k} has no respondents.")).Distinct()];
        }

        /// <summary>
        /// Open answers: per question and unit, the unit's answers are an unknown no larger than its respondents; a
        /// list fixes the sum over the units it holds, and a list leaving out small units puts theirs between 1 and 9.
        /// (A list not shown bounds only the answers from above, which bounds no respondent count.)
        /// </summary>
        private void ReadOpenLists()
        {
            foreach (var question in group.OpenLists.GroupBy(l => l.ItemId, StringComparer.Ordinal))
            {
                var answered = new int[units.Count];
                for (var u = 0; u < units.Count; u++)
                {
                    answered[u] = model.Count($"{group.Group}/{question.Key}/unit {units[u].Key}/open answers");
                    model.Fact([new Term(answered[u], 1), new Term(respondents[u], -1)], double.NegativeInfinity, 0, $"{group.Group}/{question.Key}: unit {units[u].Key} has no more open answers than respondents");
                }

                foreach (var list in question)
                {
                    var source = $"{group.Group}/{question.Key}/open answers of {list.Cell}";
                    if (OpenTerms(answered, list.Units, source) is { } terms)
                    {
                        model.Equal(terms, list.Answers, source);
                    }

                    if (list.LeftOut is { Count: > 0 } leftOut && OpenTerms(answered, leftOut, source + " (left out)") is { } small)
                    {
                        model.Fact(small, 1, 9, source + ": small units left out");
                    }
                }
            }
        }

        /// <summary>The unknowns of the given units' open answers; null when they name only some of a municipality's unseen units (no sum the reader can name).</summary>
        private IReadOnlyList<Term>? OpenTerms(int[] answered, IReadOnlyList<string> keys, string source) =>
            UnitTerms(keys, source) is { } of ? Sum(of.Select(u => answered[u])) : null;

        private void Protect(HiddenCell origin, string source, Func<int, List<int>> byteVariables)
        {
            model.Protect(source, "n", Sum(Enumerable.Range(1, 5).SelectMany(byteVariables)), Protection.Size, origin);
            for (var b = 1; b <= 5; b++)
            {
                model.Protect(source, $"answer {b}", Sum(byteVariables(b)), Protection.Count, origin);
            }

            model.Protect(source, "can't say", Sum(byteVariables(CantSay)), Protection.Count, origin);
        }

        private static int IndexOf(IReadOnlyList<string> options, string option)
        {
            for (var i = 0; i < options.Count; i++)
            {
                if (options[i] == option)
                {
                    return i;
                }
            }

            throw new InvalidOperationException($"Option {option} is not among the background question's options.");
        }

        private static IReadOnlyList<Term> Sum(IEnumerable<int> variables) => KnowledgeModel.Sum(variables);

        private static (double Lower, double Upper) WholeInterval(double lower, double upper) =>
            (Math.Ceiling(lower - Attack.Tolerance), Math.Floor(upper + Attack.Tolerance));
    }
}
