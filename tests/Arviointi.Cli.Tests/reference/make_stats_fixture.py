"""Writes ../fixtures/stats-answers.csv, the small answer file that StatsFixtureTests runs `stats` on.

    /usr/bin/python3 tests/Arviointi.Cli.Tests/reference/make_stats_fixture.py

Each (group, municipality) has respondents who answer every item of the group; per item a municipality has
a planned number of scale answers (1-5), drawn at random from a tilt of its own, and its other respondents
answer EOS (can't say) or leave the item empty. The plan covers the cases the tests name:
  q1/huoltaja  Sysmä 3 answers (n<5) and Hartola 6, the smallest of the rest (complementary); three visible
  q2/huoltaja  Sysmä 2, Padasjoki 3 and Kärkölä 0 (only EOS and empty): small cells, no complementary;
               Heinola answers all 4
  q3/huoltaja  Lahti only: the rest is empty, so no comparison and no Kruskal–Wallis
  q4/huoltaja  Lahti all agree (100 %), Hollola nobody agrees (0 %)
  q1/henkilosto  every answer 5, Hollola exactly n = 5: zero-variance tests
"""
import random
from pathlib import Path

rng = random.Random(20260406)

# (group, municipality): {item: (scale answers, fixed value or tilt)}; the tilt weights answers 1..5.
TILTS = {
    "up": [1, 2, 4, 8, 6],
    "mid": [2, 4, 6, 5, 3],
    "down": [5, 6, 4, 2, 1],
    "agree": [0, 0, 0, 1, 1],
    "disagree": [1, 1, 1, 0, 0],
}
PLAN = {
    ("huoltaja", "Lahti"): {"q1": (40, "up"), "q2": (30, "mid"), "q3": (10, "mid"), "q4": (20, "agree")},
    ("huoltaja", "Hollola"): {"q1": (15, "mid"), "q2": (12, "up"), "q4": (10, "disagree")},
    ("huoltaja", "Heinola"): {"q1": (9, "down"), "q2": (8, 4)},
    ("huoltaja", "Hartola"): {"q1": (6, "mid"), "q2": (7, "down")},
    ("huoltaja", "Sysmä"): {"q1": (3, "up"), "q2": (2, "mid")},
    ("huoltaja", "Padasjoki"): {"q2": (3, "down")},
    ("huoltaja", "Kärkölä"): {"q2": (0, None)},
    ("henkilosto", "Lahti"): {"q1": (7, 5)},
    ("henkilosto", "Hollola"): {"q1": (5, 5)},
}
UNITS = {"Lahti": ["Koulu A", "Koulu B"], "Hollola": ["Koulu C"], "Heinola": ["Koulu D"], "Hartola": ["Koulu E"],
         "Sysmä": ["Koulu F"], "Padasjoki": ["Koulu G"], "Kärkölä": ["Koulu H"]}

rows = []
respondent = 0
for (group, municipality), items in PLAN.items():
    size = max(n for n, _ in items.values()) + 2  # two more respondents than the largest n: room for EOS and empty
    columns = {}
    for item, (n, how) in items.items():
        if how is None:
            scale = []
        elif isinstance(how, int):
            scale = [str(how)] * n
        else:
            scale = [str(v) for v in rng.choices([1, 2, 3, 4, 5], TILTS[how], k=n)]
        rest = [rng.choice(["EOS", ""]) for _ in range(size - n)]
        column = scale + rest
        rng.shuffle(column)
        columns[item] = column
    for r in range(size):
        respondent += 1
        unit = rng.choice(UNITS[municipality])
        for item, column in columns.items():
            rows.append(f"r{respondent:04d},{municipality},{unit},{group},{item},{column[r]}\n")

path = Path(__file__).resolve().parent.parent / "fixtures" / "stats-answers.csv"
path.write_text("respondent_id,municipality,unit,group,item,value\n" + "".join(rows), encoding="utf-8", newline="\n")
print(f"{path}: {len(rows)} rows")
