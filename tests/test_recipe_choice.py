"""A deep size-limited tree weighs two recipes on check rows."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

from sklearn_kd import DistilledClassifier, MungeTransfer, UnlabeledTransfer
from sklearn_kd._student import CHECK_SIZE, StudentFit, TreeRoute, tree_plan


@pytest.mark.parametrize(
    "student, temperature, wanted",
    [
        (DecisionTreeClassifier(max_depth=10), "auto", True),
        (DecisionTreeClassifier(max_depth=12, max_leaf_nodes=1000), "auto", True),
        (DecisionTreeClassifier(max_depth=4), "auto", False),
        (DecisionTreeClassifier(max_leaf_nodes=64), "auto", False),
        (DecisionTreeClassifier(), "auto", False),
        (RandomForestClassifier(max_depth=10), "auto", False),
        (DecisionTreeClassifier(max_depth=10), 1.0, False),
    ],
)
def test_only_trees_too_large_for_the_search_want_check_rows(
    student, temperature, wanted
):
    """The search chooses among small trees; trees without a limit always
    learn probabilities; forests and a fixed temperature have one recipe."""
    assert TreeRoute(temperature).wants_check_rows(student) is wanted


def _fit_with_check(teacher_proba_of_check):
    """A depth-10 tree's training data, whose check rows carry
    ``teacher_proba_of_check(X_check)`` as the teacher's probabilities."""
    X, y = make_classification(
        n_samples=600, n_features=8, n_informative=5, random_state=0
    )
    teacher = RandomForestClassifier(n_estimators=30, random_state=0).fit(X, y)
    X_new = MungeTransfer(size=16).generate(X, random_state=0)
    X_check = MungeTransfer(size=CHECK_SIZE).generate(X, random_state=1)
    return StudentFit(
        np.vstack([X, X_new]),
        np.concatenate([y, np.full(len(X_new), -1)]),
        np.vstack([teacher.predict_proba(X), teacher.predict_proba(X_new)]),
        None,
        alpha=0.5,
        scale=17.0,
        check=(X_check, teacher_proba_of_check(X_check)),
    )


def test_the_tree_more_faithful_on_the_check_rows_is_kept():
    """Both recipes are grown; when the check rows' teacher says what one of
    the two trees says, that tree is kept, whichever it is."""
    student = DecisionTreeClassifier(max_depth=10, random_state=0)
    data = _fit_with_check(lambda X_check: np.ones((len(X_check), 2)) / 2)
    plan = tree_plan(student, "auto", data)
    assert plan.temperature == 0.0 and plan.rival.temperature == 1.0
    route = TreeRoute("auto")
    grown = {
        p.temperature: route._grow(student, data, p, {}) for p in (plan, plan.rival)
    }
    X_check = data.check[0]
    predictions = {t: tree.predict(X_check) for t, tree in grown.items()}
    assert (predictions[0.0] != predictions[1.0]).any()
    for temperature, said in predictions.items():
        says = np.eye(2)[said]
        kept = route.fit(student, _fit_with_check(lambda _, says=says: says), {})
        assert route.fitted_temperature == temperature
        assert_array_equal(kept.predict(X_check), predictions[temperature])


@pytest.mark.parametrize(
    "transfer, soft_targets, drawn",
    [
        ("auto", "in_sample", True),
        (MungeTransfer(size=2), "in_sample", True),
        ("auto", "oob", False),
        ("auto", "cross_fit", False),
        (None, "in_sample", False),
        (UnlabeledTransfer(np.zeros((5, 8))), "in_sample", False),
    ],
)
def test_check_rows_are_drawn_only_for_in_sample_targets_and_a_sized_sampler(
    transfer, soft_targets, drawn, capsys
):
    """``CHECK_SIZE`` rows per training row, apart from the transfer set,
    when the teacher's targets on the training rows are in-sample: honest
    ones make those rows the teacher's honest view, and fixed unlabelled rows
    cannot be drawn again; the tree then keeps the teacher's decisions."""
    X, y = make_classification(n_samples=400, n_features=8, random_state=0)
    distiller = DistilledClassifier(
        RandomForestClassifier(n_estimators=20, random_state=0),
        DecisionTreeClassifier(max_depth=10, random_state=0),
        transfer=transfer,
        soft_targets=soft_targets,
        cv=3,
        validation_fraction=None,
        random_state=0,
        verbose=1,
    ).fit(X, y)
    logged = capsys.readouterr().out
    assert (f"Drew and labelled {CHECK_SIZE * len(X)} check rows" in logged) is drawn
    if not drawn and transfer is not None:
        assert distiller.temperature_ == 0.0


def test_check_rows_leave_the_guard_split_unchanged(capsys):
    """The check rows come from their own seed, so drawing them takes nothing
    from the generator that then splits off the guard's held-out rows: the
    student on labels scores the same there as in a fit without them."""
    X, y = make_classification(n_samples=500, n_features=8, random_state=0)

    def fit(temperature):
        return DistilledClassifier(
            RandomForestClassifier(n_estimators=20, random_state=0),
            DecisionTreeClassifier(max_depth=10, random_state=0),
            temperature=temperature,
            soft_targets="in_sample",
            random_state=0,
            verbose=1,
        ).fit(X, y)

    with_check = fit("auto")
    assert "check rows" in capsys.readouterr().out
    without = fit(1.0)
    assert "check rows" not in capsys.readouterr().out
    assert (
        with_check.validation_scores_["labels"]
        == (without.validation_scores_["labels"])
    )
