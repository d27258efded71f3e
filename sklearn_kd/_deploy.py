"""``sklearn-kd deploy``: what a distilled student saves at prediction time.

One teacher (a 500-tree random forest) and its students, each measured in
scikit-learn and in onnxruntime: file sizes, one-row latency, batch
throughput and accuracy.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import io
import json
import os
import platform
import shlex
import sys
import time
from pathlib import Path

import joblib
import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

from sklearn_kd._cli_distill import CommandError, check_writable, load_table
from sklearn_kd._distill import DistilledClassifier
from sklearn_kd._export import to_onnx
from sklearn_kd._report import markdown_table

#: Names of the measured models, in the order of the table.
TEACHER = "teacher: random forest"
TREE_D12 = "student: tree, depth 12 (distilled)"
TREE_L64 = "student: tree, 64 leaves (distilled)"
LABELS_L64 = "baseline: tree, 64 leaves (labels only)"

#: The goals of the issue, as (description, value function, threshold, unit).
GOALS = (
    (
        "depth-12 student, onnxruntime, one row",
        lambda r: r[TREE_D12]["ort_1_us"],
        "<=",
        10.0,
        "µs",
    ),
    (
        "10k-row throughput, depth-12 student / forest, both onnxruntime",
        lambda r: r[TREE_D12]["ort_rows_s"] / r[TEACHER]["ort_rows_s"],
        ">=",
        50.0,
        "x",
    ),
    (
        "10k-row throughput, 64-leaf student / forest, both onnxruntime",
        lambda r: r[TREE_L64]["ort_rows_s"] / r[TEACHER]["ort_rows_s"],
        ">=",
        100.0,
        "x",
    ),
    (
        "exported 64-leaf student, joblib file",
        lambda r: r[TREE_L64]["joblib_bytes"] / 1000,
        "<=",
        20.0,
        "KB",
    ),
)


def fit_models(X_train, y_train, n_trees=500, random_state=0, log=None):
    """The fitted teacher and the exported students, by name."""
    start = time.perf_counter()
    teacher = RandomForestClassifier(
        n_estimators=n_trees, n_jobs=1, random_state=random_state
    ).fit(X_train, y_train)
    _log(log, f"fitted the teacher in {time.perf_counter() - start:.1f}s")
    models = {TEACHER: teacher}
    for name, student in (
        (TREE_D12, DecisionTreeClassifier(max_depth=12, random_state=random_state)),
        (
            TREE_L64,
            DecisionTreeClassifier(max_leaf_nodes=64, random_state=random_state),
        ),
    ):
        start = time.perf_counter()
        clf = DistilledClassifier(
            # fitted once, frozen: each student labels its transfer rows with it
            FrozenEstimator(teacher),
            student,
            validation_fraction=None,
            random_state=random_state,
        ).fit(X_train, y_train)
        models[name] = clf.export_student()
        models[name].distilled_classifier = clf  # for the overhead measurement
        _log(log, f"distilled {name} in {time.perf_counter() - start:.1f}s")
    models[LABELS_L64] = DecisionTreeClassifier(
        max_leaf_nodes=64, random_state=random_state
    ).fit(X_train, y_train)
    return models


def _log(log, message):
    if log is not None:
        log(message)


def _session(onnx_bytes):
    """An onnxruntime session on one thread, as a latency-bound service runs."""
    import onnxruntime as rt

    options = rt.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return rt.InferenceSession(onnx_bytes, options, providers=["CPUExecutionProvider"])


def _median_seconds(call, repeats, warm_up=10):
    """Median wall time of ``call()`` over ``repeats`` calls, after warm-up."""
    for _ in range(warm_up):
        call()
    times = np.empty(repeats)
    for i in range(repeats):
        start = time.perf_counter()
        call()
        times[i] = time.perf_counter() - start
    return float(np.median(times))


def measure(model, X_test, y_test, *, n_calls=1000, n_batch_runs=5, batch_rows=10_000):
    """Sizes, one-row latency, batch throughput and accuracy of ``model``.

    scikit-learn gets float64 rows, as users hand them over; onnxruntime gets
    float32, its input type.
    """
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    onnx_bytes = to_onnx(model, X_test[:1]).SerializeToString()
    session = _session(onnx_bytes)
    X32 = X_test.astype(np.float32)
    batch = X_test[np.arange(batch_rows) % len(X_test)]
    batch32 = batch.astype(np.float32)
    row, row32 = X_test[:1], X32[:1]
    ort_labels = session.run(["label"], {"X": X32})[0]
    return {
        "joblib_bytes": len(buffer.getvalue()),
        "onnx_bytes": len(onnx_bytes),
        "skl_1_us": 1e6 * _median_seconds(lambda: model.predict(row), n_calls),
        "ort_1_us": 1e6
        * _median_seconds(lambda: session.run(["label"], {"X": row32}), n_calls),
        "skl_rows_s": batch_rows
        / _median_seconds(lambda: model.predict(batch), n_batch_runs, warm_up=1),
        "ort_rows_s": batch_rows
        / _median_seconds(
            lambda: session.run(["label"], {"X": batch32}), n_batch_runs, warm_up=1
        ),
        "skl_accuracy": float(np.mean(model.predict(X_test) == y_test)),
        "ort_accuracy": float(np.mean(ort_labels == y_test)),
    }


def run(X, y, *, n_trees=500, random_state=0, log=None, **measure_params):
    """Fit the teacher and students on 75% of the rows; measure on the rest."""
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=random_state
    )
    models = fit_models(X_train, y_train, n_trees, random_state, log)
    results = {}
    for name, model in models.items():
        wrapper = getattr(model, "distilled_classifier", None)
        if wrapper is not None:
            del model.distilled_classifier  # measure the student as it ships
        start = time.perf_counter()
        results[name] = measure(model, X_test, y_test, **measure_params)
        if wrapper is not None:
            results[name].update(
                wrapper_overhead(
                    wrapper, model, X_test, measure_params.get("n_calls", 1000)
                )
            )
        _log(log, f"measured {name} in {time.perf_counter() - start:.1f}s")
    return results


def wrapper_overhead(clf, student, X_test, n_calls):
    """One-row ``predict`` and ``predict_proba`` through ``DistilledClassifier``
    against the exported student it ships, in scikit-learn. The two calls
    alternate, so that a busy machine slows both alike."""
    row = X_test[:1]
    out = {}
    for method in ("predict", "predict_proba"):
        calls = {
            "wrapper": getattr(clf, method),
            "student": getattr(student, method),
        }
        times = {name: np.empty(n_calls) for name in calls}
        for call in calls.values():  # warm up
            call(row)
        for i in range(n_calls):
            for name, call in calls.items():
                start = time.perf_counter()
                call(row)
                times[name][i] = time.perf_counter() - start
        for name, values in times.items():
            out[f"{method}_{name}_us"] = 1e6 * float(np.median(values))
    return out


def results_table(results):
    """The markdown table of :func:`run`'s results, one row per model."""
    header = [
        "model", "joblib bytes", "ONNX bytes",
        "1 row sklearn (µs)", "1 row onnxruntime (µs)",
        "10k rows/s sklearn", "10k rows/s onnxruntime",
        "accuracy sklearn", "accuracy onnxruntime",
    ]  # fmt: skip
    rows = [
        [
            name,
            f"{r['joblib_bytes']:,}",
            f"{r['onnx_bytes']:,}",
            f"{r['skl_1_us']:,.1f}",
            f"{r['ort_1_us']:,.1f}",
            f"{r['skl_rows_s']:,.0f}",
            f"{r['ort_rows_s']:,.0f}",
            f"{r['skl_accuracy']:.4f}",
            f"{r['ort_accuracy']:.4f}",
        ]
        for name, r in results.items()
    ]
    return markdown_table(header, rows)


def goals_table(results):
    """The issue's goals beside the measured values."""
    rows = []
    for description, value, sign, threshold, unit in GOALS:
        measured = value(results)
        met = measured <= threshold if sign == "<=" else measured >= threshold
        rows.append(
            [
                description,
                f"{sign} {threshold:g} {unit}",
                f"{measured:,.1f} {unit}",
                "met" if met else "**not met**",
            ]
        )
    return markdown_table(["goal", "target", "measured", ""], rows)


def overhead_table(results):
    """One-row latency through DistilledClassifier against the exported student."""
    rows = []
    for name, r in results.items():
        if "predict_wrapper_us" not in r:
            continue
        for method in ("predict", "predict_proba"):
            wrapper, student = r[f"{method}_wrapper_us"], r[f"{method}_student_us"]
            ratio = wrapper / student
            rows.append(
                [
                    f"{name}: {method}",
                    f"{wrapper:,.1f}",
                    f"{student:,.1f}",
                    f"{ratio:.2f}",
                    "met" if ratio <= 1.5 else "**not met**",
                ]
            )
    return markdown_table(
        [
            "one row, scikit-learn",
            "DistilledClassifier (µs)",
            "exported student (µs)",
            "ratio (goal <= 1.5)",
            "",
        ],
        rows,
    )


def write_report(results, out, command, data_description):
    """Write ``README.md`` into ``out``; return its path and text."""
    import onnxruntime
    import skl2onnx
    import sklearn

    text = "\n\n".join(
        [
            "# Deployment benchmark: a 500-tree forest and its distilled trees",
            f"Command: `{command}`",
            f"Data: {data_description}; 75% of the rows train, 25% test "
            "(stratified, seed 0).",
            results_table(results),
            goals_table(results),
            overhead_table(results),
            _runtime_note(results),
            "One row: median over 1,000 calls of `predict` (scikit-learn, "
            "float64 input) or of `InferenceSession.run` for the labels "
            "(onnxruntime, float32 input), after 10 warm-up calls. 10k rows: "
            "median of 5 runs on a 10,000-row batch. BLAS and OpenMP limited "
            "to one thread (threadpoolctl); onnxruntime sessions with "
            "`intra_op_num_threads=1`. Students are the output of "
            "`DistilledClassifier(...).export_student()` (default transfer set, "
            "`validation_fraction=None`, `random_state=0`); ONNX models from "
            "`sklearn_kd._export.to_onnx` (no ZipMap).",
            f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}, "
            f"scikit-learn {sklearn.__version__}, onnxruntime "
            f"{onnxruntime.__version__}, skl2onnx {skl2onnx.__version__}.",
        ]
    )
    path = Path(out) / "README.md"
    path.write_text(text + "\n")
    (Path(out) / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    return path, text


def _runtime_note(results):
    """The students' batch speed-up against the forest's faster runtime.

    On one thread, onnxruntime may run a large forest's batches slower than
    scikit-learn does, which would flatter an onnxruntime-only ratio.
    """
    forest = results[TEACHER]
    best = max(forest["skl_rows_s"], forest["ort_rows_s"])
    runtime = "scikit-learn" if best == forest["skl_rows_s"] else "onnxruntime"
    ratios = ", ".join(
        f"{name.split(': ')[1]} {results[name]['ort_rows_s'] / best:,.0f}x"
        for name in (TREE_D12, TREE_L64)
    )
    return (
        f"On 10k-row batches the forest is fastest in {runtime} "
        f"({best:,.0f} rows/s; onnxruntime {forest['ort_rows_s']:,.0f}, "
        f"scikit-learn {forest['skl_rows_s']:,.0f}). Students in onnxruntime "
        f"against the forest in {runtime}: {ratios}."
    )


def load_data(args):
    """``(X, y, description)``: the ``--data`` file, else synthetic data."""
    if args.data:
        X, y, _ = load_table(args.data, args.target)
        if np.isnan(X).any():
            raise CommandError(f"{args.data} has missing values; fill them in.")
        return X, y, f"`{args.data}`, {X.shape[0]:,} rows, {X.shape[1]} features"
    X, y = make_classification(
        n_samples=20_000, n_features=20, n_informative=10, random_state=0
    )
    description = (
        "`make_classification(n_samples=20000, n_features=20, n_informative=10, "
        "random_state=0)`"
    )
    return X, y, description


def main(args):
    """Run the ``deploy`` subcommand; return the exit status."""
    from threadpoolctl import threadpool_limits

    try:
        import onnxruntime  # noqa: F401
        import skl2onnx  # noqa: F401
    except ImportError as exc:
        raise CommandError(
            f"deploy needs skl2onnx and onnxruntime ({exc}): "
            "pip install -c constraints.txt '.[onnx]' from a clone of sklearn_kd."
        ) from exc
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    check_writable(out / "README.md", "--out")
    X, y, description = load_data(args)
    command = "python -m sklearn_kd " + " ".join(map(shlex.quote, args.argv))

    def log(message):
        print(f"[deploy] {message}", file=sys.stderr, flush=True)

    with threadpool_limits(limits=1):
        results = run(X, y, log=log)
    path, text = write_report(results, out, command, description)
    print(text)
    print(f"\nWritten to {path}.")
    return 0
