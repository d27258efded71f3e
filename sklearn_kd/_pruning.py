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
    order = _preorder(left, right)
    subtree_risk, leaves, size = _subtree_totals(left, right, risk, order)
    parent = np.full(len(left), _LEAF, dtype=np.intp)
    internal = left != _LEAF
    parent[left[internal]] = parent[right[internal]] = np.flatnonzero(internal)
    position = np.empty(len(left), dtype=np.intp)
    position[order] = np.arange(len(order))
    while leaves[0] > max_leaves:
        with np.errstate(divide="ignore", invalid="ignore"):
            cost = np.where(internal, (risk - subtree_risk) / (leaves - 1), np.inf)
        weakest = int(np.argmin(cost))
        # a subtree is a contiguous run of the preorder: none of it splits now
        internal[order[position[weakest] : position[weakest] + size[weakest]]] = False
        lost_leaves = leaves[weakest] - 1
        gained_risk = risk[weakest] - subtree_risk[weakest]
        left[weakest] = right[weakest] = _LEAF
        node = weakest
        while node != _LEAF:
            leaves[node] -= lost_leaves
            subtree_risk[node] += gained_risk
            node = parent[node]
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


def _subtree_totals(left, right, risk, order):
    """Per node: the summed risk of its subtree's leaves, their count, and the
    subtree's node count."""
    subtree_risk = risk.copy()
    leaves = np.ones(len(left), dtype=np.intp)
    size = np.ones(len(left), dtype=np.intp)
    for node in order[::-1]:  # children before parents
        if left[node] != _LEAF:
            children = [left[node], right[node]]
            subtree_risk[node] = subtree_risk[children].sum()
            leaves[node] = leaves[children].sum()
            size[node] += size[children].sum()
    return subtree_risk, leaves, size


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
