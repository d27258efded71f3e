"""Transfer sets: extra rows that the teacher labels for the student to learn."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import inspect
import os
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.cluster import MiniBatchKMeans
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils.validation import check_array

from sklearn_kd._compat import Interval, StrOptions

#: An integer column with at most this many distinct values is categorical
#: under ``categorical_features="auto"``. Integer measurements with more levels
#: (letter's 16-level features) are perturbed as numbers: treated as
#: categories, MUNGE students of a forest lost a point of accuracy on letter.
MAX_AUTO_CATEGORIES = 10


#: Most cells a sampler's full-size intermediate arrays hold at once. The
#: draws are made a chunk of rows at a time, in the order a single draw would
#: make them, so the rows do not depend on the chunking; what does is the peak
#: memory, which stays near the size of the new rows themselves instead of
#: four or five times it.
CHUNK_CELLS = 1_000_000


def _row_chunks(shape):
    """Slices of consecutive rows of an array of ``shape`` (rows, columns), each
    of at most ``CHUNK_CELLS`` cells (and at least one row)."""
    n_rows, n_columns = shape
    step = max(1, CHUNK_CELLS // max(n_columns, 1))
    return [slice(start, min(start + step, n_rows)) for start in range(0, n_rows, step)]


def labelled_mask(transfer, y):
    """Rows of ``y`` that carry a label; ``-1`` marks the others.

    The ``-1`` convention of scikit-learn's semi-supervised estimators is
    honoured only when asked for with ``UnlabeledTransfer()``, because ``-1``
    is an ordinary label in many data sets (classes {-1, 1}).
    """
    y = np.asarray(y)
    if isinstance(transfer, UnlabeledTransfer) and transfer.X is None:
        if y.dtype.kind in "iuf":
            return y != -1
        return np.asarray([label != -1 and label != "-1" for label in y.tolist()])
    return np.ones(len(y), dtype=bool)


#: Most cells (rows x columns) that ``transfer="auto"`` draws: 20 million
#: float64 values, 160 MB, so wide data gets fewer rows, not more memory.
AUTO_MAX_CELLS = 20_000_000

#: Transfer rows per training row that ``transfer="auto"`` draws.
AUTO_SIZE = 16.0

#: Student routes for which ``transfer="auto"`` draws rows: trees and forests.
TREE_ROUTES = ("tree_regression", "tree")

#: Most rows that ``transfer="auto"`` draws, whatever the data's width.
AUTO_MAX_SAMPLES = 200_000


def resolve_transfer(transfer, route_name, X, alpha, size=AUTO_SIZE, n_jobs=None):
    """The sampler behind ``transfer="auto"`` (see ``DistilledClassifier``).

    Warns when ``"auto"`` would draw rows for this student but cannot, because
    ``X`` is sparse, holds NaN or is not numeric: the student then learns from
    the training rows alone, which gains much less.
    """
    if transfer != "auto":
        return transfer
    if route_name not in TREE_ROUTES or alpha == 1:
        return None
    reason, n_features = None, 1
    if sp.issparse(X):
        reason = "X is sparse"
    else:
        try:
            n_features = check_array(X, dtype=np.float64).shape[1]
        except (TypeError, ValueError) as exc:
            reason = "X holds NaN or infinity" if "NaN" in str(exc) else None
            reason = reason or "X is not all numeric"
    if reason is not None:
        warnings.warn(
            f"transfer='auto' draws no transfer rows because {reason}; the "
            "student learns from the training rows alone, which gains much less. "
            "Impute or encode X, or pass transfer=UnlabeledTransfer(X_extra).",
            UserWarning,
            stacklevel=4,
        )
        return None
    max_samples = max(1, min(AUTO_MAX_SAMPLES, AUTO_MAX_CELLS // n_features))
    return MungeTransfer(size=size, max_samples=max_samples, n_jobs=n_jobs)


def draw_transfer(transfer, X, y, random_state):
    """Transfer rows around the labelled rows ``X``, each with its source row.

    Returns ``(X_new, source)``: ``source[i]`` is the row of ``X`` that row
    ``i`` was drawn around, or ``-1`` for rows that belong to no training row
    (fixed unlabelled rows, or a sampler that does not say). The draw is made
    once per fit, so caps such as ``max_samples`` hold for the whole fit.
    """
    if transfer is None:
        return None, np.empty(0, dtype=np.intp)
    if "return_source" in inspect.signature(transfer.generate).parameters:
        X_new, source = transfer.generate(
            X, y, random_state=random_state, return_source=True
        )
    else:  # a user's sampler following the plain protocol
        X_new = transfer.generate(X, y, random_state=random_state)
        if not hasattr(X_new, "shape"):  # a list of rows
            X_new = check_array(X_new, dtype=None, ensure_all_finite="allow-nan")
        source = np.full(X_new.shape[0], -1, dtype=np.intp)
    return X_new, np.asarray(source, dtype=np.intp)


def _check_memory(n_new, n_features, param):
    """Refuse a draw whose rows alone would not fit in half the memory."""
    needed = 8 * n_new * n_features
    try:
        available = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not POSIX: cannot tell
        return
    if needed > available // 2:
        raise ValueError(
            f"{param} asks for {n_new:,} transfer rows of {n_features} columns "
            f"({needed / 2**30:,.1f} GiB), more than half of this machine's "
            f"memory ({available / 2**30:,.1f} GiB). Lower size or set "
            "max_samples."
        )


def append_rows(X, X_new, dtype=None, take=None):
    """``X`` with the rows of ``X_new`` below, in the container type of ``X``.

    ``dtype``, for a dense array ``X``: the result's, when the student would
    convert it anyway (trees fit on float32); the rows are cast while they
    are copied, with no full-size intermediate.

    ``take``: indices of the rows of ``X_new`` to append (all when None). For
    a dense ``X`` they are copied a chunk at a time (and made dense if
    ``X_new`` is sparse), so that no full-size copy of the selected rows is
    made on the way.
    """
    if hasattr(X, "iloc"):
        import pandas as pd

        X_new = X_new if take is None else _safe_indexing(X_new, take)
        new = pd.DataFrame(np.asarray(X_new), columns=X.columns).astype(X.dtypes)
        return pd.concat([X, new], ignore_index=True)
    if sp.issparse(X):
        X_new = X_new if take is None else _safe_indexing(X_new, take)
        return sp.vstack([X, sp.csr_matrix(X_new)], format=X.format)
    X = np.asarray(X)
    if take is None:
        take = np.arange(X_new.shape[0])
    # the conversion the student would make (object columns of numbers too)
    rows = np.empty((X.shape[0] + len(take), X.shape[1]), dtype=dtype or X.dtype)
    rows[: X.shape[0]] = X.astype(rows.dtype, casting="unsafe", copy=False)
    below = rows[X.shape[0] :]
    for chunk in _row_chunks(below.shape):
        part = _safe_indexing(X_new, take[chunk])
        if sp.issparse(part):  # unlabelled rows given sparse, training rows dense
            part = part.toarray()
        below[chunk] = np.asarray(part, dtype=X.dtype)
    return rows


class _BaseTransfer(BaseEstimator):
    """Common plumbing of the transfer samplers.

    A transfer sampler is any object with a ``generate(X, y, *, random_state)``
    method that returns new rows (an array of shape ``(n_new, n_features)``)
    for the teacher to label; ``get_params``/``set_params`` make it
    grid-searchable as ``transfer__<param>``. ``X`` and ``y`` are the labelled
    training rows.
    """

    def _n_new(self, X):
        n_new = round(self.size * X.shape[0])
        if self.max_samples is not None:
            n_new = min(n_new, self.max_samples)
        _check_memory(
            int(n_new),
            X.shape[1],
            f"{type(self).__name__}(size={self.size}, max_samples={self.max_samples})",
        )
        return int(n_new)

    @staticmethod
    def _output(X_new, base, return_source):
        return (X_new, base) if return_source else X_new

    def _column_kinds(self, X):
        """Boolean masks (categorical, integer) over the columns of ``X``."""
        n_features = X.shape[1]
        integer = np.all(np.equal(np.mod(X, 1), 0), axis=0)
        if isinstance(self.categorical_features, str):  # "auto"
            n_unique = np.array([len(np.unique(X[:, j])) for j in range(n_features)])
            categorical = integer & (n_unique <= MAX_AUTO_CATEGORIES)
        else:
            categorical = np.zeros(n_features, dtype=bool)
            selected = np.asarray(self.categorical_features)
            if selected.dtype == bool:
                if selected.shape != (n_features,):
                    raise ValueError(
                        "categorical_features as a boolean mask needs one entry "
                        f"per column ({n_features}); got {selected.shape[0]}."
                    )
                categorical = selected.copy()
            elif selected.size:
                if selected.min() < 0 or selected.max() >= n_features:
                    raise ValueError(
                        "categorical_features holds column indices outside "
                        f"[0, {n_features}); got {selected.tolist()}."
                    )
                categorical[selected] = True
        return categorical, integer

    @staticmethod
    def _swap_categories(X_new, X, categorical, swap_proba, rng):
        """Replace each categorical value of ``X_new``, with probability
        ``swap_proba``, by a random training row's, in place.

        Without them MUNGE only mixes a row's categories with its nearest
        neighbour's, which mostly shares them; the swaps also show the
        teacher combinations of categories that lie far from any training row.
        """
        columns = np.flatnonzero(categorical)
        if columns.size == 0 or swap_proba == 0:
            return X_new
        n_new = X_new.shape[0]
        swap = rng.random_sample((n_new, columns.size)) < swap_proba
        donors = X[rng.randint(X.shape[0], size=n_new)[:, np.newaxis], columns]
        X_new[:, columns] = np.where(swap, donors, X_new[:, columns])
        return X_new

    @staticmethod
    def _finish(X_new, X, integer):
        """Keep synthetic values inside the observed range and integer columns
        whole, in place (``X_new`` is the sampler's own copy)."""
        X_new[:, integer] = np.round(X_new[:, integer])
        return np.clip(X_new, X.min(axis=0), X.max(axis=0), out=X_new)


class GaussianTransfer(_BaseTransfer):
    """Transfer rows drawn as Gaussian noise around training rows.

    Each new row copies a random training row; continuous columns get noise of
    standard deviation ``scale`` times the column's standard deviation,
    integer columns are rounded, categorical columns take another row's value
    with probability ``swap_proba``, and every value is clipped to the range
    seen in training.

    Read more in the :ref:`User Guide <transfer_sets>`.

    Parameters
    ----------
    size : float, default=16.0
        Number of new rows as a multiple of the number of training rows.

    max_samples : int or None, default=None
        Most new rows drawn, whatever ``size`` says; bounds the cost on large
        data sets.

    scale : float, default=0.1
        Noise standard deviation, in units of each column's standard deviation.

    swap_proba : float, default=0.1
        Probability that a categorical value is replaced by the value of
        another random training row.

    categorical_features : "auto", array-like of int or bool, default="auto"
        Columns holding category codes. ``"auto"``: integer-valued columns
        with at most 10 distinct values.

    See Also
    --------
    MungeTransfer : Perturbs rows toward their nearest neighbour.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_kd import GaussianTransfer
    >>> X = np.array([[0.0, 1], [1.0, 0], [2.0, 1]])
    >>> GaussianTransfer(size=2).generate(X, None, random_state=0).shape
    (6, 2)
    """

    _parameter_constraints: dict = {
        "size": [Interval(Real, 0, None, closed="neither")],
        "max_samples": [Interval(Integral, 1, None, closed="left"), None],
        "scale": [Interval(Real, 0, None, closed="left")],
        "swap_proba": [Interval(Real, 0, 1, closed="both")],
        "categorical_features": [StrOptions({"auto"}), "array-like"],
    }

    def __init__(
        self,
        size=16.0,
        max_samples=None,
        scale=0.1,
        swap_proba=0.1,
        categorical_features="auto",
    ):
        self.size = size
        self.max_samples = max_samples
        self.scale = scale
        self.swap_proba = swap_proba
        self.categorical_features = categorical_features

    def generate(self, X, y=None, *, random_state=None, return_source=False):
        """Draw new rows around the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric training rows.

        y : array-like of shape (n_samples,), default=None
            Ignored.

        random_state : int, RandomState instance or None, default=None
            Seed of the draw.

        return_source : bool, default=False
            Also return, for each new row, the row of ``X`` it was drawn around.

        Returns
        -------
        X_new : ndarray of shape (min(round(size * n_samples), max_samples), \
                n_features)
            The new rows.

        source : ndarray of shape (n_new,)
            Only with ``return_source=True``: row indices into ``X``.
        """
        self._validate_params()
        X = check_array(X, dtype=np.float64)
        rng = check_random_state(random_state)
        categorical, integer = self._column_kinds(X)
        n_new = self._n_new(X)
        base = rng.randint(X.shape[0], size=n_new)
        X_new = X[base]
        continuous = ~categorical
        std = X[:, continuous].std(axis=0)
        for rows in _row_chunks(X_new.shape):
            noise = rng.standard_normal((rows.stop - rows.start, std.size))
            X_new[rows, continuous] += noise * self.scale * std
        self._swap_categories(X_new, X, categorical, self.swap_proba, rng)
        return self._output(self._finish(X_new, X, integer), base, return_source)


class MungeTransfer(_BaseTransfer):
    """Transfer rows made by MUNGE (Bucilua, Caruana and Niculescu-Mizil, 2006).

    Each new row starts from a random training row ``e`` and its nearest
    neighbour ``e'`` (Euclidean distance on standardised columns; on more
    than 20,000 rows, the nearest within the two k-means clusters of about
    5,000 rows closest to ``e``, which is the exact one for most rows and
    costs a small fraction of an exact search). Each column
    is changed with probability ``p``: a categorical value is replaced by the
    neighbour's, a continuous one is drawn from a normal centred on the
    neighbour's value with standard deviation ``|e - e'| / s``. Each
    categorical value is then, with probability ``swap_proba``, replaced by
    that of another random training row. Integer columns are rounded and
    values are clipped to the training range.

    Read more in the :ref:`User Guide <transfer_sets>`.

    Parameters
    ----------
    size : float, default=16.0
        Number of new rows as a multiple of the number of training rows.

    max_samples : int or None, default=None
        Most new rows drawn, whatever ``size`` says; bounds the cost on large
        data sets.

    p : float, default=0.5
        Probability that a column of a new row is changed.

    s : float, default=1.0
        Divides the neighbour distance to give the noise's standard deviation;
        larger ``s`` keeps new values closer to the neighbour's.

    swap_proba : float, default=0.1
        Probability that a categorical value of a new row is then replaced by
        the value of another random training row, as in
        :class:`GaussianTransfer`. Without these swaps MUNGE only mixes a
        row's categories with its nearest neighbour's, which mostly shares
        them. ``0`` gives plain MUNGE.

    categorical_features : "auto", array-like of int or bool, default="auto"
        Columns holding category codes. ``"auto"``: integer-valued columns
        with at most 10 distinct values.

    n_jobs : int or None, default=None
        Parallel jobs of the nearest-neighbour search, which dominates the
        cost of a draw on large data. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context; ``transfer="auto"`` passes
        the estimator's ``n_jobs``.

    See Also
    --------
    GaussianTransfer : Gaussian noise around training rows.

    References
    ----------
    .. [1] C. Bucilua, R. Caruana and A. Niculescu-Mizil, "Model Compression",
       KDD, 2006.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_kd import MungeTransfer
    >>> X = np.array([[0.0, 1], [1.0, 0], [2.0, 1], [3.0, 0]])
    >>> MungeTransfer(size=1.5).generate(X, None, random_state=0).shape
    (6, 2)
    """

    _parameter_constraints: dict = {
        "size": [Interval(Real, 0, None, closed="neither")],
        "max_samples": [Interval(Integral, 1, None, closed="left"), None],
        "p": [Interval(Real, 0, 1, closed="both")],
        "s": [Interval(Real, 0, None, closed="neither")],
        "swap_proba": [Interval(Real, 0, 1, closed="both")],
        "categorical_features": [StrOptions({"auto"}), "array-like"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        size=16.0,
        max_samples=None,
        p=0.5,
        s=1.0,
        swap_proba=0.1,
        categorical_features="auto",
        n_jobs=None,
    ):
        self.size = size
        self.max_samples = max_samples
        self.p = p
        self.s = s
        self.swap_proba = swap_proba
        self.categorical_features = categorical_features
        self.n_jobs = n_jobs

    def generate(self, X, y=None, *, random_state=None, return_source=False):
        """Draw new rows by MUNGE from the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric training rows (at least two).

        y : array-like of shape (n_samples,), default=None
            Ignored.

        random_state : int, RandomState instance or None, default=None
            Seed of the draw.

        return_source : bool, default=False
            Also return, for each new row, the row of ``X`` it was drawn around.

        Returns
        -------
        X_new : ndarray of shape (min(round(size * n_samples), max_samples), \
                n_features)
            The new rows.

        source : ndarray of shape (n_new,)
            Only with ``return_source=True``: row indices into ``X``.
        """
        self._validate_params()
        X = check_array(X, dtype=np.float64, ensure_min_samples=2)
        rng = check_random_state(random_state)
        categorical, integer = self._column_kinds(X)
        n_new = self._n_new(X)
        base = rng.randint(X.shape[0], size=n_new)
        X_new = X[base]
        neighbour = _nearest_other(X, base, rng, self.n_jobs)
        change = np.empty(X_new.shape, dtype=bool)
        for rows in _row_chunks(X_new.shape):
            change[rows] = rng.random_sample(change[rows].shape) < self.p
        for rows in _row_chunks(X_new.shape):
            self._perturb(
                X_new[rows], X[neighbour[rows]], change[rows], categorical, rng
            )
        self._swap_categories(X_new, X, categorical, self.swap_proba, rng)
        return self._output(self._finish(X_new, X, integer), base, return_source)

    def _perturb(self, X_new, other, change, categorical, rng):
        """MUNGE's step for a chunk of new rows, in place: each cell marked in
        ``change`` takes the neighbour's category, or a normal draw around the
        neighbour's value with standard deviation ``|e - e'| / s``."""
        spread = np.abs(X_new - other)
        spread /= self.s
        drawn = rng.normal(other, spread)
        drawn[:, categorical] = other[:, categorical]
        np.copyto(X_new, drawn, where=change)


class UnlabeledTransfer(_BaseTransfer):
    """Unlabelled rows, labelled by the teacher, as the transfer set.

    Parameters
    ----------
    X : array-like of shape (n_unlabeled, n_features) or None, default=None
        The unlabelled rows. ``None`` follows scikit-learn's semi-supervised
        convention instead: the rows of the training data whose label is
        ``-1`` are the unlabelled ones. They are excluded from the teacher's
        training and from :meth:`DistilledClassifier.score`, so a grid search
        with the default scoring ignores them; a scorer such as
        ``scoring="accuracy"`` would count them as errors, so pass rows
        through ``X`` when using another scorer.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_kd import UnlabeledTransfer
    >>> rows = np.array([[0.5, 0.5]])
    >>> UnlabeledTransfer(rows).generate(np.zeros((3, 2)), None).shape
    (1, 2)
    """

    _parameter_constraints: dict = {"X": ["array-like", "sparse matrix", None]}

    def __init__(self, X=None):
        self.X = X

    def generate(self, X, y=None, *, random_state=None, return_source=False):
        """Return the unlabelled rows given at construction.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The labelled training rows; only their width is checked.

        y : array-like of shape (n_samples,), default=None
            Ignored.

        random_state : int, RandomState instance or None, default=None
            Ignored.

        return_source : bool, default=False
            Also return the source of each row: ``-1``, as the rows were drawn
            around no training row.

        Returns
        -------
        X_new : ndarray or sparse matrix of shape (n_unlabeled, n_features)
            The unlabelled rows (none when ``X`` was ``None``).

        source : ndarray of shape (n_unlabeled,)
            Only with ``return_source=True``: all ``-1``.
        """
        self._validate_params()
        n_features = X.shape[1]
        if self.X is None:
            X_new = np.empty((0, n_features))
        else:
            X_new = check_array(
                self.X, accept_sparse="csr", dtype=None, ensure_all_finite="allow-nan"
            )
            if X_new.shape[1] != n_features:
                raise ValueError(
                    f"UnlabeledTransfer.X has {X_new.shape[1]} columns but the "
                    f"training data has {n_features}."
                )
        source = np.full(X_new.shape[0], -1, dtype=np.intp)
        return self._output(X_new, source, return_source)


#: Most rows among which MUNGE looks for a row's nearest neighbour. On larger
#: data the search runs among this many rows drawn at random, so its cost stays
#: bounded (an exact search over a million rows takes minutes); the neighbour
#: found is then a near row rather than the nearest. A cap of 20,000 rows was
#: tried: at 100,000 rows it cost 0.67 accuracy points in the scale benchmark
#: and saved no time end to end.
MAX_NEIGHBOUR_ROWS = 100_000

#: Most rows searched exactly. An exact search compares every drawn row with
#: every row, so its cost grows with the square of the rows; on more rows the
#: search runs within k-means clusters (:func:`_clustered_neighbours`). At
#: 100,000 rows of 20 columns that took 4.4 s against 32.4 s, and found the
#: exact nearest neighbour for 81% of the rows
#: (``benchmarks/experiments/neighbour_search.py``).
EXACT_NEIGHBOUR_ROWS = 20_000
#: Rows per cluster of the clustered neighbour search.
NEIGHBOUR_CLUSTER_ROWS = 5_000
#: Clusters searched for each row: its nearest two, so that a row near the
#: edge of its own cluster still meets the rows just across it.
NEIGHBOUR_PROBES = 2


def _nearest_other(X, rows, rng, n_jobs=None):
    """For each of ``rows``, its nearest other row of ``X`` (standardised columns).

    The search runs only for the distinct rows drawn, and among at most
    ``MAX_NEIGHBOUR_ROWS`` rows, so its cost follows the rows drawn rather
    than the size of ``X``. Among more than ``EXACT_NEIGHBOUR_ROWS`` rows it
    runs within k-means clusters (:func:`_clustered_neighbours`).
    """
    std = X.std(axis=0)
    scaled = X / np.where(std > 0, std, 1.0)
    unique, inverse = np.unique(rows, return_inverse=True)
    reference = np.arange(X.shape[0])
    if X.shape[0] > MAX_NEIGHBOUR_ROWS:
        reference = np.sort(
            rng.choice(X.shape[0], size=MAX_NEIGHBOUR_ROWS, replace=False)
        )
    if len(reference) > EXACT_NEIGHBOUR_ROWS:
        nearest = _clustered_neighbours(scaled, reference, unique, rng, n_jobs)
    else:
        nearest = _two_nearest(scaled, reference, unique, n_jobs)
    # with duplicated rows, or a row outside the reference, the row itself
    # need not come first
    other = np.where(nearest[:, 0] == unique, nearest[:, 1], nearest[:, 0])
    return other[inverse]


def _two_nearest(scaled, reference, queries, n_jobs):
    """The two rows of ``reference`` nearest each of ``queries`` (exact search;
    the second, since the first is the row itself)."""
    return _search(scaled, reference, queries, n_jobs)[1]


def _search(scaled, reference, queries, n_jobs):
    """Distances to, and indices of, the (at most) two rows of ``reference``
    nearest each of ``queries``."""
    n_neighbors = min(2, len(reference))
    search = NearestNeighbors(n_neighbors=n_neighbors, n_jobs=n_jobs)
    distance, index = search.fit(scaled[reference]).kneighbors(scaled[queries])
    return distance, reference[index]


def _clustered_neighbours(scaled, reference, queries, rng, n_jobs):
    """:func:`_two_nearest`, searched only within the ``NEIGHBOUR_PROBES``
    k-means clusters nearest each query, of about ``NEIGHBOUR_CLUSTER_ROWS``
    reference rows each.

    A row near the edge of its clusters may get a near row rather than the
    nearest; MUNGE only needs a near one, and the search costs the rows times
    the cluster size rather than the rows squared. Rows whose clusters hold
    fewer than two reference rows are searched against all of them.
    """
    n_clusters = -(-len(reference) // NEIGHBOUR_CLUSTER_ROWS)
    kmeans = MiniBatchKMeans(
        n_clusters,
        batch_size=4 * NEIGHBOUR_CLUSTER_ROWS,
        n_init=1,
        random_state=rng.randint(np.iinfo(np.int32).max),
    ).fit(scaled[reference])
    probes = np.argsort(kmeans.transform(scaled[queries]), axis=1)
    probes = probes[:, :NEIGHBOUR_PROBES]
    distance = np.full((len(queries), 2), np.inf)
    nearest = np.zeros((len(queries), 2), dtype=np.intp)
    for cluster in range(n_clusters):
        asked = np.flatnonzero(np.any(probes == cluster, axis=1))
        members = reference[kmeans.labels_ == cluster]
        if len(asked) == 0 or len(members) == 0:
            continue
        found_distance, found = _search(scaled, members, queries[asked], n_jobs)
        both_distance = np.hstack([distance[asked], found_distance])
        both = np.hstack([nearest[asked], found])
        closest = np.argsort(both_distance, axis=1, kind="stable")[:, :2]
        distance[asked] = np.take_along_axis(both_distance, closest, axis=1)
        nearest[asked] = np.take_along_axis(both, closest, axis=1)
    alone = np.flatnonzero(np.isinf(distance[:, 1]))
    if len(alone):
        nearest[alone] = _two_nearest(scaled, reference, queries[alone], n_jobs)
    return nearest
