"""Should the guard also fall back when the labels-only candidate beats the
teacher's own honest (out-of-bag) predictions on the held-out rows?

The guard's distilled candidate is scored on rows the teacher was fitted on,
so it looks better there than it is (on nursery it scores 0.999 to 1.000 on
held-out rows and loses on test). A bagging teacher's out-of-bag outputs on
those rows are honest, and the labels-only candidate is too: if the student on
labels clearly beats the teacher, imitating the teacher cannot be expected to
pay.

``run`` fits the package's default distiller (the issue protocol's splits,
teacher and students, ``n_jobs=2``) and logs its ``validation_scores_`` per
fit. ``summary`` joins them with the issue benchmark's ``labels`` and
``unguarded`` test accuracies (``benchmarks/results/TEACHER/results.json``)
and scores decision rules: the guard as it was (distilled candidate only), and
with the teacher check at several thresholds ``z``. A fallback gives the
``labels`` row, a kept distillation the ``unguarded`` one (the same fits).

Usage, from the repository root::

    python benchmarks/experiments/teacher_check.py run OUT.jsonl rf500 \\
        tree_full,tree_d12,tree_d8,tree_l64,tree_d4,forest10
    python benchmarks/experiments/teacher_check.py summary OUT.jsonl \\
        benchmarks/results/rf500/results.json
    # the regressor's guard: which fits the teacher check would change
    python benchmarks/experiments/teacher_check.py run OUT.jsonl rf500 \\
        tree_d12,tree_l64,forest10 regression
"""

import json
import sys
import tempfile
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
from common import DATA
from joblib import Memory
from threadpoolctl import threadpool_limits

from sklearn_kd import DistilledClassifier, DistilledRegressor, _bench
from sklearn_kd import _bench_regression as regression
from sklearn_kd._validation import FALLBACK_Z


def _task(name):
    """The data folder, split, teachers, students and distiller of a task."""
    if name == "regression":
        return (
            DATA / "regression",
            regression.split,
            regression.teachers,
            regression.students,
            DistilledRegressor,
        )
    return DATA, _bench._split, _bench.teachers, _bench.students, DistilledClassifier


def run(out, teacher_name, student_names, task="classification"):
    # one teacher fit per split, shared by its students
    memory = Memory(tempfile.mkdtemp(prefix="teacher_check_"), verbose=0)
    done = set()
    if Path(out).exists():
        done = {
            (r["dataset"], r["seed"], r["student"])
            for r in map(json.loads, Path(out).read_text().splitlines())
        }
    folder, split, teachers, students, distiller_class = _task(task)
    datasets = _bench.load_datasets([folder])
    if not datasets:
        sys.exit(f"no data sets in {folder}; set SKLEARN_KD_DATA")
    for name, (X, y) in datasets.items():
        for seed in range(3):
            X_train, _, y_train, _ = split(X, y, seed, 10_000, 5_000)
            for student_name in student_names:
                if (name, seed, student_name) in done:
                    continue
                distiller = distiller_class(
                    teachers(seed, 2)[teacher_name],
                    students(seed)[student_name],
                    random_state=seed,
                    n_jobs=2,
                    memory=memory,
                )
                with warnings.catch_warnings(), threadpool_limits(1):
                    warnings.simplefilter("ignore")
                    distiller.fit(X_train, y_train)
                scores = {
                    key: None if value is None else float(value)
                    for key, value in distiller.validation_scores_.items()
                }
                row = {
                    "dataset": name,
                    "seed": seed,
                    "teacher": teacher_name,
                    "student": student_name,
                    "kept_distillation": bool(distiller.distilled_),
                    "scores": scores,
                }
                with open(out, "a") as f:
                    f.write(json.dumps(row) + "\n")
                print(row, flush=True)


def summary(log, results):
    accuracy = defaultdict(dict)
    for row in json.loads(Path(results).read_text()):
        key = (row["dataset"], row["seed"], row["student"])
        accuracy[key][row["method"]] = row["accuracy"]
    fits = [json.loads(line) for line in Path(log).read_text().splitlines()]
    thresholds = (FALLBACK_Z, 1.0, 0.5, 0.0)
    rules = {"guard before": None, **{f"teacher z={z}": z for z in thresholds}}
    print(
        "| rule | student | gain median [worst set] | sets better | "
        "regret median / worst | fallbacks |"
    )
    print("|---|---|---|---:|---:|---:|")
    for student in sorted({f["student"] for f in fits}):
        for rule, z in rules.items():
            per_set, regrets, fallbacks = defaultdict(list), [], 0
            for fit in (f for f in fits if f["student"] == student):
                acc = accuracy[fit["dataset"], fit["seed"], student]
                scores = fit["scores"]
                keep = not scores["labels_lead"] > FALLBACK_Z
                if z is not None and scores["labels_lead_over_teacher"] is not None:
                    keep = keep and not scores["labels_lead_over_teacher"] > z
                chosen = acc["unguarded"] if keep else acc["labels"]
                fallbacks += not keep
                per_set[fit["dataset"]].append(100 * (chosen - acc["labels"]))
                regrets.append(100 * (max(acc["labels"], acc["unguarded"]) - chosen))
            gains = [np.median(g) for g in per_set.values()]
            print(
                f"| {rule} | {student} | {np.median(gains):+.2f} [{min(gains):+.2f}] | "
                f"{sum(g > 0 for g in gains)}/{len(gains)} | "
                f"{np.median(regrets):.2f} / {max(regrets):.2f} | "
                f"{fallbacks}/{len(regrets)} |"
            )


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], sys.argv[4].split(","), *sys.argv[5:])
    else:
        summary(sys.argv[2], sys.argv[3])
