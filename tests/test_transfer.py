"""Transfer samplers, the tree route's row counts and the fallback to labels."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeClassifier

from sklearn_kd import (
    DistilledClassifier,
    GaussianTransfer,
    MungeTransfer,
    UnlabeledTransfer,
    _transfer,
)

RNG = np.random.RandomState(0)
# a continuous column, an integer count, a 3-level category and a binary flag
X_MIXED = np.column_stack(
    [
        RNG.normal(size=300),
        RNG.poisson(40, size=300),
        RNG.randint(0, 3, size=300),
        RNG.randint(0, 2, size=300),
    ]
).astype(float)
Y_MIXED = (X_MIXED[:, 0] + (X_MIXED[:, 2] == 1) > 0.5).astype(int)


@pytest.mark.parametrize(
    "sampler", [GaussianTransfer(size=3, scale=0.5), MungeTransfer(size=3, p=0.8)]
)
def test_samplers_stay_in_range_and_keep_columns_valid(sampler):
    """Check that new rows stay in range and integer/categorical columns stay valid."""
    X_new = sampler.generate(X_MIXED, Y_MIXED, random_state=0)
    assert X_new.shape == (900, 4)
    assert np.all(X_new >= X_MIXED.min(axis=0))
    assert np.all(X_new <= X_MIXED.max(axis=0))
    # integer columns stay whole, categories stay among the observed codes
    np.testing.assert_array_equal(X_new[:, 1:], np.round(X_new[:, 1:]))
    assert set(np.unique(X_new[:, 2])) <= {0.0, 1.0, 2.0}
    assert set(np.unique(X_new[:, 3])) <= {0.0, 1.0}
    # the continuous column is perturbed, not copied
    assert len(np.unique(X_new[:, 0])) > 600


def test_samplers_are_seeded_and_sized():
    """Check that random_state fixes the draw and max_samples caps it."""
    sampler = MungeTransfer(size=2)
    np.testing.assert_array_equal(
        sampler.generate(X_MIXED, None, random_state=1),
        sampler.generate(X_MIXED, None, random_state=1),
    )
    capped = GaussianTransfer(size=10, max_samples=50)
    assert capped.generate(X_MIXED, None, random_state=0).shape == (50, 4)


def test_explicit_categorical_features():
    """Check that declared categorical columns are swapped, never perturbed."""
    X = np.column_stack([np.linspace(0, 1, 100), np.tile([0.5, 7.25], 50)])
    X_new = GaussianTransfer(size=2, categorical_features=[1]).generate(
        X, None, random_state=0
    )
    assert set(np.unique(X_new[:, 1])) <= {0.5, 7.25}
    with pytest.raises(ValueError, match="column indices outside"):
        GaussianTransfer(categorical_features=[5]).generate(X, None)


def _blobs_with_tied_categories(n_rows=400, seed=0):
    """A continuous column in four far-apart blobs and two categorical columns
    that both hold the blob's number: every row's nearest neighbour shares its
    categories, so MUNGE alone never pairs two different ones."""
    rng = np.random.RandomState(seed)
    blob = rng.randint(0, 4, size=n_rows)
    x = 100.0 * blob + rng.normal(size=n_rows)
    return np.column_stack([x, blob, blob]).astype(float)


def test_munge_category_swaps_make_unseen_combinations():
    """Check that swap_proba draws categories from the column's marginal."""
    X = _blobs_with_tied_categories()
    plain = MungeTransfer(size=10, swap_proba=0.0).generate(X, None, random_state=0)
    assert np.all(plain[:, 1] == plain[:, 2])
    swapped = MungeTransfer(size=10, swap_proba=0.3).generate(X, None, random_state=0)
    # each new row takes its swapped values from one donor row, so the two
    # columns differ when one alone is swapped, to another of the four levels
    mismatch = np.mean(swapped[:, 1] != swapped[:, 2])
    assert mismatch == pytest.approx(2 * 0.3 * 0.7 * 3 / 4, abs=0.03)
    assert set(np.unique(swapped[:, 1:])) <= {0.0, 1.0, 2.0, 3.0}
    # the swaps come after MUNGE's own draws: continuous values are unchanged
    np.testing.assert_array_equal(swapped[:, 0], plain[:, 0])


def test_category_swaps_leave_data_without_categories_unchanged():
    """Check that swap_proba changes no row of data without categorical columns,
    so such data draw the same transfer rows whatever swap_proba is."""
    X = np.random.RandomState(0).normal(size=(200, 3))
    for sampler in (MungeTransfer(size=3), GaussianTransfer(size=3)):
        np.testing.assert_array_equal(
            sampler.set_params(swap_proba=0.0).generate(X, None, random_state=0),
            sampler.set_params(swap_proba=0.5).generate(X, None, random_state=0),
        )


@pytest.mark.parametrize(
    "param, value", [("size", 0), ("p", 1.5), ("s", -1), ("swap_proba", 1.5)]
)
def test_sampler_parameter_validation(param, value):
    """Check that bad sampler parameters are refused by name."""
    with pytest.raises(ValueError, match=f"'{param}' parameter"):
        MungeTransfer(**{param: value}).generate(X_MIXED, None)


def test_unlabeled_transfer_width_mismatch():
    """Check the error for unlabelled rows of the wrong width."""
    with pytest.raises(ValueError, match="has 2 columns but the training data has 4"):
        UnlabeledTransfer(np.zeros((3, 2))).generate(X_MIXED, None)


def test_transfer_rows_reach_the_student_and_are_labelled_by_the_teacher():
    """Check that the student is fitted on training plus transfer rows."""
    clf = DistilledClassifier(
        RandomForestClassifier(n_estimators=10, random_state=0),
        DecisionTreeClassifier(max_depth=3),
        transfer=GaussianTransfer(size=4),
        validation_fraction=None,
        random_state=0,
    ).fit(X_MIXED, Y_MIXED)
    assert clf.transfer_ is clf.transfer
    assert clf.student_.tree_.n_node_samples[0] == 5 * 300


def test_transfer_is_grid_searchable():
    """Check that transfer__size is a parameter a grid search can set."""
    clf = DistilledClassifier(
        RandomForestClassifier(n_estimators=5, random_state=0),
        DecisionTreeClassifier(max_depth=3),
        transfer=MungeTransfer(),
        random_state=0,
    )
    search = GridSearchCV(clf, {"transfer__size": [1, 2]}, cv=2).fit(X_MIXED, Y_MIXED)
    assert search.best_params_["transfer__size"] in (1, 2)


def test_auto_transfer_depends_on_student_and_input():
    """Check what transfer='auto' resolves to."""
    teacher = RandomForestClassifier(n_estimators=5, random_state=0)
    tree = DistilledClassifier(teacher, DecisionTreeClassifier(max_depth=2))
    assert isinstance(tree.fit(X_MIXED, Y_MIXED).transfer_, MungeTransfer)
    linear = DistilledClassifier(teacher, LogisticRegression())
    assert linear.fit(X_MIXED, Y_MIXED).transfer_ is None
    baseline = DistilledClassifier(teacher, DecisionTreeClassifier(), alpha=1.0)
    assert baseline.fit(X_MIXED, Y_MIXED).transfer_ is None
    assert baseline.distilled_ is False


@pytest.mark.parametrize("min_samples_leaf", [1, 3])
def test_tree_leaf_sizes_count_training_rows_with_a_transfer_set(min_samples_leaf):
    """Check that min_samples_leaf is scaled by the rows each training row brings
    (for a tree with a size limit; an unlimited one gets finer leaves)."""
    clf = DistilledClassifier(
        RandomForestClassifier(n_estimators=10, random_state=0),
        DecisionTreeClassifier(
            max_depth=20, min_samples_leaf=min_samples_leaf, random_state=0
        ),
        transfer=MungeTransfer(size=4),
        validation_fraction=None,
        random_state=0,
    ).fit(X_MIXED, Y_MIXED)
    leaf_rows = clf.student_.tree_.n_node_samples[clf.student_.tree_.children_left < 0]
    assert leaf_rows.min() >= 5 * min_samples_leaf
    # the user's estimator is left as it was
    assert clf.student.min_samples_leaf == min_samples_leaf


class WrongTeacher(RandomForestClassifier):
    """A forest that learns the labels flipped: distilling it can only hurt."""

    def fit(self, X, y, sample_weight=None):
        return super().fit(X, 1 - y, sample_weight)


def test_fallback_to_labels_when_distillation_hurts():
    """Check that a harmful teacher triggers the fallback, with a warning."""
    X, y = make_classification(n_samples=600, random_state=0)
    clf = DistilledClassifier(
        WrongTeacher(n_estimators=10, random_state=0),
        DecisionTreeClassifier(max_depth=3, random_state=0),
        random_state=0,
    )
    with pytest.warns(UserWarning, match="trained on labels alone"):
        clf.fit(X, y)
    assert clf.distilled_ is False
    assert clf.validation_scores_["labels"] > clf.validation_scores_["distilled"]
    on_labels = clone(clf.student).fit(X, y)
    np.testing.assert_array_equal(clf.predict(X), on_labels.predict(X))


def test_no_fallback_when_distillation_helps():
    """Check that a good teacher keeps the distilled student."""
    X, y = make_classification(
        n_samples=600, n_informative=6, flip_y=0.1, random_state=1
    )
    teacher = HistGradientBoostingClassifier(max_iter=50, random_state=0).fit(X, y)
    clf = DistilledClassifier(
        FrozenEstimator(teacher),
        DecisionTreeClassifier(max_depth=4, random_state=0),
        random_state=0,
    ).fit(X, y)
    assert clf.distilled_ is True
    assert clf.validation_scores_["distilled"] >= clf.validation_scores_["labels"]


def test_validated_fit_draws_transfer_rows_around_every_row_once():
    """Check that the fit-part and held-out draws add up to one full draw."""
    clf = DistilledClassifier(
        RandomForestClassifier(n_estimators=10, random_state=0),
        DecisionTreeClassifier(max_depth=3),
        transfer=GaussianTransfer(size=4),
        random_state=0,
    ).fit(X_MIXED, Y_MIXED)
    assert clf.validation_scores_ is not None and clf.distilled_
    assert clf.student_.tree_.n_node_samples[0] == 5 * 300


def test_munge_neighbour_search_is_bounded_on_large_data(monkeypatch):
    """Beyond ``MAX_NEIGHBOUR_ROWS`` rows the neighbour is searched among that
    many rows drawn at random, never the row itself."""
    from sklearn_kd import _transfer

    monkeypatch.setattr(_transfer, "MAX_NEIGHBOUR_ROWS", 20)
    X = np.random.RandomState(0).normal(size=(200, 3))
    rows = np.arange(200)
    other = _transfer._nearest_other(X, rows, np.random.RandomState(0))
    assert np.all(other != rows)
    assert len(np.unique(other)) <= 20
    new = MungeTransfer(size=2).generate(X, random_state=0)
    assert new.shape == (400, 3) and np.isfinite(new).all()


def test_munge_neighbour_search_runs_within_clusters_on_large_data(monkeypatch):
    """Beyond ``EXACT_NEIGHBOUR_ROWS`` rows the neighbour is searched within
    k-means clusters: it is never the row itself, stays in the row's blob,
    is mostly the exact nearest, and a row alone in the clusters searched
    still gets one; the draw stays reproducible."""
    from sklearn_kd import _transfer

    rng = np.random.RandomState(0)
    corners = np.repeat(np.array([[0, 0], [0, 50], [50, 0], [50, 50]]), 150, axis=0)
    X = np.vstack([corners + rng.normal(size=(600, 2)), [[500.0, 500.0]]])
    blob = np.r_[np.repeat(np.arange(4), 150), -1]  # the last row, an outlier
    rows = np.arange(len(X))
    exact = _transfer._nearest_other(X, rows, np.random.RandomState(0))
    monkeypatch.setattr(_transfer, "EXACT_NEIGHBOUR_ROWS", 100)
    monkeypatch.setattr(_transfer, "NEIGHBOUR_CLUSTER_ROWS", 60)
    other = _transfer._nearest_other(X, rows, np.random.RandomState(0))
    assert np.all(other != rows)
    assert np.all(blob[other[:-1]] == blob[:-1])
    assert np.mean(other == exact) > 0.9
    assert other[-1] == exact[-1]
    # searched in its own cluster only, the outlier has no other row there
    monkeypatch.setattr(_transfer, "NEIGHBOUR_PROBES", 1)
    alone = _transfer._nearest_other(X, rows[-1:], np.random.RandomState(0))
    assert alone[0] == exact[-1]
    first = MungeTransfer(size=2).generate(X, random_state=0)
    np.testing.assert_array_equal(
        first, MungeTransfer(size=2).generate(X, random_state=0)
    )


@pytest.mark.parametrize(
    "sampler",
    [GaussianTransfer(size=5, swap_proba=0.3), MungeTransfer(size=5, swap_proba=0.3)],
)
def test_rows_do_not_depend_on_the_chunks_they_are_drawn_in(sampler, monkeypatch):
    """The samplers draw a chunk of rows at a time to bound their memory; the
    draws are made in the order one draw would make them, so chunks of one
    row, of a few rows and of all rows give the same rows."""
    drawn = []
    n_new = 5 * X_MIXED.shape[0]
    # chunks of one row, of four rows (17 cells of 4 columns), and one chunk
    for cells, n_chunks in ((1, n_new), (17, -(-n_new // 4)), (10**9, 1)):
        monkeypatch.setattr(_transfer, "CHUNK_CELLS", cells)
        assert len(_transfer._row_chunks((n_new, X_MIXED.shape[1]))) == n_chunks
        drawn.append(sampler.generate(X_MIXED, None, random_state=0))
    for rows in drawn[:2]:
        assert_array_equal(rows, drawn[2])


def test_appended_rows_are_taken_a_chunk_at_a_time_as_given(monkeypatch):
    """Appending a selection of transfer rows in float32 a chunk at a time
    gives what selecting, then appending and converting at once gives."""
    monkeypatch.setattr(_transfer, "CHUNK_CELLS", 9)
    X_new = np.random.RandomState(0).normal(size=(50, 4))
    take = np.array([3, 0, 49, 7, 7, 12, 30])
    rows = _transfer.append_rows(X_MIXED, X_new, np.float32, take)
    expected = np.concatenate([X_MIXED, X_new[take]])
    assert rows.dtype == np.float32
    assert_array_equal(rows, expected.astype(np.float32))
    assert_array_equal(_transfer.append_rows(X_MIXED, X_new, None, take), expected)
