"""Tests of DistillationLoss, Hinton's distillation loss in PyTorch."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import re

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

import torch.nn.functional as F  # noqa: E402
from scipy.special import log_softmax, softmax  # noqa: E402

from sklearn_kd.torch import DistillationLoss  # noqa: E402


@pytest.fixture(autouse=True)
def seeds_fixed():
    """Seed torch and numpy for every test (as skorch's own tests do)."""
    torch.manual_seed(0)
    np.random.seed(0)  # noqa: NPY002 (the global RNG is what needs a seed)


def _batch(n_samples=32, n_classes=5, seed=0, unlabelled=0, zeros=False):
    """Random logits, labels and teacher probabilities (float64 numpy)."""
    rng = np.random.RandomState(seed)
    logits = 2 * rng.randn(n_samples, n_classes)
    y = rng.randint(n_classes, size=n_samples)
    y[:unlabelled] = -1
    teacher_proba = softmax(3 * rng.randn(n_samples, n_classes), axis=1)
    if zeros:  # the teacher rules out some classes entirely
        teacher_proba[::2, 0] = 0.0
        teacher_proba[1::3, -1] = 0.0
        teacher_proba /= teacher_proba.sum(axis=1, keepdims=True)
    return logits, y, teacher_proba


def _numpy_loss(logits, y, teacher_proba, temperature, alpha, sample_weight=None):
    """The loss computed by hand, one row at a time."""
    rows = []
    for z, label, p in zip(logits, y, teacher_proba, strict=True):
        with np.errstate(divide="ignore"):
            q = softmax(np.log(p) / temperature)
        log_s = log_softmax(z / temperature)
        support = q > 0
        kl = np.sum(q[support] * (np.log(q[support]) - log_s[support]))
        soft = temperature**2 * kl
        if label < 0:
            rows.append(soft)
        else:
            hard = -log_softmax(z)[label]
            rows.append(alpha * hard + (1 - alpha) * soft)
    if sample_weight is None:
        sample_weight = np.ones(len(rows))
    return np.sum(sample_weight * np.asarray(rows)) / np.sum(sample_weight)


def _tensors(*arrays):
    return [torch.as_tensor(a) for a in arrays]


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0, 8.0])
@pytest.mark.parametrize("alpha", [0.0, 0.3, 1.0])
@pytest.mark.parametrize("zeros", [False, True])
def test_loss_matches_numpy(temperature, alpha, zeros):
    """Check that the loss equals a row-by-row computation in numpy."""
    logits, y, teacher_proba = _batch(unlabelled=5, zeros=zeros)
    expected = _numpy_loss(logits, y, teacher_proba, temperature, alpha)
    loss = DistillationLoss(temperature=temperature, alpha=alpha)
    got = loss(*_tensors(logits, y, teacher_proba))
    assert got.item() == pytest.approx(expected, rel=1e-10)


def test_loss_matches_numpy_float32():
    """Check that float32 inputs, torch's usual dtype, give the same loss."""
    logits, y, teacher_proba = _batch(zeros=True)
    expected = _numpy_loss(logits, y, teacher_proba, 4.0, 0.2)
    got = DistillationLoss(4.0, 0.2)(
        torch.tensor(logits, dtype=torch.float32),
        torch.tensor(y),
        torch.tensor(teacher_proba, dtype=torch.float32),
    )
    assert got.dtype == torch.float32
    assert got.item() == pytest.approx(expected, rel=1e-5)


def test_sample_weight_is_a_weighted_mean():
    """Check that sample weights give the weighted mean of the row losses."""
    logits, y, teacher_proba = _batch(unlabelled=3)
    weight = np.random.RandomState(1).uniform(0, 3, size=len(y))
    expected = _numpy_loss(logits, y, teacher_proba, 2.0, 0.5, weight)
    got = DistillationLoss(2.0, 0.5)(*_tensors(logits, y, teacher_proba, weight))
    assert got.item() == pytest.approx(expected, rel=1e-10)


def test_integer_weights_equal_repeated_rows():
    """Check that a weight of 2 counts as the row given twice."""
    logits, y, teacher_proba = _batch(n_samples=6)
    weight = np.array([1.0, 2.0, 1.0, 3.0, 1.0, 1.0])
    repeat = weight.astype(int)
    loss = DistillationLoss(3.0, 0.4)
    weighted = loss(*_tensors(logits, y, teacher_proba, weight))
    repeated = loss(
        *_tensors(
            np.repeat(logits, repeat, 0),
            np.repeat(y, repeat),
            np.repeat(teacher_proba, repeat, 0),
        )
    )
    assert weighted.item() == pytest.approx(repeated.item(), rel=1e-10)


@pytest.mark.parametrize("temperature", [1.0, 3.0])
def test_alpha_one_is_cross_entropy(temperature):
    """Check that alpha=1 is the cross entropy on the labels, at any temperature."""
    logits, y, teacher_proba = _batch()
    logits, y, teacher_proba = _tensors(logits, y, teacher_proba)
    loss = DistillationLoss(temperature=temperature, alpha=1.0)
    assert loss(logits, y, teacher_proba).item() == pytest.approx(
        F.cross_entropy(logits, y).item(), rel=1e-12
    )


@pytest.mark.parametrize("temperature", [1.0, 2.0, 5.0])
def test_alpha_zero_is_batchmean_kl_times_t2(temperature):
    """Check that alpha=0 is T² times KLDivLoss with reduction='batchmean'."""
    logits, y, teacher_proba = _tensors(*_batch())
    q = torch.softmax(torch.log(teacher_proba) / temperature, dim=1)
    log_s = torch.log_softmax(logits / temperature, dim=1)
    kl = torch.nn.KLDivLoss(reduction="batchmean")(log_s, q)
    got = DistillationLoss(temperature=temperature, alpha=0.0)(logits, y, teacher_proba)
    assert got.item() == pytest.approx(temperature**2 * kl.item(), rel=1e-10)
    # the classic bug, the element-wise mean, is smaller by the number of classes
    elementwise = F.kl_div(log_s, q, reduction="sum") / q.numel()
    wrong = temperature**2 * elementwise
    assert got.item() == pytest.approx(logits.shape[1] * wrong.item(), rel=1e-10)


@pytest.mark.parametrize("alpha", [0.0, 0.5, 1.0])
def test_unlabelled_rows_use_the_soft_term_only(alpha):
    """Check that rows with y=-1 give T² KL whatever alpha and the logit of y."""
    logits, _, teacher_proba = _batch()
    y = np.full(len(logits), -1)
    temperature = 3.0
    got = DistillationLoss(temperature, alpha)(*_tensors(logits, y, teacher_proba))
    soft_only = DistillationLoss(temperature, 0.0)(
        *_tensors(logits, np.zeros_like(y), teacher_proba)
    )
    assert got.item() == pytest.approx(soft_only.item(), rel=1e-12)


def test_mixed_batch_averages_over_all_rows():
    """Check that a batch's loss is the mean over its labelled and unlabelled rows."""
    logits, y, teacher_proba = _batch(n_samples=10, unlabelled=4)
    loss = DistillationLoss(2.0, 0.7)
    whole = loss(*_tensors(logits, y, teacher_proba)).item()
    part_u = loss(*_tensors(logits[:4], y[:4], teacher_proba[:4])).item()
    part_l = loss(*_tensors(logits[4:], y[4:], teacher_proba[4:])).item()
    assert whole == pytest.approx((4 * part_u + 6 * part_l) / 10, rel=1e-12)


def test_zero_teacher_probability_stays_zero():
    """Check that a class the teacher rules out gets no target mass at high T."""
    logits = torch.zeros(1, 3, requires_grad=True)
    teacher_proba = torch.tensor([[0.5, 0.5, 0.0]], dtype=torch.float64)
    loss = DistillationLoss(temperature=20.0, alpha=0.0)(
        logits.double(), torch.tensor([0]), teacher_proba
    )
    loss.backward()
    assert torch.isfinite(loss)
    assert torch.isfinite(logits.grad).all()
    # d loss / d z = T (s - q) with s uniform and q = (0.5, 0.5, 0)
    expected = 20.0 * (torch.full((3,), 1 / 3) - torch.tensor([0.5, 0.5, 0.0]))
    torch.testing.assert_close(logits.grad[0], expected.float())


def _soft_gradient_norm(temperature, scale):
    logits, y, teacher_proba = _batch(n_samples=256, n_classes=10, seed=3)
    logits = torch.tensor(logits, requires_grad=True)
    loss = DistillationLoss(temperature=temperature, alpha=0.0)
    value = loss(logits, torch.tensor(y), torch.tensor(teacher_proba))
    (value * scale(temperature)).backward()
    return logits.grad.norm().item()


def test_t_squared_keeps_soft_gradient_magnitude():
    """Check that T² keeps the soft term's gradient norm roughly independent of T."""
    temperatures = [1.0, 2.0, 4.0, 8.0]
    with_t2 = [_soft_gradient_norm(t, lambda t: 1.0) for t in temperatures]
    without_t2 = [_soft_gradient_norm(t, lambda t: 1.0 / t**2) for t in temperatures]
    assert max(with_t2) / min(with_t2) < 2.0
    # without the factor the gradients shrink about as 1 / T²
    assert without_t2[0] / without_t2[-1] > 20
    for t, g_with, g_without in zip(temperatures, with_t2, without_t2, strict=True):
        assert g_without == pytest.approx(g_with / t**2)


@pytest.mark.parametrize("temperature", [0, -1.0, float("inf"), float("nan"), "2"])
def test_invalid_temperature(temperature):
    """Check that a non-positive or non-finite temperature raises a ValueError."""
    msg = f"temperature must be a finite number > 0; got temperature={temperature!r}."
    with pytest.raises(ValueError, match=re.escape(msg)):
        DistillationLoss(temperature=temperature)
    loss = DistillationLoss()
    with pytest.raises(ValueError, match=re.escape(msg)):
        loss.temperature = temperature


@pytest.mark.parametrize("alpha", [-0.1, 1.5, None])
def test_invalid_alpha(alpha):
    """Check that alpha outside [0, 1] raises a ValueError naming it."""
    msg = f"alpha must be a number in [0, 1]; got alpha={alpha!r}."
    with pytest.raises(ValueError, match=re.escape(msg)):
        DistillationLoss(alpha=alpha)
    loss = DistillationLoss()
    with pytest.raises(ValueError, match=re.escape(msg)):
        loss.alpha = alpha


def test_shape_mismatch():
    """Check that logits and teacher_proba of different widths raise a ValueError."""
    loss = DistillationLoss()
    logits = torch.zeros(4, 3)
    msg = "The logits have shape (4, 3) but teacher_proba has shape (4, 2)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        loss(logits, torch.zeros(4, dtype=torch.long), torch.full((4, 2), 0.5))
    with pytest.raises(ValueError, match=re.escape("y must have shape (4,)")):
        loss(logits, torch.zeros(3, dtype=torch.long), torch.full((4, 3), 1 / 3))
