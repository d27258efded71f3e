"""Screen/confirm distillation variants on cached teachers.

python run_variants.py --max-train 3000 --seeds 0 1 --out results/screen.jsonl \
    [--datasets ...] [--teachers rf500 gbm300] [--students ...] [--variants ...]
Every (dataset, seed, teacher, student, variant) row is appended to --out as JSON;
rows already there are skipped, so a run can be resumed.
"""
import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.metrics import log_loss
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from threadpoolctl import threadpool_limits

import common

STUDENTS = {
    "unl": dict(),
    "d12": dict(max_depth=12),
    "d8": dict(max_depth=8),
    "L64": dict(max_leaf_nodes=64),
    "d4": dict(max_depth=4),
    "f10": "forest",
}

# T: temperature on teacher probabilities (0 = argmax one-hot); size: transfer rows
# per training row; w: weight of a real row (transfer rows weigh 1); src: teacher
# targets on training rows (auto = oob for rf500, in-sample for gbm300).
BASE = dict(T=1.0, size=16, alpha=0.5, w=1.0, src="auto", prune=False,
            msl="rows", per_tree=False, bootstrap=True, relabel=False,
            new=None, K=8, scheme="mf", sel="auto", wfun=None, rounds=3)
VARIANTS = {
    # third screen (fit_new): all grown on hard_w16_rl targets, relabelled as it
    "hard_w16_rl_new": dict(T=0.0, w=16.0, new="plain"),                 # = hard_w16_rl via fit_new (check)
    "hard_w16_rl_best8": dict(T=0.0, w=16.0, new="bestk", scheme="mf"),  # max_features=0.8, 8 seeds
    "hard_w16_rl_best8h": dict(T=0.0, w=16.0, new="bestk", scheme="half"),  # random half of transfer rows
    "hard_w16_rl_best8q": dict(T=0.0, w=16.0, new="bestk", scheme="mf", sel="quarter"),
    "hard_w16_rl_margin": dict(T=0.0, w=16.0, new="plain", wfun="margin"),
    "hard_w16_rl_margin2": dict(T=0.0, w=16.0, new="plain", wfun="margin2"),
    "hard_w16_rl_unsure": dict(T=0.0, w=16.0, new="plain", wfun="unsure"),
    "hard_w16_rl_fboost": dict(T=0.0, w=16.0, new="fboost", rounds=3),
    "hard_w16_rl_fboost_in": dict(T=0.0, w=16.0, new="fboost", rounds=3, sel="in"),
    "hard_w16_rl_best8_in": dict(T=0.0, w=16.0, new="bestk", scheme="mf", sel="in"),
    "pkg": {},
    "hard_rl": dict(T=0.0, relabel=True),
    "prune01": dict(prune="01"),
    "T0.5_prune01": dict(T=0.5, prune="01"),
    "hard_prune01": dict(T=0.0, prune="01"),
    "hard_prune01_rl": dict(T=0.0, prune="01", relabel=True),
    "hard_w16_prune01_rl": dict(T=0.0, w=16.0, prune="01", relabel=True),
    "hard_w4_rl": dict(T=0.0, w=4.0, relabel=True),
    "s0": dict(size=0),
    "s0_T0.5": dict(size=0, T=0.5),
    "s0_oof": dict(size=0, src="oof"),
    "s0_T0.5_oof": dict(size=0, T=0.5, src="oof"),
    "T0.5_sqrtscale": dict(T=0.5, msl="sqrt"),
    "T0.5_noscale": dict(T=0.5, msl="none"),
    "pt_nb_hard_sqrt": dict(per_tree=True, bootstrap=False, T=0.0, msl="sqrt"),
    "T0.5_w4_rl": dict(T=0.5, w=4.0, relabel=True),
    "T0.5_rl": dict(T=0.5, relabel=True),
    "T0.25_rl": dict(T=0.25, relabel=True),
    "hard_w16_rl": dict(T=0.0, w=16.0, relabel=True),
    "pt_nb_hard_rl": dict(per_tree=True, bootstrap=False, T=0.0, relabel=True),
    "pt_nb_T0.5_rl": dict(per_tree=True, bootstrap=False, T=0.5, relabel=True),                                   # the package's defaults today
    "T0.5": dict(T=0.5),
    "T0.25": dict(T=0.25),
    "hard": dict(T=0.0),
    "s4": dict(size=4),
    "s64": dict(size=64),
    "s4_T0.5": dict(size=4, T=0.5),
    "s64_T0.5": dict(size=64, T=0.5),
    "s64_hard": dict(size=64, T=0.0),
    "hard_a0": dict(T=0.0, alpha=0.0),
    "T0.5_w4": dict(T=0.5, w=4.0),
    "T0.5_w16": dict(T=0.5, w=16.0),
    "hard_w16": dict(T=0.0, w=16.0),
    "T0.5_in": dict(T=0.5, src="in"),
    "T0.5_oof": dict(T=0.5, src="oof"),
    "in": dict(src="in"),
    "oof": dict(src="oof"),
    "prune": dict(prune=True),
    "T0.5_prune": dict(T=0.5, prune=True),
    "hard_prune": dict(T=0.0, prune=True),
    "noscale": dict(msl="none"),
    "sqrtscale": dict(msl="sqrt"),
    "s64_sqrtscale": dict(size=64, msl="sqrt"),
    # forest
    "pt": dict(per_tree=True),
    "pt_nb": dict(per_tree=True, bootstrap=False),
    "pt_nb_T0.5": dict(per_tree=True, bootstrap=False, T=0.5),
    "pt_nb_hard": dict(per_tree=True, bootstrap=False, T=0.0),
    "pt_T0.5": dict(per_tree=True, T=0.5),
    "nb_T0.5": dict(bootstrap=False, T=0.5),
    "pt_nb_s4_T0.5": dict(per_tree=True, bootstrap=False, T=0.5, size=4),
    "pt_nb_T0.5_sqrt": dict(per_tree=True, bootstrap=False, T=0.5, msl="sqrt"),
}


def _ll(yte, proba):
    proba = np.clip(proba, 1e-15, 1)
    proba = proba / proba.sum(1, keepdims=True)
    return log_loss(yte, proba, labels=np.arange(proba.shape[1]))


def targets(c, teacher, v, n_rows=None):
    """(X, targets, weights, n_source) for the student, per the variant."""
    n = len(c["ytr"])
    K = c["n_classes"]
    src = v["src"]
    if src == "auto":
        src = "oob" if teacher == "rf500" else "in"
    p_train = c[f"p_{src}"]
    onehot = np.eye(K)[c["ytr"]]
    t_real = v["alpha"] * onehot + (1 - v["alpha"]) * common.soften(p_train, v["T"])
    m = int(min(v["size"] * n, len(c["p_pool"])))
    Xs = c["Xpool"][:m]
    t_syn = common.soften(c["p_pool"][:m], v["T"])
    X = np.vstack([c["Xtr"].astype(np.float32), Xs])
    T = np.vstack([t_real, t_syn])
    w = np.concatenate([np.full(n, v["w"]), np.ones(m)])
    return X, T, w, n


def msl_for(v, scale):
    if v["msl"] == "none":
        return 1
    if v["msl"] == "sqrt":
        return max(1, round(np.sqrt(scale)))
    return max(1, round(scale))


def fit_tree_variant(c, teacher, params, v, seed):
    X, T, w, n = targets(c, teacher, v)
    scale = len(X) / n
    msl = msl_for(v, scale)
    if v["prune"] == "01" and "max_leaf_nodes" in params:
        budget = params["max_leaf_nodes"]
        r = DecisionTreeRegressor(max_leaf_nodes=8 * budget, min_samples_leaf=msl,
                                  random_state=seed).fit(X, T, sample_weight=w)
        return prune01(r, X, T, w, budget)
    if v["prune"] and "max_leaf_nodes" in params:
        budget = params["max_leaf_nodes"]
        big = DecisionTreeRegressor(min_samples_leaf=msl, random_state=seed)
        path = big.cost_complexity_pruning_path(X, T, sample_weight=w)
        # leaves after pruning at each alpha: refit-free count from the path is
        # not given, so bisect on alphas with a fitted tree
        alphas = path.ccp_alphas
        lo, hi = 0, len(alphas) - 1
        best = None
        big.fit(X, T, sample_weight=w)
        # prune by hand: sklearn re-grows per ccp_alpha; instead use fit with
        # ccp_alpha chosen by bisection on leaf count (few refits)
        while lo <= hi:
            mid = (lo + hi) // 2
            r = DecisionTreeRegressor(min_samples_leaf=msl, random_state=seed,
                                      ccp_alpha=alphas[mid]).fit(X, T, sample_weight=w)
            if r.get_n_leaves() <= budget:
                best, hi = r, mid - 1
            else:
                lo = mid + 1
        return best
    r = DecisionTreeRegressor(**params, min_samples_leaf=msl, random_state=seed)
    return r.fit(X, T, sample_weight=w)


def prune01(r, X, T, w, budget):
    """Weakest-link (cost-complexity) pruning of a fitted regression tree to
    ``budget`` leaves, with the 0-1 loss against each row's target argmax
    (the teacher's decision on transfer rows) as the cost: leaves are spent
    where they change decisions, not where they only refine probabilities."""
    t = r.tree_
    n = t.node_count
    left, right = t.children_left, t.children_right
    K = T.shape[1]
    ref = np.argmax(T, axis=1)
    S = np.zeros((n, K))
    np.add.at(S, (r.apply(X), ref), w)
    parent = np.full(n, -1)
    for i in range(n):
        if left[i] != -1:
            parent[left[i]] = i
            parent[right[i]] = i
    # sklearn creates children after their parent: reverse id order is bottom-up
    for i in range(n - 1, -1, -1):
        if left[i] != -1:
            S[i] = S[left[i]] + S[right[i]]
    pred = np.argmax(t.value[:, :, 0], axis=1)
    R = S.sum(1) - S[np.arange(n), pred]            # error if node were a leaf
    Rsub = R.copy()
    nl = np.ones(n, dtype=int)
    for i in range(n - 1, -1, -1):
        if left[i] != -1:
            Rsub[i] = Rsub[left[i]] + Rsub[right[i]]
            nl[i] = nl[left[i]] + nl[right[i]]
    internal = left != -1
    alive = np.ones(n, bool)
    while nl[0] > budget:
        cand = np.flatnonzero(internal & alive)
        g = (R[cand] - Rsub[cand]) / (nl[cand] - 1)
        # ties: prune the smallest subtree first
        i = cand[np.lexsort((nl[cand], g))[0]]
        if nl[0] - (nl[i] - 1) < budget:
            # pruning i would overshoot: take the best-g node that lands closest
            ok = cand[nl[cand] - 1 <= nl[0] - budget]
            if len(ok) == 0:
                break
            gg = (R[ok] - Rsub[ok]) / (nl[ok] - 1)
            i = ok[np.argmin(gg)]
        dR, dn = R[i] - Rsub[i], nl[i] - 1
        stack = [left[i], right[i]]
        while stack:
            j = stack.pop()
            alive[j] = False
            if left[j] != -1:
                stack += [left[j], right[j]]
        internal[i] = False
        Rsub[i], nl[i] = R[i], 1
        left[i] = -1
        right[i] = -1
        a = parent[i]
        while a != -1:
            Rsub[a] += dR
            nl[a] -= dn
            a = parent[a]
    r._n_leaves_pruned = int(nl[0])
    return r


def fit_forest_variant(c, teacher, v, seed):
    X, T, w, n = targets(c, teacher, v)
    scale = len(X) / n
    msl = msl_for(v, scale)
    if not v["per_tree"]:
        r = RandomForestRegressor(n_estimators=10, max_features="sqrt",
                                  bootstrap=v["bootstrap"], min_samples_leaf=msl,
                                  random_state=seed, n_jobs=1)
        return r.fit(X, T, sample_weight=w)
    # each tree: the real rows (bootstrap or not) + its own draw of transfer rows
    rng = np.random.RandomState(seed)
    m = int(min(v["size"] * n, len(c["p_pool"])))
    pool_n = len(c["p_pool"])
    trees = []
    for i in range(10):
        real = rng.randint(n, size=n) if v["bootstrap"] else np.arange(n)
        syn = n + rng.choice(pool_n, size=m, replace=False) if m < pool_n else n + np.arange(pool_n)
        idx = np.concatenate([real, syn])
        # targets for the whole pool are needed: build lazily
        trees.append(idx)
    Xall, Tall, wall = _full_pool(c, teacher, v)
    out = []
    for i, idx in enumerate(trees):
        r = DecisionTreeRegressor(max_features="sqrt", min_samples_leaf=msl,
                                  random_state=seed * 100 + i)
        out.append(r.fit(Xall[idx], Tall[idx], sample_weight=wall[idx]))
    return out


def _full_pool(c, teacher, v, size=1e9):
    vv = dict(v, size=size)
    X, T, w, n = targets(c, teacher, vv)
    return X, T, w


def relabel(c, teacher, v, model):
    """Keep the structure grown on sharp targets; set each leaf to the mean
    temperature-1 target (alpha-mixed on real rows) of the rows in it."""
    X, T1, w = _full_pool(c, teacher, dict(v, T=1.0), size=v["size"])
    for tree in (model if isinstance(model, list) else [model]):
        leaf = tree.apply(X)
        val = tree.tree_.value
        sums = np.zeros((tree.tree_.node_count, T1.shape[1]))
        np.add.at(sums, leaf, T1 * w[:, None])
        tot = np.bincount(leaf, weights=w, minlength=tree.tree_.node_count)
        ok = tot > 0
        val[ok, :, 0] = sums[ok] / tot[ok, None]
    return model


def _margin(p):
    ps = np.sort(p, axis=1)
    return (ps[:, -1] - ps[:, -2]).astype(np.float64)


def _relabel_tree(tree, X, T1, w):
    leaf = tree.apply(X)
    val = tree.tree_.value
    sums = np.zeros((tree.tree_.node_count, T1.shape[1]))
    np.add.at(sums, leaf, T1 * w[:, None])
    tot = np.bincount(leaf, weights=w, minlength=tree.tree_.node_count)
    ok = tot > 0
    val[ok, :, 0] = sums[ok] / tot[ok, None]
    return tree


def fit_new(c, teacher, params, v, seed):
    """Third screen. Growing targets as hard_w16_rl (real rows alpha*onehot(y) +
    (1-alpha)*sharp(p_train), transfer rows sharp(p_syn)); every tree is relabelled
    as hard_w16_rl (T=1 targets of the real rows + the first S*n pool rows, real
    rows weighted w, transfer rows 1).

    new="plain": one tree, transfer rows optionally weighted by wfun of the teacher
      margin (top1 - top2): margin, margin2 (= margin**2), unsure (1 - margin,
      floor 0.05); real rows then weigh (w/S) * sum(transfer weights) / n, so real
      and transfer rows keep equal totals as in hard_w16_rl.
    new="bestk": candidate 0 = the plain tree; candidates 1..K: scheme "mf"
      (max_features=0.8, random_state=seed*100+i) or "half" (all real rows, weight
      halved, + a random half of the growing transfer rows). Select by agreement
      of the (relabelled) candidate's argmax with the teacher's argmax on selection
      rows not grown on: sel "auto" = pool rows S*n..2*S*n when the pool has them
      (3,000 rows), else grow on the first 3/4 of the S*n rows and select on the
      last quarter (sel "quarter" forces this); sel "in": grow on all S*n rows and
      select on them (in-sample fidelity, unweighted; no rows held out).
    new="fboost": candidate 0 = plain tree; then `rounds` times: double the weight
      of growing transfer rows where the current (relabelled) tree's argmax differs
      from the teacher's, regrow; select among the rounds by fidelity as bestk.
    """
    n = len(c["ytr"])
    K = c["n_classes"]
    P = len(c["p_pool"])
    S = v["size"]
    m = int(min(S * n, P))
    src = v["src"]
    if src == "auto":
        src = "oob" if teacher == "rf500" else "in"
    p_train = c[f"p_{src}"]
    onehot = np.eye(K)[c["ytr"]]
    Xtr = c["Xtr"].astype(np.float32)
    # relabelling rows/targets/weights (exactly hard_w16_rl's)
    Xr = np.vstack([Xtr, c["Xpool"][:m]])
    T1 = np.vstack([v["alpha"] * onehot + (1 - v["alpha"]) * common.soften(p_train, 1.0),
                    common.soften(c["p_pool"][:m], 1.0)])
    wr = np.concatenate([np.full(n, v["w"]), np.ones(m)])
    select = v["new"] in ("bestk", "fboost")
    g_hi, s_lo, s_hi = m, None, None
    if select:
        if v["sel"] == "in":       # select on the growing transfer rows themselves
            s_lo, s_hi = 0, m
        elif v["sel"] != "quarter" and P >= 2 * m:
            s_lo, s_hi = m, 2 * m
        else:
            g_hi = int(0.75 * m)
            s_lo, s_hi = g_hi, m
    Xg = np.vstack([Xtr, c["Xpool"][:g_hi]])
    Tg = np.vstack([v["alpha"] * onehot + (1 - v["alpha"]) * common.soften(p_train, 0.0),
                    common.soften(c["p_pool"][:g_hi], 0.0)])
    ws = np.ones(g_hi)
    if v["wfun"]:
        mg = _margin(c["p_pool"][:g_hi])
        ws = {"margin": mg, "margin2": mg ** 2,
              "unsure": np.maximum(1 - mg, 0.05)}[v["wfun"]]
        ws = np.maximum(ws, 1e-3)
    w_real = (v["w"] / S) * ws.sum() / n
    wg = np.concatenate([np.full(n, w_real), ws])
    msl = msl_for(v, (n + m) / n)

    def grow(X, T, w, **kw):
        r = DecisionTreeRegressor(**params, min_samples_leaf=msl, **kw)
        return _relabel_tree(r.fit(X, T, sample_weight=w), Xr, T1, wr)

    cands = [grow(Xg, Tg, wg, random_state=seed)]
    info = {}
    if not select:
        return cands[0], info
    Xs = c["Xpool"][s_lo:s_hi]
    ys = np.argmax(c["p_pool"][s_lo:s_hi], axis=1)
    fid = lambda t: float(np.mean(np.argmax(t.predict(Xs), 1) == ys))
    if v["new"] == "bestk":
        rng = np.random.RandomState(seed)
        for i in range(1, v["K"] + 1):
            if v["scheme"] == "mf":
                cands.append(grow(Xg, Tg, wg, max_features=0.8, random_state=seed * 100 + i))
            else:
                half = n + np.sort(rng.choice(g_hi, g_hi // 2, replace=False))
                idx = np.concatenate([np.arange(n), half])
                wh = wg[idx].copy()
                wh[:n] *= 0.5
                cands.append(grow(Xg[idx], Tg[idx], wh, random_state=seed))
    else:  # fboost
        ysyn = np.argmax(Tg[n:], axis=1)
        w = wg.copy()
        for _ in range(v["rounds"]):
            wrong = np.argmax(cands[-1].predict(Xg[n:]), 1) != ysyn
            w[n:][wrong] *= 2.0
            cands.append(grow(Xg, Tg, w, random_state=seed))
    f = [fid(t) for t in cands]
    b = int(np.argmax(f))          # ties -> lowest index (the plain tree first)
    info = dict(chosen=b, fid0=f[0], fid_best=f[b], n_sel=int(s_hi - s_lo))
    return cands[b], info


def predict(model, X):
    if isinstance(model, list):
        return np.mean([m.predict(X) for m in model], axis=0)
    return model.predict(X)


def baselines(c, student, seed):
    params = STUDENTS[student]
    out = {}
    t0 = time.perf_counter()
    if params == "forest":
        m = RandomForestClassifier(n_estimators=10, random_state=seed, n_jobs=1)
    else:
        m = DecisionTreeClassifier(**params, random_state=seed)
    m.fit(c["Xtr"], c["ytr"])
    out["labels"] = (m.predict_proba(c["Xte"]), time.perf_counter() - t0,
                     _leaves(m))
    return out


def _leaves(m):
    if hasattr(m, "_n_leaves_pruned"):
        return m._n_leaves_pruned
    if hasattr(m, "estimators_"):
        return int(sum(e.get_n_leaves() for e in m.estimators_))
    if isinstance(m, list):
        return int(sum(e.get_n_leaves() for e in m))
    return int(m.get_n_leaves())


def extra_baselines(c, student, seed):
    """naive peer (regression tree on in-sample probabilities) and HS."""
    params = STUDENTS[student]
    out = {}
    if params == "forest":
        t0 = time.perf_counter()
        r = RandomForestRegressor(n_estimators=10, max_features="sqrt",
                                  random_state=seed, n_jobs=1).fit(c["Xtr"], c["p_in"])
        out["naive"] = (predict(r, c["Xte"]), time.perf_counter() - t0, _leaves(r))
        return out
    t0 = time.perf_counter()
    r = DecisionTreeRegressor(**params, random_state=seed).fit(c["Xtr"], c["p_in"])
    out["naive"] = (r.predict(c["Xte"]), time.perf_counter() - t0, _leaves(r))
    from imodels import HSTreeClassifierCV
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hs = HSTreeClassifierCV(estimator_=DecisionTreeClassifier(**params, random_state=seed))
        hs.fit(c["Xtr"], c["ytr"])
        p = hs.predict_proba(c["Xte"])
    out["hs"] = (p, time.perf_counter() - t0, None)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-train", type=int, default=3000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--datasets", nargs="+", default=common.DATASETS)
    ap.add_argument("--teachers", nargs="+", default=["rf500", "gbm300"])
    ap.add_argument("--students", nargs="+", default=list(STUDENTS))
    ap.add_argument("--variants", nargs="+", default=["pkg"])
    ap.add_argument("--forest-variants", nargs="+", default=None)
    ap.add_argument("--pool", type=float, default=64)
    ap.add_argument("--pool-cap", type=int, default=200_000)
    ap.add_argument("--oof", action="store_true")
    ap.add_argument("--no-extra", action="store_true")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    done = set()
    if out.exists():
        for line in out.read_text().splitlines():
            r = json.loads(line)
            done.add((r["dataset"], r["seed"], r["teacher"], r["student"], r["variant"]))
    started = time.perf_counter()
    with threadpool_limits(1):
        for name in a.datasets:
            for seed in a.seeds:
                for teacher in a.teachers:
                    c = common.teacher_cache(name, seed, a.max_train, teacher, a.pool,
                                             a.pool_cap, oof=a.oof and teacher == "gbm300")
                    yte = c["yte"]
                    key0 = (name, seed, teacher)
                    rows = []

                    def emit(student, variant, proba, fit_s, leaves, T=None, extra=None):
                        acc = float(np.mean(np.argmax(proba, 1) == yte))
                        ll_raw = _ll(yte, proba)
                        ll_pkg = ll_raw
                        if T not in (None, 0, 0.0, 1, 1.0):
                            ll_pkg = _ll(yte, common.soften(np.clip(proba, 0, None) + 0, 1 / T))
                        rows.append(dict(dataset=name, seed=seed, teacher=teacher,
                                         student=student, variant=variant, acc=acc,
                                         ll=ll_raw, ll_pkg=ll_pkg, fit_s=fit_s,
                                         leaves=leaves, n_train=len(c["ytr"]),
                                         teacher_fit_s=c["teacher_fit_s"],
                                         label_pool_s=c["label_pool_s"],
                                         pool_rows=len(c["p_pool"])))
                        if extra:
                            rows[-1].update(extra)

                    if (*key0, "teacher", "teacher") not in done:
                        emit("teacher", "teacher", c["p_test"], c["teacher_fit_s"], None)
                    for student in a.students:
                        is_forest = STUDENTS[student] == "forest"
                        if (*key0, student, "labels") not in done:
                            for k, (p, s, l) in baselines(c, student, seed).items():
                                emit(student, k, p, s, l)
                        if not a.no_extra and (*key0, student, "naive") not in done:
                            for k, (p, s, l) in extra_baselines(c, student, seed).items():
                                emit(student, k, p, s, l)
                        vlist = a.forest_variants if (is_forest and a.forest_variants) else a.variants
                        for vname in vlist:
                            if (*key0, student, vname) in done:
                                continue
                            v = dict(common_base := BASE, **VARIANTS[vname])
                            if v["src"] == "oof" and "p_oof" not in c:
                                continue
                            if v["src"] == "oob" and "p_oob" not in c:
                                continue
                            if v["prune"] and (is_forest or "max_leaf_nodes" not in STUDENTS[student]):
                                continue
                            if (v["per_tree"] or not v["bootstrap"]) and not is_forest:
                                continue
                            if v["new"] and is_forest:
                                continue
                            t0 = time.perf_counter()
                            info = None
                            if v["new"]:
                                model, info = fit_new(c, teacher, STUDENTS[student], v, seed)
                            elif is_forest:
                                model = fit_forest_variant(c, teacher, v, seed)
                            else:
                                model = fit_tree_variant(c, teacher, STUDENTS[student], v, seed)
                            if v["relabel"]:
                                model = relabel(c, teacher, v, model)
                            fs = time.perf_counter() - t0
                            emit(student, vname, predict(model, c["Xte"]), fs,
                                 _leaves(model) if not hasattr(model, "estimators_") else _leaves(model),
                                 T=v["T"], extra=info)
                    with out.open("a") as f:
                        for r in rows:
                            f.write(json.dumps(r) + "\n")
                    print(f"[{time.perf_counter() - started:7.0f}s] {name} {seed} {teacher}",
                          flush=True)


if __name__ == "__main__":
    main()
