"""Student routes: how a student learns soft targets and reports probabilities.

Each route is one small object that owns the three things that differ between
kinds of students: how the student is fitted on soft targets, how its
probabilities are read in encoded class order, and how they are brought back
to temperature 1.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral
from typing import NamedTuple

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.multioutput import MultiOutputRegressor
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing, check_random_state, get_tags
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import has_fit_parameter

from sklearn_kd._pruning import prune_to_leaves
from sklearn_kd._soft_targets import (
    align_proba,
    mix_targets,
    normalize_rows,
    sharpen,
    soften,
)
from sklearn_kd._tree_transplant import (
    TREE_REGRESSORS,
    as_classifier,
    count_training_rows_only,
    leaf_values,
    member_proba,
    soften_leaves,
)

#: Regression students whose leaf sizes count training rows.
TREE_STUDENT_REGRESSORS = tuple(TREE_REGRESSORS.values())

#: Smallest soft target kept when rows are expanded into weighted copies.
#: Dropping the rest keeps the cost near ``n_samples * classes with mass``;
#: each row's kept targets are renormalised so no weight is lost.
MIN_TARGET = 1e-3


class StudentFit:
    """What a route needs to fit a student: rows, targets, teacher outputs, weights.

    ``y`` holds labels encoded as indices into ``classes_`` (``-1``: no
    label) or regression targets (NaN: none), ``teacher_outputs`` the
    teacher's temperature-1 probabilities or predictions, ``labelled`` which
    rows carry a target, and ``scale`` the number of rows per training row
    once transfer rows are in. ``n_jobs`` grows the candidates that a
    capacity-limited tree may be chosen among (see :func:`tree_plan`).
    ``check``, when drawn (see :meth:`TreeRoute.wants_check_rows`), holds
    rows apart from the transfer set and the teacher's probabilities on
    them: ``(X_check, teacher_proba_check)``.
    """

    def __init__(
        self,
        X,
        y,
        teacher_outputs,
        sample_weight,
        *,
        alpha,
        scale=1.0,
        labelled=None,
        n_jobs=None,
        check=None,
    ):
        self.X, self.y, self.teacher_outputs = X, y, teacher_outputs
        self.sample_weight, self.alpha, self.scale = sample_weight, alpha, scale
        self.labelled = np.asarray(y) >= 0 if labelled is None else labelled
        self.n_jobs, self.check = n_jobs, check

    @property
    def teacher_proba(self):
        return self.teacher_outputs

    @property
    def n_training_rows(self):
        """Rows that came from the user's ``X``; they come first, the
        transfer rows after them."""
        return round(len(self.y) / self.scale)


class _Route:
    """Base route: the student's own probabilities, sharpened back when distilled."""

    name = None
    #: Whether two fits by this route may run at once in threads: only for
    #: scikit-learn trees and forests, which release the GIL and draw from
    #: their own ``random_state``. Other students may seed a global
    #: generator (skorch nets seed torch's) or hold the GIL.
    fits_side_by_side = False
    #: The dtype the student fits dense rows as, if it converts them: the
    #: rows with the transfer set are then built in it, not copied twice.
    dense_dtype = None
    #: Whether a fitted student's probabilities can be softened in place
    #: (``member_proba`` and ``soften_leaves``): trees and forests only.
    softens_leaves = False

    def __init__(self, temperature):
        self.temperature = temperature
        # the temperature the last fit used (trees resolve "auto" per fit)
        self.fitted_temperature = temperature

    def wants_check_rows(self, student):
        """Whether fitting ``student`` may use teacher-labelled rows drawn
        apart from its transfer set (``StudentFit.check``)."""
        return False

    def fit(self, student, data, fit_params):  # pragma: no cover - abstract
        raise NotImplementedError

    def raw_proba(self, student, X, n_classes):
        """The student's probabilities at its training temperature."""
        proba = np.asarray(student.predict_proba(X), dtype=np.float64)
        return align_proba(proba, student.classes_, np.arange(n_classes))

    def proba(self, student, X, n_classes, distilled):
        """Temperature-1 probabilities in encoded class order."""
        proba = self.raw_proba(student, X, n_classes)
        if distilled and self.temperature != 1.0:
            proba = sharpen(proba, self.temperature)
        return proba

    def predict_index(self, student, X, n_classes):
        """Encoded predictions; sharpening keeps the argmax, so it is skipped
        (an extreme temperature would otherwise round the winner away)."""
        return np.argmax(self.raw_proba(student, X, n_classes), axis=1)

    def targets(self, data):
        """``alpha * onehot(y) + (1 - alpha) * q`` with ``q`` at the temperature."""
        soft = soften(data.teacher_proba, self.temperature)
        return mix_targets(data.y, soft, data.alpha)


class NativeRoute(_Route):
    """A student with ``fit_distill``: it gets labels and probabilities itself."""

    name = "native"

    def fit(self, student, data, fit_params):
        return clone(student).fit_distill(
            data.X,
            data.y,
            data.teacher_proba,
            temperature=self.temperature,
            alpha=data.alpha,
            sample_weight=data.sample_weight,
            **fit_params,
        )

    def raw_proba(self, student, X, n_classes):
        # float32 networks return rows that sum to one only up to rounding
        return normalize_rows(super().raw_proba(student, X, n_classes))

    def proba(self, student, X, n_classes, distilled):
        # native students report temperature-1 probabilities themselves
        return self.raw_proba(student, X, n_classes)


class TreeRoute(_Route):
    """A tree or forest, grown as a regression tree on the target vectors.

    Splits are chosen on the targets at the temperature; each leaf then holds
    the mean temperature-1 target of its rows, so the student reports
    temperature-1 probabilities itself, and a forest averages them.

    With ``temperature="auto"`` and transfer rows, the targets follow the
    student's capacity (see :func:`tree_plan`).
    """

    name = "tree_regression"
    fits_side_by_side = True
    dense_dtype = np.float32  # scikit-learn's trees split float32 values
    softens_leaves = True

    def wants_check_rows(self, student):
        """A single tree whose depth allows too many leaves for the search
        may weigh two recipes against each other on check rows (see
        :func:`tree_plan`)."""
        return (
            self.temperature == "auto"
            and "n_estimators" not in student.get_params()
            and SEARCH_MAX_LEAVES < _leaf_budget(student) < np.inf
        )

    def fit(self, student, data, fit_params):
        plan = tree_plan(student, self.temperature, data)
        plans = [plan]
        if plan.rival is not None and data.check is not None:
            plans.append(plan.rival)
        n_jobs = min(len(plans), effective_n_jobs(data.n_jobs))
        grown = Parallel(n_jobs=n_jobs, prefer="threads")(
            delayed(self._grow)(student, data, each, fit_params) for each in plans
        )
        chosen = 0
        if len(plans) > 1:
            chosen = _most_faithful_on_check(grown, data.check)
        self.fitted_temperature = plans[chosen].temperature
        return grown[chosen]

    def _grow(self, student, data, plan, fit_params):
        """The student grown by ``plan`` (a :class:`TreePlan`)."""
        student = clone(student)
        if plan.no_bootstrap:
            # the transfer rows make each tree's data; bootstrapping them
            # would only thin it, and the fitted forest says so
            student.set_params(bootstrap=False, max_samples=None)
        params, sample_weight = self._regressor_params(student, data, plan.leaf_scale)
        if plan.real_weight != 1.0:
            weight = np.where(
                np.arange(len(data.y)) < data.n_training_rows, plan.real_weight, 1.0
            )
            sample_weight = weight if sample_weight is None else weight * sample_weight
        targets = _Route(max(plan.temperature, HARD_TEMPERATURE)).targets(data)
        grower = _Grower(
            TREE_REGRESSORS[type(student)],
            data.X,
            targets,
            sample_weight,
            None if plan.temperature == 1.0 else _Route(1.0).targets(data),
            fit_params,
        )
        regressor, values = grower.grow(params)
        if plan.candidates:
            regressor, values = _most_faithful(
                grower, (regressor, values), params, data, plan.candidates
            )
        if plan.no_bootstrap:
            count_training_rows_only(regressor, data.n_training_rows)
        return as_classifier(regressor, student, targets.shape[1], values)

    @staticmethod
    def _regressor_params(student, data, leaf_scale):
        """The twin regressor's parameters, and the weights ``class_weight`` implies.

        Integer ``min_samples_leaf`` and ``min_samples_split`` are multiplied
        by ``leaf_scale`` (see :func:`tree_plan`), so that they count training
        rows rather than rows of the transfer set. Without this, a forest of
        unlimited depth grows one leaf per transfer row and ends up as large
        as its teacher.
        """
        params = {**student.get_params(), **_scaled_leaf_params(student, leaf_scale)}
        class_weight = params.pop("class_weight", None)
        params["criterion"] = "squared_error"
        if "oob_score" in params:
            params["oob_score"] = False
        sample_weight = data.sample_weight
        if class_weight is not None:
            labelled = data.y >= 0
            weight = np.ones(len(data.y))
            weight[labelled] = compute_sample_weight(class_weight, data.y[labelled])
            sample_weight = weight if sample_weight is None else weight * sample_weight
        return params, sample_weight

    def proba(self, student, X, n_classes, distilled):
        return self.raw_proba(student, X, n_classes)

    def predict_index(self, student, X, n_classes):
        # the student's classes are the encoded labels, and a tree's predict
        # is the argmax of its probabilities without their normalisation
        return student.predict(X)

    @staticmethod
    def member_proba(student, X):
        """Each tree's probabilities (one array for a single tree)."""
        return member_proba(student, X)

    @staticmethod
    def soften_leaves(student, temperature):
        """Soften every leaf of the fitted student at ``temperature``."""
        return soften_leaves(student, temperature)


class _Grower:
    """Grows a regression tree (or forest) on fixed rows and targets, with
    leaves holding the temperature-1 targets ``calibrated`` (kept as grown
    where None)."""

    def __init__(self, regressor_class, X, targets, sample_weight, calibrated, params):
        self.regressor_class, self.X, self.targets = regressor_class, X, targets
        self.sample_weight, self.calibrated = sample_weight, calibrated
        self.fit_params = params

    def reweighted(self, n_training_rows, factor):
        """This grower with the first ``n_training_rows`` rows' weights
        multiplied by ``factor``."""
        weight = self.sample_weight
        if weight is None:
            weight = np.ones(len(self.targets))
        weight = weight.copy()
        weight[:n_training_rows] *= factor
        return _Grower(
            self.regressor_class,
            self.X,
            self.targets,
            weight,
            self.calibrated,
            self.fit_params,
        )

    def grow(self, params, max_leaves=None):
        """The fitted regressor with ``params``, pruned to ``max_leaves``
        leaves where given, and its leaf values."""
        regressor = self.regressor_class(**params).fit(
            self.X, self.targets, sample_weight=self.sample_weight, **self.fit_params
        )
        if max_leaves is not None:
            prune_to_leaves(regressor, max_leaves)
        if self.calibrated is None:
            return regressor, None
        values = leaf_values(regressor, self.X, self.calibrated, self.sample_weight)
        return regressor, values


#: Randomised candidates a capacity-limited tree is grown as, besides the
#: plain one (see :func:`tree_plan`).
SEARCH_CANDIDATES = 8
#: Most rows all the random-feature candidates together are grown on: the
#: search grows fewer of them on larger data, and none beyond this many rows.
#: The pruned and lighter candidates (at most seven) come on top.
SEARCH_ROWS = 1_500_000
#: Largest tree, in leaves its limits allow, that the search grows candidates
#: for: in a small tree one split near the root decides much of what it can
#: represent, and each candidate is cheap; a depth-12 tree gained nothing
#: measurable from the search (``benchmarks/experiments/FINDINGS.md``).
SEARCH_MAX_LEAVES = 256
#: Rows per training row, drawn apart from the transfer set and labelled by
#: the teacher, on which a tree too large for the search weighs learning the
#: teacher's decisions against learning its probabilities (see
#: :func:`tree_plan`).
CHECK_SIZE = 4
#: Share of the features a randomised candidate may choose each split among,
#: unless the student sets its own ``max_features``.
SEARCH_MAX_FEATURES = 0.8
#: A tree with ``max_leaf_nodes`` is also grown to this many times its leaf
#: budget and pruned back to it (:func:`~sklearn_kd._pruning.prune_to_leaves`).
PRUNED_FROM = 4
#: Random-feature candidates (the first ones) grown again with lighter
#: training rows, besides the plain tree (see :func:`lighter_real_weights`).
LIGHTER_RANDOMISED = 2


def _most_faithful(grower, plain, params, data, n_candidates):
    """Of the search's candidates (:func:`search_candidates`), the one whose
    decisions agree with the teacher's on the most rows, each row weighing
    what it weighs in growth (the plain tree on ties).

    Greedy growth commits to the best split at each node; a tree that must
    stay small can do better with another split near the root, which no
    greedy rule finds, or with a split that pays only through the splits
    below it, which best-first growth never reaches within its budget but
    pruning keeps. The teacher's decisions score the candidates without
    touching the labels. They are weighed as the plain tree was grown, so a
    candidate grown with lighter training rows must earn its place on the
    same terms as the others rather than on the transfer rows it was grown
    to favour.
    """
    candidates = search_candidates(grower, plain, params, data, n_candidates)
    decisions = np.argmax(data.teacher_proba, axis=1)
    weight = grower.sample_weight
    if weight is None:
        weight = np.ones(len(decisions))
    agreement = [
        np.dot(weight, np.argmax(values[tree.apply(data.X)], axis=1) == decisions)
        for tree, values in candidates
    ]
    return candidates[int(np.argmax(agreement))]


def search_candidates(grower, plain, params, data, n_candidates):
    """``plain`` (a grown tree and its leaf values) followed by the trees the
    fidelity search chooses among.

    - ``n_candidates`` trees grown with random feature subsets;
    - a tree whose ``max_leaf_nodes`` binds (its ``max_depth``, if any,
      would allow more leaves): the plain tree grown to ``PRUNED_FROM``
      times its budget, then pruned back to it;
    - for each of :func:`lighter_real_weights`: the plain tree and the first
      ``LIGHTER_RANDOMISED`` random-feature ones, grown again with each
      training row weighing that many transfer rows instead of
      ``data.scale``.
    """
    rng = check_random_state(params.get("random_state"))
    seeds = rng.randint(np.iinfo(np.int32).max, size=n_candidates)
    max_features = params.get("max_features")
    if max_features is None:
        max_features = SEARCH_MAX_FEATURES
    randomised = [
        dict(params, random_state=seed, max_features=max_features) for seed in seeds
    ]
    grown = [(grower, randomised_params, None) for randomised_params in randomised]
    budget = params.get("max_leaf_nodes")
    # where the depth allows no more leaves than the budget, pruning a larger
    # tree would only regrow the plain one
    if budget is not None and _depth_leaves(params.get("max_depth")) > budget:
        grown.append(
            (grower, dict(params, max_leaf_nodes=PRUNED_FROM * budget), budget)
        )
    for real_weight in lighter_real_weights(data.scale):
        lighter = grower.reweighted(data.n_training_rows, real_weight / data.scale)
        grown += [
            (lighter, lighter_params, None)
            for lighter_params in [params, *randomised[:LIGHTER_RANDOMISED]]
        ]
    varied = Parallel(n_jobs=data.n_jobs, prefer="threads")(
        delayed(candidate_grower.grow)(grown_params, max_leaves)
        for candidate_grower, grown_params, max_leaves in grown
    )
    return [plain, *varied]


def lighter_real_weights(scale):
    """The lighter weights a training row gets in the search's reweighted
    candidates, in transfer rows: 1 (every row alike) and ``sqrt(scale)``,
    halfway between that and ``scale`` on a log scale; only those below
    ``scale``.

    A training row weighs ``scale`` in the plain tree so that the few splits
    a small tree has go where the data are; that also ties the splits to the
    training rows the teacher has fitted. Lighter rows let the transfer rows,
    which show the teacher's function between the training rows, move the
    splits; which balance pays depends on the data, so the search tries
    both and the teacher's decisions choose.
    """
    weights = {1.0, float(round(np.sqrt(scale)))}
    return sorted(weight for weight in weights if weight < scale)


def _most_faithful_on_check(students, check):
    """Index of the fitted tree student whose decisions agree with the
    teacher's on the most check rows (the first on ties)."""
    X_check, teacher_proba = check
    decisions = np.argmax(teacher_proba, axis=1)
    agreement = [np.mean(student.predict(X_check) == decisions) for student in students]
    return int(np.argmax(agreement))


class SampleWeightRoute(_Route):
    """A classifier with ``sample_weight``: one weighted copy per (row, class).

    The weighted copies give exactly the soft cross-entropy for log-loss
    models. Targets below ``MIN_TARGET`` are dropped and the rest renormalised.
    """

    name = "sample_weight"

    def fit(self, student, data, fit_params):
        student = clone(student)
        targets = self.targets(data)
        n_samples = len(targets)
        rows, cols = np.nonzero(targets >= MIN_TARGET)
        kept = targets[rows, cols]
        # renormalise what was kept so every row still weighs its sample weight
        kept = kept / np.bincount(rows, weights=kept, minlength=n_samples)[rows]
        if data.sample_weight is not None:
            kept = kept * np.asarray(data.sample_weight, dtype=np.float64)[rows]
        params = {**fit_params, sample_weight_key(student): kept}
        try:
            # indexing with the row numbers copies only the (row, class) pairs kept
            return student.fit(_safe_indexing(data.X, rows), cols, **params)
        except ValueError as exc:
            if len(np.unique(cols)) > 1:
                raise
            raise ValueError(
                "The student's targets hold a single class (encoded class "
                f"{int(cols[0])}): the teacher gives it to every row and "
                f"alpha={data.alpha} leaves the labels too little weight, and "
                f"{type(student).__name__} cannot learn one class. Raise alpha or "
                "use a teacher that separates the classes."
            ) from exc


class RegressionRoute(_Route):
    """A regressor fitted on the target probabilities (positive class if binary)."""

    name = "regression"

    def fit(self, student, data, fit_params):
        student = clone(student)
        targets = self.targets(data)
        if targets.shape[1] == 2:
            regression_targets = targets[:, 1]
        else:
            regression_targets = targets
            if not get_tags(student).target_tags.multi_output:
                student = MultiOutputRegressor(student)
        params = dict(fit_params)
        if data.sample_weight is not None:
            params["sample_weight"] = data.sample_weight
        return student.fit(data.X, regression_targets, **params)

    def raw_proba(self, student, X, n_classes):
        pred = np.asarray(student.predict(X), dtype=np.float64)
        if pred.ndim == 1:
            pred = np.clip(pred, 0.0, 1.0)
            pred = np.column_stack([1.0 - pred, pred])
        return normalize_rows(pred)


class TargetRoute:
    """A regression student, fitted on ``alpha * y + (1 - alpha) * teacher(x)``.

    Rows without a target (transfer rows) learn the teacher's prediction
    alone. Tree and forest students count integer ``min_samples_leaf`` and
    ``min_samples_split`` in training rows, as for classifiers.
    """

    def __init__(self, student):
        self.name = "tree" if type(student) in TREE_STUDENT_REGRESSORS else "regressor"

    # as for classifiers (see _Route): trees and forests only
    @property
    def fits_side_by_side(self):
        return self.name == "tree"

    @property
    def dense_dtype(self):
        return np.float32 if self.name == "tree" else None

    def wants_check_rows(self, student):
        """Regression students take no check rows."""
        return False

    def fit(self, student, data, fit_params):
        student = clone(student)
        if self.name == "tree" and data.scale > 1:
            student.set_params(**_scaled_leaf_params(student, data.scale))
        targets = np.asarray(data.teacher_outputs, dtype=np.float64).copy()
        labelled = data.labelled
        targets[labelled] = (
            data.alpha * data.y[labelled] + (1 - data.alpha) * (targets[labelled])
        )
        params = dict(fit_params)
        if data.sample_weight is not None:
            key = sample_weight_key(student)
            if key is None:
                raise TypeError(
                    f"student={student!r} does not accept sample_weight in fit, "
                    "but sample weights were given."
                )
            params[key] = data.sample_weight
        return student.fit(data.X, targets, **params)

    @staticmethod
    def predict(student, X):
        return student.predict(X)


def _scaled_leaf_params(student, scale):
    """Integer leaf and split sizes of ``student`` multiplied by ``scale``."""
    params = student.get_params()
    scaled = {}
    for key, smallest in (("min_samples_leaf", 1), ("min_samples_split", 2)):
        value = params.get(key)
        if isinstance(value, Integral) and scale > 1:
            scaled[key] = max(smallest, round(value * scale))
    return scaled


#: The temperature that stands for the teacher's decisions (argmax, ties
#: shared); ``temperature_`` reports it as 0.
HARD_TEMPERATURE = 1e-12


def _size_limits(student):
    """The tree's ``(max_leaf_nodes, max_depth)``; None where not set."""
    params = student.get_params()
    return params.get("max_leaf_nodes"), params.get("max_depth")


def _depth_leaves(max_depth):
    """Most leaves ``max_depth`` allows (infinite for None), in Python's
    integers: ``2 ** numpy.int64(64)`` wraps to 0."""
    return np.inf if max_depth is None else 2 ** int(max_depth)


def _leaf_budget(student):
    """Most leaves the tree's ``max_leaf_nodes`` and ``max_depth`` allow."""
    max_leaves, max_depth = _size_limits(student)
    return min(np.inf if max_leaves is None else max_leaves, _depth_leaves(max_depth))


def capacity_limited(student, data):
    """Whether the tree's size limit binds on the training rows' labels alone.

    A copy of ``student`` is grown on the labelled training rows (a cheap fit:
    no transfer rows). If it reaches its ``max_leaf_nodes`` or ``max_depth``,
    the tree cannot even represent what the labels ask for, let alone the
    teacher's finer function, and must choose which boundaries to draw.
    """
    max_leaves, max_depth = _size_limits(student)
    rows = np.flatnonzero(data.labelled[: data.n_training_rows])
    if (max_leaves is None and max_depth is None) or len(rows) == 0:
        return False
    # on large data, a probe on evenly spaced rows settles most cases: a tree
    # that reaches its limit on fewer rows reaches it on all of them
    if len(rows) > PROBE_ROWS and _reaches_limit(
        student, data, rows[:: -(-len(rows) // PROBE_ROWS)]
    ):
        return True
    return _reaches_limit(student, data, rows)


#: Most training rows of the first, cheap capacity probe (see
#: :func:`capacity_limited`).
PROBE_ROWS = 20_000


def _reaches_limit(student, data, rows):
    """Whether a copy of ``student`` grown on labelled ``rows`` reaches its
    ``max_leaf_nodes`` or ``max_depth``."""
    max_leaves, max_depth = _size_limits(student)
    weight = None if data.sample_weight is None else data.sample_weight[rows]
    probe = clone(student).fit(
        _safe_indexing(data.X, rows), data.y[rows], sample_weight=weight
    )
    return (max_leaves is not None and probe.get_n_leaves() >= max_leaves) or (
        max_depth is not None and probe.get_depth() >= max_depth
    )


class TreePlan(NamedTuple):
    """How a tree student learns: see :func:`tree_plan`."""

    temperature: float
    real_weight: float
    no_bootstrap: bool
    leaf_scale: float
    candidates: int = 0
    #: Another plan to grow beside this one when check rows were drawn;
    #: the tree more faithful to the teacher on them is kept.
    rival: "TreePlan | None" = None


def tree_plan(student, temperature, data):
    """How a tree or forest student learns from ``data``, as a :class:`TreePlan`.

    ``leaf_scale`` multiplies integer ``min_samples_leaf`` and
    ``min_samples_split``: by default ``data.scale``, the rows per training
    row, so leaf sizes count training rows. A number as ``temperature`` is
    used as it is. ``"auto"``, where transfer rows were drawn:

    - a forest learns the teacher's decisions (temperature 0) without
      bootstrap, its trees told apart by their feature draws; trees without
      a size limit grow leaves of ``sqrt(scale)`` times their leaf size, as
      below;
    - a capacity-limited tree (:func:`capacity_limited`) learns the teacher's
      decisions too, and each training row weighs as much as the transfer
      rows drawn for it, so the few splits it has go where the data are.
      Then ``candidates`` more trees are grown, each
      choosing its splits among random feature subsets (and, for a tree
      whose tighter limit is ``max_leaf_nodes``, one grown larger and pruned
      back to its budget, and some grown with lighter training rows; see
      :func:`search_candidates`), and the one most faithful to the
      teacher's decisions is kept
      (``SEARCH_CANDIDATES`` random-feature ones, fewer where they would
      together grow on more than ``SEARCH_ROWS`` rows, no search for trees
      that may grow more than ``SEARCH_MAX_LEAVES`` leaves). A tree that may
      grow more has a ``rival`` plan instead, the unlimited tree's below:
      where ``data.check`` holds rows drawn apart from the transfer set, both
      are grown and the tree more faithful to the teacher's decisions there
      is kept. The distiller draws them only when the teacher's targets on
      the training rows are in-sample: a boosting model's mostly repeat the
      labels, so weighing the training rows heavily mostly teaches the
      labels, and the rival usually wins; where the tree's limit binds hard
      (26 classes at depth 12), the decisions win;
    - a tree without any size limit learns the teacher's probabilities
      (temperature 1) in leaves of ``sqrt(scale)`` times its leaf size, not
      ``scale`` times: the transfer rows are there to resolve the teacher's
      function more finely than the training rows alone could;
    - any other tree learns the teacher's probabilities.

    Leaves always hold temperature-1 targets, so probabilities stay
    calibrated whatever the splits learnt.
    """
    if temperature != "auto":
        return TreePlan(float(temperature), 1.0, False, data.scale)
    if data.scale <= 1:  # no transfer rows
        return TreePlan(1.0, 1.0, False, data.scale)
    sqrt_scale = max(1.0, round(np.sqrt(data.scale)))
    unlimited = _size_limits(student) == (None, None)
    finer = sqrt_scale if unlimited else data.scale
    if "n_estimators" in student.get_params():  # a forest
        return TreePlan(0.0, 1.0, True, finer)
    if capacity_limited(student, data):
        candidates, rival = 0, None
        if _leaf_budget(student) <= SEARCH_MAX_LEAVES:
            candidates = min(SEARCH_CANDIDATES, SEARCH_ROWS // len(data.y))
        else:
            # the unlimited tree's recipe, in the leaves its limits allow
            rival = TreePlan(1.0, 1.0, False, sqrt_scale)
        return TreePlan(0.0, float(data.scale), False, data.scale, candidates, rival)
    return TreePlan(1.0, 1.0, False, finer)


ROUTES = (NativeRoute, TreeRoute, SampleWeightRoute, RegressionRoute)


def student_route(student, temperature=1.0):
    """The route by which ``student`` learns soft targets; the first that applies.

    - ``"native"``: the student has ``fit_distill`` (see the protocol in
      :class:`~sklearn_kd.DistilledClassifier`).
    - ``"tree_regression"``: a scikit-learn tree or forest of trees.
    - ``"sample_weight"``: a classifier with ``predict_proba`` whose ``fit``
      takes ``sample_weight``.
    - ``"regression"``: a regressor fitted on the target probabilities.

    Raises a ``TypeError`` that says what would work when none applies.
    """
    if type(student) in TREE_REGRESSORS:
        return TreeRoute(temperature)
    # "auto" means temperature 1 for every student but trees
    temperature = 1.0 if temperature == "auto" else temperature
    if callable(getattr(student, "fit_distill", None)):
        return NativeRoute(temperature)
    if is_classifier(student) and sample_weight_key(student) is not None:
        if not hasattr(student, "predict_proba"):
            raise TypeError(
                f"student={student!r} has no predict_proba, so it cannot report "
                "class probabilities. Use a probabilistic classifier "
                "(LogisticRegression, SVC(probability=True)), or wrap this one in "
                "sklearn.calibration.CalibratedClassifierCV."
            )
        return SampleWeightRoute(temperature)
    if is_regressor(student):
        return RegressionRoute(temperature)
    raise TypeError(
        f"student={student!r} cannot learn soft targets. Use a student with a "
        "fit_distill method (sklearn_kd's native protocol), a classifier with "
        "predict_proba whose fit accepts sample_weight, or a regressor."
    )


def sample_weight_key(student):
    """The ``fit`` keyword that carries sample weights to ``student``, if any."""
    if isinstance(student, Pipeline):
        name, last = student.steps[-1]
        if last is not None and last != "passthrough":
            if has_fit_parameter(last, "sample_weight"):
                return f"{name}__sample_weight"
        return None
    return "sample_weight" if has_fit_parameter(student, "sample_weight") else None
