"""Time of a 64-leaf distillation on the deployment benchmark's data, with and
without the lighter candidates, one process, the teacher fitted once."""

import time

from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from sklearn_kd import DistilledClassifier, _student

X, y = make_classification(
    n_samples=20000, n_features=20, n_informative=10, random_state=0
)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
with threadpool_limits(1):
    t = time.perf_counter()
    teacher = RandomForestClassifier(500, n_jobs=2, random_state=0).fit(Xtr, ytr)
    print("teacher", round(time.perf_counter() - t, 1))
    original = _student.lighter_real_weights
    for name, weights in (
        ("without lighter", lambda s: []),
        ("with lighter", original),
    ):
        _student.lighter_real_weights = weights
        t = time.perf_counter()
        m = DistilledClassifier(
            FrozenEstimator(teacher),
            DecisionTreeClassifier(max_leaf_nodes=64, random_state=0),
            validation_fraction=None,
            random_state=0,
            n_jobs=2,
        ).fit(Xtr, ytr)
        print(
            name,
            round(time.perf_counter() - t, 1),
            "s",
            round(m.score(Xte, yte), 4),
            flush=True,
        )
