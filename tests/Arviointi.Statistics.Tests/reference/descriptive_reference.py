"""Reference values for Descriptive.Summarize (quality-area index means): numpy mean/std(ddof=1),
scipy.stats.t.interval(0.95, n-1, loc=mean, scale=scipy.stats.sem(x)), and mpmath for the exact t quantile."""
import numpy as np
from scipy import stats
import mpmath as mp

mp.mp.dps = 40


def t_quantile(p, df):
    return mp.findroot(lambda t: 1 - mp.betainc(mp.mpf(df) / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2 - p, 2)


for x in ([3.5, 4.0, 2.25, 5.0, 4.75, 3.0], [4.2] * 5, [1.0, 5.0]):
    x = np.array(x)
    mean, sd = np.mean(x), np.std(x, ddof=1)
    half = t_quantile(mp.mpf("0.975"), len(x) - 1) * mp.mpf(float(sd)) / mp.sqrt(len(x))
    print(list(x), repr(mean), repr(sd), "mpmath t:", repr(float(mean - half)), repr(float(mean + half)),
          "scipy.stats.t.interval:", stats.t.interval(0.95, len(x) - 1, loc=mean, scale=stats.sem(x)))
