"""PyTorch and skorch students and teachers, with Hinton's distillation loss.

This subpackage needs the ``torch`` extra: from a clone of sklearn_kd,
``pip install -c constraints.txt '.[torch]'``.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

try:
    import skorch  # noqa: F401
    import torch  # noqa: F401
except ImportError as e:
    raise ImportError(
        "sklearn_kd.torch requires torch and skorch: pip install -c "
        "constraints.txt '.[torch]' from a clone of sklearn_kd"
    ) from e

from sklearn_kd.torch._losses import DistillationLoss
from sklearn_kd.torch._student import MLPModule, SoftTargetNeuralNetClassifier

__all__ = ["DistillationLoss", "MLPModule", "SoftTargetNeuralNetClassifier"]
