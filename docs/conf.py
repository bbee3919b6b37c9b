"""Sphinx configuration: Markdown pages (MyST), API pages from docstrings, doctested examples.

Build (warnings are errors) and run every example::

    sphinx-build -W --keep-going -b html docs docs/_build/html
    sphinx-build -W -b doctest docs docs/_build/doctest
"""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

# Local extensions (docs/_ext): the generated table of error codes.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "govdisclose"
author = "govdisclose developers"
copyright = "2026, govdisclose developers"
language = "zh_CN"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "gd_error_codes",
]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "_ext", "examples"]

# Docstrings write `name` for a cross-reference (the attrs/structlog habit): make that a Python
# object reference, so it links when the target is documented and stays code when it is not.
default_role = "py:obj"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
# attrs generates __init__ signatures with private validator names; the class docs say enough.
autodoc_class_signature = "separated"
nitpicky = False

# Doctests run the examples exactly as printed: no hidden set-up, so every example can be pasted
# into a Python session. ELLIPSIS lets a line hide what changes between releases (the calendar
# data version), never a figure.
doctest_default_flags = (
    doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.DONT_ACCEPT_TRUE_FOR_1
)

html_theme = "alabaster"
html_title = "govdisclose"
