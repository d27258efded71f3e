"""The guard: does the distilled student beat the same student on labels?"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.model_selection import train_test_split

#: Fewest held-out rows for which the validation of ``validation_fraction`` runs.
MIN_VALIDATION_ROWS = 50

#: Fewest rows of every class for the held-out comparison to mean anything.
MIN_CLASS_ROWS = 5


def validation_split(y_encoded, fraction, rng):
    """Stratified (fit, held-out) row indices, or (None, None) if too few rows.

    Rows without a label (``-1``) all go to the fit part.
    """
    labelled = np.flatnonzero(y_encoded >= 0)
    counts = np.bincount(y_encoded[labelled])
    n_held = int(fraction * len(labelled))
    if n_held < MIN_VALIDATION_ROWS or np.min(counts[counts > 0]) < MIN_CLASS_ROWS:
        return None, None
    fit_part, held_out = train_test_split(
        labelled, test_size=n_held, stratify=y_encoded[labelled], random_state=rng
    )
    unlabelled = np.flatnonzero(y_encoded < 0)
    return np.sort(np.concatenate([fit_part, unlabelled])), np.sort(held_out)


def held_out_accuracy(route, student, X, y_encoded, sample_weight, n_classes):
    """Weighted accuracy of a fitted candidate on held-out rows."""
    pred = route.predict_index(student, X, n_classes)
    return float(np.average(pred == y_encoded, weights=sample_weight))


def keep_distilled(scores):
    """The guard's decision: ties go to the teacher's targets, which also
    calibrate better."""
    return scores["distilled"] >= scores["labels"]
