"""Hostile input and contract edges of DistilledClassifier: each was a defect."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import config_context
from sklearn.datasets import make_classification
from sklearn.ensemble import (
    ExtraTreesClassifier,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Perceptron, RidgeClassifier
from sklearn.model_selection import GroupKFold
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor, export_text
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_kd import (
    DistilledClassifier,
    DistilledRegressor,
    MungeTransfer,
    UnlabeledTransfer,
    _base,
)
from sklearn_kd._bench import _without_calibration
from sklearn_kd._student import TargetRoute, TreeRoute

X, Y = make_classification(
    n_samples=300, n_features=6, n_informative=4, n_classes=3, random_state=0
)


def forest(**kwargs):
    return RandomForestClassifier(n_estimators=10, random_state=0, **kwargs)


def tree(**kwargs):
    return DecisionTreeClassifier(random_state=0, **kwargs)


# --- silent wrong results ----------------------------------------------------


def test_frozen_teacher_with_disjoint_classes_is_refused():
    """A teacher fitted on {0,1,2} cannot label y + 1 = {1,2,3} without a word."""
    teacher = FrozenEstimator(forest().fit(X, Y))
    with pytest.raises(ValueError, match=r"\[0, 1, 2\].*\['a', 'b', 'c'\]"):
        DistilledClassifier(teacher, tree(), random_state=0).fit(
            X, np.array(["a", "b", "c"])[Y]
        )
    with pytest.warns(UserWarning, match=r"differ from the classes of y \[1, 2, 3\]"):
        DistilledClassifier(
            teacher, tree(), validation_fraction=None, random_state=0
        ).fit(X, Y + 1)


@pytest.mark.parametrize("temperature", [1e-20, 1e-3])
def test_tiny_temperature_learns_the_teacher_argmax(temperature):
    """A tiny temperature means hard teacher labels, not the first class."""
    clf = DistilledClassifier(
        forest(),
        LogisticRegression(max_iter=500),
        temperature=temperature,
        validation_fraction=None,
        random_state=0,
    ).fit(X, Y)
    pred = clf.predict(X)
    assert len(np.unique(pred)) == 3
    assert np.mean(pred == Y) > 0.7
    assert np.isfinite(clf.predict_proba(X)).all()


def test_nan_switches_off_auto_transfer_with_a_warning(capsys):
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    clf = DistilledClassifier(
        tree(), tree(max_depth=3), validation_fraction=None, verbose=1
    )
    with pytest.warns(UserWarning, match="draws no transfer rows because X holds NaN"):
        clf.fit(X_nan, Y)
    assert clf.transfer_ is None
    assert "transfer rows" not in capsys.readouterr().out


def test_cross_fit_with_a_frozen_teacher_says_in_sample():
    teacher = FrozenEstimator(forest().fit(X, Y))
    clf = DistilledClassifier(
        teacher, tree(), soft_targets="cross_fit", validation_fraction=None
    )
    with pytest.warns(UserWarning, match="teacher is frozen"):
        clf.fit(X, Y)
    assert clf.soft_targets_ == "in_sample"


def test_transfer_cap_holds_for_the_whole_fit():
    """max_samples bounds all transfer rows of a fit, validation included."""
    clf = DistilledClassifier(
        forest(),
        tree(),
        transfer=MungeTransfer(size=16, max_samples=500),
        validation_fraction=0.2,
        random_state=0,
    ).fit(X, Y)
    assert clf.validation_scores_ is not None and clf.distilled_
    assert clf.student_.tree_.n_node_samples[0] == len(Y) + 500


def test_validation_candidate_sees_no_transfer_row_of_a_held_out_row():
    """The distilled candidate learns only rows drawn around its fit part."""
    seen = []

    class Recording(MungeTransfer):
        def generate(self, X, y=None, *, random_state=None, return_source=False):
            X_new, source = super().generate(
                X, y, random_state=random_state, return_source=True
            )
            seen.append(len(X))
            return (X_new, source) if return_source else X_new

    clf = DistilledClassifier(
        forest(), tree(), transfer=Recording(size=2), random_state=0
    ).fit(X, Y)
    assert seen == [len(Y)]  # one draw for the whole fit
    assert clf.student_.tree_.n_node_samples[0] == 3 * len(Y)


@pytest.mark.parametrize("container", [list, np.asarray], ids=["list", "array"])
def test_a_plain_sampler_may_return_a_list_of_rows(container):
    """A user's sampler with only ``generate(X, y, *, random_state)`` may
    return its rows as a list; the guard's candidate and the final student
    get them as they would get an array."""

    class Shifted:
        def generate(self, X, y=None, *, random_state=None):
            return container((np.asarray(X)[:40] + 0.01).tolist())

    clf = DistilledClassifier(
        forest(), tree(), transfer=Shifted(), n_jobs=2, random_state=0
    ).fit(X, Y)
    assert clf.validation_scores_ is not None
    assert clf.student_.tree_.n_node_samples[0] == len(Y) + 40


def test_sparse_unlabelled_rows_join_dense_training_rows():
    """Unlabelled rows given as a sparse matrix, training rows dense: the
    students get them as dense rows (this crashed while appending)."""
    from scipy.sparse import csr_matrix

    extra = X[:30] + 0.01
    fits = [
        DistilledClassifier(
            forest(), tree(), transfer=UnlabeledTransfer(rows), random_state=0
        ).fit(X, Y)
        for rows in (csr_matrix(extra), extra)
    ]
    assert fits[0].student_.tree_.n_node_samples[0] == len(Y) + 30
    assert_array_equal(fits[0].predict_proba(X), fits[1].predict_proba(X))


# --- crashes turned into clear errors ----------------------------------------


@pytest.mark.parametrize(
    "student", [RidgeClassifier(), LinearSVC(), SVC(), Perceptron()], ids=repr
)
def test_student_without_predict_proba_is_refused(student):
    with pytest.raises(TypeError, match="has no predict_proba"):
        DistilledClassifier(forest(), student).fit(X, Y)


def test_unlabeled_transfer_accepts_a_list():
    extra = (X[:20] + 0.01).tolist()
    clf = DistilledClassifier(
        forest(),
        tree(),
        transfer=UnlabeledTransfer(extra),
        validation_fraction=None,
    ).fit(X, Y)
    assert clf.student_.tree_.n_node_samples[0] == len(Y) + 20


class MajorityTeacher(RandomForestClassifier):
    """A forest that only ever backs the majority class."""

    def predict_proba(self, X):
        proba = np.zeros((len(X), len(self.classes_)))
        proba[:, 0] = 1.0
        return proba


def test_single_class_targets_give_a_clear_error():
    clf = DistilledClassifier(
        MajorityTeacher(n_estimators=5, random_state=0),
        LogisticRegression(),
        alpha=0.0,
        soft_targets="in_sample",
        validation_fraction=None,
    )
    with pytest.raises(ValueError, match=r"single class.*alpha=0\.0"):
        clf.fit(X, Y)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_jobs": 0}, "n_jobs"),
        ({"alpha": True}, "'alpha' parameter.*bool"),
        ({"temperature": False}, "temperature"),
    ],
)
def test_parameters_that_types_alone_do_not_catch(params, match):
    with pytest.raises(InvalidParameterError, match=match):
        DistilledClassifier(forest(), tree(), **params).fit(X, Y)


def test_oversized_transfer_set_is_refused_before_drawing():
    clf = DistilledClassifier(forest(), tree(), transfer=MungeTransfer(size=1e9))
    with pytest.raises(ValueError, match=r"MungeTransfer\(size=1000000000.0.*GiB"):
        clf.fit(X, Y)


def test_all_rows_unlabelled_is_a_clear_error():
    with pytest.raises(ValueError, match="no labelled rows"):
        DistilledClassifier(forest(), tree(), transfer=UnlabeledTransfer()).fit(
            X, np.full(len(Y), -1)
        )


def test_groups_reach_the_cross_fitting_splitter():
    """GroupKFold gets its groups through metadata routing, folds by group."""
    groups = np.arange(len(Y)) % 6

    with config_context(enable_metadata_routing=True):
        # GroupKFold raises without groups: fitting proves they arrived
        teacher = forest().set_fit_request(sample_weight=False)
        student = tree().set_fit_request(sample_weight=False)
        clf = DistilledClassifier(
            teacher,
            student,
            soft_targets="cross_fit",
            cv=GroupKFold(3),
            validation_fraction=None,
        ).fit(X, Y, groups=groups)
    assert clf.soft_targets_ == "cross_fit"


def test_fit_params_without_routing_name_the_way_out():
    """Without routing, a parameter of one sub-estimator must not reach the other."""
    clf = DistilledClassifier(LogisticRegression(), tree())
    with pytest.raises(ValueError, match="enable_metadata_routing=True"):
        clf.fit(X, Y, check_input=True)


def test_teacher_list_members_honour_their_fit_requests():
    weight = np.linspace(0.1, 2.0, len(Y))

    class Recording(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            self.got_weight_ = sample_weight is not None
            return super().fit(X, y, sample_weight)

    with config_context(enable_metadata_routing=True):
        wants = Recording(max_iter=300).set_fit_request(sample_weight=True)
        refuses = Recording(max_iter=300).set_fit_request(sample_weight=False)
        clf = DistilledClassifier(
            [wants, refuses],
            tree().set_fit_request(sample_weight=True),
            validation_fraction=None,
            keep_teacher=True,
        ).fit(X, Y, sample_weight=weight)
    members = clf.teacher_.estimators_
    assert [m.got_weight_ for m in members] == [True, False]


# --- transplanted trees are the plain estimators they claim to be ------------


@pytest.mark.parametrize(
    "student",
    [
        tree(max_depth=4),
        forest(max_depth=4),
        ExtraTreesClassifier(n_estimators=5, max_depth=4, random_state=0),
    ],
    ids=lambda s: type(s).__name__,
)
def test_transplanted_students_behave_as_plain_estimators(student):
    clf = DistilledClassifier(
        forest(), student, validation_fraction=None, random_state=0
    ).fit(X, Y)
    fitted = pickle.loads(pickle.dumps(clf.student_))
    assert type(fitted) is type(student)
    leaves = fitted.apply(X)
    paths = fitted.decision_path(X)
    indicator = paths if not isinstance(paths, tuple) else paths[0]
    assert indicator.shape[0] == len(X) and leaves.shape[0] == len(X)
    trees = getattr(fitted, "estimators_", [fitted])
    assert "class" in export_text(trees[0])
    if hasattr(fitted, "estimators_"):
        samples = fitted.estimators_samples_
        assert len(samples) == len(trees)
        n_rows = clf.student_.estimators_[0].tree_.n_node_samples[0]
        assert all(len(s) > 0 and s.max() < 17 * len(Y) for s in samples)
        assert n_rows > 0
    np.testing.assert_allclose(fitted.predict_proba(X).sum(axis=1), 1.0)


def test_temperature_leaves_are_temperature_one_means():
    """Splits on sharpened targets, leaves holding the temperature-1 targets."""
    clf = DistilledClassifier(
        forest(),
        tree(max_leaf_nodes=8),
        temperature=0.25,
        alpha=0.0,
        transfer=None,
        soft_targets="in_sample",
        validation_fraction=None,
        keep_teacher=True,
    ).fit(X, Y)
    teacher_proba = clf.teacher_.predict_proba(X)
    leaves = clf.student_.apply(X)
    for leaf in np.unique(leaves):
        np.testing.assert_allclose(
            clf.predict_proba(X[leaves == leaf][:1])[0],
            teacher_proba[leaves == leaf].mean(axis=0),
        )


class CountingForest(RandomForestClassifier):
    """A forest that counts the rows it is asked to predict."""

    rows_predicted = 0

    def predict_proba(self, X):
        type(self).rows_predicted += len(X)
        return super().predict_proba(X)


def test_memory_labels_the_transfer_rows_once(tmp_path):
    """A second fit with another student reuses the teacher and its labels."""
    clf = DistilledClassifier(
        CountingForest(n_estimators=5, random_state=0),
        tree(max_depth=3),
        transfer=MungeTransfer(size=4),
        validation_fraction=None,
        memory=str(tmp_path),
        random_state=0,
    ).fit(X, Y)
    first = CountingForest.rows_predicted
    assert first >= 4 * len(Y)  # the transfer rows were labelled
    clf.set_params(student__max_depth=5, alpha=0.2).fit(X, Y)
    assert CountingForest.rows_predicted == first
    clf.set_params(random_state=1).fit(X, Y)  # another draw: labelled anew
    assert CountingForest.rows_predicted == first + 4 * len(Y)


def test_auto_temperature_follows_the_student_capacity():
    """Small trees and forests learn the teacher's decisions; deep trees its
    probabilities; an explicit temperature is used as given."""
    X_big, y_big = make_classification(
        n_samples=1200, n_features=6, n_informative=4, n_classes=3, random_state=0
    )

    def fit(student, **params):
        params = {"transfer": MungeTransfer(size=2), **params}
        return DistilledClassifier(
            forest(), student, validation_fraction=None, random_state=0, **params
        ).fit(X_big, y_big)

    small = fit(tree(max_leaf_nodes=8))  # the labels alone fill 8 leaves
    assert small.temperature_ == 0.0
    # a depth the labels alone never reach leaves room for the teacher
    assert tree().fit(X_big, y_big).get_depth() < 30
    assert fit(tree(max_depth=30)).temperature_ == 1.0
    assert fit(tree(max_leaf_nodes=8), temperature=2.0).temperature_ == 2.0
    assert fit(tree(max_leaf_nodes=8), transfer=None).temperature_ == 1.0
    forest_student = fit(forest(max_depth=4))
    assert forest_student.temperature_ == 0.0
    assert forest_student.student_.bootstrap is False
    # every tree saw every training row, and (here) all 2x transfer rows
    trees = forest_student.student_.estimators_
    assert all(
        len(s) == len(y_big) for s in forest_student.student_.estimators_samples_
    )
    assert all(t.tree_.n_node_samples[0] == 3 * len(y_big) for t in trees)
    assert len({t.random_state for t in trees}) == len(trees)
    # splits learnt on the teacher's decisions, leaves at temperature 1
    proba = small.predict_proba(X_big)
    assert len(np.unique(proba.round(6), axis=0)) == 8
    assert 0 < proba.max(axis=1).min() < 1


def test_capacity_probe_on_large_data_starts_with_a_subsample(monkeypatch):
    """The capacity probe grows a copy on evenly spaced rows first; only a
    copy that stays inside its limit there is grown again on every row."""
    from sklearn_kd import _student

    X_big, y_big = make_classification(
        n_samples=1200, n_features=6, n_informative=4, n_classes=3, random_state=0
    )
    monkeypatch.setattr(_student, "PROBE_ROWS", 100)
    probed = []
    reaches_limit = _student._reaches_limit

    def spy(student, data, rows):
        probed.append(len(rows))
        return reaches_limit(student, data, rows)

    monkeypatch.setattr(_student, "_reaches_limit", spy)

    def temperature(student):
        probed.clear()
        return (
            DistilledClassifier(
                forest(),
                student,
                transfer=MungeTransfer(size=2),
                validation_fraction=None,
                random_state=0,
            )
            .fit(X_big, y_big)
            .temperature_
        )

    assert temperature(tree(max_leaf_nodes=8)) == 0.0
    assert probed == [100]  # settled on the subsample
    # a depth the 100 rows never reach, but all 1,200 rows do
    depth = tree().fit(X_big[::12], y_big[::12]).get_depth() + 1
    assert tree().fit(X_big, y_big).get_depth() >= depth
    assert temperature(tree(max_depth=depth)) == 0.0
    assert probed == [100, 1200]


def _xor_with_decoy(n_rows, seed):
    """y = XOR of the first two columns; the third is a noisy copy of y, the
    only column a greedy first split can see a gain in."""
    rng = np.random.RandomState(seed)
    X_xor = rng.rand(n_rows, 3)
    y_xor = ((X_xor[:, 0] > 0.5) ^ (X_xor[:, 1] > 0.5)).astype(int)
    X_xor[:, 2] = y_xor + rng.normal(scale=1.5, size=n_rows)
    return X_xor, y_xor


def test_small_tree_is_chosen_among_candidates_by_fidelity(monkeypatch):
    """Greedy growth of a depth-2 tree splits on the decoy and misses the XOR;
    among trees grown on random feature subsets, the one most faithful to the
    teacher splits on the two XOR columns. The guard's candidate is chosen
    the same way, so the guard judges the student it would keep."""
    from sklearn_kd import _student

    X_train, y_train = _xor_with_decoy(800, 0)
    X_test, y_test = _xor_with_decoy(4000, 1)
    searches = []
    most_faithful = _student._most_faithful

    def spy(grower, plain, params, data, n_candidates):
        searches.append(n_candidates)
        return most_faithful(grower, plain, params, data, n_candidates)

    monkeypatch.setattr(_student, "_most_faithful", spy)

    def fit(**params):
        return DistilledClassifier(
            RandomForestClassifier(100, random_state=0),
            tree(max_depth=2),
            random_state=0,
            **params,
        ).fit(X_train, y_train)

    monkeypatch.setattr(_student, "SEARCH_CANDIDATES", 0)
    greedy = fit(validation_fraction=None)
    assert greedy.student_.tree_.feature[0] == 2 and searches == []
    monkeypatch.setattr(_student, "SEARCH_CANDIDATES", 8)
    searched = fit(validation_fraction=None)
    assert set(searched.student_.tree_.feature[:3]) >= {0, 1}
    assert searched.score(X_test, y_test) > greedy.score(X_test, y_test) + 0.1
    searches.clear()
    fit()  # with the guard
    assert searches == [8, 8]
    # a tree allowed more than SEARCH_MAX_LEAVES leaves does not search (it
    # weighs two recipes on check rows instead: tests/test_recipe_choice.py)
    searches.clear()
    DistilledClassifier(
        forest(), tree(max_depth=9), validation_fraction=None, random_state=0
    ).fit(X_train, y_train)
    assert searches == []


def test_search_regrows_candidates_with_lighter_training_rows(monkeypatch):
    """Besides the plain tree, its random-feature and pruned candidates (every
    training row weighing the 17 rows it stands for with 16x transfer), the
    search grows the plain tree and two random-feature ones again with
    training rows weighing 1 and 4 transfer rows. The user's sample weights
    scale every candidate's rows, and the kept tree stays within budget."""
    from sklearn_kd import _student

    grown = []
    grow = _student._Grower.grow

    def spy(self, params, max_leaves=None):
        grown.append(self.sample_weight.copy())
        return grow(self, params, max_leaves)

    monkeypatch.setattr(_student._Grower, "grow", spy)
    X, y = make_classification(600, 6, n_informative=4, random_state=0)
    user_weight = np.random.RandomState(0).choice([0.0, 0.5, 2.0], size=len(y))
    model = DistilledClassifier(
        forest(), tree(max_leaf_nodes=6), validation_fraction=None, random_state=0
    ).fit(X, y, sample_weight=user_weight)
    assert model.temperature_ == 0.0 and model.student_.get_n_leaves() <= 6
    plain = grown[0]
    assert np.allclose(plain[: len(y)], 17 * user_weight)
    training_row_weights = []
    for weight in grown:
        # transfer rows weigh the same in every candidate
        assert np.array_equal(weight[len(y) :], plain[len(y) :])
        ratio = weight[: len(y)][user_weight > 0] / user_weight[user_weight > 0]
        assert np.allclose(ratio, ratio[0])  # one weight per candidate
        assert np.all(weight[: len(y)][user_weight == 0] == 0)
        training_row_weights.append(round(float(ratio[0]), 6))
    assert sorted(training_row_weights) == [1.0] * 3 + [4.0] * 3 + [17.0] * 10


def test_guard_that_keeps_distillation_leaves_the_student_unchanged():
    """The guard's hold-out only decides and sets a temperature: when it
    keeps distillation, the final student is the one an unguarded fit gives
    with softened leaves, and undoing the temperature gives the unguarded
    probabilities back (the benchmark relies on this to skip the unguarded
    fit)."""
    X_xor, y_xor = _xor_with_decoy(800, 0)

    def fit(validation_fraction):
        return DistilledClassifier(
            forest(),
            tree(max_depth=3),
            validation_fraction=validation_fraction,
            random_state=0,
        ).fit(X_xor, y_xor)

    guarded, unguarded = fit(0.2), fit(None)
    assert guarded.distilled_ and guarded.validation_scores_ is not None
    assert_array_equal(
        guarded.student_.tree_.threshold, unguarded.student_.tree_.threshold
    )
    assert_array_equal(guarded.predict(X_xor), unguarded.predict(X_xor))
    assert guarded.calibration_temperature_ not in (None, 1.0)
    assert_allclose(
        _without_calibration(guarded).predict_proba(X_xor),
        unguarded.predict_proba(X_xor),
    )


@pytest.mark.parametrize(
    "student",
    [tree(min_samples_leaf=2), forest(min_samples_leaf=2)],
    ids=["tree", "forest"],
)
def test_unlimited_trees_get_finer_leaves_than_a_limited_one(student):
    """With ``temperature="auto"`` a tree without size limit, alone or in a
    forest, counts ``min_samples_leaf`` in sqrt(rows per training row), finer
    than the rows-per-training-row of an explicit temperature."""

    def leaf_sizes(temperature):
        clf = DistilledClassifier(
            forest(),
            student,
            transfer=MungeTransfer(size=15),  # 16 rows per training row
            temperature=temperature,
            validation_fraction=None,
            random_state=0,
        ).fit(X, Y)
        trees = getattr(clf.student_, "estimators_", [clf.student_])
        return np.concatenate(
            [t.tree_.n_node_samples[t.tree_.children_left == -1] for t in trees]
        )

    auto, explicit = leaf_sizes("auto"), leaf_sizes(1.0)
    assert auto.min() >= 2 * 4 and explicit.min() >= 2 * 16
    assert auto.min() < 2 * 16
    assert len(auto) > len(explicit)


def test_weighted_forest_student_ships_no_per_row_weights():
    """A forest student fitted with sample weights lists the training rows in
    ``estimators_samples_`` and does not pickle the weights of every transfer
    row along with its trees."""
    weight = np.random.RandomState(0).uniform(0.5, 2.0, size=len(Y))
    clf = DistilledClassifier(
        forest(), forest(), validation_fraction=None, random_state=0
    ).fit(X, Y, sample_weight=weight)
    exported = clf.export_student()
    assert all(len(s) == len(Y) for s in exported.estimators_samples_)
    assert getattr(exported, "_sample_weight", None) is None


@pytest.mark.parametrize(
    "Distiller, student",
    [
        (DistilledClassifier, tree(max_depth=5)),
        (DistilledRegressor, DecisionTreeRegressor(max_depth=5, random_state=0)),
    ],
    ids=["classifier", "regressor"],
)
def test_tree_students_get_rows_with_the_transfer_set_as_float32(
    Distiller, student, monkeypatch
):
    """Trees split float32 values, so the rows with the transfer set are
    built in float32 rather than copied as float64 and converted: half the
    memory and one copy less, and the very same tree."""
    built = []
    append = _base.append_rows

    def recording(X, X_new, dtype=None, take=None):
        rows = append(X, X_new, dtype, take)
        built.append(rows.dtype)
        return rows

    monkeypatch.setattr(_base, "append_rows", recording)
    teacher = (
        forest()
        if Distiller is DistilledClassifier
        else RandomForestRegressor(10, random_state=0)
    )
    target = Y if Distiller is DistilledClassifier else X[:, 0] + Y

    def fit():
        return Distiller(teacher, student, n_jobs=2, random_state=0).fit(X, target)

    as_float32 = fit()
    assert built and set(built) == {np.dtype(np.float32)}
    monkeypatch.setattr(_base, "append_rows", append)
    monkeypatch.setattr(TreeRoute, "dense_dtype", None)
    monkeypatch.setattr(TargetRoute, "dense_dtype", None)
    as_float64 = fit()
    assert_array_equal(
        as_float32.student_.tree_.threshold, as_float64.student_.tree_.threshold
    )
    assert_array_equal(as_float32.predict(X), as_float64.predict(X))


class _LeafPerRow:
    """A stand-in for a grown tree: row ``i`` falls in leaf ``i``."""

    def apply(self, X):
        return np.arange(len(X))


def test_the_search_counts_agreement_with_the_weights_rows_grew_with(monkeypatch):
    """One candidate agrees with the teacher on a training row that weighs 17
    transfer rows, another on two transfer rows: the first is kept. Unweighted
    counting would keep the second, the one grown to favour transfer rows.
    A tie keeps the plain tree, listed first."""
    from types import SimpleNamespace

    from sklearn_kd import _student

    teacher_proba = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    agrees_on_training_row = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    agrees_on_transfer_rows = np.array([[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]])
    data = SimpleNamespace(X=np.zeros((3, 1)), teacher_proba=teacher_proba)

    def keep(candidates, weight):
        monkeypatch.setattr(_student, "search_candidates", lambda *a: candidates)
        grower = SimpleNamespace(sample_weight=weight)
        return _student._most_faithful(grower, None, {}, data, 0)

    plain = (_LeafPerRow(), agrees_on_transfer_rows)
    lighter = (_LeafPerRow(), agrees_on_training_row)
    weighted = np.array([17.0, 1.0, 1.0])
    assert keep([plain, lighter], weighted) is lighter
    assert keep([plain, lighter], None) is plain
    assert keep([plain, (_LeafPerRow(), agrees_on_transfer_rows)], weighted) is plain
