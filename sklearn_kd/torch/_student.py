"""A skorch classifier that learns from a teacher's probabilities natively."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import inspect
from contextlib import contextmanager
from numbers import Integral

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring, EpochTimer, PassthroughScoring, PrintLog
from skorch.dataset import Dataset, get_len
from skorch.utils import to_numpy, to_tensor
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler

from sklearn_kd.torch._losses import (
    DistillationLoss,
    _check_alpha,
    _check_temperature,
)

# The target handed to skorch is a dict of per-row arrays, so that skorch's
# dataset, splits and data loaders keep labels, teacher probabilities and
# weights of a row together (a 2-D target breaks NeuralNetClassifier's
# np.unique class inference and its stratified split).
_LABELS, _TEACHER, _WEIGHT = "y", "teacher_proba", "sample_weight"


class MLPModule(torch.nn.Module):
    """A multi-layer perceptron that returns logits, for soft-target students.

    ``Linear -> activation -> dropout`` for each hidden layer, then a linear
    output layer without nonlinearity: the logits that
    :class:`~sklearn_kd.torch.DistillationLoss` expects. Inside
    :class:`SoftTargetNeuralNetClassifier`, the widths left as ``None`` are
    set from the data (number of features, number of classes).

    Parameters
    ----------
    input_units : int, default=None
        Number of input features.

    output_units : int, default=None
        Number of outputs, one per class.

    hidden_units : int or tuple of int, default=(64,)
        Width of each hidden layer; an int means one hidden layer and ``()``
        none (a linear model).

    dropout : float, default=0.0
        Dropout probability after each hidden layer.

    input_dropout : float, default=0.0
        Dropout probability on the inputs (Hinton et al. use 0.2 for their
        teacher).

    activation : type of torch.nn.Module, default=torch.nn.ReLU
        Nonlinearity after each hidden layer, instantiated once per layer.

    Examples
    --------
    >>> import torch
    >>> from sklearn_kd.torch import MLPModule
    >>> module = MLPModule(input_units=4, output_units=3, hidden_units=(8,))
    >>> module(torch.zeros(2, 4)).shape
    torch.Size([2, 3])
    """

    def __init__(
        self,
        input_units=None,
        output_units=None,
        hidden_units=(64,),
        dropout=0.0,
        input_dropout=0.0,
        activation=torch.nn.ReLU,
    ):
        super().__init__()
        if input_units is None or output_units is None:
            raise ValueError(
                "MLPModule needs input_units and output_units; got "
                f"input_units={input_units!r}, output_units={output_units!r}. "
                "SoftTargetNeuralNetClassifier sets those left None from the "
                "data when it is fitted."
            )
        if isinstance(hidden_units, Integral):
            hidden_units = (hidden_units,)
        layers = []
        if input_dropout > 0:
            layers.append(torch.nn.Dropout(input_dropout))
        width = int(input_units)
        for units in hidden_units:
            layers += [torch.nn.Linear(width, int(units)), activation()]
            if dropout > 0:
                layers.append(torch.nn.Dropout(dropout))
            width = int(units)
        layers.append(torch.nn.Linear(width, int(output_units)))
        self.layers = torch.nn.Sequential(*layers)

    def forward(self, X):
        return self.layers(X)


def _as_float32(X):
    """Numeric arrays and data frames as float32, the dtype of torch's weights.

    Other inputs (tensors, dicts or lists of arrays, datasets) are left for
    skorch to handle.
    """
    if sp.issparse(X):
        return X.astype(np.float32)
    if hasattr(X, "iloc") or isinstance(X, np.ndarray):
        X = np.asarray(X)
        if X.dtype.kind in "biuf":
            return np.ascontiguousarray(X, dtype=np.float32)
    return X


def _n_features(X):
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) == 2:
        return int(shape[1])
    return None


def _check_sample_weight(sample_weight, n_samples):
    if sample_weight is None:
        return np.ones(n_samples, dtype=np.float32)
    sample_weight = np.asarray(sample_weight, dtype=np.float64)
    if sample_weight.shape != (n_samples,):
        raise ValueError(
            f"sample_weight must have shape ({n_samples},); got {sample_weight.shape}."
        )
    if not np.isfinite(sample_weight).all() or (sample_weight < 0).any():
        raise ValueError("sample_weight must be finite and non-negative.")
    if not sample_weight.sum() > 0:
        raise ValueError("sample_weight must not sum to zero.")
    return sample_weight.astype(np.float32)


def _check_n_samples(X, n_samples):
    n_rows = None
    try:
        n_rows = get_len(X)
    except (TypeError, ValueError):
        pass
    if n_rows is not None and n_rows != n_samples:
        raise ValueError(f"X has {n_rows} rows but y has {n_samples}; they must match.")


def _target_labels(y):
    """The labels of a packed target (skorch's ``target_extractor``)."""
    return to_numpy(y[_LABELS] if isinstance(y, dict) else y)


def _label_accuracy(net, X, labels):
    """Accuracy on the rows that have a label (skorch's ``valid_acc``)."""
    labels = np.asarray(labels)
    labelled = labels >= 0
    if not labelled.any():
        return float("nan")
    pred = np.argmax(net.predict_proba(X), axis=1)
    return float(np.mean(pred[labelled] == labels[labelled]))


def _sliceable(dataset):
    """Whether ``dataset`` can hand out a whole batch for an array of indices.

    True for skorch's own ``Dataset`` (or a ``Subset`` of it, as validation
    splits make) holding a dense array and, as targets, nothing, an array or
    a dict of arrays: indexing those with an index array gives the batch that
    collating its rows one by one would.
    """
    if isinstance(dataset, torch.utils.data.Subset):
        dataset = dataset.dataset
    if type(dataset) is not Dataset or not isinstance(dataset.X, np.ndarray):
        return False
    y = dataset.y
    if isinstance(y, dict):
        return all(isinstance(v, np.ndarray) for v in y.values())
    return y is None or isinstance(y, np.ndarray)


class _Batches(torch.utils.data.Dataset):
    """A skorch ``Dataset`` of arrays (or a ``Subset`` of one), batch by batch.

    Indexed with a batch of row numbers, it returns the batch in one step:
    skorch's own indexing turns index arrays into lists that scikit-learn
    then inspects element by element.
    """

    def __init__(self, dataset):
        self.rows = None
        if isinstance(dataset, torch.utils.data.Subset):
            self.rows = np.asarray(dataset.indices, dtype=np.intp)
            dataset = dataset.dataset
        self.X, self.y = dataset.X, dataset.y
        self.n_rows = len(dataset) if self.rows is None else len(self.rows)

    def __len__(self):
        return self.n_rows

    def __getitem__(self, batch):
        batch = np.asarray(batch, dtype=np.intp)
        if self.rows is not None:
            batch = self.rows[batch]
        if self.y is None:
            y = torch.Tensor([0])  # skorch's placeholder for "no target"
        elif isinstance(self.y, dict):
            y = {key: value[batch] for key, value in self.y.items()}
        else:
            y = self.y[batch]
        return self.X[batch], y


@contextmanager
def _seeded(random_state, device):
    """Seed torch inside the block only, restoring the generators after it."""
    if random_state is None:
        yield
        return
    seed = random_state
    if not isinstance(seed, Integral):
        seed = int(check_random_state(seed).randint(np.iinfo(np.int32).max))
    devices = []
    device = torch.device(device)
    if device.type == "cuda" and torch.cuda.is_available():
        devices = [device.index if device.index is not None else 0]
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(int(seed))
        yield


class SoftTargetNeuralNetClassifier(NeuralNetClassifier):
    """A skorch neural network that learns a teacher's soft targets natively.

    A :class:`skorch.NeuralNetClassifier` whose module returns logits and
    which is trained with :class:`~sklearn_kd.torch.DistillationLoss`. As the
    student of :class:`~sklearn_kd.DistilledClassifier` it is fitted through
    its :meth:`fit_distill` method (the ``"native"`` route): it learns from the
    true labels and the teacher's probabilities with Hinton's loss, and its own
    softmax is the temperature-1 prediction. On its own, :meth:`fit` trains it
    on labels with the cross entropy, as an ordinary classifier.

    All of skorch's parameters keep their meaning (``module__*``,
    ``optimizer__*``, ``callbacks``, ``device``, ``warm_start``, ...) and can
    be searched through :class:`~sklearn_kd.DistilledClassifier` as
    ``student__lr``, ``student__module__hidden_units``, and so on.

    Read more in the :ref:`User Guide <distillation>`.

    Parameters
    ----------
    module : torch module class or instance, default=MLPModule
        The network. It must return one logit per class (no softmax). When
        it is a class whose ``input_units`` or ``output_units`` parameters
        are ``None`` (such as :class:`~sklearn_kd.torch.MLPModule`), they
        are set to the number of features and of classes at fit time; a
        module of another output width raises a ``ValueError``.

    criterion : type of torch.nn.Module, default=DistillationLoss
        The loss, instantiated at each fit with the ``temperature`` and
        ``alpha`` of that fit (temperature 1 and alpha 1 in :meth:`fit`) and
        any ``criterion__*`` parameters, and called as
        ``criterion(logits, y, teacher_proba, sample_weight)``.

    optimizer : type of torch.optim.Optimizer, default=torch.optim.Adam
        The optimizer; skorch's default is SGD, which needs more tuning.

    lr : float, default=0.001
        Learning rate.

    max_epochs : int, default=20
        Number of passes over the training rows.

    batch_size : int, default=128
        Rows per mini-batch; ``-1`` means all rows.

    train_split : callable or None, default=None
        How skorch holds out validation rows, such as
        ``skorch.dataset.ValidSplit(5)``. ``None`` trains on all rows.
        Stratified splits stratify on the labels (rows without a label form a
        stratum of their own).

    classes : array-like or None, default=None
        The labels of :meth:`fit`; ``None`` means those found in ``y``.
        Ignored by :meth:`fit_distill`, whose labels are class indices.

    verbose : int, default=0
        skorch prints a line per epoch when > 0.

    random_state : int, RandomState instance or None, default=None
        Seeds torch during :meth:`fit` (initial weights, shuffling, dropout)
        without changing torch's global generators, so that fits are
        reproducible. ``None`` uses torch's global generators as skorch does.

    **kwargs : dict
        Further :class:`skorch.NeuralNet` parameters, such as ``device``,
        ``callbacks``, ``warm_start`` or ``module__dropout``.
        ``iterator_train__shuffle`` defaults to True here (skorch: False).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels; ``np.arange(n_classes)`` after :meth:`fit_distill`.

    n_features_in_ : int
        Number of features seen during :term:`fit`, when ``X`` is an array or
        data frame.

    temperature_ : float
        Temperature of the last fit (1.0 after :meth:`fit`).

    alpha_ : float
        Weight of the labels in the last fit (1.0 after :meth:`fit`).

    module_ : torch.nn.Module
        The trained network.

    criterion_ : torch.nn.Module
        The loss of the last fit.

    history_ : skorch.history.History
        Losses and scores of each epoch.

    See Also
    --------
    sklearn_kd.DistilledClassifier : Fits this student on a teacher's
        probabilities.
    sklearn_kd.torch.DistillationLoss : The loss it minimises.

    Notes
    -----
    ``X`` given as a NumPy array, a sparse matrix or a pandas data frame is
    converted to float32; other inputs (tensors, dicts of arrays, datasets)
    reach skorch unchanged. Batches of arrays are sliced rather than collated
    row by row (the same batches; see :meth:`get_iterator`). Unlike
    :class:`skorch.NeuralNetClassifier`,
    :meth:`predict` returns labels from ``classes_``, not column indices, and
    ``iterator_train__shuffle`` defaults to True.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn_kd import DistilledClassifier
    >>> from sklearn_kd.torch import SoftTargetNeuralNetClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> student = SoftTargetNeuralNetClassifier(
    ...     module__hidden_units=(8,), max_epochs=50, lr=0.01, random_state=0
    ... )
    >>> clf = make_pipeline(
    ...     StandardScaler(),
    ...     DistilledClassifier(
    ...         LogisticRegression(), student, temperature=2.0, alpha=0.5
    ...     ),
    ... ).fit(X, y)
    >>> clf[-1].student_route_
    'native'
    >>> clf.predict(X[:3])
    array([0, 0, 0])
    >>> clf.predict_proba(X[:1]).shape
    (1, 3)
    """

    def __init__(
        self,
        module=MLPModule,
        *,
        criterion=DistillationLoss,
        optimizer=torch.optim.Adam,
        lr=0.001,
        max_epochs=20,
        batch_size=128,
        train_split=None,
        classes=None,
        verbose=0,
        random_state=None,
        **kwargs,
    ):
        # skorch does not shuffle by default; stochastic gradients want it
        kwargs.setdefault("iterator_train__shuffle", True)
        super().__init__(
            module,
            criterion=criterion,
            optimizer=optimizer,
            lr=lr,
            max_epochs=max_epochs,
            batch_size=batch_size,
            train_split=train_split,
            classes=classes,
            verbose=verbose,
            **kwargs,
        )
        self.random_state = random_state

    @property
    def _default_callbacks(self):
        return [
            ("epoch_timer", EpochTimer()),
            ("train_loss", PassthroughScoring(name="train_loss", on_train=True)),
            ("valid_loss", PassthroughScoring(name="valid_loss")),
            (
                "valid_acc",
                EpochScoring(
                    _label_accuracy,
                    name="valid_acc",
                    lower_is_better=False,
                    target_extractor=_target_labels,
                ),
            ),
            ("print_log", PrintLog()),
        ]

    @property
    def classes_(self):
        try:
            return self.classes_inferred_
        except AttributeError:
            return super().classes_

    # -- initialisation ---------------------------------------------------

    def initialize_module(self):
        """Instantiate the module, with widths left ``None`` set from the data.

        Returns
        -------
        self : object
            The net.
        """
        kwargs = self.get_params_for("module")
        if not isinstance(self.module, torch.nn.Module):
            kwargs = self._fill_widths(kwargs)
        self.module_ = self.initialized_instance(self.module, kwargs)
        return self

    def _fill_widths(self, kwargs):
        try:
            parameters = inspect.signature(self.module).parameters
        except (TypeError, ValueError):
            return kwargs
        n_classes = None
        if hasattr(self, "classes_inferred_"):
            n_classes = len(self.classes_inferred_)
        widths = {
            "input_units": getattr(self, "n_features_in_", None),
            "output_units": n_classes,
        }
        for name, value in widths.items():
            parameter = parameters.get(name)
            if parameter is None or value is None:
                continue
            if kwargs.get(name, parameter.default) is None:
                kwargs[name] = value
        return kwargs

    def initialize_criterion(self):
        """Instantiate the criterion with the temperature and alpha of this fit.

        Returns
        -------
        self : object
            The net.
        """
        kwargs = self.get_params_for("criterion")
        kwargs["temperature"] = getattr(self, "temperature_", 1.0)
        kwargs["alpha"] = getattr(self, "alpha_", 1.0)
        criterion = self.criterion
        if isinstance(criterion, torch.nn.Module):
            criterion = type(criterion)
        self.criterion_ = criterion(**kwargs)
        return self

    def _get_predict_nonlinearity(self):
        if isinstance(self.predict_nonlinearity, str) and (
            self.predict_nonlinearity == "auto"
        ):
            self.check_is_fitted()
            return _softmax
        return super()._get_predict_nonlinearity()

    # -- fitting ----------------------------------------------------------

    def check_data(self, X, y):
        # NeuralNetClassifier infers classes_ from y with np.unique, which the
        # packed targets would break; classes_ is set by fit and fit_distill
        if y is None:
            raise ValueError(
                f"{type(self).__name__} needs y: labels for fit, or labels and "
                "teacher probabilities through fit_distill."
            )

    def fit(self, X, y, sample_weight=None, **fit_params):
        """Train the network on labels with the cross entropy.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; arrays and data frames are converted to float32.

        y : array-like of shape (n_samples,)
            Target labels.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows in the loss.

        **fit_params : dict
            Passed to the module's ``forward`` (skorch's convention).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        y = self._set_classes(y)
        self.temperature_ = 1.0
        self.alpha_ = 1.0
        target = self._pack(X, y, None, sample_weight)
        return self._fit_packed(X, target, fit_params)

    def fit_distill(
        self,
        X,
        y,
        teacher_proba,
        *,
        temperature,
        alpha,
        sample_weight=None,
        **fit_params,
    ):
        """Train the network on labels and a teacher's probabilities.

        This is sklearn_kd's native soft-target protocol, which
        :class:`~sklearn_kd.DistilledClassifier` calls; the loss is
        :class:`~sklearn_kd.torch.DistillationLoss`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; arrays and data frames are converted to float32.

        y : array-like of shape (n_samples,)
            Labels as class indices ``0 .. n_classes - 1``; ``-1`` marks a
            row without a label, which learns the teacher alone.

        teacher_proba : array-like of shape (n_samples, n_classes)
            The teacher's probabilities at temperature 1.

        temperature : float
            Temperature ``T > 0`` of the soft term.

        alpha : float
            Weight of the labels, in [0, 1].

        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows in the loss.

        **fit_params : dict
            Passed to the module's ``forward`` (skorch's convention).

        Returns
        -------
        self : object
            Fitted estimator, with ``classes_ = np.arange(n_classes)``.
        """
        temperature = _check_temperature(temperature)
        alpha = _check_alpha(alpha)
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D class indices; got shape {y.shape}.")
        if y.dtype.kind not in "iu":
            if y.dtype.kind != "f" or not np.array_equal(y, np.round(y)):
                raise ValueError(
                    "y must hold class indices (integers, -1 for no label); got "
                    f"dtype {y.dtype}."
                )
        y = y.astype(np.int64)
        teacher_proba = np.asarray(teacher_proba, dtype=np.float64)
        if (
            teacher_proba.ndim != 2
            or teacher_proba.shape[0] != len(y)
            or teacher_proba.shape[1] < 2
        ):
            raise ValueError(
                "teacher_proba must have shape (n_samples, n_classes) = "
                f"({len(y)}, n_classes) with n_classes >= 2; got shape "
                f"{teacher_proba.shape}."
            )
        n_classes = teacher_proba.shape[1]
        if len(y) and (y.min() < -1 or y.max() >= n_classes):
            raise ValueError(
                f"y must hold class indices in [0, {n_classes - 1}] or -1, as "
                f"teacher_proba has {n_classes} columns; got values in "
                f"[{y.min()}, {y.max()}]."
            )
        if not np.isfinite(teacher_proba).all() or (teacher_proba < 0).any():
            raise ValueError("teacher_proba must be finite and non-negative.")
        total = teacher_proba.sum(axis=1, keepdims=True)
        if not (total > 0).all():
            raise ValueError(
                "Each row of teacher_proba must have positive mass; "
                f"{int(np.sum(total <= 0))} rows sum to zero."
            )
        self.classes_inferred_ = np.arange(n_classes)
        self.temperature_ = temperature
        self.alpha_ = alpha
        target = self._pack(X, y, teacher_proba / total, sample_weight)
        return self._fit_packed(X, target, fit_params)

    def partial_fit(self, X, y=None, classes=None, **fit_params):
        """Continue training for ``max_epochs`` without re-initialising.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.

        y : array-like of shape (n_samples,)
            Target labels (trained with the cross entropy).

        classes : array-like of shape (n_classes,), default=None
            All the labels, needed on the first call when ``y`` may miss some.

        **fit_params : dict
            Passed to the module's ``forward``.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        if isinstance(y, dict) and _TEACHER in y:  # packed by fit or fit_distill
            return super().partial_fit(X, y, **fit_params)
        if hasattr(self, "classes_inferred_"):
            y = self._encode(y)
        else:
            y = self._set_classes(y, classes)
            self.temperature_ = 1.0
            self.alpha_ = 1.0
        target = self._pack(X, y, None, fit_params.pop("sample_weight", None))
        X = _as_float32(X)
        n_features = _n_features(X)
        if n_features is not None and not self.initialized_:
            self.n_features_in_ = n_features
        return super().partial_fit(X, target, **fit_params)

    def _set_classes(self, y, classes=None):
        """Set ``classes_`` from ``classes``, ``self.classes`` or ``y``; encode y."""
        self.check_data(None, y)
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.ravel()
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D labels; got shape {y.shape}.")
        check_classification_targets(y)
        if classes is None and self.classes is not None and len(self.classes):
            classes = self.classes
        self.classes_inferred_ = (
            np.unique(y) if classes is None else np.asarray(classes)
        )
        return self._encode(y)

    def _encode(self, y):
        y = np.asarray(y).ravel()
        classes = np.asarray(self.classes_inferred_)
        sorter = np.argsort(classes, kind="stable")
        position = np.searchsorted(classes, y, sorter=sorter).clip(0, len(classes) - 1)
        encoded = sorter[position]
        unknown = classes[encoded] != y
        if unknown.any():
            raise ValueError(
                f"y contains labels not in classes: {np.unique(y[unknown]).tolist()}."
            )
        return encoded.astype(np.int64)

    def _pack(self, X, y_encoded, teacher_proba, sample_weight):
        n_samples = len(y_encoded)
        _check_n_samples(X, n_samples)
        if teacher_proba is None:  # labels only: one-hot, used with alpha = 1
            teacher_proba = np.eye(len(self.classes_inferred_))[y_encoded]
        return {
            _LABELS: np.asarray(y_encoded, dtype=np.int64),
            _TEACHER: np.asarray(teacher_proba, dtype=np.float32),
            _WEIGHT: _check_sample_weight(sample_weight, n_samples),
        }

    def _fit_packed(self, X, target, fit_params):
        X = _as_float32(X)
        values = X.data if sp.issparse(X) else X
        if isinstance(values, np.ndarray) and not np.isfinite(values).all():
            # NaN would make every weight NaN, and renormalised outputs would
            # hide it as uniform probabilities
            raise ValueError(
                f"X holds NaN or infinity, which {type(self).__name__} cannot "
                "learn from: impute it first (e.g. with "
                "sklearn.impute.SimpleImputer in a pipeline)."
            )
        n_features = _n_features(X)
        if n_features is not None:
            self.n_features_in_ = n_features
        with _seeded(self.random_state, self.device):
            if self.warm_start and self.initialized_:
                # keep the weights, but use this fit's temperature and alpha
                self._initialize_criterion()
            return super().fit(X, target, **fit_params)

    def get_dataset(self, X, y=None):
        """The skorch dataset of ``X`` (as float32) and the packed targets.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        y : dict of arrays or None, default=None
            Packed targets.

        Returns
        -------
        dataset : torch.utils.data.Dataset
            The dataset.
        """
        return super().get_dataset(_as_float32(X), y)

    def get_iterator(self, dataset, training=False):
        """Mini-batches of ``dataset``, sliced from arrays when possible.

        skorch's ``DataLoader`` fetches and collates rows one at a time, which
        costs more than a small network's forward pass. For arrays held by
        skorch's ``Dataset``, the same batches (same sampler, same order) are
        taken by indexing with the batch's row numbers instead. Custom
        iterators, datasets or ``DataLoader`` options other than
        ``batch_size``, ``shuffle`` and ``generator`` go through skorch
        unchanged.

        Parameters
        ----------
        dataset : torch.utils.data.Dataset
            The data.

        training : bool, default=False
            Whether to use ``iterator_train`` (else ``iterator_valid``).

        Returns
        -------
        iterator : torch.utils.data.DataLoader
            Yields ``(X, y)`` batches.
        """
        prefix = "iterator_train" if training else "iterator_valid"
        iterator = self.iterator_train if training else self.iterator_valid
        kwargs = self.get_params_for(prefix)
        if (
            iterator is not DataLoader
            or set(kwargs) - {"batch_size", "shuffle", "generator"}
            or not _sliceable(dataset)
        ):
            return super().get_iterator(dataset, training=training)
        batch_size = kwargs.get("batch_size", self.batch_size)
        if batch_size == -1:
            batch_size = len(dataset)
        if kwargs.get("shuffle", False):
            sampler = RandomSampler(dataset, generator=kwargs.get("generator"))
        else:
            sampler = SequentialSampler(dataset)
        batches = BatchSampler(sampler, batch_size, drop_last=False)
        # batch_size=None: each batch of indices is fetched in one call
        return DataLoader(_Batches(dataset), sampler=batches, batch_size=None)

    def get_split_datasets(self, X, y=None, **fit_params):
        """Split the training rows, stratifying on the labels when asked.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        y : dict of arrays or None, default=None
            Packed targets.

        **fit_params : dict
            Passed to ``train_split``.

        Returns
        -------
        dataset_train, dataset_valid : torch.utils.data.Dataset
            Training rows, and validation rows (``None`` without a split).
        """
        dataset = self.get_dataset(X, y)
        if not self.train_split:
            return dataset, None
        labels = y[_LABELS] if isinstance(y, dict) and _LABELS in y else y
        return self.train_split(dataset, labels, **fit_params)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        """Distillation loss of a batch.

        Parameters
        ----------
        y_pred : torch.Tensor of shape (batch_size, n_classes)
            Logits of the module.

        y_true : dict of torch.Tensor
            Packed labels, teacher probabilities and sample weights.

        X : input data, default=None
            The batch's input (unused).

        training : bool, default=False
            Whether the net is training (unused).

        Returns
        -------
        loss : torch.Tensor
            A scalar.
        """
        y_true = to_tensor(y_true, device=self.device)
        n_classes = y_true[_TEACHER].shape[-1]
        if y_pred.ndim != 2 or y_pred.shape[1] != n_classes:
            width = y_pred.shape[1] if y_pred.ndim == 2 else tuple(y_pred.shape)
            raise ValueError(
                f"The module returns outputs of width {width} but there are "
                f"n_classes={n_classes} classes; the module must return one "
                "logit per class (with MLPModule, leave output_units=None or "
                f"set module__output_units={n_classes})."
            )
        return self.criterion_(
            y_pred, y_true[_LABELS], y_true[_TEACHER], y_true[_WEIGHT]
        )

    # -- prediction -------------------------------------------------------

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels taken from ``classes_``.
        """
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def _softmax(logits):
    # float64, so rows sum to one to the precision scikit-learn's metrics check
    return torch.softmax(logits.double(), dim=-1)
