"""What the distilled classifier and regressor share: the steps of ``fit``.

``fit`` runs five steps, each with one home: the teacher's targets on the
training rows (``_teacher_targets``), the transfer rows drawn once per fit
(``_draw_transfer``), then the student's fit by its route, guarded by a
comparison with the labels-only student (``_fit_final``, ``_judge``).
Subclasses say what differs between tasks: how targets are encoded, what the
teacher outputs, how students learn and how candidates are scored.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import copy
import functools
import time
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from joblib import effective_n_jobs
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.model_selection import check_cv
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    check_memory,
    check_random_state,
    column_or_1d,
    validate_data,
)

from sklearn_kd._compat import (
    HasMethods,
    Interval,
    InvalidParameterError,
    StrOptions,
    _check_feature_names,
    _check_n_features,
    _check_sample_weight,
    _raise_for_params,
    _routing_enabled,
)
from sklearn_kd._student import CHECK_SIZE, StudentFit
from sklearn_kd._teacher import (
    SOFT_TARGET_METHODS,
    TeacherEnsemble,
    _weight_params,
    fit_teacher_and_targets,
    resolve_soft_targets,
    teacher_output,
)
from sklearn_kd._transfer import (
    UnlabeledTransfer,
    append_rows,
    draw_transfer,
    resolve_transfer,
)
from sklearn_kd._validation import (
    HONEST_SOFT_TARGETS,
    keep_distilled,
    labels_lead,
    teacher_check_folds,
    validation_split,
)

#: Weight of the true targets when ``alpha`` is not given; see the class docstrings.
DEFAULT_ALPHA = 0.5

#: Share of the labelled rows that the guard holds out by default.
DEFAULT_VALIDATION_FRACTION = 0.2


def _seed(random_state):
    """An int seed for sub-estimators built here, drawn from ``random_state``."""
    if random_state is None or isinstance(random_state, Integral):
        return random_state
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


class BaseDistiller(MetaEstimatorMixin, BaseEstimator):
    """Fit a teacher, then a student on its targets; keep only the student.

    Subclasses implement ``_default_teacher``, ``_default_student``,
    ``_check_teacher``, ``_make_route``, ``_encode_targets``,
    ``_targets_without_teacher``, ``_teacher_classes``, ``_held_out_losses``
    and ``_score``.
    """

    _parameter_constraints: dict = {
        "teacher": [HasMethods(["fit"]), list, None],
        "student": [HasMethods(["fit"]), None],
        "alpha": [Interval(Real, 0, 1, closed="both")],
        "soft_targets": [StrOptions({"auto", *SOFT_TARGET_METHODS})],
        "cv": ["cv_object"],
        "transfer": [StrOptions({"auto"}), HasMethods(["generate"]), None],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither"), None],
        "memory": [None, str, HasMethods(["cache"])],
        "keep_teacher": ["boolean"],
        "n_jobs": [
            Interval(Integral, None, -1, closed="right"),
            Interval(Integral, 1, None, closed="left"),
            None,
        ],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def _get_teacher(self, random_state=None):
        if self.teacher is None:
            return self._default_teacher(random_state)
        if isinstance(self.teacher, list):
            return TeacherEnsemble(self.teacher, n_jobs=self.n_jobs)
        return self.teacher

    def _get_student(self, random_state=None):
        if self.student is None:
            return self._default_student(random_state)
        return self.student

    def _log(self, message, start):
        if self.verbose:
            elapsed = time.perf_counter() - start
            print(f"[{type(self).__name__}] {message} in {elapsed:.2f}s")

    def _check_params(self):
        """What ``_parameter_constraints`` cannot say: a bool is no number."""
        for name in ("alpha", "temperature"):
            value = getattr(self, name, None)
            if isinstance(value, bool):
                raise InvalidParameterError(
                    f"The '{name}' parameter of {type(self).__name__} must be a "
                    f"float, not a bool; got {value!r}."
                )

    def _split_fit_params(self, teacher, sample_weight, fit_params):
        """Fit parameters of teacher, splitter and student, and the student's weights.

        Without metadata routing only ``sample_weight`` is passed on, as in
        scikit-learn's meta-estimators with several sub-estimators: other
        parameters could not be told apart between teacher and student.
        """
        if _routing_enabled():
            if sample_weight is not None:
                fit_params = {**fit_params, "sample_weight": sample_weight}
            routed = process_routing(self, "fit", **fit_params)
            student_params = dict(routed.student.fit)
            return (
                dict(routed.teacher.fit),
                dict(routed.splitter.split),
                student_params,
                student_params.pop("sample_weight", None),
            )
        _raise_for_params(fit_params, self, "fit")
        teacher_params = _weight_params(teacher, sample_weight, "teacher")
        return teacher_params, {}, {}, sample_weight

    def _fit(self, X, y, sample_weight, fit_params):
        """The steps of ``fit``, shared by the classifier and the regressor."""
        self._check_params()
        X, y, sample_weight = self._check_fit_input(X, y, sample_weight)
        seed = _seed(self.random_state)
        teacher, student = self._get_teacher(seed), self._get_student(seed)
        self._check_teacher(teacher)
        route = self._make_route(student)
        teacher_params, split_params, student_params, student_weight = (
            self._split_fit_params(teacher, sample_weight, fit_params)
        )
        labelled, y_encoded = self._encode_targets(y)
        transfer = resolve_transfer(
            self.transfer,
            route.name,
            X,
            self.alpha,
            n_jobs=self.n_jobs,
        )
        self.transfer_ = transfer
        distils = self.alpha < 1 or transfer is not None

        teacher_fitted, outputs = None, self._targets_without_teacher(y_encoded)
        self.soft_targets_, teacher_key = None, None
        if distils or self.keep_teacher:
            teacher_fitted, outputs, teacher_key = self._teacher_targets(
                teacher, X, y, labelled, teacher_params, split_params
            )
        data = TrainingData(X, y_encoded, outputs, student_weight, labelled)
        rng = check_random_state(seed)
        rows = self._draw_transfer(transfer, data, (teacher_fitted, teacher_key), rng)
        # honest targets make the training rows the teacher's honest view, so
        # a tree weighing them heavily has no rival recipe to weigh
        honest = self.soft_targets_ in HONEST_SOFT_TARGETS
        if distils and not honest and route.wants_check_rows(student):
            rows.check = self._draw_check_rows(
                transfer, data, (teacher_fitted, teacher_key), seed
            )
        if self.keep_teacher:
            self.teacher_ = teacher_fitted
        # the students learn from the teacher's outputs, not from the teacher:
        # a large forest is let go before they are fitted
        del teacher_fitted
        self.distilled_, self.validation_scores_ = distils, None
        guarded = distils and self.validation_fraction is not None
        route, self.student_ = self._fit_final(
            route, student, data, rows, student_params, rng if guarded else None
        )
        self.student_route_, self._route = route.name, route
        if hasattr(route, "fitted_temperature"):
            self.temperature_ = route.fitted_temperature
        self._refuse_nan = get_tags(student).input_tags.allow_nan and not (
            self.__sklearn_tags__().input_tags.allow_nan
        )
        return self

    def _check_fit_input(self, X, y, sample_weight):
        validate_data(self, X, y, skip_check_array=True)
        check_2d(X, allow_nan=True)
        if sp.issparse(X):
            X = X.tocsr()  # rows are taken by index below, which COO/DIA lack
        elif not hasattr(X, "__getitem__"):  # array-likes that only convert
            X = np.asarray(X)
        y = column_or_1d(y, warn=True)
        check_consistent_length(X, y)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
        return X, y, sample_weight

    def _teacher_targets(self, teacher, X, y, labelled, fit_params, split_params):
        """Fit the teacher on the labelled rows; its outputs for every row.

        Labelled rows get outputs by ``soft_targets`` (out-of-bag,
        cross-fitted or in-sample); unlabelled rows are predicted.
        """
        start = time.perf_counter()
        soft_targets = resolve_soft_targets(self.soft_targets, teacher)
        fit_and_target = check_memory(self.memory).cache(
            fit_teacher_and_targets, ignore=["n_jobs"]
        )
        if not labelled.all():
            fit_params = _take_params(fit_params, labelled, len(y))
            split_params = _take_params(split_params, labelled, len(y))
        classes = self._teacher_classes()
        # what the fitted teacher is a function of: the key of its cache entry
        key = (
            teacher,
            take(X, labelled),
            y[labelled],
            classes,
            soft_targets,
            self.cv,
            fit_params,
            split_params,
        )
        teacher_fitted, labelled_outputs = fit_and_target(*key, n_jobs=self.n_jobs)
        self.soft_targets_ = soft_targets
        self._check_fitted_teacher(teacher_fitted)
        outputs = np.empty((len(y), *labelled_outputs.shape[1:]))
        outputs[labelled] = labelled_outputs
        if not labelled.all():
            outputs[~labelled] = teacher_output(
                teacher_fitted, take(X, ~labelled), classes, self.n_jobs
            )
        self._log(f"Fitted the teacher ({soft_targets} targets)", start)
        return teacher_fitted, outputs, key

    def _check_fitted_teacher(self, teacher):
        """Hook: refuse a fitted teacher that cannot label this task's rows."""

    def _draw_transfer(self, transfer, data, teacher, rng, log=True):
        """Transfer rows around the labelled rows, drawn and labelled once per fit.

        ``teacher`` is the fitted teacher and the key of its cache entry: with
        ``memory``, the teacher's outputs on the transfer rows are cached too,
        so a grid search over the student, ``alpha`` or ``temperature``
        labels each fold's rows once.
        """
        teacher, teacher_key = teacher
        if transfer is None:
            self._log("No transfer set (transfer_ is None)", time.perf_counter())
            return TransferRows(None, None, np.empty(0, dtype=np.intp))
        start = time.perf_counter()
        labelled = np.flatnonzero(data.is_labelled)
        X_new, source = draw_transfer(
            transfer, _safe_indexing(data.X, labelled), data.y[labelled], rng
        )
        # sources become row numbers of the training data; -1 stays -1
        source = np.where(source >= 0, labelled[np.maximum(source, 0)], -1)
        outputs = None
        if len(source):
            label = check_memory(self.memory).cache(
                _label_rows, ignore=["teacher", "n_jobs"]
            )
            outputs = label(
                teacher, teacher_key, X_new, self._teacher_classes(), self.n_jobs
            )
        if log:
            self._log(f"Drew and labelled {len(source)} transfer rows", start)
        return TransferRows(X_new, outputs, source)

    def _draw_check_rows(self, transfer, data, teacher, seed):
        """``(X_check, teacher outputs)``: ``CHECK_SIZE`` rows per labelled row,
        drawn as the transfer set is but apart from it (another seed) and
        labelled by the teacher, on which a student may weigh two ways of
        fitting that neither saw (see :meth:`TreeRoute.wants_check_rows`).
        None without a transfer sampler that has a ``size``.
        """
        if transfer is None or "size" not in getattr(transfer, "get_params", dict)():
            return None
        start = time.perf_counter()
        rng = check_random_state(None if seed is None else (seed + 1) % 2**32)
        sampler = clone(transfer).set_params(size=CHECK_SIZE)
        checked = self._draw_transfer(sampler, data, teacher, rng, log=False)
        self._log(f"Drew and labelled {len(checked.source)} check rows", start)
        return checked.X, checked.outputs

    def _fit_final(self, route, student, data, rows, fit_params, guard_rng):
        """Fit the final student, guarded when ``guard_rng`` is given.

        The guard holds out labelled rows and keeps distillation unless the
        labels-only candidate beats the distilled one on them (see
        :func:`~sklearn_kd._validation.labels_lead`); transfer rows drawn
        around held-out rows stay out of the distilled candidate. With more
        than one job, the final distilled student is fitted beside the two
        candidates, as the guard almost always keeps it.

        Returns the final student and the copy of ``route`` that fitted it.
        """
        held, fits, teacher_folds = None, {}, {}
        if guard_rng is not None:
            held, fits, teacher_folds = self._guard_candidates(
                data, rows, guard_rng, route.dense_dtype
            )
        # fitted one at a time, the final student waits for the verdict
        # rather than being fitted in vain
        speculate = held is None or self._side_by_side(route) > 1
        planned = self.distilled_
        if speculate:
            fits["final"] = self._final_fit(data, rows, route.dense_dtype)
            # every fit holds the rows it needs now; a fallback needs none
            rows.release()
        start = time.perf_counter()
        fitted = self._fit_routes(route, student, fits, fit_params)
        beside = ""
        if held is not None:
            self._judge(route, fitted, held, teacher_folds, start)
            beside = " beside the guard's candidates"
        if not speculate or planned != self.distilled_:
            start, beside = time.perf_counter(), ""
            fits = {"final": self._final_fit(data, rows, route.dense_dtype)}
            fitted.update(self._fit_routes(route, student, fits, fit_params))
        route, student = fitted["final"]
        n_rows = len(fits["final"][0].y)
        self._log(f"Fitted the student ({route.name}) on {n_rows} rows{beside}", start)
        kept = fitted["distilled"][1] if held is not None and self.distilled_ else None
        self._calibrate(route, student, kept, held)
        return route, student

    def _calibrate(self, route, student, candidate, held):
        """Hook: adjust the final ``student`` using the guard's fitted
        distilled ``candidate`` and its held-out rows (``candidate`` is None
        when no guard ran or it fell back)."""

    def _final_fit(self, data, rows, dtype):
        """The final student's fit: ``(data, distilled, n_rows)``; ``dtype``
        is what the route fits dense rows as (see ``TrainingData.extend``)."""
        final = data.labelled()
        if self.distilled_:
            final = data.extend(rows, dtype)
        return final, self.distilled_, len(data.y)

    def _guard_candidates(self, data, rows, rng, dtype):
        """The held-out rows, the fits of the guard's two candidates, and
        the folds of the teacher check.

        When the teacher's outputs on the training rows are honest, the
        other labelled rows are split into folds too (:func:`teacher_check_folds`),
        each with a fit of the student on labels without it, so that the
        teacher can be judged on every labelled row (see :meth:`_judge`):
        ``teacher_folds`` maps each such fit's name to a function that
        returns its fold's rows.

        Returns ``(None, {}, {})`` when too few rows would be held out, or
        when the held-out rows all weigh zero and so cannot score anything.
        """
        fit_part, held_out = validation_split(
            data.y, data.is_labelled, self.validation_fraction, rng, self._stratify
        )
        if held_out is None or (
            data.weight is not None and not data.weight[held_out].sum() > 0
        ):
            return None, {}, {}
        fit_data = data.subset(fit_part)
        n_rows = len(fit_data.y)
        candidate = fit_data.extend(rows.around(fit_part), dtype)
        fits = {
            "labels": (fit_data.labelled(), False, n_rows),
            "distilled": (candidate, True, n_rows),
        }
        teacher_folds = {}
        if self.soft_targets_ in HONEST_SOFT_TARGETS:
            folds = teacher_check_folds(
                data.y, fit_part, data.is_labelled, rng, self._stratify
            )
            for number, fold in enumerate(folds, start=1):
                # rows are copied when their fit starts, not all at once
                rest = np.setdiff1d(np.arange(len(data.y)), fold)
                name = f"labels_without_fold_{number}"
                fits[name] = (
                    functools.partial(_labelled, data, rest),
                    False,
                    len(rest),
                )
                teacher_folds[name] = functools.partial(data.subset, fold)
        return data.subset(held_out), fits, teacher_folds

    def _fit_routes(self, route, student, fits, fit_params):
        """Fit ``{name: (data, distilled, n_rows)}`` side by side with ``n_jobs``.

        ``data`` may be a function that returns the rows: each fit then
        copies its rows only when it starts, so that no more copies are held
        at once than fits run. Each fit runs on a copy of ``route``: a route
        records the temperature of its last fit. Returns
        ``{name: (route, fitted student)}``.
        """
        names = list(fits)
        n_jobs = min(self._side_by_side(route), len(names))
        fitted = Parallel(n_jobs=n_jobs, prefer="threads")(
            delayed(_fit_route)(
                copy.copy(route),
                student,
                functools.partial(self._student_fit, *fits[name]),
                fit_params,
            )
            for name in names
        )
        return dict(zip(names, fitted, strict=True))

    def _side_by_side(self, route):
        """How many student fits may run at once."""
        return effective_n_jobs(self.n_jobs) if route.fits_side_by_side else 1

    def _judge(self, route, fitted, held, teacher_folds, start):
        """Score both fitted candidates on the held-out rows and decide.

        Sets ``distilled_`` and ``validation_scores_``; ``start`` is when
        the candidates' fits began. When the teacher's outputs on the
        training rows are honest (out-of-bag or cross-fitted), the teacher
        is scored too, and a labels-only student that clearly beats it also
        makes the guard fall back. That comparison runs on every labelled
        row: the held-out rows and the ``teacher_folds`` folds, each predicted by a
        fit of the student on labels that did not see it.
        """
        losses = {
            name: self._held_out_losses(route, fitted[name][1], held)
            for name in ("labels", "distilled")
        }
        scores = {name: self._score(loss, held) for name, loss in losses.items()}
        lead = labels_lead(losses, held.weight)
        teacher_lead, scores["teacher"], teacher_check = None, None, None
        if self.soft_targets_ in HONEST_SOFT_TARGETS:
            scores["teacher"] = self._score(self._teacher_losses(held), held)
            teacher_check = self._teacher_check(
                route, fitted, held, losses["labels"], teacher_folds
            )
            teacher_lead = teacher_check["lead"]
        self.validation_scores_ = {
            **scores,
            "labels_lead": lead,
            "labels_lead_over_teacher": teacher_lead,
        }
        self.distilled_ = keep_distilled(lead, teacher_lead)
        teacher_note = ""
        if teacher_check is not None:
            rows, labels, teacher = (
                teacher_check[k] for k in ("rows", "labels", "teacher")
            )
            teacher_note = (
                f"; on all {rows} labelled rows out of fold, labels {labels:.4f}, "
                f"teacher {teacher:.4f}, labels lead by {teacher_lead:.2f}"
            )
        self._log(
            f"Validated on {len(held.y)} held-out rows (labels "
            f"{scores['labels']:.4f}, distilled {scores['distilled']:.4f}, labels "
            f"lead by {lead:.2f} standard errors{teacher_note})",
            start,
        )
        if not self.distilled_:
            self._warn_fallback(scores, lead, teacher_check)

    def _teacher_check(self, route, fitted, held, held_losses, teacher_folds):
        """The labels-only student against the teacher's honest outputs on
        every labelled row: the held-out rows (where the guard's labels
        candidate lost ``held_losses``) and each ``teacher_folds`` fold, predicted
        by the fit of the student on labels that left it out.

        Returns the number of rows, both scores on them and the student's
        lead in standard errors of the paired difference.
        """
        scored = [(held, held_losses)]
        for name, fold_rows in teacher_folds.items():
            fold = fold_rows()  # one fold's rows at a time
            losses = self._held_out_losses(route, fitted[name][1], fold)
            scored.append(
                (TrainingData(None, fold.y, fold.outputs, fold.weight, None), losses)
            )
        weight = None
        if held.weight is not None:
            weight = np.concatenate([rows.weight for rows, _ in scored])
        rows = TrainingData(
            None,
            np.concatenate([rows.y for rows, _ in scored]),
            np.concatenate([rows.outputs for rows, _ in scored]),
            weight,
            None,
        )
        losses = {
            "labels": np.concatenate([loss for _, loss in scored]),
            "teacher": self._teacher_losses(rows),
        }
        return {
            "rows": len(rows.y),
            "labels": self._score(losses["labels"], rows),
            "teacher": self._score(losses["teacher"], rows),
            "lead": labels_lead(losses, weight, rival="teacher"),
        }

    def _warn_fallback(self, scores, lead, teacher_check):
        """Tell the user that the guard fell back to the labels, and why."""
        if not keep_distilled(lead):
            beaten = (
                "the distilled student on held-out rows "
                f"({scores['labels']:.4f} against {scores['distilled']:.4f}, "
                f"{lead:.2f} standard errors)"
            )
        else:
            rows, labels, teacher, teacher_lead = (
                teacher_check[k] for k in ("rows", "labels", "teacher", "lead")
            )
            beaten = (
                f"the teacher's own {self.soft_targets_} predictions on all {rows} "
                "labelled rows, each predicted by a fit that had not seen it "
                f"({labels:.4f} against {teacher:.4f}, {teacher_lead:.2f} standard "
                "errors)"
            )
        warnings.warn(
            f"{type(self).__name__}: the same student trained on labels beat "
            f"{beaten}, so the student is trained on labels alone; see "
            "validation_scores_. Set validation_fraction=None to keep the "
            "distilled student regardless.",
            UserWarning,
            stacklevel=7,
        )

    def _student_fit(self, data, distilled, n_rows):
        """What a route fits a student on: the teacher's targets when
        ``distilled``, else the labels alone; ``data`` may be a function
        that returns the rows."""
        if callable(data):
            data = data()
        return StudentFit(
            data.X,
            data.y,
            data.outputs,
            data.weight,
            alpha=self.alpha if distilled else 1.0,
            scale=len(data.y) / n_rows,
            labelled=data.is_labelled,
            n_jobs=self.n_jobs,
            check=data.check if distilled else None,
        )

    def _check_X(self, X):
        """Validate ``X`` for prediction once: names and width here, values in
        the student (NaN here only where the student would take it but the
        teacher could not have)."""
        if not hasattr(self, "student_"):  # check_is_fitted, minus its scan
            check_is_fitted(self)
        if self._refuse_nan or not (hasattr(X, "shape") and len(X.shape) == 2):
            # lists and 1-D input get scikit-learn's full check and message
            check_2d(X, allow_nan=not self._refuse_nan)
        _check_feature_names(self, X, reset=False)
        _check_n_features(self, X, reset=False)
        return X

    def export_student(self):
        """The fitted student as a plain scikit-learn estimator, ready to ship.

        It pickles and loads with scikit-learn alone, predicts what this
        estimator predicts, and carries the user's labels. See the
        :ref:`User Guide <deployment>`.

        Returns
        -------
        student : estimator
            A fitted copy of ``student_`` with the labels and the temperature
            folded in.
        """
        from sklearn_kd._export import export_student

        return export_student(self)

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        Please check :ref:`User Guide <metadata_routing>` on how the routing
        mechanism works.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            routing ``fit`` parameters to the teacher, the student and the
            ``cv`` splitter.
        """
        return (
            MetadataRouter(owner=self)
            .add(
                teacher=self._get_teacher(),
                method_mapping=MethodMapping().add(caller="fit", callee="fit"),
            )
            .add(
                student=self._get_student(),
                method_mapping=MethodMapping().add(caller="fit", callee="fit"),
            )
            .add(
                splitter=check_cv(self.cv),
                method_mapping=MethodMapping().add(caller="fit", callee="split"),
            )
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        teacher = self._get_teacher()
        members = (
            teacher.estimators if isinstance(teacher, TeacherEnsemble) else [teacher]
        )
        teacher_tags = [get_tags(member) for member in members]
        student_tags = get_tags(self._get_student())
        # the teacher and the student both see X: an input kind is accepted
        # only when both accept it
        tags.input_tags.allow_nan = student_tags.input_tags.allow_nan and all(
            t.input_tags.allow_nan for t in teacher_tags
        )
        # MUNGE and Gaussian transfer sets are drawn from dense rows
        dense_transfer = self.transfer not in (None, "auto") and not isinstance(
            self.transfer, UnlabeledTransfer
        )
        tags.input_tags.sparse = (
            not dense_transfer
            and student_tags.input_tags.sparse
            and all(t.input_tags.sparse for t in teacher_tags)
        )
        tags.input_tags.string = False
        return tags


class TrainingData:
    """Rows, targets, teacher outputs, weights, and which rows carry a label."""

    def __init__(self, X, y, outputs, weight, is_labelled, check=None):
        self.X, self.y, self.outputs = X, y, outputs
        self.weight, self.is_labelled = weight, is_labelled
        # teacher-labelled rows apart from the transfer set, if drawn
        self.check = check

    def subset(self, index):
        weight = None if self.weight is None else self.weight[index]
        return TrainingData(
            _safe_indexing(self.X, index),
            self.y[index],
            self.outputs[index],
            weight,
            self.is_labelled[index],
        )

    def labelled(self):
        """The rows that carry a label."""
        keep = self.is_labelled
        return self if keep.all() else self.subset(np.flatnonzero(keep))

    def extend(self, rows, dtype=None):
        """Add the unlabelled transfer rows ``rows`` (a ``TransferRows``);
        ``dtype`` as in :func:`~sklearn_kd._transfer.append_rows`."""
        n_new = len(rows.source)
        if n_new == 0:
            return TrainingData(
                self.X, self.y, self.outputs, self.weight, self.is_labelled, rows.check
            )
        weight = self.weight
        if weight is not None:
            weight = np.concatenate([weight, np.ones(n_new)])
        # unlabelled rows: -1 for encoded classes, NaN for regression targets
        filler = -1 if self.y.dtype.kind in "iu" else np.nan
        return TrainingData(
            append_rows(self.X, rows.X, dtype, rows.take),
            np.concatenate([self.y, np.full(n_new, filler, dtype=self.y.dtype)]),
            np.concatenate([self.outputs, rows.outputs]),
            weight,
            np.concatenate([self.is_labelled, np.zeros(n_new, dtype=bool)]),
            rows.check,
        )


class TransferRows:
    """Transfer rows of one fit, their teacher outputs and source rows.

    ``source[i]`` is the training row that transfer row ``i`` was drawn around,
    or ``-1`` for rows that belong to none (fixed unlabelled rows).
    ``take``, when given, selects the rows of ``X`` that belong to this set
    (:meth:`around`), so that a subset holds no copy of them until it is
    appended to the training rows. ``check``: the rows drawn apart from the
    set and their teacher outputs, where drawn (``_draw_check_rows``).
    """

    def __init__(self, X, outputs, source, take=None, check=None):
        self.X, self.outputs, self.source = X, outputs, source
        self.take, self.check = take, check

    def release(self):
        """Let go of the rows themselves (the outputs and sources stay), once
        the fits that need them have them: as float64 they are the largest
        array of a fit, and the students' own copies are float32."""
        self.X = None

    def around(self, rows):
        """The transfer rows drawn around ``rows``, and those of no row."""
        keep = np.flatnonzero((self.source < 0) | np.isin(self.source, rows))
        return TransferRows(
            self.X if len(keep) else None,
            self.outputs[keep] if len(keep) else None,
            self.source[keep],
            keep if self.take is None else self.take[keep],
            self.check,
        )


def _labelled(data, rows):
    """The labelled ones of ``data``'s ``rows``, copied."""
    return data.subset(rows).labelled()


def _fit_route(route, student, make_fit, fit_params):
    """``(route, student fitted by it)`` on the ``StudentFit`` that
    ``make_fit()`` builds."""
    return route, route.fit(student, make_fit(), fit_params)


def _label_rows(teacher, teacher_key, X_new, classes, n_jobs=None):
    """The fitted ``teacher``'s outputs on ``X_new``; ``teacher_key`` (what the
    teacher was fitted from) stands in for it in the cache key."""
    return teacher_output(teacher, X_new, classes, n_jobs)


def check_2d(X, allow_nan):
    """Refuse 1-D input (and NaN or inf unless allowed) without converting ``X``."""
    check_array(
        X,
        accept_sparse=True,
        dtype=None,
        ensure_all_finite="allow-nan" if allow_nan else True,
        ensure_min_samples=1,
    )


def take(X, mask):
    """The rows of ``X`` where ``mask`` is true, in the container of ``X``."""
    return _safe_indexing(X, np.flatnonzero(mask))


def _take_params(params, mask, n_samples):
    """Subset the per-row entries of ``params`` to the rows in ``mask``."""
    out = {}
    for key, value in params.items():
        if hasattr(value, "__len__") and len(value) == n_samples:
            value = take(value, mask)
        out[key] = value
    return out
