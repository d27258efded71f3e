"""Screen: which transfer generator, with the package's other defaults.

The AutoGluon-style peer of the benchmark (5x Gaussian rows, in-sample
targets) beats the defaults (16x MUNGE rows, out-of-bag targets) on some
sets, nursery above all. This screen swaps only the generator: each variant
is ``DistilledClassifier`` with its defaults but ``transfer``, without the
guard (which would only blur the comparison), on the benchmark's splits
(``sklearn_kd._bench``), one teacher fit per split shared through ``memory``.

    python generator_screen.py OUT.jsonl SEED [TEACHERS [VARIANTS]]
"""

import json
import sys
import tempfile
import time

import numpy as np
from common import DATA
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

from sklearn_kd import DistilledClassifier, GaussianTransfer, MungeTransfer
from sklearn_kd._bench import _split, load_datasets, students, teachers


class MarginalSwapMunge(MungeTransfer):
    """MUNGE rows whose categorical values are then, with probability
    ``swap_proba``, replaced by another random training row's, as
    ``GaussianTransfer`` does: new combinations of categories."""

    def __init__(self, size=16.0, swap_proba=0.1):
        super().__init__(size=size)
        self.swap_proba = swap_proba

    def generate(self, X, y=None, *, random_state=None, return_source=False):
        # the same MUNGE rows as MungeTransfer(size) with this random_state,
        # then the swaps from the generator's next draws
        rng = check_random_state(random_state)
        X_new, source = super().generate(X, random_state=rng, return_source=True)
        X = np.asarray(X, dtype=np.float64)
        categorical = self._column_kinds(X)[0]
        if categorical.any():
            swap = rng.random_sample((len(X_new), categorical.sum())) < self.swap_proba
            donors = X[rng.randint(len(X), size=len(X_new))][:, categorical]
            X_new[:, categorical] = np.where(swap, donors, X_new[:, categorical])
        return (X_new, source) if return_source else X_new


STUDENTS = ("tree_d12", "tree_d8", "tree_l64", "forest10")
VARIANTS = {
    "munge16": lambda: "auto",  # the default: 16x MUNGE rows
    "gauss16": lambda: GaussianTransfer(size=16),
    "gauss5": lambda: GaussianTransfer(size=5),
    "munge16_swap": lambda: MarginalSwapMunge(size=16),
}


def main(out_path, seed, teacher_names, variants=tuple(VARIANTS)):
    datasets = load_datasets([DATA])
    with threadpool_limits(1), open(out_path, "a") as out:
        for teacher_name in teacher_names:
            for name, (X, y) in datasets.items():
                X_train, X_test, y_train, y_test = _split(X, y, seed, 10_000, 5_000)
                memory = tempfile.mkdtemp(prefix="generator_screen_")
                for student_name in STUDENTS:
                    labels = students(seed)[student_name].fit(X_train, y_train)
                    base = np.mean(labels.predict(X_test) == y_test)
                    for variant in variants:
                        transfer = VARIANTS[variant]
                        started = time.perf_counter()
                        model = DistilledClassifier(
                            teachers(seed, 2)[teacher_name],
                            students(seed)[student_name],
                            transfer=transfer(),
                            validation_fraction=None,
                            memory=memory,
                            random_state=seed,
                            n_jobs=2,
                        ).fit(X_train, y_train)
                        row = {
                            "dataset": name,
                            "seed": seed,
                            "teacher": teacher_name,
                            "student": student_name,
                            "variant": variant,
                            "gain": 100 * (model.score(X_test, y_test) - base),
                            "s": time.perf_counter() - started,
                        }
                        out.write(json.dumps(row) + "\n")
                        out.flush()
                        print(*row.values(), flush=True)


if __name__ == "__main__":
    main(
        sys.argv[1],
        int(sys.argv[2]),
        sys.argv[3].split(",") if len(sys.argv) > 3 else ["rf500", "gbm300"],
        sys.argv[4].split(",") if len(sys.argv) > 4 else tuple(VARIANTS),
    )
