"""
=====================================
How large should the transfer set be?
=====================================

:class:`~sklearn_kd.DistilledClassifier` teaches a tree student on extra rows,
the transfer set, that the teacher labels: by default 16 times the training
rows, drawn by MUNGE (:class:`~sklearn_kd.MungeTransfer`). This example varies
that multiple, from no transfer set at all (``transfer=None``: the student
learns the teacher's probabilities of the training rows only) to 16, and
measures the test accuracy and the time ``fit`` takes, over three splits of the
digits data set.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

# sphinx_gallery_thumbnail_number = 1

# %%
# Setting
# -------
# The teacher is a 100-tree random forest and the student a tree of at most 64
# leaves. ``validation_fraction=None`` keeps every distilled student, so that
# the measurement shows the effect of the transfer set itself rather than the
# fallback to the labels. ``memory`` caches the fitted teacher: after a first
# fit, the times below are those of the distillation alone (drawing the rows,
# labelling them with the teacher, fitting the student), which is what the
# transfer set adds to the teacher's own fit.
import time
from tempfile import TemporaryDirectory

import matplotlib.pyplot as plt
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

from sklearn_kd import DistilledClassifier, MungeTransfer

X, y = load_digits(return_X_y=True)
SIZES = [0, 1, 4, 16]
SEEDS = [0, 1, 2]

rows = []
with TemporaryDirectory() as cache:
    for seed in SEEDS:
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=seed
        )
        student = DecisionTreeClassifier(max_leaf_nodes=64, random_state=seed)
        clf = DistilledClassifier(
            RandomForestClassifier(n_estimators=100, random_state=seed),
            student,
            memory=cache,
            validation_fraction=None,
            keep_teacher=True,
            random_state=seed,
        )
        # fit once to fill the cache, and keep the teacher's score and fit time
        start = time.perf_counter()
        teacher = clf.set_params(transfer=None).fit(X_train, y_train).teacher_
        teacher_time = time.perf_counter() - start
        labels = student.fit(X_train, y_train).score(X_test, y_test)
        for size in SIZES:
            transfer = MungeTransfer(size=size) if size else None
            clf.set_params(transfer=transfer, keep_teacher=False)
            start = time.perf_counter()
            clf.fit(X_train, y_train)
            rows.append(
                {
                    "seed": seed,
                    "size": size,
                    "accuracy": clf.score(X_test, y_test),
                    "fit (s)": time.perf_counter() - start,
                    "labels": labels,
                    "teacher": teacher.score(X_test, y_test),
                    "teacher fit (s)": teacher_time,
                }
            )
results = pd.DataFrame(rows)

# %%
# Results
# -------
# Means over the splits. ``labels`` is the same tree trained on the labels, and
# ``teacher`` the forest; ``teacher fit (s)`` is the first, uncached fit (the
# forest and its out-of-bag probabilities), for scale. The plot leaves out the
# teacher's accuracy, well above the trees', to show their differences.
table = results.groupby("size")[
    ["accuracy", "labels", "teacher", "fit (s)", "teacher fit (s)"]
].mean()
table.round(4)

# %%
# Test accuracy of the distilled tree for each size of the transfer set: each
# split as a faint line, the mean as a thick one, and the tree on labels
# (mean over the splits) as the horizontal line.
positions = range(len(SIZES))
size_labels = ["None"] + [f"{s}x" for s in SIZES[1:]]
fig, ax = plt.subplots(figsize=(5.5, 4.5), layout="constrained")
for _, split in results.groupby("seed"):
    ax.plot(positions, split["accuracy"], color="tab:orange", alpha=0.3)
ax.plot(positions, table["accuracy"], "o-", color="tab:orange", lw=2)
ax.plot([], [], "o-", color="tab:orange", label="distilled tree")
ax.axhline(table["labels"].mean(), color="tab:blue", label="tree on labels")
ax.set_xticks(positions, size_labels)
ax.set(
    xlabel="transfer set (MungeTransfer size)",
    ylabel="test accuracy",
    title="Accuracy of the 64-leaf tree",
)
ax.legend(loc="lower right")
plt.show()

# %%
# The time of ``fit`` with the teacher cached: what the transfer set adds to
# the teacher's own fit.
fig, ax = plt.subplots(figsize=(5.5, 4), layout="constrained")
ax.bar(positions, table["fit (s)"], color="tab:orange")
ax.set_xticks(positions, size_labels)
ax.set(
    xlabel="transfer set (MungeTransfer size)",
    ylabel="seconds (teacher cached)",
    title="Time of fit, beyond the teacher's",
)
plt.show()

# %%
# Reading the results
# -------------------
# The time grows with the size: the teacher labels every new row and the
# student is fitted on all of them, while at small sizes fixed costs dominate.
# Compare it with the teacher's own fit to see what the transfer set costs in
# relative terms. Whether the
# accuracy grows too, and up to which size, is what the first plot shows for
# this data set and student: read the mean (thick line) against the spread
# between splits (faint lines) and against the tree on labels. Without a
# transfer set, the student learns only the teacher's probabilities of the
# training rows, which on tabular data usually say little that the labels did
# not. The default ``size=16`` was chosen on our benchmark; a student of
# another size, or other data, may be served by another value, which
# ``transfer__size`` in a grid search can find.
