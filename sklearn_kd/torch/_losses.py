"""The distillation loss of Hinton et al. (2015) as a PyTorch criterion."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import math
from numbers import Real

import torch
import torch.nn.functional as F


def _check_temperature(temperature):
    if (
        isinstance(temperature, bool)
        or not isinstance(temperature, Real)
        or not math.isfinite(temperature)
        or temperature <= 0
    ):
        raise ValueError(
            f"temperature must be a finite number > 0; got temperature={temperature!r}."
        )
    return float(temperature)


def _check_alpha(alpha):
    if isinstance(alpha, bool) or not isinstance(alpha, Real) or not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be a number in [0, 1]; got alpha={alpha!r}.")
    return float(alpha)


class DistillationLoss(torch.nn.Module):
    """Hinton's distillation loss: cross entropy on labels plus soft-target KL.

    The loss of a student's logits given the true labels and a teacher's
    probabilities. Each labelled row contributes ``alpha`` times the cross
    entropy with its label plus ``(1 - alpha) * temperature**2`` times the
    Kullback-Leibler divergence between the teacher's and the student's
    distributions, both softened at ``temperature``. The factor
    ``temperature**2`` keeps the soft term's gradients of the same size
    whatever the temperature, as Hinton et al. recommend.

    It is the criterion of
    :class:`~sklearn_kd.torch.SoftTargetNeuralNetClassifier` and can be used in
    any PyTorch training loop.

    Read more in the :ref:`User Guide <distillation>`.

    Parameters
    ----------
    temperature : float, default=1.0
        Temperature ``T > 0`` at which teacher and student are softened.

    alpha : float, default=0.5
        Weight of the true labels, in [0, 1]; the soft term gets ``1 - alpha``.
        ``alpha=1`` is the plain cross entropy, ``alpha=0`` learns the teacher
        alone. This is the convention of
        :class:`~sklearn_kd.DistilledClassifier`.

    Notes
    -----
    With student logits :math:`z`, teacher probabilities :math:`p` (at
    temperature 1), label :math:`y` and temperature :math:`T`, let
    :math:`q = \\mathrm{softmax}(\\log p / T)` and
    :math:`s = \\mathrm{softmax}(z / T)`. A labelled row's loss is

    .. math::

        \\ell = \\alpha \\, \\mathrm{CE}(z, y) + (1 - \\alpha) \\, T^2 \\,
                \\sum_k q_k (\\log q_k - \\log s_k),

    where :math:`\\mathrm{CE}(z, y) = -\\log \\mathrm{softmax}(z)_y` is taken
    at temperature 1. A row without a label (``y = -1``, such as a transfer
    row) contributes the soft term alone, with weight 1 rather than
    :math:`1 - \\alpha`, as the targets of
    :class:`~sklearn_kd.DistilledClassifier` do for such rows. A class the
    teacher gives probability 0 keeps probability 0 at every temperature.

    The loss of a batch is the weighted mean of the row losses,
    :math:`\\sum_i w_i \\ell_i / \\sum_i w_i` (all :math:`w_i = 1` without
    ``sample_weight``): the divergence is summed over classes and averaged
    over rows, the ``reduction="batchmean"`` of
    :class:`torch.nn.KLDivLoss`, not its default element-wise mean, which
    would divide the soft term by the number of classes.

    References
    ----------
    .. [1] G. Hinton, O. Vinyals and J. Dean, "Distilling the Knowledge in a
       Neural Network", NIPS Deep Learning Workshop, 2015.

    Examples
    --------
    >>> import torch
    >>> from sklearn_kd.torch import DistillationLoss
    >>> loss = DistillationLoss(temperature=2.0, alpha=0.5)
    >>> logits = torch.tensor([[2.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
    >>> y = torch.tensor([0, -1])  # the second row has no label
    >>> teacher_proba = torch.tensor([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]])
    >>> round(loss(logits, y, teacher_proba).item(), 4)
    0.139
    >>> loss
    DistillationLoss(temperature=2.0, alpha=0.5)
    """

    def __init__(self, temperature=1.0, alpha=0.5):
        super().__init__()
        self.temperature = temperature
        self.alpha = alpha

    @property
    def temperature(self):
        return self._temperature

    @temperature.setter
    def temperature(self, value):
        self._temperature = _check_temperature(value)

    @property
    def alpha(self):
        return self._alpha

    @alpha.setter
    def alpha(self, value):
        self._alpha = _check_alpha(value)

    def extra_repr(self):
        return f"temperature={self.temperature!r}, alpha={self.alpha!r}"

    def forward(self, logits, y, teacher_proba, sample_weight=None):
        """Loss of a batch: the weighted mean of the row losses.

        Parameters
        ----------
        logits : torch.Tensor of shape (n_samples, n_classes)
            The student's raw outputs (before the softmax).

        y : torch.Tensor of shape (n_samples,)
            Labels as class indices in ``0 .. n_classes - 1``; ``-1`` marks a
            row without a label, which gets the soft term only.

        teacher_proba : torch.Tensor of shape (n_samples, n_classes)
            The teacher's probabilities at temperature 1.

        sample_weight : torch.Tensor of shape (n_samples,), default=None
            Weights of the rows; ``None`` weighs them equally.

        Returns
        -------
        loss : torch.Tensor
            A scalar.
        """
        temperature = _check_temperature(self.temperature)
        alpha = _check_alpha(self.alpha)
        if logits.ndim != 2:
            raise ValueError(
                "logits must be 2-D (n_samples, n_classes); got shape "
                f"{tuple(logits.shape)}."
            )
        if tuple(teacher_proba.shape) != tuple(logits.shape):
            raise ValueError(
                f"The logits have shape {tuple(logits.shape)} but teacher_proba "
                f"has shape {tuple(teacher_proba.shape)}; both must be "
                "(n_samples, n_classes)."
            )
        if tuple(y.shape) != (logits.shape[0],):
            raise ValueError(
                f"y must have shape ({logits.shape[0]},); got {tuple(y.shape)}."
            )
        y = y.long()
        labelled = y >= 0
        teacher_proba = teacher_proba.to(logits.dtype)

        # log(0) = -inf survives the division by T, and the softmax turns it
        # back into an exact 0: classes the teacher rules out stay ruled out
        log_q = torch.log_softmax(torch.log(teacher_proba) / temperature, dim=1)
        q = log_q.exp()
        log_s = torch.log_softmax(logits / temperature, dim=1)
        # xlogy(0, 0) = 0 and 0 * log_s = 0: -inf never meets a nonzero weight
        soft = (torch.special.xlogy(q, q) - q * log_s).sum(dim=1)
        soft = soft * temperature**2

        hard = F.cross_entropy(logits, y.clamp(min=0), reduction="none")
        row_loss = torch.where(labelled, alpha * hard + (1.0 - alpha) * soft, soft)
        if sample_weight is None:
            return row_loss.mean()
        sample_weight = sample_weight.to(row_loss.dtype)
        return (sample_weight * row_loss).sum() / sample_weight.sum()
