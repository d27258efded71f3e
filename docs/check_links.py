"""Check every relative link of the built HTML site.

Run after a build: ``python docs/check_links.py [docs/_build/html]``. Each
``href`` and ``src`` (and each URL of a ``srcset``) of every built page that
points inside the site must name an existing file, and an ``#anchor`` into a
built page must name an ``id`` (or ``name``) on that page; the theme's
assets under ``_static`` are not pages. Links with a scheme
(``https:``, ``mailto:``, ...) are left alone: the site must build offline,
and its external links are not this script's business. Exit status 1 lists
the broken links.
"""

# Authors: The sklearn_kd developers
# SPDX-License-Identifier: BSD-3-Clause

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEFAULT_SITE = Path(__file__).resolve().parent / "_build" / "html"


class _Page(HTMLParser):
    """Collect the links and the anchors of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.anchors = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(name):
                self.anchors.add(attrs[name])
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append((tag, attrs[name]))
        if attrs.get("srcset"):
            for candidate in attrs["srcset"].split(","):
                url = candidate.strip().split(" ")[0]
                if url:
                    self.links.append((tag, url))


def _parse(path, cache):
    if path not in cache:
        page = _Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = page
    return cache[path]


def check_site(site):
    """Return the broken links of the site, as ``(page, link, reason)``."""
    site = Path(site).resolve()
    # _static holds the theme's assets, among them Jinja templates named *.html
    pages = sorted(
        path
        for path in site.rglob("*.html")
        if path.relative_to(site).parts[0] not in ("_static", "_sources")
    )
    cache = {}
    broken = []
    for page_path in pages:
        for tag, link in _parse(page_path, cache).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("//"):
                continue  # external: http(s), mailto, data, javascript, ...
            if tag == "link" and not parts.path:
                continue
            target = page_path
            if parts.path:
                target = (page_path.parent / unquote(parts.path)).resolve()
                if target.is_dir():
                    target = target / "index.html"
            where = page_path.relative_to(site)
            if not target.is_file():
                broken.append((where, link, "no such file"))
                continue
            if not target.is_relative_to(site):
                broken.append((where, link, "outside the built site"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                if fragment not in _parse(target, cache).anchors:
                    broken.append((where, link, f"no id {fragment!r}"))
    return pages, broken


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    site = Path(argv[0]) if argv else DEFAULT_SITE
    if not (site / "index.html").is_file():
        print(f"check_links: no built site at {site} (build the docs first)")
        return 2
    pages, broken = check_site(site)
    for where, link, reason in broken:
        print(f"{where}: {link}: {reason}")
    print(f"check_links: {len(pages)} pages, {len(broken)} broken links")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
