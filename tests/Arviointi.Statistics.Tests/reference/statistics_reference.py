"""Reference values for Arviointi.Statistics.Tests, printed with full precision (repr).

Run with Debian's /usr/bin/python3 (apt: python3-scipy python3-statsmodels):
    /usr/bin/python3 tests/Arviointi.Statistics.Tests/reference/statistics_reference.py
Versions used for the values in the tests: scipy 1.10.1, statsmodels 0.13.5, numpy 1.24.2.
Each test names the function below that produced its value.
"""
import warnings

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

print(f"scipy {scipy.__version__}, statsmodels {statsmodels.__version__}, numpy {np.__version__}")


def expand(counts):
    """Counts of answers 1..k (index 0 = answer 1) back into a sample."""
    return np.repeat(np.arange(1, len(counts) + 1), counts).astype(float)


def cliffs_delta(x, y):
    """Cliff's delta by its definition over all pairs: mean of sign(x_i - y_j)."""
    return np.sign(np.subtract.outer(np.asarray(x, float), np.asarray(y, float))).mean()


print("\n# Mann-Whitney: scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic', use_continuity=True)")
print("# Cliff's delta: numpy.sign(numpy.subtract.outer(x, y)).mean()")
mw_cases = {
    "ties": ([1, 2, 2, 3, 3, 3, 4, 4, 5, 5], [3, 4, 4, 4, 5, 5, 5, 5]),
    "five each": ([1, 2, 3, 4, 5], [2, 3, 3, 5, 5]),
    "separated": ([1, 1, 2], [4, 5, 5, 5]),
    "one differs": ([4, 4, 4, 4, 4], [4, 4, 4, 4, 5]),
    "all equal": ([3, 3, 3], [3, 3]),
    "one each": ([2], [4]),
    "large": (expand([500, 1200, 3000, 8000, 5000]), expand([100, 300, 700, 1500, 900])),
    "large, far apart": (expand([9000, 9000, 9000, 9000, 9000]), expand([0, 0, 100, 2000, 8000])),
}
for name, (x, y) in mw_cases.items():
    r = stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)
    print(f"{name}: U={r.statistic!r} p={r.pvalue!r} delta={cliffs_delta(x, y)!r}")

print("\n# Kruskal-Wallis: scipy.stats.kruskal(*groups)")
kw_cases = {
    "three groups": ([1, 2, 2, 3, 5], [3, 4, 4, 5, 5, 5], [2, 3, 3, 3, 4]),
    "two groups (= empty group left out)": ([1, 2], [3, 4]),
    "four large groups": tuple(expand(c) for c in (
        [500, 1200, 3000, 8000, 5000], [100, 300, 700, 1500, 900], [40, 90, 200, 300, 170], [10, 10, 30, 60, 90])),
    "one group all equal": ([4, 4, 4], [2, 3, 4, 5, 5]),
}
for name, groups in kw_cases.items():
    r = stats.kruskal(*groups)
    print(f"{name}: H={r.statistic!r} p={r.pvalue!r}")
for name, groups in {"all equal": ([3, 3, 3], [3, 3])}.items():
    try:
        stats.kruskal(*groups)
    except ValueError as e:
        print(f"{name}: scipy raises {e}")

print("\n# Holm: statsmodels.stats.multitest.multipletests(p, method='holm')[1]")
for p in ([0.01, 0.04, 0.03, 0.5], [0.02, 0.02, 0.5], [0.3, 0.4, 0.6], [0.01, 0.04], [0.001], [0.0, 1.0, 0.2]):
    print(f"{p}: {list(multipletests(p, method='holm')[1])!r}")

print("\n# Newcombe: statsmodels.stats.proportion.confint_proportions_2indep(x1, n1, x2, n2, method='newcomb', compare='diff', alpha=alpha)")
for x1, n1, x2, n2, alpha in [(3, 10, 5, 12, 0.05), (0, 5, 5, 5, 0.05), (5, 5, 0, 7, 0.05), (0, 8, 0, 9, 0.05),
                              (5, 5, 9, 9, 0.05), (40, 100, 30, 90, 0.01), (4000, 6000, 30000, 54000, 0.05),
                              (6, 10, 21, 35, 0.05), (4, 10, 7, 8, 0.05)]:
    lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=alpha)
    print(f"({x1}, {n1}, {x2}, {n2}, alpha={alpha}): diff={x1 / n1 - x2 / n2!r} [{lo!r}, {hi!r}]")

print("\n# Funnel limits, normal approximation: p0 -/+ scipy.stats.norm.ppf(1 - (1 - coverage) / 2) * sqrt(p0 (1 - p0) / n), clamped to [0, 1]")
for coverage in (0.95, 0.998):
    print(f"z({coverage}) = scipy.stats.norm.ppf({1 - (1 - coverage) / 2!r}) = {stats.norm.ppf(1 - (1 - coverage) / 2)!r}")
for p0, n, coverage in [(0.6, 5, 0.95), (0.6, 5, 0.998), (0.6, 20, 0.95), (0.6, 200, 0.998), (0.97, 5, 0.95), (0.0, 10, 0.95), (1.0, 10, 0.998)]:
    z = stats.norm.ppf(1 - (1 - coverage) / 2)
    h = z * np.sqrt(p0 * (1 - p0) / n)
    print(f"p0={p0} n={n} coverage={coverage}: [{max(0.0, p0 - h)!r}, {min(1.0, p0 + h)!r}]")
print("# exact binomial quantiles for comparison: scipy.stats.binom.ppf(q, n, p0) / n")
for p0, n, coverage in [(0.6, 2000, 0.95), (0.6, 2000, 0.998)]:
    a = (1 - coverage) / 2
    print(f"p0={p0} n={n} coverage={coverage}: [{stats.binom.ppf(a, n, p0) / n!r}, {stats.binom.ppf(1 - a, n, p0) / n!r}]")

print("\n# Quality-area index: mean of answers 1-5 per respondent where at least ceil(k/2) items are so answered (numpy)")
# 0 = not answered, 6 = can't say, as Likert bytes
area = np.array([
    [4, 5, 4, 3],
    [1, 2, 0, 6],
    [5, 0, 6, 0],
    [3, 3, 3, 3],
    [2, 4, 5, 1],
    [0, 0, 0, 0],
    [5, 5, 4, 6],
], dtype=float)
scale = np.where((area >= 1) & (area <= 5), area, np.nan)
answered = (~np.isnan(scale)).sum(axis=1)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)  # nanmean of the all-missing row
    index = np.where(answered >= np.ceil(area.shape[1] / 2), np.nanmean(scale, axis=1), np.nan)
print(f"indices: {list(index)!r}")

print("# Cronbach's alpha on complete rows: k/(k-1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1)) (numpy)")


def alpha(x):
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


complete = scale[~np.isnan(scale).any(axis=1)]
print(f"area: complete={len(complete)} alpha={alpha(complete)!r}")
# A deterministic 600 x 6 matrix that the test rebuilds with the same formula: a latent level r % 5 plus item noise.
r, i = np.meshgrid(np.arange(600), np.arange(6), indexing="ij")
big = np.clip(1 + r % 5 + (r * 31 + i * 17) % 3 - 1, 1, 5).astype(float)
print(f"600x6 clip(1 + r % 5 + (31r + 17i) % 3 - 1, 1, 5): alpha={alpha(big)!r}")

print("\n# Post-stratification: w = (N_u/N) / (n_u/n) with N over units with respondents; share = sum(w*y)/sum(w); Kish deff = n*sum(w**2)/sum(w)**2 (numpy)")
units = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 2])
enrolment = np.array([120, 300, 45, 80])  # unit 3 has no respondents
outcome = np.array([1, 0, 1, 1, 1, 0, 0, 1, 0, 0])
present = np.unique(units)
N = enrolment[present].sum()
n = len(units)
n_u = np.bincount(units, minlength=len(enrolment))
w = (enrolment[units] / N) / (n_u[units] / n)
print(f"weights: {list(w)!r}")
print(f"sum: {w.sum()!r} share={np.sum(w * outcome) / np.sum(w)!r} unweighted={outcome.mean()!r}")
print(f"deff={n * np.sum(w ** 2) / np.sum(w) ** 2!r} neff={np.sum(w) ** 2 / np.sum(w ** 2)!r}")

print("\n# Post-stratified share from counts per unit: the same numpy weights on expanded respondents; interval:"
      " statsmodels.stats.proportion.proportion_confint(share * neff, neff, method='wilson') at Kish's effective n")
from statsmodels.stats.proportion import proportion_confint  # noqa: E402


def stratified(respondents, agreeing, enrolment):
    units = np.repeat(np.arange(len(respondents)), respondents)
    outcome = np.concatenate([np.r_[np.ones(a), np.zeros(r - a)] for r, a in zip(respondents, agreeing)])
    enrolment = np.asarray(enrolment, dtype=float)
    n_u = np.bincount(units, minlength=len(enrolment))
    w = (enrolment[units] / enrolment[n_u > 0].sum()) / (n_u[units] / len(units))
    share = np.sum(w * outcome) / np.sum(w)
    deff = len(units) * np.sum(w ** 2) / np.sum(w) ** 2
    neff = np.sum(w) ** 2 / np.sum(w ** 2)
    lo, hi = proportion_confint(share * neff, neff, alpha=0.05, method="wilson")
    print(f"respondents={respondents} agreeing={agreeing} enrolment={list(enrolment.astype(int))}:"
          f" share={share!r} deff={deff!r} neff={neff!r} ci=[{lo!r}, {hi!r}]")


stratified([3, 2, 5, 0], [2, 2, 1, 0], [120, 300, 45, 80])
stratified([40, 12, 7, 0, 25], [30, 3, 7, 0, 10], [220, 150, 35, 60, 90])
stratified([6, 9], [6, 9], [30, 200])  # everyone agrees: share 1
stratified([10, 20], [4, 8], [50, 100])  # respondents in proportion to enrolment: deff 1, the plain Wilson interval
print(f"plain Wilson 12/30: {proportion_confint(12, 30, alpha=0.05, method='wilson')!r}")

print("\n# Student t quantile: scipy 1.10.1's scipy.stats.t.ppf (cephes stdtrit) is off by up to ~1e-9; mpmath gives it exactly")
import mpmath as mp  # noqa: E402  (Debian python3-mpmath, a dependency of python3-sympy)

mp.mp.dps = 40


def t_quantile(p, df):
    """The root of the Student t CDF, 1 - I_{df/(df+t^2)}(df/2, 1/2) / 2 = p, at 40 digits."""
    return mp.findroot(lambda t: 1 - mp.betainc(mp.mpf(df) / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2 - p, 2)


for df in (6, 1000):
    print(f"df={df}: scipy {stats.t.ppf(0.975, df)!r}, mpmath {mp.nstr(t_quantile(mp.mpf('0.975'), df), 20)}")
x = np.array([1, 1, 2, 2, 2, 4, 4], dtype=float)
t = t_quantile(mp.mpf("0.975"), len(x) - 1)
half = t * mp.mpf(float(np.std(x, ddof=1))) / mp.sqrt(len(x))
print(f"x={list(x)}: mean={np.mean(x)!r} sd={np.std(x, ddof=1)!r} meanCi (mpmath t) = [{float(mp.mpf(np.mean(x)) - half)!r}, {float(mp.mpf(np.mean(x)) + half)!r}]"
      f" (scipy.stats.t.interval: {stats.t.interval(0.95, len(x) - 1, loc=np.mean(x), scale=stats.sem(x))!r})")
