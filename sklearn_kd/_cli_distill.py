"""``sklearn-kd distill``: distil a saved model into a small one from a CSV file."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import sys
import time
import warnings
from pathlib import Path

#: Students the command line offers, with the estimator each name builds.
STUDENTS = ("tree", "forest", "logreg", "hgb", "mlp")


class CommandError(Exception):
    """A user error: printed without a traceback, exit status 2."""


def build_student(name, params):
    """The student called ``name`` with ``params`` (strings parsed as literals)."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    makers = {
        "tree": lambda: DecisionTreeClassifier(max_leaf_nodes=64),
        "forest": lambda: RandomForestClassifier(n_estimators=10, max_depth=8),
        "logreg": lambda: LogisticRegression(max_iter=1000),
        "hgb": lambda: HistGradientBoostingClassifier(max_iter=50),
        "mlp": lambda: MLPClassifier(hidden_layer_sizes=(32,), max_iter=300),
    }
    student = makers[name]()
    try:
        student.set_params(**params)
    except ValueError as exc:
        raise CommandError(f"--param: {exc}") from exc
    if name in ("logreg", "mlp"):
        student = make_pipeline(StandardScaler(), student)
    return student


def parse_params(pairs):
    """Parse ``["max_depth=6", "criterion=gini"]`` into a dict of literals."""
    import ast

    params = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CommandError(f"--param expects KEY=VALUE; got {pair!r}.")
        try:
            params[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            params[key] = value
    return params


def load_model(path):
    """Load a classifier saved with joblib, refusing anything else."""
    import joblib
    from sklearn.base import is_classifier

    path = Path(path)
    if not path.is_file():
        raise CommandError(f"model file not found: {path}")
    try:
        model = joblib.load(path)
    except Exception as exc:
        raise CommandError(f"could not load {path} with joblib: {exc}") from exc
    if not (
        is_classifier(model)
        and (hasattr(model, "predict_proba") or hasattr(model, "decision_function"))
    ):
        raise CommandError(
            f"{path} holds {type(model).__name__}, not a fitted classifier with "
            "predict_proba or decision_function."
        )
    return model


def load_table(path, target):
    """Features and labels from a CSV (or Parquet) file with a ``target`` column."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise CommandError(f"data file not found: {path}")
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(path)
    if target not in frame.columns:
        raise CommandError(
            f"target column {target!r} not in {path}; its columns are "
            f"{list(frame.columns)}."
        )
    X = frame.drop(columns=target)
    text = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
    if text:
        raise CommandError(
            f"non-numeric columns {text} in {path}: the students need numbers. "
            "Encode them first (for example with an OrdinalEncoder)."
        )
    return X, frame[target].to_numpy()


def distill(args):
    """Run the ``distill`` subcommand; return the exit status."""
    import joblib
    from sklearn.frozen import FrozenEstimator
    from sklearn.model_selection import train_test_split

    from sklearn_kd._distill import DistilledClassifier
    from sklearn_kd._report import evaluate

    teacher = load_model(args.model)
    X, y = load_table(args.data, args.target)
    student = build_student(args.student, parse_params(args.param))
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, random_state=args.seed
    )
    print(
        f"Distilling {type(teacher).__name__} into {student!r} on {len(y_train)} "
        f"rows; {len(y_test)} rows held back for the report.",
        file=sys.stderr,
    )
    start = time.perf_counter()
    clf = DistilledClassifier(
        FrozenEstimator(teacher), student, random_state=args.seed, verbose=1
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        clf.fit(X_train, y_train)
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    print(f"Fitted in {time.perf_counter() - start:.1f}s.", file=sys.stderr)
    classes = clf.classes_
    teacher_pred = teacher.predict(X_test)
    rows = {
        "teacher": evaluate(
            teacher, X_test, y_test, classes=classes, teacher_pred=teacher_pred
        ),
        "student": evaluate(
            clf, X_test, y_test, classes=classes, teacher_pred=teacher_pred
        ),
    }
    print("| model | accuracy | log-loss | agreement | bytes | predict 1 row (µs) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows.items():
        print(
            f"| {name} | {r['accuracy']:.4f} | {r['log_loss']:.3f} "
            f"| {r['agreement']:.3f} | {r['bytes']:,} | {1e6 * r['predict_1_s']:.0f} |"
        )
    print(
        f"distilled: {clf.distilled_} (validation: {clf.validation_scores_}). "
        "The held-back rows are an honest test only if the teacher never saw them."
    )
    if args.out:
        joblib.dump(clf, args.out)
        print(f"Saved the student to {args.out}.")
    return 0


def add_parser(sub):
    """Register the ``distill`` subcommand on an argparse sub-parser set."""
    parser = sub.add_parser(
        "distill",
        help="distil a saved classifier into a small student",
        description=(
            "Distil a classifier saved with joblib into a small student, using "
            "the rows of a CSV or Parquet file. Loading a joblib file runs code "
            "from it: load only files you trust."
        ),
    )
    parser.add_argument("model", help="the trained classifier, saved with joblib")
    parser.add_argument("data", help="CSV or Parquet file with the training rows")
    parser.add_argument("--target", default="target", help="label column")
    parser.add_argument("--student", choices=STUDENTS, default="tree")
    parser.add_argument(
        "--param",
        action="append",
        metavar="KEY=VALUE",
        help="a parameter of the student, repeatable (e.g. max_leaf_nodes=32)",
    )
    parser.add_argument("--test-size", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="where to save the student (joblib)")
    parser.set_defaults(handler=distill)
    return parser


def run(handler, args):
    """Call ``handler``; user errors print one line and exit with status 2."""
    try:
        return handler(args)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
