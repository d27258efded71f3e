"""The teacher: fitting it and reading its outputs on the training rows."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone, is_regressor
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import check_cv, cross_val_predict
from sklearn.utils import _safe_indexing
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

from sklearn_kd._compat import _num_samples, _routing_enabled
from sklearn_kd._soft_targets import align_proba, decision_to_proba

SOFT_TARGET_METHODS = ("in_sample", "oob", "cross_fit")


def default_teacher(random_state, regression=False):
    """The teacher used when ``teacher=None``: a 200-tree forest."""
    forest = RandomForestRegressor if regression else RandomForestClassifier
    return forest(n_estimators=200, n_jobs=None, random_state=random_state)


def is_frozen(teacher):
    """Whether fitting ``teacher`` is a no-op (a frozen model or a list of them)."""
    if isinstance(teacher, list | tuple):
        return all(is_frozen(member) for member in teacher)
    if isinstance(teacher, TeacherEnsemble):
        return is_frozen(teacher.estimators)
    return isinstance(teacher, FrozenEstimator)


def supports_oob(teacher):
    """Whether ``teacher`` gives out-of-bag probabilities (bagging, bootstrap)."""
    params = teacher.get_params(deep=False)
    return "oob_score" in params and bool(params.get("bootstrap", False))


#: Rows labelled by the teacher in one call: bounds the memory of labelling a
#: large transfer set (a forest holds one probability row per tree and row).
CHUNK_ROWS = 50_000


def teacher_output(teacher, X, classes, n_jobs=None):
    """Probabilities in ``classes`` order, or predictions when ``classes`` is None.

    Large inputs are labelled in chunks of ``CHUNK_ROWS`` rows, which bounds
    the memory, as ``n_jobs`` joblib jobs: threads by default (the fitted
    teacher is shared, not copied), the workers of a backend chosen with
    :func:`joblib.parallel_config`, such as Dask's, otherwise.
    """
    n_rows = _num_samples(X)
    if n_rows <= CHUNK_ROWS:
        return _output_of_chunk(teacher, X, classes)
    chunks = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(_output_of_chunk)(
            teacher, _safe_indexing(X, slice(i, i + CHUNK_ROWS)), classes
        )
        for i in range(0, n_rows, CHUNK_ROWS)
    )
    return np.concatenate(chunks)


def _output_of_chunk(teacher, X, classes):
    if classes is None:
        return np.asarray(teacher.predict(X), dtype=np.float64).reshape(-1)
    return teacher_proba(teacher, X, classes)


def teacher_proba(teacher, X, classes):
    """Probabilities of a fitted teacher on ``X``, with columns in ``classes`` order."""
    if hasattr(teacher, "predict_proba"):
        proba = teacher.predict_proba(X)
    else:
        proba = decision_to_proba(teacher.decision_function(X), len(teacher.classes_))
    return align_proba(proba, teacher.classes_, classes)


def _fit_one(estimator, X, y, fit_params):
    return estimator.fit(X, y, **fit_params)


def _weight_params(estimator, sample_weight, name):
    """``{"sample_weight": w}`` if ``estimator.fit`` takes it; warn when dropped."""
    if sample_weight is None or is_frozen(estimator):
        return {}
    if isinstance(estimator, TeacherEnsemble) or has_fit_parameter(
        estimator, "sample_weight"
    ):
        return {"sample_weight": sample_weight}
    warnings.warn(
        f"Since {estimator!r} does not accept sample_weight in fit, the {name} "
        "is fitted without sample weights.",
        UserWarning,
        stacklevel=3,
    )
    return {}


class TeacherEnsemble(ClassifierMixin, BaseEstimator):
    """Average the probabilities of several classifiers (Hinton's ensemble teacher).

    Built from a list passed as ``teacher``. Members may be frozen; each
    member's columns are aligned to the union of the members' classes before
    averaging, so members that saw different classes still add up correctly.
    """

    def __init__(self, estimators, n_jobs=None):
        self.estimators = estimators
        self.n_jobs = n_jobs

    def fit(self, X, y, **fit_params):
        if not self.estimators:
            raise ValueError("The teacher list is empty; pass at least one model.")
        members = [clone(member) for member in self.estimators]
        if _routing_enabled():
            routed = process_routing(self, "fit", **fit_params)
            per_member = [routed[f"member{i}"].fit for i in range(len(members))]
        elif "sample_weight" in fit_params:
            weight = fit_params.pop("sample_weight")
            per_member = [
                {**fit_params, **_weight_params(m, weight, "teacher member")}
                for m in members
            ]
        else:
            per_member = [fit_params] * len(members)
        self.estimators_ = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_one)(member, X, y, params)
            for member, params in zip(members, per_member, strict=True)
        )
        self.is_regression_ = all(is_regressor(m) for m in self.estimators_)
        if not self.is_regression_:
            self.classes_ = np.unique(
                np.concatenate([np.asarray(m.classes_) for m in self.estimators_])
            )
        return self

    def predict_proba(self, X):
        check_is_fitted(self)
        return np.mean(
            [teacher_proba(m, X, self.classes_) for m in self.estimators_], axis=0
        )

    def predict(self, X):
        check_is_fitted(self)
        if self.is_regression_:
            return np.mean([m.predict(X) for m in self.estimators_], axis=0)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def get_metadata_routing(self):
        router = MetadataRouter(owner=self)
        for i, member in enumerate(self.estimators):
            router.add(
                **{f"member{i}": member},
                method_mapping=MethodMapping().add(caller="fit", callee="fit"),
            )
        return router

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags


def resolve_soft_targets(soft_targets, teacher):
    """The concrete method behind ``soft_targets="auto"``.

    A bagging teacher gives honest out-of-bag probabilities for free. Any
    other teacher (and a frozen one, which we did not fit on these rows)
    predicts the rows it was fitted on: cross-fitting would cost ``cv`` more
    teacher fits, and with the default transfer set the training rows are a
    small share of what the student learns.
    """
    if soft_targets == "cross_fit" and is_frozen(teacher):
        warnings.warn(
            "soft_targets='cross_fit' needs a teacher that can be refitted, but "
            "the teacher is frozen: its in-sample probabilities are used, and "
            "soft_targets_ says 'in_sample'.",
            UserWarning,
            stacklevel=4,
        )
        return "in_sample"
    if soft_targets != "auto":
        return soft_targets
    if (
        not is_frozen(teacher)
        and not isinstance(teacher, TeacherEnsemble)
        and supports_oob(teacher)
    ):
        return "oob"
    return "in_sample"


def fit_teacher_and_targets(
    teacher, X, y, classes, soft_targets, cv, fit_params, split_params, n_jobs=None
):
    """Fit ``teacher`` on all rows and return it with its training-row probabilities.

    This is the expensive step of distillation; ``DistilledClassifier`` wraps it
    in ``joblib.Memory`` so a grid search over the student's parameters, the
    temperature and ``alpha`` fits the teacher once per fold.

    ``classes=None`` means a regression teacher, whose predictions are returned.

    Returns
    -------
    teacher : estimator
        The teacher fitted on all rows.
    outputs : ndarray of shape (n_samples, n_classes) or (n_samples,)
        Its probabilities (or predictions) for the training rows, obtained by
        ``soft_targets``.
    """
    teacher = clone(teacher)
    if soft_targets == "oob":
        if isinstance(teacher, TeacherEnsemble) or not supports_oob(teacher):
            raise ValueError(
                "soft_targets='oob' needs a bagging teacher with bootstrap=True "
                f"(such as a random forest); got teacher={teacher!r}."
            )
        teacher.set_params(oob_score=True)
    with warnings.catch_warnings():
        # rows without an out-of-bag vote fall back to in-sample ones below
        warnings.filterwarnings("ignore", message="Some inputs do not have OOB")
        teacher.fit(X, y, **fit_params)

    if classes is None:
        return teacher, _regression_targets(
            teacher, X, y, soft_targets, cv, fit_params, split_params, n_jobs
        )
    if soft_targets == "cross_fit":
        method = (
            "predict_proba"
            if hasattr(teacher, "predict_proba")
            else "decision_function"
        )
        # the folds are made here so that routed metadata (groups) reaches
        # the splitter, as in CalibratedClassifierCV
        splits = list(check_cv(cv, y, classifier=True).split(X, y, **split_params))
        out_of_fold = cross_val_predict(
            clone(teacher),
            X,
            y,
            cv=splits,
            method=method,
            n_jobs=n_jobs,
            params=fit_params,
        )
        # cross_val_predict orders columns as np.unique(y), which is `classes`
        if method == "decision_function":
            out_of_fold = decision_to_proba(out_of_fold, len(classes))
        return teacher, align_proba(out_of_fold, classes, classes)

    if soft_targets != "oob":
        return teacher, teacher_output(teacher, X, classes, n_jobs)
    # the forest computed its out-of-bag votes while fitting: reuse them
    oob = np.asarray(teacher.oob_decision_function_, dtype=np.float64)
    # rows that every tree drew in its bootstrap have no out-of-bag vote (all
    # zeros in forests, NaN in bagging): only they are predicted in-sample
    missing = ~np.isfinite(oob).all(axis=1) | (np.nan_to_num(oob).sum(axis=1) <= 0)
    proba = align_proba(np.nan_to_num(oob), teacher.classes_, classes)
    if missing.any():
        rows = np.flatnonzero(missing)
        proba[rows] = teacher_output(teacher, _safe_indexing(X, rows), classes, n_jobs)
    return teacher, proba


def _regression_targets(
    teacher, X, y, soft_targets, cv, fit_params, split_params, n_jobs
):
    """A fitted regression teacher's predictions for its training rows."""
    if soft_targets == "cross_fit":
        splits = list(check_cv(cv, y, classifier=False).split(X, y, **split_params))
        return np.asarray(
            cross_val_predict(
                clone(teacher), X, y, cv=splits, n_jobs=n_jobs, params=fit_params
            ),
            dtype=np.float64,
        ).reshape(-1)
    if soft_targets != "oob":
        return teacher_output(teacher, X, None, n_jobs)
    predictions = np.asarray(teacher.oob_prediction_, dtype=np.float64).copy()
    predictions = predictions.reshape(-1)
    # rows that every member drew in its bootstrap have no out-of-bag
    # prediction (forests report 0 for them): only they are predicted in-sample
    out_of_bag = np.zeros(len(predictions), dtype=bool)
    for samples in teacher.estimators_samples_:
        in_bag = np.zeros(len(predictions), dtype=bool)
        in_bag[samples] = True
        out_of_bag |= ~in_bag
    if not out_of_bag.all():
        rows = np.flatnonzero(~out_of_bag)
        predictions[rows] = teacher_output(
            teacher, _safe_indexing(X, rows), None, n_jobs
        )
    return predictions
