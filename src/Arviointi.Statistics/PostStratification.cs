namespace Arviointi.Statistics;

/// <summary>A post-stratified share with Kish's design effect, the effective sample size and a 95 % (or other) interval.</summary>
public sealed record WeightedShareEstimate(double Share, double DesignEffect, double EffectiveN, Interval Ci);

/// <summary>Post-stratification of respondents to the enrolment of their units, and the cost of weighting.</summary>
public static class PostStratification
{
    /// <summary>
    /// The weight of each respondent: (N_u / N) / (n_u / n) for a respondent of unit u, where N_u is the unit's
    /// enrolment, n_u its respondents, n all respondents and N the enrolment of the units that have respondents.
    /// </summary>
    /// <remarks>
    /// Units without respondents cannot be represented, so their enrolment is left out of N: the weights then
    /// average exactly 1 and sum to n. Weighted shares and the design effect do not depend on that scale.
    /// </remarks>
    /// <param name="unitOfRespondent">Each respondent's unit as an index into <paramref name="enrolment"/>.</param>
    /// <param name="enrolment">Enrolment (children, pupils or staff) of each unit.</param>
    /// <returns>One weight per respondent.</returns>
    /// <exception cref="ArgumentException">
    /// A unit index is out of range, an enrolment is negative, or a unit with respondents has an enrolment of 0.
    /// </exception>
    public static double[] Weights(ReadOnlySpan<int> unitOfRespondent, ReadOnlySpan<int> enrolment)
    {
        var respondents = new int[enrolment.Length];
        foreach (var unit in unitOfRespondent)
        {
            if ((uint)unit >= (uint)enrolment.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(unitOfRespondent), unit, $"Unit indices must be from 0 to {enrolment.Length - 1}.");
            }

            respondents[unit]++;
        }

        long population = 0;
        for (var u = 0; u < enrolment.Length; u++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(enrolment[u], nameof(enrolment));
            if (respondents[u] > 0)
            {
                if (enrolment[u] == 0)
                {
                    throw new ArgumentException($"Unit {u} has respondents but no enrolment.", nameof(enrolment));
                }

                population += enrolment[u];
            }
        }

        double n = unitOfRespondent.Length;
        var weights = new double[unitOfRespondent.Length];
        for (var r = 0; r < weights.Length; r++)
        {
            var unit = unitOfRespondent[r];
            weights[r] = (double)enrolment[unit] / population / (respondents[unit] / n);
        }

        return weights;
    }

    /// <summary>The weighted share of respondents with the outcome: Σ wᵢ·[outcomeᵢ] / Σ wᵢ.</summary>
    /// <param name="outcomes">Whether each respondent has the outcome (e.g. agrees).</param>
    /// <param name="weights">Each respondent's non-negative weight.</param>
    /// <returns>The share; <see cref="double.NaN"/> when the weights sum to 0 (e.g. no respondents).</returns>
    /// <exception cref="ArgumentException">The spans differ in length, or a weight is negative or not finite.</exception>
    public static double WeightedShare(ReadOnlySpan<bool> outcomes, ReadOnlySpan<double> weights)
    {
        if (outcomes.Length != weights.Length)
        {
            throw new ArgumentException($"{outcomes.Length} outcomes but {weights.Length} weights.", nameof(weights));
        }

        double total = 0;
        double withOutcome = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var weight = RequireWeight(weights[i], nameof(weights));
            total += weight;
            if (outcomes[i])
            {
                withOutcome += weight;
            }
        }

        return total > 0 ? withOutcome / total : double.NaN;
    }

    /// <summary>Kish's design effect of unequal weights, deff = n·Σwᵢ² / (Σwᵢ)²: the factor by which weighting inflates a variance.</summary>
    /// <remarks>The effective sample size is n / deff, <see cref="EffectiveSampleSize"/>. Equal weights give exactly 1.</remarks>
    /// <param name="weights">Each respondent's non-negative weight.</param>
    /// <returns>The design effect, at least 1; <see cref="double.NaN"/> when the weights sum to 0.</returns>
    /// <exception cref="ArgumentException">A weight is negative or not finite.</exception>
    public static double KishDesignEffect(ReadOnlySpan<double> weights)
    {
        var (sum, squares) = Sums(weights);
        return sum > 0 ? weights.Length * squares / (sum * sum) : double.NaN;
    }

    /// <summary>Kish's effective sample size (Σwᵢ)² / Σwᵢ², the number of unweighted respondents worth as much information.</summary>
    /// <param name="weights">Each respondent's non-negative weight.</param>
    /// <returns>The effective sample size; <see cref="double.NaN"/> when the weights sum to 0.</returns>
    /// <exception cref="ArgumentException">A weight is negative or not finite.</exception>
    public static double EffectiveSampleSize(ReadOnlySpan<double> weights)
    {
        var (sum, squares) = Sums(weights);
        return sum > 0 ? sum * sum / squares : double.NaN;
    }

    /// <summary>
    /// The post-stratified share of respondents with an outcome, computed from counts per unit (stratum): each unit's
    /// respondents weighted to its enrolment, as <see cref="Weights"/>, <see cref="WeightedShare"/> and
    /// <see cref="KishDesignEffect"/> do for single respondents, with a Wilson interval at Kish's effective sample size.
    /// </summary>
    /// <remarks>
    /// The weighted share is Σ N_u·p_u / Σ N_u over the units with respondents, p_u being the unit's share. The interval is
    /// the Wilson score interval for that share with n replaced by n / deff; it reflects the extra uncertainty the unequal
    /// weights bring, not a full design-based variance. Units without respondents are left out, as in <see cref="Weights"/>.
    /// </remarks>
    /// <param name="respondents">Respondents of each unit.</param>
    /// <param name="withOutcome">Respondents of each unit with the outcome (e.g. agreeing), at most <paramref name="respondents"/>.</param>
    /// <param name="enrolment">Enrolment of each unit; positive wherever the unit has respondents.</param>
    /// <param name="confidence">Two-sided confidence level, strictly between 0 and 1.</param>
    /// <returns>The estimate; null when no unit has respondents.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, a count is negative or inconsistent, or a unit with respondents has no enrolment.</exception>
    public static WeightedShareEstimate? StratifiedShare(ReadOnlySpan<int> respondents, ReadOnlySpan<int> withOutcome, ReadOnlySpan<int> enrolment, double confidence = 0.95)
    {
        if (respondents.Length != enrolment.Length || withOutcome.Length != enrolment.Length)
        {
            throw new ArgumentException($"{respondents.Length} respondent counts, {withOutcome.Length} outcome counts and {enrolment.Length} enrolments: one of each per unit.", nameof(enrolment));
        }

        long n = 0;
        long population = 0;
        for (var u = 0; u < enrolment.Length; u++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(respondents[u], nameof(respondents));
            ArgumentOutOfRangeException.ThrowIfNegative(enrolment[u], nameof(enrolment));
            if (withOutcome[u] < 0 || withOutcome[u] > respondents[u])
            {
                throw new ArgumentOutOfRangeException(nameof(withOutcome), withOutcome[u], $"Unit {u} has {respondents[u]} respondents.");
            }

            if (respondents[u] > 0)
            {
                if (enrolment[u] == 0)
                {
                    throw new ArgumentException($"Unit {u} has respondents but no enrolment.", nameof(enrolment));
                }

                n += respondents[u];
                population += enrolment[u];
            }
        }

        if (n == 0)
        {
            return null;
        }

        // A unit's respondents all weigh (N_u / N) / (n_u / n); sums over respondents become sums over units.
        double weightSum = 0;
        double squareSum = 0;
        double outcomeSum = 0;
        for (var u = 0; u < enrolment.Length; u++)
        {
            if (respondents[u] == 0)
            {
                continue;
            }

            var weight = (double)enrolment[u] / population / ((double)respondents[u] / n);
            weightSum += respondents[u] * weight;
            squareSum += respondents[u] * weight * weight;
            outcomeSum += withOutcome[u] * weight;
        }

        var share = outcomeSum / weightSum;
        var effectiveN = weightSum * weightSum / squareSum;
        return new WeightedShareEstimate(share, n * squareSum / (weightSum * weightSum), effectiveN, Wilson.Interval(share, effectiveN, confidence));
    }

    private static (double Sum, double Squares) Sums(ReadOnlySpan<double> weights)
    {
        double sum = 0;
        double squares = 0;
        foreach (var w in weights)
        {
            var weight = RequireWeight(w, nameof(weights));
            sum += weight;
            squares += weight * weight;
        }

        return (sum, squares);
    }

    private static double RequireWeight(double weight, string parameterName) =>
        double.IsFinite(weight) && weight >= 0
            ? weight
            : throw new ArgumentOutOfRangeException(parameterName, weight, "Weights must be finite and not negative.");
}
