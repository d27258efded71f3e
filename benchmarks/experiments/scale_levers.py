"""Issue 11's remaining levers at one size, measured in one process.

On the scale suite's data (``sklearn_kd._bench_scale._data``: 3 classes,
20 columns) with its teacher (``RandomForestClassifier(100, n_jobs=2)``) and
student (depth-12 tree): the teacher's fit with and without out-of-bag
scoring, then ``DistilledClassifier`` with the default transfer set and with
smaller MUNGE sets (``size`` 1.0 and 0.5 of the training rows). Times share
one process and the machine, so they are indicative; accuracies are exact.

    python benchmarks/experiments/scale_levers.py [ROWS]
"""

import sys
import time

from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

from sklearn_kd import DistilledClassifier, MungeTransfer
from sklearn_kd._bench_scale import _data


def timed_fit(model, X, y):
    started = time.perf_counter()
    model.fit(X, y)
    return time.perf_counter() - started


def main(n_rows):
    X_train, X_test, y_train, y_test = _data(n_rows, 20)

    def teacher(**params):
        return RandomForestClassifier(100, n_jobs=2, random_state=0, **params)

    for oob in (False, True):
        print(
            f"teacher, oob_score={oob}: {timed_fit(teacher(oob_score=oob), X_train, y_train):.1f} s"
        )
    for transfer in (
        "auto",
        MungeTransfer(size=1.0, n_jobs=2),
        MungeTransfer(size=0.5, n_jobs=2),
    ):
        model = DistilledClassifier(
            teacher(),
            DecisionTreeClassifier(max_depth=12, random_state=0),
            transfer=transfer,
            n_jobs=2,
            random_state=0,
        )
        seconds = timed_fit(model, X_train, y_train)
        print(
            f"distilled, transfer={transfer}: {seconds:.1f} s, accuracy {model.score(X_test, y_test):.4f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
