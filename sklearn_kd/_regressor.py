"""DistilledRegressor: a small student trained on a large teacher's predictions."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import copy

import numpy as np
from sklearn.base import RegressorMixin, is_regressor
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils.validation import check_is_fitted

from sklearn_kd._base import (
    DEFAULT_ALPHA,
    DEFAULT_VALIDATION_FRACTION,
    BaseDistiller,
)
from sklearn_kd._compat import _fit_context
from sklearn_kd._student import TargetRoute
from sklearn_kd._teacher import TeacherEnsemble, default_teacher
from sklearn_kd._validation import (
    held_out_squared_errors,
    r2_from_squared_errors,
)


class DistilledRegressor(RegressorMixin, BaseDistiller):
    """Train a small student regressor on a large teacher's predictions.

    The regression sibling of :class:`DistilledClassifier`: the teacher is
    fitted, its predictions on the training rows are blended with the true
    targets, and the student learns the blend, together with transfer rows
    that the teacher labels. Only the student is kept for prediction.

    Read more in the :ref:`User Guide <regression>`.

    Parameters
    ----------
    teacher : estimator instance or list of estimators, default=None
        The large model: any regressor. It is cloned and fitted inside
        ``fit``; pass an already trained model as
        :class:`sklearn.frozen.FrozenEstimator` to use it as it is. A list
        means the average of its members' predictions. ``None`` means a
        200-tree :class:`~sklearn.ensemble.RandomForestRegressor`.

    student : estimator instance, default=None
        The small regressor that is kept; any regressor whose ``fit`` takes
        ``X`` and ``y`` (and ``sample_weight`` when weights are given). The
        route is stored in ``student_route_``: ``"tree"`` for scikit-learn
        trees and forests of trees, whose integer ``min_samples_leaf`` and
        ``min_samples_split`` then count training rows (they are multiplied
        by the number of rows each training row brings with the transfer
        set), ``"regressor"`` otherwise. ``None`` means
        ``DecisionTreeRegressor(max_depth=6)``.

    alpha : float, default=0.5
        Weight of the true targets, in [0, 1]: the student learns
        ``alpha * y + (1 - alpha) * teacher(x)`` on the training rows and the
        teacher's prediction alone on transfer rows. ``alpha=1`` is the
        student trained on targets alone (the baseline); ``alpha=0`` learns
        the teacher alone.

    soft_targets : {"auto", "in_sample", "oob", "cross_fit"}, default="auto"
        How the teacher's predictions on the training rows are obtained, as
        for :class:`DistilledClassifier`: out-of-bag for a bagging teacher
        with bootstrap, in-sample otherwise, or cross-fitted over ``cv``.

    cv : int, cross-validation generator or iterable, default=5
        Folds for ``soft_targets="cross_fit"``.

    transfer : "auto", transfer sampler or None, default="auto"
        Extra rows that the teacher labels. ``"auto"`` means
        ``MungeTransfer(size=16)`` for tree students on dense numeric ``X``
        (capped at 200,000 rows and 20 million values), and nothing
        otherwise or when ``alpha=1``. See
        :class:`~sklearn_kd.MungeTransfer`.

    validation_fraction : float or None, default=0.2
        Share of the rows held out inside ``fit`` to check the distilled
        student against the same student trained on targets. When the latter
        has the lower squared error there by more than 1.645 standard errors
        of the paired difference (a one-sided test at the 5% level), the
        student is trained on targets alone (``distilled_`` is False, with a
        ``UserWarning``). Skipped below 50 held-out rows, or when they all
        weigh zero. ``None`` always
        keeps the distilled student. With ``n_jobs`` > 1, a tree or forest
        student's final fit runs beside the two candidates. Losses smaller
        than the test's noise pass, and the teacher has seen the held-out
        rows. When its predictions are honest (``soft_targets_`` is
        ``"oob"`` or ``"cross_fit"``), the teacher is scored too, on every
        row, each predicted by a fit of the student on targets that did not
        see it (four more such fits), and a student on targets that clearly
        beats it also makes the guard fall back. Inside a grid search,
        prefer ``None`` with ``alpha=1`` in the grid.

    memory : str, joblib.Memory or None, default=None
        Caches the fitted teacher and its training-row predictions.

    keep_teacher : bool, default=False
        Keep the fitted teacher as ``teacher_``.

    n_jobs : int, default=None
        Jobs for cross-fitting, for the members of a list teacher, and for
        the student's fits (the guard's candidates and the final student side
        by side).

    random_state : int, RandomState instance or None, default=None
        Seeds the transfer samplers and the default teacher and student.

    verbose : int, default=0
        Print each stage with its time when > 0.

    Attributes
    ----------
    student_ : estimator
        The fitted student, a plain scikit-learn regressor.

    student_route_ : {"tree", "regressor"}
        How the student learnt.

    teacher_ : estimator
        The fitted teacher; only when ``keep_teacher=True``.

    transfer_ : transfer sampler or None
        The transfer sampler that ``transfer`` resolved to.

    distilled_ : bool
        Whether the final student learnt from the teacher.

    validation_scores_ : dict or None
        Held-out R² of the ``"labels"`` and ``"distilled"`` candidates, and
        ``"labels_lead"``: how many standard errors of the paired difference
        in squared error the labels candidate led by (negative when it
        trailed); ``"teacher"``: the held-out R² of the teacher's own
        out-of-bag or cross-fitted predictions, and
        ``"labels_lead_over_teacher"``: the student on targets' lead over
        them on every row, each predicted out of fold; both None when they
        were in-sample. None when no validation ran.

    soft_targets_ : str or None
        The method that gave the teacher's training-row predictions.

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`, when all are strings.

    See Also
    --------
    DistilledClassifier : The same for classifiers.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.ensemble import RandomForestRegressor
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from sklearn_kd import DistilledRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> reg = DistilledRegressor(
    ...     RandomForestRegressor(n_estimators=50, random_state=0),
    ...     DecisionTreeRegressor(max_leaf_nodes=16, random_state=0),
    ...     validation_fraction=None,
    ...     random_state=0,
    ... ).fit(X, y)
    >>> reg.student_route_, reg.student_.get_n_leaves()
    ('tree', 16)
    >>> type(reg.export_student()).__name__
    'DecisionTreeRegressor'
    """

    def __init__(
        self,
        teacher=None,
        student=None,
        *,
        alpha=DEFAULT_ALPHA,
        soft_targets="auto",
        cv=5,
        memory=None,
        keep_teacher=False,
        transfer="auto",
        validation_fraction=DEFAULT_VALIDATION_FRACTION,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.teacher = teacher
        self.student = student
        self.alpha = alpha
        self.soft_targets = soft_targets
        self.cv = cv
        self.memory = memory
        self.keep_teacher = keep_teacher
        self.transfer = transfer
        self.validation_fraction = validation_fraction
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    # regression targets have no classes to keep in proportion
    _stratify = False

    @staticmethod
    def _default_teacher(random_state):
        return default_teacher(random_state, regression=True)

    @staticmethod
    def _default_student(random_state):
        return DecisionTreeRegressor(max_depth=6, random_state=random_state)

    @staticmethod
    def _check_teacher(teacher):
        members = (
            teacher.estimators if isinstance(teacher, TeacherEnsemble) else [teacher]
        )
        for member in members:
            if not (is_regressor(member) and hasattr(member, "predict")):
                raise TypeError(
                    f"The teacher of a DistilledRegressor must be a regressor; got "
                    f"teacher={member!r}. Distil classifiers with "
                    "DistilledClassifier."
                )

    @staticmethod
    def _make_route(student):
        if not is_regressor(student):
            raise TypeError(
                f"The student of a DistilledRegressor must be a regressor; got "
                f"student={student!r}."
            )
        return TargetRoute(student)

    def _encode_targets(self, y):
        y = np.asarray(y, dtype=np.float64)
        if not np.isfinite(y).all():
            raise ValueError(
                "y holds NaN or infinity; regression targets must be finite."
            )
        return np.ones(len(y), dtype=bool), y

    def _targets_without_teacher(self, y):
        return y.copy()

    def _teacher_classes(self):
        return None

    def _held_out_losses(self, route, candidate, held):
        return held_out_squared_errors(candidate, held.X, held.y)

    def _teacher_losses(self, held):
        return (held.outputs - held.y) ** 2

    def _score(self, losses, held):
        return r2_from_squared_errors(losses, held.y, held.weight)

    @_fit_context(
        # teacher and student are validated by their own fit
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the teacher, then the student on the blended targets.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, in any form the teacher and student accept.

        y : array-like of shape (n_samples,)
            Target values.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights passed to the teacher (when its ``fit`` accepts them) and
            to the student.

        **fit_params : dict
            Further parameters for the ``fit`` of teacher, student and the
            ``cv`` splitter, with metadata routing enabled only.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return self._fit(X, y, sample_weight, fit_params)

    def predict(self, X):
        """Predict with the student.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted values.
        """
        X = self._check_X(X)
        return self._route.predict(self.student_, X)

    def export_student(self):
        """The fitted student as a plain scikit-learn regressor, ready to ship.

        The student of a regressor learnt plain targets, so it needs no
        change: this is a copy of ``student_``, which pickles and loads with
        scikit-learn alone and predicts what this estimator predicts.

        Returns
        -------
        student : estimator
            A fitted copy of ``student_``.
        """
        check_is_fitted(self, "student_")
        return copy.deepcopy(self.student_)
