"""Where one default distillation's time goes, on the scale suite's data.

Fits the scale suite's teacher (``RandomForestClassifier(100, n_jobs=2)``)
alone, then ``DistilledClassifier`` with ``verbose=1`` around the same teacher
and a depth-12 tree (``n_jobs=2``), and prints the stage times and the test
accuracy. To compare two versions of the package, run it alternately in fresh
processes with each checkout first on ``PYTHONPATH``:

    PYTHONPATH=CHECKOUT python benchmarks/experiments/stage_times.py [ROWS] [COLS]
"""

import sys
import time

from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

from sklearn_kd import DistilledClassifier
from sklearn_kd._bench_scale import _data


def main(n_rows=10_000, n_columns=20):
    X_train, X_test, y_train, y_test = _data(n_rows, n_columns)
    started = time.perf_counter()
    RandomForestClassifier(100, n_jobs=2, random_state=0).fit(X_train, y_train)
    print(f"teacher alone: {time.perf_counter() - started:.1f} s")
    model = DistilledClassifier(
        RandomForestClassifier(100, n_jobs=2, random_state=0),
        DecisionTreeClassifier(max_depth=12, random_state=0),
        n_jobs=2,
        verbose=1,
        random_state=0,
    )
    started = time.perf_counter()
    model.fit(X_train, y_train)
    print(f"distillation: {time.perf_counter() - started:.1f} s")
    print(f"accuracy: {model.score(X_test, y_test):.4f}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
