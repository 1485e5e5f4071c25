using System.Diagnostics;
using Google.OrTools.LinearSolver;

namespace Arviointi.Audit;

/// <summary>The range a reader can pin a hidden quantity to, and whether that keeps it protected.</summary>
/// <param name="Target">The hidden quantity.</param>
/// <param name="Lower">The smallest value consistent with everything the reader knows.</param>
/// <param name="Upper">The largest; <see cref="double.PositiveInfinity"/> when nothing bounds it.</param>
/// <param name="Integral">Whether the bounds were confirmed by an integer program (not only its linear relaxation).</param>
public sealed record TargetRange(Target Target, double Lower, double Upper, bool Integral)
{
    /// <summary>
    /// Whether the bounds are the optimum; otherwise they are the extremes of integral solutions found, so the reader's
    /// true range is at least this wide (used where that already protects the quantity).
    /// </summary>
    public bool Exact { get; init; } = true;

    /// <summary>Upper minus lower.</summary>
    public double Width => Upper - Lower;

    /// <summary>Whether the range satisfies the target's <see cref="Protection"/> at the given minimum width.</summary>
    public bool IsProtected(double minimumWidth) =>
        Width >= minimumWidth - Attack.Tolerance || Upper <= Attack.Tolerance || (Target.Protection == Protection.Count && Lower <= Attack.Tolerance);
}

/// <summary>What the attack found for one reader.</summary>
/// <param name="Ranges">One range per hidden quantity, in the model's order.</param>
/// <param name="MinimumWidth">The width every range had to reach.</param>
/// <param name="Components">Independent parts the problem fell into after fixed unknowns were removed.</param>
/// <param name="LargestComponent">Unknowns in the largest part.</param>
/// <param name="Unusable">Published figures the linear reading could not use, with why.</param>
/// <param name="Elapsed">Time to solve.</param>
public sealed record AuditReport(IReadOnlyList<TargetRange> Ranges, double MinimumWidth, int Components, int LargestComponent, IReadOnlyList<string> Unusable, TimeSpan Elapsed)
{
    /// <summary>Hidden quantities the reader can pin down more narrowly than allowed.</summary>
    public IReadOnlyList<TargetRange> Disclosed => [.. Ranges.Where(r => !r.IsProtected(MinimumWidth))];

    /// <summary>The narrowest range of a cell's size (its n or respondents) that is not certainly empty, or null when there is none.</summary>
    public TargetRange? NarrowestSize => Ranges.Where(r => r.Target.Protection == Protection.Size && r.Upper > Attack.Tolerance).MinBy(r => r.Width);

    /// <summary>The narrowest range of an answer count that does not reach down to zero, or null when there is none.</summary>
    public TargetRange? NarrowestCount => Ranges.Where(r => r.Target.Protection == Protection.Count && r.Lower > Attack.Tolerance).MinBy(r => r.Width);

    /// <summary>Number of hidden cells the reader sees (distinct keys), protected or not.</summary>
    public int HiddenCells { get; init; }

    /// <summary>Number of hidden cells whose quantities had to be protected (<see cref="Ranges"/>).</summary>
    public int ProtectedCells => Ranges.Select(r => r.Target.Key).Distinct(StringComparer.Ordinal).Count();
}

/// <summary>
/// The attacker: for every hidden quantity of a <see cref="KnowledgeModel"/>, the smallest and largest value consistent
/// with every fact, found with linear programs (Google OR-Tools' GLOP) and, where the range is narrow enough to matter,
/// confirmed as integer programs (SCIP), since counts are whole numbers and may be pinned tighter than the relaxation says.
/// </summary>
/// <remarks>
/// Unknowns fixed by the facts alone are substituted first, and what remains falls into independent parts (a
/// municipality's hidden units of one item, say), each solved on its own: the range of a sum over parts is the sum of
/// their ranges. This is what the audit of statistics offices (tau-Argus, R's sdcTable <c>attack</c>) computes.
/// </remarks>
public static class Attack
{
    /// <summary>Numerical tolerance of the solvers' answers.</summary>
    public const double Tolerance = 1e-6;

    /// <summary>The cap on otherwise unbounded counts inside the programs; a range reaching it is reported as unbounded.</summary>
    private const double Cap = 1e7;


    /// <summary>
    /// Parts with more unknowns than this are not re-solved as integer programs: their facts are sums over a hierarchy
    /// and two-way tables, whose linear programs have integral optima (totally unimodular), and the integer solver would
    /// take minutes. Smaller parts, where the other facts (indices, weighted shares) matter, are confirmed.
    /// </summary>
    private const int IntegerCheckLimit = 1500;

    /// <summary>
    /// How long a solve that only looks for helpful solutions may take. The simplex solver is fast on these programs,
    /// but a few large, highly degenerate parts (a unit leader's view of the demo) stall it on such a composite objective.
    /// </summary>
    private static readonly TimeSpan HintTimeLimit = TimeSpan.FromSeconds(5);

    /// <summary>Ranges narrower than this many times the minimum width are confirmed with an integer program.</summary>
    private const double IntegerCheckFactor = 2;

    /// <summary>Solves for every hidden quantity of the model.</summary>
    /// <param name="model">What the reader knows.</param>
    /// <param name="minimumWidth">How wide every range must stay (5 answers).</param>
    /// <param name="exact">Solve every range to its optimum, instead of settling those that solutions already found show to be protected.</param>
    /// <param name="sensitive">
    /// Which hidden quantities must be protected: those of cells hidden for too few answers, as the publisher (who knows
    /// the counts) can tell. A cell hidden only to cover another may be narrowed, as it could have been shown; its small
    /// neighbour may not. Null protects every hidden quantity.
    /// </param>
    /// <exception cref="InvalidOperationException">The facts contradict each other: the published figures are inconsistent.</exception>
    public static AuditReport Solve(KnowledgeModel model, double minimumWidth = 5, bool exact = false, Func<Target, bool>? sensitive = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var clock = Stopwatch.StartNew();
        var lower = model.Variables.Select(v => v.Lower).ToArray();
        var upper = model.Variables.Select(v => v.Upper).ToArray();
        var integer = model.Variables.Select(v => v.Integer).ToArray();
        var remaining = Presolve(model.Facts, lower, upper, integer);

        // Independent parts: unknowns linked by a remaining fact belong together.
        var parent = Enumerable.Range(0, lower.Length).ToArray();
        foreach (var fact in remaining)
        {
            var free = fact.Terms.Where(t => !Fixed(t.Variable, lower, upper)).ToList();
            for (var i = 1; i < free.Count; i++)
            {
                Union(parent, free[0].Variable, free[i].Variable);
            }
        }

        var componentOf = new Dictionary<int, List<Fact>>();
        foreach (var fact in remaining)
        {
            var first = fact.Terms.First(t => !Fixed(t.Variable, lower, upper)).Variable;
            var root = Find(parent, first);
            if (!componentOf.TryGetValue(root, out var list))
            {
                componentOf[root] = list = [];
            }

            list.Add(fact);
        }

        var parts = new Dictionary<int, Part>();
        try
        {
            var targets = sensitive is null ? model.Targets : [.. model.Targets.Where(sensitive)];
            var splits = targets.Select(t => Split(t, lower, upper, integer, parent, componentOf)).ToList();

            // Witnesses first: a few solutions of each part bound every target's range from inside, which settles most.
            foreach (var root in splits.SelectMany(s => s.Parts.Keys).Distinct())
            {
                var part = PartOf(root, componentOf, parts, lower, upper, integer, model);
                part.Track(splits.Where(s => s.Parts.ContainsKey(root)).Select(s => s.Parts[root]));
                if (exact)
                {
                    continue;
                }

                part.Witness();

                // Targets seen only at zero are probably empty, and answer counts seen only above zero probably can be
                // zero: one program over all of them together settles each group at once.
                part.ProveEmpty([.. part.Tracking.Where(t => t.Max <= Tolerance)], depth: 0);
                part.ReachZero([.. part.Tracking.Where(t => t.Protection == Protection.Count && t.Min > Tolerance)]);
                part.Spread(minimumWidth);
            }

            var ranges = new List<TargetRange>(targets.Count);
            for (var t = 0; t < splits.Count; t++)
            {
                ranges.Add(RangeOf(targets[t], splits[t], parts, minimumWidth, exact));
            }

            var largest = componentOf.Count == 0 ? 0 : componentOf.Values.Max(f => f.SelectMany(x => x.Terms).Select(t => t.Variable).Where(v => !Fixed(v, lower, upper)).Distinct().Count());
            return new AuditReport(ranges, minimumWidth, componentOf.Count, largest, model.Unusable, clock.Elapsed)
            {
                HiddenCells = model.Targets.Select(t => t.Key).Distinct(StringComparer.Ordinal).Count(),
            };
        }
        finally
        {
            foreach (var part in parts.Values)
            {
                part.Dispose();
            }
        }
    }

    /// <summary>A target split into its fixed part, unknowns no fact mentions, and one tracked sum per independent part.</summary>
    private sealed record TargetSplit(double Constant, double LooseLow, double LooseHigh, Dictionary<int, Tracked> Parts, bool Whole);

    /// <summary>A target's terms within one part, with the smallest and largest values seen in integral solutions of it.</summary>
    private sealed class Tracked(List<Term> terms, Protection protection)
    {
        public List<Term> Terms { get; } = terms;

        public Protection Protection { get; } = protection;

        /// <summary>Proven to be zero in every solution of the part.</summary>
        public bool Empty { get; set; }

        public double Min { get; set; } = double.PositiveInfinity;

        public double Max { get; set; } = double.NegativeInfinity;

        public bool Seen => Min <= Max;
    }

    private static TargetSplit Split(Target target, double[] lower, double[] upper, bool[] integer, int[] parent, Dictionary<int, List<Fact>> componentOf)
    {
        double constant = 0;
        var byPart = new Dictionary<int, Tracked>();
        double looseLow = 0, looseHigh = 0;
        foreach (var term in target.Terms)
        {
            var v = term.Variable;
            if (Fixed(v, lower, upper))
            {
                constant += term.Coefficient * lower[v];
                continue;
            }

            var root = Find(parent, v);
            if (componentOf.ContainsKey(root))
            {
                if (!byPart.TryGetValue(root, out var tracked))
                {
                    byPart[root] = tracked = new Tracked([], target.Protection);
                }

                tracked.Terms.Add(term);
            }
            else
            {
                // An unknown no remaining fact mentions: only its own bounds limit it.
                looseLow += term.Coefficient >= 0 ? term.Coefficient * lower[v] : term.Coefficient * upper[v];
                looseHigh += term.Coefficient >= 0 ? term.Coefficient * upper[v] : term.Coefficient * lower[v];
            }
        }

        var whole = target.Terms.All(t => integer[t.Variable] && Math.Abs(t.Coefficient - Math.Round(t.Coefficient)) < Tolerance);
        return new TargetSplit(constant, looseLow, looseHigh, byPart, whole);
    }

    private static TargetRange RangeOf(Target target, TargetSplit split, Dictionary<int, Part> parts, double minimumWidth, bool exact)
    {
        var baseLow = split.Constant + split.LooseLow;
        var baseHigh = split.Constant + split.LooseHigh;
        if (split.Whole && baseHigh <= Tolerance && split.Parts.Values.All(p => p.Empty))
        {
            return new TargetRange(target, Math.Round(baseLow), 0, true);
        }

        // Settled from inside: integral solutions already show a range that protects the target.
        if (!exact && split.Whole && split.Parts.Values.All(p => p.Seen))
        {
            var seenLow = baseLow + split.Parts.Values.Sum(p => p.Min);
            var seenHigh = baseHigh + split.Parts.Values.Sum(p => p.Max);
            if (seenHigh - seenLow >= minimumWidth - Tolerance || (target.Protection == Protection.Count && seenLow <= Tolerance))
            {
                return new TargetRange(target, Math.Round(seenLow), seenHigh >= Cap / 10 ? double.PositiveInfinity : Math.Round(seenHigh), true) { Exact = false };
            }
        }

        var low = baseLow + split.Parts.Sum(p => parts[p.Key].Optimum(p.Value.Terms, maximize: false, integral: false));
        if (!exact && split.Whole && target.Protection == Protection.Count && low <= Tolerance && split.Parts.Values.All(p => p.Seen))
        {
            // Nobody can be shown to have given this answer; the largest value seen is enough to report.
            return new TargetRange(target, 0, Math.Round(baseHigh + split.Parts.Values.Sum(p => p.Max)), false) { Exact = false };
        }

        var high = baseHigh + split.Parts.Sum(p => parts[p.Key].Optimum(p.Value.Terms, maximize: true, integral: false));

        if (!split.Whole)
        {
            return new TargetRange(target, low, high, false);
        }

        low = Math.Ceiling(low - Tolerance);
        high = Math.Floor(high + Tolerance);
        var range = new TargetRange(target, low, high, false);
        if (range.Width >= IntegerCheckFactor * minimumWidth || range.Width < minimumWidth - Tolerance || split.Parts.Count == 0 || high <= Tolerance
            || (target.Protection == Protection.Count && low <= Tolerance) || split.Parts.Keys.Any(root => parts[root].Size > IntegerCheckLimit))
        {
            return range;
        }

        // Protected by the relaxation but narrow enough to matter: the integer optimum may be tighter. (A range already
        // too narrow stays too narrow.)
        low = baseLow;
        high = baseHigh;
        foreach (var (root, tracked) in split.Parts)
        {
            low += parts[root].Optimum(tracked.Terms, maximize: false, integral: true);
            high += parts[root].Optimum(tracked.Terms, maximize: true, integral: true);
        }

        return new TargetRange(target, Math.Ceiling(low - Tolerance), Math.Floor(high + Tolerance), true);
    }

    private static Part PartOf(int root, Dictionary<int, List<Fact>> componentOf, Dictionary<int, Part> parts, double[] lower, double[] upper, bool[] integer, KnowledgeModel model)
    {
        if (!parts.TryGetValue(root, out var part))
        {
            parts[root] = part = new Part(componentOf[root], lower, upper, integer, model);
        }

        return part;
    }

    private static bool Fixed(int v, double[] lower, double[] upper) => upper[v] - lower[v] < Tolerance;

    /// <summary>
    /// Substitutes unknowns the facts fix, turns facts on one unknown into its bounds, and tightens bounds by interval
    /// reasoning over each fact until nothing changes. Returns the facts that still link two or more unknowns.
    /// </summary>
    private static List<Fact> Presolve(IReadOnlyList<Fact> facts, double[] lower, double[] upper, bool[] integer)
    {
        var active = facts.ToList();
        for (var pass = 0; pass < 50; pass++)
        {
            var changed = false;
            var next = new List<Fact>(active.Count);
            foreach (var fact in active)
            {
                double constant = 0;
                var free = new List<Term>();
                foreach (var term in fact.Terms)
                {
                    if (Fixed(term.Variable, lower, upper))
                    {
                        constant += term.Coefficient * lower[term.Variable];
                    }
                    else if (term.Coefficient != 0)
                    {
                        free.Add(term);
                    }
                }

                var lo = fact.Lower - constant;
                var hi = fact.Upper - constant;
                if (free.Count == 0)
                {
                    if (lo > Tolerance * Math.Max(1, Math.Abs(fact.Lower)) || hi < -Tolerance * Math.Max(1, Math.Abs(fact.Upper)))
                    {
                        throw new InvalidOperationException($"The published figures contradict each other at: {fact.Source}.");
                    }

                    changed = true;
                    continue;
                }

                // Interval reasoning: each unknown's bounds from the fact and the others' bounds (infinite parts counted apart).
                var (minFinite, minInfinite) = Sums(free.Select(t => t.Coefficient > 0 ? t.Coefficient * lower[t.Variable] : t.Coefficient * upper[t.Variable]));
                var (maxFinite, maxInfinite) = Sums(free.Select(t => t.Coefficient > 0 ? t.Coefficient * upper[t.Variable] : t.Coefficient * lower[t.Variable]));
                foreach (var t in free)
                {
                    var ownMin = t.Coefficient > 0 ? t.Coefficient * lower[t.Variable] : t.Coefficient * upper[t.Variable];
                    var ownMax = t.Coefficient > 0 ? t.Coefficient * upper[t.Variable] : t.Coefficient * lower[t.Variable];
                    var othersMin = minInfinite - (double.IsInfinity(ownMin) ? 1 : 0) > 0 ? double.NegativeInfinity : minFinite - (double.IsInfinity(ownMin) ? 0 : ownMin);
                    var othersMax = maxInfinite - (double.IsInfinity(ownMax) ? 1 : 0) > 0 ? double.PositiveInfinity : maxFinite - (double.IsInfinity(ownMax) ? 0 : ownMax);

                    // t.Coefficient * x lies in [lo - othersMax, hi - othersMin].
                    var a = double.IsInfinity(othersMax) || double.IsNegativeInfinity(lo) ? double.NegativeInfinity : lo - othersMax;
                    var b = double.IsInfinity(othersMin) || double.IsPositiveInfinity(hi) ? double.PositiveInfinity : hi - othersMin;
                    var (newLow, newHigh) = t.Coefficient > 0 ? (a / t.Coefficient, b / t.Coefficient) : (b / t.Coefficient, a / t.Coefficient);
                    if (integer[t.Variable])
                    {
                        newLow = double.IsFinite(newLow) ? Math.Ceiling(newLow - Tolerance) : newLow;
                        newHigh = double.IsFinite(newHigh) ? Math.Floor(newHigh + Tolerance) : newHigh;
                    }

                    if (newLow > lower[t.Variable] + Tolerance)
                    {
                        lower[t.Variable] = newLow;
                        changed = true;
                    }

                    if (newHigh < upper[t.Variable] - Tolerance)
                    {
                        upper[t.Variable] = newHigh;
                        changed = true;
                    }

                    if (lower[t.Variable] > upper[t.Variable] + Tolerance * Math.Max(1, Math.Abs(upper[t.Variable])))
                    {
                        throw new InvalidOperationException($"The published figures contradict each other at: {fact.Source}.");
                    }

                    upper[t.Variable] = Math.Max(upper[t.Variable], lower[t.Variable]);
                }

                if (free.Count == 1)
                {
                    // Fully expressed by the unknown's bounds now.
                    continue;
                }

                next.Add(fact);
            }

            active = next;
            if (!changed)
            {
                break;
            }
        }

        return active;
    }

    private static (double Finite, int Infinite) Sums(IEnumerable<double> values)
    {
        double finite = 0;
        var infinite = 0;
        foreach (var value in values)
        {
            if (double.IsInfinity(value))
            {
                infinite++;
            }
            else
            {
                finite += value;
            }
        }

        return (finite, infinite);
    }

    private static int Find(int[] parent, int v)
    {
        while (parent[v] != v)
        {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }

        return v;
    }

    private static void Union(int[] parent, int a, int b)
    {
        var (ra, rb) = (Find(parent, a), Find(parent, b));
        if (ra != rb)
        {
            parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }

    /// <summary>One independent part: its linear program, kept to re-solve with new objectives, and its integer twin, made when needed.</summary>
    private sealed class Part : IDisposable
    {
        private readonly List<Fact> facts;
        private readonly double[] lower;
        private readonly double[] upper;
        private readonly bool[] integer;
        private readonly KnowledgeModel model;
        private readonly Dictionary<(string, bool, bool), double> solved = [];
        private readonly List<Tracked> tracked = [];
        private (Solver Solver, Dictionary<int, Variable> Map, List<Variable> InObjective)? linear;
        private (Solver Solver, Dictionary<int, Variable> Map, List<Variable> InObjective)? whole;

        public Part(List<Fact> facts, double[] lower, double[] upper, bool[] integer, KnowledgeModel model)
        {
            this.facts = facts;
            this.lower = lower;
            this.upper = upper;
            this.integer = integer;
            this.model = model;
        }

        public void Track(IEnumerable<Tracked> targets) => tracked.AddRange(targets);

        /// <summary>Unknowns in the part.</summary>
        public int Size => facts.SelectMany(f => f.Terms).Select(t => t.Variable).Where(v => !Fixed(v, lower, upper)).Distinct().Count();

        public IReadOnlyList<Tracked> Tracking => tracked;

        /// <summary>
        /// Proves targets empty together: if the largest sum of all of them is zero, each is zero in every solution. A
        /// positive sum gives a solution that moves some of them; the rest are tried again, in halves when none moved.
        /// </summary>
        public void ProveEmpty(List<Tracked> suspects, int depth)
        {
            if (suspects.Count == 0 || depth > 4)
            {
                return;
            }

            var value = Optimum(Sum(suspects), maximize: true, integral: false, hint: true);
            if (double.IsNaN(value))
            {
                return;
            }

            if (value <= Tolerance)
            {
                suspects.ForEach(t => t.Empty = true);
                return;
            }

            var still = suspects.Where(t => t.Max <= Tolerance).ToList();
            if (still.Count < suspects.Count)
            {
                ProveEmpty(still, depth + 1);
            }
            else if (still.Count > 1)
            {
                ProveEmpty(still[..(still.Count / 2)], depth + 1);
                ProveEmpty(still[(still.Count / 2)..], depth + 1);
            }
        }

        /// <summary>Finds solutions where answer counts seen only above zero are zero, all together, then those left in halves.</summary>
        public void ReachZero(List<Tracked> suspects, int depth = 0)
        {
            if (suspects.Count == 0 || depth > 4)
            {
                return;
            }

            if (double.IsNaN(Optimum(Sum(suspects), maximize: false, integral: false, hint: true)))
            {
                return;
            }

            var still = suspects.Where(t => t.Min > Tolerance).ToList();
            if (still.Count > 1 && still.Count < suspects.Count)
            {
                ReachZero(still, depth + 1);
            }
            else if (still.Count > 1)
            {
                ReachZero(still[..(still.Count / 2)], depth + 1);
                ReachZero(still[(still.Count / 2)..], depth + 1);
            }
        }

        /// <summary>
        /// Pushes the targets not yet seen to span the minimum width to both ends, a batch at a time: targets of different
        /// cells rarely compete, so one program moves a whole batch to its maxima and another to its minima.
        /// </summary>
        public void Spread(double minimumWidth)
        {
            var open = tracked.Where(t => t.Max - t.Min < minimumWidth - Tolerance && !(t.Protection == Protection.Count && t.Min <= Tolerance)).ToList();
            foreach (var batch in open.Chunk(64))
            {
                var still = batch.Where(t => t.Max - t.Min < minimumWidth - Tolerance).ToList();
                if (still.Count == 0)
                {
                    continue;
                }

                Optimum(Sum(still), maximize: true, integral: false, hint: true);
                Optimum(Sum(still), maximize: false, integral: false, hint: true);
            }
        }

        private static List<Term> Sum(List<Tracked> targets) =>
            [.. targets.SelectMany(t => t.Terms).Select(t => t.Variable).Distinct().Order().Select(v => new Term(v, 1))];

        /// <summary>Solves a few objectives over every tracked unknown (their sum both ways, then random signs) to see how far each target can move.</summary>
        public void Witness()
        {
            var variables = tracked.SelectMany(t => t.Terms).Select(t => t.Variable).Distinct().ToList();
            var random = new Random(variables.Count);
            List<Term> all = [.. variables.Select(v => new Term(v, 1))];
            if (double.IsNaN(Optimum(all, maximize: true, integral: false, hint: true)) || double.IsNaN(Optimum(all, maximize: false, integral: false, hint: true)))
            {
                return;
            }

            for (var i = 0; i < 4; i++)
            {
                Optimum([.. variables.Select(v => new Term(v, random.Next(2) == 0 ? -1 : 1))], maximize: true, integral: false, hint: true);
            }
        }

        /// <summary>Records what each tracked target is in the solver's current solution, if that solution is integral.</summary>
        private void See(Dictionary<int, Variable> map)
        {
            var values = new Dictionary<int, double>(map.Count);
            foreach (var (index, variable) in map)
            {
                var value = variable.SolutionValue();
                if (integer[index] && Math.Abs(value - Math.Round(value)) > Tolerance)
                {
                    return;
                }

                values[index] = value;
            }

            foreach (var target in tracked)
            {
                double sum = 0;
                foreach (var t in target.Terms)
                {
                    sum += t.Coefficient * values[t.Variable];
                }

                target.Min = Math.Min(target.Min, sum);
                target.Max = Math.Max(target.Max, sum);
            }
        }

        /// <param name="terms">The objective.</param>
        /// <param name="maximize">Maximise rather than minimise.</param>
        /// <param name="integral">Solve the integer program (SCIP) rather than its relaxation (GLOP).</param>
        /// <param name="hint">
        /// A solve that only finds solutions to settle targets early: it may give up after <see cref="HintTimeLimit"/>
        /// (NaN), and the ranges are then solved one by one. A range itself is always solved to its optimum.
        /// </param>
        public double Optimum(List<Term> terms, bool maximize, bool integral, bool hint = false)
        {
            var key = (string.Join(",", terms.Select(t => $"{t.Variable}:{t.Coefficient}")), maximize, integral);
            if (solved.TryGetValue(key, out var known))
            {
                return known;
            }

            var (solver, map, objectiveSet) = integral ? whole ??= Build("SCIP", useIntegers: true) : linear ??= Build("GLOP", useIntegers: false);
            // Always minimising (a maximum is minus the minimum of the negation) changes only coefficients between
            // solves, so the simplex starts from the previous basis. Each solver clears its own last objective: clearing
            // one solver's variables through the other's objective left the last objective in place (wrong optima,
            // even negative counts, whenever a range was checked by the integer program between two relaxations).
            var objective = solver.Objective();
            foreach (var variable in objectiveSet)
            {
                objective.SetCoefficient(variable, 0);
            }

            objectiveSet.Clear();
            var sign = maximize ? -1 : 1;
            foreach (var t in terms)
            {
                var variable = map[t.Variable];
                objective.SetCoefficient(variable, objective.GetCoefficient(variable) + (sign * t.Coefficient));
                objectiveSet.Add(variable);
            }

            objective.SetMinimization();
            solver.SetTimeLimit(hint ? (long)HintTimeLimit.TotalMilliseconds : 0);
            var status = solver.Solve();
            if (hint && status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.UNBOUNDED or Solver.ResultStatus.INFEASIBLE))
            {
                return double.NaN;
            }

            if (status is Solver.ResultStatus.INFEASIBLE or Solver.ResultStatus.ABNORMAL)
            {
                // GLOP may call an unbounded objective infeasible: a feasible problem without the objective is unbounded.
                objective.Clear();
                status = solver.Solve() == Solver.ResultStatus.OPTIMAL ? Solver.ResultStatus.UNBOUNDED : status;
            }

            if (status == Solver.ResultStatus.OPTIMAL && !integral)
            {
                See(map);
            }

            var value = status switch
            {
                Solver.ResultStatus.OPTIMAL => Math.Abs(objective.Value()) >= Cap / 10 ? (maximize ? double.PositiveInfinity : double.NegativeInfinity) : sign * objective.Value(),
                Solver.ResultStatus.UNBOUNDED => maximize ? double.PositiveInfinity : double.NegativeInfinity,
                Solver.ResultStatus.INFEASIBLE => throw new InvalidOperationException($"The published figures contradict each other in a part of {facts.Count} facts, e.g. {facts[0].Source}."),
                _ => throw new InvalidOperationException($"The solver stopped with {status} on a part of {facts.Count} facts."),
            };
            solved[key] = value;
            return value;
        }

        private (Solver, Dictionary<int, Variable>, List<Variable>) Build(string name, bool useIntegers)
        {
            var solver = Solver.CreateSolver(name) ?? throw new InvalidOperationException($"OR-Tools has no {name} solver here.");
            var map = new Dictionary<int, Variable>();
            var infinity = double.PositiveInfinity;
            foreach (var fact in facts)
            {
                double constant = 0;
                var constraint = solver.MakeConstraint();
                foreach (var t in fact.Terms)
                {
                    var v = t.Variable;
                    if (Fixed(v, lower, upper))
                    {
                        constant += t.Coefficient * lower[v];
                        continue;
                    }

                    if (!map.TryGetValue(v, out var variable))
                    {
                        var lo = double.IsNegativeInfinity(lower[v]) ? -infinity : lower[v];
                        // Unbounded counts are capped far above any round, so no program is unbounded and every solution is a witness.
                        var hi = double.IsPositiveInfinity(upper[v]) ? Cap : upper[v];
                        map[v] = variable = useIntegers && integer[v] ? solver.MakeIntVar(lo, hi, model.Variables[v].Name) : solver.MakeNumVar(lo, hi, model.Variables[v].Name);
                    }

                    constraint.SetCoefficient(variable, constraint.GetCoefficient(variable) + t.Coefficient);
                }

                constraint.SetBounds(double.IsNegativeInfinity(fact.Lower) ? -infinity : fact.Lower - constant, double.IsPositiveInfinity(fact.Upper) ? infinity : fact.Upper - constant);
            }

            return (solver, map, []);
        }

        public void Dispose()
        {
            linear?.Solver.Dispose();
            whole?.Solver.Dispose();
        }
    }
}
