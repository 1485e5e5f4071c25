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
    /// <summary>Upper minus lower.</summary>
    public double Width => Upper - Lower;

    /// <summary>Whether the range satisfies the target's <see cref="Protection"/> at the given minimum width.</summary>
    public bool IsProtected(double minimumWidth) =>
        Width >= minimumWidth - Attack.Tolerance || (Target.Protection == Protection.Count && Lower <= Attack.Tolerance);
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

    /// <summary>The narrowest range of a cell's size (its n or respondents), or null when none is hidden.</summary>
    public TargetRange? NarrowestSize => Ranges.Where(r => r.Target.Protection == Protection.Size).MinBy(r => r.Width);

    /// <summary>The narrowest range of an answer count that does not reach down to zero, or null when there is none.</summary>
    public TargetRange? NarrowestCount => Ranges.Where(r => r.Target.Protection == Protection.Count && r.Lower > Attack.Tolerance).MinBy(r => r.Width);

    /// <summary>Number of hidden cells (distinct keys).</summary>
    public int HiddenCells => Ranges.Select(r => r.Target.Key).Distinct(StringComparer.Ordinal).Count();
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

    /// <summary>Ranges narrower than this many times the minimum width are confirmed with an integer program.</summary>
    private const double IntegerCheckFactor = 2;

    /// <summary>Solves for every hidden quantity of the model.</summary>
    /// <param name="model">What the reader knows.</param>
    /// <param name="minimumWidth">How wide every range must stay (5 answers).</param>
    /// <exception cref="InvalidOperationException">The facts contradict each other: the published figures are inconsistent.</exception>
    public static AuditReport Solve(KnowledgeModel model, double minimumWidth = 5)
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
            var ranges = new List<TargetRange>(model.Targets.Count);
            foreach (var target in model.Targets)
            {
                ranges.Add(RangeOf(target, model, lower, upper, integer, parent, componentOf, parts, minimumWidth));
            }

            var largest = componentOf.Count == 0 ? 0 : componentOf.Values.Max(f => f.SelectMany(x => x.Terms).Select(t => t.Variable).Where(v => !Fixed(v, lower, upper)).Distinct().Count());
            return new AuditReport(ranges, minimumWidth, componentOf.Count, largest, model.Unusable, clock.Elapsed);
        }
        finally
        {
            foreach (var part in parts.Values)
            {
                part.Dispose();
            }
        }
    }

    private static TargetRange RangeOf(Target target, KnowledgeModel model, double[] lower, double[] upper, bool[] integer, int[] parent, Dictionary<int, List<Fact>> componentOf, Dictionary<int, Part> parts, double minimumWidth)
    {
        double constant = 0;
        var byPart = new Dictionary<int, List<Term>>();
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
                if (!byPart.TryGetValue(root, out var list))
                {
                    byPart[root] = list = [];
                }

                list.Add(term);
            }
            else
            {
                // An unknown no remaining fact mentions: only its own bounds limit it.
                looseLow += term.Coefficient >= 0 ? term.Coefficient * lower[v] : term.Coefficient * upper[v];
                looseHigh += term.Coefficient >= 0 ? term.Coefficient * upper[v] : term.Coefficient * lower[v];
            }
        }

        var low = constant + looseLow;
        var high = constant + looseHigh;
        foreach (var (root, terms) in byPart)
        {
            var part = PartOf(root, componentOf, parts, lower, upper, integer, model);
            low += part.Optimum(terms, maximize: false, integral: false);
            high += part.Optimum(terms, maximize: true, integral: false);
        }

        var whole = target.Terms.All(t => integer[t.Variable] && Math.Abs(t.Coefficient - Math.Round(t.Coefficient)) < Tolerance);
        if (!whole)
        {
            return new TargetRange(target, low, high, false);
        }

        low = Math.Ceiling(low - Tolerance);
        high = Math.Floor(high + Tolerance);
        var range = new TargetRange(target, low, high, false);
        if (range.Width >= IntegerCheckFactor * minimumWidth || byPart.Count == 0 || (target.Protection == Protection.Count && low <= Tolerance))
        {
            return range;
        }

        // Narrow enough to matter: the integer optimum may be tighter than the relaxation's.
        low = constant + looseLow;
        high = constant + looseHigh;
        foreach (var (root, terms) in byPart)
        {
            var part = parts[root];
            low += part.Optimum(terms, maximize: false, integral: true);
            high += part.Optimum(terms, maximize: true, integral: true);
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
        private (Solver Solver, Dictionary<int, Variable> Map)? linear;
        private (Solver Solver, Dictionary<int, Variable> Map)? whole;

        public Part(List<Fact> facts, double[] lower, double[] upper, bool[] integer, KnowledgeModel model)
        {
            this.facts = facts;
            this.lower = lower;
            this.upper = upper;
            this.integer = integer;
            this.model = model;
        }

        public double Optimum(List<Term> terms, bool maximize, bool integral)
        {
            var key = (string.Join(",", terms.Select(t => $"{t.Variable}:{t.Coefficient}")), maximize, integral);
            if (solved.TryGetValue(key, out var known))
            {
                return known;
            }

            var (solver, map) = integral ? whole ??= Build("SCIP", useIntegers: true) : linear ??= Build("GLOP", useIntegers: false);
            var objective = solver.Objective();
            objective.Clear();
            foreach (var t in terms)
            {
                objective.SetCoefficient(map[t.Variable], objective.GetCoefficient(map[t.Variable]) + t.Coefficient);
            }

            if (maximize)
            {
                objective.SetMaximization();
            }
            else
            {
                objective.SetMinimization();
            }

            var status = solver.Solve();
            if (status is Solver.ResultStatus.INFEASIBLE or Solver.ResultStatus.ABNORMAL)
            {
                // GLOP may call an unbounded objective infeasible: a feasible problem without the objective is unbounded.
                objective.Clear();
                status = solver.Solve() == Solver.ResultStatus.OPTIMAL ? Solver.ResultStatus.UNBOUNDED : status;
            }

            var value = status switch
            {
                Solver.ResultStatus.OPTIMAL => objective.Value(),
                Solver.ResultStatus.UNBOUNDED => maximize ? double.PositiveInfinity : double.NegativeInfinity,
                Solver.ResultStatus.INFEASIBLE => throw new InvalidOperationException($"The published figures contradict each other in a part of {facts.Count} facts, e.g. {facts[0].Source}."),
                _ => throw new InvalidOperationException($"The solver stopped with {status} on a part of {facts.Count} facts."),
            };
            solved[key] = value;
            return value;
        }

        private (Solver, Dictionary<int, Variable>) Build(string name, bool useIntegers)
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
                        var hi = double.IsPositiveInfinity(upper[v]) ? infinity : upper[v];
                        map[v] = variable = useIntegers && integer[v] ? solver.MakeIntVar(lo, hi, model.Variables[v].Name) : solver.MakeNumVar(lo, hi, model.Variables[v].Name);
                    }

                    constraint.SetCoefficient(variable, constraint.GetCoefficient(variable) + t.Coefficient);
                }

                constraint.SetBounds(double.IsNegativeInfinity(fact.Lower) ? -infinity : fact.Lower - constant, double.IsPositiveInfinity(fact.Upper) ? infinity : fact.Upper - constant);
            }

            return (solver, map);
        }

        public void Dispose()
        {
            linear?.Solver.Dispose();
            whole?.Solver.Dispose();
        }
    }
}
