"""Pruning a fitted tree back to a leaf budget, and the pruned candidate of
a tree student with ``max_leaf_nodes``."""

import pickle

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from sklearn_kd import DistilledClassifier
from sklearn_kd._pruning import prune_to_leaves


def _soft_targets(seed):
    rng = np.random.RandomState(seed)
    X = rng.rand(600, 5)
    logits = np.column_stack([X[:, 0] * X[:, 1], X[:, 2], X[:, 3] - X[:, 4]])
    logits += rng.normal(scale=0.3, size=logits.shape)
    targets = np.exp(3 * logits)
    weights = rng.uniform(0.5, 2.0, size=len(X))
    return X, targets / targets.sum(1, keepdims=True), weights


def _sklearn_pruned(X, targets, weights, max_leaves):
    """scikit-learn's own cost-complexity pruning, at the smallest path alpha
    that brings the 64-leaf tree within ``max_leaves``."""
    params = {"max_leaf_nodes": 64, "random_state": 0}
    path = DecisionTreeRegressor(**params).cost_complexity_pruning_path(
        X, targets, sample_weight=weights
    )
    for alpha in path.ccp_alphas:
        pruned = DecisionTreeRegressor(ccp_alpha=alpha, **params).fit(
            X, targets, sample_weight=weights
        )
        if pruned.get_n_leaves() <= max_leaves:
            return pruned
    raise AssertionError("the path ends at the root")


@pytest.mark.parametrize("max_leaves", [2, 5, 17, 40])
def test_pruning_matches_scikit_learns_cost_complexity_pruning(max_leaves):
    """Weighted multi-output targets: the pruned tree predicts what
    scikit-learn's ``ccp_alpha`` pruning predicts at the same leaf count."""
    X, targets, weights = _soft_targets(0)
    expected = _sklearn_pruned(X, targets, weights, max_leaves)
    tree = DecisionTreeRegressor(max_leaf_nodes=64, random_state=0).fit(
        X, targets, sample_weight=weights
    )
    assert tree.get_n_leaves() == 64
    prune_to_leaves(tree, max_leaves)
    assert tree.get_n_leaves() == expected.get_n_leaves() <= max_leaves
    assert tree.get_depth() == expected.get_depth()
    assert tree.tree_.node_count == expected.tree_.node_count
    X_new = np.random.RandomState(1).rand(2000, 5)
    np.testing.assert_allclose(tree.predict(X_new), expected.predict(X_new))
    np.testing.assert_array_equal(tree.apply(X), expected.apply(X))


def test_pruned_tree_is_an_ordinary_tree():
    """It pickles, predicts and reports its structure; a budget it already
    meets leaves it as it was; a budget of one leaves the root."""
    X, y = make_classification(400, 6, random_state=0)
    tree = DecisionTreeClassifier(max_leaf_nodes=12, random_state=0).fit(X, y)
    before = tree.predict_proba(X)
    assert prune_to_leaves(tree, 12) is tree
    np.testing.assert_array_equal(tree.predict_proba(X), before)
    prune_to_leaves(tree, 4)
    restored = pickle.loads(pickle.dumps(tree))
    np.testing.assert_array_equal(restored.predict_proba(X), tree.predict_proba(X))
    assert restored.get_n_leaves() <= 4
    leaves = tree.tree_.children_left == -1
    assert np.all(tree.tree_.feature[leaves] == -2)
    assert np.all(tree.tree_.children_left[~leaves] > np.flatnonzero(~leaves))
    prune_to_leaves(tree, 1)
    assert tree.get_n_leaves() == 1 and tree.get_depth() == 0
    np.testing.assert_allclose(tree.predict_proba(X), np.tile(before.mean(0), (400, 1)))


def test_leaf_limited_student_also_grows_a_pruned_candidate(monkeypatch):
    """A capacity-limited tree with ``max_leaf_nodes`` is also grown four
    times larger and pruned back to its budget, and keeps the budget whichever
    candidate wins; a tree whose depth allows no more leaves than that has no
    pruned candidate."""
    from sklearn_kd import _student

    pruned_to = []
    prune = _student.prune_to_leaves

    def spy(tree, max_leaves):
        pruned_to.append((tree.get_n_leaves(), max_leaves))
        return prune(tree, max_leaves)

    monkeypatch.setattr(_student, "prune_to_leaves", spy)
    X, y = make_classification(1500, 8, n_informative=6, random_state=0)

    def fit(student):
        return DistilledClassifier(
            RandomForestClassifier(50, random_state=0),
            student,
            validation_fraction=None,
            random_state=0,
        ).fit(X, y)

    limited = fit(DecisionTreeClassifier(max_leaf_nodes=6, random_state=0))
    assert limited.temperature_ == 0.0
    assert pruned_to == [(24, 6)]
    assert limited.student_.get_n_leaves() <= 6
    pruned_to.clear()
    fit(DecisionTreeClassifier(max_depth=2, random_state=0))
    # depth 2 allows 4 leaves: a budget of 6 never binds
    fit(DecisionTreeClassifier(max_leaf_nodes=6, max_depth=2, random_state=0))
    assert pruned_to == []
    both = fit(DecisionTreeClassifier(max_leaf_nodes=6, max_depth=3, random_state=0))
    assert [budget for _, budget in pruned_to] == [6]
    assert both.student_.get_n_leaves() <= 6 and both.student_.get_depth() <= 3
    # a depth from a numpy grid: 2 ** numpy.int64(64) wraps to 0, which read
    # as "depth allows no leaves" would drop the pruned candidate
    pruned_to.clear()
    fit(
        DecisionTreeClassifier(max_leaf_nodes=6, max_depth=np.int64(64), random_state=0)
    )
    assert [budget for _, budget in pruned_to] == [6]
