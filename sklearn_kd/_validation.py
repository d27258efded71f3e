"""The guard: does the distilled student beat the same student on labels?"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split

#: Fewest held-out rows for which the validation of ``validation_fraction`` runs.
MIN_VALIDATION_ROWS = 50

#: Fewest rows of every class for the held-out comparison to mean anything.
MIN_CLASS_ROWS = 5

#: How many standard errors of the paired difference the labels-only
#: candidate must lead by on held-out rows before the guard falls back to it
#: (a one-sided test at the 5% level). A plain "labels score higher" rule
#: acted on noise: on a fifth of 10,000 rows, two trees' accuracies differ by
#: a point by chance, and that rule threw away more than it saved.
FALLBACK_Z = 1.645


def validation_split(y, is_labelled, fraction, rng, stratify=True):
    """(fit, held-out) row indices, or (None, None) if too few rows.

    Rows without a label all go to the fit part. With ``stratify`` (classes),
    the split keeps each class's share and needs a few rows of every class.
    """
    labelled = np.flatnonzero(is_labelled)
    n_held = int(fraction * len(labelled))
    if n_held < MIN_VALIDATION_ROWS:
        return None, None
    strata = None
    if stratify:
        strata = y[labelled]
        counts = np.bincount(strata)
        if np.min(counts[counts > 0]) < MIN_CLASS_ROWS:
            return None, None
    fit_part, held_out = train_test_split(
        labelled, test_size=n_held, stratify=strata, random_state=rng
    )
    unlabelled = np.flatnonzero(~is_labelled)
    return np.sort(np.concatenate([fit_part, unlabelled])), np.sort(held_out)


#: Folds the labelled rows outside the held-out part are split into when the
#: teacher is checked on every labelled row (:func:`teacher_check_folds`): with the
#: default fifth held out, five equal folds in all.
TEACHER_CHECK_FOLDS = 4


def teacher_check_folds(y, fit_part, is_labelled, rng, stratify=True):
    """The labelled rows of ``fit_part`` split into ``TEACHER_CHECK_FOLDS``
    folds (a list of row indices), stratified when ``stratify`` and every
    class has a row for each fold.

    Each fold is predicted by the student on labels fitted on every other
    labelled row, so that, with the guard's held-out rows, every labelled
    row gets a prediction from a student that did not see it.
    """
    labelled = fit_part[is_labelled[fit_part]]
    n_folds = min(TEACHER_CHECK_FOLDS, len(labelled))
    if n_folds < 2:
        return []
    strata = y[labelled] if stratify else None
    splitter = KFold(n_folds, shuffle=True, random_state=rng)
    if strata is not None:
        counts = np.bincount(strata)
        if counts[counts > 0].min() >= n_folds:
            splitter = StratifiedKFold(n_folds, shuffle=True, random_state=rng)
    return [labelled[fold] for _, fold in splitter.split(labelled, strata)]


def held_out_errors(route, student, X, y_encoded, n_classes):
    """Per held-out row, 1.0 where a fitted classifier candidate errs."""
    return (route.predict_index(student, X, n_classes) != y_encoded).astype(float)


def teacher_errors(outputs, y_encoded):
    """Per held-out row, 1.0 where the teacher's probabilities ``outputs``
    (columns in encoded class order) do not rank the row's class first."""
    return (np.argmax(outputs, axis=1) != y_encoded).astype(float)


def held_out_squared_errors(student, X, y):
    """Per held-out row, the squared error of a fitted regression candidate."""
    return (np.asarray(student.predict(X), dtype=float) - y) ** 2


def r2_from_squared_errors(squared_errors, y, sample_weight):
    """Weighted R² from per-row squared errors, as ``r2_score`` gives it:
    for constant targets, 1 for a perfect fit and 0 otherwise."""
    mean = np.average(y, weights=sample_weight)
    spread = np.average((y - mean) ** 2, weights=sample_weight)
    residual = float(np.average(squared_errors, weights=sample_weight))
    if spread == 0:
        return 1.0 if residual == 0 else 0.0
    return 1.0 - residual / float(spread)


#: ``soft_targets_`` methods whose outputs on a training row come from a teacher
#: that did not see that row: the guard may score the teacher itself on its
#: held-out rows with them.
HONEST_SOFT_TARGETS = ("oob", "cross_fit")


def labels_lead(losses, sample_weight, rival="distilled"):
    """How far the labels-only candidate leads ``rival``, in standard errors.

    ``losses`` maps ``"labels"`` and ``rival`` to per-row losses on the
    same held-out rows. The statistic is the paired one: the weighted mean of
    the per-row difference (the rival's loss minus labels') over its standard
    error, so rows both get right or wrong cost no noise. Positive when the
    labels-only candidate does better.
    """
    diff = losses[rival] - losses["labels"]
    weight = np.ones_like(diff) if sample_weight is None else sample_weight
    total = weight.sum()
    mean = float(weight @ diff) / total
    std_error = np.sqrt(float(weight**2 @ (diff - mean) ** 2)) / total
    if std_error == 0:
        return 0.0 if mean == 0 else float(np.sign(mean) * np.inf)
    return mean / std_error


def keep_distilled(*leads):
    """The guard's decision: keep the teacher's targets unless the labels-only
    candidate leads any rival by more than ``FALLBACK_Z`` standard errors.

    The rivals are the distilled candidate and, when its held-out outputs are
    honest, the teacher itself: a student that imitates a teacher which the
    same student on labels clearly beats has nothing to gain from it.
    """
    return not any(lead > FALLBACK_Z for lead in leads if lead is not None)
