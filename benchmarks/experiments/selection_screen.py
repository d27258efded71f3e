"""Screen: how the fidelity search should choose among its candidate trees.

A capacity-limited tree is grown as the plain tree and as candidates (random
feature subsets, and for ``max_leaf_nodes`` one grown larger and pruned back);
the package keeps the one whose decisions agree with the teacher's on the
most transfer rows. This screen grows the same candidates, with the same
seeds, inside ``DistilledClassifier`` with its defaults (guard off), keeps all
of them, and scores each on the test rows, so every selection rule, and the
best choice in hindsight ("oracle"), is judged on the same trees:

- ``transfer``: agreement with the teacher's decisions on the transfer rows
  (the package's rule);
- ``weighted``: the same on all rows, training rows weighted as in growth;
- ``train_teacher`` / ``train_labels``: agreement on the training rows with
  the teacher's decisions / with the labels;
- ``plain``: no search.

    cd benchmarks/experiments
    python selection_screen.py run OUT.jsonl SEEDS [TEACHERS [STUDENTS [DEPTHS [WEIGHTS]]]]

``DEPTHS`` (e.g. ``0,1,2``; ``""`` for none) adds candidates grown
depth-first to trees with a leaf budget: ``max_depth`` of
``ceil(log2(budget))`` plus each value. ``WEIGHTS`` (e.g. ``1,4``) adds, per
value, three candidates grown with the training rows weighted that much
instead of the transfer size: the plain tree and two random-feature ones.
    python selection_screen.py summary OUT.jsonl
"""

import copy
import json
import sys
import tempfile
import time

import numpy as np
from common import DATA
from threadpoolctl import threadpool_limits

import sklearn_kd._student as student_module
from sklearn_kd import DistilledClassifier
from sklearn_kd._bench import _split, load_datasets, students, teachers

#: Extra candidates grown depth-first (max_depth = ceil(log2(budget)) + k),
#: set by ``run --depths``; the package grows none.
EXTRA_DEPTHS = ()
#: Extra candidates grown with the training rows weighted each of these
#: (instead of the transfer size), set by ``run --weights``; the package
#: grows none.
EXTRA_REAL_WEIGHTS = ()
RULES = ("transfer", "weighted", "train_teacher", "train_labels", "plain", "oracle")
RECORD = {}


def recording_search(grower, plain, params, data, n_candidates):
    """The package's candidates (``search_candidates``), then this screen's
    extra ones, all kept in RECORD with each rule's scores; returns the
    package's choice."""
    candidates = student_module.search_candidates(
        grower, plain, params, data, n_candidates
    )
    n_package = len(candidates)
    RECORD["n_package"] = n_package
    budget = params.get("max_leaf_nodes")
    if EXTRA_DEPTHS and budget is not None and params.get("max_depth") is None:
        # depth-first candidates: every branch to the same depth, in the budget
        shallowest = int(np.ceil(np.log2(budget)))
        candidates += [
            grower.grow(dict(params, max_depth=shallowest + k)) for k in EXTRA_DEPTHS
        ]
    # the first two random-feature candidates' settings, for the reweighted ones
    randomised = [
        {k: tree.get_params()[k] for k in ("random_state", "max_features")}
        for tree, _ in candidates[1:3]
    ]
    for weight in EXTRA_REAL_WEIGHTS:
        # the same targets with training rows weighted ``weight`` instead of
        # the transfer size: the plain tree and two random-feature ones
        reweighted = copy.copy(grower)
        reweighted.sample_weight = np.where(
            np.arange(len(data.y)) < data.n_training_rows, float(weight), 1.0
        )
        candidates += [reweighted.grow(params)] + [
            reweighted.grow(dict(params, **settings)) for settings in randomised
        ]
    n = data.n_training_rows
    decisions = np.argmax(data.teacher_proba, axis=1)
    weight = grower.sample_weight
    weight = np.ones(len(decisions)) if weight is None else weight
    preds = [
        np.argmax(values[tree.apply(data.X)], axis=1) for tree, values in candidates
    ]
    RECORD["candidates"] = candidates
    RECORD["scores"] = {
        "transfer": [int(np.sum(p[n:] == decisions[n:])) for p in preds],
        "weighted": [float(np.sum(weight * (p == decisions))) for p in preds],
        "train_teacher": [int(np.sum(p[:n] == decisions[:n])) for p in preds],
        "train_labels": [int(np.sum(p[:n] == data.y[:n])) for p in preds],
    }
    package = RECORD["scores"]["transfer"][:n_package]
    return candidates[int(np.argmax(package))]


def run(
    out_path, seeds, teacher_names, student_names, extra_depths=(), extra_weights=()
):
    global EXTRA_DEPTHS, EXTRA_REAL_WEIGHTS
    EXTRA_DEPTHS, EXTRA_REAL_WEIGHTS = extra_depths, extra_weights
    student_module._most_faithful = recording_search
    datasets = load_datasets([DATA])
    with threadpool_limits(1), open(out_path, "a") as out:
        for seed in seeds:
            for name, (X, y) in datasets.items():
                X_train, X_test, y_train, y_test = _split(X, y, seed, 10_000, 5_000)
                for teacher_name in teacher_names:
                    memory = tempfile.mkdtemp(prefix="selection_screen_")
                    for student_name in student_names:
                        labels = students(seed)[student_name].fit(X_train, y_train)
                        base = np.mean(labels.predict(X_test) == y_test)
                        RECORD.clear()
                        started = time.perf_counter()
                        model = DistilledClassifier(
                            teachers(seed, 2)[teacher_name],
                            students(seed)[student_name],
                            validation_fraction=None,
                            memory=memory,
                            random_state=seed,
                            n_jobs=1,
                        ).fit(X_train, y_train)
                        encoded = np.searchsorted(model.classes_, y_test)
                        X32 = np.asarray(X_test, dtype=np.float32)
                        test = [
                            100
                            * (
                                np.mean(np.argmax(v[t.apply(X32)], axis=1) == encoded)
                                - base
                            )
                            for t, v in RECORD.get("candidates", [])
                        ]
                        row = {
                            "dataset": name,
                            "seed": seed,
                            "teacher": teacher_name,
                            "student": student_name,
                            "model": 100 * (model.score(X_test, y_test) - base),
                            "test": test,  # empty: not capacity-limited, no search
                            "scores": RECORD.get("scores"),
                            "n_package": RECORD.get("n_package"),
                            "s": time.perf_counter() - started,
                        }
                        out.write(json.dumps(row) + "\n")
                        out.flush()
                        print(
                            name,
                            seed,
                            teacher_name,
                            student_name,
                            round(row["model"], 2),
                            flush=True,
                        )


def summary(path):
    """Per teacher, student and rule: median over sets of the per-set median
    gain over seeds, the worst set and the sets better."""
    rows = [json.loads(line) for line in open(path)]
    gains = {}
    for r in rows:
        for rule in RULES:
            if not r["test"]:
                gain = r["model"]
            elif rule == "plain":
                gain = r["test"][0]
            elif rule == "oracle":
                gain = max(r["test"])
            else:
                gain = r["test"][int(np.argmax(r["scores"][rule]))]
            key = (r["teacher"], r["student"], rule)
            gains.setdefault(key, {}).setdefault(r["dataset"], []).append(gain)
    for (teacher, student, rule), per_set in sorted(gains.items()):
        medians = [np.median(v) for v in per_set.values()]
        print(
            f"{teacher:6} {student:9} {rule:14} {np.median(medians):+.2f} "
            f"[{min(medians):+.2f}] {sum(m > 0 for m in medians)}/{len(medians)}"
        )


if __name__ == "__main__":
    if sys.argv[1] == "summary":
        summary(sys.argv[2])
    else:
        run(
            sys.argv[2],
            [int(s) for s in sys.argv[3].split(",")],
            sys.argv[4].split(",") if len(sys.argv) > 4 else ["rf500", "gbm300"],
            sys.argv[5].split(",") if len(sys.argv) > 5 else ["tree_l64", "tree_d8"],
            tuple(int(k) for k in sys.argv[6].split(",") if k)
            if len(sys.argv) > 6
            else (),
            tuple(float(w) for w in sys.argv[7].split(","))
            if len(sys.argv) > 7
            else (),
        )
