"""Rerun only the ``distilled`` rows of a classification benchmark run.

For a change that moves what ``DistilledClassifier``'s defaults give but not
what any other method of the benchmark gives (the students on labels, the
size-matched trees, the naive and AutoGluon-style peers, hierarchical
shrinkage, and ``unguarded``, which has no held-out rows), this refits the
default distiller on the same splits, seeds and cached teacher as
``python -m sklearn_kd bench`` does (``sklearn_kd._bench._run_teacher``),
replaces the ``distilled`` rows of ``RESULTS`` and rewrites the report in
``OUT`` with ``COMMAND`` (the full benchmark command, which reproduces the
merged file) at its top. Run from the repository root:

    python benchmarks/experiments/rerun_distilled.py ../shared/datasets \
        rf500 benchmarks/results/rf500 "python -m sklearn_kd bench ..."

It also prints, per student, how many refitted rows changed their accuracy
and the median log-loss before and after.
"""

import sys
import tempfile
import time
import warnings
from collections import defaultdict
from pathlib import Path

import joblib
import numpy as np
from merge_student_rows import merge_rows
from threadpoolctl import threadpool_limits

from sklearn_kd import _bench
from sklearn_kd._bench import (
    _saved_rows,
    _Split,
    _split,
    fit_cached_teacher,
    write_report,
)

MAX_TRAIN, MAX_TEST, N_JOBS = 10_000, 5_000, 2


def distilled_rows(data_dir, teacher_name, seeds, student_names):
    rows = []
    with (
        threadpool_limits(limits=1, user_api="openmp"),
        tempfile.TemporaryDirectory() as cache,
    ):
        memory = joblib.Memory(cache, verbose=0)
        for name, (X, y) in _bench.load_datasets([data_dir]).items():
            for seed in seeds:
                print(f"[{time.strftime('%H:%M:%S')}] {name} {seed}", flush=True)
                split = _Split(*_split(X, y, seed, MAX_TRAIN, MAX_TEST), np.unique(y))
                base = {"dataset": name, "seed": seed, "teacher": teacher_name}
                teacher = _bench.teachers(seed, N_JOBS)[teacher_name]
                # the teacher as the benchmark fits it, and its test
                # predictions for the agreement column
                fitted = fit_cached_teacher(
                    teacher, memory, split.X_train, split.y_train
                )
                split.teacher_pred = fitted.predict(split.X_test)
                for student_name, student in _bench.students(seed).items():
                    if student_name not in student_names:
                        continue
                    model = _bench.methods(
                        teacher, student, seed, memory, fitted, N_JOBS
                    )["distilled"]
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", UserWarning)
                        rows.append(
                            split.measure(model, base, student_name, "distilled")
                        )
    return rows


def main(data_dir, teacher_name, out, command):
    old = _saved_rows(out)
    seeds = sorted({r["seed"] for r in old if r["teacher"] == teacher_name})
    student_names = {r["student"] for r in old if r["method"] == "distilled"}
    new = distilled_rows(data_dir, teacher_name, seeds, student_names)
    merged, pairs = merge_rows(old, new)
    assert len(pairs) == sum(r["method"] == "distilled" for r in old)
    changed, log_loss = defaultdict(int), defaultdict(lambda: ([], []))
    for row, fresh in pairs:
        changed[row["student"]] += fresh["accuracy"] != row["accuracy"]
        log_loss[row["student"]][0].append(row["log_loss"])
        log_loss[row["student"]][1].append(fresh["log_loss"])
    write_report(merged, out, command)
    for student, (before, after) in sorted(log_loss.items()):
        print(
            f"{student}: {len(before)} rows, accuracy changed in "
            f"{changed[student]}, median log-loss {np.median(before):.4f} -> "
            f"{np.median(after):.4f}"
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4])
