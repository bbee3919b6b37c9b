"""The two lists the column is organised by, as data: 第二十条's items and the 重点领域.

* `ARTICLE_20` (`article20_items`): the fifteen items of 条例 2019 第二十条 (法定主动公开内容), as
  the regulation words them (``data/article20.toml``). A record is listed under item (一) when it
  is a 规章 or 行政规范性文件 (its `govdisclose.vocab.DocumentKind`) and under the other items
  through its key areas, or when one of its key areas is the item's label (``机构职能``,
  ``规划信息``, ``统计信息``: items no key area covers).
* `KeyAreaCatalogue`: the 重点领域信息公开目录, one `KeyArea` per column with its owning unit
  (责任单位), time limit (公开时限) and method (公开方式), as the seeds' catalogues give them
  (``data/key_areas.toml``; `KeyAreaCatalogue.bundled`). An agency replaces it with its own
  catalogue in the same format (`KeyAreaCatalogue.load`, option ``static_site.key_areas``).

A record joins a key area when one of `govdisclose.model.Record.key_areas` is the area's name or
one of its aliases (`KeyAreaCatalogue.areas_of`).
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from attrs import field, frozen

from govdisclose.vocab import DocumentKind
from govdisclose_static_site.errors import StaticSiteError

__all__ = [
    "ARTICLE_20_CITATION",
    "Article20Item",
    "KeyArea",
    "KeyAreaCatalogue",
    "article20_items",
    "article20_of",
]

#: The regulation and article the fifteen items come from.
ARTICLE_20_CITATION = "《中华人民共和国政府信息公开条例》（国务院令第711号）第二十条"

_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_NUMERALS = "一二三四五六七八九十"
#: 第二十条第（一）项: the kinds of document listed there (行政法规、规章和规范性文件).
_ITEM_ONE_KINDS = frozenset({DocumentKind.RULE, DocumentKind.NORMATIVE_DOCUMENT})


def _numeral(n: int) -> str:
    if n <= 10:
        return _NUMERALS[n - 1]
    return "十" + _NUMERALS[n - 11]


def _bad(where: str, zh: str, en: str) -> StaticSiteError:
    return StaticSiteError(
        f"{where}：{zh}", f"{where}: {en}", field=where, code="static_site.bad_catalogue"
    )


@frozen
class Article20Item:
    """One item of 条例 2019 第二十条.

    :param number: 1 to 15.
    :param label: the short heading of its column (``财政预算决算``).
    :param text: the item as the regulation prints it.
    """

    number: int
    label: str
    text: str

    @property
    def numeral(self) -> str:
        """The item's number as the regulation writes it: ``（七）``."""
        return f"（{_numeral(self.number)}）"

    @property
    def citation(self) -> str:
        """``条例第二十条第（七）项``."""
        return f"条例第二十条第{self.numeral}项"

    @property
    def slug(self) -> str:
        """The item's directory name under ``fdzdgk/``: ``01`` to ``15``."""
        return f"{self.number:02d}"


def _load_article20() -> tuple[Article20Item, ...]:
    text = (
        resources.files("govdisclose_static_site")
        .joinpath("data/article20.toml")
        .read_text("utf-8")
    )
    data = tomllib.loads(text)
    items = tuple(
        Article20Item(int(x["number"]), str(x["label"]), str(x["text"])) for x in data["item"]
    )
    # The shipped file is checked once here: fifteen items, numbered in order.
    if [x.number for x in items] != list(range(1, 16)):
        raise _bad("article20.toml", "应为第（一）至（十五）项", "must hold items 1 to 15 in order")
    return items


@functools.cache
def article20_items() -> tuple[Article20Item, ...]:
    """The fifteen items of 第二十条, in order (read from the shipped data on first use)."""
    return _load_article20()


@frozen
class KeyArea:
    """One 重点领域 column: what is published, by whom, by when, how.

    :param code: the column's directory name under ``zdly/`` (``a-z``, digits, ``-``).
    :param name: the name records carry in `govdisclose.model.Record.key_areas`.
    :param aliases: other names that mean the same area (local wording).
    :param article20: the items of 第二十条 the area belongs to (1 to 15).
    :param article21: a local topic of 第二十一条 (土地征收, 房屋征收, ...).
    :param content: 公开内容: what the column publishes.
    :param owner: 责任单位: who publishes it.
    :param owner_agency: the owning agency's code, when the catalogue names one.
    :param time_limit: 公开时限, as the catalogue words it.
    :param time_limit_days: the limit in working days, when it is one.
    :param method: 公开方式 and channel.
    :param basis: where the entry comes from (the catalogue, the seed, the law).
    """

    code: str
    name: str
    content: str
    owner: str
    time_limit: str
    method: str
    aliases: tuple[str, ...] = ()
    article20: tuple[int, ...] = ()
    article21: bool = False
    owner_agency: str | None = None
    time_limit_days: int | None = None
    basis: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)


def _str(entry: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = entry.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise _bad(where, f"缺少文字字段 {key}", f"needs a non-empty text field {key!r}")
    return value.strip()


_AREA_KEYS = frozenset(
    {
        "code",
        "name",
        "aliases",
        "article20",
        "article21",
        "content",
        "owner",
        "owner_agency",
        "time_limit",
        "time_limit_days",
        "method",
        "basis",
    }
)


def _area(entry: Any, where: str) -> KeyArea:
    if not isinstance(entry, dict):
        raise _bad(where, "应为表（table）", "must be a table")
    unknown = sorted(set(entry) - _AREA_KEYS)
    if unknown:
        raise _bad(where, f"含未知字段 {unknown}", f"has unknown fields {unknown}")
    code = _str(entry, "code", where)
    if not _CODE.fullmatch(code):
        raise _bad(
            where,
            f"code “{code}” 只能由小写字母、数字和 - 组成",
            f"code {code!r} may hold only a-z, 0-9 and -",
        )
    aliases = entry.get("aliases", [])
    items = entry.get("article20", [])
    days = entry.get("time_limit_days")
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise _bad(where, "aliases 应为文字列表", "aliases must be a list of texts")
    if not isinstance(items, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= 15 for i in items
    ):
        raise _bad(where, "article20 应为1至15的整数列表", "article20 must list integers 1-15")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
        raise _bad(where, "time_limit_days 应为正整数", "time_limit_days must be a positive int")
    article21 = entry.get("article21", False)
    if not isinstance(article21, bool):
        raise _bad(where, "article21 应为 true 或 false", "article21 must be true or false")
    owner_agency = entry.get("owner_agency")
    if owner_agency is not None and not isinstance(owner_agency, str):
        raise _bad(where, "owner_agency 应为机关代码", "owner_agency must be an agency code")
    return KeyArea(
        code=code,
        name=_str(entry, "name", where),
        aliases=tuple(a.strip() for a in aliases),
        article20=tuple(items),
        article21=article21,
        content=_str(entry, "content", where),
        owner=_str(entry, "owner", where),
        owner_agency=owner_agency,
        time_limit=_str(entry, "time_limit", where),
        time_limit_days=days,
        method=_str(entry, "method", where),
        basis=_str(entry, "basis", where, required=False),
    )


@frozen
class KeyAreaCatalogue:
    """The 重点领域 columns of a site, in the order they are shown.

    Codes and names (aliases included) are unique across the catalogue; a duplicate is a
    `StaticSiteError` (code ``static_site.bad_catalogue``) naming it.
    """

    version: str
    source: str
    areas: tuple[KeyArea, ...]
    _by_name: Mapping[str, KeyArea] = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_name: dict[str, KeyArea] = {}
        codes: set[str] = set()
        for area in self.areas:
            if area.code in codes:
                raise _bad("key_areas", f"code “{area.code}” 重复", f"duplicate code {area.code!r}")
            codes.add(area.code)
            for name in area.names:
                if name in by_name:
                    raise _bad("key_areas", f"名称“{name}”重复", f"duplicate name {name!r}")
                by_name[name] = area
        object.__setattr__(self, "_by_name", by_name)

    @classmethod
    def bundled(cls) -> KeyAreaCatalogue:
        """The catalogue shipped with the plugin (``data/key_areas.toml``; read once)."""
        return _bundled_key_areas()

    @classmethod
    def load(cls, path: str | Path) -> KeyAreaCatalogue:
        """A catalogue from a TOML file in the shipped format (an agency's own catalogue)."""
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise _bad(str(path), f"无法读取（{err}）", f"cannot be read ({err})") from err
        return cls.from_toml(text, where=str(path))

    @classmethod
    def from_toml(cls, text: str, *, where: str = "key_areas") -> KeyAreaCatalogue:
        """A catalogue from the text of a TOML file."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise _bad(where, f"不是有效的 TOML（{err}）", f"is not valid TOML ({err})") from err
        unknown = sorted(set(data) - {"version", "source", "area"})
        if unknown:
            raise _bad(where, f"含未知键 {unknown}", f"has unknown keys {unknown}")
        entries = data.get("area", [])
        if not isinstance(entries, list):
            raise _bad(where, "area 应为表数组 [[area]]", "area must be an array of tables")
        areas = tuple(_area(e, f"{where} area[{i}]") for i, e in enumerate(entries))
        return cls(str(data.get("version", "")), str(data.get("source", "")), areas)

    def __iter__(self) -> Iterator[KeyArea]:
        return iter(self.areas)

    def __len__(self) -> int:
        return len(self.areas)

    def get(self, name: str) -> KeyArea | None:
        """The area a record's key-area name (or an alias) denotes, or ``None``."""
        return self._by_name.get(name.strip())

    def areas_of(self, names: Sequence[str]) -> tuple[KeyArea, ...]:
        """The areas of a record's ``key_areas``, in catalogue order, each once; names the
        catalogue does not know are left out (the record is still in the catalogue)."""
        found = {a.code for a in (self.get(n) for n in names) if a is not None}
        return tuple(a for a in self.areas if a.code in found)


@functools.cache
def _bundled_key_areas() -> KeyAreaCatalogue:
    text = (
        resources.files("govdisclose_static_site")
        .joinpath("data/key_areas.toml")
        .read_text("utf-8")
    )
    return KeyAreaCatalogue.from_toml(text, where="key_areas.toml")


def article20_of(kind: DocumentKind, areas: Sequence[KeyArea]) -> tuple[int, ...]:
    """The items of 第二十条 a record of ``kind`` in ``areas`` is listed under, ascending."""
    items = {n for a in areas for n in a.article20}
    if kind in _ITEM_ONE_KINDS:
        items.add(1)
    return tuple(sorted(items))
