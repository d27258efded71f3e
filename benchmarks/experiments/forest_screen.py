"""Twelfth screen: can a 10-tree forest student gain more from trees that see
different rows?

The package grows a forest student without bootstrap, every tree on all the
training rows and the same transfer rows, learning the teacher's decisions;
its trees differ only by their feature draws. This screen fits the package's
defaults (guard off) and variants that patch ``tree_plan`` for forests, on the
issue protocol's splits, and scores each on the test rows against the same
forest on labels:

- ``bootstrap``: the user's bootstrap kept (each tree a bootstrap sample of
  all rows, real and transfer);
- ``half``: bootstrap kept with ``max_samples=0.5``;
- ``soft``: no bootstrap, the teacher's probabilities (temperature 1) instead
  of its decisions.

It scores accuracy only; the benchmark run that confirmed ``soft`` also
measured its size, which ruled it out (FINDINGS, twelfth screen).
``SKLEARN_KD_DATA`` names the data folder when this checkout is not beside
``shared/``.

    cd benchmarks/experiments
    python forest_screen.py run OUT.jsonl TEACHER SEEDS
    python forest_screen.py summary OUT.jsonl
"""

import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from common import (
    DATA,
    finish_row,
    fit_unguarded,
    gain_line,
    protocol_splits,
    variant_gains,
)
from joblib import Memory

import sklearn_kd._student as student_module
from sklearn_kd._bench import students

PACKAGE_PLAN = student_module.tree_plan


def variant_plan(name):
    """``tree_plan`` with the forest's plan changed as ``name`` says."""

    def plan(student, temperature, data):
        package = PACKAGE_PLAN(student, temperature, data)
        if name == "package" or "n_estimators" not in student.get_params():
            return package
        if name == "soft":
            return package._replace(temperature=1.0)
        return package._replace(no_bootstrap=False)

    return plan


VARIANTS = {"package": {}, "bootstrap": {}, "half": {"max_samples": 0.5}, "soft": {}}


def run(out, teacher_name, seeds):
    memory = Memory(tempfile.mkdtemp(prefix="forest_screen_"), verbose=0)
    splits = protocol_splits(DATA, teacher_name, seeds, memory)
    for name, seed, split_rows, teacher, fitted in splits:
        X_train, X_test, y_train, y_test = split_rows
        row = {"dataset": name, "seed": seed, "teacher": teacher_name}
        for variant, params in VARIANTS.items():
            student_module.tree_plan = variant_plan(variant)
            distiller = fit_unguarded(
                teacher,
                students(seed)["forest10"].set_params(**params),
                memory,
                seed,
                X_train,
                y_train,
            )
            row[variant] = float(np.mean(distiller.predict(X_test) == y_test))
        student_module.tree_plan = PACKAGE_PLAN
        finish_row(row, students(seed)["forest10"], fitted, split_rows, out)


def summary(log):
    rows = [json.loads(line) for line in Path(log).read_text().splitlines()]
    for teacher in sorted({r["teacher"] for r in rows}):
        mine = [r for r in rows if r["teacher"] == teacher]
        print(
            f"{teacher}: median over sets of per-set median gain [worst], better, gap closed"
        )
        for variant in VARIANTS:
            print(gain_line(variant, *variant_gains(mine, variant)))


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], [int(s) for s in sys.argv[4].split(",")])
    else:
        summary(sys.argv[2])
