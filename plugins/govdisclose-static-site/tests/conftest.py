"""Puts this directory on ``sys.path``: the tests, and the child processes they start, import
their shared helpers from ``_static_site_helpers``."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
