"""The temperature the guard's held-out rows give a tree student's leaves."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.tree import DecisionTreeClassifier

from sklearn_kd import DistilledClassifier
from sklearn_kd._calibration import TEMPERATURE_BOUNDS, fit_temperature
from sklearn_kd._soft_targets import soften


def _data(seed=0):
    X, y = make_classification(
        3000, 10, n_informative=5, n_classes=3, random_state=seed
    )
    return X[:2000], X[2000:], y[:2000], y[2000:]


def _fit(teacher, student, X, y, **params):
    return DistilledClassifier(teacher, student, random_state=0, **params).fit(X, y)


@pytest.mark.parametrize(
    "teacher, sharpened",
    [
        # a forest of depth-3 trees: flat probabilities, out-of-bag targets
        (RandomForestClassifier(100, max_depth=3, random_state=0), True),
        # boosting's in-sample probabilities on the rows it grew on: too sure
        (
            HistGradientBoostingClassifier(
                max_iter=200, early_stopping=False, random_state=0
            ),
            False,
        ),
    ],
    ids=["flat teacher", "sure teacher"],
)
def test_the_temperature_corrects_the_teachers_confidence(teacher, sharpened):
    """A flat teacher's student gets sharper leaves, an overconfident one's
    softer leaves; either way the test log-loss falls and a single tree
    predicts the same classes as without the guard."""
    X, X_test, y, y_test = _data()
    # an unlimited tree copies the in-sample teacher's certainty
    student = DecisionTreeClassifier(max_depth=6 if sharpened else None, random_state=0)
    guarded = _fit(teacher, student, X, y)
    unguarded = _fit(teacher, student, X, y, validation_fraction=None)
    temperature = guarded.calibration_temperature_
    assert guarded.distilled_
    assert (temperature < 1) if sharpened else (temperature > 1)
    assert unguarded.calibration_temperature_ is None
    assert_array_equal(guarded.predict(X_test), unguarded.predict(X_test))
    assert log_loss(y_test, guarded.predict_proba(X_test)) < log_loss(
        y_test, unguarded.predict_proba(X_test)
    )


def test_a_forest_student_has_each_of_its_trees_softened():
    """The exported forest stays a plain forest: each tree's leaves are
    softened, and the forest averages them as before."""
    X, X_test, y, _ = _data()
    teacher = RandomForestClassifier(100, random_state=0)
    student = RandomForestClassifier(5, random_state=0)
    guarded = _fit(teacher, student, X, y)
    unguarded = _fit(teacher, student, X, y, validation_fraction=None)
    temperature = guarded.calibration_temperature_
    assert temperature != 1.0
    expected = np.mean(
        [
            soften(tree.predict_proba(X_test), temperature)
            for tree in unguarded.student_.estimators_
        ],
        axis=0,
    )
    assert_allclose(guarded.predict_proba(X_test), expected)
    exported = guarded.export_student()
    assert type(exported) is RandomForestClassifier
    assert_allclose(exported.predict_proba(X_test), expected)


@pytest.mark.parametrize(
    "params",
    [
        {"validation_fraction": None},
        # a student on labels alone has nothing of the teacher's to correct
        {"alpha": 1.0, "transfer": None},
    ],
    ids=["no guard", "labels only"],
)
def test_no_temperature_without_held_out_distillation(params):
    X, _, y, _ = _data()
    model = _fit(
        RandomForestClassifier(20, random_state=0),
        DecisionTreeClassifier(max_depth=4, random_state=0),
        X,
        y,
        **params,
    )
    assert model.calibration_temperature_ is None


def test_students_without_leaves_are_left_as_they_are():
    """Only trees and forests can carry the temperature inside the exported
    estimator; other students keep their own probabilities."""
    X, _, y, _ = _data()
    model = _fit(
        RandomForestClassifier(100, random_state=0),
        LogisticRegression(max_iter=500),
        X,
        y,
    )
    assert model.distilled_ and model.validation_scores_ is not None
    assert model.calibration_temperature_ is None


def test_a_student_right_on_every_held_out_row_is_not_made_certain():
    """Held-out rows all right pull the temperature towards 0; the lower
    bound keeps a leaf at 0.9 / 0.1 from becoming 1 / 0."""
    proba = np.array([[0.9, 0.1], [0.2, 0.8]] * 50)
    y = np.array([0, 1] * 50)
    temperature, before, after = fit_temperature([proba], y)
    assert temperature == pytest.approx(TEMPERATURE_BOUNDS[0], rel=1e-2)
    assert after < before
    assert soften(proba, temperature).min() > 1e-4


def test_calibrated_probabilities_keep_temperature_one():
    """Probabilities whose confidence matches the held-out hit rate are left
    within a few percent of temperature 1, and weights count."""
    rng = np.random.default_rng(0)
    proba = np.tile([0.8, 0.2], (5000, 1))
    y = (rng.random(5000) > 0.8).astype(int)  # right 80% of the time
    temperature, _, _ = fit_temperature([proba], y)
    assert temperature == pytest.approx(1.0, abs=0.05)
    # weigh the rows it gets wrong ten times: it must soften
    weight = np.where(y == 1, 10.0, 1.0)
    assert fit_temperature([proba], y, weight)[0] > 1.5
