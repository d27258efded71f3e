"""The package's search against the sixth screen's stored "weighted" choice:
the gains (points over the same tree on labels) of the distilled 64-leaf and
depth-8 trees on one set, seed 0, guard off, both teachers. Compare with the
rows of ``results/selection_weights.jsonl`` scored by the "weighted" rule.

Run from this folder: ``python search_reproduces_screen.py phoneme``.
"""

import sys

from common import DATA
from threadpoolctl import threadpool_limits

from sklearn_kd import DistilledClassifier
from sklearn_kd._bench import _split, load_datasets, students, teachers

X, y = load_datasets([DATA])[sys.argv[1]]
seed = 0
Xtr, Xte, ytr, yte = _split(X, y, seed, 10_000, 5_000)
with threadpool_limits(1):
    for t in ("rf500", "gbm300"):
        for s in ("tree_l64", "tree_d8"):
            base = students(seed)[s].fit(Xtr, ytr).score(Xte, yte)
            m = DistilledClassifier(
                teachers(seed, 2)[t],
                students(seed)[s],
                validation_fraction=None,
                random_state=seed,
                n_jobs=1,
            ).fit(Xtr, ytr)
            print(t, s, round(100 * (m.score(Xte, yte) - base), 3), flush=True)
