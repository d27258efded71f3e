"""Screen: size-limited tree students, grown larger then pruned to their budget.

Uses the teacher caches of ``common.teacher_cache`` (8 sets, seeds 0 and 1,
10,000 training rows, rf500 and gbm300; built on first use) and grows the package's recipe for a
capacity-limited tree (sharp targets, real rows weighted by the transfer
size, leaves relabelled with temperature-1 targets, candidates chosen by
fidelity to the teacher's decisions on the transfer rows). Variants add
candidates: the plain tree grown to ``k`` times its leaf budget and pruned
back by weakest-link pruning on its own impurity.

    cd benchmarks/experiments && python prune_screen.py OUT.jsonl [students]
"""

import json
import sys
import time

import numpy as np
from common import DATASETS, soften, teacher_cache
from joblib import Parallel, delayed
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from threadpoolctl import threadpool_limits

from sklearn_kd._pruning import prune_to_leaves
from sklearn_kd._tree_transplant import leaf_values

STUDENTS = {"l64": {"max_leaf_nodes": 64}, "d8": {"max_depth": 8}}


def grow(X, t, w, cal, params, pruned_from=None):
    budget = params.get("max_leaf_nodes")
    fit_params = dict(params)
    if pruned_from:
        fit_params["max_leaf_nodes"] = budget * pruned_from
    reg = DecisionTreeRegressor(**fit_params).fit(X, t, sample_weight=w)
    if pruned_from:
        prune_to_leaves(reg, budget)
    return reg, leaf_values(reg, X, cal, w)


def fidelity(cands, Xs, dec):
    return [np.count_nonzero(np.argmax(v[r.apply(Xs)], 1) == dec) for r, v in cands]


def run_one(name, seed, teacher, student, variants):
    c = teacher_cache(name, seed, 10_000, teacher, 16, 200_000)
    ytr, K = c["ytr"], c["n_classes"]
    p_train = c["p_oob"] if teacher == "rf500" else c["p_in"]
    onehot = np.eye(K)[ytr]
    X = np.vstack([c["Xtr"], c["Xpool"]]).astype(np.float32)
    n, m = len(ytr), len(c["Xpool"])
    sharp = np.vstack([0.5 * onehot + 0.5 * soften(p_train, 0), soften(c["p_pool"], 0)])
    cal = np.vstack([0.5 * onehot + 0.5 * soften(p_train, 1), soften(c["p_pool"], 1)])
    w = np.r_[np.full(n, m / n), np.ones(m)]
    Xs, dec = X[n:], np.argmax(c["p_pool"], 1)
    Xte = c["Xte"].astype(np.float32)
    params = dict(STUDENTS[student], random_state=seed)
    rng = np.random.RandomState(seed)
    seeds = rng.randint(np.iinfo(np.int32).max, size=16)
    out = []
    labels = DecisionTreeClassifier(**params).fit(c["Xtr"], ytr)
    base_acc = np.mean(labels.predict(c["Xte"]) == c["yte"])
    cache = {}

    def cand(key):
        if key not in cache:
            kind, i = key
            p = dict(params)
            if i is not None:
                p.update(random_state=int(seeds[i]), max_features=0.8)
            cache[key] = grow(X, sharp, w, cal, p, kind or None)
        return cache[key]

    for vname, keys in variants.items():
        t0 = time.perf_counter()
        if student != "l64":
            keys = [k for k in keys if k[0] == 0]
        todo = [k for k in keys if k not in cache]
        done = Parallel(n_jobs=2, prefer="threads")(delayed(cand)(k) for k in todo)
        for k, v in zip(todo, done):
            cache[k] = v
        cands = [cache[k] for k in keys]
        f = fidelity(cands, Xs, dec)
        reg, vals = cands[int(np.argmax(f))]
        acc = np.mean(np.argmax(vals[reg.apply(Xte)], 1) == c["yte"])
        out.append(
            dict(
                dataset=name,
                seed=seed,
                teacher=teacher,
                student=student,
                variant=vname,
                gain=100 * (acc - base_acc),
                acc=acc,
                labels=base_acc,
                teacher_acc=np.mean(np.argmax(c["p_test"], 1) == c["yte"]),
                leaves=int(reg.get_n_leaves()),
                chose=str(keys[int(np.argmax(f))]),
                s=time.perf_counter() - t0,
            )
        )
    return out


VARIANTS = {
    "base": [(0, None)] + [(0, i) for i in range(8)],
    "base16": [(0, None)] + [(0, i) for i in range(16)],
    "prune2": [(0, None)] + [(0, i) for i in range(8)] + [(2, None)],
    "prune4": [(0, None)] + [(0, i) for i in range(8)] + [(4, None)],
    "prune4all": [(0, None)]
    + [(0, i) for i in range(8)]
    + [(4, None)]
    + [(4, i) for i in range(8)],
}

if __name__ == "__main__":
    out_path = sys.argv[1]
    students = sys.argv[2].split(",") if len(sys.argv) > 2 else ["l64"]
    with threadpool_limits(1), open(out_path, "a") as fh:
        for student in students:
            for seed in (0, 1):
                for teacher in ("rf500", "gbm300"):
                    for name in DATASETS:
                        for row in run_one(name, seed, teacher, student, VARIANTS):
                            fh.write(json.dumps(row) + "\n")
                            fh.flush()
                            print(
                                row["dataset"],
                                row["teacher"],
                                row["seed"],
                                row["variant"],
                                f"{row['gain']:+.2f}",
                                row["leaves"],
                                row["chose"],
                                f"{row['s']:.1f}s",
                                flush=True,
                            )
