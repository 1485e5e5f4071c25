namespace Arviointi.Statistics;

/// <summary>Internal consistency of a quality area's items.</summary>
/// <param name="Alpha">Cronbach's alpha; <see cref="double.NaN"/> with fewer than two items or complete cases, or when the total score does not vary.</param>
/// <param name="Items">Number of items k.</param>
/// <param name="CompleteCases">Number of respondents who answered every item on the scale 1–5, the only ones counted.</param>
public sealed record CronbachAlphaResult(double Alpha, int Items, int CompleteCases);

/// <summary>Indices and reliability of a quality area (laatualue), a set of 5-point items measuring one theme.</summary>
/// <remarks>
/// Answers are <see cref="Likert"/> bytes in a respondent-major matrix: respondent r's answer to the area's
/// item i is at <c>answers[r * itemCount + i]</c>.
/// </remarks>
public static class QualityArea
{
    /// <summary>The number of items a respondent must answer on the scale 1–5 to get an index: at least half, ⌈k / 2⌉.</summary>
    /// <remarks>
    /// Half keeps an index comparable across respondents (a mean of one item of six would stand for the item, not
    /// the area) while sparing those who skipped a few items; for one or two items a single answer suffices.
    /// </remarks>
    /// <param name="itemCount">Number of items k in the area, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="itemCount"/> is less than 1.</exception>
    public static int MinimumAnswered(int itemCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(itemCount, 1);
        return (itemCount + 1) / 2;
    }

    /// <summary>
    /// One respondent's index: the mean of their answers 1–5 to the area's items, leaving out not-answered and
    /// "can't say" answers, provided at least <see cref="MinimumAnswered"/> of the items were so answered.
    /// </summary>
    /// <param name="answers">The respondent's answer bytes to the area's items, one per item.</param>
    /// <returns>The index from 1 to 5; <see cref="double.NaN"/> when too few items were answered or the area has no items.</returns>
    /// <exception cref="ArgumentException">A byte is greater than <see cref="Likert.CantSay"/>.</exception>
    public static double Index(ReadOnlySpan<byte> answers)
    {
        if (answers.IsEmpty)
        {
            return double.NaN;
        }

        var answered = 0;
        var sum = 0;
        foreach (var answer in answers)
        {
            if (answer > Likert.CantSay)
            {
                throw new ArgumentException($"Answer byte {answer} is not 0–6.", nameof(answers));
            }

            if (answer is >= 1 and <= 5)
            {
                answered++;
                sum += answer;
            }
        }

        return answered >= MinimumAnswered(answers.Length) ? (double)sum / answered : double.NaN;
    }

    /// <summary>Every respondent's <see cref="Index"/> from a respondent-major matrix of answers.</summary>
    /// <param name="answers">Answer bytes, <paramref name="itemCount"/> per respondent.</param>
    /// <param name="itemCount">Number of items in the area, at least 1.</param>
    /// <returns>One index per respondent, <see cref="double.NaN"/> for those who answered too few items.</returns>
    /// <exception cref="ArgumentException">The length is not a multiple of <paramref name="itemCount"/>, or a byte is greater than <see cref="Likert.CantSay"/>.</exception>
    public static double[] Indices(ReadOnlySpan<byte> answers, int itemCount)
    {
        var respondents = Respondents(answers, itemCount);
        var indices = new double[respondents];
        for (var r = 0; r < respondents; r++)
        {
            indices[r] = Index(answers.Slice(r * itemCount, itemCount));
        }

        return indices;
    }

    /// <summary>
    /// Cronbach's alpha over the respondents who answered every item 1–5 (complete cases):
    /// α = k / (k − 1) · (1 − Σ var(itemᵢ) / var(Σ itemᵢ)), variances with denominator n − 1.
    /// </summary>
    /// <remarks>
    /// Matches the same formula in numpy (<c>k/(k-1)*(1-x.var(0, ddof=1).sum()/x.sum(1).var(ddof=1))</c> on the
    /// complete rows) and the raw alpha of R's <c>psych::alpha</c> on complete data. The variances are computed
    /// from integer sums, so no rounding accumulates over many respondents.
    /// </remarks>
    /// <param name="answers">Answer bytes, <paramref name="itemCount"/> per respondent.</param>
    /// <param name="itemCount">Number of items k in the area, at least 1.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of <paramref name="itemCount"/>, or a byte is greater than <see cref="Likert.CantSay"/>.</exception>
    public static CronbachAlphaResult CronbachAlpha(ReadOnlySpan<byte> answers, int itemCount)
    {
        var respondents = Respondents(answers, itemCount);
        var itemSums = new long[itemCount];
        var itemSquares = new long[itemCount];
        long totalSum = 0;
        long totalSquares = 0;
        var complete = 0;
        for (var r = 0; r < respondents; r++)
        {
            var row = answers.Slice(r * itemCount, itemCount);
            if (!IsComplete(row))
            {
                continue;
            }

            complete++;
            long total = 0;
            for (var i = 0; i < itemCount; i++)
            {
                itemSums[i] += row[i];
                itemSquares[i] += row[i] * row[i];
                total += row[i];
            }

            totalSum += total;
            totalSquares += total * total;
        }

        if (itemCount < 2 || complete < 2)
        {
            return new CronbachAlphaResult(double.NaN, itemCount, complete);
        }

        // n²·var with the common factor n(n − 1) left out of both sides of the ratio: exact integers.
        Int128 itemSpread = 0;
        for (var i = 0; i < itemCount; i++)
        {
            itemSpread += ((Int128)complete * itemSquares[i]) - ((Int128)itemSums[i] * itemSums[i]);
        }

        Int128 totalSpread = ((Int128)complete * totalSquares) - ((Int128)totalSum * totalSum);
        double alpha = totalSpread == 0
            ? double.NaN
            : (double)itemCount / (itemCount - 1) * (1 - ((double)itemSpread / (double)totalSpread));
        return new CronbachAlphaResult(alpha, itemCount, complete);
    }

    private static bool IsComplete(ReadOnlySpan<byte> row)
    {
        var complete = true;
        foreach (var answer in row)
        {
            if (answer > Likert.CantSay)
            {
                throw new ArgumentException($"Answer byte {answer} is not 0–6.", nameof(row));
            }

            complete &= answer is >= 1 and <= 5;
        }

        return complete;
    }

    private static int Respondents(ReadOnlySpan<byte> answers, int itemCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(itemCount, 1);
        if (answers.Length % itemCount != 0)
        {
            throw new ArgumentException($"{answers.Length} answers are not a whole number of respondents of {itemCount} items.", nameof(answers));
        }

        return answers.Length / itemCount;
    }
}
