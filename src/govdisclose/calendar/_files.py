"""Loading one year's official holiday schedule from a small TOML or JSON file (private).

The format mirrors a 国务院办公厅 notice: the days off (放假) by holiday, and the weekend days
that are worked (调休上班). Example (TOML)::

    year = 2027
    notice = "国务院办公厅关于2027年部分节假日安排的通知"
    number = "国办发明电〔2026〕N号"        # optional
    published_on = 2026-11-05              # optional
    url = "https://www.gov.cn/..."         # optional
    work = [2027-02-20]                    # makeup working days, Saturdays or Sundays

    [[rest]]
    name = "春节"
    from = 2027-02-05
    to = 2027-02-13                        # optional, defaults to `from`

JSON takes the same keys with dates as ``"YYYY-MM-DD"`` strings. Days may lie in December of the
year before (a New Year arrangement). Every problem raises `InvalidParameterFile` naming the file
and the key.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

import attrs

from govdisclose.errors import InvalidParameterFile

_TOP_KEYS: Final = frozenset({"year", "notice", "number", "published_on", "url", "rest", "work"})
_REST_KEYS: Final = frozenset({"name", "from", "to"})
_MAX_BLOCK_DAYS: Final = 31


@attrs.frozen
class ScheduleFile:
    """A validated schedule file: the notice's days off and makeup working days."""

    path: str
    year: int
    notice: str
    number: str | None
    published_on: date | None
    url: str | None
    rest: tuple[tuple[date, str], ...]
    work: frozenset[date]
    sha256: str


def _fail(path: str, key: str, zh: str, en: str) -> InvalidParameterFile:
    return InvalidParameterFile(
        f"放假安排文件 {path} 的 {key}：{zh}",
        f"holiday schedule file {path}, key {key}: {en}",
        field=f"{path}:{key}",
        code="calendar.invalid_schedule_file",
    )


def _date(path: str, key: str, value: Any) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(
        path,
        key,
        f"应为日期（YYYY-MM-DD），实为 {value!r}",
        f"expected a date (YYYY-MM-DD), got {value!r}",
    )


def _text(path: str, key: str, value: Any, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, key, "应为非空字符串", "expected a non-empty string")
    return value.strip()


def load_schedule_file(path: str | os.PathLike[str]) -> ScheduleFile:
    """Read and validate a schedule file; TOML by default, JSON for a ``.json`` suffix."""
    p = Path(path)
    name = str(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise _fail(name, "(file)", f"无法读取：{exc}", f"cannot be read: {exc}") from exc
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(raw.decode("utf-8"))
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _fail(name, "(file)", f"格式错误：{exc}", f"does not parse: {exc}") from exc
    if not isinstance(data, dict):
        raise _fail(name, "(file)", "顶层应为键值表", "the top level must be a table/object")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise _fail(
            name,
            unknown[0],
            f"未知的键（允许：{', '.join(sorted(_TOP_KEYS))}）",
            f"unknown key (allowed: {', '.join(sorted(_TOP_KEYS))})",
        )
    for required in ("year", "notice", "rest"):
        if required not in data:
            raise _fail(name, required, "缺少此键", "missing key")
    year = data["year"]
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 < year < 2200:
        raise _fail(name, "year", f"应为年份整数，实为 {year!r}", f"expected a year, got {year!r}")
    notice = _text(name, "notice", data["notice"], required=True)
    assert notice is not None
    number = _text(name, "number", data.get("number"), required=False)
    url = _text(name, "url", data.get("url"), required=False)
    published_on = (
        _date(name, "published_on", data["published_on"]) if "published_on" in data else None
    )
    lo, hi = date(year - 1, 12, 1), date(year, 12, 31)

    def in_year(key: str, day: date) -> date:
        if not lo <= day <= hi:
            raise _fail(
                name,
                key,
                f"{day} 不在 {lo} 至 {hi} 之间（{year}年通知的范围）",
                f"{day} is outside {lo}..{hi}, the reach of a notice for {year}",
            )
        return day

    blocks = data["rest"]
    if not isinstance(blocks, list) or not blocks:
        raise _fail(
            name, "rest", "应为非空的放假时段列表", "expected a non-empty list of rest blocks"
        )
    rest: dict[date, str] = {}
    for i, block in enumerate(blocks):
        where = f"rest[{i}]"
        if not isinstance(block, dict):
            raise _fail(
                name, where, "应为键值表（name, from, to）", "expected a table with name, from, to"
            )
        bad = sorted(set(block) - _REST_KEYS)
        if bad:
            raise _fail(
                name,
                f"{where}.{bad[0]}",
                "未知的键（允许：name, from, to）",
                "unknown key (allowed: name, from, to)",
            )
        if "from" not in block:
            raise _fail(name, f"{where}.from", "缺少此键", "missing key")
        label = _text(name, f"{where}.name", block.get("name"), required=True)
        assert label is not None
        start = in_year(f"{where}.from", _date(name, f"{where}.from", block["from"]))
        end = in_year(f"{where}.to", _date(name, f"{where}.to", block.get("to", start)))
        if end < start or (end - start).days >= _MAX_BLOCK_DAYS:
            raise _fail(
                name,
                f"{where}.to",
                f"应在 from 之后 {_MAX_BLOCK_DAYS} 天之内",
                f"must be on or after `from` and within {_MAX_BLOCK_DAYS} days of it",
            )
        day = start
        while day <= end:
            if day in rest:
                raise _fail(name, f"{where}.from", f"{day} 重复列出", f"{day} is listed twice")
            rest[day] = label
            day += timedelta(days=1)
    work_raw = data.get("work", [])
    if not isinstance(work_raw, list):
        raise _fail(name, "work", "应为日期列表", "expected a list of dates")
    work: set[date] = set()
    for i, value in enumerate(work_raw):
        key = f"work[{i}]"
        day = in_year(key, _date(name, key, value))
        if day.weekday() < 5:
            raise _fail(
                name,
                key,
                f"{day} 不是周六或周日，不能是调休上班日",
                f"{day} is not a Saturday or Sunday, so it cannot be a makeup working day",
            )
        if day in rest or day in work:
            raise _fail(
                name,
                key,
                f"{day} 已列为放假日或重复列出",
                f"{day} is already listed as a rest day or twice",
            )
        work.add(day)
    return ScheduleFile(
        path=name,
        year=year,
        notice=notice,
        number=number,
        published_on=published_on,
        url=url,
        rest=tuple(sorted(rest.items())),
        work=frozenset(work),
        sha256=hashlib.sha256(raw).hexdigest(),
    )
