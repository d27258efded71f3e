"""Tenth screen: judge the teacher against the student on labels on every
training row, not on the guard's held-out fifth only.

The guard falls back when the student on labels clearly beats the teacher's
honest (out-of-bag) decisions on the held-out rows (eighth screen). On
kr_vs_kp and nursery the 500-tree forest is worse than an unlimited tree on
labels, yet the fifth held out (about 480 and 1,900 rows) rarely shows it, and
the distilled students that imitate the teacher lose up to 0.68 points.
Out-of-bag decisions exist for every training row, and five-fold
out-of-fold predictions of the student on labels cost five fits of the
student on labels, which is cheap beside a fit on the transfer set: compared
on all rows, the paired test has five times the rows.

``run`` fits, on the issue protocol's splits (10,000 rows, 3 seeds), the
500-tree forest teacher with out-of-bag outputs and each student on labels
by stratified 5-fold cross-validation, and logs the labels' lead over the
teacher in standard errors (``sklearn_kd._validation.labels_lead``).
``summary`` joins it with the eighth screen's log of the package's guard
(``results/teacher_check_rf500.jsonl``: its held-out leads) and the benchmark
(``benchmarks/results/rf500/results.json``) and replays the guard with the
all-rows check in place of the held-out one. A fallback gives the ``labels``
row; a kept distillation the ``distilled`` row where the package kept it too,
else the ``unguarded`` one.

Usage, from the repository root::

    python benchmarks/experiments/cv_teacher_check.py run \\
        benchmarks/experiments/results/cv_teacher_check_rf500.jsonl
    python benchmarks/experiments/cv_teacher_check.py summary \\
        benchmarks/experiments/results/cv_teacher_check_rf500.jsonl \\
        benchmarks/experiments/results/teacher_check_rf500.jsonl \\
        benchmarks/results/rf500/results.json
    python benchmarks/experiments/cv_teacher_check.py thresholds \\
        benchmarks/experiments/results/cv_teacher_check_rf500.jsonl \\
        benchmarks/results/rf500/results.json
"""

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from common import DATA
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from threadpoolctl import threadpool_limits

from sklearn_kd import _bench
from sklearn_kd._validation import FALLBACK_Z, labels_lead

STUDENTS = ("tree_full", "tree_d12", "tree_d8", "tree_l64", "tree_d4", "forest10")


def run(out):
    done = set()
    if Path(out).exists():
        done = {
            (r["dataset"], r["seed"])
            for r in map(json.loads, Path(out).read_text().splitlines())
        }
    for name, (X, y) in _bench.load_datasets([DATA]).items():
        for seed in range(3):
            if (name, seed) in done:
                continue
            X_train, _, y_train, _ = _bench._split(X, y, seed, 10_000, 5_000)
            teacher = _bench.teachers(seed, 2)["rf500"].set_params(oob_score=True)
            with threadpool_limits(1):
                teacher.fit(X_train, y_train)
            oob = np.nan_to_num(teacher.oob_decision_function_)
            teacher_errors = (teacher.classes_[oob.argmax(axis=1)] != y_train) * 1.0
            folds = StratifiedKFold(5, shuffle=True, random_state=seed)
            for student_name in STUDENTS:
                student = clone(_bench.students(seed)[student_name])
                with threadpool_limits(1):
                    pred = cross_val_predict(student, X_train, y_train, cv=folds)
                losses = {"labels": (pred != y_train) * 1.0, "teacher": teacher_errors}
                row = {
                    "dataset": name,
                    "seed": seed,
                    "student": student_name,
                    "labels_cv": 1 - losses["labels"].mean(),
                    "teacher_oob": 1 - teacher_errors.mean(),
                    "lead": labels_lead(losses, None, rival="teacher"),
                }
                with open(out, "a") as f:
                    f.write(json.dumps(row) + "\n")
                print(row, flush=True)


def _accuracies(results):
    """The benchmark's test accuracies, by (set, seed, student) and method."""
    accuracy = defaultdict(dict)
    for row in json.loads(Path(results).read_text()):
        key = row["dataset"], row["seed"], row["student"]
        accuracy[key][row["method"]] = row["accuracy"]
    return accuracy


def _leads(log):
    """The labels' logged lead over the teacher, by (set, seed, student)."""
    return {
        (r["dataset"], r["seed"], r["student"]): r["lead"]
        for r in map(json.loads, Path(log).read_text().splitlines())
    }


def _table_row(student, rule, per_set, regrets, fallbacks):
    """A table row: the benchmark's per-set gain (median accuracy minus
    median labels, from ``per_set``'s (chosen, labels) pairs) over sets,
    the regrets and the fallbacks."""
    gains = [
        100 * (np.median([c for c, _ in v]) - np.median([lab for _, lab in v]))
        for v in per_set.values()
    ]
    return (
        f"| {student} | {rule} | {np.median(gains):+.2f} [{min(gains):+.2f}] "
        f"| {sum(g > 0 for g in gains)}/{len(gains)} | "
        f"{np.median(regrets):.2f} / {max(regrets):.2f} | "
        f"{fallbacks}/{len(regrets)} |"
    )


def summary(log, guard_log, results):
    accuracy = _accuracies(results)
    guard = {
        (g["dataset"], g["seed"], g["student"]): g
        for g in map(json.loads, Path(guard_log).read_text().splitlines())
    }
    leads = _leads(log)
    print(
        "| student | rule | gain median [worst set] | sets better | "
        "regret median / worst | fallbacks |"
    )
    print("|---|---|---|---:|---:|---:|")
    for student in STUDENTS:
        for rule in ("held-out check (the package)", "all-rows check"):
            per_set, regrets, fallbacks = defaultdict(list), [], 0
            for key, fit in guard.items():
                if key[2] != student or key not in leads:
                    continue
                acc, scores = accuracy[key], fit["scores"]
                if rule.startswith("held"):
                    keep, chosen = fit["kept_distillation"], acc["distilled"]
                else:
                    keep = not (
                        scores["labels_lead"] > FALLBACK_Z or leads[key] > FALLBACK_Z
                    )
                    kept_before = fit["kept_distillation"]
                    chosen = acc["distilled"] if kept_before else acc["unguarded"]
                if not keep:
                    chosen = acc["labels"]
                fallbacks += not keep
                per_set[key[0]].append((chosen, acc["labels"]))
                best = max(acc["labels"], acc["unguarded"])
                regrets.append(100 * abs(best - chosen))
            print(_table_row(student, rule, per_set, regrets, fallbacks))


def thresholds(log, results, cuts=(FALLBACK_Z, 1.0, 0.5, 0.0, -0.5)):
    """Replay the benchmark's rows (made with the all-rows check at
    ``FALLBACK_Z``) with the check falling back at lower leads: a fit whose
    logged lead exceeds the cut gives the ``labels`` row, any other the
    ``distilled`` row as the package chose it."""
    accuracy = _accuracies(results)
    leads = _leads(log)
    print(
        "| student | falls back at a lead over | gain median [worst set] | sets better "
        "| regret median / worst | fallbacks by this check |"
    )
    print("|---|---:|---|---:|---:|---:|")
    for student in STUDENTS:
        for cut in cuts:
            per_set, regrets, fallbacks = defaultdict(list), [], 0
            for key, lead in leads.items():
                if key[2] != student:
                    continue
                acc = accuracy[key]
                chosen = acc["labels"] if lead > cut else acc["distilled"]
                fallbacks += lead > cut
                per_set[key[0]].append((chosen, acc["labels"]))
                best = max(acc["labels"], acc["unguarded"])
                regrets.append(100 * (best - chosen))
            print(_table_row(student, f"{cut:.3g}", per_set, regrets, fallbacks))


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2])
    elif sys.argv[1] == "thresholds":
        thresholds(*sys.argv[2:4])
    else:
        summary(*sys.argv[2:5])
