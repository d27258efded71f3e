"""Matplotlib settings for the gallery examples when the docs are built."""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

from sphinx_gallery.scrapers import _reset_matplotlib


def reset_matplotlib(gallery_conf, fname):
    """Reset matplotlib before each example, then enlarge its fonts.

    A figure 5.5 inches wide is drawn 550 pixels wide and shrinks to about 360
    on a phone 400 pixels wide; 14-point text then stays about 12 pixels high
    (matplotlib's default 10 points would be 9). The examples set their own
    figure sizes; readers who run them get matplotlib's default fonts.
    """
    _reset_matplotlib(gallery_conf, fname)
    import matplotlib

    matplotlib.rcParams.update({"font.size": 14, "legend.fontsize": 13})
