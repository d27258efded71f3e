"""Prune a fitted tree back to a leaf budget.

A tree grown best-first to ``max_leaf_nodes`` keeps the splits that pay most
at once; a split that pays only through the splits below it (an interaction)
never gets its turn. Growing the tree larger and then pruning it back by
cost-complexity (weakest-link) pruning keeps the subtree whose splits pay most
together, which is how CART sizes its trees.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from sklearn_kd._compat import Tree

_LEAF = -1  # scikit-learn's TREE_LEAF
_UNDEFINED = -2  # scikit-learn's TREE_UNDEFINED, a leaf's feature and threshold


def prune_to_leaves(tree, max_leaves):
    """Prune fitted ``tree`` in place to at most ``max_leaves`` leaves.

    The weakest link is cut until the budget holds: the internal node whose
    subtree lowers the weighted impurity least per leaf it adds. These are the
    cuts of scikit-learn's minimal cost-complexity pruning, in its order, but
    pruning stops at a leaf count rather than at a ``ccp_alpha``. Node values
    stay as fitted: an internal node already holds the mean of its rows.

    Parameters
    ----------
    tree : DecisionTreeRegressor or DecisionTreeClassifier
        A fitted single tree.
    max_leaves : int
        The most leaves the pruned tree may keep; at least 1.

    Returns
    -------
    tree
        ``tree`` itself, with a pruned ``tree_``.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from sklearn_kd._pruning import prune_to_leaves
    >>> X, y = make_regression(n_samples=200, random_state=0)
    >>> tree = DecisionTreeRegressor(max_leaf_nodes=32, random_state=0).fit(X, y)
    >>> int(prune_to_leaves(tree, 8).get_n_leaves())
    8
    """
    state = tree.tree_.__getstate__()
    nodes = state["nodes"]
    left, right = nodes["left_child"].copy(), nodes["right_child"].copy()
    risk = nodes["impurity"] * nodes["weighted_n_node_samples"]
    while True:
        subtree_risk, leaves = _subtree_risk_and_leaves(left, right, risk)
        if leaves[0] <= max_leaves:
            break
        internal = np.flatnonzero((left != _LEAF) & (leaves > 0))
        cost = (risk[internal] - subtree_risk[internal]) / (leaves[internal] - 1)
        weakest = internal[np.argmin(cost)]
        left[weakest] = right[weakest] = _LEAF
    pruned = _kept_nodes(state, left, right)
    new_tree = Tree(tree.n_features_in_, tree.tree_.n_classes, tree.tree_.n_outputs)
    new_tree.__setstate__(pruned)
    tree.tree_ = new_tree
    return tree


def _preorder(left, right):
    """The nodes reachable from the root, each before its children."""
    order, stack = [], [0]
    while stack:
        node = stack.pop()
        order.append(node)
        if left[node] != _LEAF:
            stack += [right[node], left[node]]
    return np.array(order)


def _subtree_risk_and_leaves(left, right, risk):
    """Per node: the summed risk of its subtree's leaves, and their count
    (0 for nodes cut off from the root)."""
    subtree_risk = np.zeros(len(left))
    leaves = np.zeros(len(left), dtype=np.intp)
    for node in _preorder(left, right)[::-1]:  # children before parents
        if left[node] == _LEAF:
            subtree_risk[node], leaves[node] = risk[node], 1
        else:
            children = [left[node], right[node]]
            subtree_risk[node] = subtree_risk[children].sum()
            leaves[node] = leaves[children].sum()
    return subtree_risk, leaves


def _kept_nodes(state, left, right):
    """``state`` (a ``Tree``'s pickled state) with only the nodes reachable
    through ``left`` and ``right``, renumbered in preorder."""
    order = _preorder(left, right)
    new_id = np.full(len(left), _LEAF, dtype=np.intp)
    new_id[order] = np.arange(len(order))
    nodes = state["nodes"][order].copy()
    is_leaf = left[order] == _LEAF
    nodes["left_child"] = np.where(is_leaf, _LEAF, new_id[left[order]])
    nodes["right_child"] = np.where(is_leaf, _LEAF, new_id[right[order]])
    nodes["feature"][is_leaf] = _UNDEFINED
    nodes["threshold"][is_leaf] = _UNDEFINED
    depth = np.zeros(len(order), dtype=np.intp)
    for i in np.flatnonzero(~is_leaf):  # preorder: a parent's depth is known
        depth[nodes["left_child"][i]] = depth[nodes["right_child"][i]] = depth[i] + 1
    return {
        **state,
        "nodes": nodes,
        "values": state["values"][order].copy(),
        "node_count": len(order),
        "max_depth": int(depth.max()),
    }
