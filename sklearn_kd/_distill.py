"""DistilledClassifier: a small student trained on a large teacher's probabilities."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import time
import warnings
from numbers import Real

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from sklearn_kd._base import (
    DEFAULT_ALPHA,
    DEFAULT_VALIDATION_FRACTION,
    BaseDistiller,
    take,
)
from sklearn_kd._calibration import fit_temperature
from sklearn_kd._compat import Interval, StrOptions, _fit_context
from sklearn_kd._student import student_route
from sklearn_kd._teacher import TeacherEnsemble, default_teacher
from sklearn_kd._transfer import labelled_mask
from sklearn_kd._validation import held_out_errors, teacher_errors


def _student_has(attr):
    """Check the fitted student first, else the unfitted one (as sklearn does)."""

    def check(self):
        if hasattr(self, "student_"):
            getattr(self.student_, attr)
        else:
            getattr(self._get_student(), attr)
        return True

    return check


class DistilledClassifier(ClassifierMixin, BaseDistiller):
    """Train a small student classifier on a large teacher's soft targets.

    Knowledge distillation (Bucilua et al., 2006; Hinton et al., 2015): the
    teacher is fitted, its class probabilities on the training rows are
    softened at ``temperature`` and blended with the true labels, and the
    student learns the blend. Only the student is kept for prediction;
    :meth:`export_student` returns it as a plain scikit-learn estimator to
    ship.

    Read more in the :ref:`User Guide <distillation>`.

    Parameters
    ----------
    teacher : estimator instance or list of estimators, default=None
        The large model. Any classifier with ``predict_proba`` (or
        ``decision_function``, turned into probabilities with a softmax). It
        is cloned and fitted inside ``fit``; pass an already trained model as
        :class:`sklearn.frozen.FrozenEstimator` to use it as it is. A list
        means the average of its members' probabilities (the ensemble teacher
        of Hinton et al.); members may be frozen or not. ``None`` means a
        200-tree :class:`~sklearn.ensemble.RandomForestClassifier`.

        The teacher's probability columns are aligned to ``classes_`` (the
        classes of ``y``): a class the teacher never saw gets probability 0
        from it, and the columns of classes absent from ``y`` are dropped, each
        row being renormalised over the classes of ``y``.

    student : estimator instance, default=None
        The small model that is kept. It learns soft targets by the first of
        these routes that applies (stored in ``student_route_``):

        - ``"native"``: the student has a method
          ``fit_distill(X, y, teacher_proba, *, temperature, alpha,
          sample_weight=None, **fit_params)``. It receives the labels as
          indices into ``classes_`` (``-1`` for rows without a label), the
          teacher's probabilities at temperature 1 with columns in
          ``classes_`` order, and trains as it sees fit. Its
          ``predict_proba`` must return temperature-1 probabilities, one
          column per class in ``classes_``; they are reported unchanged.
          :mod:`sklearn_kd.torch` provides such students.
        - ``"tree_regression"``: a scikit-learn decision tree, extra tree or
          forest of them. The same model is grown as a multi-output regression
          tree on the target vectors (the Gini impurity of soft labels equals
          their summed squared error) and turned back into the classifier
          given, so ``min_samples_leaf`` counts rows, not per-class copies,
          and the cost does not grow with the number of classes.
        - ``"sample_weight"``: a classifier whose ``fit`` takes
          ``sample_weight`` (the final step of a pipeline counts). Each row is
          repeated once per class with weight = target probability × sample
          weight, which is exactly the soft cross-entropy for log-loss models.
          Targets below ``1e-3`` are dropped and the rest renormalised.
        - ``"regression"``: a regressor, fitted on the target probabilities
          (of the positive class for two classes); its predictions are clipped
          to [0, 1] and renormalised.

        ``None`` means ``DecisionTreeClassifier(max_depth=6)``.

    temperature : float or "auto", default="auto"
        Temperature ``T > 0`` at which the teacher's probabilities are
        softened: ``q = softmax(log(p_teacher) / T)``; ``T < 1`` sharpens
        them. A training device only: ``predict_proba`` reports the student at
        temperature 1. Tree students choose their splits on the targets at
        ``T`` and hold, in each leaf, the mean temperature-1 target of its
        rows; other students are sharpened back as ``p ∝ p_student ** T``
        (native students do this themselves). Temperature on
        log-probabilities equals temperature on logits, as they differ by a
        constant per row.

        ``"auto"`` follows the student's capacity, once transfer rows are
        drawn: a forest, and a tree whose size limit binds on the labels alone
        (a copy grown on the training rows reaches its ``max_depth`` or
        ``max_leaf_nodes``, so it cannot even draw every boundary the labels
        ask for), learn the teacher's decisions (its argmax, temperature 0) on
        which to split; such a tree
        also weighs each training row as much as the transfer rows drawn for
        it, and a forest is grown without bootstrap, every tree on the same
        transfer rows. Every other student learns at temperature 1; a tree
        without any size limit (no ``max_depth``, no ``max_leaf_nodes``) then
        multiplies integer ``min_samples_leaf`` by the square root of the
        rows per training row rather than by the rows themselves, for finer
        leaves. When the teacher's targets on the training rows are in-sample
        (``soft_targets_``; a boosting model's mostly repeat the labels), a
        size-limited tree that may grow more than 256 leaves (a ``max_depth``
        of 9 or more) is grown both ways, on the decisions and as an
        unlimited tree would be, and keeps the one that agrees with the
        teacher's decisions on more of 4 rows per training row drawn apart
        from the transfer set (the teacher labels them too; a sampler without
        ``size``, such as :class:`UnlabeledTransfer`, draws none, and the
        tree learns the decisions). ``temperature_`` says what was used.

    alpha : float, default=0.5
        Weight of the true labels in the targets, in [0, 1]: the student learns
        ``alpha * onehot(y) + (1 - alpha) * q``. ``alpha=1`` is the student
        trained on labels alone (the baseline, inside the same grid search);
        ``alpha=0`` learns the teacher alone. This is the convention of the
        Keras distillation example and torchdistill; haitongli's
        knowledge-distillation-pytorch, KD_Lib and deepbridge weight the
        teacher's term by ``alpha`` instead. The default 0.5 keeps the labels'
        information where the teacher is wrong and the teacher's where the
        labels are noisy; labelled rows only (transfer rows have no label).

    soft_targets : {"auto", "in_sample", "oob", "cross_fit"}, default="auto"
        How the teacher's probabilities on the training rows are obtained.

        - ``"in_sample"``: the teacher fitted on all rows predicts them. Over
          confident for models that memorise their rows, such as forests.
        - ``"oob"``: out-of-bag probabilities of a bagging teacher (a random
          forest, :class:`~sklearn.ensemble.BaggingClassifier`); its
          ``oob_score`` is switched on. Rows that every member drew in its
          bootstrap have no out-of-bag vote and keep in-sample probabilities.
        - ``"cross_fit"``: out-of-fold probabilities over ``cv`` folds, as
          :class:`~sklearn.ensemble.StackingClassifier` does; the teacher is
          still fitted on all rows for anything else (transfer rows).
        - ``"auto"``: ``"oob"`` for a bagging teacher with bootstrap (honest
          and free), ``"in_sample"`` otherwise: cross-fitting costs ``cv``
          more teacher fits, and with a transfer set the training rows are a
          small share of what the student learns. Ask for ``"cross_fit"``
          when the teacher memorises its rows and no transfer set is used.

    cv : int, cross-validation generator or iterable, default=5
        Folds for ``soft_targets="cross_fit"``, as in
        :func:`~sklearn.model_selection.cross_val_predict`.

    transfer : "auto", transfer sampler or None, default="auto"
        Extra rows that the teacher labels, learnt by the student with the
        teacher's targets only (``alpha`` applies to labelled rows). This is
        where distillation gains accuracy on tabular data: a student fitted on
        the teacher's probabilities of the training rows alone learns little
        that the labels did not say. See :class:`~sklearn_kd.GaussianTransfer`,
        :class:`~sklearn_kd.MungeTransfer` and
        :class:`~sklearn_kd.UnlabeledTransfer`; any object with a
        ``generate(X, y, *, random_state)`` method returning new rows will do.

        - ``"auto"``: ``MungeTransfer(size=16, max_samples=200_000)`` for
          tree students (route ``"tree_regression"``), where our benchmark
          measured the gain, on dense numeric ``X``; no transfer set for other
          students, for sparse or non-numeric ``X``, or when ``alpha=1`` (the
          labels-only baseline). Integer ``min_samples_leaf`` and
          ``min_samples_split`` of a tree student then count training rows:
          they are multiplied by the number of rows each training row brings
          (by its square root for an unlimited tree under
          ``temperature="auto"``). The draw's nearest-neighbour search runs
          with ``n_jobs``.
        - ``None``: the training rows only.

    validation_fraction : float or None, default=0.2
        Share of the labelled rows held out inside ``fit`` to check the
        distilled student against the same student trained on labels. When the
        labels-only student is right on more of them by over 1.645 standard
        errors of the paired difference (a one-sided test at the 5% level), the
        student is trained on labels alone, ``distilled_`` is False and a
        ``UserWarning`` says so; smaller leads are kept as noise. Skipped when
        fewer than 50 rows would be held out, a class has fewer than 5 rows, or
        the held-out rows all weigh zero. ``None`` always keeps the distilled
        student. The check costs two extra student fits (six with honest teacher
        targets, below) and no teacher fit; with ``n_jobs`` > 1, a tree or
        forest student's final fit runs beside them. It lets losses smaller than
        its noise through (on a fifth of a few thousand rows, a point or so),
        and the teacher has seen the held-out rows, which favours the distilled
        candidate. When the teacher's targets are honest (``soft_targets_`` is
        ``"oob"`` or ``"cross_fit"``), the same test also runs against the
        teacher on every labelled row, each predicted by a fit of the student on
        labels that did not see it (four more such fits), and falls back when
        the student on labels clearly wins: a student that on labels beats its
        teacher cannot gain by imitating it. When distillation is kept and the
        student is a tree or forest, the same rows also set how sure its
        probabilities are: one temperature, fitted there by log-loss, softens or
        sharpens every leaf of the final student (``calibration_temperature_``;
        a single tree predicts the same classes). Inside a grid search, prefer
        ``None`` and put ``alpha=1`` (the labels-only student) in the grid: the
        search's own cross-validation then makes the comparison.

    memory : str, joblib.Memory or None, default=None
        Caches the fitted teacher and its training-row probabilities, keyed by
        the teacher's parameters, the data and ``soft_targets``/``cv``, so a
        grid search over ``temperature``, ``alpha`` and ``student__*`` fits
        the teacher once per fold. A string is a cache folder.

    keep_teacher : bool, default=False
        Keep the fitted teacher as ``teacher_``. By default it is dropped once
        it has labelled the transfer rows, before the student is trained,
        which frees its memory for the student's fits. The ``teacher``
        parameter is pickled with the model all the same, and a teacher
        passed already fitted
        (``FrozenEstimator``) is as large as ever: ship
        :meth:`export_student`, not this estimator.

    n_jobs : int, default=None
        Jobs for cross-fitting the teacher, fitting the members of a list
        teacher, the transfer draw's neighbour search, the labelling of the
        transfer rows, and the student's fits: the candidate trees of a small
        tree, and, for tree and forest students, the guard's two candidates
        beside the final student. ``None`` means 1 unless in a joblib
        context.

    random_state : int, RandomState instance or None, default=None
        Seeds the transfer samplers and the default teacher and student.

    verbose : int, default=0
        Print each stage (teacher, targets, student) with its time when > 0.

    Attributes
    ----------
    student_ : estimator
        The fitted student. It was fitted on labels encoded as
        ``0 .. n_classes - 1``; use this estimator's ``predict`` for labels.

    student_route_ : str
        How the student learnt the soft targets (see ``student``).

    teacher_ : estimator
        The fitted teacher; only when ``keep_teacher=True``.

    transfer_ : transfer sampler or None
        The transfer sampler that ``transfer`` resolved to.

    distilled_ : bool
        Whether the final student learnt from the teacher (False when the
        labels-only baseline was asked for with ``alpha=1`` and no transfer
        set, or when the validation of ``validation_fraction`` fell back to
        the labels).

    validation_scores_ : dict or None
        Held-out accuracy of the ``"labels"`` and ``"distilled"`` candidates,
        and ``"labels_lead"``: how many standard errors of the paired
        difference the labels candidate led by (negative when it trailed);
        ``"teacher"``: the held-out accuracy of the teacher's own out-of-bag
        or cross-fitted decisions, and ``"labels_lead_over_teacher"``: the
        labels student's lead over them on every labelled row, each
        predicted out of fold (see ``validation_fraction``); both None when
        its targets were in-sample. None when no validation ran.

    soft_targets_ : str or None
        The method that gave the teacher's training-row probabilities, or
        ``None`` when no teacher was needed (``alpha=1`` and no transfer set).

    temperature_ : float
        The temperature the final student learnt at (0: the teacher's
        decisions), as ``temperature="auto"`` resolved it.

    calibration_temperature_ : float or None
        The temperature applied to the leaves of a tree or forest student
        after its fit: the one at which the guard's distilled candidate had
        the least log-loss on the held-out rows, within [0.25, 4]. Below 1
        the leaves were sharpened (a forest teacher's probabilities are
        flat), above 1 softened (a boosting teacher's in-sample ones are too
        sure). None when no guard ran, it fell back to the labels, or the
        student is not a tree or forest.

    classes_ : ndarray of shape (n_classes,)
        The class labels.

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.calibration.CalibratedClassifierCV : Another meta-estimator that
        fits sub-estimators on out-of-fold predictions.

    Notes
    -----
    With ``K`` classes, teacher probabilities ``p``, temperature ``T`` and true
    label ``y``, each labelled row's target is

    .. math::

        t_k = \\alpha \\, [y = k] + (1 - \\alpha)
              \\frac{p_k^{1/T}}{\\sum_j p_j^{1/T}},

    and a log-loss student minimises the soft cross-entropy
    :math:`-\\sum_k t_k \\log s_k`.

    References
    ----------
    .. [1] G. Hinton, O. Vinyals and J. Dean, "Distilling the Knowledge in a
       Neural Network", NIPS Deep Learning Workshop, 2015.
    .. [2] C. Bucilua, R. Caruana and A. Niculescu-Mizil, "Model Compression",
       KDD, 2006.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from sklearn_kd import DistilledClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = DistilledClassifier(
    ...     RandomForestClassifier(n_estimators=50, random_state=0),
    ...     DecisionTreeClassifier(max_depth=3, random_state=0),
    ...     random_state=0,
    ... ).fit(X, y)
    >>> clf.student_route_, clf.distilled_, clf.temperature_
    ('tree_regression', True, 0.0)
    >>> clf.predict(X[:3])
    array([0, 0, 0])
    >>> round(clf.score(X, y), 2)
    0.97
    """

    _parameter_constraints: dict = {
        **BaseDistiller._parameter_constraints,
        "temperature": [
            Interval(Real, 0, np.inf, closed="neither"),
            StrOptions({"auto"}),
        ],
    }

    def __init__(
        self,
        teacher=None,
        student=None,
        *,
        temperature="auto",
        alpha=DEFAULT_ALPHA,
        soft_targets="auto",
        cv=5,
        transfer="auto",
        validation_fraction=DEFAULT_VALIDATION_FRACTION,
        memory=None,
        keep_teacher=False,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.teacher = teacher
        self.student = student
        self.temperature = temperature
        self.alpha = alpha
        self.soft_targets = soft_targets
        self.cv = cv
        self.transfer = transfer
        self.validation_fraction = validation_fraction
        self.memory = memory
        self.keep_teacher = keep_teacher
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    # the guard holds out rows in proportion to each class
    _stratify = True

    @staticmethod
    def _default_teacher(random_state):
        return default_teacher(random_state)

    @staticmethod
    def _default_student(random_state):
        return DecisionTreeClassifier(max_depth=6, random_state=random_state)

    @staticmethod
    def _check_teacher(teacher):
        members = (
            teacher.estimators if isinstance(teacher, TeacherEnsemble) else [teacher]
        )
        for member in members:
            if not (
                hasattr(member, "predict_proba") or hasattr(member, "decision_function")
            ):
                raise TypeError(
                    "The teacher must have predict_proba or decision_function; "
                    f"got teacher={member!r}."
                )

    def _make_route(self, student):
        return student_route(student, self.temperature)

    def _encode_targets(self, y):
        """Set ``classes_``; return the labelled mask and the encoded labels."""
        check_classification_targets(y)
        labelled = labelled_mask(self.transfer, y)
        if not labelled.any():
            raise ValueError(
                "y holds no labelled rows: every label is -1, which "
                "transfer=UnlabeledTransfer() reads as 'no label'. Give labels for "
                "some rows, or pass the unlabelled rows as UnlabeledTransfer(X)."
            )
        encoder = LabelEncoder().fit(y[labelled])
        self.classes_ = encoder.classes_
        if len(self.classes_) < 2:
            raise ValueError(
                "y must hold at least two classes to distil a classifier; got "
                f"1 class: {self.classes_.tolist()}."
            )
        y_encoded = np.full(len(y), -1)
        y_encoded[labelled] = encoder.transform(y[labelled])
        return labelled, y_encoded

    def _targets_without_teacher(self, y_encoded):
        return np.eye(len(self.classes_))[np.maximum(y_encoded, 0)]

    def _teacher_classes(self):
        return self.classes_

    def _check_fitted_teacher(self, teacher):
        _check_teacher_classes(teacher.classes_, self.classes_)

    def _held_out_losses(self, route, candidate, held):
        return held_out_errors(route, candidate, held.X, held.y, len(self.classes_))

    def _teacher_losses(self, held):
        return teacher_errors(held.outputs, held.y)

    def _score(self, losses, held):
        """Weighted accuracy from per-row errors."""
        return 1.0 - float(np.average(losses, weights=held.weight))

    def _calibrate(self, route, student, candidate, held):
        """Soften or sharpen a tree student's leaves by the temperature that
        fits the guard's distilled candidate best on the held-out rows
        (:func:`~sklearn_kd._calibration.fit_temperature`); sets
        ``calibration_temperature_``."""
        self.calibration_temperature_ = None
        if candidate is None or not route.softens_leaves:
            return
        start = time.perf_counter()
        temperature, before, after = fit_temperature(
            route.member_proba(candidate, held.X), held.y, held.weight
        )
        if temperature != 1.0:
            route.soften_leaves(student, temperature)
        self.calibration_temperature_ = temperature
        self._log(
            f"Fitted the temperature of the student's probabilities on the "
            f"held-out rows: {temperature:.2f} (log-loss {before:.4f} -> "
            f"{after:.4f})",
            start,
        )

    @_fit_context(
        # teacher and student are validated by their own fit
        prefer_skip_nested_validation=False
    )
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the teacher, compute the soft targets and fit the student on them.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, in any form the teacher and student accept.

        y : array-like of shape (n_samples,)
            Target labels. With ``transfer=UnlabeledTransfer()``, the label
            ``-1`` marks rows without a label.

        sample_weight : array-like of shape (n_samples,), default=None
            Weights passed to the teacher (when its ``fit`` accepts them) and
            used by the student.

        **fit_params : dict
            Further parameters for the ``fit`` of teacher, student and the
            ``cv`` splitter. Only with metadata routing enabled
            (``sklearn.set_config(enable_metadata_routing=True)``), where they
            are routed as each requests.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return self._fit(X, y, sample_weight, fit_params)

    def predict_proba(self, X):
        """Class probabilities of the student, at temperature 1.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities with columns in the order of ``classes_``.
        """
        X = self._check_X(X)
        return self._route.proba(self.student_, X, len(self.classes_), self.distilled_)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities with columns in the order of ``classes_``.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    @available_if(_student_has("decision_function"))
    def decision_function(self, X):
        """Confidence scores of the student, consistent with :meth:`predict_proba`.

        Available when the student has ``decision_function``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Log-odds of ``classes_[1]`` for two classes, else the log
            probabilities (equal to the logits up to a constant per row).
        """
        proba = np.clip(self.predict_proba(X), np.finfo(np.float64).tiny, None)
        log_proba = np.log(proba)
        if log_proba.shape[1] == 2:
            return log_proba[:, 1] - log_proba[:, 0]
        return log_proba

    def predict(self, X):
        """Predict class labels with the student.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels, taken from ``classes_``.
        """
        X = self._check_X(X)
        return self.classes_[
            self._route.predict_index(self.student_, X, len(self.classes_))
        ]

    def score(self, X, y, sample_weight=None):
        """Accuracy on ``X`` and ``y``, ignoring rows labelled ``-1``.

        Rows labelled ``-1`` are left out only when ``transfer`` is
        :class:`~sklearn_kd.UnlabeledTransfer` without rows of its own, so a
        grid search with the default scoring ignores unlabelled rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test samples.

        y : array-like of shape (n_samples,)
            True labels.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Mean accuracy of ``self.predict(X)`` with respect to ``y``.
        """
        y = column_or_1d(y)
        labelled = labelled_mask(self.transfer, y)
        if not labelled.all():
            X, y = take(X, labelled), y[labelled]
            if sample_weight is not None:
                sample_weight = np.asarray(sample_weight)[labelled]
        return super().score(X, y, sample_weight=sample_weight)


def _check_teacher_classes(teacher_classes, classes):
    """Refuse a teacher that knows none of the classes of ``y``; warn on a
    partial overlap, where the teacher says nothing of some classes."""
    teacher_classes, classes = np.asarray(teacher_classes), np.asarray(classes)
    known = np.isin(classes, teacher_classes)
    if known.all() and len(teacher_classes) == len(classes):
        return
    message = (
        f"The teacher's classes {teacher_classes.tolist()} differ from the "
        f"classes of y {classes.tolist()}"
    )
    if not known.any():
        raise ValueError(
            f"{message}: they share none, so the teacher cannot label these "
            "rows. Was the teacher fitted on other data, or on labels encoded "
            "differently (numbers against strings, or shifted)?"
        )
    warnings.warn(
        f"{message}: the teacher gives probability 0 to "
        f"{classes[~known].tolist()} and its other classes are dropped.",
        UserWarning,
        stacklevel=6,
    )
