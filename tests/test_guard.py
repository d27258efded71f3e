"""The guard: a paired test on held-out rows, and the final fit beside it."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import (
    BaggingClassifier,
    BaggingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.metrics import r2_score
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from sklearn_kd import DistilledClassifier, DistilledRegressor
from sklearn_kd._validation import (
    FALLBACK_Z,
    TEACHER_CHECK_FOLDS,
    keep_distilled,
    labels_lead,
    r2_from_squared_errors,
    teacher_check_folds,
)


def _losses(n_rows, labels_only_right, distilled_only_right):
    """0/1 errors of two candidates that disagree on a few rows."""
    labels, distilled = np.zeros(n_rows), np.zeros(n_rows)
    distilled[:labels_only_right] = 1.0
    labels[labels_only_right : labels_only_right + distilled_only_right] = 1.0
    return {"labels": labels, "distilled": distilled}


def test_a_lead_within_noise_keeps_distillation():
    """Labels right on 12 rows, distilled on 8, out of 2,000: a 0.2-point
    lead that a plain comparison would act on, about 0.9 standard errors."""
    lead = labels_lead(_losses(2000, 12, 8), None)
    assert 0 < lead < FALLBACK_Z
    assert keep_distilled(lead)


def test_a_clear_lead_falls_back():
    lead = labels_lead(_losses(2000, 40, 10), None)
    assert lead > FALLBACK_Z
    assert not keep_distilled(lead)


def test_ties_and_total_defeat():
    assert labels_lead(_losses(100, 0, 0), None) == 0.0
    assert keep_distilled(0.0)
    # labels right everywhere, distilled wrong everywhere: no spread at all
    assert labels_lead(_losses(100, 100, 0), None) == np.inf
    assert labels_lead(_losses(100, 0, 100), None) == -np.inf


def test_lead_follows_sample_weight():
    """The rows where labels win weigh 10 times more: the lead turns."""
    losses = _losses(2000, 12, 24)
    assert labels_lead(losses, None) < 0
    weight = np.ones(2000)
    weight[:12] = 10.0
    assert labels_lead(losses, weight) > FALLBACK_Z


def test_any_clear_lead_falls_back_and_unscored_rivals_do_not_count():
    assert not keep_distilled(0.0, FALLBACK_Z + 0.1)
    assert not keep_distilled(FALLBACK_Z + 0.1, None)
    assert keep_distilled(FALLBACK_Z - 0.1, None)


def _stumps_beaten_by_a_tree(regression):
    """Data where a depth-4 tree on labels beats a bagged stumps teacher by
    far, and a distiller that learns almost only the labels (``alpha=0.99``,
    no transfer rows), so its own candidate ties with the labels one: only
    the teacher's score can make the guard fall back."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(800, 2))
    if regression:
        y = np.sign(X[:, 0] * X[:, 1]) + 0.1 * rng.normal(size=800)
        teacher, student = BaggingRegressor, DecisionTreeRegressor
        Distiller, stump = DistilledRegressor, DecisionTreeRegressor(max_depth=1)
    else:
        y = (X[:, 0] * X[:, 1] > 0).astype(int)
        teacher, student = BaggingClassifier, DecisionTreeClassifier
        Distiller, stump = DistilledClassifier, DecisionTreeClassifier(max_depth=1)
    distiller = Distiller(
        teacher(stump, n_estimators=20, random_state=0),
        student(max_depth=4, random_state=0),
        alpha=0.99,
        transfer=None,
        random_state=0,
    )
    return distiller, X, y


@pytest.mark.parametrize("regression", [False, True], ids=["classifier", "regressor"])
def test_a_teacher_the_labels_beat_out_of_bag_makes_the_guard_fall_back(regression):
    """The teacher's out-of-bag outputs on the held-out rows are honest: when
    the student on labels beats them clearly, the guard falls back even though
    the distilled candidate, whose teacher saw those rows, is not beaten."""
    distiller, X, y = _stumps_beaten_by_a_tree(regression)
    with pytest.warns(UserWarning, match="teacher's own oob predictions"):
        distiller.fit(X, y)
    scores = distiller.validation_scores_
    assert distiller.soft_targets_ == "oob"
    assert scores["labels_lead"] < FALLBACK_Z < scores["labels_lead_over_teacher"]
    assert scores["teacher"] < scores["labels"]
    assert not distiller.distilled_


class CornerFlipper(RandomForestClassifier):
    """A forest that learns the labels flipped on the 1.5% of rows with the
    largest second feature, and so errs there out of bag too."""

    def fit(self, X, y, sample_weight=None):
        corner = X[:, 1] > np.quantile(X[:, 1], 0.985)
        return super().fit(X, np.where(corner, 1 - y, y), sample_weight)


def test_the_teacher_is_judged_on_every_labelled_row():
    """A teacher worse than the student on labels on too few rows for the
    held-out fifth to show it (it errs on one of them: one discordant row is
    one standard error) is caught on all rows, each predicted by a student on
    labels that did not see it."""
    rng = np.random.RandomState(3)
    X = rng.normal(size=(1000, 2))
    y = (X[:, 0] > 0).astype(int)
    distiller = DistilledClassifier(
        CornerFlipper(n_estimators=50, random_state=0),
        DecisionTreeClassifier(max_depth=2, random_state=0),
        transfer=None,
        random_state=0,
    )
    with pytest.warns(UserWarning, match="on all 1000 labelled rows"):
        distiller.fit(X, y)
    scores = distiller.validation_scores_
    # on the 200 held-out rows the teacher errs once more than the labels
    assert round(200 * (scores["labels"] - scores["teacher"])) == 1
    assert scores["labels_lead"] < FALLBACK_Z < scores["labels_lead_over_teacher"]
    assert not distiller.distilled_


@pytest.mark.parametrize("stratify", [True, False])
def test_check_folds_split_the_labelled_rows_outside_the_held_out_part(stratify):
    """The folds cover each labelled row of the fit part once, and no
    held-out or unlabelled row; stratified, each keeps the classes' shares."""
    rng = np.random.RandomState(0)
    y = np.repeat([0, 1, 2], [80, 40, 20])
    is_labelled = rng.uniform(size=len(y)) > 0.1
    fit_part = np.sort(rng.choice(len(y), size=110, replace=False))
    folds = teacher_check_folds(y, fit_part, is_labelled, rng, stratify)
    assert len(folds) == TEACHER_CHECK_FOLDS
    rows = np.concatenate(folds)
    assert_array_equal(np.sort(rows), fit_part[is_labelled[fit_part]])
    if stratify:
        shares = np.bincount(y[rows]) / len(rows)
        for fold in folds:
            assert (
                np.abs(np.bincount(y[fold], minlength=3) / len(fold) - shares).max()
                < 0.1
            )


@pytest.mark.parametrize("regression", [False, True], ids=["classifier", "regressor"])
def test_in_sample_teacher_outputs_are_not_scored(regression):
    """In-sample outputs flatter the teacher on rows it was fitted on: the
    guard does not score it, and keeps the distilled student of the test above."""
    distiller, X, y = _stumps_beaten_by_a_tree(regression)
    distiller.set_params(soft_targets="in_sample").fit(X, y)
    scores = distiller.validation_scores_
    assert scores["teacher"] is None and scores["labels_lead_over_teacher"] is None
    assert scores["labels_lead"] < FALLBACK_Z and distiller.distilled_


class WrongTeacher(RandomForestClassifier):
    """A forest that learns the labels flipped: distilling it can only hurt."""

    def fit(self, X, y, sample_weight=None):
        return super().fit(X, 1 - y, sample_weight)


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_fallback_refits_on_labels_with_and_without_speculation(n_jobs):
    """With two jobs the distilled student is fitted beside the candidates;
    when the guard falls back, the final student is still the labels one."""
    X, y = make_classification(n_samples=600, random_state=0)
    clf = DistilledClassifier(
        WrongTeacher(n_estimators=10, random_state=0),
        DecisionTreeClassifier(max_depth=3, random_state=0),
        n_jobs=n_jobs,
        random_state=0,
    )
    with pytest.warns(UserWarning, match="trained on labels alone"):
        clf.fit(X, y)
    assert not clf.distilled_ and clf.validation_scores_["labels_lead"] > FALLBACK_Z
    on_labels = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    assert_array_equal(clf.predict(X), on_labels.predict(X))


@pytest.mark.parametrize(
    "estimator, make",
    [
        (
            DistilledClassifier(
                RandomForestClassifier(n_estimators=10, random_state=0),
                DecisionTreeClassifier(max_depth=4, random_state=0),
                random_state=0,
            ),
            make_classification,
        ),
        (
            DistilledRegressor(
                RandomForestRegressor(n_estimators=10, random_state=0),
                DecisionTreeRegressor(max_depth=4, random_state=0),
                random_state=0,
            ),
            make_regression,
        ),
    ],
    ids=["classifier", "regressor"],
)
def test_speculative_final_fit_gives_the_same_student(estimator, make):
    """Fitting the final student beside the guard's candidates changes when
    it is fitted, not what it is."""
    X, y = make(n_samples=400, n_features=6, random_state=0)
    one = estimator.set_params(n_jobs=None).fit(X, y)
    one_scores, one_pred = dict(one.validation_scores_), one.predict(X)
    two = estimator.set_params(n_jobs=2).fit(X, y)
    assert two.validation_scores_ == one_scores
    assert_array_equal(two.predict(X), one_pred)
    temperature = getattr(one, "temperature_", None)
    assert getattr(two, "temperature_", None) == temperature


@pytest.mark.parametrize("constant", [False, True])
def test_r2_from_squared_errors_is_weighted_r2(constant):
    """The regressor's held-out score is scikit-learn's weighted R², constant
    targets included."""
    rng = np.random.default_rng(0)
    y = np.full(50, 3.0) if constant else rng.normal(size=50)
    pred, weight = y + rng.normal(scale=0.5, size=50), rng.uniform(0.5, 2, 50)
    for predicted in (pred, y):
        assert r2_from_squared_errors((predicted - y) ** 2, y, weight) == (
            pytest.approx(r2_score(y, predicted, sample_weight=weight))
        )


@pytest.mark.parametrize("Distiller", [DistilledClassifier, DistilledRegressor])
def test_held_out_rows_of_zero_weight_skip_the_guard(Distiller):
    """Held-out rows that all weigh zero cannot judge: no division by zero,
    the guard is skipped as when too few rows would be held out."""
    X, y = make_classification(n_samples=600, random_state=0)
    weight = np.zeros(len(y))
    weight[0] = 1.0  # one row with weight: the held-out fifth weighs nothing
    regression = Distiller is DistilledRegressor
    Forest = RandomForestRegressor if regression else RandomForestClassifier
    Tree = DecisionTreeRegressor if regression else DecisionTreeClassifier
    clf = Distiller(
        Forest(n_estimators=10, random_state=0),
        Tree(max_depth=3, random_state=0),
        validation_fraction=0.2,
        random_state=0,
    )
    clf.fit(X, y.astype(float) if regression else y, sample_weight=weight)
    assert clf.validation_scores_ is None and clf.distilled_
