"""Paired comparison against a control variant (third screen).

python compare3.py results/screen3.jsonl [--control hard_w16_rl]
Per (teacher, student, variant): per-set median over seeds of (variant - control)
accuracy in points, then median [min, max] over sets, sets better/worse, and the
median fit-time multiple of the control (variant fit_s / control fit_s), and for
select-by-fidelity variants the share of runs that chose a candidate other than the plain tree.
"""
import argparse
import json
from collections import defaultdict

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("paths", nargs="+")
ap.add_argument("--control", default="hard_w16_rl")
ap.add_argument("--students", nargs="+", default=["d12", "d8", "L64", "d4"])
a = ap.parse_args()
rows = [json.loads(l) for p in a.paths for l in open(p)]
acc = {(r["dataset"], r["seed"], r["teacher"], r["student"], r["variant"]): r for r in rows}
print("| teacher | student | variant | vs control: median [min, max] | better/worse sets | fit × control | non-plain chosen |")
print("|---|---|---|---|---|---|---|")
for t in ["rf500", "gbm300"]:
    for s in a.students:
        vs = sorted({k[4] for k in acc if k[2] == t and k[3] == s and k[4].startswith(a.control) and k[4] != a.control})
        for v in vs:
            per = defaultdict(list)
            ratio, chosen = [], []
            for (d, seed, tt, ss, vv), r in acc.items():
                if tt != t or ss != s or vv != v:
                    continue
                ctl = acc.get((d, seed, t, s, a.control))
                if ctl is None:
                    continue
                per[d].append(100 * (r["acc"] - ctl["acc"]))
                ratio.append(r["fit_s"] / max(ctl["fit_s"], 1e-9))
                if "chosen" in r:
                    chosen.append(r["chosen"] != 0)
            if not per:
                continue
            g = np.array([np.median(x) for x in per.values()])
            ch = f"{100 * np.mean(chosen):.0f}%" if chosen else "-"
            print(f"| {t} | {s} | {v} | {np.median(g):+.2f} [{g.min():+.2f}, {g.max():+.2f}] "
                  f"| {(g > 0).sum()}/{(g < 0).sum()} of {len(g)} | {np.median(ratio):.1f}× | {ch} |")
