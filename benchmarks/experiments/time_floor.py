"""The least distillation can cost on the scale suite, guard or not.

Issue 11 asks that what ``DistilledClassifier`` adds to the teacher's own fit
(``RandomForestClassifier(100, n_jobs=2)``, a depth-12 tree student) stay under
1.0x the teacher's time at 10,000 rows and 0.5x at 100,000. Whatever the guard
and the search cost, three steps cannot be skipped without changing the rows
the student learns from: drawing the default transfer set
(``transfer="auto"``: MUNGE, 16 rows per training row, at most 200,000), labelling it
with the teacher, and growing the student once on the training and transfer
rows. This script times those three alone, with scikit-learn's own estimators
and no package machinery around them, beside the teacher's fit, in one
process, and prints each ratio to the teacher's time. Run from the
repository root:

    python benchmarks/experiments/time_floor.py [ROWS ...]
"""

import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeRegressor
from threadpoolctl import threadpool_limits

from sklearn_kd._bench_scale import _data
from sklearn_kd._transfer import resolve_transfer


def timed(step):
    started = time.perf_counter()
    result = step()
    return result, time.perf_counter() - started


def floor(n_rows, n_columns=20):
    X, _, y, _ = _data(n_rows, n_columns)
    teacher = RandomForestClassifier(100, n_jobs=2, random_state=0)
    _, teacher_s = timed(lambda: teacher.fit(X, y))
    # what transfer="auto" draws for a tree student (alpha is the default's)
    sampler = resolve_transfer("auto", "tree_regression", X, alpha=0.5)
    rows, draw_s = timed(
        lambda: sampler.generate(X, y, random_state=0).astype(np.float32)
    )
    targets, label_s = timed(lambda: teacher.predict_proba(rows))
    every_row = np.vstack([X.astype(np.float32), rows])
    every_target = np.vstack([np.eye(3)[y], targets])
    student = DecisionTreeRegressor(max_depth=12, random_state=0)
    _, grow_s = timed(lambda: student.fit(every_row, every_target))
    print(
        f"{n_rows:,} rows: teacher {teacher_s:.1f} s; draw {len(rows):,} rows "
        f"{draw_s:.1f} s, label them {label_s:.1f} s, grow the tree on "
        f"{len(every_row):,} rows {grow_s:.1f} s; "
        f"floor / teacher = {(draw_s + label_s + grow_s) / teacher_s:.2f}x"
    )


if __name__ == "__main__":
    with threadpool_limits(1):
        for n_rows in [int(a) for a in sys.argv[1:]] or [10_000, 100_000]:
            floor(n_rows)
