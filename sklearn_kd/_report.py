"""Measuring what a distilled student keeps and what it costs."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import pickle
import time

import numpy as np
from sklearn.metrics import accuracy_score, log_loss
from sklearn.utils import _safe_indexing

#: Rows in the batch of the batch predict-time measurement.
BATCH_ROWS = 10_000


def model_size(model):
    """Pickled size in bytes, and a count of leaves or parameters where known.

    A fitted distiller is measured by what ships: its exported student (or
    its ``student_`` where no export exists), not the teacher it may hold.
    """
    shipped = model
    if hasattr(model, "student_"):
        try:
            shipped = model.export_student()
        except (TypeError, ValueError):
            shipped = model.student_
    n_bytes = len(pickle.dumps(shipped, protocol=pickle.HIGHEST_PROTOCOL))
    return n_bytes, _complexity(model)


def _complexity(model):
    """Leaves of trees and tree ensembles, else coefficients, else None."""
    model = getattr(model, "student_", model)
    if hasattr(model, "steps"):
        model = model.steps[-1][1]
    wrapped = getattr(model, "estimator_", None)  # a wrapper such as imodels' HS
    if not hasattr(model, "tree_") and hasattr(wrapped, "tree_"):
        model = wrapped
    if hasattr(model, "tree_"):
        return int(model.tree_.n_leaves)
    if hasattr(model, "estimators_"):
        trees = np.ravel(model.estimators_)
        if all(hasattr(t, "tree_") for t in trees):
            return int(sum(t.tree_.n_leaves for t in trees))
    if hasattr(model, "_predictors"):  # histogram gradient boosting
        return int(
            sum(p.nodes["is_leaf"].sum() for it in model._predictors for p in it)
        )
    if hasattr(model, "coefs_"):  # multi-layer perceptron
        return int(sum(w.size for w in model.coefs_ + model.intercepts_))
    if hasattr(model, "coef_"):
        return int(np.size(model.coef_) + np.size(model.intercept_))
    module = getattr(model, "module_", None)  # skorch
    if module is not None:
        return int(sum(p.numel() for p in module.parameters()))
    return None


def predict_times(model, X, repeats=5):
    """Median seconds to predict ``BATCH_ROWS`` rows and to predict one row."""
    n_rows = X.shape[0]
    batch = _safe_indexing(X, np.arange(BATCH_ROWS) % n_rows)
    one = _safe_indexing(X, [0])
    model.predict(one)  # warm up lazy initialisation
    batch_times, one_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        model.predict(batch)
        batch_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(20):
            model.predict(one)
        one_times.append((time.perf_counter() - start) / 20)
    return float(np.median(batch_times)), float(np.median(one_times))


def evaluate(model, X, y, *, classes, teacher_pred=None, timing=True):
    """Accuracy, log-loss, agreement with the teacher, size and predict times.

    Parameters
    ----------
    model : fitted classifier
        The model to measure.
    X, y : test rows and their labels.
    classes : array-like
        All class labels, so log-loss is defined when a class is missing.
    teacher_pred : array-like of shape (n_samples,), default=None
        The teacher's predictions on ``X``, for the agreement.
    timing : bool, default=True
        Whether to measure predict times.

    Returns
    -------
    report : dict
    """
    proba = model.predict_proba(X)
    pred = np.asarray(model.classes_)[np.argmax(proba, axis=1)]
    n_bytes, complexity = model_size(model)
    report = {
        "accuracy": accuracy_score(y, pred),
        "log_loss": log_loss(y, np.clip(proba, 1e-15, 1), labels=classes),
        "agreement": (
            float(np.mean(pred == teacher_pred)) if teacher_pred is not None else None
        ),
        "bytes": n_bytes,
        "complexity": complexity,
    }
    if timing:
        report["predict_10k_s"], report["predict_1_s"] = predict_times(model, X)
    return report


def markdown_table(header, rows):
    """A markdown table; columns after the first are right-aligned (numbers).

    >>> print(markdown_table(["model", "bytes"], [["tree", "1,024"]]))
    | model | bytes |
    |---|---:|
    | tree | 1,024 |
    """
    lines = [
        "| " + " | ".join(header) + " |",
        "|---|" + "---:|" * (len(header) - 1),
    ]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in rows]
    return "\n".join(lines)
