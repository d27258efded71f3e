"""Command line: ``python -m sklearn_kd [demo|bench|distill|deploy]``."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import shlex
import sys
from pathlib import Path

from sklearn_kd import _cli_distill
from sklearn_kd._cli_distill import CommandError


def _names(option, value, known):
    """The comma-separated names of ``value``, each one of ``known``."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise CommandError(
            f"{option}: unknown name(s) {unknown or [value]}; choose from "
            f"{sorted(known)}."
        )
    return names


#: Where ``bench`` writes its report unless told otherwise.
DEFAULT_OUT = str(Path("benchmarks") / "results")


def _check_seeds(seeds):
    if seeds < 1:
        raise CommandError(f"--seeds must be at least 1; got {seeds}.")


def _bench(args):
    from sklearn_kd import _bench

    _check_seeds(args.seeds)
    teacher_names = _names("--teachers", args.teachers, _bench.teachers(0, 1))
    student_names = None
    if args.students:
        student_names = _names("--students", args.students, _bench.known_students())
    missing = [d for d in args.data_dir if not Path(d).is_dir()]
    if missing:
        raise CommandError(f"data folder not found: {', '.join(missing)}")
    empty = [d for d in args.data_dir if not any(Path(d).glob("*.csv.gz"))]
    if empty:
        raise CommandError(f"no *.csv.gz files in: {', '.join(empty)}")
    data_dirs = args.data_dir
    # the report says how to reproduce it, which --resume does not change
    argv = [arg for arg in args.argv if arg != "--resume"]
    command = "python -m sklearn_kd " + " ".join(map(shlex.quote, argv))
    if args.suite == "scale":
        from sklearn_kd import _bench_scale

        try:
            shapes = _bench_scale.parse_shapes(args.shapes)
        except ValueError as exc:
            raise CommandError(f"--shapes: {exc}") from exc
        if args.repeats < 1:
            raise CommandError(f"--repeats must be at least 1; got {args.repeats}.")
        results = _bench_scale.run(
            shapes,
            log=lambda m: print(m, file=sys.stderr),
            repeats=args.repeats,
            grid=not args.no_grid,
        )
        out = Path(args.out) / "scale" if args.out == DEFAULT_OUT else args.out
        report = _bench_scale.write_report(results, out, command)
        print(_bench_scale.table(results))
        print(f"\nWritten to {report}")
        return 0
    if args.suite == "neural":
        try:
            from sklearn_kd import _bench_neural
        except ImportError as exc:
            raise CommandError(
                f"--suite neural needs the torch extra ({exc}): pip install -c "
                "constraints.txt '.[torch]'"
            ) from exc
        return _bench_neural.run(args, command)
    rows = _bench.run(
        data_dirs,
        seeds=range(args.seeds),
        teacher_names=teacher_names,
        student_names=student_names,
        max_train=args.max_train,
        n_jobs=args.n_jobs,
        out=args.out,
        task=args.task,
        resume=args.resume,
    )
    report = _bench.write_report(rows, args.out, command)
    print(_bench.summary(rows))
    print(f"\nFull tables and plots: {report}")
    return 0


def _demo(args):
    from sklearn_kd._demo import main

    _check_seeds(args.seeds)
    return main(seeds=args.seeds)


def _deploy(args):
    from sklearn_kd import _deploy

    return _deploy.main(args)


def _add_deploy_parser(sub):
    deploy = sub.add_parser(
        "deploy",
        help="size, latency and throughput of a teacher and its students, "
        "in scikit-learn and onnxruntime",
    )
    deploy.add_argument(
        "--data", help="a CSV (optionally .gz) file; default: synthetic data"
    )
    deploy.add_argument("--target", default="target", help="label column of --data")
    deploy.add_argument(
        "--out",
        default=str(Path("benchmarks") / "results" / "deploy"),
        help="folder for README.md",
    )
    deploy.set_defaults(handler=_deploy)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="sklearn-kd",
        description=(
            "Knowledge distillation for scikit-learn: train a small, fast "
            "student on a large teacher's probabilities. Without a subcommand, "
            "runs the demo. Exit status: 0 success, 2 bad input."
        ),
    )
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser(
        "demo", help="distil a random forest into a small tree on bundled data"
    )
    demo.add_argument("--seeds", type=int, default=5, help="train/test splits")
    bench = sub.add_parser("bench", help="the benchmark over folders of *.csv.gz")
    bench.add_argument(
        "data_dir",
        nargs="*",
        help="folders of *.csv.gz with a 'target' column (default: data "
        "bundled with scikit-learn); see --task",
    )
    bench.add_argument("--seeds", type=int, default=3)
    bench.add_argument("--teachers", default="rf500,gbm300")
    bench.add_argument("--students", default=None, help="comma-separated subset")
    bench.add_argument("--max-train", type=int, default=5000)
    bench.add_argument("--n-jobs", type=int, default=2)
    bench.add_argument("--out", default=DEFAULT_OUT)
    bench.add_argument(
        "--resume",
        action="store_true",
        help="keep the rows a cut-short run of the same command saved in "
        "OUT/results.json and run only what they lack",
    )
    bench.add_argument(
        "--task",
        choices=("auto", "classification", "regression"),
        default="auto",
        help="auto: a numeric target with more than 30 values is regression",
    )
    bench.add_argument(
        "--suite",
        choices=("tabular", "neural", "scale"),
        default="tabular",
        help="tabular: trees, forests, linear and MLP students of rf500/gbm300; "
        "neural: Hinton's digits experiment and forests into skorch MLPs; "
        "scale: distillation's time and memory beside the teacher's",
    )
    bench.add_argument(
        "--shapes",
        default="10000x20,100000x20,1000x10000,1000000x20",
        help="with --suite scale: ROWSxCOLUMNS, comma-separated",
    )
    bench.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="with --suite scale: runs of each fit, reported as medians with "
        "their range",
    )
    bench.add_argument(
        "--no-grid",
        action="store_true",
        help="with --suite scale: leave out the grid search with a memory= "
        "cache, which runs on the smallest shape",
    )
    bench.add_argument(
        "--part",
        choices=("digits", "tabular", "all"),
        default="all",
        help="with --suite neural: which part to run",
    )
    bench.add_argument(
        "--quick", action="store_true", help="with --suite neural: tiny settings"
    )
    bench.set_defaults(handler=_bench)
    demo.set_defaults(handler=_demo)
    _cli_distill.add_parser(sub)
    _add_deploy_parser(sub)
    args = parser.parse_args(argv)
    if args.command is None:  # `python -m sklearn_kd` runs the demo
        args = parser.parse_args(["demo", *(argv or [])])
    # the exact command, for reports that say how they were made
    args.argv = list(sys.argv[1:] if argv is None else argv)
    return _cli_distill.run(args.handler, args)


if __name__ == "__main__":
    sys.exit(main())
