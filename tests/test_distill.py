"""Behaviour of DistilledClassifier."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import pickle
import re

import joblib
import numpy as np
import pytest
from sklearn import config_context
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_iris, make_classification
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import (
    GradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, cross_val_predict
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import get_tags

from sklearn_kd import DistilledClassifier, UnlabeledTransfer

X_IRIS, Y_IRIS = load_iris(return_X_y=True)
X_BIN, Y_BIN = make_classification(
    n_samples=200, n_features=6, n_informative=4, random_state=0
)


def small_forest(**kwargs):
    return RandomForestClassifier(n_estimators=10, random_state=0, **kwargs)


class CountingClassifier(ClassifierMixin, BaseEstimator):
    """A prior classifier that counts its fits and remembers its fit arguments."""

    n_fits = 0

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y, sample_weight=None):
        type(self).n_fits += 1
        self.fit_sample_weight_ = sample_weight
        self.fit_n_samples_ = len(y)
        self.model_ = DummyClassifier().fit(X, y, sample_weight)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)


class ConstantTeacher(ClassifierMixin, BaseEstimator):
    """A teacher that answers the same probabilities for every row."""

    def __init__(self, proba=(0.7, 0.2, 0.1)):
        self.proba = proba

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        return np.tile(np.asarray(self.proba), (len(X), 1))

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class NativeStudent(ClassifierMixin, BaseEstimator):
    """A student of the native protocol that memorises what it was given."""

    def fit(self, X, y):
        raise AssertionError("the native route must call fit_distill")

    def fit_distill(
        self, X, y, teacher_proba, *, temperature, alpha, sample_weight=None
    ):
        self.received_ = (np.asarray(y), np.asarray(teacher_proba), temperature, alpha)
        self.classes_ = np.arange(teacher_proba.shape[1])
        self.proba_ = teacher_proba.mean(axis=0)
        return self

    def predict_proba(self, X):
        return np.tile(self.proba_, (len(X), 1))


class NoProbaTeacher(BaseEstimator):
    def fit(self, X, y):
        return self


# --- targets and temperature ------------------------------------------------


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0, 5.0])
def test_student_that_can_represent_teacher_reproduces_it(temperature):
    """Check that with alpha=0 a prior student reproduces a constant teacher."""
    clf = DistilledClassifier(
        ConstantTeacher(),
        DummyClassifier(strategy="prior"),
        alpha=0.0,
        temperature=temperature,
        soft_targets="in_sample",
    ).fit(X_IRIS, Y_IRIS)
    np.testing.assert_allclose(
        clf.predict_proba(X_IRIS[:3]), np.tile([0.7, 0.2, 0.1], (3, 1)), atol=1e-6
    )


def test_alpha_weights_the_true_labels():
    """Check that alpha=1 learns the labels only and alpha=0 the teacher only."""
    labels = DistilledClassifier(ConstantTeacher(), DummyClassifier(), alpha=1.0)
    labels.fit(X_IRIS, Y_IRIS)
    np.testing.assert_allclose(labels.predict_proba(X_IRIS[:1]), [[1 / 3] * 3])
    mixed = DistilledClassifier(
        ConstantTeacher(), DummyClassifier(), alpha=0.5, soft_targets="in_sample"
    ).fit(X_IRIS, Y_IRIS)
    np.testing.assert_allclose(
        mixed.predict_proba(X_IRIS[:1]),
        [0.5 * np.array([1 / 3] * 3) + 0.5 * np.array([0.7, 0.2, 0.1])],
    )


def test_alpha_one_does_not_fit_the_teacher():
    """Check that the labels-only baseline skips the teacher entirely."""
    CountingClassifier.n_fits = 0
    clf = DistilledClassifier(CountingClassifier(), DecisionTreeClassifier(), alpha=1.0)
    clf.fit(X_IRIS, Y_IRIS)
    assert CountingClassifier.n_fits == 0
    assert clf.soft_targets_ is None
    plain = DecisionTreeClassifier(random_state=0).fit(X_IRIS, Y_IRIS)
    clf.set_params(student__random_state=0).fit(X_IRIS, Y_IRIS)
    np.testing.assert_array_equal(clf.predict(X_IRIS), plain.predict(X_IRIS))


# --- teachers ---------------------------------------------------------------


def test_frozen_teacher_is_not_refitted():
    """Check that a FrozenEstimator teacher keeps its fitted state."""
    trained = LogisticRegression(max_iter=1000).fit(X_IRIS[:100], Y_IRIS[:100])
    coef = trained.coef_.copy()
    clf = DistilledClassifier(
        FrozenEstimator(trained), DecisionTreeClassifier(max_depth=2), keep_teacher=True
    ).fit(X_IRIS, Y_IRIS)
    np.testing.assert_array_equal(trained.coef_, coef)
    assert clf.soft_targets_ == "in_sample"
    assert clf.teacher_.estimator is trained


def test_frozen_teacher_with_fewer_classes():
    """Check that a class the teacher never saw gets zero mass from it."""
    seen = Y_IRIS < 2
    trained = LogisticRegression().fit(X_IRIS[seen], Y_IRIS[seen])
    clf = DistilledClassifier(
        FrozenEstimator(trained), DummyClassifier(), alpha=0.0
    ).fit(X_IRIS, Y_IRIS)
    assert clf.classes_.tolist() == [0, 1, 2]
    assert clf.predict_proba(X_IRIS[:1])[0, 2] == 0.0


def test_frozen_teacher_with_more_classes():
    """Check that the mass of classes absent from y is dropped and rows renormalised."""
    trained = ConstantTeacher((0.5, 0.25, 0.25)).fit(X_IRIS, Y_IRIS)
    clf = DistilledClassifier(
        FrozenEstimator(trained), DummyClassifier(), alpha=0.0
    ).fit(X_IRIS[Y_IRIS < 2], Y_IRIS[Y_IRIS < 2])
    np.testing.assert_allclose(clf.predict_proba(X_IRIS[:1]), [[2 / 3, 1 / 3]])


@pytest.mark.parametrize(
    "labels", [np.array(["setosa", "versicolor", "virginica"]), np.array([1, 4, 7])]
)
def test_string_and_non_contiguous_labels(labels):
    """Check that predictions come back in the user's labels."""
    y = labels[Y_IRIS]
    clf = DistilledClassifier(small_forest(), DecisionTreeClassifier(max_depth=3))
    clf.fit(X_IRIS, y)
    np.testing.assert_array_equal(clf.classes_, labels)
    assert set(clf.predict(X_IRIS)) <= set(labels)
    assert clf.score(X_IRIS, y) > 0.9


def test_list_teacher_averages_member_probabilities():
    """Check that a list teacher is the mean of its members' probabilities."""
    members = [LogisticRegression(max_iter=1000), GaussianNB()]
    clf = DistilledClassifier(
        members, DummyClassifier(), soft_targets="in_sample", keep_teacher=True
    ).fit(X_IRIS, Y_IRIS)
    expected = np.mean(
        [clone(m).fit(X_IRIS, Y_IRIS).predict_proba(X_IRIS) for m in members], axis=0
    )
    np.testing.assert_allclose(clf.teacher_.predict_proba(X_IRIS), expected)


def test_list_teacher_mixes_frozen_and_unfitted_members():
    """Check that frozen members stay as trained while others are fitted."""
    trained = GaussianNB().fit(X_IRIS[:100], Y_IRIS[:100])  # two classes only
    clf = DistilledClassifier(
        [FrozenEstimator(trained), LogisticRegression(max_iter=1000)],
        DecisionTreeClassifier(max_depth=3),
        keep_teacher=True,
        n_jobs=2,
    ).fit(X_IRIS, Y_IRIS)
    frozen, fitted = clf.teacher_.estimators_
    # copied to the worker processes, but not refitted on the three classes
    np.testing.assert_array_equal(frozen.estimator.theta_, trained.theta_)
    assert frozen.classes_.tolist() == [0, 1]
    assert fitted.classes_.tolist() == [0, 1, 2]
    proba = clf.teacher_.predict_proba(X_IRIS)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_decision_function_teacher():
    """Check that a teacher with decision_function only is soft-maxed and learnt."""
    svm = LinearSVC(random_state=0).fit(X_BIN, Y_BIN)
    clf = DistilledClassifier(
        FrozenEstimator(svm),
        DecisionTreeClassifier(max_depth=4, random_state=0),
        alpha=0.0,
        random_state=0,
    ).fit(X_BIN, Y_BIN)
    on_labels = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X_BIN, Y_BIN)
    agreement = np.mean(clf.predict(X_BIN) == svm.predict(X_BIN))
    assert agreement > np.mean(on_labels.predict(X_BIN) == svm.predict(X_BIN))


def test_distilled_classifier_as_teacher_assistant():
    """Check that a DistilledClassifier can teach another one (teacher assistant)."""
    assistant = DistilledClassifier(
        small_forest(), DecisionTreeClassifier(max_depth=6, random_state=0)
    )
    clf = DistilledClassifier(
        assistant,
        DecisionTreeClassifier(max_depth=2, random_state=0),
        soft_targets="cross_fit",
        cv=3,
        keep_teacher=True,
    ).fit(X_IRIS, Y_IRIS)
    assert isinstance(clf.teacher_, DistilledClassifier)
    assert clf.teacher_.student_.get_depth() <= 6
    assert clf.student_.get_depth() <= 2
    assert clf.score(X_IRIS, Y_IRIS) > 0.9


# --- soft targets -----------------------------------------------------------


def test_soft_targets_auto():
    """Check what auto resolves to for bagging, frozen and other teachers."""
    forest = DistilledClassifier(small_forest(), DummyClassifier()).fit(X_IRIS, Y_IRIS)
    assert forest.soft_targets_ == "oob"
    boosted = DistilledClassifier(
        GradientBoostingClassifier(n_estimators=5), DummyClassifier(), cv=3
    ).fit(X_IRIS, Y_IRIS)
    assert boosted.soft_targets_ == "in_sample"


def test_cross_fit_targets_are_out_of_fold():
    """Check that cross_fit hands the student cross_val_predict's probabilities."""
    student = NativeStudent()
    clf = DistilledClassifier(
        LogisticRegression(max_iter=1000), student, soft_targets="cross_fit", cv=3
    ).fit(X_IRIS, Y_IRIS)
    expected = cross_val_predict(
        LogisticRegression(max_iter=1000), X_IRIS, Y_IRIS, cv=3, method="predict_proba"
    )
    np.testing.assert_allclose(clf.student_.received_[1], expected)


def test_oob_targets_with_fallback_for_rows_without_votes():
    """Check that oob targets are the forest's OOB votes, in-sample where missing."""
    teacher = RandomForestClassifier(n_estimators=3, random_state=0)
    clf = DistilledClassifier(
        teacher, NativeStudent(), soft_targets="oob", keep_teacher=True
    ).fit(X_IRIS, Y_IRIS)
    received = clf.student_.received_[1]
    oob = clf.teacher_.oob_decision_function_
    has_vote = oob.sum(axis=1) > 0
    assert not has_vote.all()  # three trees leave some rows without a vote
    np.testing.assert_allclose(received[has_vote], oob[has_vote])
    np.testing.assert_allclose(
        received[~has_vote], clf.teacher_.predict_proba(X_IRIS[~has_vote])
    )


def test_native_student_receives_labels_and_teacher_probabilities():
    """Check the native protocol: encoded labels, raw teacher proba, T and alpha."""
    y = np.array(["b", "a", "c"])[Y_IRIS]
    clf = DistilledClassifier(
        ConstantTeacher(), NativeStudent(), temperature=3.0, alpha=0.2
    ).fit(X_IRIS, y)
    y_received, proba, temperature, alpha = clf.student_.received_
    np.testing.assert_array_equal(y_received, np.searchsorted(["a", "b", "c"], y))
    np.testing.assert_allclose(proba, np.tile([0.7, 0.2, 0.1], (150, 1)))
    assert (temperature, alpha) == (3.0, 0.2)
    assert clf.student_route_ == "native"
    # native students report temperature 1 themselves: no sharpening on top
    np.testing.assert_allclose(clf.predict_proba(X_IRIS[:1]), [[0.7, 0.2, 0.1]])


# --- student routes ---------------------------------------------------------


def test_sample_weight_route_expands_rows_with_target_weights():
    """Check that each row becomes one weighted copy per class with mass."""
    weight = np.linspace(0.5, 2.0, len(Y_IRIS))
    clf = DistilledClassifier(
        ConstantTeacher(), CountingClassifier(), alpha=0.0, soft_targets="in_sample"
    ).fit(X_IRIS, Y_IRIS, sample_weight=weight)
    assert clf.student_route_ == "sample_weight"
    assert clf.student_.fit_n_samples_ == 3 * len(Y_IRIS)
    # the copies of a row weigh its sample weight in total
    np.testing.assert_allclose(clf.student_.fit_sample_weight_.sum(), weight.sum())


def test_sample_weight_route_drops_negligible_targets():
    """Check that targets below the threshold are not expanded."""
    clf = DistilledClassifier(
        ConstantTeacher((0.9995, 0.0004, 0.0001)),
        CountingClassifier(),
        alpha=0.0,
        soft_targets="in_sample",
    ).fit(X_IRIS, Y_IRIS)
    assert clf.student_.fit_n_samples_ == len(Y_IRIS)


def test_pipeline_student_gets_weights_through_its_last_step():
    """Check that a pipeline student learns soft targets through its final step."""
    student = make_pipeline(StandardScaler(), LogisticRegression())
    clf = DistilledClassifier(small_forest(), student, temperature=2.0).fit(
        X_IRIS, Y_IRIS
    )
    assert clf.student_route_ == "sample_weight"
    assert clf.score(X_IRIS, Y_IRIS) > 0.9


def test_regressor_student():
    """Check that a regressor student gives clipped, normalised probabilities."""
    clf = DistilledClassifier(small_forest(), Ridge()).fit(X_IRIS, Y_IRIS)
    assert clf.student_route_ == "regression"
    proba = clf.predict_proba(X_IRIS)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert proba.min() >= 0
    assert clf.score(X_IRIS, Y_IRIS) > 0.8


@pytest.mark.parametrize("min_samples_leaf", [5, 20])
def test_tree_route_counts_real_rows(min_samples_leaf):
    """Check that min_samples_leaf counts training rows, not per-class copies."""
    clf = DistilledClassifier(
        small_forest(),
        DecisionTreeClassifier(min_samples_leaf=min_samples_leaf, random_state=0),
        temperature=4.0,
        transfer=None,
    ).fit(X_IRIS, Y_IRIS)
    assert clf.student_route_ == "tree_regression"
    assert type(clf.student_) is DecisionTreeClassifier
    leaf_sizes = np.bincount(clf.student_.apply(X_IRIS))
    assert leaf_sizes[leaf_sizes > 0].min() >= min_samples_leaf


def test_forest_student_is_a_forest_classifier():
    """Check that a forest student comes back as the classifier it was given."""
    clf = DistilledClassifier(
        small_forest(), RandomForestClassifier(n_estimators=4, random_state=0)
    ).fit(X_IRIS, Y_IRIS)
    assert type(clf.student_) is RandomForestClassifier
    assert len(clf.student_.estimators_) == 4
    np.testing.assert_allclose(clf.predict_proba(X_IRIS).sum(axis=1), 1.0)
    assert clf.score(X_IRIS, Y_IRIS) > 0.9


def test_student_that_cannot_learn_soft_targets():
    """Check the TypeError for a student with no route."""

    class NoWeights(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            return self

    msg = "cannot learn soft targets. Use a student with a fit_distill method"
    with pytest.raises(TypeError, match=re.escape(msg)):
        DistilledClassifier(small_forest(), NoWeights()).fit(X_IRIS, Y_IRIS)


# --- memory, weights, routing -----------------------------------------------


def test_memory_fits_teacher_once_per_fold(tmp_path):
    """Check that a cached grid search fits the teacher once per fold."""
    CountingClassifier.n_fits = 0
    clf = DistilledClassifier(
        CountingClassifier(),
        DecisionTreeClassifier(random_state=0),
        soft_targets="in_sample",
        memory=str(tmp_path),
    )
    grid = {"temperature": [1, 2, 4], "alpha": [0.0, 0.5], "student__max_depth": [2, 3]}
    GridSearchCV(clf, grid, cv=3, refit=False).fit(X_IRIS, Y_IRIS)
    assert CountingClassifier.n_fits == 3
    clf.set_params(memory=None)
    CountingClassifier.n_fits = 0
    GridSearchCV(clf, {"temperature": [1, 2]}, cv=3, refit=False).fit(X_IRIS, Y_IRIS)
    assert CountingClassifier.n_fits == 6


def test_memory_key_includes_teacher_parameters(tmp_path):
    """Check that changing the teacher's parameters misses the cache."""
    CountingClassifier.n_fits = 0
    clf = DistilledClassifier(
        CountingClassifier(), DummyClassifier(), memory=joblib.Memory(tmp_path)
    )
    clf.set_params(soft_targets="in_sample")
    clf.fit(X_IRIS, Y_IRIS)
    clf.fit(X_IRIS, Y_IRIS)
    clf.set_params(teacher__C=0.1).fit(X_IRIS, Y_IRIS)
    assert CountingClassifier.n_fits == 2


def test_sample_weight_reaches_teacher_and_student():
    """Check that sample_weight is passed to both sub-estimators."""
    weight = np.arange(1, len(Y_IRIS) + 1, dtype=float)
    clf = DistilledClassifier(
        CountingClassifier(),
        CountingClassifier(),
        soft_targets="in_sample",
        keep_teacher=True,
    ).fit(X_IRIS, Y_IRIS, sample_weight=weight)
    np.testing.assert_array_equal(clf.teacher_.fit_sample_weight_, weight)
    np.testing.assert_allclose(clf.student_.fit_sample_weight_.sum(), weight.sum())


def test_teacher_without_sample_weight_warns():
    """Check the warning when the teacher cannot take sample weights."""

    class Unweighted(ConstantTeacher):
        pass

    with pytest.warns(UserWarning, match="does not accept sample_weight"):
        DistilledClassifier(Unweighted(), DummyClassifier()).fit(
            X_IRIS, Y_IRIS, sample_weight=np.ones(len(Y_IRIS))
        )


def test_metadata_routing_sample_weight():
    """Check that, with routing on, sample_weight goes where it is requested."""
    weight = np.arange(1, len(Y_IRIS) + 1, dtype=float)
    with config_context(enable_metadata_routing=True):
        teacher = CountingClassifier().set_fit_request(sample_weight=True)
        student = CountingClassifier().set_fit_request(sample_weight=False)
        clf = DistilledClassifier(
            teacher, student, soft_targets="in_sample", keep_teacher=True
        ).fit(X_IRIS, Y_IRIS, sample_weight=weight)
        np.testing.assert_array_equal(clf.teacher_.fit_sample_weight_, weight)
        # without weights the expanded copies of each row weigh 1 in total
        np.testing.assert_allclose(clf.student_.fit_sample_weight_.sum(), len(Y_IRIS))


# --- the scikit-learn contract ----------------------------------------------


def test_pickle_joblib_and_clone_round_trips(tmp_path):
    """Check that pickled, dumped and cloned-refitted models predict the same."""
    clf = DistilledClassifier(
        small_forest(),
        DecisionTreeClassifier(max_depth=3, random_state=0),
        random_state=0,
    ).fit(X_IRIS, Y_IRIS)
    expected = clf.predict_proba(X_IRIS)
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(clf)).predict_proba(X_IRIS), expected
    )
    joblib.dump(clf, tmp_path / "model.joblib")
    np.testing.assert_array_equal(
        joblib.load(tmp_path / "model.joblib").predict_proba(X_IRIS), expected
    )
    np.testing.assert_array_equal(
        clone(clf).fit(X_IRIS, Y_IRIS).predict_proba(X_IRIS), expected
    )


def test_pickled_model_is_the_size_of_its_student():
    """Check that the teacher is dropped unless keep_teacher=True."""
    teacher = RandomForestClassifier(n_estimators=100, random_state=0)
    student = DecisionTreeClassifier(max_depth=3, random_state=0)
    clf = DistilledClassifier(teacher, student).fit(X_BIN, Y_BIN)
    assert not hasattr(clf, "teacher_")
    size = len(pickle.dumps(clf))
    student_size = len(pickle.dumps(clf.student_))
    assert size < student_size + 4_000
    kept = clf.set_params(keep_teacher=True).fit(X_BIN, Y_BIN)
    teacher_size = len(pickle.dumps(kept.teacher_))
    assert len(pickle.dumps(kept)) > teacher_size > 20 * size


def test_pipeline_and_grid_search_in_processes():
    """Check GridSearchCV with n_jobs=2 over temperature, alpha and sub-parameters."""
    pipe = make_pipeline(
        StandardScaler(),
        DistilledClassifier(small_forest(), DecisionTreeClassifier(random_state=0)),
    )
    grid = {
        "distilledclassifier__temperature": [1, 2],
        "distilledclassifier__alpha": [0.0, 1.0],
        "distilledclassifier__teacher__max_depth": [None, 3],
        "distilledclassifier__student__max_depth": [2, 4],
    }
    search = GridSearchCV(pipe, grid, cv=3, n_jobs=2).fit(X_IRIS, Y_IRIS)
    assert len(search.cv_results_["params"]) == 16
    assert search.best_estimator_.score(X_IRIS, Y_IRIS) > 0.9


def test_pandas_feature_names_are_recorded_and_checked():
    """Check feature names: recorded in fit, checked at predict."""
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(X_IRIS, columns=["sl", "sw", "pl", "pw"])
    clf = DistilledClassifier(small_forest(), DecisionTreeClassifier(max_depth=3))
    clf.fit(X, Y_IRIS)
    np.testing.assert_array_equal(clf.feature_names_in_, ["sl", "sw", "pl", "pw"])
    clf.predict(X)
    with pytest.raises(ValueError, match="Feature names"):
        clf.predict(X[["sw", "sl", "pl", "pw"]])


def test_html_repr_and_tags():
    """Check the HTML repr shows both sub-estimators and tags state facts."""
    clf = DistilledClassifier(small_forest(), LogisticRegression())
    html = clf._repr_html_()
    assert "RandomForestClassifier" in html and "LogisticRegression" in html
    assert not get_tags(clf).input_tags.allow_nan
    tree_only = DistilledClassifier(DecisionTreeClassifier(), DecisionTreeClassifier())
    assert get_tags(tree_only).input_tags.allow_nan


def test_nan_is_refused_at_predict_when_the_teacher_refuses_it():
    """Check that NaN fails clearly at fit and predict for a NaN-free teacher."""
    clf = DistilledClassifier(LogisticRegression(), DecisionTreeClassifier())
    X = X_IRIS.copy()
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        clf.fit(X, Y_IRIS)
    clf.fit(X_IRIS, Y_IRIS)
    with pytest.raises(ValueError, match="NaN"):
        clf.predict(X)


def test_decision_function_consistent_with_proba():
    """Check that decision_function ranks rows as predict_proba does."""
    clf = DistilledClassifier(small_forest(), LogisticRegression(), temperature=2.0)
    clf.fit(X_BIN, Y_BIN)
    scores = clf.decision_function(X_BIN)
    proba = clf.predict_proba(X_BIN)[:, 1]
    np.testing.assert_array_equal(np.argsort(scores), np.argsort(proba))
    assert not hasattr(DistilledClassifier(small_forest()), "decision_function")


def test_verbose_reports_each_stage(capsys):
    """Check that verbose prints the teacher, targets and student stages."""
    X, y = make_classification(n_samples=300, random_state=0)
    DistilledClassifier(small_forest(), verbose=1).fit(X, y)
    out = capsys.readouterr().out
    for stage in (
        "Fitted the teacher (oob targets)",
        "transfer rows",
        "Validated on 60 held-out rows",
        "Fitted the student (tree_regression)",
    ):
        assert stage in out


# --- unlabelled rows --------------------------------------------------------


def test_unlabelled_rows_marked_minus_one():
    """Check the semi-supervised convention: -1 rows get teacher targets only."""
    y = Y_IRIS.copy()
    y[::3] = -1
    clf = DistilledClassifier(
        small_forest(), NativeStudent(), transfer=UnlabeledTransfer()
    ).fit(X_IRIS, y)
    assert clf.classes_.tolist() == [0, 1, 2]
    y_received, proba, _, _ = clf.student_.received_
    assert (y_received[::3] == -1).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # score leaves the unlabelled rows out
    tree = DistilledClassifier(
        small_forest(),
        DecisionTreeClassifier(max_depth=3),
        transfer=UnlabeledTransfer(),
    ).fit(X_IRIS, y)
    labelled = y != -1
    assert tree.score(X_IRIS, y) == tree.score(X_IRIS[labelled], y[labelled])


def test_minus_one_is_a_label_without_unlabeled_transfer():
    """Check that -1 is an ordinary class unless UnlabeledTransfer() asks otherwise."""
    y = np.where(Y_BIN == 0, -1, 1)
    clf = DistilledClassifier(small_forest(), DecisionTreeClassifier(max_depth=3))
    assert clf.fit(X_BIN, y).classes_.tolist() == [-1, 1]


def test_unlabeled_rows_given_explicitly():
    """Check that extra unlabelled rows reach the student with label -1."""
    extra = X_IRIS[:10] + 0.01
    clf = DistilledClassifier(
        small_forest(), NativeStudent(), transfer=UnlabeledTransfer(extra)
    ).fit(X_IRIS, Y_IRIS)
    y_received = clf.student_.received_[0]
    assert len(y_received) == 160
    assert (y_received[150:] == -1).all()


# --- bad input --------------------------------------------------------------


@pytest.mark.parametrize(
    "params, match",
    [
        ({"temperature": 0}, "'temperature' parameter"),
        ({"temperature": -1.0}, "'temperature' parameter"),
        ({"temperature": np.nan}, "'temperature' parameter"),
        ({"temperature": np.inf}, "'temperature' parameter"),
        ({"alpha": 1.5}, "'alpha' parameter"),
        ({"alpha": np.nan}, "'alpha' parameter"),
        ({"soft_targets": "bogus"}, "'soft_targets' parameter"),
    ],
)
def test_invalid_parameters(params, match):
    """Check that bad parameter values are refused, naming parameter and value."""
    clf = DistilledClassifier(small_forest(), **params)
    with pytest.raises(ValueError, match=match) as excinfo:
        clf.fit(X_IRIS, Y_IRIS)
    assert str(next(iter(params.values()))) in str(excinfo.value)


def test_oob_without_bagging_teacher():
    """Check the error for soft_targets='oob' with a teacher that has no OOB."""
    clf = DistilledClassifier(LogisticRegression(), soft_targets="oob")
    with pytest.raises(ValueError, match="soft_targets='oob' needs a bagging teacher"):
        clf.fit(X_IRIS, Y_IRIS)


def test_teacher_without_probabilities():
    """Check the error for a teacher without predict_proba or decision_function."""
    with pytest.raises(TypeError, match="predict_proba or decision_function"):
        DistilledClassifier(NoProbaTeacher()).fit(X_IRIS, Y_IRIS)


def test_single_class_and_length_mismatch():
    """Check errors for one class and for X and y of different lengths."""
    with pytest.raises(ValueError, match="at least two classes"):
        DistilledClassifier(small_forest()).fit(X_IRIS[:10], Y_IRIS[:10])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        DistilledClassifier(small_forest()).fit(X_IRIS, Y_IRIS[:-1])


def test_predict_before_fit_and_wrong_number_of_features():
    """Check NotFittedError and the feature-count check at predict."""
    clf = DistilledClassifier(small_forest())
    with pytest.raises(NotFittedError):
        clf.predict(X_IRIS)
    clf.fit(X_IRIS, Y_IRIS)
    with pytest.raises(ValueError, match="X has 3 features"):
        clf.predict(X_IRIS[:, :3])


def test_verbose_output_is_silent_by_default(capsys):
    """Check that nothing is printed with verbose=0."""
    DistilledClassifier(small_forest()).fit(X_IRIS, Y_IRIS)
    assert capsys.readouterr().out == ""


def test_teacher_params_are_grid_searchable():
    """Check that teacher__ and student__ parameters are reachable."""
    clf = DistilledClassifier(small_forest(), DecisionTreeClassifier())
    params = clf.get_params()
    assert "teacher__n_estimators" in params and "student__max_depth" in params
    clf.set_params(teacher__n_estimators=3, student__max_depth=2, keep_teacher=True)
    clf.fit(X_IRIS, Y_IRIS)
    assert len(clf.teacher_.estimators_) == 3
    assert clf.student_.get_depth() <= 2


def test_labels_candidate_and_fallback_ignore_unlabelled_rows():
    """Check that the labels-only student is fitted on labelled rows only."""
    X, y = make_classification(n_samples=600, weights=[0.3], random_state=0)
    y = y.copy()
    y[::4] = -1
    clf = DistilledClassifier(
        small_forest(),
        CountingClassifier(),
        alpha=1.0,
        transfer=UnlabeledTransfer(),
        validation_fraction=None,
    ).fit(X, y)
    # alpha=1 with unlabelled rows still distils through those rows
    assert clf.distilled_ and clf.student_.fit_n_samples_ > (y != -1).sum()
    # a teacher that backs the minority class: the prior student can only lose
    clf.set_params(teacher=ConstantTeacher((0.9, 0.1)), alpha=0.0)
    clf.set_params(validation_fraction=0.25)
    with pytest.warns(UserWarning, match="trained on labels alone"):
        clf.fit(X, y)
    assert not clf.distilled_
    assert clf.student_.fit_n_samples_ == (y != -1).sum()


def test_validation_adds_explicit_unlabelled_rows_once():
    """Check that validating does not hand fixed unlabelled rows over twice."""
    X, y = make_classification(n_samples=400, random_state=0)
    extra = X[:30] + 0.01
    clf = DistilledClassifier(
        small_forest(), NativeStudent(), transfer=UnlabeledTransfer(extra)
    ).fit(X, y)
    assert clf.validation_scores_ is not None
    y_received = clf.student_.received_[0]
    assert len(y_received) == 430
    assert (y_received == -1).sum() == 30
