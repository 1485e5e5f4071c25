namespace Arviointi.Statistics.Tests;

public class DisclosureTests
{
    private static IReadOnlyList<DisclosureDecision<string>> Decide(params (string Name, int N)[] cells) =>
        Disclosure.Decide(cells.Select(c => new DisclosureCell<string>(c.Name, c.Name, c.N)).ToList());

    private static SuppressionReason[] Reasons(IReadOnlyList<DisclosureDecision<string>> decisions) =>
        decisions.Select(d => d.Reason).ToArray();

    [Fact]
    public void Nothing_is_hidden_when_every_cell_has_at_least_five()
    {
        var decisions = Decide(("Lahti", 120), ("Hollola", 30), ("Hartola", 5));

        Assert.All(decisions, d => Assert.False(d.Suppressed));
        Assert.Equal([SuppressionReason.None, SuppressionReason.None, SuppressionReason.None], Reasons(decisions));
    }

    [Fact]
    public void A_cell_of_exactly_five_is_shown_and_one_of_four_is_hidden()
    {
        var decisions = Decide(("Hartola", 5), ("Sysmä", 4));

        Assert.Equal([SuppressionReason.Complementary, SuppressionReason.SmallN], Reasons(decisions));
    }

    [Fact]
    public void One_small_cell_hides_also_the_smallest_other_cell()
    {
        var decisions = Decide(("Lahti", 120), ("Sysmä", 3), ("Hollola", 30), ("Iitti", 12));

        Assert.Equal(
            [SuppressionReason.None, SuppressionReason.SmallN, SuppressionReason.None, SuppressionReason.Complementary],
            Reasons(decisions));
        Assert.Equal(["Sysmä", "Iitti"], decisions.Where(d => d.Suppressed).Select(d => d.Key));
    }

    [Fact]
    public void Equally_small_partners_are_chosen_by_ordinal_name_order()
    {
        // Ordinal: "Heinola" < "Hollola" < "hartola" (lower case sorts after upper case).
        var decisions = Decide(("Hollola", 12), ("hartola", 12), ("Sysmä", 2), ("Heinola", 12), ("Lahti", 40));

        Assert.Equal(
            [SuppressionReason.None, SuppressionReason.None, SuppressionReason.SmallN, SuppressionReason.Complementary, SuppressionReason.None],
            Reasons(decisions));
    }

    [Fact]
    public void Two_small_cells_hide_only_themselves()
    {
        var decisions = Decide(("Lahti", 120), ("Sysmä", 3), ("Padasjoki", 4), ("Iitti", 6));

        Assert.Equal(
            [SuppressionReason.None, SuppressionReason.SmallN, SuppressionReason.SmallN, SuppressionReason.None],
            Reasons(decisions));
    }

    [Fact]
    public void Two_small_cells_holding_fewer_than_five_together_take_the_smallest_other_cell()
    {
        var decisions = Decide(("Lahti", 120), ("Sysmä", 2), ("Padasjoki", 1), ("Iitti", 6));

        Assert.Equal(
            [SuppressionReason.None, SuppressionReason.SmallN, SuppressionReason.SmallN, SuppressionReason.Complementary],
            Reasons(decisions));
    }

    [Fact]
    public void A_forced_cell_is_hidden_with_a_partner_as_a_small_one_would_be()
    {
        var cells = new[] { new DisclosureCell<string>("Lahti", "Lahti", 120, Forced: true), new DisclosureCell<string>("Hollola", "Hollola", 30), new DisclosureCell<string>("Iitti", "Iitti", 12) };

        Assert.Equal([SuppressionReason.Linked, SuppressionReason.None, SuppressionReason.Complementary], Reasons(Disclosure.Decide(cells)));
    }

    [Fact]
    public void Every_cell_is_hidden_when_all_are_small_and_an_empty_one_is_shown()
    {
        var decisions = Decide(("Sysmä", 3), ("Padasjoki", 0), ("Hartola", 4));

        Assert.Equal([SuppressionReason.SmallN, SuppressionReason.None, SuppressionReason.SmallN], Reasons(decisions));
    }

    [Fact]
    public void An_empty_cell_is_no_partner()
    {
        var decisions = Decide(("Lahti", 120), ("Sysmä", 3), ("Padasjoki", 0), ("Iitti", 12));

        Assert.Equal([SuppressionReason.None, SuppressionReason.SmallN, SuppressionReason.None, SuppressionReason.Complementary], Reasons(decisions));
    }

    [Fact]
    public void A_lone_small_cell_without_others_has_no_partner()
    {
        var decisions = Decide(("Sysmä", 3));

        Assert.Equal([SuppressionReason.SmallN], Reasons(decisions));
    }

    [Fact]
    public void No_cells_give_no_decisions()
    {
        Assert.Empty(Decide());
    }

    [Fact]
    public void Decisions_keep_the_callers_keys_and_order_with_a_custom_minimum()
    {
        var cells = new[] { new DisclosureCell<int>(398, "Lahti", 9), new DisclosureCell<int>(781, "Sysmä", 10) };

        var decisions = Disclosure.Decide(cells, minimumN: 10);

        Assert.Equal(
            [new DisclosureDecision<int>(398, true, SuppressionReason.SmallN), new DisclosureDecision<int>(781, true, SuppressionReason.Complementary)],
            decisions);
    }
}
