namespace Arviointi.Audit.Tests;

/// <summary>The solver on small tables whose ranges can be checked by hand.</summary>
public class AttackTests
{
    [Fact]
    public void A_lone_hidden_cell_is_recovered_from_the_total_exactly()
    {
        // A municipality of 142 answers: units 2 (hidden), 40 and 100 shown.
        var model = new KnowledgeModel();
        var (a, b, c) = (model.Count("a"), model.Count("b"), model.Count("c"));
        model.Equal(KnowledgeModel.Sum([a, b, c]), 142, "municipality n");
        model.Equal(KnowledgeModel.Sum([b]), 40, "unit b n");
        model.Equal(KnowledgeModel.Sum([c]), 100, "unit c n");
        model.Protect("unit a", "n", KnowledgeModel.Sum([a]), Protection.Size);

        var report = Attack.Solve(model);

        var range = Assert.Single(report.Ranges);
        Assert.Equal((2, 2), (range.Lower, range.Upper));
        Assert.Single(report.Disclosed);
    }

    [Fact]
    public void A_complementary_partner_leaves_both_ranges_as_wide_as_their_sum()
    {
        var model = new KnowledgeModel();
        var (a, b, c) = (model.Count("a"), model.Count("b"), model.Count("c"));
        model.Equal(KnowledgeModel.Sum([a, b, c]), 142, "municipality n");
        model.Equal(KnowledgeModel.Sum([c]), 100, "unit c n");
        model.Protect("unit a", "n", KnowledgeModel.Sum([a]), Protection.Size);
        model.Protect("unit b", "n", KnowledgeModel.Sum([b]), Protection.Size);

        var report = Attack.Solve(model);

        Assert.All(report.Ranges, r => Assert.Equal((0, 42), (r.Lower, r.Upper)));
        Assert.Empty(report.Disclosed);
        Assert.Equal(42, report.NarrowestSize!.Width);
    }

    [Fact]
    public void A_second_table_over_the_same_units_can_undo_the_partner()
    {
        // Response rates publish unit b's respondents (40) and everyone in b answered the item.
        var model = new KnowledgeModel();
        var (a, b, c, bSkipped) = (model.Count("a"), model.Count("b"), model.Count("c"), model.Count("b skipped"));
        model.Equal(KnowledgeModel.Sum([a, b, c]), 142, "municipality n");
        model.Equal(KnowledgeModel.Sum([c]), 100, "unit c n");
        model.Equal(KnowledgeModel.Sum([b, bSkipped]), 40, "unit b respondents");
        model.Equal(KnowledgeModel.Sum([bSkipped]), 0, "unit b: nobody skipped (published)");
        model.Protect("unit a", "n", KnowledgeModel.Sum([a]), Protection.Size);

        var range = Assert.Single(Attack.Solve(model).Ranges);

        Assert.Equal((2, 2), (range.Lower, range.Upper));
    }

    [Fact]
    public void An_answer_count_that_can_be_zero_is_protected_but_a_size_is_not()
    {
        // Two hidden units that together gave three answers "1".
        var model = new KnowledgeModel();
        var (a1, b1) = (model.Count("a1"), model.Count("b1"));
        model.Equal(KnowledgeModel.Sum([a1, b1]), 3, "hidden units' answers 1");
        model.Protect("unit a", "answer 1", KnowledgeModel.Sum([a1]), Protection.Count);
        model.Protect("unit a", "n", KnowledgeModel.Sum([a1]), Protection.Size);

        var report = Attack.Solve(model);

        Assert.All(report.Ranges, r => Assert.Equal((0, 3), (r.Lower, r.Upper)));
        Assert.True(report.Ranges[0].IsProtected(5));
        Assert.False(report.Ranges[1].IsProtected(5));
        Assert.Null(report.NarrowestCount);
    }

    [Fact]
    public void An_answer_count_pinned_above_zero_is_disclosed()
    {
        var model = new KnowledgeModel();
        var (a1, b1) = (model.Count("a1"), model.Count("b1"));
        model.Equal(KnowledgeModel.Sum([a1, b1]), 3, "hidden units' answers 1");
        model.Fact(KnowledgeModel.Sum([b1]), 0, 1, "unit b has at most one answer");
        model.Protect("unit a", "answer 1", KnowledgeModel.Sum([a1]), Protection.Count);

        var range = Assert.Single(Attack.Solve(model).Ranges);

        Assert.Equal((2, 3), (range.Lower, range.Upper));
        Assert.False(range.IsProtected(5));
    }

    [Fact]
    public void Counts_are_whole_numbers_so_the_integer_range_can_be_narrower_than_the_linear_one()
    {
        // A pair total and a bound on their difference, as a rounded figure gives.
        var model = new KnowledgeModel();
        var (a, b) = (model.Count("a"), model.Count("b"));
        model.Equal(KnowledgeModel.Sum([a, b]), 5, "pair total");
        model.Fact([new Term(a, 1), new Term(b, -1)], -1.5, 1.5, "difference from a rounded figure");
        model.Protect("unit a", "n", KnowledgeModel.Sum([a]), Protection.Size);

        var range = Assert.Single(Attack.Solve(model).Ranges);

        // Linear: a in [1.75, 3.25]; integer: a in {2, 3}.
        Assert.Equal((2, 3), (range.Lower, range.Upper));
    }

    [Fact]
    public void Nothing_bounds_a_quantity_no_fact_mentions()
    {
        var model = new KnowledgeModel();
        var a = model.Count("a");
        model.Protect("unit a", "n", KnowledgeModel.Sum([a]), Protection.Size);

        var range = Assert.Single(Attack.Solve(model).Ranges);

        Assert.Equal(0, range.Lower);
        Assert.True(double.IsPositiveInfinity(range.Upper));
    }

    [Fact]
    public void Contradicting_figures_are_reported_not_solved()
    {
        var model = new KnowledgeModel();
        var (a, b) = (model.Count("a"), model.Count("b"));
        model.Equal(KnowledgeModel.Sum([a, b]), 5, "total");
        model.Equal(KnowledgeModel.Sum([a]), 7, "part");
        model.Protect("unit b", "n", KnowledgeModel.Sum([b]), Protection.Size);

        var error = Assert.Throws<InvalidOperationException>(() => Attack.Solve(model));
        Assert.Contains("contradict", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Independent_parts_are_solved_apart_and_a_sum_over_them_adds_their_ranges()
    {
        var model = new KnowledgeModel();
        var (a, b, c, d) = (model.Count("a"), model.Count("b"), model.Count("c"), model.Count("d"));
        model.Equal(KnowledgeModel.Sum([a, b]), 10, "pair 1");
        model.Equal(KnowledgeModel.Sum([c, d]), 7, "pair 2");
        model.Protect("a and c", "n", KnowledgeModel.Sum([a, c]), Protection.Size);

        var report = Attack.Solve(model);

        Assert.Equal(2, report.Components);
        Assert.Equal((0, 17), (report.Ranges[0].Lower, report.Ranges[0].Upper));
    }
}
