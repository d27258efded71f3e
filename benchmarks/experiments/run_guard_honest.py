"""The hold-out guard with an honest teacher: the distilled candidate of the guard is
taught by a teacher fitted on the guard's fit part only (so it never saw the held-out
rows' labels), with its own MUNGE draw from the fit part. Same 80/20 split and the
same full-data candidates as run_guard.py's hold20; rows appended with guard
"hold20_honest" to results/guard3k.jsonl.

python run_guard_honest.py --spec d12=sqrtscale d8=hard_w16_rl L64=hard_w16_rl d4=hard_w16_rl
"""
import argparse
import json
import time

import numpy as np
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

import common
import run_guard as rg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-train", type=int, default=3000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--datasets", nargs="+", default=common.DATASETS)
    ap.add_argument("--teachers", nargs="+", default=["rf500", "gbm300"])
    ap.add_argument("--spec", nargs="+", required=True)
    ap.add_argument("--out", default="results/guard3k.jsonl")
    a = ap.parse_args()
    spec = dict(s.split("=") for s in a.spec)
    full = {}
    for line in open(a.out):
        r = json.loads(line)
        if r["guard"] == "always":
            full[(r["dataset"], r["seed"], r["teacher"], r["student"])] = r
    t_start = time.perf_counter()
    with threadpool_limits(1):
        for name in a.datasets:
            for seed in a.seeds:
                for teacher in a.teachers:
                    c = common.teacher_cache(name, seed, a.max_train, teacher, 64, 200_000)
                    y = c["ytr"]
                    fit, held = train_test_split(np.arange(len(y)), test_size=0.2,
                                                 stratify=y, random_state=seed)
                    t0 = time.perf_counter()
                    m = common.make_teacher(teacher, seed).fit(c["Xtr"][fit], y[fit])
                    assert len(m.classes_) == c["n_classes"]
                    s = dict(c)
                    s["Xtr"], s["ytr"] = c["Xtr"][fit], y[fit]
                    s["p_in"] = m.predict_proba(s["Xtr"])
                    if teacher == "rf500":
                        oob = np.nan_to_num(m.oob_decision_function_)
                        bad = oob.sum(1) <= 0
                        oob[bad] = s["p_in"][bad]
                        s["p_oob"] = oob
                    Xp, base, nb = common.munge(s["Xtr"], 16 * len(fit),
                                                np.random.RandomState(2000 + seed))
                    s["Xpool"] = Xp.astype(np.float32)
                    s["p_pool"] = m.predict_proba(Xp).astype(np.float32)
                    s["base"] = base
                    teacher_s = time.perf_counter() - t0
                    rows = []
                    for student, vname in spec.items():
                        f = full[(name, seed, teacher, student)]
                        t0 = time.perf_counter()
                        ql, qd = rg.fit_predict(s, teacher, student, vname, seed, c["Xtr"][held])
                        keep = bool(np.sum(qd.argmax(1) == y[held]) >= np.sum(ql.argmax(1) == y[held]))
                        chosen = f["acc_d"] if keep else f["acc_l"]
                        rows.append(dict(f, guard="hold20_honest", distilled=keep,
                                         regret=100 * abs(max(f["acc_l"], f["acc_d"]) - chosen),
                                         loss_vs_labels=100 * (chosen - f["acc_l"]),
                                         hold_s=time.perf_counter() - t0 + teacher_s))
                    with open(a.out, "a") as fh:
                        for r in rows:
                            fh.write(json.dumps(r) + "\n")
                    print(f"[{time.perf_counter() - t_start:6.0f}s] {name} {seed} {teacher}", flush=True)


if __name__ == "__main__":
    main()
