"""Summarize results/guard*.jsonl: regret of each guard per student family.

python summarize_guard.py results/guard3k.jsonl
regret (points) = |test acc of the chosen student - the better of labels-only and
distilled (both fitted on all training rows)|, per (set, seed, teacher) run.
"""
import json
import sys
from collections import defaultdict

import numpy as np

rows = [json.loads(l) for p in sys.argv[1:] for l in open(p)]
g = defaultdict(list)
for r in rows:
    g[(r["student"], r["guard"])].append(r)
students = list(dict.fromkeys(r["student"] for r in rows))
guards = list(dict.fromkeys(r["guard"] for r in rows))
print("| student | guard | runs | regret median | regret mean | regret max | kept distilled | "
      "gain vs labels of the choice: median [min] | guard fit / teacher fit |")
print("|---|---|---|---|---|---|---|---|---|")
for s in students:
    for gd in guards:
        rs = g[(s, gd)]
        reg = np.array([r["regret"] for r in rs])
        gain = np.array([r["loss_vs_labels"] for r in rs])
        cost = "-"
        if gd.startswith("hold"):
            cost = f"{np.median([r['hold_s'] / r['teacher_fit_s'] for r in rs]):.2f}"
        elif gd.startswith("cv"):
            cost = f"{np.median([r['cv_s'] / r['teacher_fit_s'] for r in rs]):.2f}"
        print(f"| {s} | {gd} | {len(rs)} | {np.median(reg):.2f} | {reg.mean():.2f} | {reg.max():.2f} "
              f"| {np.mean([r['distilled'] for r in rs]):.0%} | {np.median(gain):+.2f} [{gain.min():+.2f}] | {cost} |")
# pooled over families
print()
print("| guard | runs | regret median | regret mean | regret max | share of runs with regret > 0.5 |")
print("|---|---|---|---|---|---|")
for gd in guards:
    reg = np.array([r["regret"] for r in rows if r["guard"] == gd])
    print(f"| {gd} | {len(reg)} | {np.median(reg):.2f} | {reg.mean():.2f} | {reg.max():.2f} | {np.mean(reg > 0.5):.0%} |")
