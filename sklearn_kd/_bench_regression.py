"""The regression benchmark: distilled regressors against the same on targets."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import time
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor

from sklearn_kd._regressor import DistilledRegressor
from sklearn_kd._report import model_size, predict_times


def is_regression(y):
    """Whether ``y`` looks like a regression target: numbers with many values."""
    y = np.asarray(y)
    return y.dtype.kind in "fiu" and len(np.unique(y)) > 30


def teachers(seed, n_jobs):
    """The regression teachers of the benchmark, by name."""
    return {
        "rf500": RandomForestRegressor(
            n_estimators=500, n_jobs=n_jobs, random_state=seed
        ),
        "gbm300": HistGradientBoostingRegressor(
            max_iter=300, early_stopping=False, random_state=seed
        ),
    }


def students(seed):
    """The regression students of the benchmark, by name."""
    return {
        "tree_d12": DecisionTreeRegressor(max_depth=12, random_state=seed),
        "tree_l64": DecisionTreeRegressor(max_leaf_nodes=64, random_state=seed),
        "forest10": RandomForestRegressor(n_estimators=10, random_state=seed),
    }


def methods(teacher, student, seed, memory):
    """``distilled``: the defaults; ``naive``: the teacher's in-sample
    predictions on the training rows alone, as imodels and AutoGluon fit."""
    common = {"memory": memory, "random_state": seed}
    return {
        "distilled": DistilledRegressor(teacher, student, **common),
        "naive": DistilledRegressor(
            teacher,
            student,
            alpha=0.0,
            soft_targets="in_sample",
            transfer=None,
            validation_fraction=None,
            **common,
        ),
    }


def split(X, y, seed, max_train, max_test):
    """A random train/test split with at most ``max_train`` training rows."""
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=seed
    )
    return (
        X_train[:max_train],
        X_test[:max_test],
        y_train[:max_train],
        y_test[:max_test],
    )


def measure(model, X_train, y_train, X_test, y_test, base, fit=True):
    """Fit ``model`` (timed) unless already fitted; one result row."""
    start = time.perf_counter()
    if fit:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            model.fit(X_train, y_train)
    fit_s = time.perf_counter() - start
    pred = model.predict(X_test)
    n_bytes, complexity = model_size(model)
    batch_s, one_s = predict_times(model, X_test)
    return {
        **base,
        "r2": float(r2_score(y_test, pred)),
        "rmse": float(np.sqrt(mean_squared_error(y_test, pred))),
        "bytes": n_bytes,
        "complexity": complexity,
        "predict_10k_s": batch_s,
        "predict_1_s": one_s,
        "fit_s": fit_s,
        "distilled": getattr(model, "distilled_", None),
    }


def run_split(data, base, teacher, seed, memory, student_names):
    """Rows for one teacher on one split: the teacher, then every student."""
    X_train, X_test, y_train, y_test = data
    rows = [
        measure(
            clone(teacher),
            X_train,
            y_train,
            X_test,
            y_test,
            {**base, "student": "teacher", "method": "teacher"},
        )
    ]
    for student_name, student in students(seed).items():
        if student_names and student_name not in student_names:
            continue
        candidates = {"labels": clone(student)}
        candidates.update(methods(teacher, student, seed, memory))
        for method, model in candidates.items():
            row_base = {**base, "student": student_name, "method": method}
            rows.append(measure(model, X_train, y_train, X_test, y_test, row_base))
    return rows


def summary(rows):
    """Per (teacher, student, method): medians across data sets of per-set medians."""
    per_set = {}
    for row in rows:
        key = (row["dataset"], row["teacher"], row["student"], row["method"])
        per_set.setdefault(key, []).append(row)
    median = {
        key: {m: float(np.median([r[m] for r in group])) for m in ("r2", "bytes")}
        for key, group in per_set.items()
    }
    datasets = sorted({k[0] for k in median})
    pairs = sorted({(k[1], k[2]) for k in median if k[2] != "teacher"})
    lines = [
        "| teacher | student | method | R² gain vs targets (median over sets) "
        "| worst set | sets better | R² gap closed | teacher bytes / student bytes |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for teacher, student in pairs:
        for method in ("distilled", "naive"):
            gains, closed, ratios = [], [], []
            for dataset in datasets:
                value = median.get((dataset, teacher, student, method))
                labels = median.get((dataset, teacher, student, "labels"))
                top = median.get((dataset, teacher, "teacher", "teacher"))
                if value is None or labels is None or top is None:
                    continue
                gains.append(value["r2"] - labels["r2"])
                gap = top["r2"] - labels["r2"]
                closed.append(
                    (value["r2"] - labels["r2"]) / gap if gap > 0.005 else np.nan
                )
                ratios.append(top["bytes"] / value["bytes"])
            if not gains:
                continue
            finite = [c for c in closed if np.isfinite(c)]
            closed_text = f"{100 * np.median(finite):.0f}%" if finite else "-"
            lines.append(
                f"| {teacher} | {student} | {method} | {np.median(gains):+.4f} "
                f"| {min(gains):+.4f} | {sum(g > 0 for g in gains)}/{len(gains)} "
                f"| {closed_text} | {_ratio(np.median(ratios))} |"
            )
    return "\n".join(lines)


def _ratio(value):
    """A size ratio with two significant digits below 10."""
    return f"{value:.2g}" if value < 10 else f"{value:,.0f}"


def dataset_tables(rows):
    """One markdown table per data set: every model with medians and spreads."""
    out = []
    groups = {}
    for row in rows:
        groups.setdefault(row["dataset"], []).append(row)
    for dataset, group in groups.items():
        n_seeds = len({r["seed"] for r in group})
        out.append(f"### {dataset} ({n_seeds} seeds: median [min-max])\n")
        out.append(
            "| teacher | student | method | R² | RMSE | bytes | leaves | "
            "predict 1 row (µs) | fit (s) |\n|---|---|---|---|---:|---:|---:|---:|---:|"
        )
        by_model = {}
        for r in group:
            by_model.setdefault((r["teacher"], r["student"], r["method"]), []).append(r)
        for (teacher, student, method), runs in by_model.items():
            r2 = [r["r2"] for r in runs]
            out.append(
                f"| {teacher} | {student} | {method} "
                f"| {np.median(r2):.4f} [{min(r2):.4f}-{max(r2):.4f}] "
                f"| {np.median([r['rmse'] for r in runs]):.4g} "
                f"| {np.median([r['bytes'] for r in runs]):,.0f} "
                f"| {np.median([r['complexity'] or 0 for r in runs]):,.0f} "
                f"| {1e6 * np.median([r['predict_1_s'] for r in runs]):.0f} "
                f"| {np.median([r['fit_s'] for r in runs]):.2f} |"
            )
        out.append("")
    return "\n".join(out)


def plot(rows, out):
    """An R²-against-size PNG per data set and teacher (needs matplotlib)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    markers = {"labels": "o", "distilled": "*", "naive": "s", "teacher": "D"}
    groups = {}
    for row in rows:
        groups.setdefault((row["dataset"], row["teacher"]), []).append(row)
    for (dataset, teacher), group in groups.items():
        fig, ax = plt.subplots(figsize=(6, 4.5))
        by_model = {}
        for r in group:
            by_model.setdefault((r["student"], r["method"]), []).append(r)
        for (student, method), runs in by_model.items():
            size = np.median([r["bytes"] for r in runs])
            r2 = np.median([r["r2"] for r in runs])
            ax.scatter(size, r2, marker=markers.get(method, "."), s=70, label=method)
            if method in ("labels", "distilled"):
                ax.annotate(student, (size, r2), fontsize=8, alpha=0.7)
        ax.set_xscale("log")
        ax.set_xlabel("pickled size (bytes, log scale)", fontsize=11)
        ax.set_ylabel("test R² (median over seeds)", fontsize=11)
        ax.set_title(f"{dataset}: students of {teacher}", fontsize=12)
        handles, labels = ax.get_legend_handles_labels()
        unique = dict(zip(labels, handles, strict=True))
        ax.legend(unique.values(), unique.keys(), fontsize=9, loc="lower right")
        fig.tight_layout()
        fig.savefig(out / f"{dataset}_{teacher}.png", dpi=110)
        plt.close(fig)
