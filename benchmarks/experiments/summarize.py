"""Summarize results/*.jsonl: per (teacher, student, variant), across data sets.

python summarize.py results/screen.jsonl [--teachers rf500 gbm300] [--students ...]
gain: accuracy points vs the same student on labels (per-set median over seeds,
then median [min, max] across sets); wins: sets with gain > 0; closed: median
share of the (teacher - labels) accuracy gap closed (sets with gap > 0.5 pt);
llc: same for log-loss; vs_hs / vs_naive: median points vs those peers;
cost: median (student fit + teacher labelling of its transfer rows) / teacher fit.
"""
import argparse
import json
from collections import defaultdict

import numpy as np


def load(paths):
    rows = []
    for p in paths:
        rows += [json.loads(l) for l in open(p)]
    return rows


def per_set(rows):
    g = defaultdict(list)
    for r in rows:
        g[(r["dataset"], r["teacher"], r["student"], r["variant"])].append(r)
    return g


def table(rows, teachers, students, variants=None, min_sets=1):
    g = per_set(rows)
    med = {k: {m: float(np.median([r[m] for r in v])) for m in ("acc", "ll", "ll_pkg")}
           for k, v in g.items()}
    for k, v in g.items():
        lv = [r["leaves"] for r in v if r.get("leaves")]
        med[k]["leaves"] = float(np.median(lv)) if lv else None
    seeds = {k: len(v) for k, v in g.items()}
    cost = defaultdict(list)
    for r in rows:
        if r["variant"] in ("teacher", "labels", "naive", "hs"):
            continue
        size = 16
        cost[(r["teacher"], r["student"], r["variant"])].append(
            r["fit_s"] / r["teacher_fit_s"])
    datasets = sorted({k[0] for k in g})
    out = []
    hdr = ("| teacher | student | variant | gain median [min, max] | wins | closed | "
           "llc | vs hs | vs naive | seeds | fit/teacher | leaves vs labels |")
    out.append(hdr)
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for t in teachers:
        for s in students:
            vs = sorted({k[3] for k in g if k[1] == t and k[2] == s} - {"labels"},
                        key=lambda x: (x not in ("naive", "hs", "pkg"), x))
            if variants:
                vs = [v for v in vs if v in variants or v in ("naive", "hs")]
            for v in vs:
                gains, closed, llc, vhs, vna, ns, size = [], [], [], [], [], [], []
                for d in datasets:
                    k = (d, t, s, v)
                    lab, top = med.get((d, t, s, "labels")), med.get((d, t, "teacher", "teacher"))
                    if k not in med or lab is None or top is None:
                        continue
                    a = med[k]["acc"]
                    gains.append(100 * (a - lab["acc"]))
                    ns.append(seeds[k])
                    if med[k]["leaves"] and lab.get("leaves"):
                        size.append(med[k]["leaves"] / lab["leaves"])
                    gap = top["acc"] - lab["acc"]
                    if gap > 0.005:
                        closed.append((a - lab["acc"]) / gap)
                    llgap = lab["ll"] - top["ll"]
                    if llgap > 0.005:
                        llc.append((lab["ll"] - med[k]["ll_pkg"]) / llgap)
                    if (d, t, s, "hs") in med:
                        vhs.append(100 * (a - med[(d, t, s, "hs")]["acc"]))
                    if (d, t, s, "naive") in med:
                        vna.append(100 * (a - med[(d, t, s, "naive")]["acc"]))
                if len(gains) < min_sets:
                    continue
                gains = np.array(gains)
                c = cost.get((t, s, v))
                pct = lambda x: f"{100 * np.median(x):.0f}%" if x else "-"
                pts = lambda x: f"{np.median(x):+.2f}" if x else "-"
                out.append(
                    f"| {t} | {s} | {v} | {np.median(gains):+.2f} [{gains.min():+.2f}, {gains.max():+.2f}] "
                    f"| {int((gains > 0).sum())}/{len(gains)} | {pct(closed)} | {pct(llc)} "
                    f"| {pts(vhs)} | {pts(vna)} | {min(ns)} | "
                    + (f"{np.median(c):.2f} |" if c else "- |")
                    + (f" {np.median(size):.1f}× |" if size else " - |"))
    return "\n".join(out)


def per_dataset(rows, teacher, student, variants):
    g = per_set(rows)
    datasets = sorted({k[0] for k in g})
    out = ["| variant | " + " | ".join(datasets) + " |", "|---" * (len(datasets) + 1) + "|"]
    for v in ["teacher", "labels"] + list(variants):
        cells = []
        for d in datasets:
            k = (d, teacher, "teacher" if v == "teacher" else student, v)
            lab = (d, teacher, student, "labels")
            if k not in g:
                cells.append("-")
                continue
            a = 100 * np.median([r["acc"] for r in g[k]])
            if v in ("teacher", "labels"):
                cells.append(f"{a:.2f}")
            else:
                la = 100 * np.median([r["acc"] for r in g[lab]])
                cells.append(f"{a - la:+.2f}")
        out.append(f"| {v} | " + " | ".join(cells) + " |")
    return "\n".join(out)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--teachers", nargs="+", default=["rf500", "gbm300"])
    ap.add_argument("--students", nargs="+", default=["unl", "d12", "d8", "L64", "d4", "f10"])
    ap.add_argument("--variants", nargs="+", default=None)
    ap.add_argument("--per-dataset", nargs=2, default=None, metavar=("TEACHER", "STUDENT"))
    a = ap.parse_args()
    rows = load(a.paths)
    if a.per_dataset:
        print(per_dataset(rows, *a.per_dataset, a.variants or []))
    else:
        print(table(rows, a.teachers, a.students, a.variants))
