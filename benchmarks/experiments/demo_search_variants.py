"""The digits demo's distilled 128-leaf tree under three searches, per split:
the package's (lighter candidates, weighted rule), the weighted rule without
the lighter candidates, and the search before both (transfer-row agreement,
no lighter candidates). Same splits, teacher and guard as ``sklearn-kd demo``.

Run from the repository root: ``python benchmarks/experiments/demo_search_variants.py``.
"""

import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from sklearn_kd import DistilledClassifier, _student
from sklearn_kd._demo import LEAVES

PACKAGE_RULE = _student._most_faithful
PACKAGE_WEIGHTS = _student.lighter_real_weights
PACKAGE_SEARCH = _student.search_candidates
SEARCHES = []  # per search of the package's variant: was a lighter tree kept?


def counted_rule(grower, plain, params, data, n_candidates):
    """The package's rule, recording whether it kept a lighter candidate
    (the last ones :func:`search_candidates` grows)."""
    grown = []

    def recording_search(*args):
        grown.extend(PACKAGE_SEARCH(*args))
        return grown

    _student.search_candidates = recording_search
    try:
        kept = PACKAGE_RULE(grower, plain, params, data, n_candidates)
    finally:
        _student.search_candidates = PACKAGE_SEARCH
    index = [tree is kept[0] for tree, _ in grown].index(True)
    n_lighter = len(PACKAGE_WEIGHTS(data.scale)) * (1 + _student.LIGHTER_RANDOMISED)
    SEARCHES.append(index >= len(grown) - n_lighter)
    return kept


def transfer_rule(grower, plain, params, data, n_candidates):
    """The rule before the lighter candidates: agreement on transfer rows."""
    candidates = _student.search_candidates(grower, plain, params, data, n_candidates)
    transfer = slice(data.n_training_rows, len(data.y))
    decisions = np.argmax(data.teacher_proba[transfer], axis=1)
    agreement = [
        np.count_nonzero(
            np.argmax(values[tree.apply(data.X[transfer])], axis=1) == decisions
        )
        for tree, values in candidates
    ]
    return candidates[int(np.argmax(agreement))]


VARIANTS = {
    "package": (counted_rule, PACKAGE_WEIGHTS),
    "weighted rule, no lighter": (PACKAGE_RULE, lambda scale: []),
    "before (transfer rule, no lighter)": (transfer_rule, lambda scale: []),
}

X, y = load_digits(return_X_y=True)
gains = {name: [] for name in VARIANTS}
with threadpool_limits(1), warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    for seed in range(5):
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=seed
        )
        student = DecisionTreeClassifier(max_leaf_nodes=LEAVES, random_state=seed)
        labels = student.fit(X_train, y_train).score(X_test, y_test)
        for name, (rule, weights) in VARIANTS.items():
            _student._most_faithful, _student.lighter_real_weights = rule, weights
            distilled = DistilledClassifier(
                RandomForestClassifier(n_estimators=300, random_state=seed),
                student,
                random_state=seed,
            ).fit(X_train, y_train)
            gains[name].append(100 * (distilled.score(X_test, y_test) - labels))
print(
    f"the package's variant searched in {len(SEARCHES)} fits (guard and final) "
    f"and kept a lighter candidate in {sum(SEARCHES)}"
)
for name, values in gains.items():
    print(
        f"{name:36} median {np.median(values):+.2f}  per split "
        + " ".join(f"{v:+.2f}" for v in values)
    )
