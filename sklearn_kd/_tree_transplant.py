"""Turn fitted regression trees on soft targets into the classifiers asked for.

A tree student learns soft targets as a multi-output regression tree (the Gini
impurity of soft labels equals their summed squared error). This module moves
the fitted regression trees into the classifier class the user gave, so the
student is an ordinary scikit-learn ``DecisionTreeClassifier`` or forest: it
pickles, plots, exports and predicts without sklearn_kd.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.tree import (
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    ExtraTreeClassifier,
    ExtraTreeRegressor,
)

from sklearn_kd._compat import Tree
from sklearn_kd._soft_targets import soften

#: The regression twin of each tree classifier that can learn soft targets.
TREE_REGRESSORS = {
    DecisionTreeClassifier: DecisionTreeRegressor,
    ExtraTreeClassifier: ExtraTreeRegressor,
    RandomForestClassifier: RandomForestRegressor,
    ExtraTreesClassifier: ExtraTreesRegressor,
}

#: Fitted attributes of a forest that are not about its trees or classes; the
#: private ones are what ``estimators_samples_`` needs.
_FOREST_STATE = ("n_features_in_", "feature_names_in_", "_n_samples")
_FOREST_STATE_OPTIONAL = ("_n_samples_bootstrap", "_sample_weight")


def count_training_rows_only(forest, n_real):
    """Make a forest fitted without bootstrap on the training rows followed by
    transfer rows report, in ``estimators_samples_``, the training rows only:
    they are the rows of the user's ``X``, which every tree saw. The weights
    of all the rows are dropped: without bootstrap no draw needs them, and
    they would ship in every pickle of the student."""
    forest._n_samples, forest._n_samples_bootstrap = n_real, None
    forest._sample_weight = None
    return forest


def leaf_values(regressor, X, targets, sample_weight=None):
    """Weighted mean of ``targets`` over the rows of ``X`` in each node.

    Returns one array of shape ``(node_count, n_targets)`` per tree of
    ``regressor`` (a list for a forest, an array for a tree). Nodes reached by
    no row keep the regressor's own values. This lets a tree whose splits were
    chosen on sharpened targets report the temperature-1 targets of its rows.
    """
    trees = getattr(regressor, "estimators_", None)
    leaves = regressor.apply(X)
    if trees is None:
        return _node_means(regressor.tree_, leaves, targets, sample_weight)
    return [
        _node_means(tree.tree_, leaves[:, i], targets, sample_weight)
        for i, tree in enumerate(trees)
    ]


def _node_means(tree, leaves, targets, sample_weight):
    weight = np.ones(len(leaves)) if sample_weight is None else sample_weight
    totals = np.column_stack(
        [
            np.bincount(
                leaves, weights=weight * targets[:, k], minlength=tree.node_count
            )
            for k in range(targets.shape[1])
        ]
    )
    mass = np.bincount(leaves, weights=weight, minlength=tree.node_count)
    values = tree.value[:, :, 0].copy() if tree.value.shape[2] == 1 else None
    if values is None:  # multi-output regression: (node_count, n_outputs, 1)
        values = tree.value.reshape(tree.node_count, -1).copy()
    reached = mass > 0
    values[reached] = totals[reached] / mass[reached, None]
    return values


def as_classifier(regressor, student, n_classes, values=None):
    """Move fitted regression tree(s) ``regressor`` into the unfitted ``student``.

    ``values`` replaces the leaf values (see :func:`leaf_values`). The student's
    ``classes_`` are ``arange(n_classes)``, the encoded labels.
    """
    if not hasattr(regressor, "estimators_"):
        return _tree_as_classifier(regressor, student, n_classes, values)
    tree_class = type(student.estimator)
    student.estimators_ = [
        _tree_as_classifier(
            tree,
            tree_class(**tree.get_params()),
            n_classes,
            None if values is None else values[i],
        )
        for i, tree in enumerate(regressor.estimators_)
    ]
    student.estimator_ = clone(student.estimator)
    for name in _FOREST_STATE:
        if hasattr(regressor, name):
            setattr(student, name, getattr(regressor, name))
    for name in _FOREST_STATE_OPTIONAL:
        setattr(student, name, getattr(regressor, name, None))
    _set_classes(student, n_classes)
    return student


def _tree_as_classifier(regressor, classifier, n_classes, values=None):
    """Move one fitted multi-output regression tree into ``classifier``.

    The regression tree's leaf values are mean target vectors, which is what a
    classification tree stores in its leaves (class fractions).
    """
    state = regressor.tree_.__getstate__()
    new_values = state["values"] if values is None else values
    state["values"] = np.ascontiguousarray(
        np.asarray(new_values, dtype=np.float64).reshape(
            state["node_count"], 1, n_classes
        )
    )
    tree = Tree(regressor.n_features_in_, np.array([n_classes], dtype=np.intp), 1)
    tree.__setstate__(state)
    classifier.tree_ = tree
    classifier.max_features_ = regressor.max_features_
    classifier.n_features_in_ = regressor.n_features_in_
    if hasattr(regressor, "feature_names_in_"):
        classifier.feature_names_in_ = regressor.feature_names_in_
    _set_classes(classifier, n_classes)
    return classifier


def _set_classes(classifier, n_classes):
    classifier.classes_ = np.arange(n_classes)
    classifier.n_classes_ = n_classes
    classifier.n_outputs_ = 1


def member_proba(classifier, X):
    """Each tree's probabilities: a list with one array for a tree, one per
    tree for a forest (whose ``predict_proba`` is their mean)."""
    trees = getattr(classifier, "estimators_", [classifier])
    return [np.asarray(tree.predict_proba(X), dtype=np.float64) for tree in trees]


def soften_leaves(classifier, temperature):
    """Rewrite every node of a fitted tree classifier (or of each tree of a
    forest) as ``soften(value, temperature)``, in place; returns it.

    Within a node the classes keep their order, so a single tree's
    predictions do not change.
    """
    for tree in getattr(classifier, "estimators_", [classifier]):
        state = tree.tree_.__getstate__()
        values = state["values"]
        state["values"] = np.ascontiguousarray(
            soften(values[:, 0, :], temperature).reshape(values.shape)
        )
        tree.tree_.__setstate__(state)
    return classifier
