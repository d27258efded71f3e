"""Teacher probabilities to training targets: alignment, temperature, mixing."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy.special import softmax


def align_proba(proba, source_classes, classes):
    """Reorder the columns of ``proba`` from ``source_classes`` to ``classes``.

    A class of ``classes`` that ``source_classes`` lacks gets probability zero;
    a column of a class outside ``classes`` is dropped and each row is
    renormalised over the classes that remain (the teacher's belief conditioned
    on the known classes). A row left with no mass becomes uniform.
    """
    proba = np.asarray(proba, dtype=np.float64)
    source_classes = np.asarray(source_classes)
    classes = np.asarray(classes)
    if proba.shape[1] != len(source_classes):
        raise ValueError(
            f"The teacher returned {proba.shape[1]} probability columns but has "
            f"{len(source_classes)} classes."
        )
    if len(source_classes) == len(classes) and np.array_equal(source_classes, classes):
        return proba
    aligned = np.zeros((proba.shape[0], len(classes)))
    index = {label: j for j, label in enumerate(classes.tolist())}
    for i, label in enumerate(source_classes.tolist()):
        j = index.get(label)
        if j is not None:
            aligned[:, j] = proba[:, i]
    return normalize_rows(aligned)


def normalize_rows(proba):
    """Make every row of a non-negative matrix sum to one (empty rows: uniform)."""
    proba = np.clip(np.asarray(proba, dtype=np.float64), 0.0, None)
    total = proba.sum(axis=1, keepdims=True)
    empty = ~(total > 0)[:, 0]
    out = np.divide(proba, total, out=np.zeros_like(proba), where=total > 0)
    out[empty] = 1.0 / proba.shape[1]
    return out


def decision_to_proba(decision, n_classes):
    """Turn ``decision_function`` scores into probabilities with a softmax.

    A binary classifier returns one score per row, the logit of the positive
    class; it becomes the two columns ``[0, score]`` before the softmax.
    """
    decision = np.asarray(decision, dtype=np.float64)
    if decision.ndim == 1 or decision.shape[1] == 1:
        decision = decision.reshape(-1, 1)
        decision = np.hstack([np.zeros_like(decision), decision])
    if decision.shape[1] != n_classes:
        raise ValueError(
            f"decision_function returned {decision.shape[1]} columns for "
            f"{n_classes} classes."
        )
    return softmax(decision, axis=1)


def soften(proba, temperature):
    """Return ``softmax(log(proba) / temperature)`` row by row.

    Temperature 1 is the identity, a higher temperature flattens the
    distribution and a lower one sharpens it. Zero probabilities stay zero.
    Computed in log space from each row's largest log-probability, so any
    temperature in (0, inf) is exact: a tiny one gives the one-hot argmax
    (ties shared) rather than an overflow.
    """
    proba = np.asarray(proba, dtype=np.float64)
    if temperature == 1.0:
        return normalize_rows(proba)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_proba = np.log(np.clip(proba, 0.0, None))
        top = log_proba.max(axis=1, keepdims=True)
        # (log p - max log p) <= 0, so dividing by a tiny temperature gives
        # -inf or 0, never an overflow; the largest entry maps to exp(0) = 1
        out = np.exp((log_proba - top) / temperature)
    # a row whose mass is all zero (or NaN) becomes uniform
    out[~np.isfinite(top[:, 0])] = 1.0
    return out / out.sum(axis=1, keepdims=True)


def sharpen(proba, temperature):
    """Undo :func:`soften`: ``proba ** temperature``, renormalised.

    A student that learnt targets at ``temperature`` is reported at
    temperature 1, as Hinton et al. deploy their students.
    """
    return soften(proba, 1.0 / temperature)


def mix_targets(y_encoded, soft, alpha):
    """Blend one-hot labels and soft targets: ``alpha * onehot + (1 - alpha) * soft``.

    Rows whose label is ``-1`` (unlabelled, as in scikit-learn's
    semi-supervised estimators) keep their soft targets alone.
    """
    soft = np.asarray(soft, dtype=np.float64)
    y_encoded = np.asarray(y_encoded)
    targets = (1.0 - alpha) * soft
    labelled = y_encoded >= 0
    targets[labelled, y_encoded[labelled]] += alpha
    targets[~labelled] = soft[~labelled]
    return targets
