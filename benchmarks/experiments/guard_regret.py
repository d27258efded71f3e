"""The guard's regret beside the regret of never guarding, per student family.

Reads the ``results.json`` that ``python -m sklearn_kd bench --out DIR``
writes (rows ``labels``, ``unguarded`` and ``distilled``, the last with the
guard on) and prints, per (teacher, student): the median over fits and the
worst single fit of

- the guard's regret: the better of labels and unguarded minus what the guard
  kept, in test-accuracy points;
- never guarding's regret: labels minus unguarded where labels won;

and how often the guard kept distillation.

Usage::

    python benchmarks/experiments/guard_regret.py benchmarks/results/rf500/results.json
    # the last runs with the "whichever scored higher" guard
    git show eef10d2:benchmarks/results/rf500/results.json > /tmp/rf500.json
    git show 992ee59:benchmarks/results/gbm300/results.json > /tmp/gbm300.json
    python benchmarks/experiments/guard_regret.py /tmp/rf500.json /tmp/gbm300.json
"""

import json
import sys
from collections import defaultdict

import numpy as np


def regrets(rows):
    by_fit = defaultdict(dict)
    for row in rows:
        key = (row["teacher"], row["student"], row["dataset"], row["seed"])
        by_fit[key][row["method"]] = row
    families = defaultdict(list)
    for (teacher, student, *_), fit in by_fit.items():
        if "unguarded" not in fit:
            continue
        labels, unguarded = fit["labels"]["accuracy"], fit["unguarded"]["accuracy"]
        guarded = fit["distilled"]
        families[teacher, student].append(
            (
                100 * (max(labels, unguarded) - guarded["accuracy"]),
                100 * max(0.0, labels - unguarded),
                bool(guarded["distilled"]),
            )
        )
    return families


def main(paths):
    print(
        "| teacher | student | guard regret median / worst | "
        "no guard regret median / worst | guard kept distillation |"
    )
    print("|---|---|---:|---:|---:|")
    for path in paths:
        with open(path) as f:
            families = regrets(json.load(f))
        for (teacher, student), fits in sorted(families.items()):
            columns = zip(*fits, strict=True)
            guard, never, kept = (np.array(column) for column in columns)
            print(
                f"| {teacher} | {student} | {np.median(guard):.2f} / "
                f"{guard.max():.2f} | {np.median(never):.2f} / {never.max():.2f} "
                f"| {kept.sum()}/{len(kept)} |"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
