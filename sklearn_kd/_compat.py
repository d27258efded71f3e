"""The only importer of scikit-learn's private helpers."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn.base import _fit_context
from sklearn.tree._tree import Tree
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)
from sklearn.utils.metadata_routing import _routing_enabled

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "Tree",
    "_fit_context",
    "_routing_enabled",
    "validate_params",
]
