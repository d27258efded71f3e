"""Ninth screen: one temperature for a tree student's leaves, fitted on held-out rows.

For each development set (the benchmark's split, at most 10,000 training
rows), the package's defaults without the guard are fitted on 80% of the
training rows; the temperature at which that student's leaves have the least
log-loss on the other 20% is then applied to the same distiller fitted on all
training rows, and the test log-loss and accuracy are printed before and after
(one JSON line per set and student). From this folder:

    python temper_screen.py TEACHER SEED STUDENTS [SETS] >> results/temper_screen.jsonl

with TEACHER rf500 or gbm300 and STUDENTS among d8,d12,full,l64. The log of
seeds 0 and 1 (rf500) and seed 0 (gbm300) is ``results/temper_screen.jsonl``;
``python temper_screen.py summary results/temper_screen.jsonl`` summarises it,
and ``python temper_screen.py package TEACHER SEED STUDENTS SETS`` prints the
temperature the package itself fits (guard on) on the same splits.
"""

import json
import sys
import time

import numpy as np
from common import DATASETS, load, split
from scipy.optimize import minimize_scalar
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from sklearn_kd import DistilledClassifier

STUDENTS = {
    "d8": {"max_depth": 8},
    "d12": {"max_depth": 12},
    "full": {},
    "l64": {"max_leaf_nodes": 64},
}


def tempered(model, X, temperature):
    """The student's probabilities with each leaf at ``temperature``."""
    trees = getattr(model.student_, "estimators_", [model.student_])
    total = 0
    for tree in trees:
        proba = np.clip(tree.predict_proba(X), 1e-12, 1) ** (1 / temperature)
        total = total + proba / proba.sum(1, keepdims=True)
    return total / len(trees)


def fit_temperature(model, X, y):
    labels = np.arange(len(model.classes_))

    def loss(log_t):
        proba = np.clip(tempered(model, X, np.exp(log_t)), 1e-15, 1)
        return log_loss(y, proba, labels=labels)

    found = minimize_scalar(loss, bounds=(np.log(0.05), np.log(5)), method="bounded")
    return float(np.exp(found.x))


def make_teacher(name, seed):
    if name == "rf500":
        return RandomForestClassifier(500, n_jobs=2, random_state=seed)
    return HistGradientBoostingClassifier(
        max_iter=300, early_stopping=False, random_state=seed
    )


def main(teacher_name, seed, students, sets):
    for name in sets:
        X, y = load(name)
        X_train, X_test, y_train, y_test = split(X, y, seed, 10000)
        X_a, X_b, y_a, y_b = train_test_split(
            X_train, y_train, test_size=0.2, stratify=y_train, random_state=seed
        )
        for student_name in students:
            started = time.time()
            student = DecisionTreeClassifier(
                random_state=seed, **STUDENTS[student_name]
            )

            def distil(X_fit, y_fit, student=student):
                return DistilledClassifier(
                    make_teacher(teacher_name, seed),
                    student,
                    validation_fraction=None,
                    n_jobs=2,
                    random_state=seed,
                ).fit(X_fit, y_fit)

            temperature = fit_temperature(distil(X_a, y_a), X_b, y_b)
            full = distil(X_train, y_train)
            labels = np.unique(y_train)
            before = full.predict_proba(X_test)
            after = tempered(full, X_test, temperature)
            record = {
                "set": name,
                "seed": seed,
                "teacher": teacher_name,
                "student": student_name,
                "T": temperature,
                "ll0": log_loss(y_test, np.clip(before, 1e-15, 1), labels=labels),
                "ll1": log_loss(y_test, np.clip(after, 1e-15, 1), labels=labels),
                "acc0": float((before.argmax(1) == y_test).mean()),
                "acc1": float((after.argmax(1) == y_test).mean()),
                "s_": round(time.time() - started, 1),
            }
            print(json.dumps(record), flush=True)


def package(teacher_name, seed, students, sets):
    """The package's own temperature (guard on, defaults) and its test
    log-loss on the same splits, beside the screen's."""
    for name in sets:
        X, y = load(name)
        X_train, X_test, y_train, y_test = split(X, y, seed, 10000)
        for student_name in students:
            model = DistilledClassifier(
                make_teacher(teacher_name, seed),
                DecisionTreeClassifier(random_state=seed, **STUDENTS[student_name]),
                n_jobs=2,
                random_state=seed,
            ).fit(X_train, y_train)
            loss = log_loss(
                y_test, model.predict_proba(X_test), labels=np.unique(y_train)
            )
            print(
                f"{name} {teacher_name} {student_name} seed {seed}: package T "
                f"{model.calibration_temperature_}, test log-loss {loss:.4f}"
            )


def summary(path):
    """Per teacher and student: the median over rows of the relative change in
    test log-loss, its worst row, the fitted temperatures' range, and how
    many rows changed accuracy."""
    groups = {}
    for line in open(path):
        row = json.loads(line)
        groups.setdefault((row["teacher"], row["student"]), []).append(row)
    for (teacher, student), rows in sorted(groups.items()):
        change = [100 * (r["ll1"] / r["ll0"] - 1) for r in rows]
        temperatures = [r["T"] for r in rows]
        moved = sum(r["acc0"] != r["acc1"] for r in rows)
        print(
            f"{teacher} {student}: {len(rows)} fits, test log-loss "
            f"{np.median(change):+.1f}% median (worst {max(change):+.1f}%), "
            f"T {min(temperatures):.2f}-{max(temperatures):.2f}, "
            f"accuracy changed in {moved}"
        )


if __name__ == "__main__":
    if sys.argv[1] == "summary":
        summary(sys.argv[2])
        sys.exit()
    if sys.argv[1] == "package":
        with threadpool_limits(1):
            package(
                sys.argv[2],
                int(sys.argv[3]),
                sys.argv[4].split(","),
                sys.argv[5].split(","),
            )
        sys.exit()
    with threadpool_limits(1):
        main(
            sys.argv[1],
            int(sys.argv[2]),
            sys.argv[3].split(","),
            sys.argv[4].split(",") if len(sys.argv) > 4 else DATASETS,
        )
