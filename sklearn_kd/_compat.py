"""The only importer of scikit-learn's private helpers."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn.base import _fit_context
from sklearn.tree._tree import Tree
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.metadata_routing import _raise_for_params, _routing_enabled
from sklearn.utils.validation import (
    _check_feature_names,
    _check_n_features,
    _check_sample_weight,
    _num_samples,
)

__all__ = [
    "HasMethods",
    "Interval",
    "InvalidParameterError",
    "StrOptions",
    "Tree",
    "_check_feature_names",
    "_check_n_features",
    "_check_sample_weight",
    "_fit_context",
    "_num_samples",
    "_raise_for_params",
    "_routing_enabled",
    "check_params_now",
]


def check_params_now(estimator):
    """Check ``estimator``'s parameters against the constraints its ``fit``
    applies, without fitting; raises ``InvalidParameterError``.

    Estimators that declare no ``_parameter_constraints`` pass unchecked.
    """
    constraints = getattr(estimator, "_parameter_constraints", None)
    if constraints is None:
        return
    validate_parameter_constraints(
        constraints,
        estimator.get_params(deep=False),
        caller_name=type(estimator).__name__,
    )
