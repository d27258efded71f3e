"""Root pytest configuration: stable doctest output, optional torch."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import importlib.util

import numpy as np

collect_ignore_glob = []
if (
    importlib.util.find_spec("torch") is None
    or importlib.util.find_spec("skorch") is None
):
    collect_ignore_glob += ["sklearn_kd/torch/*"]

# skip the command-line entry point, which would run the demo on import
collect_ignore_glob += ["sklearn_kd/__main__.py"]


def pytest_configure(config):
    # NumPy 2 prints scalars as np.float64(0.97); doctests show plain numbers
    np.set_printoptions(legacy="1.25")
