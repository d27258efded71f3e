"""Eleventh screen: should a depth-12 tree learn the teacher's decisions or
its probabilities, and can fresh transfer rows tell which?

A tree with a depth limit learns the teacher's decisions (temperature 0,
training rows as heavy as their transfer rows); a tree without limits learns
its probabilities (temperature 1, leaves of ``sqrt(scale)`` rows). At depth 12
the earlier confirmation found the second recipe ahead by a median +0.9
points with the boosting teacher but losing on letter and nursery
(FINDINGS, "The algorithm to implement", rule 1). This screen fits both
recipes (``DistilledClassifier`` defaults, guard off; the second by patching
``tree_plan``) on the issue protocol's splits and scores each on the test rows
and on how often it agrees with the teacher's decisions on fresh transfer
rows that neither was grown on (the default sampler at 4x, another seed): the
plain share of agreeing rows, the share weighted by the teacher's margin (top
probability minus the runner-up), and the cross-entropy of the tree's
probabilities against the teacher's. A rule choosing between the recipes by
each can so be judged against each recipe alone and against the better of
the two in hindsight. Run it on a package without the choice (before
``ca4c6cd``; since then the distiller makes it itself, so its "decisions" row
would be the package's choice):
``git worktree add /tmp/before fa980b4`` and ``PYTHONPATH=/tmp/before``.

    cd benchmarks/experiments
    python recipe_screen.py run OUT.jsonl TEACHER SEEDS [STUDENT]
    python recipe_screen.py summary OUT.jsonl
"""

import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
from common import DATA, finish_row, fit_unguarded, gain_line, protocol_splits
from joblib import Memory
from threadpoolctl import threadpool_limits

import sklearn_kd._student as student_module
from sklearn_kd import MungeTransfer
from sklearn_kd._bench import students

PACKAGE_PLAN = student_module.tree_plan


def probabilities_plan(student, temperature, data):
    """The unlimited tree's recipe for every single tree."""
    plan = PACKAGE_PLAN(student, temperature, data)
    if "n_estimators" in student.get_params() or data.scale <= 1:
        return plan
    return student_module.TreePlan(1.0, 1.0, False, max(1.0, round(data.scale**0.5)))


def run(out, teacher_name, seeds, student_name="tree_d12"):
    memory = Memory(tempfile.mkdtemp(prefix="recipe_screen_"), verbose=0)
    splits = protocol_splits(DATA, teacher_name, seeds, memory)
    for name, seed, split_rows, teacher, fitted in splits:
        X_train, X_test, y_train, y_test = split_rows
        with threadpool_limits(1):
            fresh = MungeTransfer(size=4).generate(X_train, random_state=seed + 1)
            teacher_proba = fitted.predict_proba(fresh)
            decisions = fitted.classes_[teacher_proba.argmax(axis=1)]
            # how sure the teacher is of each fresh row: top minus runner-up
            ranked = np.sort(teacher_proba, axis=1)
            margin = ranked[:, -1] - ranked[:, -2]
            test_decisions = fitted.predict(X_test)
        row = {"dataset": name, "seed": seed, "teacher": teacher_name}
        for recipe, plan in (
            ("decisions", PACKAGE_PLAN),
            ("proba", probabilities_plan),
        ):
            student_module.tree_plan = plan
            distiller = fit_unguarded(
                teacher,
                students(seed)[student_name],
                memory,
                seed,
                X_train,
                y_train,
            )
            agrees = distiller.predict(fresh) == decisions
            proba = np.clip(distiller.predict_proba(fresh), 1e-12, 1)
            test_pred = distiller.predict(X_test)
            row[recipe] = {
                "test": float(np.mean(test_pred == y_test)),
                "test_agreement": float(np.mean(test_pred == test_decisions)),
                "fresh": float(np.mean(agrees)),
                "fresh_margin": float(np.average(agrees, weights=margin)),
                "fresh_cross_entropy": float(
                    -np.mean(np.sum(teacher_proba * np.log(proba), axis=1))
                ),
                "leaves": int(distiller.student_.get_n_leaves()),
            }
        student_module.tree_plan = PACKAGE_PLAN
        finish_row(row, students(seed)[student_name], fitted, split_rows, out)


def summary(log):
    rows = [json.loads(line) for line in Path(log).read_text().splitlines()]
    for teacher in sorted({r["teacher"] for r in rows}):
        per_set = defaultdict(lambda: defaultdict(list))
        for r in (r for r in rows if r["teacher"] == teacher):
            recipes = ("decisions", "proba")
            by_fresh = max(recipes, key=lambda k: r[k]["fresh"])
            by_margin = max(recipes, key=lambda k: r[k].get("fresh_margin", 0))
            by_entropy = min(recipes, key=lambda k: r[k].get("fresh_cross_entropy", 0))
            chosen = {
                "decisions (the package)": r["decisions"]["test"],
                "probabilities": r["proba"]["test"],
                "by fresh agreement": r[by_fresh]["test"],
                "by margin-weighted": r[by_margin]["test"],
                "by cross-entropy": r[by_entropy]["test"],
                "oracle": max(r["decisions"]["test"], r["proba"]["test"]),
            }
            for rule, accuracy in chosen.items():
                per_set[rule][r["dataset"]].append(100 * (accuracy - r["labels"]))
            per_set["teacher"][r["dataset"]].append(
                100 * (r["teacher_test"] - r["labels"])
            )
        gaps = {d: np.median(v) for d, v in per_set.pop("teacher").items()}
        print(
            f"{teacher}: median over sets of per-set median gain [worst], better, gap closed"
        )
        for rule, sets in per_set.items():
            gains = {d: np.median(v) for d, v in sets.items()}
            closed = [gains[d] / gaps[d] for d in gains if gaps[d] > 0.5]
            print(gain_line(rule, gains, closed))


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(
            sys.argv[2],
            sys.argv[3],
            [int(s) for s in sys.argv[4].split(",")],
            *sys.argv[5:],
        )
    else:
        summary(sys.argv[2])
