"""Two runs of the classification benchmark for the same teacher, before and
after a change, side by side for the students both hold: per set, the gain of
the distilled student over the same student on labels (median accuracy over
seeds of each, in points, as the benchmark's summary computes it), how many
per-set gains rose, fell or stayed, the distilled student's median test
log-loss per set, the median ratio of the distillation's
fit time (``fit_s``: what ``fit`` adds to a fitted teacher), the benchmark's
summary row of the distilled student in each run
(``sklearn_kd._bench.classification_summary``; the "before" file must hold
the teacher rows) and the median over sets of its leaves (``complexity``) over
the same student's on labels.

Usage, from the repository root (the "before" file from git history)::

    git show 0684087:benchmarks/results/rf500/results.json > /tmp/rf500_before.json
    python benchmarks/experiments/compare_results.py /tmp/rf500_before.json \
        benchmarks/results/rf500/results.json tree_l64,tree_d8,tree_d4
"""

import json
import sys
from collections import defaultdict

import numpy as np

from sklearn_kd._bench import classification_summary


def per_set_gains(rows, students):
    accuracy = defaultdict(list)
    for r in rows:
        if r["student"] in students and r["method"] in ("distilled", "labels"):
            accuracy[r["student"], r["dataset"], r["method"]].append(r["accuracy"])
    return {
        (student, dataset): 100
        * (np.median(values) - np.median(accuracy[student, dataset, "labels"]))
        for (student, dataset, method), values in accuracy.items()
        if method == "distilled"
    }


def fit_time_ratios(before, after, student):
    key = lambda r: (r["dataset"], r["seed"], r["student"], r["method"])
    old = {key(r): r["fit_s"] for r in before}
    return [
        r["fit_s"] / old[key(r)]
        for r in after
        if r["student"] == student and r["method"] == "distilled" and key(r) in old
    ]


def distilled_log_loss(rows, students):
    """Per (student, set): the median test log-loss of the distilled rows."""
    values = defaultdict(list)
    for r in rows:
        if r["student"] in students and r["method"] == "distilled":
            values[r["student"], r["dataset"]].append(r["log_loss"])
    return {key: float(np.median(v)) for key, v in values.items()}


def leaves_over_labels(rows, student):
    """Median over sets of the per-set median leaves (``complexity``) of the
    distilled student over that of the same student on labels."""
    leaves = defaultdict(list)
    for r in rows:
        if r["student"] == student and r["method"] in ("distilled", "labels"):
            leaves[r["dataset"], r["method"]].append(r["complexity"])
    datasets = {dataset for dataset, _ in leaves}
    return float(
        np.median(
            [
                np.median(leaves[d, "distilled"]) / np.median(leaves[d, "labels"])
                for d in datasets
            ]
        )
    )


def summary_rows(rows, students):
    """The benchmark's summary rows of the distilled students."""
    lines = classification_summary(rows).splitlines()
    return [
        line
        for line in lines
        if "| distilled |" in line and any(f"| {s} |" in line for s in students)
    ]


def main(before_path, after_path, students):
    before, after = json.load(open(before_path)), json.load(open(after_path))
    old, new = per_set_gains(before, students), per_set_gains(after, students)
    moves = {"rose": 0, "fell": 0, "stayed": 0}
    for student, dataset in sorted(new):
        a, b = old[student, dataset], new[student, dataset]
        change = "stayed" if abs(b - a) < 0.005 else "rose" if b > a else "fell"
        moves[change] += 1
        print(f"{student:9} {dataset:10} {a:+.2f} -> {b:+.2f}  {change}")
    print(moves)
    old_loss = distilled_log_loss(before, students)
    for (student, dataset), loss in sorted(distilled_log_loss(after, students).items()):
        print(
            f"{student:9} {dataset:10} log-loss {old_loss[student, dataset]:.3f}"
            f" -> {loss:.3f}"
        )
    for student in students:
        ratios = fit_time_ratios(before, after, student)
        print(f"{student}: fit_s after / before, median {np.median(ratios):.2f}")
        print(
            f"{student}: leaves over the labels student's, median over sets "
            f"{leaves_over_labels(before, student):.1f} -> "
            f"{leaves_over_labels(after, student):.1f}"
        )
    for label, rows in (("before", before), ("after", after)):
        for line in summary_rows(rows, students):
            print(label, line)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3].split(","))
