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
from contextlib import suppress
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

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

#: The years a day or a year given on the command line may fall in: wide enough for any real
#: case, narrow enough that a typo (``20255``, ``0``) is refused before anything runs.
FIRST_YEAR = 1900
LAST_YEAR = 2100


def _refuse(zh: str, en: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(f"{zh} / {en}")


def bad_option(zh: str, en: str, *, field: str) -> ValidationError:
    """A usage error found after parsing (exit status 2, code ``cli.bad_option``)."""
    return ValidationError(zh, en, field=field, code="cli.bad_option")


def day(text: str) -> date:
    """An argparse type: a YYYY-MM-DD day of the years `FIRST_YEAR` to `LAST_YEAR`."""
    try:
        value = date.fromisoformat(text)
    except ValueError:
        value = None
    if value is None or not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise _refuse(
            f"日期应写作 YYYY-MM-DD，年份在 {FIRST_YEAR} 至 {LAST_YEAR} 之间，实为 {text!r}",
            f"a day must be written YYYY-MM-DD, in the years {FIRST_YEAR} to {LAST_YEAR}, "
            f"got {text!r}",
        ) from None
    return value


def year(text: str) -> int:
    """An argparse type: a four-digit year from `FIRST_YEAR` to `LAST_YEAR`."""
    value = _integer(text)
    if value is None or not FIRST_YEAR <= value <= LAST_YEAR:
        raise _refuse(
            f"年份应为 {FIRST_YEAR} 至 {LAST_YEAR} 之间的四位数，实为 {text!r}",
            f"a year must be a four-digit year from {FIRST_YEAR} to {LAST_YEAR}, got {text!r}",
        )
    return value


def count(text: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    value = _integer(text)
    if value is None or value < 0:
        raise _refuse(
            f"应为不小于 0 的整数，实为 {text!r}", f"must be a whole number >= 0, got {text!r}"
        )
    return value


def positive(text: str) -> int:
    """An argparse type: a whole number, 1 or more."""
    value = _integer(text)
    if value is None or value < 1:
        raise _refuse(
            f"应为不小于 1 的整数，实为 {text!r}", f"must be a whole number >= 1, got {text!r}"
        )
    return value


def _integer(text: str) -> int | None:
    stripped = text.strip()
    digits = stripped[1:] if stripped[:1] in "+-" else stripped
    if not digits.isascii() or not digits.isdigit() or len(digits) > 12:
        return None
    return int(stripped)


def money(text: str) -> Decimal:
    """An argparse type: an amount, 0 or more, as a decimal number (``12.5``)."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0 or value.adjusted() > 12:
        raise _refuse(
            f"金额应为不小于 0 的数字，例如 12.5，实为 {text!r}",
            f"an amount must be a number >= 0 such as 12.5, got {text!r}",
        )
    return value


def store_url(text: str) -> str:
    """An argparse type: a store URL (``sqlite:///gd.db``); shown redacted if refused."""
    if "://" not in text:
        from govdisclose.redaction import redact_text

        raise _refuse(
            f"存储地址应形如 sqlite:///gd.db 或 postgresql+psycopg://用户@主机/库名，"
            f"实为 {redact_text(repr(text))}",
            "a store URL looks like sqlite:///gd.db or postgresql+psycopg://user@host/db, got "
            f"{redact_text(repr(text))}",
        )
    return text


def key_value(text: str) -> tuple[str, str]:
    """An argparse type: ``KEY=VALUE`` (a plugin option)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        from govdisclose.redaction import redact_text

        raise _refuse(
            f"插件选项应写作 KEY=VALUE，实为 {redact_text(repr(text))}",
            f"a plugin option must be KEY=VALUE, got {redact_text(repr(text))}",
        )
    return key.strip(), value


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
