"""Behaviour of DistilledRegressor."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import pickle
import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_friedman1
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import cross_val_predict
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from sklearn_kd import DistilledRegressor, UnlabeledTransfer

X, Y = make_friedman1(n_samples=600, noise=1.0, random_state=0)
X_TEST, Y_TEST = make_friedman1(n_samples=2000, noise=1.0, random_state=1)


def forest(**kwargs):
    return RandomForestRegressor(n_estimators=50, random_state=0, **kwargs)


def tree(**kwargs):
    return DecisionTreeRegressor(random_state=0, **kwargs)


def test_distilled_tree_beats_the_same_tree_on_targets():
    """The transfer set lets a small tree learn the forest's smooth function."""
    scores = []
    for seed in range(3):
        X_train, y_train = make_friedman1(n_samples=600, noise=1.0, random_state=seed)
        student = tree(max_leaf_nodes=32)
        reg = DistilledRegressor(
            forest(), student, validation_fraction=None, random_state=seed
        ).fit(X_train, y_train)
        on_targets = clone(student).fit(X_train, y_train)
        scores.append(reg.score(X_TEST, Y_TEST) - on_targets.score(X_TEST, Y_TEST))
        assert reg.student_.get_n_leaves() == 32
    assert min(scores) > 0


def test_alpha_one_without_transfer_is_the_student_on_targets():
    reg = DistilledRegressor(
        forest(), tree(max_depth=4), alpha=1.0, transfer=None, random_state=0
    ).fit(X, Y)
    assert reg.distilled_ is False and reg.soft_targets_ is None
    np.testing.assert_array_equal(
        reg.predict(X_TEST), tree(max_depth=4).fit(X, Y).predict(X_TEST)
    )


def test_alpha_zero_learns_the_teacher_predictions():
    """A student that can represent anything reproduces the teacher's targets."""
    reg = DistilledRegressor(
        forest(),
        tree(),
        alpha=0.0,
        transfer=None,
        soft_targets="in_sample",
        validation_fraction=None,
        keep_teacher=True,
    ).fit(X, Y)
    np.testing.assert_allclose(reg.predict(X), reg.teacher_.predict(X))


def test_oob_targets_are_out_of_bag_predictions():
    reg = DistilledRegressor(
        forest(),
        tree(),
        alpha=0.0,
        transfer=None,
        validation_fraction=None,
        keep_teacher=True,
    ).fit(X, Y)
    assert reg.soft_targets_ == "oob"
    np.testing.assert_allclose(reg.predict(X), reg.teacher_.oob_prediction_)


def test_rows_without_out_of_bag_prediction_keep_in_sample_ones():
    """With 2 trees some rows are in every bootstrap; forests report 0 there."""
    reg = DistilledRegressor(
        RandomForestRegressor(n_estimators=2, random_state=0),
        tree(),
        alpha=0.0,
        transfer=None,
        validation_fraction=None,
        keep_teacher=True,
    )
    reg.fit(X, Y + 100)  # no honest prediction is near 0
    assert reg.predict(X).min() > 50


def test_cross_fit_targets_are_out_of_fold():
    reg = DistilledRegressor(
        Ridge(),
        tree(),
        alpha=0.0,
        soft_targets="cross_fit",
        cv=3,
        transfer=None,
        validation_fraction=None,
    ).fit(X, Y)
    np.testing.assert_allclose(reg.predict(X), cross_val_predict(Ridge(), X, Y, cv=3))


def test_frozen_and_list_teachers():
    fitted = GradientBoostingRegressor(n_estimators=20, random_state=0).fit(X, Y)
    members = [FrozenEstimator(fitted), Ridge()]
    reg = DistilledRegressor(
        members,
        tree(),
        alpha=0.0,
        transfer=None,
        soft_targets="in_sample",
        validation_fraction=None,
    ).fit(X, Y)
    expected = (fitted.predict(X) + Ridge().fit(X, Y).predict(X)) / 2
    np.testing.assert_allclose(reg.predict(X), expected)


def test_leaf_sizes_count_training_rows():
    reg = DistilledRegressor(
        forest(), tree(min_samples_leaf=5), validation_fraction=None, random_state=0
    ).fit(X, Y)
    assert reg.student_.tree_.n_node_samples[0] == 17 * len(Y)
    assert reg.student_.min_samples_leaf == 5 * 17


def test_guard_falls_back_when_the_teacher_is_wrong():
    class Shuffled(RandomForestRegressor):
        def fit(self, X, y, sample_weight=None):
            shuffled = np.random.default_rng(0).permutation(y)
            return super().fit(X, shuffled, sample_weight)

    reg = DistilledRegressor(
        Shuffled(n_estimators=20, random_state=0), tree(max_depth=4), random_state=0
    )
    with pytest.warns(UserWarning, match="trained on labels alone"):
        reg.fit(X, Y)
    assert reg.distilled_ is False
    assert reg.validation_scores_["labels"] > reg.validation_scores_["distilled"]


def test_explicit_unlabelled_rows():
    extra = X_TEST[:100]
    reg = DistilledRegressor(
        forest(), tree(), transfer=UnlabeledTransfer(extra), validation_fraction=None
    ).fit(X, Y)
    assert reg.student_.tree_.n_node_samples[0] == len(Y) + 100


@pytest.mark.parametrize(
    "teacher, student, match",
    [
        (DecisionTreeClassifier(), tree(), "teacher of a DistilledRegressor"),
        (forest(), LogisticRegression(), "student of a DistilledRegressor"),
    ],
)
def test_classifiers_are_refused(teacher, student, match):
    with pytest.raises(TypeError, match=match):
        DistilledRegressor(teacher, student).fit(X, Y)


def test_non_finite_targets_are_refused():
    y = Y.copy()
    y[3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        DistilledRegressor(forest(), tree()).fit(X, y)


def test_weights_for_a_student_without_sample_weight():
    class NoWeights(LinearRegression):
        def fit(self, X, y):
            return super().fit(X, y)

    with pytest.raises(TypeError, match="does not accept sample_weight"):
        DistilledRegressor(Ridge(), NoWeights(), validation_fraction=None).fit(
            X, Y, sample_weight=np.ones(len(Y))
        )


def test_exported_student_loads_without_sklearn_kd(tmp_path):
    reg = DistilledRegressor(
        forest(), tree(max_leaf_nodes=16), validation_fraction=None, random_state=0
    ).fit(X, Y)
    student = reg.export_student()
    assert type(student) is DecisionTreeRegressor
    path = tmp_path / "student.pkl"
    path.write_bytes(pickle.dumps(student))
    np.save(tmp_path / "X.npy", X_TEST[:50])
    code = (
        "import sys, pickle, numpy as np; sys.modules['sklearn_kd'] = None; "
        f"m = pickle.loads(open({str(path)!r}, 'rb').read()); "
        f"print(float(m.predict(np.load({str(tmp_path / 'X.npy')!r})).sum()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    np.testing.assert_allclose(float(out.stdout), reg.predict(X_TEST[:50]).sum())


def test_exported_regressor_converts_to_onnx():
    rt = pytest.importorskip("onnxruntime")
    pytest.importorskip("skl2onnx")
    from sklearn_kd import to_onnx

    reg = DistilledRegressor(
        forest(), tree(max_leaf_nodes=16), validation_fraction=None, random_state=0
    ).fit(X, Y)
    session = rt.InferenceSession(
        to_onnx(reg, X[:1]).SerializeToString(), providers=["CPUExecutionProvider"]
    )
    (onnx_pred,) = session.run(None, {"X": X_TEST.astype(np.float32)})
    np.testing.assert_allclose(onnx_pred.ravel(), reg.predict(X_TEST), rtol=1e-5)
