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
        private readonly Dictionary<string, int> unitIndex = group.Units.Select((u, i) => (u.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
        private readonly Dictionary<string, List<int>> municipalities = group.Units.Select((u, i) => (u.Municipality, i)).GroupBy(p => p.Municipality, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.i).ToList(), StringComparer.Ordinal);

        private readonly Dictionary<string, int[][]> answers = new(StringComparer.Ordinal);
        private int[] respondents = [];

        public void Read()
        {
            respondents = [.. group.Units.Select(u => model.Count($"{group.Group}/unit {u.Key}/respondents"))];

            // A unit in an item's table had respondents (response rates also list units that had none).
            foreach (var key in group.Items.SelectMany(i => i.Cells).Where(c => c.Cell.Level == Level.Unit).Select(c => c.Cell.Key).Distinct(StringComparer.Ordinal))
            {
                model.Fact([new Term(respondents[unitIndex[key]], 1)], 1, double.PositiveInfinity, $"{group.Group}: unit {key} is listed with answers");
            }

            ReadItems();
            ReadAreas();
            ReadFilters();
            ReadRates();
            ReadExport();
        }

        /// <summary>The unknown answers of an item, made on first use: [unit][byte], each unit's bytes adding up to its respondents.</summary>
        private int[][] Answers(string itemId)
        {
            if (answers.TryGetValue(itemId, out var known))
            {
                return known;
            }

            var x = new int[group.Units.Count][];
            for (var u = 0; u < x.Length; u++)
            {
                x[u] = [.. Enumerable.Range(0, Bytes).Select(b => model.Count($"{group.Group}/{itemId}/unit {group.Units[u].Key}/byte {b}"))];
                model.Equal([.. x[u].Select(v => new Term(v, 1)), new Term(respondents[u], -1)], 0, $"{group.Group}/{itemId}: every respondent of unit {group.Units[u].Key} has one answer byte");
            }

            answers[itemId] = x;
            return x;
        }

        private List<int> UnitsOf(CellRef cell) => cell.Level switch
        {
            Level.Region => [.. Enumerable.Range(0, group.Units.Count)],
            Level.Municipality => municipalities.GetValueOrDefault(cell.Key) ?? [],
            _ => unitIndex.TryGetValue(cell.Key, out var u) ? [u] : throw new InvalidOperationException($"{group.Group}: a cell of unit {cell.Key}, which is not among the units with respondents."),
        };

        private void ReadItems()
        {
            foreach (var item in group.Items)
            {
                var x = Answers(item.ItemId);
                foreach (var cell in item.Cells)
                {
                    var units = UnitsOf(cell.Cell);
                    var source = $"{group.Group}/{item.ItemId}/{cell.Cell}";
                    if (cell.Figures is { } figures)
                    {
                        FiguresFacts(figures, b => [.. units.Select(u => x[u][b])], source);
                        if (figures.Weighted is { } weighted)
                        {
                            WeightedFacts(item, figures, weighted, source);
                        }
                    }
                    else
                    {
                        Protect(new HiddenCell(Family.Item, group.Group, cell.Cell, item.ItemId), source, b => [.. units.Select(u => x[u][b])]);
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
        /// stratum's share agreeing and its n (each within rounding): two linear facts. More unknown strata give
        /// non-linear equations, which this reading cannot use and lists instead.
        /// </summary>
        private void WeightedFacts(PublishedItem item, PublishedFigures figures, PublishedWeighting weighted, string source)
        {
            var x = Answers(item.ItemId);
            var shown = item.Cells.Where(c => c.Cell.Level == Level.Unit && c.Figures is not null).ToDictionary(c => c.Cell.Key, c => c.Figures!, StringComparer.Ordinal);
            var strata = new List<(List<int> Units, double Enrolment, (int N, int Agreeing)? Known)>();
            foreach (var stratum in weighted.Strata)
            {
                var units = stratum.Select(k => unitIndex.TryGetValue(k, out var u) ? u : throw new InvalidOperationException($"{source}: a stratum names unit {k}, which has no respondents.")).ToList();
                if (units.Any(u => group.Units[u].Enrolment is null))
                {
                    model.CannotUse($"{source}: weighted share over a unit whose enrolment the reader does not know");
                    return;
                }

                (int, int)? known = null;
                if (stratum.Count == 1 && shown.TryGetValue(stratum[0], out var f) && KnownAgreeing(f) is { } agreeing)
                {
                    known = (f.N, agreeing);
                }

                strata.Add((units, units.Sum(u => (double)group.Units[u].Enrolment!.Value), known));
            }

            var unknown = strata.Where(s => s.Known is null).ToList();
            if (unknown.Count == 0)
            {
                return;
            }

            if (unknown.Count > 1)
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
            var agree = hidden.Units.SelectMany(u => new[] { x[u][4], x[u][5] }).ToList();
            var answered = hidden.Units.SelectMany(u => Enumerable.Range(1, 5).Select(b => x[u][b])).ToList();

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

            return null;
        }

        private void ReadAreas()
        {
            foreach (var area in group.Areas)
            {
                var k = area.ItemIds.Count;
                var half = (k + 1) / 2;
                var indexed = new int[group.Units.Count];
                var sums = new int[group.Units.Count];
                var source = $"{group.Group}/area {area.Area}";
                for (var u = 0; u < indexed.Length; u++)
                {
                    indexed[u] = model.Count($"{source}/unit {group.Units[u].Key}/indexed");
                    sums[u] = model.Amount($"{source}/unit {group.Units[u].Key}/index sum", 0, double.PositiveInfinity);
                    model.Fact([new Term(sums[u], 1), new Term(indexed[u], -1)], 0, double.PositiveInfinity, source + ": an index is at least 1");
                    model.Fact([new Term(sums[u], -1), new Term(indexed[u], 5)], 0, double.PositiveInfinity, source + ": an index is at most 5");
                    model.Fact([new Term(indexed[u], 1), new Term(respondents[u], -1)], double.NegativeInfinity, 0, source + ": indexed respondents are respondents");

                    // Those with an index answered ⌈k/2⌉ to k of the area's items on the scale, the others fewer.
                    var scale = area.ItemIds.SelectMany(i => Enumerable.Range(1, 5).Select(b => Answers(i)[u][b])).Select(v => new Term(v, 1)).ToList();
                    model.Fact([.. scale, new Term(indexed[u], -half)], 0, double.PositiveInfinity, source + ": indexed respondents answered at least half");
                    model.Fact([.. scale, new Term(indexed[u], -(k - half + 1)), new Term(respondents[u], -(half - 1))], double.NegativeInfinity, 0, source + ": the others answered fewer than half");
                }

                foreach (var cell in area.Cells)
                {
                    var units = UnitsOf(cell.Cell);
                    var cellSource = $"{source}/{cell.Cell}";
                    if (cell.N is { } n)
                    {
                        model.Equal(Sum(units.Select(u => indexed[u])), n, cellSource + ": n");
                        if (cell.Mean is { } mean)
                        {
                            model.Fact(Sum(units.Select(u => sums[u])), (mean - precision.MeanHalfUnit) * n, (mean + precision.MeanHalfUnit) * n, cellSource + ": mean");
                        }
                    }
                    else
                    {
                        model.Protect(cellSource, "n", Sum(units.Select(u => indexed[u])), Protection.Size, new HiddenCell(Family.Area, group.Group, cell.Cell, area.Area));
                    }
                }
            }
        }

        private void ReadFilters()
        {
            foreach (var filter in group.Filters)
            {
                var options = filter.Options.Count + 1;
                var municipalityCodes = municipalities.Keys.Order(StringComparer.Ordinal).ToList();
                var source = $"{group.Group}/by {filter.BackgroundItemId}";

                // Respondents per municipality and option are the same for every item.
                var chose = municipalityCodes.ToDictionary(m => m, m => Enumerable.Range(0, options).Select(o => model.Count($"{source}/municipality {m}/option {o}")).ToArray(), StringComparer.Ordinal);
                var cells = new Dictionary<string, Dictionary<string, int[][]>>(StringComparer.Ordinal);
                foreach (var itemId in filter.Cells.Select(c => c.ItemId).Distinct(StringComparer.Ordinal))
                {
                    var x = Answers(itemId);
                    var byMunicipality = new Dictionary<string, int[][]>(StringComparer.Ordinal);
                    foreach (var m in municipalityCodes)
                    {
                        var f = Enumerable.Range(0, options).Select(o => Enumerable.Range(0, Bytes).Select(b => model.Count($"{source}/{itemId}/municipality {m}/option {o}/byte {b}")).ToArray()).ToArray();
                        for (var b = 0; b < Bytes; b++)
                        {
                            model.Equal([.. f.Select(row => new Term(row[b], 1)), .. municipalities[m].Select(u => new Term(x[u][b], -1))], 0, $"{source}/{itemId}/municipality {m}: options add up to the municipality");
                        }

                        for (var o = 0; o < options; o++)
                        {
                            model.Equal([.. f[o].Select(v => new Term(v, 1)), new Term(chose[m][o], -1)], 0, $"{source}/{itemId}/municipality {m}: every respondent of an option has one answer byte");
                        }

                        byMunicipality[m] = f;
                    }

                    cells[itemId] = byMunicipality;
                }

                foreach (var cell in filter.Cells)
                {
                    var o = IndexOf(filter.Options, cell.Option);
                    var inCell = cell.Cell.Level switch
                    {
                        Level.Region => municipalityCodes,
                        Level.Municipality => [cell.Cell.Key],
                        _ => throw new InvalidOperationException($"{source}: filtered cells are per region or municipality, not {cell.Cell}."),
                    };
                    var cellSource = $"{source}={cell.Option}/{cell.ItemId}/{cell.Cell}";
                    List<int> ByteVariables(int b) => [.. inCell.Where(cells[cell.ItemId].ContainsKey).Select(m => cells[cell.ItemId][m][o][b])];
                    if (cell.Figures is { } figures)
                    {
                        FiguresFacts(figures, ByteVariables, cellSource);
                    }
                    else
                    {
                        Protect(new HiddenCell(Family.Filter, group.Group, cell.Cell, cell.ItemId, cell.Option), cellSource, ByteVariables);
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
                var units = UnitsOf(cell.Cell);
                var source = $"{group.Group}/respondents/{cell.Cell}";
                if (cell.Respondents is { } count)
                {
                    model.Equal(Sum(units.Select(u => respondents[u])), count, source);
                    continue;
                }

                model.Protect(source, "respondents", Sum(units.Select(u => respondents[u])), Protection.Size, new HiddenCell(Family.Rate, group.Group, cell.Cell));
                if (cell.UnderHalf)
                {
                    var enrolment = units.Select(u => group.Units[u].Enrolment).ToList();
                    if (enrolment.Any(e => e is null))
                    {
                        model.CannotUse(source + ": marked under half of an enrolment the reader does not know");
                        continue;
                    }

                    // Fewer than half of E: at most ⌈E/2⌉ − 1.
                    model.Fact(Sum(units.Select(u => respondents[u])), 0, Math.Ceiling(enrolment.Sum(e => e!.Value) / 2.0) - 1, source + ": under half");
                }
            }

            var days = rates.Series.Select(s => s.Days.Count).DefaultIfEmpty(0).Max();
            if (days == 0)
            {
                return;
            }

            var daily = Enumerable.Range(0, group.Units.Count).Select(u => Enumerable.Range(0, days).Select(d => model.Count($"{group.Group}/unit {group.Units[u].Key}/day {d}")).ToArray()).ToArray();
            for (var u = 0; u < daily.Length; u++)
            {
                for (var d = 0; d + 1 < days; d++)
                {
                    model.Fact([new Term(daily[u][d], 1), new Term(daily[u][d + 1], -1)], double.NegativeInfinity, 0, $"{group.Group}: respondents only accumulate");
                }

                model.Fact([new Term(daily[u][days - 1], 1), new Term(respondents[u], -1)], double.NegativeInfinity, 0, $"{group.Group}: no day counts more than the final count");
            }

            foreach (var series in rates.Series)
            {
                var units = UnitsOf(series.Cell);
                for (var d = 0; d < series.Days.Count; d++)
                {
                    if (series.Days[d] is { } value)
                    {
                        // A shorter series ends on the last day.
                        var day = days - series.Days.Count + d;
                        model.Equal(Sum(units.Select(u => daily[u][day])), value, $"{group.Group}/respondents/{series.Cell}/day {day}");
                    }
                }
            }
        }

        private void ReadExport()
        {
            if (group.Export is not { } export)
            {
                return;
            }

            foreach (var (municipality, rows) in export.Rows)
            {
                model.Equal(Sum((municipalities.GetValueOrDefault(municipality) ?? []).Select(u => respondents[u])), rows, $"{group.Group}/export/municipality {municipality}: rows");
            }

            foreach (var item in export.Items)
            {
                var x = Answers(item.ItemId);
                foreach (var cell in item.Cells.Where(c => c.Bytes is not null))
                {
                    var units = municipalities.GetValueOrDefault(cell.Municipality) ?? [];
                    for (var b = 0; b < Bytes; b++)
                    {
                        model.Equal(Sum(units.Select(u => x[u][b])), cell.Bytes![b], $"{group.Group}/export/{item.ItemId}/municipality {cell.Municipality}: byte {b}");
                    }
                }
            }
        }

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
