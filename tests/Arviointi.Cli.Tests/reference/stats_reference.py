"""Expected output of `arviointi stats` on ../fixtures/stats-answers.csv, computed independently with scipy.

    /usr/bin/python3 tests/Arviointi.Cli.Tests/reference/stats_reference.py           # the expected JSON
    /usr/bin/python3 tests/Arviointi.Cli.Tests/reference/stats_reference.py --csharp  # the block inlined in StatsFixtureTests.cs

Versions used: scipy 1.10.1, statsmodels 0.13.5, numpy 1.24.2, mpmath 1.2.1 (Debian python3-scipy, python3-statsmodels,
python3-mpmath). The t quantile of the mean interval comes from mpmath, since scipy 1.10's is off by up to 1e-9.
The contract, restated here from the command's documentation, not from its code:
  - x is a cell's answers 1-5; EOS counts in cantSay; empty is left out.
  - n < 5 hides a municipality ("n<5"); if exactly one is hidden so, the smallest other (ties by ordinal
    name) is hidden too ("complementary"). Hidden municipalities still count in the region and in the rest.
  - vsRest compares x with all other municipalities' answers pooled; Holm is over the visible
    municipalities of the item; Kruskal-Wallis is over the visible municipalities (null if fewer than two).
  - All answers equal: Mann-Whitney p is 1 (scipy); Kruskal-Wallis is H = 0, p = 1 (scipy raises).
"""
import csv
import json
import math
import sys
from pathlib import Path

import mpmath as mp
import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

mp.mp.dps = 40


def t_quantile(df):
    """t(0.975, df) at 40 digits with mpmath: scipy 1.10.1's t.ppf (cephes stdtrit) is off by up to ~1e-9 (e.g. df = 6)."""
    return mp.findroot(lambda t: 1 - mp.betainc(mp.mpf(df) / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2 - mp.mpf("0.975"), 2)


FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "stats-answers.csv"


def figures(x, cant_say):
    """n, cantSay, mean = numpy.mean, sd = numpy.std(ddof=1), meanCi = mean -/+ t * scipy.stats.sem (t exact, from mpmath),
    agreeCi = proportion_confint(wilson)."""
    x = np.asarray(x, float)
    n = len(x)
    if n == 0:
        return dict(n=0, cantSay=cant_say, mean=None, sd=None, meanCi=[None, None], agreeShare=None, agreeCi=[None, None])
    mean = float(np.mean(x))
    k = int(np.sum(x >= 4))
    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    if n < 2:
        sd, ci = None, [None, None]
    else:
        sd = float(np.std(x, ddof=1))
        # scipy.stats.t.interval(0.95, df, loc=mean, scale=sem) with the exact t; it gives (mean, mean) when sd = 0.
        half = t_quantile(n - 1) * mp.mpf(float(stats.sem(x)))
        ci = [float(mean - half), float(mean + half)]
    return dict(n=n, cantSay=cant_say, mean=mean, sd=sd, meanCi=[float(c) for c in ci], agreeShare=k / n,
                agreeCi=[float(lo), float(hi)])


def vs_rest(x, rest):
    """agreeDiff and its Newcombe interval (confint_proportions_2indep, method='newcomb'), Mann-Whitney p
    (scipy.stats.mannwhitneyu, asymptotic, continuity) and Cliff's delta (numpy.sign(numpy.subtract.outer).mean())."""
    if len(x) == 0 or len(rest) == 0:
        return dict(agreeDiff=None, agreeDiffCi=[None, None], mannWhitneyP=None, cliffsDelta=None)
    x, rest = np.asarray(x, float), np.asarray(rest, float)
    k1, k2 = int(np.sum(x >= 4)), int(np.sum(rest >= 4))
    lo, hi = confint_proportions_2indep(k1, len(x), k2, len(rest), method="newcomb", compare="diff", alpha=0.05)
    p = stats.mannwhitneyu(x, rest, alternative="two-sided", method="asymptotic", use_continuity=True).pvalue
    return dict(agreeDiff=k1 / len(x) - k2 / len(rest), agreeDiffCi=[float(lo), float(hi)], mannWhitneyP=float(p),
                cliffsDelta=float(np.sign(np.subtract.outer(x, rest)).mean()))


def kruskal(groups):
    if len(groups) < 2:
        return None
    try:
        r = stats.kruskal(*groups)
        return dict(h=float(r.statistic), df=len(groups) - 1, p=float(r.pvalue))
    except ValueError:  # "All numbers are identical in kruskal": the documented choice H = 0, p = 1
        return dict(h=0.0, df=len(groups) - 1, p=1.0)


def compute():
    cells = {}  # (item, group) -> municipality -> [values], cantSay; dicts keep the order of first appearance
    with open(FIXTURE, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            cell = cells.setdefault((row["item"], row["group"]), {}).setdefault(row["municipality"], [[], 0])
            if row["value"] == "EOS":
                cell[1] += 1
            elif row["value"] != "":
                cell[0].append(int(row["value"]))

    items = []
    for (item, group), by_municipality in cells.items():
        names = sorted(by_municipality, key=lambda s: s.encode("utf-16-be"))  # ordinal (UTF-16) order, as .NET
        small = [m for m in names if len(by_municipality[m][0]) < 5]
        reasons = {m: "n<5" for m in small}
        if len(small) == 1 and len(names) > 1:
            partner = min((m for m in names if m not in reasons), key=lambda m: (len(by_municipality[m][0]), m.encode("utf-16-be")))
            reasons[partner] = "complementary"

        all_values = [v for m in names for v in by_municipality[m][0]]
        region = figures(all_values, sum(by_municipality[m][1] for m in names))
        municipalities, visible = [], []
        for m in names:
            x, cant_say = by_municipality[m]
            if m in reasons:
                municipalities.append(dict(municipality=m, suppressed=True, suppressionReason=reasons[m]))
                continue
            rest = [v for other in names if other != m for v in by_municipality[other][0]]
            entry = dict(municipality=m, suppressed=False, **figures(x, cant_say), vsRest=vs_rest(x, rest))
            municipalities.append(entry)
            visible.append((entry, x))

        tested = [e["vsRest"] for e, _ in visible if e["vsRest"]["mannWhitneyP"] is not None]
        if tested:
            holm = multipletests([t["mannWhitneyP"] for t in tested], method="holm")[1]
            for t, p in zip(tested, holm):
                t["holmP"] = float(p)
        for e, _ in visible:
            e["vsRest"].setdefault("holmP", None)
            e["vsRest"] = {k: e["vsRest"][k] for k in ("agreeDiff", "agreeDiffCi", "mannWhitneyP", "holmP", "cliffsDelta")}
        items.append(dict(item=item, group=group, region=region, municipalities=municipalities,
                          kruskalWallis=kruskal([np.asarray(x, float) for _, x in visible])))
    return dict(items=items)


def cs(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return "double.NaN" if math.isnan(v) else repr(float(v))


def cs_figures(f):
    return (f"new({cs(f['n'])}, {cs(f['cantSay'])}, {cs(f['mean'])}, {cs(f['sd'])}, [{cs(f['meanCi'][0])}, {cs(f['meanCi'][1])}], "
            f"{cs(f['agreeShare'])}, [{cs(f['agreeCi'][0])}, {cs(f['agreeCi'][1])}])")


def csharp(result):
    lines = []
    for item in result["items"]:
        kw = item["kruskalWallis"]
        lines.append(f'        new("{item["item"]}", "{item["group"]}",')
        lines.append(f"            Region: {cs_figures(item['region'])},")
        lines.append("            KruskalWallis: " + ("null," if kw is None else f"new({cs(kw['h'])}, {kw['df']}, {cs(kw['p'])}),"))
        lines.append("            Municipalities:")
        lines.append("            [")
        for m in item["municipalities"]:
            if m["suppressed"]:
                lines.append(f'                new("{m["municipality"]}", "{m["suppressionReason"]}", null, null),')
            else:
                r = m["vsRest"]
                vs = (f"new({cs(r['agreeDiff'])}, [{cs(r['agreeDiffCi'][0])}, {cs(r['agreeDiffCi'][1])}], {cs(r['mannWhitneyP'])}, "
                      f"{cs(r['holmP'])}, {cs(r['cliffsDelta'])})")
                lines.append(f'                new("{m["municipality"]}", null,')
                lines.append(f"                    {cs_figures(m)},")
                lines.append(f"                    {vs}),")
        lines.append("            ]),")
    return "\n".join(lines)


result = compute()
print(csharp(result) if "--csharp" in sys.argv else json.dumps(result, ensure_ascii=False, indent=2))
