"""
=============================
Deploying without the teacher
=============================

The point of distillation is to ship the student, not the teacher. This
example distils a 200-tree random forest into a tree of at most 16 leaves with
:class:`~sklearn_kd.DistilledClassifier`, exports the student with
:meth:`~sklearn_kd.DistilledClassifier.export_student` as a plain
scikit-learn tree that carries the user's labels, converts it to ONNX when
skl2onnx is installed, and measures what would be shipped: the test accuracy
against the same tree trained on the labels (what distillation bought or
cost), the pickled size, and the time to predict a batch and a single row.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Teacher, student and the tree on labels
# ---------------------------------------
# The breast cancer data set, with its class names as labels
# (``"malignant"``, ``"benign"``) rather than 0 and 1, to show that they reach
# the exported student. A 200-tree random forest teaches a tree of at most 16
# leaves; the same tree trained on the labels alone is the baseline.
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
y = data.target_names[data.target]
X_train, X_test, y_train, y_test = train_test_split(
    data.data, y, test_size=0.25, stratify=y, random_state=0
)
forest = RandomForestClassifier(n_estimators=200, random_state=0)
tree = DecisionTreeClassifier(max_leaf_nodes=16, random_state=0)

clf = DistilledClassifier(forest, tree, random_state=0).fit(X_train, y_train)
# clones: ``clf`` keeps the unfitted ``forest`` and ``tree`` as its parameters,
# and fitting those objects themselves would put a fitted forest in its pickle
forest = clone(forest).fit(X_train, y_train)
on_labels = clone(tree).fit(X_train, y_train)

print("Distilled (the validation guard kept the teacher's targets):", clf.distilled_)
print("The fitted estimator has a teacher_ attribute:", hasattr(clf, "teacher_"))

# %%
# Exporting the student
# ---------------------
# ``export_student()`` returns a copy of the fitted student as a plain
# :class:`~sklearn.tree.DecisionTreeClassifier` whose ``classes_`` are the
# user's labels, and which predicts exactly what ``clf`` predicts. It pickles
# and loads with scikit-learn alone: sklearn_kd is not needed where it runs.
student = clf.export_student()
print(student)
print("classes_:", student.classes_)
print(
    "same predictions as clf:",
    bool((student.predict(X_test) == clf.predict(X_test)).all()),
)

# %%
# Converting to ONNX
# ------------------
# With the ``onnx`` extra (skl2onnx, onnx, onnxruntime), ``to_onnx`` from
# ``sklearn_kd._export`` converts the exported student, or ``clf`` itself, to
# an ONNX graph with a float32 input ``X`` and two outputs, ``label`` and
# ``probabilities``. The graph runs in onnxruntime, in other languages and on
# devices without Python. Without the extra, this cell prints a note and the
# rest of the example runs without ONNX.
try:
    import onnxruntime as ort

    from sklearn_kd._export import to_onnx
except ImportError:
    onnx_bytes = None
    print("skl2onnx or onnxruntime is not installed: no ONNX conversion")
else:
    onnx_bytes = to_onnx(clf, X_train[:1]).SerializeToString()
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(
        onnx_bytes, options, providers=["CPUExecutionProvider"]
    )
    onnx_labels = session.run(["label"], {"X": X_test.astype(np.float32)})[0]
    print([output.name for output in session.get_outputs()])
    print(
        "ONNX labels equal clf.predict:",
        bool((onnx_labels == clf.predict(X_test)).all()),
    )


# %%
# Size, speed and accuracy
# ------------------------
# For each candidate (the forest, the tree trained on the labels alone, the
# fitted :class:`~sklearn_kd.DistilledClassifier`, its exported tree, and that
# tree as an ONNX graph in onnxruntime): the test accuracy, the size in
# kilobytes (pickled, or the serialised ONNX graph), the time to predict 10,000
# rows (the test rows repeated) and the time to predict one row, the latency
# of a service that answers one request at a time. Times are the best of five
# runs; they depend on the machine and on what else runs on it.
X_batch = np.resize(X_test, (10_000, X_test.shape[1]))


def best_time(predict, X, number):
    return min(timeit.repeat(lambda: predict(X), number=number, repeat=5)) / number


predictors = {
    "forest (teacher)": (forest.predict, len(pickle.dumps(forest))),
    "tree, labels only": (on_labels.predict, len(pickle.dumps(on_labels))),
    "distilled model": (clf.predict, len(pickle.dumps(clf))),
    "exported tree": (student.predict, len(pickle.dumps(student))),
}
if onnx_bytes is not None:
    predictors["exported, ONNX"] = (
        lambda X: session.run(["label"], {"X": X.astype(np.float32)})[0],
        len(onnx_bytes),
    )
report = pd.DataFrame(
    {
        name: {
            "test accuracy": np.mean(predict(X_test) == y_test),
            "size (kB)": size / 1e3,
            "10,000 rows (ms)": 1e3 * best_time(predict, X_batch, 1),
            "1 row (µs)": 1e6 * best_time(predict, X_test[:1], 20),
        }
        for name, (predict, size) in predictors.items()
    }
).T
report.round(
    {"test accuracy": 3, "size (kB)": 1, "10,000 rows (ms)": 2, "1 row (µs)": 0}
)

# %%
# The same numbers, one panel each, on logarithmic scales for size and time.
fig, axes = plt.subplots(4, 1, figsize=(5.5, 8.5), layout="constrained")
colors = ["k", "tab:blue", "tab:orange", "tab:green", "tab:purple"][: len(report)]
for ax, column in zip(axes, report.columns, strict=True):
    ax.barh(report.index, report[column], color=colors)
    ax.set_title(column)
    ax.invert_yaxis()
    if column == "test accuracy":
        low = report[column].min()
        ax.set_xlim(low - 0.05, 1)
    else:
        ax.set_xscale("log")
plt.show()

# %%
# The student as rules
# --------------------
# The exported student works with every tool made for a scikit-learn tree,
# such as :func:`~sklearn.tree.export_text`, and names the classes by their
# labels.
print(export_text(student, feature_names=list(data.feature_names), max_depth=3))

# %%
# Reading the results
# -------------------
# The accuracy column is what distillation bought, or cost, on this split: the
# distilled tree against the same tree trained on the labels, with the forest
# as the ceiling. It is one split of 143 test rows, where one row is 0.7 points; the
# first examples of this gallery repeat such comparisons over several splits.
# The size and time columns are what shipping the student instead of the
# forest saves. :class:`~sklearn_kd.DistilledClassifier` itself drops its
# teacher after ``fit`` (``keep_teacher=False``), so its pickle is about the
# size of the tree, but each call goes through its input checks before the
# tree answers, which shows most on a single row: ship the exported student,
# or its ONNX graph, where latency matters. The project's deployment
# benchmark (``sklearn-kd deploy``, under :ref:`benchmark_results`) measures
# the same on a larger problem.
