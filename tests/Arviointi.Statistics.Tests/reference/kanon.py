"""Independent reference for Arviointi.Statistics.Anonymisation (k-anonymity and re-identification risk).

Run by AnonymisationReferenceTests with Debian's /usr/bin/python3 (apt: python3-pandas):
    /usr/bin/python3 kanon.py TABLE.csv K
TABLE.csv: one column per quasi-identifier (an empty cell is a missing or suppressed value) and a last column
"weight". Prints JSON: per record fk, Fk and risk, and violating (records with fk < K) and expected (sum of risks).

fk and Fk by brute force, record against record (an n x n match matrix per quasi-identifier from the pandas columns):
record j counts for record i when in every quasi-identifier the two are equal or either is missing, as sdcMicro's
freqCalc (alpha = 1) counts.
risk: sdcMicro's indivRisk, method "approx" (Benedetti-Capobianchi-Franconi), with p = fk/Fk:
fk = 1: p/(1-p) log(1/p); fk = 2: p/(1-p) - (p/(1-p))^2 log(1/p); fk > 2: p/(fk - (1-p)); 1/fk where fk == Fk.
"""
import json
import math
import sys

import numpy as np
import pandas as pd

table = pd.read_csv(sys.argv[1])
k = int(sys.argv[2])
keys = [c for c in table.columns if c != "weight"]

match = np.ones((len(table), len(table)), dtype=bool)
for c in keys:
    values = table[c].to_numpy(dtype=float)
    missing = table[c].isna().to_numpy()
    match &= (values[:, None] == values[None, :]) | missing[:, None] | missing[None, :]
fk = [int(x) for x in match.sum(axis=1)]
Fk = [float(x) for x in match.astype(float) @ table["weight"].to_numpy(dtype=float)]


def risk(f, F):
    if f == F:
        return 1 / f
    p = f / F
    if f == 1:
        return p / (1 - p) * math.log(1 / p)
    if f == 2:
        return p / (1 - p) - (p / (1 - p)) ** 2 * math.log(1 / p)
    return p / (f - (1 - p))


risks = [risk(f, F) for f, F in zip(fk, Fk)]
print(json.dumps({
    "pandas": pd.__version__,
    "fk": fk,
    "Fk": Fk,
    "risk": risks,
    "violating": sum(1 for f in fk if f < k),
    "expected": sum(risks),
}))
