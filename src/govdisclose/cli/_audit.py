"""``govdisclose audit PATH... [--out DIR] [--strict]``: audit saved annual-report pages.

Prints the league table (one line per report, most errors first, then each fault with its
cells) and every unreadable file with the reason; with ``--out`` also writes ``league.csv``,
``faults.csv`` (UTF-8 with a BOM, for Excel) and ``league.html`` there. The exit status is
`EXIT_ERROR` (1) when any finding is an error or a file could not be read, 0 otherwise
(warnings and notes do not fail the run). A progress bar shows on a terminal when tqdm is
installed (extra ``progress``), never in a pipe or on CI (`govdisclose.progress`). See
`govdisclose.audit`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

__all__ = ["add_audit_command"]


def add_audit_command(subparsers: Any) -> None:
    """``govdisclose audit``: the audit of published annual reports."""
    parser = subparsers.add_parser(
        "audit",
        help="audit saved annual-report pages (HTML, .docx, PDF) of many agencies and years",
        description="审查各机关各年度已发布的政府信息公开工作年度报告（HTML、Word、带文字层的 "
        "PDF）：勾稽关系、空白单元格、与上年报告的衔接、正文引用的数字，输出问题排行表 / audit "
        "published annual reports: the format's arithmetic, blank cells, continuity with last "
        "year's report, the figures the narrative quotes; writes a league table of faults.",
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        type=Path,
        help="report files, or directories searched for .html, .htm, .docx and .pdf files",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write league.csv, faults.csv and league.html into this directory",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="filing mode: blank cells are errors, not warnings",
    )
    parser.set_defaults(handler=_audit)


def _audit(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.audit import audit, write_league
    from govdisclose.cli import EXIT_ERROR, EXIT_OK
    from govdisclose.errors import GovDiscloseError
    from govdisclose.findings import Severity
    from govdisclose.progress import terminal_progress

    progress = terminal_progress("audit", unit="file")
    result = audit(args.paths, strict=args.strict, progress=progress)
    ranked = result.ranked()
    out.write(
        f"{len(ranked)} 份报告 / reports, {len(result.unreadable)} 个文件无法读取 / unreadable\n"
    )
    for rank, r in enumerate(ranked, 1):
        errors, warnings, notes = (
            r.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        )
        out.write(
            f"{rank:>3}. {r.agency} {r.year} ({Path(r.source).name}): "
            f"{errors} error(s), {warnings} warning(s), {notes} note(s)\n"
        )
        for f in r.findings:
            cells = ", ".join(
                f"{c}={v or '(blank)'}"
                for c, v in zip(f.cells, f.values or ("",) * len(f.cells), strict=False)
            )
            out.write(f"     {f.severity.code} {f.check.code} {f.rule_id}: {f.message_zh}")
            # The validator's messages name their cells with the values already.
            shown = cells and not all(f"{c}(" in f.message_zh for c in f.cells)
            out.write(f" [{cells}]\n" if shown else "\n")
    for u in result.unreadable:
        out.write(f"  unreadable {u.source}: [{u.code}] {u.message_zh} / {u.message_en}\n")
    if args.out is not None:
        try:
            written = write_league(result, args.out)
        except OSError as err:
            reason = err.strerror or type(err).__name__
            raise GovDiscloseError(
                f"无法写入 {args.out}：{reason}",
                f"cannot write to {args.out}: {reason}",
                field="--out",
                code="cli.cannot_write",
            ) from err
        for path in written:
            out.write(f"wrote {path}\n")
    return EXIT_ERROR if result.has_errors else EXIT_OK
