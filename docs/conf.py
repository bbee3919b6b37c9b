"""Sphinx configuration: Markdown pages (MyST), API pages from docstrings, doctested examples."""

from __future__ import annotations

project = "govdisclose"
author = "govdisclose developers"
copyright = "2026, govdisclose developers"  # noqa: A001 - Sphinx's own setting name
language = "zh_CN"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
# attrs generates __init__ signatures with private validator names; the class docs say enough.
autodoc_class_signature = "separated"
nitpicky = False

html_theme = "alabaster"
html_title = "govdisclose"
