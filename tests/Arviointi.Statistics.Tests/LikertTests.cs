namespace Arviointi.Statistics.Tests;

// Reference values: Debian's python3 with scipy 1.10.1 and statsmodels 0.13.5, x as a numpy float array;
// mean = numpy.mean(x), sd = numpy.std(x, ddof=1), meanCi = scipy.stats.t.interval(0.95, df=n-1, loc=mean, scale=scipy.stats.sem(x)),
// agreeCi = statsmodels.stats.proportion.proportion_confint(k, n, alpha=0.05, method="wilson").
public class LikertTests
{
    private const byte Skip = Likert.NotAnswered;
    private const byte Eos = Likert.CantSay;

    [Fact]
    public void Summary_of_tied_answers_matches_scipy_and_statsmodels()
    {
        // x = [1,2,2,3,3,3,4,4,5,5]
        byte[] answers = [1, 2, 2, 3, 3, 3, 4, 4, 5, 5];

        var summary = Likert.Summarize(answers);

        Assert.Equal(10, summary.N);
        Assert.Equal(0, summary.CantSay);
        Approx.Equal(3.2, summary.Mean); // numpy.mean(x)
        Approx.Equal(1.3165611772087666, summary.Sd); // numpy.std(x, ddof=1)
        Approx.Equal(2.258188869774661, 4.1418111302253395, summary.MeanCi); // scipy.stats.t.interval(0.95, df=9, loc=mean, scale=scipy.stats.sem(x))
        Approx.Equal(0.4, summary.AgreeShare);
        Approx.Equal(0.1681803297062361, 0.6873262302663417, summary.AgreeCi); // proportion_confint(4, 10, method="wilson")
    }

    [Fact]
    public void Not_answered_and_cant_say_bytes_are_left_out_of_n_and_cant_say_is_counted()
    {
        // The same x = [1,2,2,3,3,3,4,4,5,5] as above, interleaved with 0 and 6 bytes.
        byte[] answers = [Skip, 1, Eos, 2, 2, Skip, 3, 3, 3, Eos, 4, 4, Eos, 5, 5, Skip];

        var summary = Likert.Summarize(answers);

        Assert.Equal(10, summary.N);
        Assert.Equal(3, summary.CantSay);
        Approx.Equal(3.2, summary.Mean); // numpy.mean(x)
        Approx.Equal(1.3165611772087666, summary.Sd); // numpy.std(x, ddof=1)
        Approx.Equal(2.258188869774661, 4.1418111302253395, summary.MeanCi); // scipy.stats.t.interval(0.95, df=9, loc=mean, scale=scipy.stats.sem(x))
        Approx.Equal(0.1681803297062361, 0.6873262302663417, summary.AgreeCi); // proportion_confint(4, 10, method="wilson")
    }

    [Fact]
    public void Summary_of_five_answers_matches_scipy_and_statsmodels()
    {
        // x = [1,2,4,5,5]
        byte[] answers = [5, 1, 4, 2, 5];

        var summary = Likert.Summarize(answers);

        Assert.Equal(5, summary.N);
        Approx.Equal(3.4, summary.Mean); // numpy.mean(x)
        Approx.Equal(1.8165902124584952, summary.Sd); // numpy.std(x, ddof=1)
        Approx.Equal(1.1444053337009552, 5.655594666299045, summary.MeanCi); // scipy.stats.t.interval(0.95, df=4, loc=mean, scale=scipy.stats.sem(x))
        Approx.Equal(0.6, summary.AgreeShare);
        Approx.Equal(0.2307242812760129, 0.8823792257673522, summary.AgreeCi); // proportion_confint(3, 5, method="wilson")
    }

    [Fact]
    public void Two_answers_give_the_wide_interval_of_one_degree_of_freedom()
    {
        // x = [2,5]
        var summary = Likert.Summarize([2, 5]);

        Approx.Equal(2.1213203435596424, summary.Sd); // numpy.std(x, ddof=1)
        Approx.Equal(-15.559307104648141, 22.55930710464814, summary.MeanCi); // scipy.stats.t.interval(0.95, df=1, loc=mean, scale=scipy.stats.sem(x))
        Approx.Equal(0.09453120573423068, 0.9054687942657693, summary.AgreeCi); // proportion_confint(1, 2, method="wilson")
    }

    [Fact]
    public void All_equal_answers_have_sd_zero_and_a_zero_width_mean_interval()
    {
        // x = [4,4,4,4]
        var summary = Likert.Summarize([4, 4, 4, 4]);

        Assert.Equal(4, summary.N);
        Assert.Equal(4.0, summary.Mean); // numpy.mean(x)
        Assert.Equal(0.0, summary.Sd); // numpy.std(x, ddof=1)
        // scipy.stats.t.interval(..., scale=0) returns (nan, nan) because scipy rejects scale 0; the t-interval formula
        // mean ± scipy.stats.t.ppf(0.975, 3) * 0.0 gives (4.0, 4.0), which is what Likert reports.
        Assert.Equal(new Interval(4.0, 4.0), summary.MeanCi);
        Assert.Equal(1.0, summary.AgreeShare);
        Approx.Equal(0.5101091635454025, 1.0, summary.AgreeCi); // proportion_confint(4, 4, method="wilson")
    }

    [Fact]
    public void One_answer_has_a_mean_but_no_sd_or_mean_interval()
    {
        // x = [3]
        var summary = Likert.Summarize([Eos, 3, Skip]);

        Assert.Equal(1, summary.N);
        Assert.Equal(1, summary.CantSay);
        Assert.Equal(3.0, summary.Mean); // numpy.mean(x)
        Assert.True(double.IsNaN(summary.Sd)); // numpy.std(x, ddof=1) is nan
        Assert.True(double.IsNaN(summary.MeanCi.Lower));
        Assert.True(double.IsNaN(summary.MeanCi.Upper));
        Assert.Equal(0.0, summary.AgreeShare);
        Approx.Equal(0.0, 0.7934506856227627, summary.AgreeCi); // proportion_confint(0, 1, method="wilson")
    }

    [Fact]
    public void No_scale_answers_leave_every_figure_undefined()
    {
        var summary = Likert.Summarize([Skip, Eos, Eos, Skip]);

        Assert.Equal(0, summary.N);
        Assert.Equal(2, summary.CantSay);
        Assert.True(double.IsNaN(summary.Mean));
        Assert.True(double.IsNaN(summary.Sd));
        Assert.True(double.IsNaN(summary.AgreeShare));
        Assert.Equal(Interval.Undefined, summary.MeanCi);
        Assert.Equal(Interval.Undefined, summary.AgreeCi);
    }

    [Fact]
    public void An_empty_span_leaves_every_figure_undefined()
    {
        var summary = Likert.Summarize(ReadOnlySpan<byte>.Empty);

        Assert.Equal(0, summary.N);
        Assert.Equal(0, summary.CantSay);
        Assert.True(double.IsNaN(summary.Mean));
    }

    [Fact]
    public void Nobody_agreeing_gives_share_zero_with_the_wilson_interval_from_zero()
    {
        // x = [1,2,3,3]
        var summary = Likert.Summarize([1, 2, 3, 3]);

        Assert.Equal(0.0, summary.AgreeShare);
        Approx.Equal(0.0, 0.4898908364545974, summary.AgreeCi); // proportion_confint(0, 4, method="wilson")
        Approx.Equal(2.25, summary.Mean); // numpy.mean(x)
        Approx.Equal(0.9574271077563381, summary.Sd); // numpy.std(x, ddof=1)
        Approx.Equal(0.7265198191709219, 3.773480180829078, summary.MeanCi); // scipy.stats.t.interval(0.95, df=3, loc=mean, scale=scipy.stats.sem(x))
    }

    [Fact]
    public void Everybody_agreeing_gives_share_one_with_the_wilson_interval_up_to_one()
    {
        // x = [4,5,5,4,5]
        var summary = Likert.Summarize([4, 5, 5, 4, 5]);

        Assert.Equal(1.0, summary.AgreeShare);
        Approx.Equal(0.5655175352168252, 1.0, summary.AgreeCi); // proportion_confint(5, 5, method="wilson")
        Approx.Equal(4.6, summary.Mean); // numpy.mean(x)
        Approx.Equal(0.5477225575051662, summary.Sd); // numpy.std(x, ddof=1)
        Approx.Equal(3.9199126193417424, 5.280087380658257, summary.MeanCi); // scipy.stats.t.interval(0.95, df=4, loc=mean, scale=scipy.stats.sem(x))
    }

    [Fact]
    public void Summarizing_values_equals_summarizing_the_same_answers_as_bytes()
    {
        byte[] answers = [Skip, 1, Eos, 2, 2, Skip, 3, 3, 3, Eos, 4, 4, Eos, 5, 5, Skip];

        var fromBytes = Likert.Summarize(answers);
        var fromValues = Likert.Summarize([1, 2, 2, 3, 3, 3, 4, 4, 5, 5], cantSay: 3);

        Assert.Equal(fromBytes, fromValues);
    }

    [Fact]
    public void The_mean_interval_uses_the_exact_t_quantile_where_scipy_1_10_is_off()
    {
        // x = [1,1,2,2,2,4,4]: mean ∓ t(0.975, df=6)·sd/√n with t from mpmath at 40 digits (reference/statistics_reference.py,
        // t_quantile); scipy.stats.t.interval gives (1.126358786069021, 3.44506978535955), its t.ppf being 1e-9 off at df = 6.
        var summary = Likert.Summarize([1, 1, 2, 2, 2, 4, 4]);

        Approx.Equal(1.1263587849540242, 3.445069786474547, summary.MeanCi, 1e-14);
    }

    [Fact]
    public void A_byte_above_cant_say_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Likert.Summarize([3, 7]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void A_value_outside_the_scale_is_rejected(int value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Likert.Summarize([3, value], cantSay: 0));
    }
}
