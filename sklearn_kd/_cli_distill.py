"""``sklearn-kd distill``: distil a saved model into a small one from a CSV file."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import ast
import contextlib
import csv
import gzip
import io
import sys
import time
import warnings
from pathlib import Path

import numpy as np

#: Students the command line offers, with the estimator each name builds;
#: ``linear`` is a logistic regression for a classifier, ridge for a regressor.
STUDENTS = ("tree", "forest", "linear", "logreg", "hgb", "mlp")

#: Fewest data rows the command accepts: a train and a test part, each with
#: a few rows per class.
MIN_ROWS = 10

#: Column names quoted in full in an error message; longer lists are cut.
MAX_NAMES = 10

#: The teacher was fitted on named columns and gets the same columns, checked
#: by name and put in its order, as a plain array: its complaint is moot.
FEATURE_NAMES_WARNING = "X does not have valid feature names"

#: Missing-value spellings in a target column (case does not matter).
MISSING = frozenset({"", "nan", "na", "n/a", "null", "none", "?"})


class CommandError(Exception):
    """A user error: printed without a traceback, exit status 2."""


def progress(message, args=None):
    """One stage line on stderr, unless ``--quiet``."""
    if not getattr(args, "quiet", False):
        print(f"[sklearn-kd] {message}", file=sys.stderr, flush=True)


def _names(names):
    names = [str(n) for n in names]
    if len(names) > MAX_NAMES:
        return f"{names[:MAX_NAMES]} and {len(names) - MAX_NAMES} more"
    return str(names)


def _student_makers(regression):
    """Constructors of the students offered, for a classifier or a regressor."""
    from sklearn import ensemble, linear_model, neural_network, tree

    if regression:
        return {
            "tree": lambda: tree.DecisionTreeRegressor(max_leaf_nodes=64),
            "forest": lambda: ensemble.RandomForestRegressor(
                n_estimators=10, max_depth=8
            ),
            "linear": lambda: linear_model.Ridge(),
            "hgb": lambda: ensemble.HistGradientBoostingRegressor(max_iter=50),
            "mlp": lambda: neural_network.MLPRegressor(
                hidden_layer_sizes=(32,), max_iter=300
            ),
        }
    logreg = lambda: linear_model.LogisticRegression(max_iter=1000)
    return {
        "tree": lambda: tree.DecisionTreeClassifier(max_leaf_nodes=64),
        "forest": lambda: ensemble.RandomForestClassifier(n_estimators=10, max_depth=8),
        "linear": logreg,
        "logreg": logreg,
        "hgb": lambda: ensemble.HistGradientBoostingClassifier(max_iter=50),
        "mlp": lambda: neural_network.MLPClassifier(
            hidden_layer_sizes=(32,), max_iter=300
        ),
    }


def build_student(name, params, regression=False):
    """The student called ``name`` with ``params``, checked before any fit."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sklearn_kd._compat import check_params_now

    makers = _student_makers(regression)
    if name not in makers:
        raise CommandError(
            f"--student {name} is a classifier; the model is a regressor, so "
            f"choose from {sorted(makers)}."
        )
    student = makers[name]()
    unknown = sorted(set(params) - set(student.get_params(deep=False)))
    if unknown:
        raise CommandError(
            f"--param: unknown parameter {unknown[0]!r} of the {name} student "
            f"({type(student).__name__}); it has {sorted(student.get_params())}."
        )
    try:
        student.set_params(**params)
        # the values are checked by fit, minutes later; check them now
        check_params_now(student)
    except ValueError as exc:  # InvalidParameterError is a ValueError too
        raise CommandError(f"--param for the {name} student: {exc}") from exc
    if name in ("linear", "logreg", "mlp"):
        student = make_pipeline(StandardScaler(), student)
    return student


def parse_params(pairs):
    """Parse ``["max_depth=6", "criterion=gini"]`` into a dict of literals."""
    params = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CommandError(f"--param expects KEY=VALUE; got {pair!r}.")
        try:
            params[key.strip()] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            params[key.strip()] = value
    return params


def check_writable(path, option):
    """Refuse an output path that cannot be written, before anything is fitted.

    The file is opened for appending (an existing file keeps its bytes) or
    created and removed again: permission bits say nothing for root, or on a
    read-only file system.
    """
    path = Path(path)
    if path.is_dir():
        raise CommandError(f"{option} {path} is a folder; give a file name.")
    if not path.parent.is_dir():
        raise CommandError(f"{option} {path}: folder {path.parent} does not exist.")
    existed = path.exists()
    try:
        with open(path, "ab"):
            pass
    except OSError as exc:
        raise CommandError(f"{option} {path} cannot be written: {exc}") from exc
    if not existed:
        path.unlink()


def check_args(args):
    """Checks of the options alone, which need no file read."""
    if not (0 < args.test_size < 1):
        raise CommandError(
            f"--test-size must be a fraction in (0, 1); got {args.test_size}."
        )
    if args.seed < 0:
        raise CommandError(f"--seed must be a non-negative integer; got {args.seed}.")
    outputs = [(o, p) for o, p in (("--out", args.out), ("--onnx", args.onnx)) if p]
    if len(outputs) == 2 and Path(args.out).resolve() == Path(args.onnx).resolve():
        raise CommandError(f"--out and --onnx are the same file: {args.out}.")
    if args.onnx:
        try:
            import onnx  # noqa: F401
            import skl2onnx  # noqa: F401
        except ImportError as exc:
            raise CommandError(
                f"--onnx needs skl2onnx and onnx ({exc}): "
                "pip install -c constraints.txt '.[onnx]' from a clone of sklearn_kd."
            ) from exc
    for option, path in outputs:
        check_writable(path, option)


def _is_classifier(model):
    """``is_classifier``, False for objects that have no estimator tags."""
    from sklearn.base import is_classifier

    try:
        return is_classifier(model)
    except AttributeError:  # scikit-learn >= 1.6 reads tags that non-estimators lack
        return False


def _is_regressor(model):
    """``is_regressor``, False for objects that have no estimator tags."""
    from sklearn.base import is_regressor

    try:
        return is_regressor(model) and hasattr(model, "predict")
    except AttributeError:
        return False


def load_model(path):
    """Load a fitted classifier or regressor saved with joblib, refusing the rest."""
    import joblib
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    path = Path(path)
    if not path.is_file():
        raise CommandError(f"model file not found: {path}")
    print(
        f"note: loading {path} runs code stored in it; load only files you trust.",
        file=sys.stderr,
    )
    try:
        model = joblib.load(path)
    except Exception as exc:
        raise CommandError(f"could not load {path} with joblib: {exc}") from exc
    classifier = _is_classifier(model) and (
        hasattr(model, "predict_proba") or hasattr(model, "decision_function")
    )
    if not (hasattr(model, "fit") and (classifier or _is_regressor(model))):
        raise CommandError(
            f"{path} holds {type(model).__name__}, not a fitted regressor or "
            "classifier with predict_proba or decision_function."
        )
    try:
        check_is_fitted(model)
    except NotFittedError as exc:
        raise CommandError(
            f"{path} holds an unfitted {type(model).__name__}; fit it first."
        ) from exc
    return model


def _open_text(path):
    """A text stream of a CSV file, gzip-compressed when its name says so."""
    raw = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")
    # utf-8-sig drops the byte-order mark that spreadsheet programs write
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def read_csv(path, target):
    """Features, labels and feature names from a CSV file, without pandas.

    Every column but ``target`` must hold numbers (an empty cell is a missing
    value, NaN). The target keeps numbers when all its values are numbers,
    else strings.
    """
    try:
        with _open_text(path) as stream:
            reader = csv.reader(stream)
            header = next(reader, None)
            if header is None:
                raise CommandError(f"{path} is empty: expected a header row.")
            target_index = _target_index(header, target, path)
            names = header[:target_index] + header[target_index + 1 :]
            rows, labels, bad = [], [], np.zeros(len(names), dtype=bool)
            for line, row in enumerate(reader, start=2):
                if not row:
                    continue  # a blank line
                if len(row) != len(header):
                    raise CommandError(
                        f"{path}, line {line}: {len(row)} fields, but the header "
                        f"has {len(header)}."
                    )
                labels.append(row.pop(target_index))
                rows.append(_parse_row(row, bad))
    except (OSError, UnicodeDecodeError, csv.Error, EOFError) as exc:
        raise CommandError(f"could not read {path} as CSV: {exc}") from exc
    if bad.any():
        raise CommandError(
            f"non-numeric columns {_names(np.array(names)[bad])} in {path}: the "
            "students need numbers. Encode them first (for example with an "
            "OrdinalEncoder), or drop them."
        )
    X = np.vstack(rows) if rows else np.empty((0, len(names)))
    return X, _parse_target(labels, target, path), names


def _target_index(header, target, path):
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise CommandError(f"{path} repeats the column names {_names(duplicated)}.")
    if target not in header:
        raise CommandError(
            f"target column {target!r} not in {path}; its columns are "
            f"{_names(header)}. Name it with --target."
        )
    return header.index(target)


def _parse_row(row, bad):
    """One row of numbers; marks in ``bad`` the columns with non-numbers."""
    values = np.empty(len(row))
    try:
        values[:] = row  # numpy parses the strings: the fast path
    except ValueError:
        for j, cell in enumerate(row):
            try:
                values[j] = float(cell) if cell.strip() else np.nan
            except ValueError:
                values[j] = np.nan
                bad[j] = True
    return values


def _parse_target(labels, target, path):
    """Labels as int64 or float when all are numbers, else as strings."""
    missing = [i for i, v in enumerate(labels) if v.strip().lower() in MISSING]
    if missing:
        lines = [i + 2 for i in missing[:5]]
        raise CommandError(
            f"target column {target!r} in {path} has {len(missing)} missing "
            f"values (first on lines {lines}); drop those rows or fill them in."
        )
    try:
        y = np.array([float(v) for v in labels])
    except ValueError:
        return np.array([v.strip() for v in labels])
    if not np.isfinite(y).all():
        raise CommandError(f"target column {target!r} in {path} holds inf.")
    if np.all(y == np.round(y)):
        return y.astype(np.int64)
    return y


def read_parquet(path, target):
    """Features, labels and feature names from a Parquet file (needs pandas)."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise CommandError(
            f"reading Parquet needs pandas and pyarrow ({exc}); install them, "
            "or save the data as CSV."
        ) from exc
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow missing, or not a Parquet file
        raise CommandError(f"could not read {path} as Parquet: {exc}") from exc
    names = [str(c) for c in frame.columns]
    _target_index(names, target, path)
    features = frame.drop(columns=target)
    text = [
        c for c in features.columns if not pd.api.types.is_numeric_dtype(features[c])
    ]
    if text:
        raise CommandError(
            f"non-numeric columns {_names(text)} in {path}: the students need "
            "numbers. Encode them first (for example with an OrdinalEncoder)."
        )
    labels = frame[target]
    if labels.isna().any():
        raise CommandError(
            f"target column {target!r} in {path} has {int(labels.isna().sum())} "
            "missing values; drop those rows or fill them in."
        )
    labels = labels.astype(str) if labels.dtype == object else labels
    X = features.to_numpy(dtype=np.float64)
    y = _parse_target([str(v) for v in labels], target, path)
    return X, y, [str(c) for c in features.columns]


def load_table(path, target):
    """Features, labels and feature names from a CSV or Parquet file."""
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"data file not found: {path}")
    if path.suffix == ".parquet":
        X, y, names = read_parquet(path, target)
    else:
        X, y, names = read_csv(path, target)
    if len(y) < MIN_ROWS:
        raise CommandError(
            f"{path} has {len(y)} data rows; distilling needs at least {MIN_ROWS}."
        )
    classes = np.unique(y)
    if len(classes) < 2:
        raise CommandError(
            f"target column {target!r} in {path} holds a single class "
            f"({classes[0]!r}); a classifier needs at least two."
        )
    if np.isinf(X).any():
        columns = np.array(names)[np.isinf(X).any(axis=0)]
        raise CommandError(f"columns {_names(columns)} in {path} hold inf values.")
    return X, y, names


def match_model(model, X, y, names, path):
    """``X`` with its columns in the model's order; refuse data it cannot take."""
    n_features = getattr(model, "n_features_in_", None)
    model_names = getattr(model, "feature_names_in_", None)
    if model_names is not None:
        model_names = [str(n) for n in model_names]
        missing = [n for n in model_names if n not in names]
        extra = [n for n in names if n not in model_names]
        if missing:
            raise CommandError(
                f"{path} lacks columns the model was fitted on: {_names(missing)}."
            )
        if extra:
            raise CommandError(
                f"{path} has columns the model was not fitted on: {_names(extra)}; "
                "drop them."
            )
        X = X[:, [names.index(n) for n in model_names]]
    elif n_features is not None and n_features != X.shape[1]:
        raise CommandError(
            f"the model was fitted on {n_features} features, but {path} has "
            f"{X.shape[1]} feature columns (all columns but the target)."
        )
    if _is_regressor(model):
        if y.dtype.kind not in "fiu":
            raise CommandError(
                f"the model is a regressor, but the target column of {path} holds text."
            )
        return X
    seen = set(np.asarray(model.classes_).tolist())
    unknown = sorted(set(y.tolist()) - seen, key=str)
    if len(unknown) == len(np.unique(y)):
        raise CommandError(
            f"the model predicts the classes {_names(sorted(seen, key=str))}, "
            f"none of which are in the target column ({_names(unknown)})."
        )
    return X


def check_missing(X, names, teacher, student, path):
    """Refuse NaN when the teacher or the student cannot take it."""
    from sklearn.utils import get_tags

    has_nan = np.isnan(X).any(axis=0)
    if not has_nan.any():
        return
    refusing = [
        f"{role} {type(step).__name__}"
        for role, model in (("model", teacher), ("student", student))
        # a pipeline's tags are its first step's: each step must take NaN
        for step in (
            [s for _, s in model.steps] if hasattr(model, "steps") else [model]
        )
        if not get_tags(step).input_tags.allow_nan
    ]
    if refusing:
        raise CommandError(
            f"columns {_names(np.array(names)[has_nan])} of {path} have missing "
            f"values, which the {' and the '.join(refusing)} cannot take. Fill "
            "them in, or use --student tree, forest or hgb."
        )


def split(X, y, test_size, seed, regression=False):
    """Train and test parts, stratified when every class has two rows."""
    from sklearn.model_selection import train_test_split

    if regression:
        return train_test_split(X, y, test_size=test_size, random_state=seed)
    try:
        parts = train_test_split(
            X, y, test_size=test_size, random_state=seed, stratify=y
        )
    except ValueError:  # a class with one row, or fewer test rows than classes
        parts = train_test_split(X, y, test_size=test_size, random_state=seed)
    if len(np.unique(parts[2])) < 2:
        raise CommandError(
            f"the training part (1 - --test-size = {1 - test_size:.2f} of the "
            "rows) holds a single class; use more rows or a smaller --test-size."
        )
    return parts


def fit_reporting_warnings(clf, X, y, quiet=False):
    """Fit ``clf``; stage lines and each distinct warning go to stderr once.

    A warning raised per tree or per batch would otherwise be printed
    hundreds of times.
    """
    seen = set()
    target = io.StringIO() if quiet else sys.stderr
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", message=FEATURE_NAMES_WARNING)
        # DistilledClassifier's stage lines (verbose=1) are progress: stderr
        with contextlib.redirect_stdout(target):
            try:
                clf.fit(X, y)
            except (ValueError, TypeError) as exc:
                raise CommandError(f"fitting failed: {exc}") from exc
    for warning in caught:
        key = (warning.category, str(warning.message))
        if key not in seen:
            seen.add(key)
            print(f"warning: {warning.message}", file=sys.stderr)
    return clf


def serialise(exported, X_sample, args):
    """The bytes of each requested output file, made before any is written."""
    import joblib

    payloads = {}
    if args.out:
        buffer = io.BytesIO()
        joblib.dump(exported, buffer)
        payloads[args.out] = ("student (joblib)", buffer.getvalue())
    if args.onnx:
        from sklearn_kd._export import to_onnx

        try:
            onnx_model = to_onnx(exported, X_sample[:1])
        except Exception as exc:  # skl2onnx has no converter, or fails
            raise CommandError(
                f"--onnx: converting {type(exported).__name__} failed: {exc}"
            ) from exc
        payloads[args.onnx] = ("student (ONNX)", onnx_model.SerializeToString())
    return payloads


def export(clf, args):
    """The exported student; without one, no file can be written."""
    try:
        return clf.export_student()
    except (TypeError, ValueError) as exc:
        if args.out or args.onnx:
            raise CommandError(f"cannot export the student: {exc}") from exc
        print(f"warning: the student has no standalone form: {exc}", file=sys.stderr)
        return clf


def report(teacher, student, X_test, y_test, classes):
    """Markdown rows comparing the teacher and the student on the test rows."""
    from sklearn_kd._report import evaluate, markdown_table

    teacher_pred = teacher.predict(X_test)
    rows = []
    for name, model in (("teacher", teacher), ("student", student)):
        r = evaluate(model, X_test, y_test, classes=classes, teacher_pred=teacher_pred)
        rows.append(
            [
                name,
                f"{r['accuracy']:.4f}",
                f"{r['log_loss']:.3f}",
                f"{r['agreement']:.3f}",
                f"{r['bytes']:,}",
                f"{1e6 * r['predict_1_s']:.0f}",
            ]
        )
    header = ["model", "accuracy", "log-loss", "agreement", "pickled bytes"]
    return markdown_table([*header, "predict 1 row (µs)"], rows)


def regression_report(teacher, student, X_test, y_test):
    """Markdown rows: R², RMSE, bytes and latency of teacher and student."""
    from sklearn.metrics import mean_squared_error, r2_score

    from sklearn_kd._report import markdown_table, model_size, predict_times

    rows = []
    for name, model in (("teacher", teacher), ("student", student)):
        pred = model.predict(X_test)
        rows.append(
            [
                name,
                f"{r2_score(y_test, pred):.4f}",
                f"{np.sqrt(mean_squared_error(y_test, pred)):.4g}",
                f"{model_size(model)[0]:,}",
                f"{1e6 * predict_times(model, X_test)[1]:.0f}",
            ]
        )
    header = ["model", "R²", "RMSE", "pickled bytes", "predict 1 row (µs)"]
    return markdown_table(header, rows)


def distill(args):
    """Run the ``distill`` subcommand; return the exit status."""
    from sklearn.frozen import FrozenEstimator

    from sklearn_kd._distill import DistilledClassifier
    from sklearn_kd._regressor import DistilledRegressor
    from sklearn_kd._report import markdown_table

    check_args(args)
    params = parse_params(args.param)
    teacher = load_model(args.model)
    regression = _is_regressor(teacher)
    student = build_student(args.student, params, regression)
    progress(f"Reading {args.data}", args)
    X, y, names = load_table(args.data, args.target)
    X = match_model(teacher, X, y, names, args.data)
    check_missing(X, names, teacher, student, args.data)
    X_train, X_test, y_train, y_test = split(
        X, y, args.test_size, args.seed, regression
    )
    progress(
        f"Distilling {type(teacher).__name__} into {args.student} on "
        f"{len(y_train)} rows; {len(y_test)} rows held back for the report",
        args,
    )
    start = time.perf_counter()
    distiller = DistilledRegressor if regression else DistilledClassifier
    clf = distiller(
        FrozenEstimator(teacher),
        student,
        random_state=args.seed,
        verbose=0 if args.quiet else 1,
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=FEATURE_NAMES_WARNING)
        fit_reporting_warnings(clf, X_train, y_train, args.quiet)
        progress(f"Fitted in {time.perf_counter() - start:.1f}s; measuring", args)
        exported = export(clf, args)
        payloads = serialise(exported, X_train, args)
        if regression:
            table = regression_report(teacher, exported, X_test, y_test)
        else:
            table = report(teacher, exported, X_test, y_test, clf.classes_)
    print(table)
    temperature = getattr(clf, "calibration_temperature_", None)
    tempered = "" if temperature is None else f", leaf temperature {temperature:.2f}"
    print(
        f"\ndistilled: {clf.distilled_} (validation: {clf.validation_scores_}"
        f"{tempered}). The held-back rows are an honest test only if the model "
        "never saw them."
    )
    written = []
    for path, (what, data) in payloads.items():
        try:
            Path(path).write_bytes(data)
        except OSError as exc:  # the disk filled up since the check
            raise CommandError(f"writing {path} failed: {exc}") from exc
        written.append([what, str(path), f"{Path(path).stat().st_size:,}"])
    if written:
        print("\n" + markdown_table(["file", "path", "bytes on disk"], written))
    return 0


def add_parser(sub):
    """Register the ``distill`` subcommand on an argparse sub-parser set."""
    parser = sub.add_parser(
        "distill",
        help="distil a saved classifier or regressor into a small student",
        description=(
            "Distil a classifier or regressor saved with joblib into a small "
            "student of the same kind, using "
            "the rows of a CSV (optionally .gz) or Parquet file. Loading a "
            "joblib file runs code from it: load only files you trust."
        ),
    )
    parser.add_argument(
        "model", help="the trained classifier or regressor, saved with joblib"
    )
    parser.add_argument("data", help="CSV or Parquet file with the training rows")
    parser.add_argument("--target", default="target", help="label column")
    parser.add_argument("--student", choices=STUDENTS, default="tree")
    parser.add_argument(
        "--param",
        action="append",
        metavar="KEY=VALUE",
        help="a parameter of the student, repeatable (e.g. max_leaf_nodes=32)",
    )
    parser.add_argument(
        "--test-size", type=float, default=0.25, help="held-back fraction, in (0, 1)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out", help="write the student, a plain scikit-learn model (joblib)"
    )
    parser.add_argument("--onnx", help="write the student as an ONNX model")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress lines on stderr"
    )
    parser.set_defaults(handler=distill)
    return parser


def run(handler, args):
    """Call ``handler``; user errors print one line and exit with status 2."""
    try:
        return handler(args)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
