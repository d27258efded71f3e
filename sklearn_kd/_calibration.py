"""One temperature for a tree student's probabilities, fitted on held-out rows.

A tree student's leaves hold the mean of its rows' targets: the teacher's
probabilities, blended with the labels. A forest teacher's probabilities are
too flat (its trees disagree near every boundary) and a boosting teacher's
in-sample ones too sharp, and the leaves inherit either. The guard's held-out
rows are rows neither candidate was fitted on, so they can say by how much:
one temperature, fitted there by log-loss as in temperature scaling (Guo et
al. 2017, "On calibration of modern neural networks"), and applied to every
leaf of the final student. Within a leaf the class order is kept, so a single
tree predicts the same classes; the exported student stays a plain
scikit-learn tree or forest.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy.optimize import minimize_scalar

from sklearn_kd._soft_targets import soften

#: Range of the fitted temperature. A temperature is one number fitted on a
#: few hundred rows at the least; held-out rows that a student gets all right
#: would drive it towards 0 and make every leaf certain, so that one error on
#: new data costs the log-loss of a near-zero probability. At 1/4 a leaf at
#: 0.9 and 0.1 becomes 0.99985 and 0.00015: sharp, and still finite.
TEMPERATURE_BOUNDS = (0.25, 4.0)

#: Smallest probability the held-out log-loss counts: a leaf without any mass
#: on a row's class costs the same at every temperature.
_FLOOR = 1e-15


def tempered_proba(member_proba, temperature):
    """Mean over members (trees) of their probabilities softened at ``temperature``.

    ``member_proba`` is a list of arrays of shape (n_samples, n_classes), one
    per tree (one for a single tree).
    """
    return np.mean([soften(proba, temperature) for proba in member_proba], axis=0)


def held_out_log_loss(member_proba, y_encoded, sample_weight, temperature):
    """Weighted mean log-loss of the tempered probabilities on encoded labels."""
    proba = tempered_proba(member_proba, temperature)
    picked = proba[np.arange(len(y_encoded)), y_encoded]
    return float(np.average(-np.log(np.maximum(picked, _FLOOR)), weights=sample_weight))


def fit_temperature(member_proba, y_encoded, sample_weight=None):
    """The temperature in :data:`TEMPERATURE_BOUNDS` of least held-out log-loss.

    Returns ``(temperature, log_loss_at_1, log_loss_at_temperature)``.
    Searched on the log scale, where sharpening and flattening by the same
    factor lie equally far from 1.

    Examples
    --------
    >>> import numpy as np
    >>> flat = np.array([[0.6, 0.4], [0.6, 0.4], [0.4, 0.6], [0.4, 0.6]])
    >>> y = np.array([0, 0, 1, 1])
    >>> temperature, before, after = fit_temperature([flat], y)
    >>> round(temperature, 2), after < before
    (0.25, True)
    """
    low, high = np.log(TEMPERATURE_BOUNDS)
    result = minimize_scalar(
        lambda log_t: held_out_log_loss(
            member_proba, y_encoded, sample_weight, np.exp(log_t)
        ),
        bounds=(low, high),
        method="bounded",
        options={"xatol": 1e-3},
    )
    before = held_out_log_loss(member_proba, y_encoded, sample_weight, 1.0)
    if not result.fun < before:  # nothing better than the leaves as they are
        return 1.0, before, before
    return float(np.exp(result.x)), before, float(result.fun)
