"""What every ``govdisclose`` subcommand shares: argument types, store settings, atomic output.

The argument types turn a malformed value into a usage error (exit status 2) whose message
names the option and says, in both languages, what a valid value looks like: they raise
`argparse.ArgumentTypeError` with the text ``"中文 / English"``, which the parser of
`govdisclose.cli` prints as one line with the code ``cli.bad_option``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any, TextIO

from govdisclose._arguments import (
    FIRST_YEAR,
    LAST_YEAR,
    count,
    day,
    key_value,
    money,
    positive,
    store_url,
    year,
)
from govdisclose.errors import GovDiscloseError, ValidationError

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "bad_option",
    "check_target",
    "count",
    "day",
    "key_value",
    "money",
    "positive",
    "store_settings",
    "store_url",
    "write_atomic",
    "year",
]


def bad_option(zh: str, en: str, *, field: str) -> ValidationError:
    """A usage error found after parsing (exit status 2, code ``cli.bad_option``)."""
    return ValidationError(zh, en, field=field, code="cli.bad_option")


def store_settings(
    args: argparse.Namespace, *, mode: str, defaults: dict[str, str] | None = None
) -> Any:
    """The `Settings` of a command that opens ``--store``: ``defaults`` (the calendar
    options), ``store.mode`` ``mode``, and over them the explicit ``--option`` values (so
    ``--option store.mode=write`` overrides the command's mode)."""
    from govdisclose.plugins import Settings
    from govdisclose.settings import STORE_MODE_OPTION

    options: dict[str, str] = {**(defaults or {}), STORE_MODE_OPTION: mode}
    options.update(dict(getattr(args, "option", None) or ()))
    return Settings(store_url=args.store, options=options)


def write_atomic(
    path: Path, payload: bytes, *, field: str = "--output", make_parents: bool = False
) -> None:
    """Write ``payload`` to ``path`` so that a reader sees the old file or the new one, never
    half of it: a temporary file in the same directory, then `os.replace`.

    :param make_parents: create missing directories (the calendar directory); otherwise a
        missing directory is refused, as a mistyped ``--output`` should be.
    :raises GovDiscloseError: ``cli.cannot_write``, naming the path and the reason; nothing is
        left behind.
    """
    try:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        check_target(path, field=field)
        folder = path.parent
        mode = _mode_for(path)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(payload)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise GovDiscloseError(
            f"无法写入 {path}：{reason}",
            f"cannot write {path}: {reason}",
            field=field,
            code="cli.cannot_write",
        ) from err


def check_target(path: Path, *, field: str = "--output") -> None:
    """Refuse, before any work, an output path that cannot be a file: a directory, or a file
    in a directory that does not exist (`GovDiscloseError` ``cli.cannot_write``)."""
    folder = path.parent
    if path.is_dir():
        zh, en = f"{path} 是一个目录，请给出文件名", f"{path} is a directory, give a file name"
    elif folder.exists() and not folder.is_dir():
        zh, en = f"{folder} 不是目录", f"{folder} is not a directory"
    elif not folder.exists():
        zh, en = f"目录 {folder} 不存在", f"the directory {folder} does not exist"
    else:
        return
    raise GovDiscloseError(
        f"无法写入 {path}：{zh}", f"cannot write {path}: {en}", field=field, code="cli.cannot_write"
    )


def _mode_for(path: Path) -> int:
    """The permission bits the written file gets: the old file's, else what ``open`` gives."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def store_arguments(
    parser: argparse.ArgumentParser,
    *,
    writes: bool | None = False,
    without: str | None = None,
    example: str = "sql.busy_timeout=10",
) -> None:
    """``--store`` and ``--option KEY=VALUE``, as every store command has; ``writes`` says in
    the help whether the command opens the store for writing (``None``: it depends on the
    action or an option). With ``without`` (what the command does then) ``--store`` may be
    left out; ``example`` is the help's example of an option."""
    opened = {True: "; opened for writing", False: "; opened read-only", None: ""}[writes]
    unless = "" if without is None else f"; without it {without}"
    parser.add_argument(
        "--store",
        type=store_url,
        required=without is None,
        help=f"store URL, e.g. sqlite:///gd.db (it must exist{opened}{unless})",
    )
    parser.add_argument(
        "--option",
        action="append",
        type=key_value,
        default=[],
        metavar="KEY=VALUE",
        help=f"a plugin option (repeatable), e.g. {example}",
    )


def case_action(
    actions: Any,
    name: str,
    help_: str,
    handler: Callable[[argparse.Namespace, TextIO], int],
    *,
    case: str | None,
) -> argparse.ArgumentParser:
    """One action of a case command (``inquiry``, ``opinion``): its parser, the ``CASE-ID``
    argument (``case`` is its help; None for an action over many cases), the store arguments
    (`store_arguments`) and the handler."""
    parser: argparse.ArgumentParser = actions.add_parser(name, help=help_, description=help_)
    if case is not None:
        parser.add_argument("case", metavar="CASE-ID", help=case)
    store_arguments(parser, writes=None)
    parser.set_defaults(handler=handler)
    return parser
