"""Sphinx configuration of the sklearn_kd documentation.

Follows scikit-learn-contrib/project-template (doc/conf.py): autodoc,
autosummary, intersphinx, numpydoc, sphinx-gallery and pydata-sphinx-theme.
Build with ``python -m sphinx -W --keep-going -b html . _build/html``.

The build must work offline: intersphinx inventories are fetched here, with a
short timeout, into ``_build/intersphinx/`` and a project is linked only when
its inventory could be read, so an unreachable site never becomes a warning.
References into scikit-learn's glossary and user guide that stay unresolved
are pointed at scikit-learn.org by :func:`_link_to_sklearn`.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import importlib.util
import os
import sys
import urllib.request
from datetime import date
from pathlib import Path

from docutils import nodes

import sklearn_kd

DOCS_DIR = Path(__file__).resolve().parent
# docs/_gallery_style.py, named by its import path in sphinx_gallery_conf below
sys.path.insert(0, str(DOCS_DIR))

# -- Project information -------------------------------------------------------

project = "sklearn_kd"
author = "The sklearn_kd developers"
copyright = f"{date.today().year}, {author}"
release = sklearn_kd.__version__
version = ".".join(release.split(".")[:2])

# -- General configuration -----------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "sphinx_copybutton",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
root_doc = "index"
default_role = "literal"
# "fit()" rather than "DistilledClassifier.fit()" in the page's table of contents
toc_object_entries_show_parents = "hide"

# autodoc / autosummary: one page per public name, from docs/_templates/class.rst
autosummary_generate = True
autodoc_typehints = "none"

# Math renders offline: MathJax 3 (Apache-2.0, from the npm package
# mathjax@3.2.2) is served from _static/mathjax/ with its fonts, not a CDN.
mathjax_path = "mathjax/tex-chtml.js"

# The copy button leaves out ">>> ", "... " and "$ " prompts and the output
# lines of doctests, so what is copied runs when pasted.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# numpydoc renders Parameters/Returns/...; class.rst lists the methods itself
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# sklearn_kd.torch needs torch and skorch. Without them its API pages are built
# from mocked imports, and the neural examples (which run torch) are skipped.
HAS_TORCH = all(importlib.util.find_spec(name) for name in ("torch", "skorch"))
if not HAS_TORCH:
    autodoc_mock_imports = ["torch", "skorch"]

# -- Intersphinx, offline-safe -------------------------------------------------

INTERSPHINX_TARGETS = {
    "python": "https://docs.python.org/3/",
    "numpy": "https://numpy.org/doc/stable/",
    "sklearn": "https://scikit-learn.org/stable/",
    "torch": "https://docs.pytorch.org/docs/stable/",
    "skorch": "https://skorch.readthedocs.io/en/stable/",
}


def _intersphinx_mapping(targets, cache_dir, timeout=3.0):
    """Map each project whose ``objects.inv`` can be read to a local copy.

    A copy in ``cache_dir`` is reused; ``SKLEARN_KD_DOCS_OFFLINE=1`` skips the
    network altogether. Projects with no inventory are left out (no warning).
    """
    offline = os.environ.get("SKLEARN_KD_DOCS_OFFLINE", "") not in ("", "0")
    cache_dir.mkdir(parents=True, exist_ok=True)
    mapping = {}
    for name, url in targets.items():
        inventory = cache_dir / f"{name}.inv"
        if not inventory.is_file() and not offline:
            try:
                with urllib.request.urlopen(url + "objects.inv", timeout=timeout) as r:
                    inventory.write_bytes(r.read())
            except (OSError, ValueError):
                continue
        if inventory.is_file():
            mapping[name] = (url, str(inventory))
    return mapping


intersphinx_mapping = _intersphinx_mapping(
    INTERSPHINX_TARGETS, DOCS_DIR / "_build" / "intersphinx"
)

#: scikit-learn user-guide labels cited by our docstrings, for offline builds.
SKLEARN_LABELS = {
    "metadata_routing": "metadata_routing.html",
    # RegressorMixin.score, inherited by DistilledRegressor
    "r2_score": "modules/model_evaluation.html#r2-score",
}


def _link_to_sklearn(app, env, node, contnode):
    """Resolve ``:term:`` and known ``:ref:`` targets left over to scikit-learn.

    Our docstrings follow scikit-learn's, which cite its glossary
    (``:term:`fit```) and user guide. When the scikit-learn inventory is not
    available (offline build), these would be unresolved references.
    """
    if node.get("refdomain") != "std":
        return None
    target = node.get("reftarget", "")
    base = INTERSPHINX_TARGETS["sklearn"]
    if node["reftype"] == "term":
        uri = f"{base}glossary.html#term-{nodes.make_id(target)}"
    elif node["reftype"] == "ref" and target in SKLEARN_LABELS:
        uri = base + SKLEARN_LABELS[target]
    else:
        return None
    reference = nodes.reference("", "", internal=False, refuri=uri)
    reference += contnode
    return reference


# -- Sphinx-Gallery ------------------------------------------------------------

sphinx_gallery_conf = {
    "doc_module": "sklearn_kd",
    "backreferences_dir": "generated",
    "reference_url": {"sklearn_kd": None},
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # examples/ first, then its subfolders with a README.txt (examples/neural);
    # within a folder, by file name: the numbers in the names are the order of
    # a learning path (forest to tree first, deployment later)
    "subsection_order": None,
    "within_subsection_order": "FileNameSortKey",
    "filename_pattern": r"/plot_",
    # torch examples run only where torch and skorch are installed
    "ignore_pattern": r"__init__\.py" if HAS_TORCH else r"__init__\.py|neural/",
    "remove_config_comments": True,
    # the matplotlib reset, then fonts that stay legible on a phone
    "reset_modules": ("_gallery_style.reset_matplotlib",),
    "show_memory": False,
    # every example page shows how long it ran
    "min_reported_time": 0,
    # no sg_execution_times.rst pages: the root one would land in docs/, outside
    # the git-ignored folders; the build log still lists each example's time
    "write_computation_times": False,
}

# -- HTML output ---------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sklearn_kd {release}"
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
    "navigation_with_keys": False,
}
html_sidebars = {
    "index": [],
    "install": [],
    "user_guide": [],
    "numeric_claims": [],
}
html_static_path = ["_static"]
# narrow screens: long signatures and code wrap or scroll inside the page
html_css_files = ["custom.css"]
html_show_sourcelink = False


def setup(app):
    # after intersphinx (priority 500), which resolves the same nodes when online
    app.connect("missing-reference", _link_to_sklearn, priority=900)
