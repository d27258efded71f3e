"""Screen: tree students grown on quantile codes, thresholds mapped back.

A lead for issue 11 (distillation's time). scikit-learn's tree sorts each
feature's values at every node; on 255 quantile codes per column instead of
the raw values the sort meets many ties and the split search few candidate
thresholds, so a depth-12 regression tree on 170,000 x 20 rows fits about
twice as fast. After the fit each threshold (between two codes) is replaced
by the bin edge it stands for, so the tree splits the training rows exactly
as it did on the codes and predicts on raw values as a plain tree.

This script monkeypatches the package's ``_Grower.grow`` to grow on codes and
compares, on the benchmark's seed-0 splits (``--max-train 10000``), the
distilled student's test accuracy and the distiller's fit time (teacher
cached with ``memory=``, guard off) with and without the codes, for the
students that do not search (unlimited, depth 12, 10-tree forest) and the
500-tree forest teacher. Run from this folder:

    python binned_growth.py [BINS] [SEEDS]

BINS defaults to 255, SEEDS to "0". ``python binned_growth.py synthetic``
times the depth-12 tree alone on the scale suite's continuous data instead.
"""

import sys
import tempfile
import time

import numpy as np
from common import DATASETS, load, split
from threadpoolctl import threadpool_limits

from sklearn_kd import DistilledClassifier, _student
from sklearn_kd._bench import students, teachers

STUDENTS = ("tree_full", "tree_d12", "forest10")


def bin_edges(X, bins):
    """Per column: midpoints between its distinct values when there are at
    most ``bins``, else its ``bins``-quantile midpoints."""
    edges = []
    for column in X.T:
        distinct = np.unique(column)
        if len(distinct) > bins:
            quantiles = np.linspace(0, 100, bins + 1)[1:-1]
            distinct = np.unique(np.percentile(column, quantiles, method="midpoint"))
            edges.append(distinct.astype(np.float64))
        else:
            edges.append((distinct[:-1].astype(np.float64) + distinct[1:]) / 2)
    return edges


def as_codes(X, edges):
    """Code of each value: how many of its column's edges lie below it."""
    codes = np.empty(X.shape, dtype=np.float32)
    for j, column_edges in enumerate(edges):
        codes[:, j] = np.searchsorted(column_edges, X[:, j].astype(np.float64))
    return codes


def map_thresholds(regressor, edges):
    """Replace each split on codes by the bin edge it stands for, in place."""
    trees = getattr(regressor, "estimators_", [regressor])
    for tree in trees:
        inner = np.flatnonzero(tree.tree_.feature >= 0)
        threshold = tree.tree_.threshold  # a view on the tree's nodes
        for node in inner:
            feature = tree.tree_.feature[node]
            threshold[node] = edges[feature][int(np.floor(threshold[node]))]


def binned_grow(bins):
    """The package's ``_Grower.grow``, and a version of it that grows on codes."""
    original = _student._Grower.grow

    def grow(self, params, max_leaves=None):
        edges = bin_edges(self.X, bins)
        codes = as_codes(self.X, edges)
        on_codes = _student._Grower(
            self.regressor_class,
            codes,
            self.targets,
            self.sample_weight,
            self.calibrated,
            self.fit_params,
        )
        regressor, values = original(on_codes, params, max_leaves)
        leaves = regressor.apply(codes)
        map_thresholds(regressor, edges)
        # the mapped tree sends every training row to the leaf the codes did
        assert np.array_equal(regressor.apply(self.X), leaves)
        return regressor, values

    return original, grow


def synthetic_timing():
    """A depth-12 regression tree with 3 outputs on the scale suite's
    170,000 x 20 rows (``make_classification``), raw and on codes."""
    from sklearn.datasets import make_classification
    from sklearn.tree import DecisionTreeRegressor

    X, y = make_classification(
        n_samples=170_000, n_features=20, n_informative=10, n_classes=3,
        random_state=0,
    )  # fmt: skip
    X = X.astype(np.float32)
    targets = np.eye(3)[y] * 0.8 + 0.2 / 3
    for bins in (None, 4095, 1023, 255):
        rows = X if bins is None else as_codes(X, bin_edges(X, bins))
        started = time.perf_counter()
        DecisionTreeRegressor(max_depth=12, random_state=0).fit(rows, targets)
        took = time.perf_counter() - started
        print(f"{'raw' if bins is None else f'{bins} codes'}: {took:.1f} s")


def main(bins=255, seeds=(0,)):
    original, binned = binned_grow(bins)
    print("dataset seed student variant accuracy fit_s", flush=True)
    for name in DATASETS:
        X, y = load(name)
        for seed in seeds:
            X_train, X_test, y_train, y_test = split(X, y, seed, 10_000)
            with tempfile.TemporaryDirectory() as cache:
                for student_name in STUDENTS:
                    for variant, grow in (("raw", original), (f"codes{bins}", binned)):
                        _student._Grower.grow = grow
                        model = DistilledClassifier(
                            teachers(seed, 2)["rf500"],
                            students(seed)[student_name],
                            validation_fraction=None,
                            memory=cache,
                            n_jobs=2,
                            random_state=seed,
                        )
                        started = time.perf_counter()
                        model.fit(X_train, y_train)
                        fit_s = time.perf_counter() - started
                        accuracy = model.score(X_test, y_test)
                        print(
                            f"{name} {seed} {student_name} {variant} "
                            f"{accuracy:.4f} {fit_s:.1f}",
                            flush=True,
                        )
            _student._Grower.grow = original


if __name__ == "__main__":
    with threadpool_limits(1):
        if sys.argv[1:2] == ["synthetic"]:
            synthetic_timing()
            sys.exit()
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 255,
            tuple(
                int(s) for s in (sys.argv[2] if len(sys.argv) > 2 else "0").split(",")
            ),
        )
