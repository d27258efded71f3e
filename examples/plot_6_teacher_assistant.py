"""
=====================================================
A teacher assistant between a forest and a small tree
=====================================================

When the student is much smaller than the teacher, Mirzadeh et al. (2020)
propose to distil in two steps through a model of intermediate size, a
*teacher assistant*. A fitted :class:`~sklearn_kd.DistilledClassifier` is
itself a classifier with ``predict_proba``, so it can teach: this example
distils a 200-tree random forest into a 128-leaf tree (the assistant), that
tree into a 16-leaf tree, and compares the result with distilling the 16-leaf
tree from the forest directly, and with the 16-leaf tree trained on labels,
over three splits of the digits data set.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# The chain
# ---------
# ``assistant`` is an unfitted :class:`~sklearn_kd.DistilledClassifier`; as the
# teacher of ``chain`` it is cloned and fitted inside ``chain.fit`` (the forest
# first, then the 128-leaf tree on the forest's targets), then labels the
# transfer rows of the small tree. ``memory`` lets the direct distillation and
# the assistant share the forest fitted on each split.
#
# Both small students keep the default validation fallback; we silence its
# warning and record the outcome in ``distilled_``.
import warnings
from tempfile import TemporaryDirectory

import matplotlib.pyplot as plt
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

from sklearn_kd import DistilledClassifier

warnings.filterwarnings("ignore", message=".*the student is trained on labels alone")

X, y = load_digits(return_X_y=True)
SEEDS = [0, 1, 2]

rows = []
with TemporaryDirectory() as cache:
    for seed in SEEDS:
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=seed
        )
        forest = RandomForestClassifier(n_estimators=200, random_state=seed)
        small = DecisionTreeClassifier(max_leaf_nodes=16, random_state=seed)
        assistant = DistilledClassifier(
            forest,
            DecisionTreeClassifier(max_leaf_nodes=128, random_state=seed),
            memory=cache,
            random_state=seed,
        )
        direct = DistilledClassifier(
            forest, small, memory=cache, keep_teacher=True, random_state=seed
        ).fit(X_train, y_train)
        chain = DistilledClassifier(
            assistant, small, keep_teacher=True, random_state=seed
        ).fit(X_train, y_train)
        models = {
            "teacher: forest": direct.teacher_,
            "assistant: 128 leaves": chain.teacher_,
            "16 leaves, labels": small.fit(X_train, y_train),
            "16 leaves, from forest": direct,
            "16 leaves, via assistant": chain,
        }
        agreement = (direct.predict(X_test) == chain.predict(X_test)).mean()
        for name, model in models.items():
            rows.append(
                {
                    "seed": seed,
                    "model": name,
                    "accuracy": model.score(X_test, y_test),
                    "distilled_": getattr(model, "distilled_", None),
                    "agreement": agreement,
                }
            )
results = pd.DataFrame(rows)

# %%
# Results
# -------
# Test accuracy on each split, and the mean over the splits.
accuracy = results.pivot(index="seed", columns="model", values="accuracy")[list(models)]
accuracy.loc["mean"] = accuracy.mean()
accuracy.round(4)

# %%
# Which estimators kept the teacher's targets, and the share of test rows on
# which the two distilled 16-leaf trees predict the same class.
outcome = results.pivot(index="seed", columns="model", values="distilled_")[
    ["assistant: 128 leaves", "16 leaves, from forest", "16 leaves, via assistant"]
]
outcome["agreement of the two 16-leaf trees"] = results.groupby("seed")[
    "agreement"
].first()
outcome.round(3)

# %%
# Each grey line is one split, linking the same split's models; the dots are
# the means.
fig, ax = plt.subplots(figsize=(5.5, 4.5), layout="constrained")
positions = range(len(models))
for seed in SEEDS:
    ax.plot(accuracy.loc[seed], positions, color="grey", alpha=0.5, marker=".")
ax.plot(accuracy.loc["mean"], positions, "o", color="tab:orange", ms=10, label="mean")
ax.set_yticks(
    positions, [name.replace(": ", ":\n").replace(", ", ",\n") for name in models]
)
ax.invert_yaxis()
ax.set(xlabel="test accuracy", title="Three splits of the digits")
ax.legend(loc="lower right")
plt.show()

# %%
# Reading the results
# -------------------
# The comparison that matters is between the two distilled 16-leaf trees, split
# by split: the assistant helps where "via assistant" lies to the right of
# "from forest" on most splits, by more than the differences between splits.
# Both trees see the same transfer rows (same ``random_state``), labelled by different
# teachers: when the assistant follows the forest closely, the two trees can
# come out nearly the same, as the agreement column shows. The assistant is
# itself a fairly small model, and what it passes on is its own view of the
# forest (second column); the small tree learns its in-sample probabilities on
# the training rows, since a tree offers no out-of-bag estimate. Whether the
# chain pays depends on the data and on the three sizes; with three splits of
# a small data set, treat the outcome here as an illustration, and measure on
# your own data before adding a step to the pipeline.
