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


def main(new_dir, student, out, command):
    old, new = _saved_rows(out), _saved_rows(new_dir)
    key = lambda r: (r["dataset"], r["seed"], r["teacher"], r["student"], r["method"])
    replacement = {key(r): r for r in new if r["student"] == student}
    replaced = [key(r) for r in old if key(r) in replacement]
    assert sorted(replaced) == sorted(replacement), "the runs' rows differ"
    changed = defaultdict(int)
    merged = []
    for row in old:
        fresh = replacement.get(key(row), row)
        changed[row["method"]] += fresh is not row and (
            fresh["accuracy"] != row["accuracy"]
        )
        merged.append(fresh)
    write_report(merged, out, command)
    for method in sorted({k[4] for k in replacement}):
        total = sum(k[4] == method for k in replacement)
        print(f"{student} {method}: accuracy changed in {changed[method]} of {total}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4])
