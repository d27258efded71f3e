"""One distillation fit, with the student fits side by side or one at a time.

The scale suite's 100,000 x 20 case (a 100-tree forest teacher, a depth-12
tree student, ``n_jobs=2``) fitted once with ``verbose=1``, so each stage's
time is printed, then the peak resident memory. ``seq`` forces the fits one
at a time, as before they ran side by side; compare the "Validated" and
"Fitted the student" lines of both runs, one after the other.

Usage::

    python benchmarks/experiments/side_by_side_ab.py 100000 spec
    python benchmarks/experiments/side_by_side_ab.py 100000 seq
"""

import resource
import sys
import time

from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

from sklearn_kd import DistilledClassifier
from sklearn_kd._base import BaseDistiller

n_rows, mode = int(sys.argv[1]), sys.argv[2]
if mode == "seq":
    BaseDistiller._side_by_side = lambda self, route: 1
X, y = make_classification(
    n_samples=n_rows, n_features=20, n_informative=10, n_classes=3, random_state=0
)
start = time.perf_counter()
DistilledClassifier(
    RandomForestClassifier(100, n_jobs=2, random_state=0),
    DecisionTreeClassifier(max_depth=12, random_state=0),
    random_state=0,
    verbose=1,
    n_jobs=2,
).fit(X, y)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"{mode}: {time.perf_counter() - start:.1f} s, peak {peak} MB")
