"""Print the versions of sklearn_kd and its dependencies, for bug reports."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import platform
import sys
from importlib.metadata import PackageNotFoundError, version

_PACKAGES = (
    "sklearn_kd",
    "scikit-learn",
    "numpy",
    "scipy",
    "joblib",
    "pandas",
    "torch",
    "skorch",
)


def _versions():
    found = {}
    for name in _PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def show_versions():
    """Print the versions of Python, sklearn_kd and its dependencies.

    Examples
    --------
    >>> from sklearn_kd import show_versions
    >>> show_versions()  # doctest: +SKIP
    """
    print("\nSystem:")
    print(f"    python: {sys.version.splitlines()[0]}")
    print(f"   machine: {platform.platform()}")
    print("\nPython dependencies:")
    for name, found in _versions().items():
        print(f"{name:>13}: {found}")
