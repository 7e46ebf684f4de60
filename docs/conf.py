"""Sphinx configuration of the assistkit documentation (Sphinx + MyST Markdown).

Build: ``sphinx-build -W -b html docs docs/_build/html`` (tests/test_docs.py runs it with warnings as errors).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

import assistkit  # noqa: E402 - the docs document the installed package

project = "assistkit"
author = "the assistkit authors"
copyright = "the assistkit authors"
release = version = assistkit.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "assistkit_docs",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
# Methods overriding pytest's or the stdlib's would otherwise inherit docstrings written for another site
# (their cross-references do not resolve here).
autodoc_inherit_docstrings = False
autodoc_default_options = {"members": True, "show-inheritance": True}

html_theme = "alabaster"
html_title = f"assistkit {release}"
# A content column wide enough for the code's 120 columns and the CLI help (tests/test_docs_theme.py measures it
# in Chromium at 1366 pixels, a common office screen): the page grows to 1360px and the body has no max width.
html_theme_options = {
    "page_width": "1360px",
    "sidebar_width": "220px",
    "body_max_width": "none",
    "code_font_size": "0.85em",
}
html_static_path = ["_static"]
html_css_files = ["assistkit.css"]
