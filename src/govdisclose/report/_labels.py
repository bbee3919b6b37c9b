"""Lenient comparison of printed labels and cell texts (published pages are typed by hand).

Real pages print "只计这一情况" for "只计这一情形", "三类内容事务信息" for "三类内部事务信息",
"，" for "、", half-width brackets, straight quotes, line breaks and spaces inside labels
(law/facts.md §2.4). Labels are therefore compared on a *key*: NFKC-normalised, without
whitespace, punctuation or the leading item number, and scored by similarity; the item
number (``一、``, ``（三）``, ``2.``) is compared separately and only nudges the score.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher

import attrs

__all__ = [
    "Label",
    "LabelIndex",
    "ParsedValue",
    "is_value_text",
    "label",
    "normalise",
    "parse_value",
    "similarity",
]

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
# Item numbers as printed: 一、 / （一） / 1. 1、 1． (NFKC has already turned full-width forms
# into ASCII, so "（一）" arrives as "(一)" and "１．" as "1.").
_NUMBER = re.compile(
    r"^\s*(?:"
    r"(?P<top>[一二三四五六七八九十]+)\s*[、.,]"
    r"|\(\s*(?P<paren>[一二三四五六七八九十]+)\s*\)"
    r"|(?P<arabic>\d{1,2})\s*[.、,](?!\d)"
    r")"
)


def normalise(text: str) -> str:
    """NFKC form with every kind of space collapsed (``\\xa0``, ``\\u3000``, line breaks)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@attrs.frozen
class Label:
    """A label split into its item number (``top:三``, ``paren:一``, ``arabic:2``) and key."""

    number: str | None
    key: str


def label(text: str) -> Label:
    """Split a printed label into item number and comparison key."""
    norm = normalise(text)
    match = _NUMBER.match(norm)
    number = None
    if match is not None:
        kind = next(k for k in ("top", "paren", "arabic") if match.group(k) is not None)
        number = f"{kind}:{match.group(kind)}"
        norm = norm[match.end() :]
    return Label(number, _PUNCT.sub("", norm))


def _score(page: Label, official: Label, matcher: SequenceMatcher[str]) -> float:
    # ``matcher`` already holds the official key as its second sequence (difflib indexes
    # that one, so reusing the matcher across page labels is what keeps reading fast).
    if not page.key or not official.key:
        return 0.0
    matcher.set_seq1(page.key)
    # Below 0.5 no bonus can lift a score over the reader's threshold: skip the full ratio.
    score = matcher.real_quick_ratio()
    if score >= 0.5:
        score = matcher.quick_ratio()
        if score >= 0.5:
            score = matcher.ratio()
    shorter, longer = sorted((page.key, official.key), key=len)
    if len(shorter) >= 4 and longer.startswith(shorter):
        score = max(score, 0.9)
    if page.number is not None and official.number is not None:
        score += 0.05 if page.number == official.number else -0.3
    return score


def similarity(page: Label, official: Label) -> float:
    """How well a label from a page matches an official label, 0..~1.1.

    Content similarity (difflib ratio; a page label that is a prefix of the official one, like
    "部分公开" for "部分公开（区分处理的…）", counts as 0.9), plus 0.05 when both carry the same
    item number, minus 0.3 when both carry different ones. Scores below 0.5 are approximate
    (an upper bound), which is all a threshold comparison needs.
    """
    return _score(page, official, SequenceMatcher(None, "", official.key, autojunk=False))


class LabelIndex:
    """Official labels prepared for repeated matching against page labels."""

    def __init__(self, labels: Sequence[Label]) -> None:
        self.labels = tuple(labels)
        self._matchers = [SequenceMatcher(None, "", lab.key, autojunk=False) for lab in labels]
        self._exact: dict[Label, list[int]] = {}
        for i, lab in enumerate(self.labels):
            self._exact.setdefault(lab, []).append(i)

    def scores(self, page: Label) -> list[float]:
        """`similarity` of ``page`` with every official label, in order."""
        exact = self._exact.get(page)
        if exact is not None and page.number is not None:
            # Same key and item number: nothing else can score higher, skip the fuzzy work.
            return [1.05 if i in exact else 0.0 for i in range(len(self.labels))]
        return [
            _score(page, official, matcher)
            for official, matcher in zip(self.labels, self._matchers, strict=True)
        ]


# Cells meaning "nothing to report" that some agencies print instead of leaving blank.
_DASHES = frozenset({"-", "—", "–", "/", "\\", "―", "一一", "...", "×"})
_UNITS = ("万元", "件", "个", "项", "次", "宗", "起")
_NUMERIC = re.compile(r"[+-]?\d+(?:\.\d+)?")


@attrs.frozen
class ParsedValue:
    """A cell's text read as a value: ``value`` (``None`` for blank), ``kind`` says how.

    ``kind``: ``number``, ``blank`` (empty cell), ``dash`` (a dash or slash, read as blank),
    ``text`` (not a number: read as blank and reported).
    """

    value: int | Decimal | None
    kind: str
    text: str


def parse_value(text: str) -> ParsedValue:
    """Read a data cell. Numbers split by tags or spaces (``1 2``) join up; ``1,234`` is 1234;
    a trailing unit (件, 万元, …) is dropped; decimals become `Decimal`, whole numbers `int`."""
    compact = "".join(normalise(text).split())
    if not compact:
        return ParsedValue(None, "blank", text)
    if compact in _DASHES or set(compact) <= set("-—–－/―"):
        return ParsedValue(None, "dash", text)
    body = compact.replace(",", "")
    for unit in _UNITS:
        if body.endswith(unit) and len(body) > len(unit):
            body = body[: -len(unit)]
            break
    if not _NUMERIC.fullmatch(body):
        return ParsedValue(None, "text", text)
    if "." in body:
        try:
            return ParsedValue(Decimal(body), "number", text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            return ParsedValue(None, "text", text)
    return ParsedValue(int(body), "number", text)


def is_value_text(text: str) -> bool:
    """True if a cell reads as a value, a dash or blank (i.e. it is not a label)."""
    return parse_value(text).kind != "text"
