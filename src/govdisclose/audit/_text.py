"""What the audit reads from a report's words: whose report and which year, its sections, and
the figures its narrative quotes.

**Agency and year**, in this order (the first that gives them wins; `Identity.source` says
which):

1. the title, as published reports print it (law/facts.md §2.2): ``<机关><YYYY>年政府信息公开
   工作年度报告`` (also ``…年度政府信息公开工作报告``); HTML ``<title>`` or first ``<h1>``, the
   first paragraph of a Word document, the first lines of a PDF;
2. the year from the preamble's statistical period (``统计期限自2024年1月1日``), the agency
   from the file name;
3. the file name: ``<agency>-<YYYY>.<ext>``, ``<agency>_<YYYY>``, ``<agency><YYYY>年…`` (the
   agency part may be a code such as ``city-nrb``).

Reports are grouped by agency on the name with spaces and punctuation removed, so
``某市生态环境局`` on a title and on a file name are the same agency.

**Sections**: the narrative is cut at the six headings of the format (一、总体情况 …
六、其他需要报告的事项, 国办公开办函〔2021〕30号); 一, 五 and 六 become the report's
``overview``, ``problems`` and ``other_matters``.

**Quoted figures**: a sentence is compared with the tables only where it is recognisable, by
one of the patterns of `QUOTE_PATTERNS` (Arabic digits followed by 件; spaces and line breaks
are removed first, full-width digits read as ASCII). ``受理``/``收到`` … 申请 N件 is taken for
表三 一 (本年新收) only in a sentence that does not mention 结转, since offices often count the
carried-over applications in what they 受理; ``新收`` always is. Anything else is not read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from attrs import frozen

__all__ = [
    "QUOTE_PATTERNS",
    "Identity",
    "Quote",
    "QuotePattern",
    "agency_key",
    "identify",
    "quoted_figures",
    "sections",
]

IdentitySource = Literal["title", "text", "filename"]


@frozen
class Identity:
    """Whose report and which year; ``source`` says where each was found."""

    agency: str
    year: int
    agency_source: IdentitySource
    year_source: IdentitySource


def compact(text: str) -> str:
    """NFKC form without any whitespace (a PDF breaks lines inside words and numbers)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def agency_key(name: str) -> str:
    """The grouping key of an agency name: NFKC, no spaces, no punctuation."""
    return re.sub(r"[\W_]+", "", compact(name))


_TITLE = re.compile(
    r"(?P<agency>[^\d]{2,60}?)(?P<year>(?:19|20)\d{2})年度?政府信息公开(?:工作)?(?:年度)?报告"
)
_PERIOD = re.compile(r"统计期限(?:为|是)?自?(?P<year>(?:19|20)\d{2})年1月1日")
_FILE = re.compile(r"^(?P<agency>.*?)[-_ .]*(?P<year>(?:19|20)\d{2})(?:年.*|[-_ .].*)?$")


def identify(title: str, text: str, path: str) -> Identity | None:
    """The agency and year of a report (see the module's description), or None."""
    stem = Path(path).stem
    by_file = _FILE.match(stem)
    file_agency = (by_file.group("agency").strip(" -_.") if by_file else "") or stem
    for where in (compact(title), compact(text)[:300]):
        found = _TITLE.search(where)
        if found is not None:
            return Identity(found.group("agency"), int(found.group("year")), "title", "title")
    period = _PERIOD.search(compact(text))
    if period is not None:
        return Identity(file_agency, int(period.group("year")), "filename", "text")
    if by_file is not None:
        return Identity(file_agency, int(by_file.group("year")), "filename", "filename")
    return None


# -- sections ----------------------------------------------------------------------------------

_HEADINGS = (
    ("S1", "一、总体情况"),
    ("S2", "二、主动公开政府信息情况"),
    ("S3", "三、收到和处理政府信息公开申请情况"),
    ("S4", "四、政府信息公开行政复议、行政诉讼情况"),
    ("S5", "五、存在的主要问题及改进情况"),
    ("S6", "六、其他需要报告的事项"),
)


def sections(text: str) -> dict[str, str]:
    """The text of sections ``S1`` … ``S6`` by their headings (one paragraph a line); a section
    whose heading is not found is absent. Line breaks inside a heading are allowed."""
    lines = text.split("\n")
    starts: list[tuple[int, str, int]] = []  # (line, section, lines the heading takes)
    for i in range(len(lines)):
        for code, heading in _HEADINGS:
            joined = ""
            for k in range(i, min(i + 3, len(lines))):
                joined += compact(lines[k])
                if joined == compact(heading) or (joined.startswith(compact(heading)) and k == i):
                    starts.append((i, code, k - i + 1))
                    break
                if not compact(heading).startswith(joined):
                    break
    out: dict[str, str] = {}
    for n, (line, code, taken) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        first = compact(lines[line]).removeprefix(compact(dict(_HEADINGS)[code]))
        body = ([first] if first and taken == 1 else []) + lines[line + taken : end]
        out.setdefault(code, "\n".join(body).strip())
    return out


# -- quoted figures ----------------------------------------------------------------------------


@frozen
class QuotePattern:
    """A recognisable sentence: ``pattern`` (on text without spaces) captures the number in
    group ``n``; the figure is the sum of ``cells``; ``needs_no`` words keep it from matching."""

    id: str
    pattern: str
    cells: tuple[str, ...]
    description: str
    needs_no: tuple[str, ...] = ()


_T3 = "(?:政府信息公开)?申请"
#: The sentences the audit recognises, with the table cells each one quotes.
QUOTE_PATTERNS: tuple[QuotePattern, ...] = (
    QuotePattern(
        "T3_NEW",
        rf"新收(?:到)?(?:各类)?{_T3}(?:共|总计|合计)?(?P<n>\d+)件",
        ("T3.R1.total",),
        "新收…申请N件 = 表三 一、本年新收政府信息公开申请数量 总计",
    ),
    QuotePattern(
        "T3_RECEIVED",
        rf"(?:受理|收到)(?:各类)?{_T3}(?:共|总计|合计)?(?P<n>\d+)件",
        ("T3.R1.total",),
        "受理/收到…申请N件 (sentence without 结转) = 表三 一 总计",
        needs_no=("结转", "新收"),
    ),
    QuotePattern(
        "T3_CARRIED_OVER",
        rf"上年(?:度)?结转(?:{_T3})?(?P<n>\d+)件",
        ("T3.R2.total",),
        "上年结转N件 = 表三 二、上年结转政府信息公开申请数量 总计",
    ),
    QuotePattern(
        "T3_CONCLUDED",
        rf"办结(?:{_T3})?(?:共)?(?P<n>\d+)件",
        ("T3.R3_7.total",),
        "办结N件 = 表三 （七）总计 总计",
    ),
    QuotePattern(
        "T3_CARRIED_FORWARD",
        rf"结转下(?:一)?年度(?:继续办理)?(?:{_T3})?(?P<n>\d+)件",
        ("T3.R4.total",),
        "结转下年度N件 = 表三 四、结转下年度继续办理 总计",
    ),
    QuotePattern(
        "T2_NORMATIVE_MADE",
        r"(?:主动公开|制发|印发|制定|出台)(?:行政)?规范性文件(?P<n>\d+)件",
        ("T2.normative_documents.made",),
        "主动公开/制发…规范性文件N件 = 表二 行政规范性文件 本年制发件数",
    ),
    QuotePattern(
        "T2_REGULATIONS_MADE",
        r"(?:主动公开|制发|制定|出台)规章(?P<n>\d+)件",
        ("T2.regulations.made",),
        "制发规章N件 = 表二 规章 本年制发件数",
    ),
    QuotePattern(
        "T2_NORMATIVE_IN_FORCE",
        r"现行有效(?:的)?(?:行政)?规范性文件(?:共)?(?P<n>\d+)件",
        ("T2.normative_documents.in_force",),
        "现行有效规范性文件N件 = 表二 行政规范性文件 现行有效件数",
    ),
    QuotePattern(
        "T4_REVIEW",
        r"行政复议(?:案件|申请)?(?:共)?(?P<n>\d+)件",
        ("T4.R1.review_total",),
        "行政复议N件 = 表四 行政复议 总计",
    ),
    QuotePattern(
        "T4_LITIGATION",
        r"行政诉讼(?:案件)?(?:共)?(?P<n>\d+)件",
        ("T4.R1.direct_total", "T4.R1.after_review_total"),
        "行政诉讼N件 = 表四 未经复议直接起诉 总计 + 复议后起诉 总计",
    ),
)

_COMPILED = tuple((p, re.compile(p.pattern)) for p in QUOTE_PATTERNS)
_SENTENCE = re.compile(r"[^。；;！!？?]+")


@frozen
class Quote:
    """A figure the narrative quotes: the ``pattern`` that recognised it, the number, the
    sentence (without spaces)."""

    pattern: QuotePattern
    quoted: int
    sentence: str


def quoted_figures(text: str) -> Iterator[Quote]:
    """Every figure of ``text`` a `QUOTE_PATTERNS` entry recognises, in order."""
    for found_sentence in _SENTENCE.findall(compact(text)):
        # A heading has no full stop: it runs into the first sentence of its section.
        sentence = found_sentence
        for _, heading in _HEADINGS:
            sentence = sentence.removeprefix(compact(heading))
        for pattern, regex in _COMPILED:
            if any(word in sentence for word in pattern.needs_no):
                continue
            for found in regex.finditer(sentence):
                yield Quote(pattern, int(found.group("n")), sentence)
