"""The guard: does the distilled student beat the same student on labels?"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split

#: Fewest held-out rows for which the validation of ``validation_fraction`` runs.
MIN_VALIDATION_ROWS = 50

#: Fewest rows of every class for the held-out comparison to mean anything.
MIN_CLASS_ROWS = 5


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


def held_out_accuracy(route, student, X, y_encoded, sample_weight, n_classes):
    """Weighted accuracy of a fitted candidate on held-out rows."""
    pred = route.predict_index(student, X, n_classes)
    return float(np.average(pred == y_encoded, weights=sample_weight))


def held_out_r2(student, X, y, sample_weight):
    """R² of a fitted regression candidate on held-out rows."""
    return float(r2_score(y, student.predict(X), sample_weight=sample_weight))


def keep_distilled(scores):
    """The guard's decision: ties go to the teacher's targets, which also
    calibrate better."""
    return scores["distilled"] >= scores["labels"]
