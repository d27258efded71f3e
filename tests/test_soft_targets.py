"""Numeric helpers that turn teacher probabilities into targets."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sklearn_kd._soft_targets import (
    align_proba,
    decision_to_proba,
    mix_targets,
    normalize_rows,
    sharpen,
    soften,
)


@st.composite
def probabilities(draw, min_classes=2, max_classes=6):
    n_classes = draw(st.integers(min_classes, max_classes))
    n_rows = draw(st.integers(1, 8))
    raw = draw(
        arrays(np.float64, (n_rows, n_classes), elements=st.floats(0, 1, width=32))
    )
    return normalize_rows(raw)


temperatures = st.floats(0.05, 50.0)


@settings(deadline=None, max_examples=50)
@given(probabilities(), temperatures)
def test_soften_rows_sum_to_one(proba, temperature):
    """Check that softened rows are distributions and zeros stay zero."""
    soft = soften(proba, temperature)
    np.testing.assert_allclose(soft.sum(axis=1), 1.0)
    assert np.all(soft >= 0)
    assert np.all(soft[proba == 0] == 0)


@settings(deadline=None, max_examples=50)
@given(probabilities())
def test_temperature_one_is_identity(proba):
    """Check that temperature 1 leaves probabilities unchanged."""
    np.testing.assert_allclose(soften(proba, 1.0), proba)


@settings(deadline=None, max_examples=50)
@given(probabilities(), temperatures)
def test_sharpen_undoes_soften(proba, temperature):
    """Check that sharpening at T inverts softening at T."""
    proba = normalize_rows(proba + 1e-3)  # keep logs in range for exact inversion
    np.testing.assert_allclose(
        sharpen(soften(proba, temperature), temperature), proba, atol=1e-7
    )


def test_high_temperature_tends_to_uniform():
    """Check that a very high temperature flattens every row with full support."""
    proba = np.array([[0.97, 0.02, 0.01], [0.2, 0.3, 0.5]])
    np.testing.assert_allclose(soften(proba, 1e6), 1 / 3, atol=1e-5)
    # and a low one picks the argmax
    np.testing.assert_allclose(soften(proba, 1e-3), np.eye(3)[[0, 2]], atol=1e-6)


@settings(deadline=None, max_examples=50)
@given(probabilities(min_classes=3), st.randoms(use_true_random=False))
def test_align_commutes_with_class_permutation(proba, rnd):
    """Check that realigning permuted columns recovers the original order."""
    classes = np.arange(proba.shape[1]) * 10
    order = list(range(proba.shape[1]))
    rnd.shuffle(order)
    aligned = align_proba(proba[:, order], classes[order], classes)
    np.testing.assert_allclose(aligned, proba)


def test_align_fewer_and_more_classes():
    """Check that missing classes get zero and unknown classes are dropped."""
    proba = np.array([[0.6, 0.4], [0.1, 0.9]])
    np.testing.assert_allclose(
        align_proba(proba, ["a", "c"], ["a", "b", "c"]),
        [[0.6, 0.0, 0.4], [0.1, 0.0, 0.9]],
    )
    extra = np.array([[0.5, 0.25, 0.25], [0.0, 0.0, 1.0]])
    np.testing.assert_allclose(
        align_proba(extra, [1, 2, 3], [1, 2]),
        # renormalised over the known classes; a row with no mass is uniform
        [[2 / 3, 1 / 3], [0.5, 0.5]],
    )


def test_align_rejects_width_mismatch():
    """Check that a teacher whose columns disagree with its classes is refused."""
    with pytest.raises(ValueError, match="returned 3 probability columns"):
        align_proba(np.ones((2, 3)) / 3, [0, 1], [0, 1])


def test_decision_to_proba_binary_and_multiclass():
    """Check that binary scores are logits and multiclass scores are soft-maxed."""
    binary = decision_to_proba(np.array([0.0, np.log(3.0)]), 2)
    np.testing.assert_allclose(binary, [[0.5, 0.5], [0.25, 0.75]])
    multi = decision_to_proba(np.log([[1.0, 2.0, 1.0]]), 3)
    np.testing.assert_allclose(multi, [[0.25, 0.5, 0.25]])


@settings(deadline=None, max_examples=50)
@given(probabilities(), st.floats(0, 1))
def test_mix_targets(soft, alpha):
    """Check the blend alpha * onehot + (1 - alpha) * soft, and unlabelled rows."""
    n_rows, n_classes = soft.shape
    y = np.arange(n_rows) % n_classes
    y[0] = -1
    targets = mix_targets(y, soft, alpha)
    np.testing.assert_allclose(targets.sum(axis=1), 1.0)
    np.testing.assert_allclose(targets[0], soft[0])
    for i in range(1, n_rows):
        expected = (1 - alpha) * soft[i]
        expected[y[i]] += alpha
        np.testing.assert_allclose(targets[i], expected)
