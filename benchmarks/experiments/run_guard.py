"""Guards: choose between the labels-only and the distilled student from training data.

python run_guard.py --max-train 10000 --seeds 0 1 2 --spec unl=T0.5_rl d8=hard_rl ... \
    --out results/guard.jsonl
For each split and student it records the test accuracy of both candidates fitted
on all training rows and the choice each guard makes; regret = |test acc of the
choice - the better candidate's|.
Guards (all fit candidates on a part of the training rows; transfer rows are those
whose MUNGE base row lies in that part; the teacher is the one fitted on all rows,
as in the package):
- hold20: stratified 80/20 split, keep distilled if its held-out acc >= labels'.
- hold20_mcn: same split, keep distilled unless labels win clearly on the rows where
  the two disagree: (n_lab - n_dis) > 1.645 * sqrt(n_lab + n_dis) (one-sided McNemar).
- cv3: 3-fold, total correct, keep distilled if >= labels'.
- cv3_mcn: 3-fold, McNemar rule on pooled disagreements.
- always: always distilled.
"""
import argparse
import json
import time

import numpy as np
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier
from threadpoolctl import threadpool_limits

import common
import run_variants as rv


def sub_cache(c, idx):
    mask = np.zeros(len(c["ytr"]), bool)
    mask[idx] = True
    keep = mask[c["base"]]
    s = dict(c)
    s["Xtr"], s["ytr"] = c["Xtr"][idx], c["ytr"][idx]
    for k in ("p_in", "p_oob", "p_oof"):
        if k in c:
            s[k] = c[k][idx]
    s["Xpool"], s["p_pool"] = c["Xpool"][keep], c["p_pool"][keep]
    return s


def fit_predict(c, teacher, student, vname, seed, X):
    """(labels proba, distilled proba) on X for cache c."""
    params = rv.STUDENTS[student]
    if params == "forest":
        lab = RandomForestClassifier(n_estimators=10, random_state=seed, n_jobs=1)
    else:
        lab = DecisionTreeClassifier(**params, random_state=seed)
    lab.fit(c["Xtr"], c["ytr"])
    pl = np.zeros((len(X), c["n_classes"]))
    pl[:, lab.classes_] = lab.predict_proba(X)
    v = dict(rv.BASE, **rv.VARIANTS[vname])
    if params == "forest":
        m = rv.fit_forest_variant(c, teacher, v, seed)
    else:
        m = rv.fit_tree_variant(c, teacher, params, v, seed)
    if v["relabel"]:
        m = rv.relabel(c, teacher, v, m)
    return pl, rv.predict(m, X)


def mcnemar_keep(yl, yd, y, z=1.645):
    n_lab = int(np.sum((yl == y) & (yd != y)))
    n_dis = int(np.sum((yd == y) & (yl != y)))
    return not (n_lab - n_dis > z * np.sqrt(max(n_lab + n_dis, 1)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-train", type=int, default=10000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--datasets", nargs="+", default=common.DATASETS)
    ap.add_argument("--teachers", nargs="+", default=["rf500", "gbm300"])
    ap.add_argument("--spec", nargs="+", required=True, help="student=variant")
    ap.add_argument("--pool", type=float, default=20)
    ap.add_argument("--pool-cap", type=int, default=200_000)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    spec = dict(s.split("=") for s in a.spec)
    t_start = time.perf_counter()
    with threadpool_limits(1):
        for name in a.datasets:
            for seed in a.seeds:
                for teacher in a.teachers:
                    c = common.teacher_cache(name, seed, a.max_train, teacher, a.pool,
                                             a.pool_cap)
                    y = c["ytr"]
                    rows = []
                    for student, vname in spec.items():
                        t0 = time.perf_counter()
                        pl, pd_ = fit_predict(c, teacher, student, vname, seed, c["Xte"])
                        full_s = time.perf_counter() - t0
                        acc_l = float(np.mean(pl.argmax(1) == c["yte"]))
                        acc_d = float(np.mean(pd_.argmax(1) == c["yte"]))
                        choice = {"always": True}
                        t0 = time.perf_counter()
                        fit, held = train_test_split(np.arange(len(y)), test_size=0.2,
                                                     stratify=y, random_state=seed)
                        s = sub_cache(c, fit)
                        ql, qd = fit_predict(s, teacher, student, vname, seed, c["Xtr"][held])
                        yl, yd = ql.argmax(1), qd.argmax(1)
                        choice["hold20"] = bool(np.sum(yd == y[held]) >= np.sum(yl == y[held]))
                        choice["hold20_mcn"] = mcnemar_keep(yl, yd, y[held])
                        hold_s = time.perf_counter() - t0
                        t0 = time.perf_counter()
                        YL, YD, YY = [], [], []
                        for tr, te in StratifiedKFold(3, shuffle=True, random_state=seed).split(c["Xtr"], y):
                            s = sub_cache(c, tr)
                            ql, qd = fit_predict(s, teacher, student, vname, seed, c["Xtr"][te])
                            YL.append(ql.argmax(1)); YD.append(qd.argmax(1)); YY.append(y[te])
                        YL, YD, YY = map(np.concatenate, (YL, YD, YY))
                        choice["cv3"] = bool(np.sum(YD == YY) >= np.sum(YL == YY))
                        choice["cv3_mcn"] = mcnemar_keep(YL, YD, YY)
                        cv_s = time.perf_counter() - t0
                        best = max(acc_l, acc_d)
                        for g, keep in choice.items():
                            chosen = acc_d if keep else acc_l
                            rows.append(dict(dataset=name, seed=seed, teacher=teacher,
                                             student=student, variant=vname, guard=g,
                                             distilled=keep, acc_l=acc_l, acc_d=acc_d,
                                             regret=100 * abs(best - chosen),
                                             loss_vs_labels=100 * (chosen - acc_l),
                                             full_s=full_s, hold_s=hold_s, cv_s=cv_s,
                                             teacher_fit_s=c["teacher_fit_s"]))
                    with open(a.out, "a") as f:
                        for r in rows:
                            f.write(json.dumps(r) + "\n")
                    print(f"[{time.perf_counter() - t_start:6.0f}s] {name} {seed} {teacher}", flush=True)


if __name__ == "__main__":
    main()
