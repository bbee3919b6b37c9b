"""Headers matched leniently, over one header row or two (a merged group label above its parts).

`HeaderMatcher` holds the header texts read as each column (its synonyms) and matches a cell
by, in order: the folded text itself (`fold`: full-width to ASCII, spaces, brackets and
punctuation removed); a typo (one character different from a synonym of four characters or
more, the usual slip of a pinyin input method: 申请人类形 for 申请人类型), if only one column is
that close; and the longest synonym the text contains (two characters or more).

A two-row header has group labels merged across the columns of their parts (答复情况 over
答复日期 and 答复结果, 申请人信息 over 姓名 and 类型). A part is read with its group first
(申请人 + 类型 is 申请人类型; a trailing 信息 or 情况 of a group is dropped), then alone;
`find_header` tries every top row alone and with the row below it, and keeps the reading that
names the most columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Literal

from attrs import frozen

__all__ = ["Header", "HeaderColumn", "HeaderMatch", "HeaderMatcher", "find_header", "fold"]

_PUNCTUATION = re.compile(r"[\s()\[\]【】<>《》〈〉:：*、/\\·.,，。;；_\-?？!！\"'“”‘’]+")
_GROUP_SUFFIX = re.compile(r"(信息|情况|登记|事项|记录)$")
_LONGEST_HEADER = 16
_SHORTEST_TYPO = 4


def fold(text: str) -> str:
    """``text`` as compared: NFKC (full-width to ASCII), lower case, no spaces, brackets or
    punctuation.

    >>> fold("申 请 人（名称）：")
    '申请人名称'
    """
    flat = unicodedata.normalize("NFKC", text).lower()
    return _PUNCTUATION.sub("", flat)


HowMatched = Literal["exact", "contains", "typo"]


@frozen
class HeaderMatch:
    """A header cell read as column ``key``: ``how`` it matched and, for a typo, the synonym
    it was taken for."""

    key: str
    how: HowMatched
    synonym: str


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one substitution, insertion or deletion."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


class HeaderMatcher:
    """Reads header cells as column keys, from ``synonyms`` (key -> header texts)."""

    def __init__(self, synonyms: Mapping[str, tuple[str, ...]]) -> None:
        self.synonyms = synonyms
        self._exact: dict[str, str] = {}
        for key, texts in synonyms.items():
            for text in texts:
                self._exact.setdefault(fold(text), key)
        self._by_length = sorted(self._exact.items(), key=lambda kv: -len(kv[0]))

    def exact(self, text: str) -> HeaderMatch | None:
        """The column whose synonym ``text`` is, after folding."""
        folded = fold(text)
        key = self._exact.get(folded)
        return HeaderMatch(key, "exact", folded) if key is not None else None

    def match(self, text: object) -> HeaderMatch | None:
        """The column a header cell names, or ``None`` (not text, empty, too long, unknown,
        or a typo as close to two columns)."""
        if not isinstance(text, str):
            return None
        folded = fold(text)
        if not folded or len(folded) > _LONGEST_HEADER:
            return None
        if folded in self._exact:
            return HeaderMatch(self._exact[folded], "exact", folded)
        # a typo before a contained synonym: 申请人类形 is 申请人类型, not 申请人 with a suffix
        if len(folded) >= _SHORTEST_TYPO:
            close = {
                key: syn
                for syn, key in self._exact.items()
                if len(syn) >= _SHORTEST_TYPO and _one_edit(folded, syn)
            }
            if len(close) == 1:
                key, syn = next(iter(close.items()))
                return HeaderMatch(key, "typo", syn)
        for syn, key in self._by_length:
            if len(syn) >= 2 and syn in folded:
                return HeaderMatch(key, "contains", syn)
        return None

    def match_pair(self, group: object, part: object) -> HeaderMatch | None:
        """A part of a two-row header under its ``group`` label: the group and the part
        together (exactly), the part alone, then the two together leniently."""
        group_text = group if isinstance(group, str) else ""
        part_text = part if isinstance(part, str) else ""
        if not part_text.strip() or group_text == part_text:
            return self.match(group_text or part_text)
        if group_text.strip():
            stem = _GROUP_SUFFIX.sub("", fold(group_text))
            for joined in (fold(group_text) + fold(part_text), stem + fold(part_text)):
                found = self.exact(joined)
                if found is not None:
                    return found
        found = self.match(part_text)
        if found is not None:
            return found
        if group_text.strip():
            return self.match(_GROUP_SUFFIX.sub("", fold(group_text)) + fold(part_text))
        return None


@frozen
class HeaderColumn:
    """A column of the table: its ``key``, the header as written (``组/部分`` for a two-row
    header), its 1-based ``index`` and letter, and how the header matched."""

    key: str
    header: str
    index: int
    letter: str
    how: HowMatched
    synonym: str


@frozen
class Header:
    """The header found: its rows (one or two), the columns read (the first column of each
    key) and the header cells not used (unknown, or a second column of a key)."""

    rows: tuple[int, ...]
    columns: tuple[HeaderColumn, ...]
    unused: tuple[tuple[str, str], ...] = ()

    @property
    def first_data_row(self) -> int:
        """The row after the header."""
        return self.rows[-1] + 1

    def column(self, key: str) -> HeaderColumn | None:
        """The column of ``key``, if the table has one."""
        return next((c for c in self.columns if c.key == key), None)


def _letter(index: int) -> str:
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def find_header(
    grid: Mapping[tuple[int, int], object],
    matcher: HeaderMatcher,
    *,
    width: int,
    anchors: frozenset[str],
    top: int = 15,
) -> Header | None:
    """The header of a table given as ``grid`` (``(row, column) -> value``, merged ranges
    already filled in): the reading of one of the ``top`` rows, alone or with the row below it
    as a two-row header, that names the most columns, at least two of them and one of
    ``anchors``; ``None`` if no row does."""
    best: tuple[int, int, Header] | None = None
    for r in range(1, top + 1):
        for rows in ((r,), (r, r + 1)):
            found: dict[str, HeaderColumn] = {}
            unused: list[tuple[str, str]] = []
            for c in range(1, width + 1):
                if len(rows) == 1:
                    written = _text(grid.get((r, c)))
                    hit = matcher.match(written)
                else:
                    group, part = _text(grid.get((r, c))), _text(grid.get((r + 1, c)))
                    written = group if group == part or not part else part
                    if group and part and group != part:
                        written = f"{group}/{part}"
                    hit = matcher.match_pair(group, part)
                if not written:
                    continue
                if hit is None or hit.key in found:
                    unused.append((_letter(c), written))
                    continue
                found[hit.key] = HeaderColumn(hit.key, written, c, _letter(c), hit.how, hit.synonym)
            if len(found) < 2 or not anchors & found.keys():
                continue
            # a two-row reading must name more columns than the first row alone
            score = (len(found), -len(rows))
            header = Header(rows, tuple(found.values()), tuple(unused))
            if best is None or score > (best[0], best[1]):
                best = (score[0], score[1], header)
    return best[2] if best is not None else None
