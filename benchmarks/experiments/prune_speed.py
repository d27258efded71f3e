"""Time ``prune_to_leaves`` on the largest trees the search prunes.

A 256-leaf student's pruned candidate is grown to 1,024 leaves; a 64-leaf
one's to 256. The trees are grown on 100,000 random rows of 10 columns with
5 one-hot targets.

    python benchmarks/experiments/prune_speed.py
"""

import time

import numpy as np
from sklearn.tree import DecisionTreeRegressor

from sklearn_kd._pruning import prune_to_leaves

rng = np.random.RandomState(0)
X = rng.rand(100_000, 10)
targets = np.eye(5)[rng.randint(5, size=len(X))]
for grown, budget in ((256, 64), (1024, 256)):
    tree = DecisionTreeRegressor(max_leaf_nodes=grown, random_state=0).fit(X, targets)
    started = time.perf_counter()
    prune_to_leaves(tree, budget)
    print(
        f"{grown} -> {budget} leaves: {time.perf_counter() - started:.3f} s, "
        f"{tree.get_n_leaves()} leaves kept"
    )
