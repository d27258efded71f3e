"""scikit-learn's estimator checks on DistilledClassifier configurations."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import pytest
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.estimator_checks import (
    check_param_validation,
    parametrize_with_checks,
)

from sklearn_kd import (
    DistilledClassifier,
    DistilledRegressor,
    GaussianTransfer,
    MungeTransfer,
    UnlabeledTransfer,
)

# Small, fast, seeded sub-estimators: the checks fit each configuration dozens
# of times.
CONFIGURATIONS = {
    "default": DistilledClassifier(random_state=0),
    "forest_to_tree": DistilledClassifier(
        RandomForestClassifier(n_estimators=5, random_state=0),
        DecisionTreeClassifier(max_depth=4, random_state=0),
        alpha=0.3,
        temperature=2.0,
    ),
    "list_teacher_to_logistic": DistilledClassifier(
        [LogisticRegression(), GaussianNB()],
        LogisticRegression(),
        soft_targets="cross_fit",
        cv=3,
        validation_fraction=None,
    ),
    "regressor_student": DistilledClassifier(
        DecisionTreeClassifier(max_depth=3, random_state=0),
        Ridge(),
        soft_targets="in_sample",
        validation_fraction=None,
    ),
    "transfer_set": DistilledClassifier(
        LogisticRegression(),
        DecisionTreeClassifier(max_depth=3, random_state=0),
        transfer=GaussianTransfer(size=2),
        random_state=0,
    ),
    "regressor_default": DistilledRegressor(random_state=0),
    "regressor_forest_to_tree": DistilledRegressor(
        RandomForestRegressor(n_estimators=5, random_state=0),
        DecisionTreeRegressor(max_depth=4, random_state=0),
        alpha=0.3,
    ),
    "regressor_list_teacher_to_linear": DistilledRegressor(
        [Ridge(), DecisionTreeRegressor(max_depth=3, random_state=0)],
        LinearRegression(),
        soft_targets="cross_fit",
        cv=3,
        validation_fraction=None,
    ),
}

_BOOTSTRAP = (
    "the random forest teacher draws bootstrap samples, so weighting a row by 2 "
    "differs from repeating it"
)


_RANDOM_TRANSFER = (
    "transfer rows are drawn around random training rows, so a repeated row "
    "changes the draw where a weight does not"
)


# configurations whose sample-weight equivalence cannot hold, and why
_WEIGHTS_NOT_EQUIVALENT = {
    "default": _BOOTSTRAP,
    "forest_to_tree": _BOOTSTRAP,
    "transfer_set": _RANDOM_TRANSFER,
    "regressor_default": _BOOTSTRAP,
    "regressor_forest_to_tree": _BOOTSTRAP,
}
_REASONS = {
    id(CONFIGURATIONS[name]): reason for name, reason in _WEIGHTS_NOT_EQUIVALENT.items()
}


def _expected_failed_checks(estimator):
    reason = _REASONS.get(id(estimator))
    if reason is None:
        return {}
    return {
        "check_sample_weight_equivalence_on_dense_data": reason,
        "check_sample_weight_equivalence_on_sparse_data": reason,
    }


@parametrize_with_checks(
    list(CONFIGURATIONS.values()), expected_failed_checks=_expected_failed_checks
)
def test_sklearn_compatible_estimator(estimator, check):
    """Check that each configuration honours the scikit-learn estimator contract."""
    check(estimator)


@pytest.mark.parametrize(
    "estimator",
    [
        DistilledClassifier(),
        DistilledRegressor(),
        GaussianTransfer(),
        MungeTransfer(),
        UnlabeledTransfer(),
    ],
    ids=lambda est: type(est).__name__,
)
def test_param_validation(estimator):
    """Check that every constructor parameter is validated with a clear message."""
    check_param_validation(type(estimator).__name__, estimator)
