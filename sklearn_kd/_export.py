"""A distilled student as a plain scikit-learn estimator, and as an ONNX model."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import copy
import warnings

import numpy as np
from sklearn.base import is_classifier
from sklearn.ensemble import (
    ExtraTreesClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import LabelBinarizer
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.validation import check_is_fitted

from sklearn_kd._base import BaseDistiller
from sklearn_kd._compat import Tree
from sklearn_kd._distill import DistilledClassifier

#: Rows of the check that a relabelled classifier of unknown kind predicts as
#: the distilled model does.
_N_PROBE_ROWS = 64


def export_student(estimator):
    """The fitted student of a distilled model as a plain scikit-learn estimator.

    The result is a deep copy of ``estimator.student_`` (the student itself is
    left as it is) that predicts exactly what ``estimator`` predicts: its
    ``classes_`` are the user's labels, and the temperature at which the
    student learnt is folded into its parameters where that is exact. It
    pickles and loads with scikit-learn alone.

    - Trees, extra trees and forests of them: learnt at temperature 1 already
      (route ``"tree_regression"``); only the labels change. A single tree in
      a pipeline (route ``"sample_weight"``) gets sharpened leaf values.
    - :class:`~sklearn.linear_model.LogisticRegression`: coefficients and
      intercepts times ``T``, since ``softmax(T z)`` is proportional to
      ``softmax(z) ** T`` (and likewise ``expit`` for two classes).
    - :class:`~sklearn.neural_network.MLPClassifier`: the last layer times ``T``.
    - :class:`~sklearn.ensemble.HistGradientBoostingClassifier`: the baseline
      and every leaf value times ``T`` (raw scores are their sum).
    - A :class:`~sklearn.pipeline.Pipeline` ending in one of these.
    - Another classifier: relabelled, when no temperature is to be folded and
      it predicts as ``estimator`` does on a few probe rows.

    A class that a sample-weighted student never saw gets probability exactly
    zero: an intercept (bias, leaf value) of ``-inf`` for linear models and
    networks, a zero column for trees.

    Parameters
    ----------
    estimator : DistilledClassifier
        A fitted distilled model.

    Returns
    -------
    student : estimator
        A fitted scikit-learn classifier with ``predict`` equal to
        ``estimator.predict`` and ``predict_proba`` equal to
        ``estimator.predict_proba``.

    Raises
    ------
    NotFittedError
        If ``estimator`` is not fitted.
    TypeError
        If the student has no standalone scikit-learn form: a native
        (skorch) student, a regressor, or a classifier this function cannot
        relabel.
    ValueError
        If folding the temperature or a missing class into the student has
        no exact form (a forest inside a pipeline at ``temperature != 1``,
        gradient boosting that never saw a class).

    Examples
    --------
    >>> import pickle
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_kd import DistilledClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> labels = ["setosa", "versicolor", "virginica"]
    >>> y = [labels[k] for k in y]
    >>> clf = DistilledClassifier(
    ...     RandomForestClassifier(n_estimators=20, random_state=0),
    ...     LogisticRegression(max_iter=1000),
    ...     temperature=3.0,
    ...     validation_fraction=None,
    ...     random_state=0,
    ... ).fit(X, y)
    >>> student = clf.export_student()
    >>> student
    LogisticRegression(max_iter=1000)
    >>> student.classes_.tolist()
    ['setosa', 'versicolor', 'virginica']
    >>> bool((student.predict(X) == clf.predict(X)).all())
    True
    >>> bool(abs(student.predict_proba(X) - clf.predict_proba(X)).max() < 1e-9)
    True
    """
    if not isinstance(estimator, DistilledClassifier):
        raise TypeError(
            "export_student expects a DistilledClassifier; got "
            f"{type(estimator).__name__}."
        )
    check_is_fitted(estimator, "student_")
    route = estimator.student_route_
    if route == "native":
        raise TypeError(
            "The student learnt by the native protocol (a skorch network): it "
            "has no scikit-learn form to export. Save the DistilledClassifier "
            "itself, or the network's parameters with its own save_params."
        )
    if route == "regression":
        raise TypeError(
            "The student is a regressor fitted on probabilities: its "
            "predictions are clipped and renormalised by DistilledClassifier, "
            "which no scikit-learn classifier does. Save the DistilledClassifier "
            "itself, or distil into a classifier."
        )
    student = copy.deepcopy(estimator.student_)
    final = student.steps[-1][1] if isinstance(student, Pipeline) else student
    _export_final(
        final, np.asarray(estimator.classes_), _temperature_to_fold(estimator)
    )
    if not isinstance(final, _KNOWN_TYPES):
        _check_relabelled(student, estimator)
    return student


_FORESTS = (RandomForestClassifier, ExtraTreesClassifier)

#: Final estimators exported by a rule of their own; others are relabelled and
#: checked on probe rows.
_KNOWN_TYPES = (
    DecisionTreeClassifier,
    *_FORESTS,
    LogisticRegression,
    MLPClassifier,
    HistGradientBoostingClassifier,
)


def _temperature_to_fold(estimator):
    """The temperature the exported student must apply, 1.0 for none.

    Tree students learn at temperature 1 (fit folds the sharpening into the
    leaves); a labels-only student learnt no temperature at all.
    """
    if estimator.student_route_ == "sample_weight" and estimator.distilled_:
        return float(estimator.temperature_)
    return 1.0


def _export_final(final, classes, temperature):
    """Fold ``temperature`` and ``classes`` into the final estimator, in place."""
    present = np.asarray(final.classes_).astype(np.intp)
    if isinstance(final, DecisionTreeClassifier):
        _export_tree(final, classes, present, temperature)
    elif isinstance(final, _FORESTS):
        _export_forest(final, classes, present, temperature)
    elif isinstance(final, LogisticRegression):
        _export_logistic(final, classes, present, temperature)
    elif isinstance(final, MLPClassifier):
        _export_mlp(final, classes, present, temperature)
    elif isinstance(final, HistGradientBoostingClassifier):
        _export_hgb(final, classes, present, temperature)
    else:
        _export_other(final, classes, present, temperature)


def _export_tree(tree, classes, present, temperature):
    """Sharpen and pad the leaf values of a fitted classification tree."""
    if tree.n_outputs_ != 1:
        raise ValueError("Only single-output trees can be exported.")
    state = tree.tree_.__getstate__()
    values = state["values"][:, 0, :]
    if temperature != 1.0:
        with np.errstate(divide="ignore"):
            # the same computation as sharpen(): exp(T log p) renormalised
            logits = temperature * np.log(values)
        logits -= logits.max(axis=1, keepdims=True)
        values = np.exp(logits)
        values /= values.sum(axis=1, keepdims=True)
    padded = np.zeros((values.shape[0], len(classes)))
    padded[:, present] = values
    state["values"] = np.ascontiguousarray(padded[:, np.newaxis, :])
    new_tree = Tree(tree.n_features_in_, np.array([len(classes)], dtype=np.intp), 1)
    new_tree.__setstate__(state)
    tree.tree_ = new_tree
    tree.classes_ = classes
    tree.n_classes_ = len(classes)


def _export_forest(forest, classes, present, temperature):
    """Relabel (and pad) a forest and each of its trees."""
    if temperature != 1.0:
        raise ValueError(
            "A forest that learnt soft targets by sample weights (a forest "
            "inside a pipeline) is reported at temperature 1 by sharpening its "
            "averaged probabilities, which no forest can do exactly; got "
            f"temperature={temperature}. Distil with temperature=1.0, or pass "
            "the forest itself as the student so its trees learn at "
            "temperature 1."
        )
    for tree in forest.estimators_:
        _export_tree(tree, classes, present, 1.0)
    forest.classes_ = classes
    forest.n_classes_ = len(classes)


def _export_logistic(model, classes, present, temperature):
    """Scale the logits by ``temperature`` and pad absent classes."""
    coef = np.asarray(model.coef_, dtype=np.float64) * temperature
    intercept = np.asarray(model.intercept_, dtype=np.float64) * temperature
    if len(present) < len(classes):
        # coef_ holds one row per logit
        coef, intercept = _pad_logits(coef.T, intercept, present, len(classes))
        coef = coef.T
    model.coef_, model.intercept_ = coef, intercept
    model.classes_ = classes


def _pad_logits(weights, bias, present, n_classes):
    """Weights ``(n_inputs, n_classes)`` and biases of all classes from those of
    the ``present`` ones.

    A two-class model has one logit ``z``, for its second class: the softmax
    over ``[0, z]``. An absent class gets zero weights and a bias of ``-inf``:
    ``exp(-inf)`` is exactly 0, so its probability is exactly zero and the
    others keep theirs, for any finite input (a large negative bias would only
    make it small).
    """
    if weights.shape[1] == 1:
        weights = np.hstack([np.zeros_like(weights), weights])
        bias = np.concatenate([[0.0], bias])
    full_weights = np.zeros((weights.shape[0], n_classes))
    full_bias = np.full(n_classes, -np.inf)
    full_weights[:, present] = weights
    full_bias[present] = bias
    return full_weights, full_bias


def _export_mlp(model, classes, present, temperature):
    """Scale the output layer by ``temperature``, pad absent classes, relabel."""
    if model.out_activation_ not in ("logistic", "softmax"):
        raise ValueError(
            f"Cannot export an MLP with output activation {model.out_activation_!r}."
        )
    coefs = model.coefs_[-1] * temperature
    intercepts = model.intercepts_[-1] * temperature
    if len(present) < len(classes):
        coefs, intercepts = _pad_logits(coefs, intercepts, present, len(classes))
        model.out_activation_ = "softmax" if len(classes) > 2 else "logistic"
        model.n_outputs_ = coefs.shape[1]
    model.coefs_ = [*model.coefs_[:-1], coefs]
    model.intercepts_ = [*model.intercepts_[:-1], intercepts]
    model.classes_ = classes
    # predict decodes through the label binarizer, not classes_
    model._label_binarizer = LabelBinarizer().fit(classes)


def _export_hgb(model, classes, present, temperature):
    """Scale the baseline and every leaf by ``temperature``; relabel."""
    if len(present) < len(classes):
        missing = np.setdiff1d(np.arange(len(classes)), present)
        raise ValueError(
            "The gradient-boosting student never saw the classes "
            f"{classes[missing].tolist()} (no row kept weight for them), and a "
            "boosted model has no exact way to add a class. Use a tree, logistic "
            "regression or MLP student to export it, or save the DistilledClassifier "
            "itself."
        )
    if temperature != 1.0:
        # raw scores are the baseline plus one leaf value per tree: scaling
        # each term scales the sum, and softmax(T z) ∝ softmax(z) ** T
        model._baseline_prediction = model._baseline_prediction * temperature
        for predictors in model._predictors:
            for predictor in predictors:
                predictor.nodes["value"] *= temperature
    model.classes_ = classes


def _export_other(model, classes, present, temperature):
    """Relabel a classifier of another kind, where that is all it takes."""
    if not is_classifier(model):
        raise TypeError(f"Cannot export {type(model).__name__}: not a classifier.")
    if temperature != 1.0:
        raise TypeError(
            f"{type(model).__name__} learnt at temperature={temperature} and is "
            "reported sharpened (p ** T); only trees, logistic regression, MLP "
            "and histogram gradient boosting can hold that in their parameters. "
            "Distil with temperature=1.0 to export this student."
        )
    if len(present) < len(classes):
        raise TypeError(
            f"{type(model).__name__} never saw some classes and cannot be "
            "padded with them; use a tree, logistic regression or MLP student."
        )
    model.classes_ = classes


def _check_relabelled(student, estimator):
    """Refuse a relabelled student that does not predict as ``estimator`` does.

    A classifier of unknown kind may decode labels through something other
    than ``classes_`` (a label encoder of its own), or predict otherwise than
    by the argmax of its probabilities; a few seeded rows show it.
    """
    rng = np.random.RandomState(0)
    probe = rng.normal(size=(_N_PROBE_ROWS, estimator.n_features_in_))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            same = np.array_equal(
                student.predict(probe), estimator.predict(probe)
            ) and np.allclose(
                student.predict_proba(probe),
                estimator.predict_proba(probe),
                rtol=0,
                atol=1e-9,
            )
    except Exception as exc:
        raise TypeError(
            f"Cannot check the export of {type(student).__name__} on numeric "
            f"rows ({exc}); save the DistilledClassifier itself."
        ) from exc
    if not same:
        raise TypeError(
            f"{type(student).__name__} does not predict as the distilled model "
            "once relabelled (it decodes labels or predicts otherwise than by "
            "the argmax of its probabilities); save the DistilledClassifier "
            "itself."
        )


def to_onnx(estimator, X_sample, *, target_opset=None):
    """Convert a fitted model, or a distilled model's student, to ONNX.

    A :class:`~sklearn_kd.DistilledClassifier` or
    :class:`~sklearn_kd.DistilledRegressor` is exported first with its
    ``export_student()``. The ONNX graph takes one float32 input ``X`` of
    ``n_features`` columns. A classifier's graph has two outputs: ``label``
    (the class labels, int64 or strings) and ``probabilities`` (a float32
    matrix with columns in the order of ``classes_``: the ``zipmap`` option
    is off); a regressor's has its predictions.

    Parameters
    ----------
    estimator : DistilledClassifier, DistilledRegressor or fitted estimator
        The model to convert.

    X_sample : array-like of shape (n_samples, n_features)
        A few rows, only to fix the input's type and width.

    target_opset : int, default=None
        ONNX operator set; ``None`` means the latest that skl2onnx has tested.

    Returns
    -------
    onnx_model : onnx.ModelProto
        Write it with ``onnx_model.SerializeToString()``.

    Raises
    ------
    ImportError
        If skl2onnx is not installed.
    ValueError
        If the class labels are neither integers nor strings (ONNX has no
        other label type).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sklearn_kd import to_onnx
    >>> X, y = load_iris(return_X_y=True)
    >>> tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
    >>> onnx_model = to_onnx(tree, X[:1])  # doctest: +SKIP
    >>> [o.name for o in onnx_model.graph.output]  # doctest: +SKIP
    ['label', 'probabilities']
    """
    try:
        import skl2onnx
    except ImportError as exc:
        raise ImportError(
            "ONNX export requires skl2onnx and onnx: pip install -c "
            "constraints.txt '.[onnx]' from a clone of sklearn_kd"
        ) from exc
    if isinstance(estimator, BaseDistiller):
        estimator = estimator.export_student()
    check_is_fitted(estimator)
    X_sample = np.asarray(X_sample, dtype=np.float32)
    if X_sample.ndim != 2:
        raise ValueError(
            f"X_sample must be 2-D (n_samples, n_features); got shape {X_sample.shape}."
        )
    options = None
    if is_classifier(estimator):
        estimator = _with_onnx_labels(estimator)
        final = estimator.steps[-1][1] if isinstance(estimator, Pipeline) else estimator
        options = {id(final): {"zipmap": False}}
    return skl2onnx.to_onnx(
        estimator, X_sample, options=options, target_opset=target_opset
    )


def _with_onnx_labels(estimator):
    """``estimator``, or a copy whose labels ONNX can hold (int64 or str)."""
    classes = np.asarray(estimator.classes_)
    if classes.dtype.kind in "iub":
        return estimator
    if classes.dtype.kind == "U":
        return estimator
    values = classes.tolist()
    if all(isinstance(v, str) for v in values):
        labels = classes.astype(str)
    elif all(
        isinstance(v, (int, float, np.number)) and float(v).is_integer() for v in values
    ):
        labels = classes.astype(np.int64)
    else:
        raise ValueError(
            "ONNX class labels must be integers or strings; got classes_="
            f"{values!r}. Encode the labels, e.g. as strings, before distilling."
        )
    estimator = copy.deepcopy(estimator)
    final = estimator.steps[-1][1] if isinstance(estimator, Pipeline) else estimator
    _set_labels(final, labels)
    return estimator


def _set_labels(model, labels):
    """Set ``classes_`` (and those of a forest's trees, an MLP's binarizer)."""
    model.classes_ = labels
    for tree in getattr(model, "estimators_", []):
        if hasattr(tree, "classes_"):
            tree.classes_ = labels
    if isinstance(model, MLPClassifier):
        model._label_binarizer = LabelBinarizer().fit(labels)
