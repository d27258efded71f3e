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

BINS defaults to 255, SEEDS to "0".
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
    original = _student._Grower.grow

    def grow(self, params, max_leaves=None):
        edges = bin_edges(self.X, bins)
        raw = self.X
        self.X = as_codes(raw, edges)
        try:
            regressor = self.regressor_class(**params).fit(
                self.X,
                self.targets,
                sample_weight=self.sample_weight,
                **self.fit_params,
            )
        finally:
            self.X = raw
        codes_leaves = regressor.apply(as_codes(raw, edges))
        map_thresholds(regressor, edges)
        # the mapped tree sends every training row to the leaf the codes did
        assert np.array_equal(regressor.apply(raw), codes_leaves)
        if max_leaves is not None:
            _student.prune_to_leaves(regressor, max_leaves)
        if self.calibrated is None:
            return regressor, None
        values = _student.leaf_values(
            regressor, raw, self.calibrated, self.sample_weight
        )
        return regressor, values

    return original, grow


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
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 255,
            tuple(
                int(s) for s in (sys.argv[2] if len(sys.argv) > 2 else "0").split(",")
            ),
        )
