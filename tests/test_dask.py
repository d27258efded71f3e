"""Scale-out on a real dask.distributed cluster: same results as a local run."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeClassifier

from sklearn_kd import DistilledClassifier

distributed = pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")

X, Y = make_classification(n_samples=300, n_features=8, n_informative=5, random_state=0)


@pytest.fixture(scope="module")
def client():
    """A LocalCluster of two single-threaded worker processes."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def model():
    return DistilledClassifier(
        [
            RandomForestClassifier(n_estimators=10, random_state=0),
            LogisticRegression(max_iter=500),
        ],
        DecisionTreeClassifier(max_depth=4, random_state=0),
        soft_targets="cross_fit",
        cv=3,
        n_jobs=2,
        random_state=0,
    )


def test_fit_on_the_dask_backend_equals_the_local_fit(client):
    """List teachers and cross-fitting run their jobs on the cluster."""
    local = model().fit(X, Y)
    with parallel_config(backend="dask"):
        remote = model().fit(X, Y)
    # the same numbers up to the rounding of summations done elsewhere
    np.testing.assert_allclose(
        remote.predict_proba(X), local.predict_proba(X), rtol=1e-12
    )
    np.testing.assert_array_equal(remote.predict(X), local.predict(X))
    assert remote.validation_scores_ == local.validation_scores_


def test_grid_search_on_the_dask_backend_equals_the_local_one(client):
    grid = {"alpha": [0.0, 0.5], "student__max_depth": [2, 4]}
    clf = model().set_params(n_jobs=None)
    local = GridSearchCV(clf, grid, cv=3).fit(X, Y)
    with parallel_config(backend="dask"):
        remote = GridSearchCV(clf, grid, cv=3, n_jobs=2).fit(X, Y)
    np.testing.assert_array_equal(
        remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )
    assert remote.best_params_ == local.best_params_


def test_transfer_rows_are_labelled_on_the_cluster(client, monkeypatch):
    """The teacher labels the transfer rows in chunks, as jobs of the backend."""
    from sklearn_kd import MungeTransfer, _teacher

    monkeypatch.setattr(_teacher, "CHUNK_ROWS", 200)  # 1,200 rows: 6 chunks
    clf = DistilledClassifier(
        RandomForestClassifier(n_estimators=10, random_state=0),
        DecisionTreeClassifier(max_depth=4, random_state=0),
        transfer=MungeTransfer(size=4),
        validation_fraction=None,
        n_jobs=2,
        random_state=0,
    )
    local = clf.fit(X, Y).predict_proba(X)
    with distributed.get_task_stream(client) as tasks:
        with parallel_config(backend="dask"):
            remote = clf.fit(X, Y).predict_proba(X)
    np.testing.assert_array_equal(remote, local)
    names = " ".join(str(task.get("key")) for task in tasks.data)
    assert "_output_of_chunk" in names  # the labelling jobs ran on the workers


def test_exported_student_predicts_a_dask_array(client):
    """ParallelPostFit predicts block by block on the cluster."""
    wrappers = pytest.importorskip("dask_ml.wrappers")
    student = model().fit(X, Y).export_student()
    big = da.from_array(np.tile(X, (5, 1)), chunks=(500, X.shape[1]))
    pred = wrappers.ParallelPostFit(student).predict(big)
    assert isinstance(pred, da.Array)
    np.testing.assert_array_equal(pred.compute(), student.predict(np.tile(X, (5, 1))))
