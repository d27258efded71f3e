"""The clustered neighbour search of MUNGE against the exact one.

For the scale benchmark's data (``make_classification``, 20 columns), draws
two rows per training row as MUNGE does at that size and reports, for each
search: its time, the share of drawn rows that get their exact nearest
neighbour, and the median ratio of the distance to the neighbour found over
the distance to the nearest.

    python benchmarks/experiments/neighbour_search.py 100000
"""

import sys
import time

import numpy as np
from sklearn.datasets import make_classification
from threadpoolctl import threadpool_limits

from sklearn_kd import _transfer

n_rows = int(sys.argv[1])
X, _ = make_classification(n_rows, 20, n_informative=10, n_classes=3, random_state=0)
rows = np.random.RandomState(0).randint(n_rows, size=min(2 * n_rows, 200_000))
found = {}
with threadpool_limits(1):
    for name, threshold in (("exact", np.inf), ("clustered", 0)):
        _transfer.EXACT_NEIGHBOUR_ROWS = threshold
        started = time.perf_counter()
        found[name] = _transfer._nearest_other(X, rows, np.random.RandomState(0), 2)
        print(f"{name}: {time.perf_counter() - started:.1f} s", flush=True)
scaled = X / X.std(axis=0)
exact, clustered = found["exact"], found["clustered"]
ratio = np.linalg.norm(scaled[rows] - scaled[clustered], axis=1) / np.linalg.norm(
    scaled[rows] - scaled[exact], axis=1
)
print(f"same neighbour: {np.mean(exact == clustered):.3f}")
print(
    f"distance ratio: median {np.median(ratio):.3f}, 90th percentile "
    f"{np.percentile(ratio, 90):.3f}"
)
