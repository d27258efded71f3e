"""Root pytest configuration: one thread each, seeded randomness, optional torch."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import os

# On two cores, BLAS and OpenMP threads of nested estimators fight each other:
# the suite runs twice as fast with one thread each. Set before numpy loads, so
# subprocesses started by tests inherit it too.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import importlib.util  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

collect_ignore_glob = []
if (
    importlib.util.find_spec("torch") is None
    or importlib.util.find_spec("skorch") is None
):
    collect_ignore_glob += ["sklearn_kd/torch/*", "sklearn_kd/_bench_neural.py"]

# skip the command-line entry point, which would run the demo on import
collect_ignore_glob += ["sklearn_kd/__main__.py"]


def pytest_configure(config):
    # NumPy 2 prints scalars as np.float64(0.97); doctests show plain numbers
    np.set_printoptions(legacy="1.25")
    threadpool_limits(limits=1)


@pytest.fixture(autouse=True)
def _seed_global_random_state():
    """Every estimator left with ``random_state=None`` draws from numpy's global
    generator: seeding it before each test makes every test repeatable."""
    np.random.seed(0)  # noqa: NPY002 - the global generator is the point
    random.seed(0)
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(0)
