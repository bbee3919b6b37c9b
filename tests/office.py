"""LibreOffice for the tests: convert Word documents to PDF, count the pages.

One place for how the suite calls ``soffice``: a private profile per run (two conversions at
once would otherwise fight over the user's profile), a timeout, and a skip where LibreOffice is
absent that becomes a failure on CI (``CI=true``), where ``scripts/dev test`` installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest


def soffice() -> str:
    """The LibreOffice executable; skips the test without it (fails on CI)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "LibreOffice (soffice) is required on CI: apt-get install libreoffice-writer"
            )
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer)")
    return found


def convert_to_pdf(
    sources: Sequence[Path], outdir: Path, *, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """Convert ``sources`` to PDF into ``outdir`` in one LibreOffice run (it is slow to start);
    asserts it succeeded and returns the finished process (its output explains a missing PDF)."""
    profile = outdir / "lo-profile"
    completed = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    # soffice exits 0 yet writes nothing when the component a format needs (Calc for .xlsx) is
    # not installed; say so here rather than let a later read fail on a missing file
    missing = [s.name for s in sources if not (outdir / (s.stem + ".pdf")).exists()]
    assert not missing, (
        f"LibreOffice wrote no PDF for {missing} (is libreoffice-calc installed for .xlsx?): "
        f"{completed.stdout} {completed.stderr}"
    )
    return completed


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
