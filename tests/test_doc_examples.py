"""The documentation's examples run in the test suite, exactly as printed.

Every ```{doctest}``` block of a page is run, in page order and sharing one namespace (as
Sphinx's doctest builder runs a page's default group), with the flags of ``docs/conf.py``. So a
page that shows a result the code no longer gives fails here, not only in ``nox -s docs``.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
BLOCK = re.compile(r"^```\{doctest\}\n(.*?)^```", re.MULTILINE | re.DOTALL)
PAGES = sorted(
    p for p in DOCS.rglob("*.md") if "_build" not in p.parts and BLOCK.search(p.read_text("utf-8"))
)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.DONT_ACCEPT_TRUE_FOR_1


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_examples(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    monkeypatch.setenv("GOVDISCLOSE_CALENDAR_DIR", str(tmp_path / "calendar"))
    text = "\n".join(m.group(1) for m in BLOCK.finditer(page.read_text("utf-8")))
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text, {"__name__": "__docs__"}, page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test, out=lambda s: _report.append(s))
    failed = runner.summarize(verbose=False).failed
    message = "".join(_report)
    _report.clear()
    assert failed == 0, message
    assert test.examples, "a page with a doctest block has examples"


_report: list[str] = []
