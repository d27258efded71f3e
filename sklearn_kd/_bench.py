"""The benchmark: distilled students against the same students on labels."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import copy
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

import joblib
import numpy as np
from sklearn.base import clone
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from sklearn_kd import _bench_regression as regression
from sklearn_kd._distill import DistilledClassifier
from sklearn_kd._report import evaluate
from sklearn_kd._transfer import GaussianTransfer
from sklearn_kd._tree_transplant import soften_leaves


def teachers(seed, n_jobs):
    """The teachers of the benchmark, by name."""
    return {
        "rf500": RandomForestClassifier(
            n_estimators=500, n_jobs=n_jobs, random_state=seed
        ),
        "gbm300": HistGradientBoostingClassifier(
            max_iter=300, early_stopping=False, random_state=seed
        ),
    }


def students(seed):
    """The students of the benchmark, by name."""
    return {
        "tree_d4": DecisionTreeClassifier(max_depth=4, random_state=seed),
        "tree_d8": DecisionTreeClassifier(max_depth=8, random_state=seed),
        "tree_d12": DecisionTreeClassifier(max_depth=12, random_state=seed),
        "tree_l64": DecisionTreeClassifier(max_leaf_nodes=64, random_state=seed),
        "tree_full": DecisionTreeClassifier(random_state=seed),
        "forest10": RandomForestClassifier(n_estimators=10, random_state=seed),
        "hgb_small": HistGradientBoostingClassifier(
            max_iter=50, max_leaf_nodes=15, random_state=seed
        ),
        "logreg": make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)),
        "mlp_small": make_pipeline(
            StandardScaler(),
            MLPClassifier(hidden_layer_sizes=(32,), max_iter=200, random_state=seed),
        ),
    }


def known_students():
    """Every student name that ``--students`` accepts, for either task."""
    return {**students(0), **regression.students(0)}


def methods(teacher, student, seed, memory, fitted_teacher, n_jobs=None):
    """The ways of training a student, by name (``labels`` is handled apart).

    - ``distilled``: :class:`DistilledClassifier` with its defaults.
    - ``unguarded``: the same without the validation guard
      (``validation_fraction=None``), to measure the guard's regret.
    - ``naive``: a regressor on the teacher's in-sample probabilities, as
      imodels and AutoGluon fit their students.
    - ``autogluon``: in-sample soft targets plus noise augmentation (5x rows).
    - ``hs``: hierarchical shrinkage (imodels ``HSTreeClassifierCV``) of the
      same tree trained on labels, no teacher; single trees only, and only
      when imodels is installed.

    ``naive`` and ``autogluon`` use the already fitted teacher, frozen: their
    targets are its in-sample probabilities by definition. Every distiller
    gets ``n_jobs``, as the teacher does.
    """
    common = {"memory": memory, "random_state": seed, "n_jobs": n_jobs}
    frozen = FrozenEstimator(fitted_teacher)
    candidates = {
        "distilled": DistilledClassifier(teacher, student, **common),
        "unguarded": DistilledClassifier(
            teacher, student, validation_fraction=None, **common
        ),
        "naive": DistilledClassifier(
            frozen,
            student,
            alpha=0.0,
            soft_targets="in_sample",
            transfer=None,
            validation_fraction=None,
            **common,
        ),
        "autogluon": DistilledClassifier(
            frozen,
            student,
            alpha=0.0,
            soft_targets="in_sample",
            transfer=GaussianTransfer(size=5),
            validation_fraction=None,
            **common,
        ),
    }
    if candidates["distilled"].validation_fraction is None:
        del candidates["unguarded"]  # the defaults have no guard
    hs = _hs_tree(student)
    if hs is not None:
        candidates["hs"] = hs
    return candidates


def _hs_tree(student):
    """imodels' hierarchical shrinkage of ``student``, if a tree and installed."""
    if not isinstance(student, DecisionTreeClassifier):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from imodels import HSTreeClassifierCV
    except ImportError:
        return None
    return HSTreeClassifierCV(estimator_=clone(student), cv=3)


def load_datasets(data_dirs):
    """``{name: (X, y)}`` from folders of ``*.csv.gz`` whose last column is ``target``.

    Without folders, the data sets that ship with scikit-learn are used.
    """
    datasets = {}
    for folder in data_dirs:
        import pandas as pd

        for path in sorted(Path(folder).glob("*.csv.gz")):
            frame = pd.read_csv(path)
            if "target" not in frame.columns:
                raise ValueError(f"{path} has no 'target' column.")
            X = frame.drop(columns="target").to_numpy(dtype=np.float64)
            datasets[path.name.removesuffix(".csv.gz")] = (
                X,
                frame["target"].to_numpy(),
            )
    if not data_dirs:
        from sklearn.datasets import load_breast_cancer, load_digits, load_wine

        for loader in (load_digits, load_breast_cancer, load_wine):
            X, y = loader(return_X_y=True)
            datasets[loader.__name__.removeprefix("load_")] = (X, y)
    return datasets


def _split(X, y, seed, max_train, max_test):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=seed
    )
    if len(y_train) > max_train:
        X_train, _, y_train, _ = train_test_split(
            X_train, y_train, train_size=max_train, stratify=y_train, random_state=seed
        )
    if len(y_test) > max_test:
        X_test, _, y_test, _ = train_test_split(
            X_test, y_test, train_size=max_test, stratify=y_test, random_state=seed
        )
    return X_train, X_test, y_train, y_test


class _Split:
    """One train/test split with the fitted teacher's test predictions."""

    def __init__(self, X_train, X_test, y_train, y_test, classes):
        self.X_train, self.X_test = X_train, X_test
        self.y_train, self.y_test = y_train, y_test
        self.classes = classes
        self.teacher_pred = None

    def measure(self, model, base, student, method, fit=True):
        """Fit ``model`` (timed) unless already fitted, then one result row."""
        start = time.perf_counter()
        if fit:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                warnings.simplefilter("ignore", UserWarning)
                model.fit(self.X_train, self.y_train)
        fit_s = time.perf_counter() - start
        report = evaluate(
            model,
            self.X_test,
            self.y_test,
            classes=self.classes,
            teacher_pred=self.teacher_pred,
        )
        return {
            **base,
            "student": student,
            "method": method,
            "fit_s": fit_s,
            "distilled": getattr(model, "distilled_", None),
            **report,
        }


def run(
    data_dirs=(),
    *,
    seeds=(0, 1, 2),
    teacher_names=("rf500", "gbm300"),
    student_names=None,
    max_train=5000,
    max_test=5000,
    n_jobs=2,
    out=None,
    task="auto",
    resume=False,
):
    """Run the benchmark; return the list of result rows (one per fitted model).

    Rows are saved to ``out/results.json`` after every data set, seed and
    teacher. With ``resume``, the rows already there are kept and what they
    cover is not run again, so a run that was cut short goes on where it
    stopped (run the same command again).
    """
    rows = _saved_rows(out) if resume else []
    done = {(r["dataset"], r["seed"], r["teacher"]) for r in rows}
    datasets = load_datasets(data_dirs)
    started = time.perf_counter()
    # OpenMP's busy-waiting threads make histogram gradient boosting 50x slower
    # on a shared two-core machine; one thread keeps timings comparable
    with (
        threadpool_limits(limits=1, user_api="openmp"),
        tempfile.TemporaryDirectory() as cache,
    ):
        memory = joblib.Memory(cache, verbose=0)
        for name, (X, y) in datasets.items():
            is_regression = (
                regression.is_regression(y) if task == "auto" else task == "regression"
            )
            if is_regression:
                if any(key[0] == name for key in done):
                    continue  # saved whole, after all its seeds
                rows += _run_regression(
                    name,
                    X,
                    y,
                    seeds,
                    teacher_names,
                    student_names,
                    memory,
                    n_jobs,
                    (max_train, max_test, started),
                )
                if out is not None:
                    _save_rows(rows, out)
                continue
            for seed in seeds:
                split = _Split(*_split(X, y, seed, max_train, max_test), np.unique(y))
                for teacher_name in teacher_names:
                    if (name, seed, teacher_name) in done:
                        continue
                    _progress(started, name, seed, teacher_name)
                    base = {"dataset": name, "seed": seed, "teacher": teacher_name}
                    teacher = teachers(seed, n_jobs)[teacher_name]
                    rows += _run_teacher(
                        split, base, teacher, seed, memory, student_names, n_jobs
                    )
                    if out is not None:
                        _save_rows(rows, out)
    return rows


def _run_regression(
    name, X, y, seeds, teacher_names, student_names, memory, n_jobs, limits
):
    """Rows of the regression benchmark for one data set (``task="regression"``)."""
    max_train, max_test, started = limits
    rows = []
    for seed in seeds:
        data = regression.split(X, y, seed, max_train, max_test)
        for teacher_name in teacher_names:
            _progress(started, name, seed, teacher_name)
            base = {
                "task": "regression",
                "dataset": name,
                "seed": seed,
                "teacher": teacher_name,
            }
            teacher = regression.teachers(seed, n_jobs)[teacher_name]
            rows += regression.run_split(
                data, base, teacher, seed, memory, student_names
            )
    return rows


def fit_cached_teacher(teacher, memory, X, y):
    """``teacher`` fitted through the ``memory`` cache that the distillers of
    the benchmark read, so that each method's fit time is what distillation
    adds to an already fitted teacher."""
    return (
        DistilledClassifier(
            teacher,
            DecisionTreeClassifier(max_depth=1),
            transfer=None,
            validation_fraction=None,
            memory=memory,
            keep_teacher=True,
        )
        .fit(X, y)
        .teacher_
    )


def _run_teacher(split, base, teacher, seed, memory, student_names, n_jobs=None):
    """Rows for one teacher on one split: the teacher, then every student."""
    start = time.perf_counter()
    fitted = fit_cached_teacher(teacher, memory, split.X_train, split.y_train)
    fit_s = time.perf_counter() - start
    split.teacher_pred = None
    row = split.measure(fitted, base, "teacher", "teacher", fit=False)
    row["fit_s"] = fit_s
    split.teacher_pred = fitted.predict(split.X_test)
    row["agreement"] = 1.0
    rows = [row]
    for student_name, student in students(seed).items():
        if student_names and student_name not in student_names:
            continue
        candidates = {"labels": clone(student)}
        candidates.update(methods(teacher, student, seed, memory, fitted, n_jobs))
        for method, model in candidates.items():
            if method == "unguarded" and candidates["distilled"].distilled_:
                # the guard kept distillation, so the final fit is the one an
                # unguarded fit makes (same transfer rows, same seeds), but
                # for the temperature the held-out rows gave its leaves
                unguarded = _without_calibration(candidates["distilled"])
                row = split.measure(unguarded, base, student_name, method, fit=False)
                row["fit_s"] = _last(rows, "distilled")["fit_s"]
                rows.append(row)
                continue
            rows.append(split.measure(model, base, student_name, method))
            if method == "distilled" and student_name.startswith("tree"):
                # the labels-trained tree with as many leaves as the distilled
                # one, and the student's own depth limit
                leaves = max(int(model.student_.get_n_leaves()), 2)
                matched = clone(student).set_params(max_leaf_nodes=leaves)
                rows.append(
                    split.measure(matched, base, student_name, "labels_size_matched")
                )
    return rows


def _without_calibration(model):
    """A copy of a fitted distiller with the temperature that its held-out
    rows gave the student's leaves undone (``calibration_temperature_``)."""
    temperature = getattr(model, "calibration_temperature_", None)
    if temperature in (None, 1.0):
        return model
    model = copy.deepcopy(model)
    soften_leaves(model.student_, 1.0 / temperature)
    return model


def _last(rows, method):
    """The last result row of ``method``."""
    return next(row for row in reversed(rows) if row["method"] == method)


def _progress(started, *parts):
    elapsed = time.perf_counter() - started
    print(
        f"[bench {elapsed:7.1f}s] " + " / ".join(map(str, parts)),
        file=sys.stderr,
        flush=True,
    )


def _saved_rows(out):
    """The rows a previous run saved to ``out/results.json``, if any."""
    path = None if out is None else Path(out) / "results.json"
    if path is None or not path.is_file():
        return []
    return json.loads(path.read_text())


def _save_rows(rows, out):
    """Write ``out/results.json`` whole or not at all: a run killed while
    writing leaves the previous rows for ``--resume``, not a truncated file."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    partial = out / "results.json.partial"
    partial.write_text(json.dumps(rows, indent=1, default=float))
    partial.replace(out / "results.json")


def _median_spread(values, fmt):
    values = np.asarray([v for v in values if v is not None], dtype=float)
    if values.size == 0:
        return "-"
    median = fmt.format(np.median(values))
    if values.size == 1:
        return median
    return f"{median} [{fmt.format(values.min())}-{fmt.format(values.max())}]"


def _group(rows, *keys):
    groups = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in keys), []).append(row)
    return groups


def _gap_closed(value, baseline, teacher, min_gap=0.005):
    """Share of the baseline-to-teacher gap that ``value`` closes.

    NaN where the teacher is less than ``min_gap`` ahead: the ratio of two
    differences within noise means nothing.
    """
    gap = teacher - baseline
    return (value - baseline) / gap if gap > min_gap else np.nan


def summary(rows):
    """The summary tables: classification, then regression where present."""
    parts = []
    clf_rows = [r for r in rows if r.get("task") != "regression"]
    reg_rows = [r for r in rows if r.get("task") == "regression"]
    if clf_rows:
        parts.append(classification_summary(clf_rows))
        parts.append(peers_and_guard(clf_rows))
    if reg_rows:
        parts.append(regression.summary(reg_rows))
    return "\n\n".join(parts)


def classification_summary(rows):
    """Per (teacher, student, method): medians across data sets of per-set medians."""
    per_set = {}
    for (dataset, teacher, student, method), group in _group(
        rows, "dataset", "teacher", "student", "method"
    ).items():
        per_set[dataset, teacher, student, method] = {
            key: float(np.median([r[key] for r in group]))
            for key in ("accuracy", "log_loss", "agreement", "bytes", "fit_s")
        }
    lines = []
    datasets = sorted({k[0] for k in per_set})
    for (teacher, student), _ in sorted(_group(rows, "teacher", "student").items()):
        if student == "teacher":
            continue
        for method in ("distilled", "unguarded", "naive", "autogluon", "hs"):
            gains, closed, closed_sm, closed_ll, better = [], [], [], [], 0
            smaller = []
            for dataset in datasets:
                get = per_set.get
                value = get((dataset, teacher, student, method))
                labels = get((dataset, teacher, student, "labels"))
                top = get((dataset, teacher, "teacher", "teacher"))
                if value is None or labels is None or top is None:
                    continue
                gain = value["accuracy"] - labels["accuracy"]
                gains.append(100 * gain)
                smaller.append(top["bytes"] / value["bytes"])
                better += gain > 0
                closed.append(
                    _gap_closed(value["accuracy"], labels["accuracy"], top["accuracy"])
                )
                closed_ll.append(
                    _gap_closed(
                        -value["log_loss"], -labels["log_loss"], -top["log_loss"]
                    )
                )
                matched = get((dataset, teacher, student, "labels_size_matched"))
                if method == "distilled" and matched is not None:
                    closed_sm.append(
                        _gap_closed(
                            value["accuracy"], matched["accuracy"], top["accuracy"]
                        )
                    )
            if not gains:
                continue
            lines.append(
                f"| {teacher} | {student} | {method} | {np.median(gains):+.2f} "
                f"| {min(gains):+.2f} | {better}/{len(gains)} | {_pct(closed)} "
                f"| {_pct(closed_sm)} | {_pct(closed_ll)} "
                f"| {np.median(smaller):,.0f}x |"
            )
    header = (
        "| teacher | student | method | accuracy gain vs labels (points, median "
        "over sets) | worst set | sets better | accuracy gap closed | gap closed "
        "size-matched | log-loss gap closed | teacher ÷ student bytes |\n"
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    return header + "\n" + "\n".join(lines)


def peers_and_guard(rows):
    """Per (teacher, student): distilled against each peer, and the guard's regret.

    The regret of one fit is the test accuracy of the better of the guard's
    two candidates (labels, distilled without the guard) minus that of the
    one it chose, in points: medians over sets of per-set medians, and the
    worst single fit.
    """
    by_fit = _group(rows, "dataset", "seed", "teacher", "student")
    acc = {
        key: {r["method"]: r["accuracy"] for r in group}
        for key, group in by_fit.items()
    }
    lines = [
        "| teacher | student | vs naive | vs autogluon | vs hs | guard regret "
        "median | guard regret worst | guard kept distillation |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    kept = _group(rows, "teacher", "student", "method")
    for (teacher, student), _ in sorted(_group(rows, "teacher", "student").items()):
        if student == "teacher":
            continue
        cells = []
        for peer in ("naive", "autogluon", "hs"):
            per_set = _per_set_median(acc, teacher, student, "distilled", peer)
            cells.append(f"{np.median(per_set):+.2f}" if per_set else "-")
        regrets = {
            key: 100 * (max(a["labels"], a["unguarded"]) - a["distilled"])
            for key, a in acc.items()
            if key[2:] == (teacher, student) and "unguarded" in a
        }
        if regrets:
            per_set = _group(
                [{"dataset": k[0], "regret": v} for k, v in regrets.items()],
                "dataset",
            )
            median = np.median(
                [np.median([r["regret"] for r in g]) for g in per_set.values()]
            )
            cells += [f"{median:.2f}", f"{max(regrets.values()):.2f}"]
        else:
            cells += ["-", "-"]
        distilled = kept.get((teacher, student, "distilled"), [])
        n_kept = sum(bool(r["distilled"]) for r in distilled)
        cells.append(f"{n_kept}/{len(distilled)}")
        lines.append(f"| {teacher} | {student} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _per_set_median(acc, teacher, student, method, peer):
    """Per data set, the median over seeds of (method - peer), in points."""
    diffs = {}
    for (dataset, _, t, s), a in acc.items():
        if (t, s) == (teacher, student) and method in a and peer in a:
            diffs.setdefault(dataset, []).append(100 * (a[method] - a[peer]))
    return [float(np.median(v)) for v in diffs.values()]


def _pct(values):
    values = [v for v in values if np.isfinite(v)]
    return f"{100 * np.median(values):.0f}%" if values else "-"


def dataset_tables(rows):
    """One markdown table per data set: every model with medians and spreads."""
    out = []
    for (dataset,), group in _group(rows, "dataset").items():
        n_seeds = len({r["seed"] for r in group})
        out.append(f"### {dataset} ({n_seeds} seeds: median [min-max])\n")
        out.append(
            "| teacher | student | method | accuracy | log-loss | agreement | "
            "bytes | leaves/params | predict 10k rows (ms) | predict 1 row (µs) "
            "| fit (s) |\n|---|---|---|---|---|---|---:|---:|---:|---:|---:|"
        )
        for (teacher, student, method), runs in _group(
            group, "teacher", "student", "method"
        ).items():
            out.append(
                f"| {teacher} | {student} | {method} "
                f"| {_median_spread([r['accuracy'] for r in runs], '{:.4f}')} "
                f"| {_median_spread([r['log_loss'] for r in runs], '{:.3f}')} "
                f"| {_median_spread([r['agreement'] for r in runs], '{:.3f}')} "
                f"| {np.median([r['bytes'] for r in runs]):,.0f} "
                f"| {_median_spread([r['complexity'] for r in runs], '{:.0f}')} "
                f"| {1e3 * np.median([r['predict_10k_s'] for r in runs]):.1f} "
                f"| {1e6 * np.median([r['predict_1_s'] for r in runs]):.0f} "
                f"| {np.median([r['fit_s'] for r in runs]):.2f} |"
            )
        out.append("")
    return "\n".join(out)


def plot(rows, out):
    """An accuracy-against-size PNG per data set (needs matplotlib)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    styles = {  # one marker and one colour per method, as in the legend
        "labels": ("o", "tab:blue"),
        "distilled": ("*", "tab:red"),
        "unguarded": ("+", "tab:orange"),
        "naive": ("s", "tab:green"),
        "autogluon": ("^", "tab:purple"),
        "hs": ("P", "tab:brown"),
        "labels_size_matched": ("x", "tab:gray"),
        "teacher": ("D", "black"),
    }
    paths = []
    for (dataset, teacher), group in _group(rows, "dataset", "teacher").items():
        fig, ax = plt.subplots(figsize=(7, 4.5))
        points = {}
        for (student, method), runs in _group(group, "student", "method").items():
            size = np.median([r["bytes"] for r in runs])
            acc = np.median([r["accuracy"] for r in runs])
            points[student, method] = (size, acc)
            marker, colour = styles.get(method, (".", "black"))
            ax.scatter(
                size,
                acc,
                marker=marker,
                color=colour,
                s=70 if method == "distilled" else 45,
                label=teacher if method == "teacher" else method,
                zorder=3,
            )
            if method == "labels":
                ax.annotate(student, (size, acc), fontsize=6, alpha=0.7)
        for (student, method), (size, acc) in points.items():
            if method == "distilled" and (student, "labels") in points:
                ax.plot(  # from the student on labels to the distilled one
                    *zip(points[student, "labels"], (size, acc), strict=True),
                    color="tab:red",
                    alpha=0.35,
                    lw=1,
                    zorder=2,
                )
        ax.set_xscale("log")
        ax.set_xlabel("pickled size (bytes, log scale)")
        ax.set_ylabel("test accuracy (median over seeds)")
        ax.set_title(f"{dataset}: students of {teacher}")
        handles, labels = ax.get_legend_handles_labels()
        by_method = dict(zip(labels, handles, strict=True))
        ax.legend(by_method.values(), by_method.keys(), fontsize=7, loc="lower right")
        fig.tight_layout()
        path = Path(out) / f"{dataset}_{teacher}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths


def write_report(rows, out, command):
    """Write ``README.md`` (tables), ``results.json`` and the plots to ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _save_rows(rows, out)
    reg_rows = [r for r in rows if r.get("task") == "regression"]
    clf_rows = [r for r in rows if r.get("task") != "regression"]
    text = f"# Benchmark results\n\nReproduce with:\n\n```\n{command}\n```\n\n"
    if clf_rows:
        text += (
            "## Classification: summary across data sets\n\n"
            "Medians across data sets of per-set medians over seeds. The gap "
            "closed is (student - student on labels) / (teacher - student on "
            "labels); size-matched, the labels tree has as many leaves as the "
            "distilled one (and the same depth limit).\n\n"
            f"{classification_summary(clf_rows)}\n\n"
            "### Against the other methods, and the guard\n\n"
            "Points of accuracy of the distilled student (defaults) minus each "
            "peer: the naive peer (in-sample probabilities, no transfer set), "
            "the AutoGluon-style recipe (in-sample plus 5x Gaussian rows), and "
            "imodels' hierarchical shrinkage of the same tree on labels "
            "(`hs`). The guard's regret: the better candidate's test accuracy "
            "minus the chosen one's, in points.\n\n"
            f"{peers_and_guard(clf_rows)}\n\n## Classification: per data set\n\n"
            f"{dataset_tables(clf_rows)}\n"
        )
    if reg_rows:
        text += (
            "## Regression: summary across data sets\n\n"
            "Medians across data sets of per-set medians over seeds. The R² gap "
            "closed is (student - student on targets) / (teacher - student on "
            "targets).\n\n"
            f"{regression.summary(reg_rows)}\n\n## Regression: per data set\n\n"
            f"{regression.dataset_tables(reg_rows)}\n"
        )
    (out / "README.md").write_text(text)
    try:
        if clf_rows:
            plot(clf_rows, out)
        if reg_rows:
            regression.plot(reg_rows, out)
    except ImportError:
        print("matplotlib is not installed: no plots.", file=sys.stderr)
    return out / "README.md"
