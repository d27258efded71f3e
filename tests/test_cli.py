"""The command line, run end to end in subprocesses."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import subprocess
import sys

import joblib
import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    X, y = make_classification(n_samples=400, n_features=5, random_state=0)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(5)])
    frame["label"] = np.array(["no", "yes"])[y]
    frame.to_csv(folder / "train.csv", index=False)
    forest = RandomForestClassifier(n_estimators=20, random_state=0)
    forest.fit(frame.drop(columns="label"), frame["label"])
    joblib.dump(forest, folder / "forest.joblib")
    joblib.dump(LinearRegression().fit(X, y), folder / "regressor.joblib")
    text = frame.assign(f0=np.where(frame["f0"] > 0, "high", "low"))
    text.to_csv(folder / "text.csv", index=False)
    return folder


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "sklearn_kd", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_distill_end_to_end(files):
    """Check that distill writes a student that predicts the user's labels."""
    out = files / "student.joblib"
    result = run(
        "distill", files / "forest.joblib", files / "train.csv",
        "--target", "label", "--param", "max_leaf_nodes=8", "--out", out,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "| teacher |" in result.stdout and "| student |" in result.stdout
    student = joblib.load(out)
    frame = pd.read_csv(files / "train.csv")
    assert set(student.predict(frame.drop(columns="label"))) <= {"no", "yes"}
    assert student.student_.get_n_leaves() <= 8
    assert not hasattr(student, "teacher_")


@pytest.mark.parametrize(
    "args, message",
    [
        (("missing.joblib", "train.csv"), "model file not found"),
        (("forest.joblib", "missing.csv"), "data file not found"),
        (("forest.joblib", "train.csv", "--target", "y"), "target column 'y'"),
        (("forest.joblib", "text.csv", "--target", "label"), "non-numeric columns"),
        (("regressor.joblib", "train.csv", "--target", "label"), "not a fitted"),
        (("forest.joblib", "train.csv", "--target", "label", "--param", "x"),
         "KEY=VALUE"),
    ],
)  # fmt: skip
def test_distill_bad_input(files, args, message):
    """Check that bad input exits with status 2 and a one-line reason."""
    paths = [files / a if a.endswith((".joblib", ".csv")) else a for a in args]
    result = run("distill", *paths)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_help_and_unknown_subcommand():
    """Check that --help reads and an unknown subcommand fails with status 2."""
    assert "distill" in run("--help").stdout
    assert run("nonsense").returncode == 2
