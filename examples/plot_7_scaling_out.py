"""
=====================================
Scaling out a grid search with Dask
=====================================

Every parallel part of :class:`~sklearn_kd.DistilledClassifier` and of
:class:`~sklearn.model_selection.GridSearchCV` goes through joblib, so one
``with joblib.parallel_config(backend="dask"):`` sends the fits to a
``dask.distributed`` cluster without changing the code that defines them. This
example runs the same grid search twice, once on this machine's processes and
once on a :class:`~distributed.LocalCluster` of two worker processes, checks
that the two give the same results, then predicts a dask array with the
exported student through dask-ml's ``ParallelPostFit``.

A ``LocalCluster`` runs on the machine it was started on, so it cannot be
faster than the local run; it stands in for a real cluster, where only the
line that creates the cluster changes. It needs the ``dask`` extra
(``pip install ".[dask]"``).
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Data and the search
# -------------------
# The breast cancer data set (569 rows, 30 features, 2 classes), split into a
# training part, searched by 3-fold cross-validation, and a test part. The
# teacher is a 100-tree random forest, the student a tree of at most 16 leaves,
# and the grid is three values of ``alpha`` (``alpha=1`` is the tree on labels
# alone). The data are small so that the example runs in seconds.
# ``make_search`` builds a new, unfitted search each time, so that the two
# runs below start from the same state: the same estimator, the same
# ``random_state``, and an empty cache folder of their own.
#
# ``n_jobs=-1`` is given to the search only: its fits are the jobs that
# joblib hands to the backend, one per grid point and fold. The estimator's
# own ``n_jobs`` stays ``None``, so the work is parallelised at one level.
import logging
import time
from tempfile import TemporaryDirectory

import numpy as np
import pandas as pd
from joblib import parallel_config
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.tree import DecisionTreeClassifier

from sklearn_kd import DistilledClassifier

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)


def make_search(cache):
    clf = DistilledClassifier(
        RandomForestClassifier(n_estimators=100, random_state=0),
        DecisionTreeClassifier(max_leaf_nodes=16, random_state=0),
        memory=cache,
        validation_fraction=None,  # the search compares with alpha=1 itself
        random_state=0,
    )
    return GridSearchCV(clf, {"alpha": [1.0, 0.5, 0.0]}, cv=3, n_jobs=-1)


def timed_fit(search):
    start = time.perf_counter()
    search.fit(X_train, y_train)
    return search, time.perf_counter() - start


# %%
# On this machine
# ---------------
# joblib's default backend, loky, runs the fits in worker processes on this
# machine. ``memory`` caches each fold's fitted teacher in a temporary folder,
# so the teacher is fitted once per fold (and once for the final refit), not
# once per grid point. The time includes starting loky's worker processes,
# which import scikit-learn and sklearn_kd before their first fit.
#
# The ``if __name__ == "__main__":`` lines are needed because of the cluster
# below: its worker processes start by importing this script again (Python's
# "spawn" start method), and the guard keeps them from running the searches.
# Sphinx-Gallery and ``python plot_7_scaling_out.py`` both run the guarded
# blocks.
if __name__ == "__main__":
    with TemporaryDirectory() as cache, parallel_config(backend="loky"):
        local, local_seconds = timed_fit(make_search(cache))
    print(f"Local (loky, all cores): {local_seconds:.1f} s")

# %%
# On a LocalCluster
# -----------------
# Two single-threaded worker processes, as in the package's tests. On a real
# cluster, ``Client("scheduler-address:8786")`` (or the cluster object of
# dask-kubernetes, dask-jobqueue, ...) replaces the ``LocalCluster``; the rest
# stays the same. dask is imported here, not at the top: nothing else in this
# example needs it.
#
# The two workers run on this machine, so a temporary folder is storage that
# both can read and write; on a real cluster, ``memory`` must be a folder that
# every worker shares (see :ref:`scaling_out`).
#
# Inside ``with parallel_config(backend="dask")``, the search's fits become
# tasks on the cluster. Starting the cluster is timed apart from the search.
# When this file runs as a script, the workers import it, and with it
# scikit-learn and sklearn_kd, while they start; when these pages are built,
# they import those on their first task instead, inside the search's time.
#
# ``silence_logs=logging.ERROR`` hides the cluster's warnings, such as a
# worker process that is slow to exit on a busy machine and is stopped when
# the cluster closes.
#
# The exported student is a plain scikit-learn tree.
# :class:`dask_ml.wrappers.ParallelPostFit` applies its ``predict`` to each
# block of a dask array, on the workers, so the rows to predict never have to
# fit in one machine's memory. Here the array is the test rows repeated 50
# times, in blocks of 1,000 rows; the predictions must equal those of the
# tree on the same rows in memory.
if __name__ == "__main__":
    import dask.array as da
    from dask.distributed import Client, LocalCluster
    from dask_ml.wrappers import ParallelPostFit

    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        start_seconds = time.perf_counter() - start
        print(f"Cluster started in {start_seconds:.1f} s")
        with TemporaryDirectory() as cache, parallel_config(backend="dask"):
            remote, remote_seconds = timed_fit(make_search(cache))
        print(f"LocalCluster (dask, 2 workers): {remote_seconds:.1f} s")

        student = remote.best_estimator_.export_student()
        X_many = np.tile(X_test, (50, 1))
        X_dask = da.from_array(X_many, chunks=(1_000, X.shape[1]))
        predicted = ParallelPostFit(student).predict(X_dask)  # lazy, nothing runs yet
        predicted = predicted.compute()  # the blocks are predicted on the workers

    print(f"{type(student).__name__} with {student.get_n_leaves()} leaves")
    print(f"Predicted {len(predicted):,} rows in {X_dask.numblocks[0]} blocks")
    np.testing.assert_array_equal(predicted, student.predict(X_many))
    print("Same predictions as in memory")

# %%
# The same results
# ----------------
# Both searches fitted the same estimators with the same seeds on the same
# folds, so each grid point's cross-validated accuracy, the best grid point and
# the refitted model's test accuracy are identical, not merely close. Only
# where the work ran differs.
if __name__ == "__main__":
    for name in ["mean_test_score", *(f"split{i}_test_score" for i in range(3))]:
        np.testing.assert_array_equal(local.cv_results_[name], remote.cv_results_[name])
    assert local.best_params_ == remote.best_params_
    assert local.score(X_test, y_test) == remote.score(X_test, y_test)

    table = pd.DataFrame(
        {
            "alpha": local.cv_results_["param_alpha"],
            "CV accuracy, local": local.cv_results_["mean_test_score"],
            "CV accuracy, LocalCluster": remote.cv_results_["mean_test_score"],
        }
    ).set_index("alpha")
    print("Best parameters:", local.best_params_, "(both runs)")
    print(f"Test accuracy of the best grid point: {local.score(X_test, y_test):.4f}")
    print(
        f"Time: {local_seconds:.1f} s local; {start_seconds:.1f} s to start the "
        f"LocalCluster, then {remote_seconds:.1f} s for its search"
    )
    print(table.round(4).to_string())

# %%
# Reading the times
# -----------------
# Compare the local time with the cluster's start and search together: both
# runs started worker processes that import the same libraries, on the same
# cores. On one machine a ``LocalCluster`` has no cores that loky lacks, and
# it adds work of its own (each fit's data and estimator are pickled and sent
# to a worker, the results sent back), so it is not expected to be faster.
# The fits here take seconds, so starting the processes is a large part of
# both times, and the load of other programs on the machine moves them from
# run to run. The gain comes on a real cluster, from cores that one
# machine does not have; the code is the same.
