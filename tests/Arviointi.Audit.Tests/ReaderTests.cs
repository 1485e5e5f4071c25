namespace Arviointi.Audit.Tests;

/// <summary>The reader's translation of published figures, on one item of a municipality of three units and a second municipality.</summary>
public class ReaderTests
{
    private static readonly Precision Rounded = new();

    /// <summary>Option x's answers by byte (0 none, 1–5, 6 can't say) in the filter tests.</summary>
    private static readonly int[] OptionX = [0, 1, 2, 4, 9, 9, 0];

    // Lahti: unit a (2 answers, hidden), b (8, hidden as partner), c (20); Hollola: unit d (30).
    private static readonly PublishedUnit[] Units = [new("a", "398", 50), new("b", "398", 40), new("c", "398", 60), new("d", "098", 100)];

    private static PublishedFigures Counts(params int[] counts) => new(counts.Sum(), 0, counts, null, null);

    private static PublishedCell Unit(string key, PublishedFigures? figures) => new(new CellRef(Level.Unit, key), figures);

    private static PublishedCell Municipality(string code, PublishedFigures? figures) => new(new CellRef(Level.Municipality, code), figures);

    private static Publication Of(params PublishedCell[] cells) =>
        new("test", Rounded, [new PublishedGroup("guardian", Units, [new PublishedItem("q1", cells)])]);

    private static AuditReport Solve(Publication publication) => Attack.Solve(Reader.Read(publication), exact: true);

    private static TargetRange RangeOf(AuditReport report, string cell, string quantity) =>
        report.Ranges.Single(r => r.Target.Key.EndsWith(cell, StringComparison.Ordinal) && r.Target.Quantity == quantity);

    [Fact]
    public void A_municipality_with_a_hidden_pair_leaves_each_as_uncertain_as_the_pair()
    {
        var report = Solve(Of(
            Municipality("398", Counts(2, 3, 5, 10, 10)),
            Unit("a", null),
            Unit("b", null),
            Unit("c", Counts(0, 1, 4, 8, 7))));

        var n = RangeOf(report, "unit a", "n");
        Assert.Equal((0, 10), (n.Lower, n.Upper));
        Assert.Empty(report.Disclosed);

        // The pair gave two answers "1" between them: a has 0–2 of them, which names nobody.
        var ones = RangeOf(report, "unit a", "answer 1");
        Assert.Equal((0, 2), (ones.Lower, ones.Upper));
    }

    [Fact]
    public void Showing_the_partner_on_another_page_solves_the_small_unit()
    {
        var report = Solve(Of(
            Municipality("398", Counts(2, 3, 5, 10, 10)),
            Unit("a", null),
            Unit("b", Counts(1, 1, 1, 2, 3)),
            Unit("c", Counts(0, 1, 4, 8, 7))));

        var n = RangeOf(report, "unit a", "n");
        Assert.Equal((2, 2), (n.Lower, n.Upper));
        Assert.Contains(report.Disclosed, r => r.Target.Origin == new HiddenCell(Family.Item, "guardian", new CellRef(Level.Unit, "a"), "q1"));
    }

    [Fact]
    public void Response_rates_of_the_partner_bound_the_small_unit_through_its_respondents()
    {
        // b's 8 respondents are published and b answered with 8 on the scale: the pair's 10 leaves a with exactly 2.
        var publication = Of(
            Municipality("398", Counts(2, 3, 5, 10, 10)),
            Unit("a", null),
            Unit("b", null),
            Unit("c", Counts(0, 1, 4, 8, 7)));
        var group = publication.Groups[0] with
        {
            Rates = new PublishedRates([new PublishedRate(new CellRef(Level.Unit, "b"), 8), new PublishedRate(new CellRef(Level.Unit, "a"), null)], []),
        };

        var report = Solve(publication with { Groups = [group] });

        // Only an upper bound for b: a keeps 2–10 answers, and its respondents 2 or more.
        var n = RangeOf(report, "unit a", "n");
        Assert.Equal((2, 10), (n.Lower, n.Upper));
        Assert.Empty(report.Disclosed);
    }

    [Fact]
    public void A_weighted_share_over_separate_hidden_strata_cannot_be_read_linearly_and_is_reported()
    {
        var weighted = new PublishedWeighting(0.57, 1.05, [["a"], ["b"], ["c"]]);
        var report = Solve(Of(
            Municipality("398", Counts(2, 3, 5, 10, 10) with { Weighted = weighted }),
            Unit("a", null),
            Unit("b", null),
            Unit("c", Counts(0, 1, 4, 8, 7))));

        Assert.Contains(report.Unusable, u => u.Contains("2 strata", StringComparison.Ordinal));
    }

    [Fact]
    public void A_weighted_share_with_the_hidden_units_pooled_adds_nothing_the_totals_did_not_say()
    {
        // Pooled a+b: 10 answers, 5 agreeing (Lahti 30 answers 20 agreeing; c: 20 answers 15 agreeing).
        // Weights: a+b 90/150, c 60/150. Share = 0.6 · 0.5 + 0.4 · 0.75 = 0.6; deff = 30 · (0.36/10 + 0.16/20) = 1.32.
        var weighted = new PublishedWeighting(0.60, 1.32, [["a", "b"], ["c"]]);
        var report = Solve(Of(
            Municipality("398", Counts(2, 3, 5, 10, 10) with { Weighted = weighted }),
            Unit("a", null),
            Unit("b", null),
            Unit("c", Counts(0, 1, 4, 8, 7))));

        Assert.Empty(report.Unusable);
        Assert.Equal((0, 10), (RangeOf(report, "unit a", "n").Lower, RangeOf(report, "unit a", "n").Upper));
        Assert.Empty(report.Disclosed);
    }

    [Fact]
    public void A_small_cell_shown_without_its_distribution_is_read_from_its_rounded_share_and_mean()
    {
        // Unit c shows only n = 6, 67 % agreeing and mean 3.83: 4 agreeing and a sum of 23 (3.833…).
        var units = new PublishedUnit[] { new("c", "398", 10) };
        var publication = new Publication("test", Rounded, [new PublishedGroup("guardian", units, [new PublishedItem("q1", [
            new PublishedCell(new CellRef(Level.Unit, "c"), new PublishedFigures(6, null, null, 0.67, 3.83)),
        ])])]);
        var model = Reader.Read(publication);
        var agreeing = model.Facts.Single(f => f.Source.EndsWith("share agreeing", StringComparison.Ordinal));
        var mean = model.Facts.Single(f => f.Source.EndsWith("mean", StringComparison.Ordinal));

        Assert.Equal((4, 4), (agreeing.Lower, agreeing.Upper));
        Assert.InRange(23, mean.Lower, mean.Upper);
        Assert.True(mean.Upper - mean.Lower < 0.1);
    }

    [Fact]
    public void A_filter_whose_unanswered_group_is_empty_gives_no_cover()
    {
        // Lahti's 30 answers by two options: option x 25 shown, option y hidden; nobody left the question unanswered
        // (the region's cells say so), so y is the municipality minus x.
        var units = new PublishedUnit[] { new("c", "398", null) };
        var group = new PublishedGroup("guardian", units, [new PublishedItem("q1", [new PublishedCell(new CellRef(Level.Municipality, "398"), Counts(2, 3, 5, 10, 10))])])
        {
            Filters = [new PublishedFilter("age", ["x", "y"], [
                new PublishedFilterCell("q1", "x", new CellRef(Level.Municipality, "398"), Counts(1, 2, 4, 9, 9)),
                new PublishedFilterCell("q1", "y", new CellRef(Level.Municipality, "398"), null),
                new PublishedFilterCell("q1", "x", CellRef.Region, Counts(1, 2, 4, 9, 9)),
                new PublishedFilterCell("q1", "y", CellRef.Region, Counts(1, 1, 1, 1, 1)),
            ])],
        };

        var report = Attack.Solve(Reader.Read(new Publication("test", Rounded, [group])), exact: true);

        var n = report.Ranges.Single(r => r.Target.Quantity == "n");
        Assert.Equal((5, 5), (n.Lower, n.Upper));
    }

    [Fact]
    public void An_open_answer_list_bounds_its_units_respondents_from_below_and_can_solve_a_hidden_partner()
    {
        // Lahti's 30 respondents are shown, and c's 20: a and b, hidden, have 10 between them (a at least one).
        var publication = Of(Municipality("398", Counts(2, 3, 5, 10, 10)), Unit("a", null), Unit("b", null), Unit("c", Counts(0, 1, 4, 8, 7)));
        var rated = publication.Groups[0] with
        {
            Rates = new PublishedRates(
                [new PublishedRate(new CellRef(Level.Municipality, "398"), 30), new PublishedRate(new CellRef(Level.Unit, "a"), null), new PublishedRate(new CellRef(Level.Unit, "b"), null), new PublishedRate(new CellRef(Level.Unit, "c"), 20)],
                []),
        };
        // (Solved exactly, this range once came out as [-9, 19]: the relaxation kept the objective of an integer program
        // solved in between. Each solver now clears its own.)
        var without = Solve(publication with { Groups = [rated] });
        Assert.Equal((1, 9), (RangeOf(without, "unit a", "respondents").Lower, RangeOf(without, "unit a", "respondents").Upper));

        // A list of b's nine open answers (which the rule would never show: b is hidden) leaves a exactly one respondent.
        var listed = Solve(publication with { Groups = [rated with { OpenLists = [new PublishedOpenList("q9", new CellRef(Level.Unit, "b"), ["b"], 9)] }] });
        Assert.Equal((1, 1), (RangeOf(listed, "unit a", "respondents").Lower, RangeOf(listed, "unit a", "respondents").Upper));
        Assert.Contains(listed.Disclosed, r => r.Target.Origin == new HiddenCell(Family.Rate, "guardian", new CellRef(Level.Unit, "a")));

        // The municipality's list of all 30 (c's answers among them) says no more than the respondents do.
        var municipal = Solve(publication with { Groups = [rated with { OpenLists = [new PublishedOpenList("q9", new CellRef(Level.Municipality, "398"), ["a", "b", "c"], 30)] }] });
        Assert.Equal((1, 9), (RangeOf(municipal, "unit a", "respondents").Lower, RangeOf(municipal, "unit a", "respondents").Upper));

        // A list leaving out small units puts their answers between 1 and 9: a lower bound of one, which a and b had.
        var leftOut = Solve(publication with { Groups = [rated with { OpenLists = [new PublishedOpenList("q9", new CellRef(Level.Municipality, "398"), ["c"], 15, ["a", "b"])] }] });
        Assert.Equal((1, 9), (RangeOf(leftOut, "unit a", "respondents").Lower, RangeOf(leftOut, "unit a", "respondents").Upper));
        Assert.Contains(Reader.Read(publication with { Groups = [rated with { OpenLists = [new PublishedOpenList("q9", new CellRef(Level.Municipality, "398"), ["c"], 15, ["a", "b"])] }] }).Facts,
            f => f.Source.EndsWith("small units left out", StringComparison.Ordinal) && (f.Lower, f.Upper) == (1, 9));
    }

    [Fact]
    public void The_research_dataset_with_the_hidden_pairs_unit_suppressed_says_nothing_new_but_naming_the_partner_solves_the_small_unit()
    {
        // Lahti's 30 respondents and c's 20 are shown, a and b are hidden (rates and item cells). The dataset's rows: c's
        // 20 with their values, a's and b's 10 with the unit suppressed and the values blanked, as the pages hide them.
        var publication = Of(Municipality("398", Counts(2, 3, 5, 10, 10)), Unit("a", null), Unit("b", null), Unit("c", Counts(0, 1, 4, 8, 7)));
        var rated = publication.Groups[0] with
        {
            Rates = new PublishedRates(
                [new PublishedRate(new CellRef(Level.Municipality, "398"), 30), new PublishedRate(new CellRef(Level.Unit, "a"), null), new PublishedRate(new CellRef(Level.Unit, "b"), null), new PublishedRate(new CellRef(Level.Unit, "c"), 20)],
                []),
        };
        IEnumerable<DatasetTally> Rows(IReadOnlyList<string>? units, int rows, params int[] bytes) =>
            [new("398", units, null, 0, rows), .. bytes.Select((n, b) => new DatasetTally("398", units, "q1", b == 7 ? DatasetTally.Blanked : b, n)).Where(t => t.Rows > 0)];
        var c = Rows(["c"], 20, 0, 0, 1, 4, 8, 7, 0, 0);

        var safe = Solve(publication with { Groups = [rated with { Dataset = new PublishedDataset([.. c, .. Rows(null, 10, 0, 0, 0, 0, 0, 0, 0, 10)], []) }] });
        Assert.Equal((1, 9), (RangeOf(safe, "unit a", "respondents").Lower, RangeOf(safe, "unit a", "respondents").Upper));
        Assert.Empty(safe.Disclosed);

        // A dataset that named b's unit (its respondents are hidden) would tell b's 8 rows: a has 1–2 respondents.
        var named = Solve(publication with { Groups = [rated with { Dataset = new PublishedDataset([.. c, .. Rows(["b"], 8, 0, 0, 0, 0, 0, 0, 0, 8), .. Rows(null, 2, 0, 0, 0, 0, 0, 0, 0, 2)], []) }] });
        Assert.Equal((1, 2), (RangeOf(named, "unit a", "respondents").Lower, RangeOf(named, "unit a", "respondents").Upper));
        Assert.Contains(named.Disclosed, r => r.Target.Origin == new HiddenCell(Family.Rate, "guardian", new CellRef(Level.Unit, "a")));
    }

    [Fact]
    public void The_values_of_those_who_left_the_background_question_unanswered_would_uncover_the_hidden_option_they_cover()
    {
        // Lahti's 30 answers: option x 25 (shown), y 2 (hidden), 3 left the question unanswered (never shown): y and the
        // unanswered have the municipality's answers minus x's, (1, 1, 1, 1, 1), between them. In the dataset y's and the
        // unanswered's background answers are suppressed (fewer than five in their unit).
        var units = new PublishedUnit[] { new("c", "398", null) };
        var group = new PublishedGroup("guardian", units, [new PublishedItem("q1", [new PublishedCell(new CellRef(Level.Municipality, "398"), Counts(2, 3, 5, 10, 10))])])
        {
            Filters = [new PublishedFilter("age", ["x", "y"], [
                new PublishedFilterCell("q1", "x", new CellRef(Level.Municipality, "398"), Counts(1, 2, 4, 9, 9)),
                new PublishedFilterCell("q1", "y", new CellRef(Level.Municipality, "398"), null),
            ])],
        };
        PublishedDataset Dataset(int[] unitBytes, (int[] Bytes, int Rows)[] suppressed) => new(
            [new("398", ["c"], null, 0, 30), .. unitBytes.Select((n, b) => new DatasetTally("398", ["c"], "q1", b == 7 ? DatasetTally.Blanked : b, n))],
            [new("398", "age", ["x"], null, 0, 25), .. OptionX.Select((n, b) => new DatasetOptionTally("398", "age", ["x"], "q1", b, n)),
             .. suppressed.Select(s => new DatasetOptionTally("398", "age", null, null, 0, s.Rows)),
             .. suppressed.SelectMany(s => s.Bytes.Select((n, b) => new DatasetOptionTally("398", "age", null, "q1", b == 7 ? DatasetTally.Blanked : b, n)))]);
        AuditReport Read(PublishedDataset dataset) => Attack.Solve(Reader.Read(new Publication("test", Rounded, [group with { Dataset = dataset }])), exact: true);
        TargetRange N(AuditReport report) => report.Ranges.Single(r => r.Target.Key.Contains("=y/", StringComparison.Ordinal) && r.Target.Quantity == "n");

        // y's and the unanswered's values blanked together (the dataset's rule): y keeps the cover of the unanswered.
        var blanked = Read(Dataset([0, 1, 2, 4, 9, 9, 0, 5], [([0, 0, 0, 0, 0, 0, 0, 5], 5)]));
        Assert.Equal((0, 5), (N(blanked).Lower, N(blanked).Upper));
        Assert.Empty(blanked.Disclosed);

        // Had the unanswered's values shown, only y's two blanked values could be y's: y has at most 2 answers.
        var shown = Read(Dataset([0, 2, 2, 4, 10, 10, 0, 2], [([0, 0, 0, 0, 0, 0, 0, 2], 2), ([0, 1, 0, 0, 1, 1, 0, 0], 3)]));
        Assert.Equal((0, 2), (N(shown).Lower, N(shown).Upper));
        Assert.Contains(shown.Disclosed, r => r.Target.Origin!.Family == Family.Filter && r.Target.Origin.Option == "y");
    }
}
