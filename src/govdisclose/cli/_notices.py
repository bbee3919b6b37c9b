"""``govdisclose notice`` and ``govdisclose casefile``: one application's letters and its file.

Both read the application from ``--store`` (opened read-only), build the calendar, parameters
and letter templates through the plugins (a local office's letterhead or wording installed as a
plugin applies here as in the OA system), and take the signing office from the settings options
``notices.agency``, ``notices.review_body`` and ``notices.court`` (`NoticeOffice.from_options`),
given with ``--option`` or by a plugin's settings.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from govdisclose.cli._common import bad_option, check_target, store_settings, write_atomic

__all__ = ["add_casefile_command", "add_notice_command"]

_FORMATS = ("text", "html", "docx")


def _arguments(parser: argparse.ArgumentParser) -> None:
    from govdisclose.cli._common import store_arguments

    parser.add_argument("application", metavar="APP-ID", help="the application's id")
    # The letters need the options notices.agency, notices.review_body and notices.court.
    store_arguments(parser)
    parser.add_argument("--output", type=Path, help="file to write (default: standard output)")


def add_notice_command(subparsers: Any) -> None:
    """``govdisclose notice APP-ID --kind reply``: one letter of an application."""
    from govdisclose.vocab import NoticeKind

    parser = subparsers.add_parser(
        "notice",
        help="one letter to the applicant (receipt, correction, extension, third party, fee, "
        "reply) from the stored events",
        description="由已登记的事件生成申请的一份文书（受理回执、补正告知书、延期告知书、"
        "征求第三方意见书、收费通知书、答复告知书）/ one letter of an application, derived "
        "from its stored events.",
    )
    _arguments(parser)
    parser.add_argument(
        "--kind",
        required=True,
        choices=[k.code for k in NoticeKind],
        help="which letter",
    )
    parser.add_argument("--format", choices=_FORMATS, default="text", help="text, html or docx")
    parser.set_defaults(handler=_notice)


def add_casefile_command(subparsers: Any) -> None:
    """``govdisclose casefile APP-ID``: an application's whole file as JSON or .docx."""
    from govdisclose.cli._calendar import day

    parser = subparsers.add_parser(
        "casefile",
        help="an application's whole file (events, letters, deadlines, attachments) as JSON "
        "or .docx",
        description="导出申请的完整案卷：全部事件、各份文书、期限及计算说明、附件清单 / "
        "export an application's complete file: every event, every letter, the deadlines "
        "with their explanations and the attachments.",
    )
    _arguments(parser)
    parser.add_argument("--as-of", type=day, required=True, help="YYYY-MM-DD")
    parser.add_argument("--format", choices=("json", "docx"), default="json", help="json or docx")
    parser.set_defaults(handler=_casefile)


def _context(args: argparse.Namespace) -> tuple[Any, Any, Any, Any, Any]:
    """The application, office, parameters, calendar and templates the command works with."""
    from govdisclose.notices import NoticeOffice
    from govdisclose.plugins import (
        load_calendar,
        load_notice_templates,
        load_parameters,
        make_plugin_manager,
        open_store,
    )

    if args.output is None and args.format == "docx":
        raise bad_option(
            "docx 是二进制格式：请用 --output 文件名 写入文件",
            "docx is binary: give --output FILE",
            field="--output",
        )
    if args.output is not None:
        check_target(args.output)
    settings = store_settings(args, mode="read")
    office = NoticeOffice.from_options(settings.options)
    pm = make_plugin_manager()
    calendar = load_calendar(settings, pm)
    params = load_parameters(settings, pm)
    templates = load_notice_templates(settings, pm)
    store = open_store(settings, pm)
    try:
        app = store.get_application(args.application)
    finally:
        store.close()
    return app, office, params, calendar, templates


def _emit(args: argparse.Namespace, out: TextIO, payload: bytes) -> int:
    if args.output is not None:
        write_atomic(args.output, payload)
        out.write(f"wrote {args.output} ({len(payload):,} bytes)\n")
    else:
        out.write(payload.decode("utf-8"))
    return 0


def _notice(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.notices import compose, render_text
    from govdisclose.vocab import NoticeKind

    app, office, params, calendar, templates = _context(args)
    notice = compose(
        app,
        NoticeKind.from_code(args.kind, field="--kind"),
        office=office,
        params=params,
        calendar=calendar,
        templates=templates,
    )
    if args.format == "docx":
        from govdisclose.notices.render_docx import render_docx

        return _emit(args, out, render_docx(notice))
    if args.format == "html":
        from govdisclose.notices.render_html import render_html

        return _emit(args, out, render_html(notice).encode("utf-8"))
    return _emit(args, out, render_text(notice).encode("utf-8"))


def _casefile(args: argparse.Namespace, out: TextIO) -> int:
    from govdisclose.casefile import build_case_file, render_case_file_docx, to_json

    app, office, params, calendar, templates = _context(args)
    case = build_case_file(
        app, office=office, params=params, calendar=calendar, as_of=args.as_of, templates=templates
    )
    if args.format == "docx":
        return _emit(args, out, render_case_file_docx(case))
    return _emit(args, out, (to_json(case) + "\n").encode("utf-8"))
