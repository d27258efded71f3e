"""Utilities: version report for bug reports."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_kd.utils._show_versions import show_versions

__all__ = ["show_versions"]
