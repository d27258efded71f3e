"""Tests of skorch students and teachers inside DistilledClassifier."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import pickle
import re
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
skorch = pytest.importorskip("skorch")

from scipy.special import softmax  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.frozen import FrozenEstimator  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from skorch.dataset import ValidSplit  # noqa: E402

from sklearn_kd import DistilledClassifier, GaussianTransfer  # noqa: E402
from sklearn_kd.torch import (  # noqa: E402
    DistillationLoss,
    MLPModule,
    SoftTargetNeuralNetClassifier,
)

N_CLASSES = 3


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Run torch on one thread: the nets are tiny and the machines shared."""
    n_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n_threads)


@pytest.fixture(autouse=True)
def seeds_fixed():
    """Seed torch and numpy for every test (as skorch's own tests do)."""
    torch.manual_seed(0)
    np.random.seed(0)  # noqa: NPY002 (the global RNG is what needs a seed)


@pytest.fixture(scope="module")
def data():
    """A small standardised three-class problem in float32."""
    X, y = make_classification(
        n_samples=240,
        n_features=6,
        n_informative=4,
        n_classes=N_CLASSES,
        random_state=0,
    )
    X = StandardScaler().fit_transform(X).astype(np.float32)
    return X, y


def _student(**params):
    params = {
        "module__hidden_units": (8,),
        "max_epochs": 5,
        "lr": 0.02,
        "random_state": 0,
        **params,
    }
    return SoftTargetNeuralNetClassifier(**params)


def _skorch_teacher(**params):
    """A plain skorch classifier (softmax through its CrossEntropyLoss)."""
    params = {
        "module__input_units": 6,
        "module__output_units": N_CLASSES,
        "module__hidden_units": (16,),
        "criterion": torch.nn.CrossEntropyLoss,
        "optimizer": torch.optim.Adam,
        "lr": 0.02,
        "max_epochs": 5,
        "train_split": None,
        "verbose": 0,
        **params,
    }
    return skorch.NeuralNetClassifier(MLPModule, **params)


def _distilled(teacher, student, **params):
    """DistilledClassifier measuring the distilled student itself.

    ``validation_fraction=None`` skips the held-out comparison with a student
    on labels (two extra fits), which ``test_default_validation`` covers.
    """
    return DistilledClassifier(
        teacher, student, **{"validation_fraction": None, **params}
    )


def _teacher_proba(y, seed=0):
    rng = np.random.RandomState(seed)
    return softmax(2 * np.eye(N_CLASSES)[y] + rng.randn(len(y), N_CLASSES), axis=1)


# -- the student on its own ----------------------------------------------------


def test_fit_on_labels_is_an_ordinary_classifier(data):
    """Check that fit(X, y) learns labels of any type and predicts labels."""
    X, y = data
    labels = np.array(["cat", "dog", "eel"])[y]
    net = _student(max_epochs=20).fit(X, labels)
    np.testing.assert_array_equal(net.classes_, ["cat", "dog", "eel"])
    assert set(net.predict(X)) <= set(labels)
    assert net.score(X, labels) > 0.7
    proba = net.predict_proba(X)
    assert proba.shape == (len(X), N_CLASSES)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert net.n_features_in_ == X.shape[1]
    assert (net.temperature_, net.alpha_) == (1.0, 1.0)


def test_fit_equals_fit_distill_with_alpha_one(data):
    """Check that fit on labels is fit_distill with alpha=1, whatever the teacher."""
    X, y = data
    on_labels = _student().fit(X, y).predict_proba(X)
    distilled = (
        _student()
        .fit_distill(X, y, _teacher_proba(y), temperature=4.0, alpha=1.0)
        .predict_proba(X)
    )
    np.testing.assert_allclose(on_labels, distilled, rtol=1e-6)


def test_fit_distill_learns_the_teacher(data):
    """Check that alpha=0 follows the teacher rather than the labels."""
    X, y = data
    teacher_labels = (y + 1) % N_CLASSES  # a teacher that disagrees everywhere
    net = _student(max_epochs=30).fit_distill(
        X, y, np.eye(N_CLASSES)[teacher_labels], temperature=2.0, alpha=0.0
    )
    assert np.mean(net.predict(X) == teacher_labels) > 0.7
    np.testing.assert_array_equal(net.classes_, np.arange(N_CLASSES))


def test_fit_distill_classes_absent_from_y(data):
    """Check that all teacher columns become classes even if y misses some."""
    X, y = data
    y = np.where(y == 2, -1, y)  # class 2 only known from the teacher
    net = _student().fit_distill(
        X, y, _teacher_proba(np.abs(y)), temperature=2.0, alpha=0.5
    )
    np.testing.assert_array_equal(net.classes_, np.arange(N_CLASSES))
    assert net.predict_proba(X).shape == (len(X), N_CLASSES)


def test_sample_weight_reaches_the_loss(data):
    """Check that rows of weight zero are not learnt."""
    X, y = data
    weight = (y != 0).astype(float)
    net = _student(max_epochs=20).fit(X, y, sample_weight=weight)
    assert not np.any(net.predict(X) == 0)


def test_accepts_float64_and_pandas(data):
    """Check that float64 arrays and data frames are converted to float32."""
    pd = pytest.importorskip("pandas")
    X, y = data
    X64 = X.astype(np.float64)
    expected = _student().fit(X, y).predict_proba(X)
    np.testing.assert_allclose(_student().fit(X64, y).predict_proba(X64), expected)
    frame = pd.DataFrame(X64, columns=[f"f{i}" for i in range(X.shape[1])])
    np.testing.assert_allclose(_student().fit(frame, y).predict_proba(frame), expected)


def test_random_state_is_reproducible_and_local(data):
    """Check that random_state fixes the fit without touching torch's global RNG."""
    X, y = data
    state = torch.get_rng_state()
    net = _student(module__dropout=0.2).fit(X, y)
    assert torch.equal(state, torch.get_rng_state())
    first = net.predict_proba(X)
    second = _student(module__dropout=0.2).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, second)


def test_sliced_batches_match_skorch_dataloader(data):
    """Check that sliced batches give exactly what skorch's row-wise loader gives."""
    X, y = data
    fast = _student().fit(X, y)
    # any other DataLoader option sends the data through skorch's own path
    slow = _student(iterator_train__num_workers=0, iterator_valid__num_workers=0).fit(
        X, y
    )
    np.testing.assert_array_equal(fast.predict_proba(X), slow.predict_proba(X))
    iterator = fast.get_iterator(fast.get_dataset(X), training=False)
    assert iterator.batch_size is None
    assert slow.get_iterator(slow.get_dataset(X)).batch_size == 128


def test_validation_split_with_packed_targets(data):
    """Check that stratified skorch splits work with soft targets and y=-1 rows."""
    X, y = data
    y = y.copy()
    y[:30] = -1
    net = _student(train_split=ValidSplit(4, stratified=True)).fit_distill(
        X, y, _teacher_proba(np.abs(y)), temperature=2.0, alpha=0.5
    )
    history = net.history
    assert len(history) == 5
    # accuracy on the labelled validation rows (the -1 rows are skipped)
    assert history[-1, "valid_acc"] > 1 / 3  # better than chance on 3 classes
    assert np.isfinite(history[-1, "valid_loss"])


def test_warm_start_uses_the_new_temperature(data):
    """Check that a warm-started fit_distill keeps weights but updates T and alpha."""
    X, y = data
    net = _student(warm_start=True)
    net.fit_distill(X, y, _teacher_proba(y), temperature=2.0, alpha=0.5)
    module = net.module_
    net.fit_distill(X, y, _teacher_proba(y), temperature=5.0, alpha=0.1)
    assert net.module_ is module
    assert isinstance(net.criterion_, DistillationLoss)
    assert (net.criterion_.temperature, net.criterion_.alpha) == (5.0, 0.1)
    assert len(net.history) == 10


def test_partial_fit_on_labels(data):
    """Check that partial_fit trains on labels and keeps the classes."""
    X, y = data
    net = _student()
    net.partial_fit(X[:100], y[:100], classes=np.arange(N_CLASSES))
    net.partial_fit(X[100:], y[100:])
    assert len(net.history) == 10
    np.testing.assert_array_equal(net.classes_, np.arange(N_CLASSES))


# -- bad input -----------------------------------------------------------------


def test_module_output_width_mismatch(data):
    """Check that a module with the wrong number of outputs raises a ValueError."""
    X, y = data
    net = _student(module__output_units=2)
    msg = "The module returns outputs of width 2 but there are n_classes=3 classes"
    with pytest.raises(ValueError, match=re.escape(msg)):
        net.fit_distill(X, y, _teacher_proba(y), temperature=2.0, alpha=0.5)
    with pytest.raises(ValueError, match=re.escape(msg)):
        _distilled(LogisticRegression(), net, soft_targets="in_sample").fit(X, y)


@pytest.mark.parametrize(
    "teacher_proba",
    [np.full((240, 1), 1.0), np.full((239, 3), 1 / 3), np.full(240, 1 / 3)],
)
def test_teacher_proba_of_wrong_shape(data, teacher_proba):
    """Check that teacher_proba not of shape (n_samples, n_classes) is refused."""
    X, y = data
    msg = "teacher_proba must have shape (n_samples, n_classes) = (240, n_classes)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        _student().fit_distill(X, y, teacher_proba, temperature=1.0, alpha=0.5)


@pytest.mark.parametrize(
    "y, teacher_proba, msg",
    [
        (np.full(240, 3), None, "y must hold class indices in [0, 2] or -1"),
        (np.full(240, -2), None, "y must hold class indices in [0, 2] or -1"),
        (np.full(240, 0.5), None, "y must hold class indices (integers"),
        (None, np.full((240, 3), np.nan), "teacher_proba must be finite"),
        (None, np.zeros((240, 3)), "rows sum to zero"),
    ],
)
def test_fit_distill_bad_values(data, y, teacher_proba, msg):
    """Check that labels out of range and invalid probabilities are refused."""
    X, y_true = data
    y = y_true if y is None else y
    teacher_proba = _teacher_proba(y_true) if teacher_proba is None else teacher_proba
    with pytest.raises(ValueError, match=re.escape(msg)):
        _student().fit_distill(X, y, teacher_proba, temperature=1.0, alpha=0.5)


@pytest.mark.parametrize("temperature", [0.0, -2.0])
def test_fit_distill_non_positive_temperature(data, temperature):
    """Check that fit_distill refuses a non-positive temperature."""
    X, y = data
    msg = f"temperature must be a finite number > 0; got temperature={temperature!r}"
    with pytest.raises(ValueError, match=re.escape(msg)):
        _student().fit_distill(
            X, y, _teacher_proba(y), temperature=temperature, alpha=0.5
        )


def test_fit_distill_bad_alpha_and_weights(data):
    """Check that alpha outside [0, 1] and misshapen weights are refused."""
    X, y = data
    with pytest.raises(ValueError, match=re.escape("got alpha=1.5")):
        _student().fit_distill(X, y, _teacher_proba(y), temperature=1.0, alpha=1.5)
    with pytest.raises(ValueError, match=re.escape("sample_weight must have shape")):
        _student().fit(X, y, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match=re.escape("X has 240 rows but y has 239")):
        _student().fit(X, y[:-1])


# -- inside DistilledClassifier ------------------------------------------------


def test_native_route_inside_distilled_classifier(data):
    """Check that DistilledClassifier trains the net through fit_distill."""
    X, y = data
    clf = _distilled(LogisticRegression(), _student(), temperature=3.0, alpha=0.3).fit(
        X, y
    )
    assert clf.student_route_ == "native"
    assert isinstance(clf.student_, SoftTargetNeuralNetClassifier)
    assert (clf.student_.temperature_, clf.student_.alpha_) == (3.0, 0.3)
    np.testing.assert_array_equal(clf.student_.classes_, np.arange(N_CLASSES))
    # native students report temperature-1 probabilities: no sharpening
    np.testing.assert_allclose(
        clf.predict_proba(X), clf.student_.predict_proba(X), rtol=1e-5
    )


def test_default_validation(data):
    """Check that the held-out check against labels runs with a native student."""
    X, y = data
    # 0.25 of 240 rows: the check needs at least 50 held-out rows
    clf = DistilledClassifier(
        LogisticRegression(), _student(), temperature=2.0, validation_fraction=0.25
    )
    with warnings.catch_warnings():
        # whichever candidate wins on 60 rows, the check must run
        warnings.simplefilter("ignore", UserWarning)
        clf.fit(X, y)
    scores = clf.validation_scores_
    keys = {"labels", "distilled", "teacher", "labels_lead", "labels_lead_over_teacher"}
    assert set(scores) == keys
    # a logistic regression's in-sample outputs would flatter the teacher
    assert scores["teacher"] is None and scores["labels_lead_over_teacher"] is None
    assert clf.student_route_ == "native"
    assert clf.student_.alpha_ == (0.5 if clf.distilled_ else 1.0)


def test_guarded_fits_with_jobs_give_the_one_job_result(data):
    """A net seeds torch's global generator: its fits never share threads, so
    ``n_jobs=2`` gives the net ``n_jobs=None`` gives."""
    X, y = data

    def fit(n_jobs):
        clf = DistilledClassifier(
            LogisticRegression(),
            _student(),
            validation_fraction=0.25,
            n_jobs=n_jobs,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return clf.fit(X, y)

    one, two = fit(None), fit(2)
    assert two.validation_scores_ == one.validation_scores_
    np.testing.assert_array_equal(two.predict_proba(X), one.predict_proba(X))


def test_string_labels_and_transfer_set(data):
    """Check string labels and transfer rows (y=-1) through DistilledClassifier."""
    X, y = data
    labels = np.array(["a", "b", "c"])[y]
    clf = _distilled(
        LogisticRegression(),
        _student(),
        transfer=GaussianTransfer(size=0.5),
        soft_targets="in_sample",
        random_state=0,
    ).fit(X, labels)
    assert set(clf.predict(X)) <= {"a", "b", "c"}
    assert clf.score(X, labels) > 0.5


def test_sample_weight_through_distilled_classifier(data):
    """Check that DistilledClassifier's sample_weight reaches the student's loss."""
    X, y = data
    weight = (y != 0).astype(float)
    clf = _distilled(LogisticRegression(), _student(max_epochs=20), alpha=1.0).fit(
        X, y, sample_weight=weight
    )
    assert not np.any(clf.predict(X) == 0)


def test_pipeline_with_scaler(data):
    """Check a pipeline StandardScaler -> DistilledClassifier with a skorch student."""
    pd = pytest.importorskip("pandas")
    X, y = data
    frame = pd.DataFrame(10 * X + 3, columns=[f"x{i}" for i in range(X.shape[1])])
    model = make_pipeline(
        StandardScaler(),
        _distilled(LogisticRegression(), _student(max_epochs=20)),
    ).fit(frame, y)
    assert model.score(frame, y) > 0.7
    np.testing.assert_array_equal(model[0].feature_names_in_, frame.columns)


def test_grid_search_temperature_alpha_and_student_lr(data):
    """Check a grid search over temperature, alpha and student__lr."""
    X, y = data
    search = GridSearchCV(
        _distilled(
            LogisticRegression(), _student(max_epochs=3), soft_targets="in_sample"
        ),
        {
            "temperature": [1.0, 4.0],
            "alpha": [0.2, 1.0],
            "student__lr": [0.005, 0.05],
        },
        cv=2,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 8
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_estimator_.student_.lr == search.best_params_["student__lr"]


def test_clone_and_pickle_round_trips(data):
    """Check that clone and pickle give models with identical predictions."""
    X, y = data
    clf = _distilled(
        LogisticRegression(), _student(module__dropout=0.1), temperature=2.0
    )
    fitted = clone(clf).fit(X, y)
    refitted = clone(fitted).fit(X, y)
    np.testing.assert_array_equal(fitted.predict_proba(X), refitted.predict_proba(X))
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(fitted.predict_proba(X), restored.predict_proba(X))
    # the student alone, fitted and not
    student = pickle.loads(pickle.dumps(fitted.student_))
    np.testing.assert_array_equal(
        student.predict_proba(X), fitted.student_.predict_proba(X)
    )
    params = clone(_student()).get_params(deep=False)
    assert params["module__hidden_units"] == (8,)
    assert params["random_state"] == 0


def test_device_passes_through(data):
    """Check that device is a searchable student parameter used for training."""
    X, y = data
    clf = _distilled(LogisticRegression(), _student())
    clf.set_params(student__device="cpu").fit(X, y)
    assert clf.student_.device == "cpu"
    assert next(clf.student_.module_.parameters()).device.type == "cpu"


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_student(data):
    """Check that a student with device='cuda' trains and predicts on the GPU."""
    X, y = data
    clf = _distilled(
        LogisticRegression(), _student(device="cuda"), temperature=2.0
    ).fit(X, y)
    assert next(clf.student_.module_.parameters()).device.type == "cuda"
    cpu = _distilled(LogisticRegression(), _student(device="cpu"), temperature=2.0).fit(
        X, y
    )
    assert np.mean(clf.predict(X) == cpu.predict(X)) > 0.9


# -- skorch teachers -----------------------------------------------------------


def test_skorch_teacher(data):
    """Check that a plain skorch NeuralNetClassifier can be the teacher."""
    X, y = data
    clf = _distilled(
        _skorch_teacher(), _student(), soft_targets="cross_fit", cv=2, keep_teacher=True
    ).fit(X, y)
    assert isinstance(clf.teacher_, skorch.NeuralNetClassifier)
    assert clf.soft_targets_ == "cross_fit"
    assert clf.score(X, y) > 0.5


def test_list_of_skorch_teachers_is_averaged(data):
    """Check that a list of skorch nets is an ensemble teacher (mean probabilities)."""
    X, y = data
    clf = _distilled(
        [_skorch_teacher(), _skorch_teacher(module__hidden_units=(4,))],
        _student(),
        soft_targets="in_sample",
        keep_teacher=True,
    ).fit(X, y)
    members = clf.teacher_.estimators_
    assert len(members) == 2
    np.testing.assert_allclose(
        clf.teacher_.predict_proba(X),
        np.mean([m.predict_proba(X) for m in members], axis=0),
        rtol=1e-6,
    )


def test_frozen_skorch_teacher_is_not_refitted(data):
    """Check that a FrozenEstimator around a trained net is used as it is."""
    X, y = data
    teacher = _skorch_teacher().fit(X, y)
    weights = [p.detach().clone() for p in teacher.module_.parameters()]
    clf = _distilled(FrozenEstimator(teacher), _student()).fit(X, y)
    assert clf.soft_targets_ == "in_sample"
    assert len(teacher.history) == 5
    for before, after in zip(weights, teacher.module_.parameters(), strict=True):
        assert torch.equal(before, after)
    assert clf.student_route_ == "native"
