"""The deployment benchmark, on tiny data."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import json
import math
import re

import pytest
from sklearn.datasets import make_classification

from sklearn_kd import _deploy
from sklearn_kd.__main__ import main

pytest.importorskip("skl2onnx")
pytest.importorskip("onnxruntime")

MODELS = [_deploy.TEACHER, _deploy.TREE_D12, _deploy.TREE_L64, _deploy.LABELS_L64]


def test_deploy_measures_every_model(tmp_path):
    """Check that every model gets positive, finite sizes, times and accuracies."""
    X, y = make_classification(n_samples=200, n_features=6, random_state=0)
    results = _deploy.run(X, y, n_trees=5, n_calls=20, n_batch_runs=2, batch_rows=500)
    assert list(results) == MODELS
    for r in results.values():
        assert all(math.isfinite(v) and v > 0 for v in r.values()), r
        assert r["ort_accuracy"] <= 1 and r["skl_accuracy"] <= 1
        # the ONNX twin predicts the same labels, up to float32 rounding
        assert abs(r["ort_accuracy"] - r["skl_accuracy"]) <= 0.02
    # a 5-tree forest stores more than one tree of 64 leaves
    assert (
        results[_deploy.TEACHER]["onnx_bytes"] > results[_deploy.TREE_L64]["onnx_bytes"]
    )
    path, text = _deploy.write_report(results, tmp_path, "cmd", "toy data")
    assert path.read_text().strip() == text.strip()
    assert json.loads((tmp_path / "results.json").read_text()) == results
    for name in MODELS:
        assert re.search(rf"^\| {re.escape(name)} \| [\d,]+ \| [\d,]+ \|", text, re.M)
    assert text.count("met") >= 4  # one verdict per goal
    # the distilled students' one-row overhead through DistilledClassifier
    for name in (_deploy.TREE_D12, _deploy.TREE_L64):
        for method in ("predict", "predict_proba"):
            assert results[name][f"{method}_wrapper_us"] > 0
            assert re.search(rf"^\| {re.escape(name)}: {method} \| ", text, re.M)
    assert "predict_wrapper_us" not in results[_deploy.LABELS_L64]


def test_deploy_command_bad_data(tmp_path, capsys):
    """Check that the deploy command refuses a missing data file with status 2."""
    status = main(
        ["deploy", "--data", str(tmp_path / "none.csv"), "--out", str(tmp_path)]
    )
    assert status == 2
    assert "error: data file not found" in capsys.readouterr().err
