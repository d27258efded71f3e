"""
========================================================
Distilling a large neural network into a small one
========================================================

Hinton, Vinyals and Dean (2015) train a small network on the probabilities of
a large one, softened at a temperature ``T``, and find that it generalises
better than the same small network trained on the labels. This example
repeats their experiment in miniature on the digits data set with
:class:`~sklearn_kd.DistilledClassifier` and the skorch student
:class:`~sklearn_kd.torch.SoftTargetNeuralNetClassifier`, which learns with
:class:`~sklearn_kd.torch.DistillationLoss`:

.. math::

    \\alpha \\, \\mathrm{CE}(z, y) + (1 - \\alpha) \\, T^2 \\,
    \\mathrm{KL}(\\mathrm{softmax}(\\log p / T) \\,\\|\\, \\mathrm{softmax}(z / T)).

It needs the ``torch`` extra, installed from a clone of the repository:
``pip install -c constraints.txt ".[torch]"``.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Data
# ----
# Half of the 1,797 digits train, half test. Torch wants float32 features;
# the student converts arrays itself, but the data are small enough to convert
# once here.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklearn_kd import DistilledClassifier
from sklearn_kd.torch import SoftTargetNeuralNetClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train = scaler.transform(X_train).astype(np.float32)
X_test = scaler.transform(X_test).astype(np.float32)


def error(model):
    return np.mean(model.predict(X_test) != y_test)


# %%
# The teacher: a wide network with dropout
# ----------------------------------------
# As in the paper, the teacher is large next to the student and strongly
# regularised: one hidden layer of 512 units, dropout on the inputs and on the
# hidden units. (The paper's teachers are far larger; this one is sized so
# that the whole example runs in well under a minute on one CPU core.)
teacher = SoftTargetNeuralNetClassifier(
    module__hidden_units=(512,),
    module__dropout=0.5,
    module__input_dropout=0.2,
    max_epochs=60,
    batch_size=64,
    random_state=0,
).fit(X_train, y_train)
print(f"teacher error: {error(teacher):.2%}")

# %%
# The student on labels
# ---------------------
# The student has one hidden layer of 16 units and no regularisation. Trained
# on the labels, it is the baseline that distillation has to beat.
student = SoftTargetNeuralNetClassifier(
    module__hidden_units=(16,), max_epochs=100, batch_size=64, lr=1e-2, random_state=0
)
labels_error = error(student.fit(X_train, y_train))
print(f"student on labels error: {labels_error:.2%}")

# %%
# Distilled students
# ------------------
# The trained teacher is wrapped in :class:`~sklearn.frozen.FrozenEstimator`
# so that it is used as it is, for every temperature. The student is fitted
# through its ``fit_distill`` method (the ``"native"`` route). With
# ``alpha=0.1`` the labels keep a small weight. ``validation_fraction=None``
# keeps the distilled student even where it does worse than the student on
# labels on held-out rows: here we want to see the distilled student itself.
temperatures = [1, 2, 4, 8]
distilled_errors = []
for temperature in temperatures:
    model = DistilledClassifier(
        FrozenEstimator(teacher),
        student,
        temperature=temperature,
        alpha=0.1,
        validation_fraction=None,
    ).fit(X_train, y_train)
    distilled_errors.append(error(model))
    print(f"T={temperature:>2}: distilled student error {distilled_errors[-1]:.2%}")
print(f"the student learnt through the {model.student_route_!r} route")

# %%
# Error against temperature
# -------------------------
# At T=1 the teacher's probabilities on its own training rows are nearly
# one-hot and add little to the labels. Higher temperatures reveal how the
# teacher ranks the wrong classes, its "dark knowledge". Hinton et al. report
# that a very small student prefers intermediate temperatures, as matching
# the teacher's logits for very unlikely classes is beyond its capacity.
fig, ax = plt.subplots(figsize=(5.5, 4), layout="constrained")
ax.plot(temperatures, 100 * np.array(distilled_errors), "o-", label="distilled")
ax.axhline(100 * labels_error, color="k", linestyle="--", label="student on labels")
ax.axhline(100 * error(teacher), color="k", linestyle=":", label="teacher")
ax.set_xscale("log")
ax.set_xticks(temperatures, [str(t) for t in temperatures])
ax.minorticks_off()
ax.set_xlabel("temperature T")
ax.set_ylabel("test error (%)")
ax.legend()
plt.show()

# %%
# One split of 899 test digits is noisy: one digit is 0.11 % of error, so the
# curve above moves from run to run, and a difference of a few digits between
# two points says little. This example is kept small to run in well under a
# minute: one split, one 512-unit teacher, short training. The benchmark
# ``python -m sklearn_kd bench --suite neural --part digits --seeds 5``
# repeats the experiment over five seeds, with an ensemble of three 1,024-unit
# teachers and longer training, for two values of ``alpha`` and five
# temperatures; its table is
# ``benchmarks/results/neural_digits.md``, shown under :ref:`benchmark_results`.
