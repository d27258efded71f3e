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
from threadpoolctl import threadpool_limits

from sklearn_kd import DistilledClassifier, GaussianTransfer, MungeTransfer
from sklearn_kd._bench import _split, load_datasets, students, teachers


STUDENTS = ("tree_d12", "tree_d8", "tree_l64", "forest10")
VARIANTS = {
    # the default before the category swaps: 16x plain MUNGE rows
    "munge16": lambda: MungeTransfer(size=16, swap_proba=0.0),
    "gauss16": lambda: GaussianTransfer(size=16),
    "gauss5": lambda: GaussianTransfer(size=5),
    # MUNGE rows, then categories swapped from the marginal: the default now
    "munge16_swap": lambda: MungeTransfer(size=16, swap_proba=0.1),
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
