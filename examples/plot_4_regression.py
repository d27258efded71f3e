"""
=========================================
Distilling a forest regressor into a tree
=========================================

:class:`~sklearn_kd.DistilledRegressor` is the regression sibling of
:class:`~sklearn_kd.DistilledClassifier`: a small student regressor learns a
blend of the true targets and a large teacher's predictions, on the training
rows and on a transfer set of new rows that only the teacher labels. This
example distils a 200-tree random forest into decision trees of 16 and 64
leaves on Friedman's synthetic regression problem #1, and compares the test
R² of each distilled tree with the same tree trained on the targets, over five
train/test splits.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Data and models
# ---------------
# :func:`~sklearn.datasets.make_friedman1` generates the data (nothing is
# downloaded): ten uniform features, of which five enter a smooth non-linear
# function, plus Gaussian noise. 1,000 rows per split, a quarter of them for
# the test.
#
# The distilled trees keep all the defaults: ``alpha=0.5`` (the weight of the
# true targets), a MUNGE transfer set 16 times the training rows, and the
# validation guard, which holds out a fifth of the training rows and keeps the
# tree trained on targets when its squared errors there are clearly lower
# than the distilled tree's (a paired test at the 5% level).
# ``memory`` caches the forest, so it is fitted once per split for both leaf
# budgets.
import warnings
from tempfile import TemporaryDirectory

import matplotlib.pyplot as plt
import pandas as pd
from sklearn.base import clone
from sklearn.datasets import make_friedman1
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor

from sklearn_kd import DistilledRegressor

# the guard's fallback is recorded in ``distilled_`` below
warnings.filterwarnings("ignore", message=".*the student is trained on labels alone")

LEAF_BUDGETS = [16, 64]
SEEDS = [0, 1, 2, 3, 4]

rows = []
with TemporaryDirectory() as cache:
    for seed in SEEDS:
        X, y = make_friedman1(n_samples=1000, noise=1.0, random_state=seed)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.25, random_state=seed
        )
        teacher = RandomForestRegressor(n_estimators=200, random_state=seed)
        teacher_r2 = clone(teacher).fit(X_train, y_train).score(X_test, y_test)
        for leaves in LEAF_BUDGETS:
            tree = DecisionTreeRegressor(max_leaf_nodes=leaves, random_state=seed)
            distilled = DistilledRegressor(
                teacher, tree, memory=cache, random_state=seed
            ).fit(X_train, y_train)
            rows.append(
                {
                    "seed": seed,
                    "leaves": leaves,
                    "teacher": teacher_r2,
                    "targets": clone(tree).fit(X_train, y_train).score(X_test, y_test),
                    "distilled": distilled.score(X_test, y_test),
                    "distilled_": distilled.distilled_,
                }
            )
results = pd.DataFrame(rows)
results["gain"] = results["distilled"] - results["targets"]

# %%
# Test R²
# -------
# Means over the five splits: the forest, the tree trained on the targets,
# the distilled tree, their difference (``gain``), the smallest and largest
# gain over the splits, and on how many splits the guard kept the distilled
# tree (``distilled_``).
summary = results.groupby("leaves").agg(
    teacher=("teacher", "mean"),
    targets=("targets", "mean"),
    distilled=("distilled", "mean"),
    gain=("gain", "mean"),
    worst_gain=("gain", "min"),
    best_gain=("gain", "max"),
    splits_distilled=("distilled_", "sum"),
)
summary.round(3)

# %%
# Each line joins the two trees of one split and one leaf budget, from the
# tree on targets (left) to the distilled tree (right): a line that rises is a
# split on which distillation paid.
fig, ax = plt.subplots(figsize=(5.5, 4.5), layout="constrained")
for leaves, color in zip(LEAF_BUDGETS, ["tab:blue", "tab:orange"], strict=True):
    part = results[results["leaves"] == leaves]
    for _, row in part.iterrows():
        ax.plot([0, 1], [row["targets"], row["distilled"]], "o-", color=color)
    ax.plot([], [], "o-", color=color, label=f"{leaves} leaves")
ax.axhline(results["teacher"].mean(), color="k", ls="--", label="forest (mean)")
ax.set_xticks([0, 1], ["tree on targets", "distilled tree"])
ax.set_xlim(-0.3, 1.3)
ax.set(ylabel="test R²", title="Five splits of make_friedman1")
fig.legend(loc="outside lower center", ncols=3)
plt.show()

# %%
# Reading the results
# -------------------
# The forest's predictions are a smoothed version of the targets, and on the
# transfer rows they show the tree how the function behaves between the
# training rows, where the noisy targets say nothing. Whether that buys R²
# depends on the data and on the size of the tree: compare the mean gain with
# its spread over the splits (``worst_gain``, ``best_gain``) before trusting
# it, and read ``splits_distilled``: on a split where the guard fell back, the
# estimator is the tree on targets and the gain is zero, whatever the
# distilled tree would have scored on the test rows. The guard judges on about
# 150 held-out rows here and falls back only on a clear loss, so it can keep a
# distilled tree that does slightly worse on the test rows. Five splits of
# synthetic data are an illustration, not a benchmark; measure on your own
# data.
