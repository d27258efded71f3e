"""
=============================
Deploying without the teacher
=============================

The point of distillation is to ship the student, not the teacher. A fitted
:class:`~sklearn_kd.DistilledClassifier` drops its teacher by default
(``keep_teacher=False``): pickled, it is about as small as its student, and it
predicts about as fast. This example measures the pickled size and the
prediction time, for a batch and for a single row, of a random forest and of
the small tree distilled from it, and shows that the student is a plain
scikit-learn tree that can be printed as rules.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Teacher and student
# -------------------
# The breast cancer data set; a 200-tree random forest teaches a tree of at
# most 16 leaves. A second distilled estimator keeps its teacher
# (``keep_teacher=True``), to show what dropping it saves.
import pickle
import timeit

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier, export_text

from sklearn_kd import DistilledClassifier

data = load_breast_cancer()
X_train, X_test, y_train, y_test = train_test_split(
    data.data, data.target, test_size=0.25, stratify=data.target, random_state=0
)
teacher = RandomForestClassifier(n_estimators=200, random_state=0)
clf = DistilledClassifier(
    teacher, DecisionTreeClassifier(max_leaf_nodes=16, random_state=0), random_state=0
)
clf.fit(X_train, y_train)
kept = clone(clf).set_params(keep_teacher=True).fit(X_train, y_train)
forest = clone(teacher).fit(X_train, y_train)

print("The fitted estimator has a teacher_ attribute:", hasattr(clf, "teacher_"))
print("The student:", clf.student_)
print("Distilled (rather than fallen back to labels):", clf.distilled_)

# %%
# Size and speed
# --------------
# The pickled size in bytes, the time to predict a batch of 10,000 rows (the
# test rows repeated) and the time to predict one row, the latency of a
# service answering one request at a time. Times are the best of five runs.
X_batch = np.resize(X_test, (10_000, X_test.shape[1]))
X_one = X_test[:1]


def best_time(predict, X, number):
    return min(timeit.repeat(lambda: predict(X), number=number, repeat=5)) / number


models = {
    "forest (teacher)": forest,
    "distilled, keep_teacher=True": kept,
    "distilled (default)": clf,
    "student_ alone": clf.student_,
}
report = pd.DataFrame(
    {
        name: {
            "pickled size (kB)": len(pickle.dumps(model)) / 1e3,
            "predict 10,000 rows (ms)": 1e3 * best_time(model.predict, X_batch, 1),
            "predict 1 row (µs)": 1e6 * best_time(model.predict, X_one, 20),
            "test accuracy": model.score(X_test, y_test),
        }
        for name, model in models.items()
    }
).T
report.round(
    {
        "pickled size (kB)": 1,
        "predict 10,000 rows (ms)": 2,
        "predict 1 row (µs)": 0,
        "test accuracy": 3,
    }
)

# %%
# The ``keep_teacher=True`` estimator predicts with its student too, so its
# prediction times are those of the default one, up to timing noise; only its
# pickle carries the forest. The
# meta-estimator adds a small, constant overhead per call to its student
# (input checks, probabilities turned into labels), which shows most on a
# single row.
fig, axes = plt.subplots(1, 3, figsize=(10, 3.5), layout="constrained")
names = list(report.index)
colors = ["k", "tab:grey", "tab:orange", "tab:green"]
for ax, column in zip(axes, report.columns[:3], strict=True):
    ax.barh(names, report[column], color=colors)
    ax.set(xscale="log", title=column)
    ax.invert_yaxis()
for ax in axes[1:]:
    ax.set_yticks(range(len(names)), [""] * len(names))
plt.show()

# %%
# The student is a plain scikit-learn tree
# ----------------------------------------
# ``student_`` is a fitted :class:`~sklearn.tree.DecisionTreeClassifier` and
# works with every tool made for one, such as
# :func:`~sklearn.tree.export_text`. It was fitted on labels encoded as
# ``0 .. n_classes - 1``; ``classes_`` maps them back (here they are the same).
print(
    export_text(
        clf.student_,
        feature_names=list(data.feature_names),
        class_names=list(data.target_names[clf.classes_]),
        max_depth=4,
    )
)

# %%
# Reading the results
# -------------------
# The table compares what would be shipped. The pickle of the default
# estimator holds the tree only, and its size and prediction time are of the
# order of the tree's, while the forest's are larger by the factor shown. The
# test accuracy column tells what that saving costs on these data; the other
# examples of this gallery measure it more carefully, over several splits. To
# ship the smallest possible artefact, pickle ``clf.student_`` alone and map its
# predictions through ``clf.classes_``.
