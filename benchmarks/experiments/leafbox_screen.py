"""Thirteenth screen: transfer rows drawn from the forest teacher's own
partition (leaf boxes) instead of MUNGE.

Each new row starts from a random training row and a random tree of the
500-tree forest teacher; every feature that the path to the row's leaf in
that tree bounds is drawn uniformly inside the leaf's box (clipped to the
training range, integer columns kept whole), and every other feature keeps
the row's value. The teacher's function is constant inside that tree's box,
so the rows probe where the other trees disagree. ``LeafBoxTransfer`` here
is a screen, not a package sampler: it needs a fitted forest.

Each student is fitted with the package's defaults (guard off) twice on the
issue protocol's splits: with the default transfer (16x MUNGE, categories
swapped) and with 16x leaf-box rows; the forest on labels in the same run.

    cd benchmarks/experiments
    python leafbox_screen.py run OUT.jsonl SEEDS
    python leafbox_screen.py summary OUT.jsonl
    python leafbox_screen.py distances satimage,letter,adult
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
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state

from sklearn_kd._bench import students

STUDENTS = ("tree_full", "tree_d12", "tree_d8", "tree_l64", "forest10")


def node_boxes(tree, n_features):
    """Lower and upper bounds of every node's box, shape (nodes, features);
    a parent's id is always below its children's."""
    lower = np.full((tree.node_count, n_features), -np.inf)
    upper = np.full((tree.node_count, n_features), np.inf)
    left, right = tree.children_left, tree.children_right
    for node in np.flatnonzero(left >= 0):
        feature, threshold = tree.feature[node], tree.threshold[node]
        for child in (left[node], right[node]):
            lower[child], upper[child] = lower[node], upper[node]
        upper[left[node], feature] = threshold
        lower[right[node], feature] = threshold
    return lower, upper


class LeafBoxTransfer(BaseEstimator):
    """New rows drawn inside the leaf boxes of ``forest``'s trees."""

    def __init__(self, forest=None, size=16.0, max_samples=200_000):
        self.forest, self.size, self.max_samples = forest, size, max_samples

    def generate(self, X, y=None, *, random_state=None, return_source=False):
        X = np.asarray(X, dtype=np.float64)
        rng = check_random_state(random_state)
        n_new = min(round(self.size * len(X)), self.max_samples)
        base = rng.randint(len(X), size=n_new)
        chosen = rng.randint(len(self.forest.estimators_), size=n_new)
        X_new = X[base]
        low_data, high_data = X.min(axis=0), X.max(axis=0)
        integer = np.all(np.mod(X, 1) == 0, axis=0)
        for index in np.unique(chosen):
            rows = np.flatnonzero(chosen == index)
            tree = self.forest.estimators_[index].tree_
            lower, upper = node_boxes(tree, X.shape[1])
            leaves = tree.apply(X_new[rows].astype(np.float32))
            bounded = np.isfinite(lower[leaves]) | np.isfinite(upper[leaves])
            low = np.maximum(lower[leaves], low_data)
            high = np.minimum(upper[leaves], high_data)
            draw = rng.uniform(low, high)
            # integer columns: a whole value inside the box (the row's own
            # value is one, so the range is never empty)
            whole_low, whole_high = np.ceil(low), np.floor(high)
            whole = whole_low + np.floor(
                rng.random_sample(draw.shape) * (whole_high - whole_low + 1)
            )
            draw = np.where(integer, np.minimum(whole, whole_high), draw)
            X_new[rows] = np.where(bounded, draw, X_new[rows])
        return (X_new, base) if return_source else X_new


def run(out, seeds):
    memory = Memory(tempfile.mkdtemp(prefix="leafbox_screen_"), verbose=0)
    for name, seed, split_rows, teacher, fitted in protocol_splits(
        DATA, "rf500", seeds, memory
    ):
        X_train, X_test, y_train, y_test = split_rows
        for student_name in STUDENTS:
            row = {"dataset": name, "seed": seed, "student": student_name}
            for variant in ("munge", "leafbox"):
                student = students(seed)[student_name]
                distiller = fit_unguarded(
                    teacher,
                    student,
                    memory,
                    seed,
                    X_train,
                    y_train,
                    **(
                        {"transfer": LeafBoxTransfer(fitted)}
                        if variant == "leafbox"
                        else {}
                    ),
                )
                row[variant] = float(np.mean(distiller.predict(X_test) == y_test))
            finish_row(row, students(seed)[student_name], fitted, split_rows, out)


def summary(log):
    rows = [json.loads(line) for line in Path(log).read_text().splitlines()]
    for student in STUDENTS:
        mine = [r for r in rows if r["student"] == student]
        print(
            f"{student}: median over sets of per-set median gain [worst], better, gap closed"
        )
        for variant in ("munge", "leafbox"):
            print(gain_line(variant, *variant_gains(mine, variant)))


def distances(names, seed=0, n_rows=2_000):
    """Median distance (standardised columns) from drawn rows, and from test
    rows, to the nearest training row, on ``names`` (comma-separated sets)."""
    from sklearn.neighbors import NearestNeighbors

    from sklearn_kd import MungeTransfer

    memory = Memory(tempfile.mkdtemp(prefix="leafbox_screen_"), verbose=0)
    for name, _, split_rows, _, fitted in protocol_splits(
        DATA, "rf500", [seed], memory, names.split(",")
    ):
        X_train, X_test = split_rows[0], split_rows[1]
        scale = np.where(X_train.std(axis=0) > 0, X_train.std(axis=0), 1.0)
        nearest = NearestNeighbors(n_neighbors=1).fit(X_train / scale)
        line = [name]
        for label, sampler in (
            ("MUNGE", MungeTransfer(size=16)),
            ("leaf boxes", LeafBoxTransfer(fitted)),
        ):
            X_new = sampler.generate(X_train, random_state=seed)
            rows = np.random.RandomState(seed).choice(len(X_new), n_rows, replace=False)
            gap = nearest.kneighbors(X_new[rows] / scale)[0]
            line.append(f"{label} {np.median(gap):.2f}")
        test_gap = nearest.kneighbors(X_test[:n_rows] / scale)[0]
        print(*line, f"test rows {np.median(test_gap):.2f}", sep=" | ")


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], [int(s) for s in sys.argv[3].split(",")])
    elif sys.argv[1] == "distances":
        distances(sys.argv[2])
    else:
        summary(sys.argv[2])
