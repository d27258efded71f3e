"""The command line, run in process through ``main`` (and twice as a subprocess)."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import csv
import gzip
import re
import subprocess
import sys

import joblib
import numpy as np
import pytest
from sklearn.datasets import make_classification, make_friedman1
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LinearRegression
from sklearn.tree import DecisionTreeClassifier

from sklearn_kd.__main__ import main
from sklearn_kd._cli_distill import read_csv

N_FEATURES = 5


def write_csv(path, header, rows):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wt", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A forest saved with joblib, its training rows as CSV, and broken variants."""
    folder = tmp_path_factory.mktemp("cli")
    X, y = make_classification(n_samples=400, n_features=N_FEATURES, random_state=0)
    labels = np.array(["no", "yes"])[y]
    names = [f"f{i}" for i in range(N_FEATURES)]
    rows = [[*map(repr, x), label] for x, label in zip(X.tolist(), labels, strict=True)]
    write_csv(folder / "train.csv", [*names, "label"], rows)
    write_csv(folder / "train.csv.gz", [*names, "label"], rows)
    forest = RandomForestClassifier(n_estimators=20, random_state=0).fit(X, labels)
    joblib.dump(forest, folder / "forest.joblib")
    joblib.dump(LinearRegression().fit(X, y), folder / "regressor.joblib")
    joblib.dump({"not": "a model"}, folder / "dict.joblib")
    joblib.dump(RandomForestClassifier(), folder / "unfitted.joblib")
    narrow = RandomForestClassifier(n_estimators=3, random_state=0)
    joblib.dump(narrow.fit(X[:, :3], labels), folder / "narrow.joblib")
    (folder / "garbage.joblib").write_bytes(b"not a pickle")

    def variant(name, edit, header=(*names, "label")):
        write_csv(folder / name, header, [edit(list(r), i) for i, r in enumerate(rows)])

    variant("text.csv", lambda r, i: [("high" if i % 2 else "low"), *r[1:]])
    variant("one_class.csv", lambda r, i: [*r[:-1], "yes"])
    variant("nan_target.csv", lambda r, i: [*r[:-1], "" if i == 7 else r[-1]])
    variant("nan_feature.csv", lambda r, i: ["" if i == 3 else r[0], *r[1:]])
    variant("inf_feature.csv", lambda r, i: ["inf" if i == 3 else r[0], *r[1:]])
    variant("int_labels.csv", lambda r, i: [*r[:-1], str(int(r[-1] == "yes"))])
    variant("ragged.csv", lambda r, i: r[:-2] if i == 9 else r)
    write_csv(folder / "tiny.csv", [*names, "label"], rows[:5])
    write_csv(folder / "header_only.csv", [*names, "label"], [])
    (folder / "empty.csv").write_text("")
    (folder / "data.parquet").write_bytes(b"PAR1")
    return folder


@pytest.fixture
def no_pandas(monkeypatch):
    """Make ``import pandas`` fail, as on a plain install."""

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name == "pandas" or name.startswith("pandas."):
                raise ModuleNotFoundError(f"No module named {name!r}")

    for name in [m for m in sys.modules if m == "pandas" or m.startswith("pandas.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [Blocker(), *sys.meta_path])


def distill(files, *args, data="train.csv", target="label"):
    argv = ["distill", files / "forest.joblib", files / data, "--target", target]
    return main([str(a) for a in [*argv, *args]])


def test_distill_writes_exported_student_and_onnx(files, tmp_path, capsys):
    """Check that --out holds a plain student and --onnx its ONNX twin."""
    pytest.importorskip("onnx")
    pytest.importorskip("skl2onnx")
    out, onnx_out = tmp_path / "student.joblib", tmp_path / "student.onnx"
    status = distill(
        files, "--param", "max_leaf_nodes=8", "--out", out, "--onnx", onnx_out
    )
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "| teacher |" in captured.out and "| student |" in captured.out
    assert "runs code stored in it" in captured.err
    assert "[sklearn-kd] Distilling RandomForestClassifier" in captured.err
    assert "[DistilledClassifier]" in captured.err  # stage lines on stderr
    student = joblib.load(out)
    assert type(student) is DecisionTreeClassifier
    assert student.get_n_leaves() <= 8
    np.testing.assert_array_equal(student.classes_, ["no", "yes"])
    for path in (out, onnx_out):
        size = f"{path.stat().st_size:,}"
        assert re.search(rf"\| {re.escape(str(path))} \| {size} \|", captured.out)
    rt = pytest.importorskip("onnxruntime")
    X, _, _ = read_csv(files / "train.csv", "label")
    session = rt.InferenceSession(str(onnx_out), providers=["CPUExecutionProvider"])
    label, proba = session.run(None, {"X": X.astype(np.float32)})
    np.testing.assert_array_equal(label, student.predict(X))
    np.testing.assert_allclose(proba, student.predict_proba(X), atol=1e-5)


def test_distill_quiet_reads_gzip_without_pandas(files, no_pandas, capsys):
    """Check that distill needs no pandas, reads .csv.gz and --quiet hushes it."""
    status = distill(files, "--quiet", "--student", "logreg", data="train.csv.gz")
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "[sklearn-kd]" not in captured.err
    assert "[DistilledClassifier]" not in captured.err
    assert "| student |" in captured.out


def test_named_teacher_gets_columns_by_name_and_warns_once(files, tmp_path, capsys):
    """Check that a teacher fitted on named columns gets them in its order,
    with no feature-name warnings, and that each warning is shown once."""
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(files / "train.csv")
    forest = RandomForestClassifier(n_estimators=10, random_state=0)
    forest.fit(frame.drop(columns="label"), frame["label"])
    joblib.dump(forest, tmp_path / "named.joblib")
    # columns shuffled: the command must put them back in the teacher's order
    frame[["label", "f3", "f0", "f4", "f1", "f2"]].to_csv(
        tmp_path / "shuffled.csv", index=False
    )
    argv = ["distill", str(tmp_path / "named.joblib"), str(tmp_path / "shuffled.csv")]
    assert main([*argv, "--target", "label"]) == 0
    captured = capsys.readouterr()
    assert "feature names" not in captured.err
    student_row = re.search(r"\| student \| [^|]+\| [^|]+\| ([^|]+)\|", captured.out)
    assert float(student_row[1]) > 0.9, "columns were passed in the wrong order"
    # a small MLP warns at each of its three fits: shown once
    assert (
        main([*argv, "--target", "label", "--student", "mlp", "--param", "max_iter=5"])
        == 0
    )
    err = capsys.readouterr().err
    warnings_shown = [ln for ln in err.splitlines() if ln.startswith("warning: ")]
    assert sum("converge" in w for w in warnings_shown) == 1
    assert len(warnings_shown) == len(set(warnings_shown))
    assert "feature names" not in err


@pytest.mark.parametrize(
    "args, data, message",
    [
        (["--target", "y"], "train.csv", "target column 'y' not in"),
        ([], "missing.csv", "data file not found"),
        ([], "text.csv", "non-numeric columns ['f0']"),
        ([], "one_class.csv", "holds a single class ('yes')"),
        ([], "nan_target.csv", "1 missing values (first on lines [9])"),
        (["--student", "logreg"], "nan_feature.csv", "['f0'] of"),
        ([], "inf_feature.csv", "columns ['f0'] in"),
        ([], "int_labels.csv", "none of which are in the target column"),
        ([], "ragged.csv", "line 11: 4 fields, but the header has 6"),
        ([], "tiny.csv", "has 5 data rows; distilling needs at least 10"),
        ([], "header_only.csv", "has 0 data rows"),
        ([], "empty.csv", "is empty: expected a header row"),
        (["--test-size", "0"], "train.csv", "--test-size must be a fraction in (0, 1)"),
        (["--test-size", "1.5"], "train.csv", "got 1.5"),
        (["--param", "x"], "train.csv", "--param expects KEY=VALUE; got 'x'"),
        (["--param", "foo=1"], "train.csv", "unknown parameter 'foo' of the tree"),
        (["--param", "max_leaf_nodes=-3"], "train.csv", "'max_leaf_nodes' parameter"),
        (["--param", "max_depth=deep"], "train.csv", "Got 'deep' instead"),
        (["--out", "no/such/folder/s.joblib"], "train.csv", "does not exist"),
        (["--out", "."], "train.csv", "is a folder"),
        (["--out", "a.joblib", "--onnx", "a.joblib"], "train.csv", "the same file"),
    ],
)  # fmt: skip
def test_distill_bad_data_and_options(files, capsys, args, data, message):
    """Check that bad data or options exit with status 2 and one error line."""
    status = distill(files, *args, data=data)
    err = capsys.readouterr().err
    assert status == 2
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0], err


@pytest.mark.parametrize(
    "model, message",
    [
        ("missing.joblib", "model file not found"),
        ("garbage.joblib", "could not load"),
        ("dict.joblib", "holds dict, not a fitted regressor or classifier"),
        ("regressor.joblib", "the model is a regressor, but the target column"),
        ("unfitted.joblib", "holds an unfitted RandomForestClassifier"),
        ("narrow.joblib", "fitted on 3 features, but"),
    ],
)
def test_distill_bad_model(files, capsys, model, message):
    """Check that a model file the command cannot use exits with status 2."""
    status = main(
        ["distill", str(files / model), str(files / "train.csv"), "--target", "label"]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert err.splitlines()[-1].startswith("error: ") and message in err


def test_outputs_are_checked_before_the_model_is_loaded(files, tmp_path, capsys):
    """Check that an unwritable --onnx fails before loading or fitting anything."""
    status = distill(files, "--onnx", tmp_path / "missing" / "s.onnx")
    err = capsys.readouterr().err
    assert status == 2
    assert "runs code" not in err and "Distilling" not in err
    assert not (tmp_path / "missing").exists()


def test_parquet_without_pandas(files, no_pandas, capsys):
    """Check that Parquet input without pandas says what to install."""
    assert distill(files, data="data.parquet") == 2
    assert "reading Parquet needs pandas" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["demo", "--seeds", "0"], "--seeds must be at least 1; got 0"),
        (["bench", "no/such/folder"], "data folder not found: no/such/folder"),
        (["bench", "--teachers", "rf500,nope"], "--teachers: unknown name(s) ['nope']"),
        (["bench", "--students", "tree_d99"], "--students: unknown name(s)"),
        (["bench", "--seeds", "0"], "--seeds must be at least 1"),
    ],
)  # fmt: skip
def test_other_subcommands_bad_input(capsys, argv, message):
    """Check that demo and bench refuse bad options with status 2, no traceback."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_read_csv_wide_and_missing_cells(tmp_path):
    """Check the reader on 10,000 columns, empty cells and a numeric target."""
    rng = np.random.RandomState(0)
    values = rng.normal(size=(20, 10_000))
    rows = [[*map(repr, row), str(i % 3)] for i, row in enumerate(values.tolist())]
    rows[4][17] = ""
    names = [f"c{j}" for j in range(10_000)]
    path = write_csv(tmp_path / "wide.csv", [*names, "target"], rows)
    X, y, read_names = read_csv(path, "target")
    assert X.shape == (20, 10_000) and read_names == names
    assert np.isnan(X[4, 17]) and np.isnan(X).sum() == 1
    values[4, 17] = np.nan
    np.testing.assert_array_equal(X, values)
    assert y.dtype == np.int64 and y.tolist()[:4] == [0, 1, 2, 0]
    rows = [["a" if j % 2 else "1" for j in range(10_000)] + ["x"]] * 3
    write_csv(tmp_path / "text.csv", [*names, "target"], rows)
    with pytest.raises(Exception, match=re.escape("and 4990 more")):
        read_csv(tmp_path / "text.csv", "target")


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "sklearn_kd", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_subprocess_help_and_error_exit_status(files):
    """Check the real process: --help exits 0, a bad model exits 2 without traceback."""
    result = run("--help")
    assert result.returncode == 0
    assert "distill" in result.stdout and "deploy" in result.stdout
    result = run("distill", files / "dict.joblib", files / "train.csv")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith("error: ")
    assert "Traceback" not in result.stderr


def test_distill_a_regressor_reports_r2_and_writes_the_student(tmp_path, capsys):
    """A saved regressor is distilled into a regression tree, R² reported."""
    X, y = make_friedman1(n_samples=400, random_state=0)
    names = [f"x{i}" for i in range(X.shape[1])]
    write_csv(
        tmp_path / "reg.csv",
        [*names, "y"],
        [[*x, t] for x, t in zip(X, y, strict=True)],
    )
    forest = RandomForestRegressor(n_estimators=20, random_state=0).fit(X, y)
    joblib.dump(forest, tmp_path / "forest.joblib")
    out = tmp_path / "student.joblib"
    status = main(
        [
            "distill", str(tmp_path / "forest.joblib"), str(tmp_path / "reg.csv"),
            "--target", "y", "--out", str(out), "-q",
        ]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "| model | R² | RMSE |" in captured.out
    student = joblib.load(out)
    assert type(student).__name__ == "DecisionTreeRegressor"
    assert student.get_n_leaves() == 64
    status = main(
        [
            "distill", str(tmp_path / "forest.joblib"), str(tmp_path / "reg.csv"),
            "--target", "y", "--student", "logreg",
        ]
    )  # fmt: skip
    assert status == 2
    assert "the model is a regressor" in capsys.readouterr().err
