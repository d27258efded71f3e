"""Knowledge distillation for scikit-learn: small, fast students of large models."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_kd._distill import DistilledClassifier
from sklearn_kd._export import to_onnx
from sklearn_kd._regressor import DistilledRegressor
from sklearn_kd._transfer import GaussianTransfer, MungeTransfer, UnlabeledTransfer
from sklearn_kd._version import __version__
from sklearn_kd.utils import show_versions

__all__ = [
    "DistilledClassifier",
    "DistilledRegressor",
    "GaussianTransfer",
    "MungeTransfer",
    "UnlabeledTransfer",
    "__version__",
    "show_versions",
    "to_onnx",
]
