"""Version of sklearn_kd."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

__version__ = "0.1.0"
