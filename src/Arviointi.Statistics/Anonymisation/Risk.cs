namespace Arviointi.Statistics.Anonymisation;

/// <summary>The re-identification risk of each record of a <see cref="QuasiIdentifierTable"/> and of the whole table.</summary>
/// <param name="K">The k of k-anonymity the table was measured against.</param>
/// <param name="SampleFrequencies">
/// f_k per record: how many records (itself included) share its key, a missing value matching any category.
/// </param>
/// <param name="PopulationFrequencies">F_k per record: the sum of the weights of those records, the estimated population frequency.</param>
/// <param name="IndividualRisks">Each record's individual re-identification risk (see <see cref="Risk.Individual"/>).</param>
/// <param name="ViolatingK">The number of records whose f_k is below <paramref name="K"/>.</param>
/// <param name="MaxRisk">The largest individual risk (0 for an empty table).</param>
/// <param name="MeanRisk">The mean individual risk, sdcMicro's <c>global_risk</c> (0 for an empty table).</param>
/// <param name="ExpectedReidentifications">The sum of the individual risks, sdcMicro's <c>global_risk_ER</c>.</param>
public sealed record RiskMeasure(
    int K,
    IReadOnlyList<int> SampleFrequencies,
    IReadOnlyList<double> PopulationFrequencies,
    IReadOnlyList<double> IndividualRisks,
    int ViolatingK,
    double MaxRisk,
    double MeanRisk,
    double ExpectedReidentifications);

/// <summary>Sample and population frequencies of keys and the individual re-identification risk, as sdcMicro's <c>measure_risk</c>.</summary>
public static class Risk
{
    /// <summary>The default k: every combination of quasi-identifiers must occur at least five times.</summary>
    public const int DefaultK = 5;

    /// <summary>f_k and F_k of each record, a missing value matching any category (sdcMicro's <c>freqCalc</c>, alpha = 1).</summary>
    /// <param name="table">The records.</param>
    /// <returns>Per record, the number of records sharing its key and the sum of their weights.</returns>
    public static (int[] SampleFrequencies, double[] PopulationFrequencies) Frequencies(QuasiIdentifierTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return WildcardFrequencies.Count(table.RowsUnsafe, table.Weight, table.RowsUnsafe);
    }

    /// <summary>Measures every record's risk and the table's.</summary>
    /// <param name="table">The records, with their sampling weights if they are a sample.</param>
    /// <param name="k">The k of k-anonymity.</param>
    public static RiskMeasure Measure(QuasiIdentifierTable table, int k = DefaultK)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);

        var (f, population) = Frequencies(table);
        var risks = new double[f.Length];
        for (var i = 0; i < f.Length; i++)
        {
            risks[i] = Individual(f[i], population[i]);
        }

        var expected = risks.Sum();
        return new RiskMeasure(
            k, f, population, risks,
            ViolatingK: f.Count(x => x < k),
            MaxRisk: risks.Length == 0 ? 0 : risks.Max(),
            MeanRisk: risks.Length == 0 ? 0 : expected / risks.Length,
            ExpectedReidentifications: expected);
    }

    /// <summary>
    /// The individual re-identification risk of a record whose key occurs <paramref name="sampleFrequency"/> times in
    /// the sample and an estimated <paramref name="populationFrequency"/> times in the population.
    /// </summary>
    /// <remarks>
    /// sdcMicro's <c>indivRisk</c> (method "approx", the one <c>measure_risk</c> uses), the base individual risk of
    /// Benedetti, Capobianchi and Franconi (Franconi and Polettini 2004, "Individual risk estimation in μ-Argus: a
    /// review"). With p = f/F:
    /// f = 1: p/(1−p)·ln(1/p); f = 2: p/(1−p) − (p/(1−p))²·ln(1/p); f ≥ 3: p/(f − (1−p)); and 1/f when f = F (the whole
    /// population is in the sample, which is also sdcMicro's risk for unweighted data). For p near 1 the f = 1 and f = 2
    /// forms are computed through log1p and a series, which tend to 1/f, where the printed forms lose every digit.
    /// </remarks>
    /// <param name="sampleFrequency">f_k, at least 1.</param>
    /// <param name="populationFrequency">F_k, at least f_k.</param>
    public static double Individual(int sampleFrequency, double populationFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleFrequency, 1);
        var f = (double)sampleFrequency;

        // 1 − p computed from the difference, exact where p itself would round to 1.
        var q = (populationFrequency - f) / populationFrequency;
        if (!(q > 0))
        {
            return 1 / f;
        }

        var p = f / populationFrequency;
        return sampleFrequency switch
        {
            // p/(1−p)·ln(1/p), with ln(1/p) = −log1p(−q).
            1 => p / q * -LogOneMinus(q),
            // p/q − (p/q)²·ln(1/p) = p − p²·(1/2 + q/3 + q²/4 + …): the closed form cancels to nothing as q → 0.
            2 => q < 1e-3 ? p - (p * p * SeriesTail(q)) : (p / q) - (p / q * (p / q) * -LogOneMinus(q)),
            _ => p / (f - q),
        };
    }

    /// <summary>ln(1 − q), accurate for small q.</summary>
    private static double LogOneMinus(double q) => q < 1e-4 ? -(q + (q * q / 2) + (q * q * q / 3) + (q * q * q * q / 4)) : Math.Log(1 - q);

    /// <summary>Σ_{m ≥ 0} q^m/(m + 2) = 1/2 + q/3 + q²/4 + …, for q below 1e-3 (terms to q⁶ leave an error below 1e-21).</summary>
    private static double SeriesTail(double q)
    {
        double sum = 0, power = 1;
        for (var m = 0; m <= 6; m++)
        {
            sum += power / (m + 2);
            power *= q;
        }

        return sum;
    }
}
