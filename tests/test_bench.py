"""The benchmark command on a tiny folder of data."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import importlib.util
import json

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_friedman1

from sklearn_kd import _bench
from sklearn_kd.__main__ import main

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")


def test_bench_writes_tables_and_plots(tmp_path):
    """Check that bench reads *.csv.gz, and writes results, tables and a plot."""
    X, y = make_classification(n_samples=240, n_features=4, random_state=0)
    frame = pd.DataFrame(X, columns=list("abcd")).assign(target=y + 3)
    frame.to_csv(tmp_path / "toy.csv.gz", index=False)
    out = tmp_path / "results"
    status = main(
        [
            "bench", str(tmp_path), "--seeds", "1", "--teachers", "gbm300",
            "--students", "tree_d4", "--n-jobs", "1", "--out", str(out),
        ]
    )  # fmt: skip
    assert status == 0
    rows = json.loads((out / "results.json").read_text())
    methods = {r["method"] for r in rows}
    expected = {
        "teacher", "labels", "distilled", "unguarded", "labels_size_matched",
        "naive", "autogluon",
    }  # fmt: skip
    if importlib.util.find_spec("imodels") is not None:
        expected.add("hs")
    assert methods == expected
    # the guard chose one of its two candidates, which equal these fits
    for seed_rows in [r for r in rows if r["method"] == "distilled"]:
        twins = [
            r["accuracy"]
            for r in rows
            if r["method"] in ("labels", "unguarded")
            and r["student"] == seed_rows["student"]
        ]
        assert seed_rows["accuracy"] in twins
    # sizes are measured on the fitted models: 300 boosting iterations
    # against one depth-4 tree
    size = {r["method"]: r["bytes"] for r in rows}
    assert size["teacher"] > 10 * size["labels"]
    assert {r["agreement"] for r in rows if r["method"] == "teacher"} == {1.0}
    report = (out / "README.md").read_text()
    assert "| gbm300 | tree_d4 | distilled |" in report
    assert "guard regret" in report
    assert (out / "toy_gbm300.png").stat().st_size > 0


def test_gap_closed():
    """Check the gap-closed ratio and that it is undefined without a gap."""
    assert _bench._gap_closed(0.9, 0.8, 1.0) == pytest.approx(0.5)
    assert np.isnan(_bench._gap_closed(0.9, 0.8, 0.801))


def test_bench_runs_regression_sets_as_regression(tmp_path):
    """A folder with a numeric many-valued target gets the regression benchmark."""
    X, y = make_friedman1(n_samples=300, random_state=0)
    frame = pd.DataFrame(X[:, :4], columns=list("abcd")).assign(target=y)
    frame.to_csv(tmp_path / "friedman.csv.gz", index=False)
    out = tmp_path / "results"
    status = main(
        [
            "bench", str(tmp_path), "--seeds", "1", "--teachers", "gbm300",
            "--students", "tree_l64", "--n-jobs", "1", "--out", str(out),
        ]
    )  # fmt: skip
    assert status == 0
    rows = json.loads((out / "results.json").read_text())
    assert {r["task"] for r in rows} == {"regression"}
    assert {r["method"] for r in rows} == {"teacher", "labels", "distilled", "naive"}
    teacher = next(r for r in rows if r["method"] == "teacher")
    labels = next(r for r in rows if r["method"] == "labels")
    assert teacher["r2"] > labels["r2"]  # a 300-iteration model beats 64 leaves
    report = (out / "README.md").read_text()
    assert "| gbm300 | tree_l64 | distilled |" in report
    assert (out / "friedman_gbm300.png").stat().st_size > 0


def test_neural_suite_runs_the_digits_part(tmp_path):
    """One driver: ``bench --suite neural`` runs Hinton's digits experiment."""
    pytest.importorskip("torch")
    pytest.importorskip("skorch")
    out = tmp_path / "neural"
    status = main(
        [
            "bench", "--suite", "neural", "--part", "digits", "--quick",
            "--seeds", "1", "--out", str(out),
        ]
    )  # fmt: skip
    assert status == 0
    report = (out / "neural_digits.md").read_text()
    assert "| distilled | 4 | 0.5 |" in report  # the quick grid: T=4, alpha=0.5
    assert (out / "neural_digits.png").stat().st_size > 0


def test_scale_suite_measures_each_fit_in_its_own_process(tmp_path):
    """``bench --suite scale`` reports the teacher beside distillation."""
    out = tmp_path / "scale"
    status = main(["bench", "--suite", "scale", "--shapes", "300x5", "--out", str(out)])
    assert status == 0
    results = json.loads((out / "results.json").read_text())
    kinds = ["teacher", "labels", "distilled", "grid"]
    assert [r["kind"] for r in results] == kinds
    assert all(r["peak_mb"] > 10 and r["fit_s"] > 0 for r in results)
    # the grid search's cache holds at least the fitted teachers
    assert results[3]["cache_mb"] > 0.01
    report = (out / "README.md").read_text()
    assert "| 300 x 5 |" in report and "the cache then held" in report


def test_scale_suite_repeats_report_medians_with_their_range(tmp_path):
    """With ``--repeats``, every fit runs again in turn, and the report gives
    medians with their range, the ratios taken within each repeat;
    ``--no-grid`` leaves the grid search out."""
    out = tmp_path / "scale"
    argv = ["bench", "--suite", "scale", "--shapes", "300x5", "--repeats", "2"]
    assert main([*argv, "--no-grid", "--out", str(out)]) == 0
    results = json.loads((out / "results.json").read_text())
    assert [r["kind"] for r in results] == ["teacher", "labels", "distilled"] * 2
    assert [r["repeat"] for r in results] == [0, 0, 0, 1, 1, 1]
    ratios = sorted(results[i + 2]["peak_mb"] / results[i]["peak_mb"] for i in (0, 3))
    report = (out / "README.md").read_text()
    row = next(line for line in report.splitlines() if line.startswith("| 300 x 5 |"))
    assert f"[{ratios[0]:.2f}-{ratios[1]:.2f}]" in row
    assert "2 runs each" in report
    assert "grid search" not in report


def test_scale_suite_refuses_bad_shapes(capsys):
    assert main(["bench", "--suite", "scale", "--shapes", "10xten"]) == 2
    assert "--shapes" in capsys.readouterr().err
    assert main(["bench", "--suite", "scale", "--repeats", "0"]) == 2
    assert "--repeats must be at least 1; got 0." in capsys.readouterr().err


def _bench_on(tmp_path, X, target, seeds, student):
    """The bench command on one small set written from ``X`` and ``target``,
    one gbm300 teacher and one student, and the folder it writes to."""
    frame = pd.DataFrame(X[:, :4], columns=list("abcd")).assign(target=target)
    frame.to_csv(tmp_path / "toy.csv.gz", index=False)
    out = tmp_path / "results"
    argv = [
        "bench", str(tmp_path), "--seeds", str(seeds), "--teachers", "gbm300",
        "--students", student, "--n-jobs", "1", "--out", str(out),
    ]  # fmt: skip
    return argv, out


def test_task_option_overrides_the_guess(tmp_path):
    """A numeric target with few values is classification unless told."""
    X, y = make_friedman1(n_samples=200, random_state=0)
    argv, out = _bench_on(tmp_path, X, np.round(y / 5), 1, "tree_l64")
    assert main([*argv, "--task", "regression"]) == 0
    rows = json.loads((out / "results.json").read_text())
    assert {r.get("task") for r in rows} == {"regression"}


def test_resume_runs_only_what_the_saved_rows_lack(tmp_path, monkeypatch):
    """A run cut short after its first seed goes on from the second."""
    X, y = make_classification(n_samples=200, n_features=4, random_state=0)
    argv, out = _bench_on(tmp_path, X, y, 2, "tree_d4")
    assert main(argv) == 0
    full = json.loads((out / "results.json").read_text())
    cut = [r for r in full if r["seed"] == 0]
    (out / "results.json").write_text(json.dumps(cut))
    fitted = []
    run_teacher = _bench._run_teacher
    monkeypatch.setattr(
        _bench,
        "_run_teacher",
        lambda split, base, *a, **k: (
            fitted.append(base) or run_teacher(split, base, *a, **k)
        ),
    )
    assert main([*argv, "--resume"]) == 0
    assert [(b["seed"], b["teacher"]) for b in fitted] == [(1, "gbm300")]
    resumed = json.loads((out / "results.json").read_text())
    assert len(resumed) == len(full)
    key = ("seed", "method", "accuracy")
    assert sorted(tuple(r[k] for k in key) for r in resumed) == sorted(
        tuple(r[k] for k in key) for r in full
    )
    report = (out / "README.md").read_text()
    assert "--resume" not in report and "--seeds 2" in report
