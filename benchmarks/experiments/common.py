"""Shared helpers for the distillation experiments (self-contained, scikit-learn only,
but for the last helpers, which the later screens of the package itself use).

MUNGE is reimplemented here (same algorithm and random stream as
sklearn_kd.MungeTransfer(swap_proba=0).generate, plain MUNGE without the
category swaps that became the default after these experiments; checked in
check_munge()) so that every
synthetic row carries the index of its base row and of the neighbour it was
perturbed towards: a guard or a fold can then use only the transfer rows drawn
from its own fit part.
"""
import json
import os
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import joblib
import numpy as np
import pandas as pd
from scipy.special import log_softmax
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state

HERE = Path(__file__).resolve().parent
#: The shared PMLB copies beside the repository (``../shared/datasets`` from
#: its root), unless ``SKLEARN_KD_DATA`` names another folder.
DATA = Path(os.environ.get("SKLEARN_KD_DATA", HERE.parents[2] / "shared" / "datasets"))
CACHE = HERE / "cache"
DATASETS = ["adult", "letter", "nursery", "pendigits", "satimage", "phoneme",
            "spambase", "kr_vs_kp"]
MAX_AUTO_CATEGORIES = 10


def load(name):
    df = pd.read_csv(DATA / f"{name}.csv.gz")
    X = df.drop(columns="target").to_numpy(dtype=np.float64)
    y = np.unique(df["target"].to_numpy(), return_inverse=True)[1]
    return X, y


def split(X, y, seed, max_train, max_test=5000):
    """As sklearn_kd._bench._split."""
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, stratify=y,
                                          random_state=seed)
    if len(ytr) > max_train:
        Xtr, _, ytr, _ = train_test_split(Xtr, ytr, train_size=max_train,
                                          stratify=ytr, random_state=seed)
    if len(yte) > max_test:
        Xte, _, yte, _ = train_test_split(Xte, yte, train_size=max_test,
                                          stratify=yte, random_state=seed)
    return Xtr, Xte, ytr, yte


def munge(X, n_new, rng, p=0.5, s=1.0):
    """MungeTransfer(p, s).generate with base and neighbour indices."""
    rng = check_random_state(rng)
    integer = np.all(np.equal(np.mod(X, 1), 0), axis=0)
    n_unique = np.array([len(np.unique(X[:, j])) for j in range(X.shape[1])])
    categorical = integer & (n_unique <= MAX_AUTO_CATEGORIES)
    std = X.std(axis=0)
    scaled = X / np.where(std > 0, std, 1.0)
    neighbour = NearestNeighbors(n_neighbors=2).fit(scaled).kneighbors(scaled)[1][:, 1]
    base = rng.randint(X.shape[0], size=n_new)
    X_new = X[base]
    other = X[neighbour[base]]
    change = rng.random_sample(X_new.shape) < p
    spread = np.abs(X_new - other) / s
    drawn = rng.normal(other, spread)
    drawn[:, categorical] = other[:, categorical]
    X_new = np.where(change, drawn, X_new)
    X_new[:, integer] = np.round(X_new[:, integer])
    X_new = np.clip(X_new, X.min(axis=0), X.max(axis=0))
    return X_new, base, neighbour[base]


def check_munge():
    from sklearn_kd import MungeTransfer
    X, y = load("satimage")
    a = MungeTransfer(size=2.0, swap_proba=0.0).generate(X[:500], y[:500], random_state=3)
    b = munge(X[:500], 1000, 3)[0]
    assert np.allclose(a, b), "munge differs from MungeTransfer"
    return True


def make_teacher(name, seed):
    if name == "rf500":
        return RandomForestClassifier(n_estimators=500, oob_score=True, n_jobs=1,
                                      random_state=seed)
    return HistGradientBoostingClassifier(max_iter=300, early_stopping=False,
                                          random_state=seed)


def soften(p, T):
    """softmax(log p / T); T=0 means the argmax one-hot."""
    p = np.asarray(p, dtype=np.float64)
    if T == 0:
        return np.eye(p.shape[1])[np.argmax(p, axis=1)]
    if T == 1:
        return p / p.sum(1, keepdims=True)
    with np.errstate(divide="ignore"):
        z = np.log(np.clip(p, 0, None)) / T
    return np.exp(log_softmax(z, axis=1))


def teacher_cache(name, seed, max_train, teacher, pool_size, pool_cap, oof=False):
    """Fit the teacher once; cache its probabilities on test, train, and a MUNGE pool."""
    path = CACHE / f"{name}_{seed}_{max_train}_{teacher}.joblib"
    if path.exists():
        return joblib.load(path)
    X, y = load(name)
    Xtr, Xte, ytr, yte = split(X, y, seed, max_train)
    n_classes = len(np.unique(y))
    t0 = time.perf_counter()
    model = make_teacher(teacher, seed).fit(Xtr, ytr)
    fit_s = time.perf_counter() - t0
    assert len(model.classes_) == n_classes
    out = dict(Xtr=Xtr, Xte=Xte, ytr=ytr, yte=yte, n_classes=n_classes,
               teacher_fit_s=fit_s)
    out["p_test"] = model.predict_proba(Xte)
    out["p_in"] = model.predict_proba(Xtr)
    if teacher == "rf500":
        oob = np.nan_to_num(model.oob_decision_function_)
        bad = oob.sum(1) <= 0
        oob[bad] = out["p_in"][bad]
        out["p_oob"] = oob
    if oof:
        t0 = time.perf_counter()
        p = np.zeros_like(out["p_in"])
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(Xtr, ytr):
            m = make_teacher(teacher, seed).set_params(**({"oob_score": False} if teacher == "rf500" else {}))
            m.fit(Xtr[tr], ytr[tr])
            cols = m.classes_
            p[np.ix_(te, cols)] = m.predict_proba(Xtr[te])
        out["p_oof"] = p
        out["oof_s"] = time.perf_counter() - t0
    n_new = int(min(pool_size * len(ytr), pool_cap))
    t0 = time.perf_counter()
    Xp, base, nb = munge(Xtr, n_new, np.random.RandomState(1000 + seed))
    out["munge_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    out["p_pool"] = model.predict_proba(Xp).astype(np.float32)
    out["label_pool_s"] = time.perf_counter() - t0
    out.update(Xpool=Xp.astype(np.float32), base=base, nb=nb)
    CACHE.mkdir(parents=True, exist_ok=True)
    joblib.dump(out, path)
    return out


def finish_row(row, labels_student, fitted_teacher, split_rows, out):
    """Score the student on labels and the teacher on the test rows into
    ``row``, append it to the JSON-lines log ``out`` and print it."""
    X_train, X_test, y_train, y_test = split_rows
    labels = labels_student.fit(X_train, y_train)
    row["labels"] = float(np.mean(labels.predict(X_test) == y_test))
    row["teacher_test"] = float(np.mean(fitted_teacher.predict(X_test) == y_test))
    with open(out, "a") as f:
        f.write(json.dumps(row) + "\n")
    print(row, flush=True)


def gain_line(name, gains, closed):
    """A screen's summary line: the median over sets of per-set gains
    ``gains`` (set -> points) [worst set], sets better, the median gap
    ``closed`` (fractions), then each set's gain."""
    return (
        f"  {name:24s} {np.median(list(gains.values())):+.2f} "
        f"[{min(gains.values()):+.2f}] {sum(g > 0 for g in gains.values())}/"
        f"{len(gains)} {100 * np.median(closed):.0f}%  "
        + " ".join(f"{d[:6]} {g:+.2f}" for d, g in sorted(gains.items()))
    )


def fit_unguarded(teacher, student, memory, seed, X, y, **params):
    """The package's defaults (but ``params``) with the guard off, fitted
    quietly with one thread per job, as the later screens (which judge the
    package itself) fit them."""
    from sklearn.base import clone
    from threadpoolctl import threadpool_limits

    from sklearn_kd import DistilledClassifier

    distiller = DistilledClassifier(
        clone(teacher),
        student,
        validation_fraction=None,
        memory=memory,
        random_state=seed,
        n_jobs=2,
        **params,
    )
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore")
        return distiller.fit(X, y)


def protocol_splits(data, teacher_name, seeds, memory, names=None):
    """The issue protocol's splits (at most 10,000 training and 5,000 test
    rows) of every set in ``data`` (or those in ``names``), each with the
    benchmark's teacher and that teacher fitted through ``memory``: yields
    ``(set name, seed, (X_train, X_test, y_train, y_test), teacher, fitted
    teacher)``."""
    from sklearn.base import clone
    from threadpoolctl import threadpool_limits

    from sklearn_kd._bench import _split, fit_cached_teacher, load_datasets, teachers

    for name, (X, y) in load_datasets([data]).items():
        if names is not None and name not in names:
            continue
        for seed in seeds:
            split_rows = _split(X, y, seed, 10_000, 5_000)
            teacher = teachers(seed, 2)[teacher_name]
            with threadpool_limits(1):
                fitted = fit_cached_teacher(
                    clone(teacher), memory, split_rows[0], split_rows[2]
                )
            yield name, seed, split_rows, teacher, fitted


def variant_gains(rows, variant):
    """Per set, the median over ``rows`` of ``variant``'s gain over the
    labels in points, and the gaps closed (gain over the teacher's median
    lead) on sets whose lead exceeds half a point, as :func:`gain_line`
    takes them."""
    from collections import defaultdict

    gains, gaps = defaultdict(list), defaultdict(list)
    for r in rows:
        gains[r["dataset"]].append(100 * (r[variant] - r["labels"]))
        gaps[r["dataset"]].append(100 * (r["teacher_test"] - r["labels"]))
    gain = {d: np.median(v) for d, v in gains.items()}
    closed = [gain[d] / np.median(gaps[d]) for d in gain if np.median(gaps[d]) > 0.5]
    return gain, closed
