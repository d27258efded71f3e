"""The student: how it learns soft targets, and how its probabilities are read."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.multioutput import MultiOutputRegressor
from sklearn.pipeline import Pipeline
from sklearn.tree import (
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    ExtraTreeClassifier,
    ExtraTreeRegressor,
)
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import has_fit_parameter

from sklearn_kd._compat import Tree
from sklearn_kd._soft_targets import align_proba, normalize_rows

#: Smallest soft target kept when rows are expanded into weighted copies.
#: Dropping the rest keeps the cost near ``n_samples * classes with mass``;
#: each row's kept targets are renormalised so no weight is lost.
MIN_TARGET = 1e-3

_TREE_REGRESSORS = {
    DecisionTreeClassifier: DecisionTreeRegressor,
    ExtraTreeClassifier: ExtraTreeRegressor,
    RandomForestClassifier: RandomForestRegressor,
    ExtraTreesClassifier: ExtraTreesRegressor,
}


def student_route(student):
    """How ``student`` learns soft targets; the first route that applies wins.

    - ``"native"``: the student has ``fit_distill`` (see the protocol in
      :class:`~sklearn_kd.DistilledClassifier`) and gets labels and teacher
      probabilities itself.
    - ``"tree_regression"``: a scikit-learn tree or forest of trees; the
      equivalent regression tree is grown on the target vectors (Gini impurity
      on soft labels equals the summed per-class squared error) and turned back
      into the classifier the user asked for.
    - ``"sample_weight"``: a classifier whose ``fit`` takes ``sample_weight``;
      each row is repeated once per class with weight = target probability.
    - ``"regression"``: a regressor fitted on the target probabilities.

    Returns ``None`` when no route applies.
    """
    if callable(getattr(student, "fit_distill", None)):
        return "native"
    if type(student) in _TREE_REGRESSORS:
        return "tree_regression"
    if is_classifier(student) and _sample_weight_key(student) is not None:
        return "sample_weight"
    if is_regressor(student):
        return "regression"
    return None


def _sample_weight_key(student):
    """The ``fit`` keyword that carries sample weights to ``student``, if any."""
    if isinstance(student, Pipeline):
        name, last = student.steps[-1]
        if last is not None and last != "passthrough":
            if has_fit_parameter(last, "sample_weight"):
                return f"{name}__sample_weight"
        return None
    return "sample_weight" if has_fit_parameter(student, "sample_weight") else None


def fit_student(
    student,
    route,
    X,
    y_encoded,
    targets,
    *,
    teacher_proba,
    temperature,
    alpha,
    sample_weight,
    fit_params,
    n_source_rows=None,
):
    """Fit a clone of ``student`` on soft targets by ``route``; return it fitted.

    ``n_source_rows`` is the number of rows before transfer rows were added;
    tree students scale their per-leaf row counts by the ratio (see
    ``_fit_tree_regression``).

    ``targets`` are the mixed soft targets at ``temperature`` (rows sum to 1),
    ``y_encoded`` the labels as indices into ``classes_`` (``-1``: unlabelled)
    and ``teacher_proba`` the teacher's temperature-1 probabilities, which only
    the native route uses.
    """
    student = clone(student)
    n_samples, n_classes = targets.shape
    if route == "native":
        return student.fit_distill(
            X,
            y_encoded,
            teacher_proba,
            temperature=temperature,
            alpha=alpha,
            sample_weight=sample_weight,
            **fit_params,
        )
    if route == "tree_regression":
        scale = 1.0 if n_source_rows is None else len(y_encoded) / n_source_rows
        return _fit_tree_regression(
            student, X, y_encoded, targets, sample_weight, fit_params, scale
        )
    if route == "sample_weight":
        rows, cols = np.nonzero(targets >= MIN_TARGET)
        kept = targets[rows, cols]
        # renormalise what was kept so every row still weighs its sample weight
        kept = kept / np.bincount(rows, weights=kept, minlength=n_samples)[rows]
        if sample_weight is not None:
            kept = kept * np.asarray(sample_weight, dtype=np.float64)[rows]
        params = {**fit_params, _sample_weight_key(student): kept}
        # indexing with the row numbers copies only the (row, class) pairs kept
        return student.fit(_safe_indexing(X, rows), cols, **params)
    if route == "regression":
        if n_classes == 2:
            regression_targets = targets[:, 1]
        else:
            regression_targets = targets
            if not get_tags(student).target_tags.multi_output:
                student = MultiOutputRegressor(student)
        params = dict(fit_params)
        if sample_weight is not None:
            params["sample_weight"] = sample_weight
        return student.fit(X, regression_targets, **params)
    raise ValueError(f"Unknown student route {route!r}.")  # pragma: no cover


def student_proba(student, route, X, n_classes):
    """Probabilities of a fitted student in encoded class order (0 .. n_classes-1)."""
    if route == "regression":
        pred = np.asarray(student.predict(X), dtype=np.float64)
        if pred.ndim == 1:
            pred = np.clip(pred, 0.0, 1.0)
            pred = np.column_stack([1.0 - pred, pred])
        return normalize_rows(pred)
    proba = np.asarray(student.predict_proba(X), dtype=np.float64)
    proba = align_proba(proba, student.classes_, np.arange(n_classes))
    # float32 networks return rows that sum to one only up to rounding
    return normalize_rows(proba) if route == "native" else proba


def _fit_tree_regression(
    student, X, y_encoded, targets, sample_weight, fit_params, scale=1.0
):
    """Grow the regression twin of a tree student, then return it as a classifier.

    Transfer rows fill the space between training rows. So that the student
    keeps the size its parameters ask for, integer ``min_samples_leaf`` and
    ``min_samples_split`` count training rows: they are multiplied by
    ``scale``, the number of rows per training row. Without this, a forest of
    unlimited depth grows one leaf per transfer row and ends up as large as
    its teacher.
    """
    params = student.get_params()
    for key, smallest in (("min_samples_leaf", 1), ("min_samples_split", 2)):
        value = params.get(key)
        if isinstance(value, Integral) and scale > 1:
            params[key] = max(smallest, round(value * scale))
    class_weight = params.pop("class_weight", None)
    params["criterion"] = "squared_error"
    if "oob_score" in params:
        params["oob_score"] = False
    if class_weight is not None:
        labelled = y_encoded >= 0
        weight = np.ones(len(y_encoded))
        weight[labelled] = compute_sample_weight(class_weight, y_encoded[labelled])
        sample_weight = weight if sample_weight is None else weight * sample_weight
    regressor = _TREE_REGRESSORS[type(student)](**params)
    regressor.fit(X, targets, sample_weight=sample_weight, **fit_params)
    return _as_classifier(regressor, student, targets.shape[1])


def _tree_as_classifier(regressor, classifier, n_classes):
    """Move a fitted multi-output regression tree into ``classifier``.

    The regression tree's leaf values are mean target vectors, which is what a
    classification tree stores in its leaves (class fractions), so the result
    is an ordinary scikit-learn classifier: it pickles, plots and exports
    without sklearn_kd.
    """
    state = regressor.tree_.__getstate__()
    state["values"] = np.ascontiguousarray(
        state["values"].reshape(state["node_count"], 1, n_classes)
    )
    tree = Tree(regressor.n_features_in_, np.array([n_classes], dtype=np.intp), 1)
    tree.__setstate__(state)
    classifier.tree_ = tree
    classifier.classes_ = np.arange(n_classes)
    classifier.n_classes_ = n_classes
    classifier.n_outputs_ = 1
    classifier.max_features_ = regressor.max_features_
    classifier.n_features_in_ = regressor.n_features_in_
    if hasattr(regressor, "feature_names_in_"):
        classifier.feature_names_in_ = regressor.feature_names_in_
    return classifier


def _as_classifier(regressor, student, n_classes):
    if not hasattr(regressor, "estimators_"):
        return _tree_as_classifier(regressor, student, n_classes)
    tree_class = type(student.estimator)
    student.estimators_ = [
        _tree_as_classifier(tree, tree_class(**tree.get_params()), n_classes)
        for tree in regressor.estimators_
    ]
    student.estimator_ = clone(student.estimator)
    student.classes_ = np.arange(n_classes)
    student.n_classes_ = n_classes
    student.n_outputs_ = 1
    student.n_features_in_ = regressor.n_features_in_
    if hasattr(regressor, "feature_names_in_"):
        student.feature_names_in_ = regressor.feature_names_in_
    return student
