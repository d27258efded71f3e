"""Exported students: plain scikit-learn estimators, and ONNX models."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import pickle
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.ensemble import (
    ExtraTreesClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import LabelEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from sklearn_kd import DistilledClassifier
from sklearn_kd._export import export_student, to_onnx

# float32-exact features, so that ONNX (float32) and scikit-learn trees
# compare the same numbers with their thresholds
X, Y = make_classification(
    n_samples=240, n_features=5, n_informative=3, n_redundant=0, n_classes=3,
    random_state=0,
)  # fmt: skip
X = X.astype(np.float32).astype(np.float64)

LABELS = {
    "strings": (np.array(["cat", "dog", "eel"]), 3),
    "minus_one_one": (np.array([-1, 1]), 2),
    "one_four_seven": (np.array([1, 4, 7]), 3),
}


def make_student(name):
    """A small seeded student of each kind export_student knows."""
    return {
        "tree": lambda: DecisionTreeClassifier(max_depth=4, random_state=0),
        "forest": lambda: RandomForestClassifier(
            n_estimators=5, max_depth=4, random_state=0
        ),
        "extra_trees": lambda: ExtraTreesClassifier(
            n_estimators=5, max_depth=4, random_state=0
        ),
        "logreg": lambda: LogisticRegression(max_iter=1000),
        "mlp": lambda: MLPClassifier(
            hidden_layer_sizes=(8,), max_iter=300, random_state=0
        ),
        "hgb": lambda: HistGradientBoostingClassifier(max_iter=10, random_state=0),
        "scaled_logreg": lambda: make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=1000)
        ),
        "scaled_tree": lambda: make_pipeline(
            StandardScaler(), DecisionTreeClassifier(max_depth=4, random_state=0)
        ),
    }[name]()


def distil(student, labels="strings", temperature=1.0, **params):
    classes, n_classes = LABELS[labels]
    clf = DistilledClassifier(
        RandomForestClassifier(n_estimators=10, random_state=0),
        student,
        temperature=temperature,
        validation_fraction=None,
        random_state=0,
        **params,
    )
    with warnings.catch_warnings():
        # small MLPs stop before converging; that is not what is tested here
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(X, classes[Y % n_classes])


def assert_same_predictions(exported, clf, X=X):
    np.testing.assert_array_equal(exported.predict(X), clf.predict(X))
    np.testing.assert_allclose(
        exported.predict_proba(X), clf.predict_proba(X), rtol=0, atol=1e-9
    )


STUDENTS = [
    "tree", "forest", "extra_trees", "logreg", "mlp", "hgb", "scaled_logreg",
    "scaled_tree",
]  # fmt: skip


@pytest.mark.parametrize("labels", list(LABELS))
@pytest.mark.parametrize("temperature", [1.0, 3.0])
@pytest.mark.parametrize("name", STUDENTS)
def test_export_predicts_as_distilled_model(name, temperature, labels):
    """Check that the export predicts the user's labels with the same probabilities."""
    clf = distil(make_student(name), labels, temperature)
    before = pickle.dumps(clf.student_)
    exported = export_student(clf)
    assert type(exported) is type(clf.student_)
    np.testing.assert_array_equal(exported.classes_, clf.classes_)
    assert_same_predictions(exported, clf)
    # rows far outside the training range reach other leaves and saturate logits
    X_far = np.random.RandomState(0).normal(scale=10, size=(50, X.shape[1]))
    assert_same_predictions(exported, clf, X_far)
    assert pickle.dumps(clf.student_) == before, "the fitted student was changed"


@pytest.mark.parametrize("name", ["logreg", "mlp", "hgb", "scaled_tree"])
def test_export_labels_only_student_is_not_sharpened(name):
    """Check that a labels-only student (distilled_ False) exports unsharpened."""
    clf = distil(make_student(name), "one_four_seven", 3.0, alpha=1.0, transfer=None)
    assert not clf.distilled_
    assert_same_predictions(clf.export_student(), clf)


def distil_without_last_class(student, temperature=1.0):
    """Distil from a frozen teacher that never saw the label 9, with alpha=0:
    a student fitted by sample weights never sees it either."""
    labels = np.array([-1, 5, 9])
    seen = Y < 2
    teacher = LogisticRegression(max_iter=1000).fit(X[seen], labels[Y[seen]])
    clf = DistilledClassifier(
        FrozenEstimator(teacher), student, alpha=0.0, temperature=temperature,
        validation_fraction=None, random_state=0,
    )  # fmt: skip
    with warnings.catch_warnings():
        # the teacher's missing class is the point; so are short MLP fits
        warnings.simplefilter("ignore", UserWarning)
        return clf.fit(X, labels[Y])


@pytest.mark.parametrize("name", ["logreg", "mlp", "scaled_logreg", "scaled_tree"])
@pytest.mark.parametrize("temperature", [1.0, 2.0])
def test_export_pads_a_class_the_student_never_saw(name, temperature):
    """Check that an absent class gets probability exactly zero, as in the model."""
    clf = distil_without_last_class(make_student(name), temperature)
    final = clf.student_[-1] if isinstance(clf.student_, Pipeline) else clf.student_
    assert len(final.classes_) == 2, "the set-up must leave a class out"
    exported = clf.export_student()
    np.testing.assert_array_equal(exported.classes_, [-1, 5, 9])
    assert_same_predictions(exported, clf)
    assert np.all(exported.predict_proba(X)[:, 2] == 0.0)


def test_export_refuses_gradient_boosting_without_a_class():
    """Check that a boosted student that never saw a class is refused."""
    clf = distil_without_last_class(make_student("hgb"))
    with pytest.raises(ValueError, match=re.escape("never saw the classes [9]")):
        clf.export_student()


def test_export_refuses_forest_in_pipeline_at_temperature():
    """Check that sharpening a forest's averaged probabilities is refused."""
    student = make_pipeline(
        StandardScaler(), RandomForestClassifier(n_estimators=3, random_state=0)
    )
    with pytest.raises(ValueError, match=re.escape("got temperature=3.0")):
        distil(student, temperature=3.0).export_student()
    # at temperature 1 there is nothing to fold
    clf = distil(student, temperature=1.0)
    assert_same_predictions(clf.export_student(), clf)


class _NativeStudent(ClassifierMixin, BaseEstimator):
    """A student of the native protocol: fit_distill, probabilities as given."""

    def fit(self, X, y):
        return self

    def fit_distill(self, X, y, teacher_proba, **params):
        self.classes_ = np.arange(teacher_proba.shape[1])
        self.proba_ = teacher_proba.mean(axis=0)
        return self

    def predict_proba(self, X):
        return np.tile(self.proba_, (len(X), 1))


class _OwnEncoder(ClassifierMixin, BaseEstimator):
    """A classifier that decodes labels with an encoder of its own."""

    def fit(self, X, y, sample_weight=None):
        self.encoder_ = LabelEncoder().fit(y)
        self.classes_ = self.encoder_.classes_
        self.model_ = GaussianNB().fit(X, y, sample_weight=sample_weight)
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.encoder_.inverse_transform(np.argmax(self.predict_proba(X), 1))


@pytest.mark.parametrize(
    "student, temperature, error, message",
    [
        (_NativeStudent(), 1.0, TypeError, "native protocol"),
        (Ridge(), 1.0, TypeError, "regressor fitted on probabilities"),
        (GaussianNB(), 3.0, TypeError, "learnt at temperature=3.0"),
        (_OwnEncoder(), 1.0, TypeError, "does not predict as the distilled model"),
    ],
)
def test_export_refuses_students_without_exact_form(
    student, temperature, error, message
):
    """Check that students with no exact standalone form are refused, saying why."""
    clf = distil(student, temperature=temperature, transfer=None)
    with pytest.raises(error, match=re.escape(message)):
        clf.export_student()


def test_export_relabels_other_classifiers_at_temperature_one():
    """Check that a classifier of another kind is relabelled when that is exact."""
    clf = distil(GaussianNB(), "one_four_seven", transfer=None)
    exported = clf.export_student()
    np.testing.assert_array_equal(exported.classes_, [1, 4, 7])
    assert_same_predictions(exported, clf)


def test_export_needs_a_fitted_distilled_classifier():
    """Check the errors for an unfitted model and for another estimator."""
    with pytest.raises(NotFittedError):
        DistilledClassifier().export_student()
    with pytest.raises(TypeError, match="expects a DistilledClassifier"):
        export_student(DecisionTreeClassifier().fit(X, Y))


def test_exported_students_load_without_sklearn_kd(tmp_path):
    """Check that exported students unpickle and predict with scikit-learn alone."""
    names = ["tree", "forest", "scaled_logreg", "mlp", "hgb"]
    models = [distil(make_student(n), "strings", 3.0) for n in names]
    path = tmp_path / "students.pkl"
    path.write_bytes(pickle.dumps([(m.export_student(), X) for m in models]))
    script = (
        "import pickle, sys\n"
        "sys.modules['sklearn_kd'] = None  # any import of it now fails\n"
        f"students = pickle.loads(open({str(path)!r}, 'rb').read())\n"
        "for student, X in students:\n"
        "    print(' '.join(student.predict(X)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [" ".join(m.predict(X)) for m in models]


onnx_names = ["tree", "forest", "extra_trees", "logreg", "mlp", "scaled_logreg"]


@pytest.mark.parametrize("labels", ["strings", "minus_one_one", "one_four_seven"])
@pytest.mark.parametrize("name", onnx_names)
def test_onnx_matches_exported_student(name, labels):
    """Check that onnxruntime gives the exported student's labels and probabilities."""
    pytest.importorskip("skl2onnx")
    rt = pytest.importorskip("onnxruntime")
    clf = distil(make_student(name), labels, temperature=2.0)
    onnx_model = to_onnx(clf, X[:1])
    session = rt.InferenceSession(
        onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    assert [o.name for o in session.get_outputs()] == ["label", "probabilities"]
    label, proba = session.run(None, {"X": X.astype(np.float32)})
    exported = clf.export_student()
    np.testing.assert_allclose(proba, exported.predict_proba(X), rtol=0, atol=1e-5)
    np.testing.assert_array_equal(label, exported.predict(X))


def test_onnx_of_a_padded_student():
    """Check that a class padded with a -inf bias has probability 0 in ONNX too."""
    pytest.importorskip("skl2onnx")
    rt = pytest.importorskip("onnxruntime")
    clf = distil_without_last_class(make_student("logreg"), temperature=2.0)
    session = rt.InferenceSession(
        to_onnx(clf, X[:1]).SerializeToString(), providers=["CPUExecutionProvider"]
    )
    label, proba = session.run(None, {"X": X.astype(np.float32)})
    np.testing.assert_allclose(proba, clf.predict_proba(X), rtol=0, atol=1e-5)
    np.testing.assert_array_equal(label, clf.predict(X))
    assert np.all(proba[:, 2] == 0)


def test_onnx_labels_must_be_integers_or_strings():
    """Check that float labels become int64 when whole, and are refused otherwise."""
    pytest.importorskip("skl2onnx")
    tree = DecisionTreeClassifier(max_depth=2, random_state=0)
    onnx_model = to_onnx(tree.fit(X, Y + 1.0), X[:1])
    label_type = onnx_model.graph.output[0].type.tensor_type.elem_type
    assert label_type == 7  # onnx.TensorProto.INT64
    tree.classes_ = tree.classes_ - 0.5
    with pytest.raises(ValueError, match=re.escape("[0.5, 1.5, 2.5]")):
        to_onnx(tree, X[:1])
