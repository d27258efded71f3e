"""Replace one student's rows of a committed benchmark run with a new run's.

For a change that moves every method of one student (the distilled student,
and with it the size-matched tree on labels and the peers that share the
package's routes) but no other student: run the benchmark for that student
alone, then merge its rows into the committed ``results.json`` and rewrite the
report in ``OUT`` with ``COMMAND`` (the full benchmark command, which
reproduces the merged file) at its top. The teacher rows stay the committed
ones. Run from the repository root:

    python -m sklearn_kd bench ../shared/datasets --seeds 3 --teachers gbm300 \\
        --students tree_d12 --max-train 10000 --n-jobs 2 --out NEW
    python benchmarks/experiments/merge_student_rows.py NEW tree_d12 \\
        benchmarks/results/gbm300 "python -m sklearn_kd bench ..."

It prints, per method, how many rows changed their accuracy.
"""

import sys
from collections import defaultdict
from pathlib import Path

from sklearn_kd._bench import _saved_rows, write_report


def _key(row):
    return row["dataset"], row["seed"], row["teacher"], row["student"], row["method"]


def merge_rows(old, new):
    """``old`` with every row that ``new`` holds for the same (set, seed,
    teacher, student, method) in its place, and the ``(old, new)`` pairs
    replaced; every row of ``new`` must replace one of ``old``."""
    replacement = {_key(r): r for r in new}
    merged = [replacement.get(_key(row), row) for row in old]
    pairs = [(row, fresh) for row, fresh in zip(old, merged, strict=True) if fresh is not row]
    assert len(pairs) == len(replacement), "the runs' rows differ"
    return merged, pairs


def main(new_dir, student, out, command):
    new = [r for r in _saved_rows(new_dir) if r["student"] == student]
    merged, pairs = merge_rows(_saved_rows(out), new)
    write_report(merged, out, command)
    changed, total = defaultdict(int), defaultdict(int)
    for row, fresh in pairs:
        total[row["method"]] += 1
        changed[row["method"]] += fresh["accuracy"] != row["accuracy"]
    for method in sorted(total):
        print(
            f"{student} {method}: accuracy changed in {changed[method]} of "
            f"{total[method]}"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4])
