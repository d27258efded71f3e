"""The scale benchmark: what distillation costs beside the teacher's own fit.

Each job runs in a fresh process, so its peak memory is its own: the teacher
alone (``RandomForestClassifier(100, n_jobs=2)``), then
``DistilledClassifier`` with its defaults (and the same ``n_jobs=2``) around
the same teacher and a depth-12 tree. The extra time is the distillation's fit
time minus the teacher's; the data are ``make_classification`` with 3
classes, made inside each process, and 20% more rows are drawn as the test
set. A last job runs a grid search with a ``memory=`` cache on the smallest
shape (fewest cells) and reports the cache's size on disk.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import json
import multiprocessing
import platform
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

#: (rows, columns) of the runs, as the issue that asked for them fixed them.
DEFAULT_SHAPES = ((10_000, 20), (100_000, 20), (1_000, 10_000), (1_000_000, 20))


def _data(n_rows, n_features, seed=0):
    from sklearn.datasets import make_classification

    n_test = max(n_rows // 5, 1000)
    X, y = make_classification(
        n_samples=n_rows + n_test,
        n_features=n_features,
        n_informative=min(10, n_features),
        n_redundant=0,
        n_classes=3,
        random_state=seed,
    )
    return X[:n_rows], X[n_rows:], y[:n_rows], y[n_rows:]


def _job(kind, n_rows, n_features, queue):
    """One measured fit in this (fresh) process; puts a result dict on ``queue``."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier

    from sklearn_kd import DistilledClassifier

    X_train, X_test, y_train, y_test = _data(n_rows, n_features)
    teacher = RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=0)
    student = DecisionTreeClassifier(max_depth=12, random_state=0)
    if kind == "grid":
        queue.put(_grid_job(X_train, X_test, y_train, y_test, teacher, student))
        return
    model = {
        "teacher": teacher,
        "labels": student,
        "distilled": DistilledClassifier(teacher, student, n_jobs=2, random_state=0),
    }[kind]
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_s = time.perf_counter() - start
    queue.put(
        {
            "kind": kind,
            "rows": n_rows,
            "columns": n_features,
            "fit_s": fit_s,
            # kilobytes on Linux: the peak resident set of this process
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "accuracy": float(model.score(X_test, y_test)),
            "distilled": getattr(model, "distilled_", None),
        }
    )


#: The grid of the cache job: alpha=1 is the student on labels.
GRID = {"alpha": [1.0, 0.5, 0.0]}


def _grid_job(X_train, X_test, y_train, y_test, teacher, student):
    """A 3-fold grid search over ``GRID`` with a ``memory=`` cache: its time
    and what the cache holds on disk when it is done."""
    from sklearn.model_selection import GridSearchCV

    from sklearn_kd import DistilledClassifier

    with tempfile.TemporaryDirectory() as cache:
        model = DistilledClassifier(
            teacher,
            student,
            memory=cache,
            validation_fraction=None,
            n_jobs=2,
            random_state=0,
        )
        search = GridSearchCV(model, GRID, cv=3)
        start = time.perf_counter()
        search.fit(X_train, y_train)
        fit_s = time.perf_counter() - start
        cache_mb = (
            sum(f.stat().st_size for f in Path(cache).rglob("*") if f.is_file()) / 2**20
        )
    return {
        "kind": "grid",
        "rows": X_train.shape[0],
        "columns": X_train.shape[1],
        "fit_s": fit_s,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "accuracy": float(search.score(X_test, y_test)),
        "cache_mb": cache_mb,
        "fits": 3 * len(GRID["alpha"]) + 1,
    }


def measure(kind, n_rows, n_features):
    """Run one job in a fresh process and return its result."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_job, args=(kind, n_rows, n_features, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def run(shapes=DEFAULT_SHAPES, log=print, repeats=1, grid=True):
    """Teacher, labels-only student and distillation for each (rows, columns).

    With ``repeats`` > 1 the three fits run again, in the same order, so that
    each repeat compares the teacher and distillation measured side by side
    and the report can give the spread a shared machine puts on them.
    ``grid=False`` leaves out the grid-search job, which runs on the smallest
    shape: ten fits, long when every shape is large.
    """
    results = []
    for n_rows, n_features in shapes:
        for repeat in range(repeats):
            for kind in ("teacher", "labels", "distilled"):
                result = {**measure(kind, n_rows, n_features), "repeat": repeat}
                log(
                    f"{n_rows:,} x {n_features:,} {kind}: {result['fit_s']:.1f}s, "
                    f"{result['peak_mb']:,.0f} MB"
                )
                results.append(result)
    if not grid:
        return results
    n_rows, n_features = min(shapes, key=lambda shape: shape[0] * shape[1])
    result = measure("grid", n_rows, n_features)
    log(f"{n_rows:,} x {n_features:,} grid search: {result['fit_s']:.1f}s")
    results.append(result)
    return results


def _spread(values, fmt):
    """The median of ``values``, with their range when there are several."""
    text = format(float(np.median(values)), fmt)
    if len(values) > 1:
        text += f" [{min(values):{fmt}}-{max(values):{fmt}}]"
    return text


def _by_shape(results):
    """``{(rows, columns): {kind: [run per repeat]}}``, grid search left out."""
    by_shape = {}
    for r in results:
        if r["kind"] != "grid":
            runs = by_shape.setdefault((r["rows"], r["columns"]), {})
            runs.setdefault(r["kind"], []).append(r)
    return by_shape


def table(results):
    """Markdown: per shape, the teacher's fit beside distillation's extra cost,
    medians over the repeats with their range (ratios are taken per repeat)."""
    from sklearn_kd._report import markdown_table

    rows = []
    for (n_rows, n_features), runs in _by_shape(results).items():
        pairs = list(zip(runs["teacher"], runs["distilled"], strict=True))
        teacher_s = [t["fit_s"] for t, _ in pairs]
        extra = [d["fit_s"] - t["fit_s"] for t, d in pairs]
        rows.append(
            [
                f"{n_rows:,} x {n_features:,}",
                _spread(teacher_s, ".1f"),
                _spread(extra, ".1f"),
                _spread([e / t for e, t in zip(extra, teacher_s, strict=True)], ".2f"),
                f"{np.median([t['peak_mb'] for t, _ in pairs]):,.0f} → "
                f"{np.median([d['peak_mb'] for _, d in pairs]):,.0f}",
                _spread([d["peak_mb"] / t["peak_mb"] for t, d in pairs], ".2f"),
                f"{np.median([r['accuracy'] for r in runs['labels']]):.4f} → "
                f"{np.median([d['accuracy'] for _, d in pairs]):.4f}",
            ]
        )
    header = [
        "rows x columns",
        "teacher fit (s)",
        "distillation's extra time (s)",
        "extra / teacher",
        "peak MB, teacher → distillation",
        "memory ratio",
        "accuracy, tree on labels → distilled",
    ]
    return markdown_table(header, rows)


def grid_text(results):
    """A sentence on the grid-search job and its cache, if it ran."""
    grids = [r for r in results if r["kind"] == "grid"]
    if not grids:
        return ""
    g = grids[0]
    return (
        f"A grid search over `{GRID}` (3 folds, refit included: "
        f"{g['fits']} fits) with `memory=` on {g['rows']:,} x "
        f"{g['columns']:,} took {g['fit_s']:.1f} s; the cache then held "
        f"{g['cache_mb']:,.1f} MB: a fitted teacher and its targets per fold and "
        "for the refit, and the transfer rows' labels, so every grid point after "
        "the first in a fold reuses them. Delete the folder, or call "
        "`joblib.Memory(path).clear()`, when the search is done.\n\n"
    )


def plot(results, path):
    """Time and peak memory against rows, teacher beside distillation."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    columns = [r["columns"] for r in results]
    width = max(set(columns), key=columns.count)  # the width most runs share
    narrow = [r for r in results if r["columns"] == width and r["kind"] != "grid"]
    fig, axes = plt.subplots(2, 1, figsize=(6, 7), sharex=True)
    for kind, marker in (("teacher", "o"), ("distilled", "*")):
        runs = sorted((r for r in narrow if r["kind"] == kind), key=lambda r: r["rows"])
        rows = [r["rows"] for r in runs]
        axes[0].plot(rows, [r["fit_s"] for r in runs], marker=marker, label=kind)
        axes[1].plot(rows, [r["peak_mb"] for r in runs], marker=marker, label=kind)
    axes[0].set_ylabel("fit time (s)", fontsize=11)
    axes[1].set_ylabel("peak memory (MB)", fontsize=11)
    axes[1].set_xlabel(f"training rows ({width} columns, 3 classes)", fontsize=11)
    for ax in axes:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.legend(fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _runs_text(results):
    repeats = max(len(runs["teacher"]) for runs in _by_shape(results).values())
    if repeats == 1:
        return "one run each"
    return (
        f"{repeats} runs each, teacher, labels and distillation in turn; medians "
        "with their range, ratios taken within a run"
    )


def write_report(results, out, command):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1))
    text = (
        "# Scale: what distillation costs beside the teacher\n\n"
        f"Reproduce with `{command}`.\n\n"
        "Teacher `RandomForestClassifier(n_estimators=100, n_jobs=2)`, student "
        "`DecisionTreeClassifier(max_depth=12)`, `DistilledClassifier` defaults with "
        "the teacher's `n_jobs=2`; "
        "`make_classification` with 3 classes (10 informative columns). Each fit "
        "runs in a fresh process; peak memory is that process's peak resident "
        "set, data included. Extra time = distillation's fit minus the "
        "teacher's fit.\n\n"
        f"{table(results)}\n\n"
        f"{grid_text(results)}"
        f"Machine: {platform.platform()}, Python {platform.python_version()}; "
        f"{_runs_text(results)}, on a shared two-core machine: timings are "
        "indicative.\n\n"
        "![time and memory against rows](scale.png)\n"
    )
    (out / "README.md").write_text(text)
    try:
        plot(results, out / "scale.png")
    except ImportError:
        pass
    return out / "README.md"


def parse_shapes(text):
    """``"10000x20,1000x10000"`` into ``[(10000, 20), (1000, 10000)]``."""
    shapes = []
    for part in text.split(","):
        rows, _, columns = part.strip().partition("x")
        shapes.append((int(rows), int(columns or 20)))
    if not all(r > 10 and c > 0 for r, c in shapes):
        raise ValueError(f"shapes must be ROWSxCOLUMNS with ROWS > 10; got {text!r}")
    return tuple(shapes)
