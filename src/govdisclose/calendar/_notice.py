"""Reading a State Council holiday notice from its text (private; may change without notice).

Offices receive next year's working-day schedule as the text of the notice
国务院办公厅关于YYYY年部分节假日安排的通知: pasted, saved as ``.txt``, or as the HTML page
saved from www.gov.cn. `parse_notice` and `read_notice` turn that text into the `ScheduleFile`
the calendar loads (`WorkCalendar.with_schedule_file` reads the TOML `notice_to_toml` writes).

The parts of a notice, as they have been worded since 2004:

* the title, which gives the year (or, without it, the body's 现将YYYY年…);
* an optional document number, 国办发明电〔2025〕7号 (also with ``[]``/``()`` brackets);
* one section per festival, ``一、元旦：…``, some merged (``六、国庆节、中秋节：…``), each with
  the days off as one span (``1月1日至3日放假调休，共3天``, ``2007年12月30日—2008年1月1日放假``,
  ``4月5日放假，与周末连休``, ``4月5日放假，4月6日（星期一）补休``) and the weekend days worked
  (``1月4日（周日）上班``); the notices of 2005-2009 add sentences on how the statutory days and
  weekends were moved (其中…为法定假日，将…两个公休日调至…), which are checked but change nothing;
* the boilerplate (节假日期间，各地区、各部门要妥善安排好值班…) and the signature with its date.

A date without a year belongs to the notice's year, except December, which belongs to the year
before (the New Year arrangement); a date without a month takes the month of the date before it.
Whatever cannot be read unambiguously is refused with a `HolidayNoticeError` naming the line
of the extracted text and quoting the fragment.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Final

import attrs

from govdisclose.calendar._files import ScheduleFile
from govdisclose.errors import HolidayNoticeError

__all__ = ["notice_to_toml", "parse_notice", "read_notice"]

# -- vocabulary -------------------------------------------------------------------------------

_ANTI_FASCIST: Final = "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"

# Heading names as the notices have written them -> the name chinese-calendar gives the holiday
# (`chinese_calendar.Holiday` members' ``.chinese``), so a parsed schedule reads like the table.
_FESTIVALS: Final[Mapping[str, str]] = {
    "元旦": "元旦",
    "新年": "元旦",
    "春节": "春节",
    "清明节": "清明",
    "清明": "清明",
    "劳动节": "劳动节",
    "五一": "劳动节",
    "五一节": "劳动节",
    "国际劳动节": "劳动节",
    "五一国际劳动节": "劳动节",
    "五一劳动节": "劳动节",
    "端午节": "端午",
    "端午": "端午",
    "中秋节": "中秋",
    "中秋": "中秋",
    "国庆节": "国庆节",
    "国庆": "国庆节",
    "十一": "国庆节",
    _ANTI_FASCIST: _ANTI_FASCIST,
}

_CN_DIGITS: Final[Mapping[str, int]] = {
    "〇": 0, "○": 0, "零": 0, "０": 0, "Ｏ": 0, "O": 0,
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_NUMBER: Final = "〇○零一二三四五六七八九十"
_WEEKDAYS: Final[Mapping[str, int]] = {
    "一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
}  # fmt: skip
_WEEKDAY_NAMES: Final = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
# Not strftime("%A"): that follows the process locale.
_WEEKDAY_EN: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# A longer block is not a holiday but a misreading; the schedule-file format has the same limit.
_MAX_SPAN_DAYS: Final = 31

# -- text extraction --------------------------------------------------------------------------

# No-break, full-width and zero-width spaces all appear in pages pasted from gov.cn; a BOM can
# survive a copy into the middle of a text.
_SPACES: Final = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_FULLWIDTH_DIGITS: Final = str.maketrans("０１２３４５６７８９", "0123456789")


def _normalise(text: str) -> list[str]:
    """The text's lines with every kind of space collapsed to one ASCII space, and stripped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [_SPACES.sub(" ", line).translate(_FULLWIDTH_DIGITS).strip() for line in lines]


_BLOCK_TAGS: Final = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# Whatever is not shown on the page; <head> holds the <title>, which repeats the body's title
# with the site's name appended.
_HIDDEN_TAGS: Final = frozenset({"script", "style", "noscript", "template", "head", "svg"})
_SAVED_FROM: Final = re.compile(r"saved from url=\(\d+\)(\S+)", re.IGNORECASE)


class _PageText(HTMLParser):
    """Visible text of a saved web page, one line per block element, plus its address."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.url: str | None = None
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link" and values.get("rel", "").lower() == "canonical" and values.get("href"):
            self.url = self.url or values["href"]
        if tag == "meta" and values.get("property", "").lower() == "og:url":
            self.url = self.url or values.get("content") or None
        if tag == "body":
            self._hidden = 0  # whatever was left open in <head> (a missing </head>) ends here
        elif tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/> and <meta .../>: a self-closed hidden tag must not open a hidden region.
        if tag in _HIDDEN_TAGS:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)

    def handle_comment(self, data: str) -> None:
        # Browsers mark a saved page with <!-- saved from url=(0058)https://www.gov.cn/... -->.
        found = _SAVED_FROM.search(data)
        if found and self.url is None:
            self.url = found.group(1)


def _page_text(markup: str) -> tuple[str, str | None]:
    """The visible text of an HTML page (blank lines dropped) and the address it was saved from."""
    parser = _PageText()
    parser.feed(markup)
    parser.close()
    lines = [line for line in _normalise("".join(parser.parts)) if line]
    return "\n".join(lines), parser.url


_META_CHARSET: Final = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_GB_CHARSETS: Final = frozenset(
    {"gbk", "gb2312", "gb18030", "x-gbk", "cp936", "euc-cn", "x-gb2312"}
)
_LOOKS_HTML: Final = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*|<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def _decode(raw: bytes, *, markup: bool, source: str) -> str:
    """Bytes to text: a BOM wins, then a GBK-family ``<meta charset>``, then UTF-8, then GB18030.

    Government sites still serve GBK pages, and a page saved from them keeps those bytes.
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            return _decode_as(raw[len(bom) :], codec, source)
    declared = _META_CHARSET.search(raw[:4096]) if markup else None
    if declared and declared.group(1).decode("ascii").lower() in _GB_CHARSETS:
        return _decode_as(raw, "gb18030", source)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_as(raw, "gb18030", source)


def _decode_as(raw: bytes, codec: str, source: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise HolidayNoticeError(
            f"节假日安排通知 {source}：无法按 {codec} 解码（{exc}），请另存为 UTF-8 文本",
            f"holiday notice {source}: cannot be decoded as {codec} ({exc}); save it as UTF-8",
            source=source,
            line=None,
        ) from exc


# -- the parts of a notice --------------------------------------------------------------------

_TITLE: Final = re.compile(r"关于(\d{4})年部分节假日安排的通知")
_BODY_YEAR: Final = re.compile(r"现将(\d{4})年")
_NUMBER: Final = re.compile(
    r"(国办发明电|国办发|国发明电|国发)[〔\[［(（【](\d{4})[〕\]］)）】](\d{1,4})号"
)
_HEADING: Final = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.+)$")
_HEADING_NAME: Final = re.compile(r"^([^：:]{1,40}?)\s*[：:]\s*(.*)$")
_QUOTES: Final = re.compile(r"[“”\"'‘’「」『』《》〈〉\s]")
_NAME_SPLIT: Final = re.compile(r"[、，,和及与]")
_FULL_DATE: Final = re.compile(
    r"^(?:国务院办公厅\s*)?(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$"
)
_CN_DATE: Final = re.compile(
    rf"^(?:国务院办公厅\s*)?([{_CN_NUMBER}Ｏ０O]{{4}})年([{_CN_NUMBER}]{{1,3}})月([{_CN_NUMBER}]{{1,3}})日$"
)
# Lines that close the last festival section: the boilerplate and the signature.
_SECTION_END: Final = (
    "节假日期间",
    "鼓励",
    "通知要求",
    "国务院办公厅",
    "各地区",
    "各省",
    "特此通知",
    "（此件",
    "(此件",
)


@attrs.frozen
class _Line:
    """One line of the extracted text with its 1-based number."""

    number: int
    text: str


@attrs.frozen
class _Heading:
    """A festival section: its heading line, names, the rest-day name, and its body lines."""

    line: int
    raw: str
    names: tuple[str, ...]
    label: str
    body: tuple[_Line, ...]


def _cn_int(text: str) -> int:
    """A number 0-99 written in Chinese numerals (十二, 二十一, 三十一, 七)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def _signature_date(text: str) -> tuple[int, int, int] | None:
    """The date of a signature line, in Arabic (2025年11月4日) or Chinese numerals (二〇〇六年…)."""
    found = _FULL_DATE.match(text)
    if found:
        return int(found.group(1)), int(found.group(2)), int(found.group(3))
    found = _CN_DATE.match(text)
    if found:
        try:
            year = int("".join(str(_CN_DIGITS[c]) for c in found.group(1)))
            return year, _cn_int(found.group(2)), _cn_int(found.group(3))
        except KeyError:
            return None
    return None


# -- date expressions -------------------------------------------------------------------------

# One token of a section body. A parenthesised note (（周六）, （农历腊月二十八、周日）) belongs to
# the date before it; notes elsewhere (除夕（2月9日）) are plain text, so their dates are not read.
_TOKEN: Final = re.compile(
    r"(?P<date>(?<!\d)(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日)"
    r"|(?P<note>[（(][^（）()]*[）)])"
    r"|(?P<range>至|—+|－+|–|-+|～|~|〜)"
    r"|(?P<sep>[、和])"
    r"|(?P<stop>[。；;])"
    r"|(?P<comma>[，,])"
    r"|(?P<text>\s+|.)",
    re.S,
)
_WEEKDAY: Final = re.compile(r"(?:星期|礼拜|周)([一二三四五六日天])")

# Clause shapes, over a pattern where each date is _D, each range mark _R and each list mark _S.
_D, _R, _S = "\ue000", "\ue001", "\ue002"
_COUNT_RE: Final = rf"(\d+|[{_CN_NUMBER}]+)天"
_WORK: Final = re.compile(rf"^{_D}(?:{_S}{_D})*上班$")
_BUXIU: Final = re.compile(rf"^{_D}(?:{_S}{_D})*补休$")
_SPAN: Final = re.compile(rf"^{_D}(?:{_R}{_D})?(?:调休)?放假(?:调休|公休)?(?:{_COUNT_RE})?$")
_COUNT: Final = re.compile(rf"^共{_COUNT_RE}$")
_WEEKEND: Final = "与周末连休"
_IGNORED: Final = frozenset({"不调休", "其中", ""})
# Words of the sentences that say how statutory days and weekends were moved (2005-2009).
_EXPLAINS: Final = re.compile(r"其中|法定|公休|调至|照常|分别|为")


@attrs.frozen
class _Tok:
    """A token: a date (with its note), a range or list mark, punctuation, or text."""

    kind: str
    raw: str
    line: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    note: str = ""


def _tokens(body: Iterable[_Line]) -> list[_Tok]:
    out: list[_Tok] = []
    for line in body:
        for found in _TOKEN.finditer(line.text):
            kind = found.lastgroup or "text"
            raw = found.group(0)
            if kind == "date":
                out.append(
                    _Tok(
                        "date",
                        raw,
                        line.number,
                        int(found["y"]) if found["y"] else None,
                        int(found["m"]) if found["m"] else None,
                        int(found["d"]),
                    )
                )
            elif kind == "note" and out and out[-1].kind == "date" and not out[-1].note:
                out[-1] = attrs.evolve(out[-1], raw=out[-1].raw + raw, note=raw[1:-1])
            else:
                out.append(_Tok("text" if kind == "note" else kind, raw, line.number))
        # A line break ends a sentence: continuation lines start new sentences.
        out.append(_Tok("stop", "", line.number))
    return out


def _split(tokens: Sequence[_Tok], kinds: frozenset[str]) -> list[list[_Tok]]:
    parts: list[list[_Tok]] = [[]]
    for tok in tokens:
        if tok.kind in kinds:
            parts.append([])
        else:
            parts[-1].append(tok)
    return [p for p in parts if p]


def _pattern(clause: Sequence[_Tok]) -> str:
    marks = {"date": _D, "range": _R, "sep": _S}
    return "".join(marks.get(t.kind, t.raw) for t in clause if not t.raw.isspace())


def _raw(tokens: Sequence[_Tok]) -> str:
    return "".join(t.raw for t in tokens).strip()


# -- interpretation ---------------------------------------------------------------------------


@attrs.frozen
class _Festival:
    """What one section schedules."""

    heading: _Heading
    span_line: int
    span_raw: str
    rest: tuple[date, ...]
    work: tuple[tuple[date, int, str], ...]


@attrs.define
class _Reader:
    """Reads one notice; holds the year and the source for dates and messages."""

    year: int
    source: str
    # (year, month) of the last date read in the current section, for 17日 after 2月18日.
    context: tuple[int, int] | None = None
    span: tuple[date, date] | None = None

    def refuse(self, line: int | None, fragment: str, zh: str, en: str) -> HolidayNoticeError:
        """The error for a fragment of the text that cannot be read."""
        where_zh = f"第{line}行" if line is not None else ""
        where_en = f", line {line}" if line is not None else ""
        quote_zh = f"「{fragment}」" if fragment else ""
        quote_en = f' "{fragment}"' if fragment else ""
        return HolidayNoticeError(
            f"节假日安排通知 {self.source} {where_zh}{quote_zh}：{zh}",
            f"holiday notice {self.source}{where_en}{quote_en}: {en}",
            source=self.source,
            line=line,
        )

    # - dates -

    def resolve(self, tok: _Tok, *, explains: bool = False) -> date:
        """The date a date token stands for, with its weekday note checked."""
        year, month = tok.year, tok.month
        if year is not None and month is None:
            raise self.refuse(tok.line, tok.raw, "有年无月，无法确定日期", "a year without a month")
        if month is None:
            if self.context is None:
                raise self.refuse(
                    tok.line,
                    tok.raw,
                    "只有日、前文没有月份，无法确定日期",
                    "a day without a month, and no date before it to take the month from",
                )
            year, month = self.context
        elif year is None:
            # A December date in the notice for Y is the New Year arrangement of December Y-1.
            year = self.year - 1 if month == 12 else self.year
        elif not (year == self.year or (year == self.year - 1 and month == 12)):
            raise self.refuse(
                tok.line,
                tok.raw,
                f"年份与通知年份不符：{self.year}年的通知只能安排{self.year}年和"
                f"{self.year - 1}年12月的日期",
                f"the year does not match the notice: a notice for {self.year} schedules days "
                f"of {self.year} and of December {self.year - 1} only",
            )
        day: date | None
        try:
            day = date(year, month, tok.day or 0)
        except ValueError:
            day = self._in_span(tok) if explains and tok.month is None else None
        if day is None:
            raise self.refuse(tok.line, tok.raw, f"{year}年{month}月没有这一天", "no such date")
        self._check_weekday(tok, day)
        self.context = (day.year, day.month)
        return day

    def _in_span(self, tok: _Tok) -> date | None:
        # 其中，29日、30日、31日为法定假日 after 1月29日—2月4日 (2006): the days of the span.
        if self.span is None:
            return None
        start, end = self.span
        found = {
            d
            for m in {(start.year, start.month), (end.year, end.month)}
            for d in _valid(m[0], m[1], tok.day or 0)
            if start <= d <= end
        }
        return found.pop() if len(found) == 1 else None

    def _check_weekday(self, tok: _Tok, day: date) -> None:
        named = {_WEEKDAYS[w] for w in _WEEKDAY.findall(tok.note)}
        if len(named) > 1:
            raise self.refuse(tok.line, tok.raw, "注明了两个不同的星期", "two different weekdays")
        if named and named != {day.weekday()}:
            raise self.refuse(
                tok.line,
                tok.raw,
                f"星期与日期不符：{day.isoformat()}是{_WEEKDAY_NAMES[day.weekday()]}",
                f"the weekday does not match the date: {day.isoformat()} is a "
                f"{_WEEKDAY_EN[day.weekday()]}",
            )

    # - sections -

    def festival(self, heading: _Heading) -> _Festival:
        """Read one section: its span (with 补休 and 与周末连休), count and 上班 days."""
        self.context, self.span = None, None
        span_at: tuple[int, str] = (heading.line, heading.raw)
        count: tuple[int, int, str] | None = None
        extra: list[tuple[date, int, str]] = []
        weekend_at: tuple[int, str] | None = None
        work: list[tuple[date, int, str]] = []
        for sentence in _split(_tokens(heading.body), frozenset({"stop"})):
            if _pattern(sentence).startswith("鼓励"):
                continue  # advice to employers (鼓励…安排职工在除夕休息, 2024), not a schedule
            explains = bool(_EXPLAINS.search(_pattern(sentence)))
            for clause in _split(sentence, frozenset({"comma"})):
                shape, raw, line = _pattern(clause), _raw(clause), clause[0].line
                dates = [t for t in clause if t.kind == "date"]
                if "上班" in shape:
                    self._expect(_WORK, shape, line, raw, "上班")
                    work += [(self.resolve(t), line, raw) for t in dates]
                elif "补休" in shape:
                    self._expect(_BUXIU, shape, line, raw, "补休")
                    extra += [(self.resolve(t), line, raw) for t in dates]
                elif "放假" in shape:
                    found = self._expect(_SPAN, shape, line, raw, "放假")
                    if self.span is not None:
                        raise self.refuse(
                            line, raw, "一个节日列出了两段放假日期", "a second span in one section"
                        )
                    self.span = self._span(dates, line, raw)
                    span_at = (line, raw)
                    if found.group(1):
                        count = (_count(found.group(1)), line, raw)
                elif counted := _COUNT.match(shape):
                    if self.span is None:
                        raise self.refuse(
                            line, raw, "“共N天”之前没有放假日期", "a day count before any span"
                        )
                    count = (_count(counted.group(1)), line, raw)
                elif shape == _WEEKEND:
                    weekend_at = (line, raw)
                elif shape in _IGNORED or not dates:
                    continue
                elif explains:
                    for tok in dates:
                        self.resolve(tok, explains=True)
                else:
                    raise self.refuse(
                        line,
                        raw,
                        "无法读懂这句话中的日期（既不是放假，也不是上班或补休）",
                        "cannot read the dates of this clause: neither 放假, 上班 nor 补休",
                    )
        if self.span is None:
            raise self.refuse(
                heading.line,
                heading.raw,
                "这一节没有可读的放假日期",
                "the section has no readable span of days off",
            )
        rest = self._rest_days(self.span, count, extra, weekend_at, span_at)
        return _Festival(heading, span_at[0], span_at[1], tuple(rest), tuple(work))

    def _expect(
        self, shape: re.Pattern[str], text: str, line: int, raw: str, word: str
    ) -> re.Match[str]:
        found = shape.match(text)
        if found is None:
            raise self.refuse(
                line,
                raw,
                f"含“{word}”的句子格式无法识别（应为日期列表加“{word}”）",
                f"cannot read this {word} clause (expected a list of dates then {word})",
            )
        return found

    def _span(self, dates: Sequence[_Tok], line: int, raw: str) -> tuple[date, date]:
        start = self.resolve(dates[0])
        end = self.resolve(dates[-1]) if len(dates) > 1 else start
        if end < start:
            raise self.refuse(line, raw, "放假结束日早于开始日", "the span ends before it starts")
        if (end - start).days >= _MAX_SPAN_DAYS:
            raise self.refuse(
                line,
                raw,
                f"放假时段超过{_MAX_SPAN_DAYS}天",
                f"the span is longer than {_MAX_SPAN_DAYS} days",
            )
        return start, end

    def _rest_days(
        self,
        span: tuple[date, date],
        count: tuple[int, int, str] | None,
        extra: Sequence[tuple[date, int, str]],
        weekend_at: tuple[int, str] | None,
        span_at: tuple[int, str],
    ) -> list[date]:
        start, end = span
        days = list(_days(start, end))
        if count is not None and count[0] != len(days):
            raise self.refuse(
                count[1],
                count[2],
                f"天数不符：{start}至{end}是{len(days)}天，通知写共{count[0]}天",
                f"the day count does not match: {start}..{end} is {len(days)} day(s), "
                f"the notice says {count[0]}",
            )
        for day, line, raw in extra:
            if day in days:
                raise self.refuse(line, raw, f"{day}重复列出", f"{day} is listed twice")
            # 4月5日放假，4月7日（星期一）补休 (2014): the Sunday between is off too.
            gap = list(_days(end + _ONE, day - _ONE)) or list(_days(day + _ONE, start - _ONE))
            if all(g.weekday() >= 5 for g in gap):
                days += [g for g in gap if g not in days]
            days.append(day)
        if weekend_at is not None:
            joined = _adjacent_weekend(start, end)
            if not joined:
                raise self.refuse(
                    weekend_at[0],
                    weekend_at[1],
                    "放假日不与周末相邻，无法“与周末连休”",
                    "the days off are not next to a weekend",
                )
            days += joined
        lo, hi = date(self.year - 1, 12, 1), date(self.year, 12, 31)
        for day in days:
            if not lo <= day <= hi:
                raise self.refuse(
                    span_at[0],
                    span_at[1],
                    f"{day}不在{lo}至{hi}之间（{self.year}年通知的范围）",
                    f"{day} is outside {lo}..{hi}, the reach of a notice for {self.year}",
                )
        return sorted(days)


_ONE: Final = timedelta(days=1)


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += _ONE


def _valid(year: int, month: int, day: int) -> list[date]:
    try:
        return [date(year, month, day)]
    except ValueError:
        return []


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _cn_int(text)


def _adjacent_weekend(start: date, end: date) -> list[date]:
    """The weekend days 与周末连休 joins to a span.

    Before a Monday (Saturday and Sunday) or a Sunday (Saturday); after a Friday (Saturday and
    Sunday) or a Saturday (Sunday).
    """
    before = {0: [start - 2 * _ONE, start - _ONE], 6: [start - _ONE]}.get(start.weekday(), [])
    after = {4: [end + _ONE, end + 2 * _ONE], 5: [end + _ONE]}.get(end.weekday(), [])
    return before + after


# -- the whole notice -------------------------------------------------------------------------


def _year(front: Sequence[_Line], reader: _Reader) -> tuple[int, str]:
    """The notice's year and its title, from the title line(s) and the body's 现将YYYY年."""
    title: tuple[int, int] | None = None
    texts = [line.text.replace(" ", "") for line in front]
    for i, line in enumerate(front):
        # gov.cn breaks the title after the year: 国务院办公厅关于2016年 / 部分节假日安排的通知.
        following = next((t for t in texts[i + 1 :] if t), "")
        found = _TITLE.search(texts[i]) or (
            _TITLE.search(texts[i] + following) if texts[i].endswith("年") else None
        )
        if found is None:
            continue
        year = int(found.group(1))
        if title is None:
            title = (year, line.number)
        elif title[0] != year:
            raise reader.refuse(
                line.number,
                found.group(0),
                f"标题年份不一致（第{title[1]}行为{title[0]}年）",
                f"the title's year differs from line {title[1]} ({title[0]})",
            )
    body = next(
        (
            (line, found)
            for line in front
            if (found := _BODY_YEAR.search(line.text.replace(" ", "")))
        ),
        None,
    )
    if body is not None:
        stated = int(body[1].group(1))
        if title is not None and stated != title[0]:
            raise reader.refuse(
                body[0].number,
                body[1].group(0),
                f"正文年份与标题（{title[0]}年）不符",
                f"the body's year differs from the title's ({title[0]})",
            )
        title = title or (stated, body[0].number)
    if title is None:
        raise reader.refuse(
            None,
            "",
            "找不到通知年份（标题“关于YYYY年部分节假日安排的通知”或正文“现将YYYY年”）",
            "cannot tell the year: no title 关于YYYY年部分节假日安排的通知 and no 现将YYYY年",
        )
    return title[0], f"国务院办公厅关于{title[0]}年部分节假日安排的通知"


def _number(lines: Sequence[_Line], reader: _Reader) -> str | None:
    """The document number with its brackets normalised to 〔〕.

    Its year must be the notice's or the year before (the notice is issued the year before).
    """
    number: tuple[str, int] | None = None
    for line in lines:
        found = _NUMBER.search(line.text.replace(" ", ""))
        if found is None:
            continue
        text = f"{found.group(1)}〔{found.group(2)}〕{int(found.group(3))}号"
        if int(found.group(2)) not in (reader.year - 1, reader.year):
            raise reader.refuse(
                line.number,
                found.group(0),
                f"文号年份与{reader.year}年的通知不符",
                f"the document number's year does not fit a notice for {reader.year}",
            )
        if number is None:
            number = (text, line.number)
        elif number[0] != text:
            raise reader.refuse(
                line.number,
                found.group(0),
                f"文号与第{number[1]}行的{number[0]}不一致",
                f"a different document number than line {number[1]} ({number[0]})",
            )
    return number[0] if number else None


def _sections(lines: Sequence[_Line], reader: _Reader) -> tuple[list[_Heading], int]:
    """The festival sections (heading plus continuation lines) and the line after the last one."""
    sections: list[_Heading] = []
    body: list[_Line] = []
    head: tuple[_Line, tuple[str, ...], str] | None = None
    after = 0
    for line in lines:
        found = _HEADING.match(line.text)
        if found:
            if head is not None:
                sections.append(
                    _Heading(head[0].number, head[0].text, head[1], head[2], tuple(body))
                )
            names, rest = _heading(found.group(2), line, reader)
            head, body = (line, names, _label(names)), [_Line(line.number, rest)]
            after = line.number
        elif head is not None and line.text:
            if line.text.startswith(_SECTION_END) or _signature_date(line.text):
                sections.append(
                    _Heading(head[0].number, head[0].text, head[1], head[2], tuple(body))
                )
                head = None
            else:
                body.append(line)
                after = line.number
    if head is not None:
        sections.append(_Heading(head[0].number, head[0].text, head[1], head[2], tuple(body)))
    return sections, after


def _heading(text: str, line: _Line, reader: _Reader) -> tuple[tuple[str, ...], str]:
    """The festival names of a heading (一、元旦：…) and the rest of the line."""
    found = _HEADING_NAME.match(text)
    if found:
        written, rest = found.group(1), found.group(2)
    else:
        # Some reprints drop the colon: 三、清明节4月4日至6日放假 (2009).
        compact = _QUOTES.sub("", text)
        known = next(
            (n for n in sorted(_FESTIVALS, key=len, reverse=True) if compact.startswith(n)), None
        )
        if known is None or not compact[len(known) : len(known) + 1].isdigit():
            raise reader.refuse(
                line.number,
                line.text,
                "节日标题无法识别（应为“一、元旦：…”）",
                "cannot read the section heading (expected 一、元旦：…)",
            )
        written, rest = known, compact[len(known) :]
    names = tuple(n for n in _NAME_SPLIT.split(_QUOTES.sub("", written)))
    known = "、".join(n for n in _FESTIVALS if n != _ANTI_FASCIST)
    for name in names:
        if name not in _FESTIVALS:
            raise reader.refuse(
                line.number,
                name or written,
                f"未知的节日名称（已知：{known}）",
                f"unknown festival name (known: {known})",
            )
    return names, rest


def _label(names: tuple[str, ...]) -> str:
    # A merged section keeps its joined name as written (国庆节、中秋节): the notice gives one span.
    return _FESTIVALS[names[0]] if len(names) == 1 else "、".join(names)


def _signature(lines: Sequence[_Line], after: int, reader: _Reader) -> date | None:
    """The date under 国务院办公厅 after the last section.

    It must lie in the year before the scheduled year (the usual case) or in that year itself.
    """
    for line in lines:
        if line.number <= after:
            continue
        parts = _signature_date(line.text)
        if parts is None:
            continue
        try:
            signed = date(*parts)
        except ValueError:
            raise reader.refuse(line.number, line.text, "落款日期不存在", "no such date") from None
        if not date(reader.year - 1, 1, 1) <= signed <= date(reader.year, 12, 31):
            raise reader.refuse(
                line.number,
                line.text,
                f"落款日期与{reader.year}年的通知不符（应在{reader.year - 1}年或{reader.year}年）",
                f"the signature date does not fit a notice for {reader.year} (expected "
                f"{reader.year - 1} or {reader.year})",
            )
        return signed
    return None


def _schedule(festivals: Sequence[_Festival], reader: _Reader) -> tuple[dict[date, str], set[date]]:
    """Rest days by name and 上班 days, refusing overlaps, repeats and weekday 上班 days."""
    rest: dict[date, str] = {}
    owner: dict[date, _Festival] = {}
    for fest in festivals:
        for day in fest.rest:
            if day in owner:
                other = owner[day].heading
                raise reader.refuse(
                    fest.span_line,
                    fest.span_raw,
                    f"{day}与第{other.line}行的{other.label}重叠",
                    f"{day} overlaps {other.label} on line {other.line}",
                )
            owner[day], rest[day] = fest, fest.heading.label
    work: set[date] = set()
    for fest in festivals:
        for day, line, raw in fest.work:
            if day.weekday() < 5:
                raise reader.refuse(
                    line,
                    raw,
                    f"{day}是{_WEEKDAY_NAMES[day.weekday()]}，调休上班日只能是周六或周日",
                    f"{day} is a {_WEEKDAY_EN[day.weekday()]}; a makeup working day is a "
                    "Saturday or Sunday",
                )
            if day in rest:
                raise reader.refuse(
                    line,
                    raw,
                    f"{day}已是放假日（{rest[day]}）",
                    f"{day} is a day off ({rest[day]})",
                )
            if day in work:
                raise reader.refuse(line, raw, f"{day}重复列出", f"{day} is listed twice")
            work.add(day)
    return rest, work


def _parse(text: str, *, source: str, url: str | None) -> ScheduleFile:
    plain = "\n".join(_normalise(text))
    lines = [_Line(i + 1, t) for i, t in enumerate(plain.split("\n"))]
    reader = _Reader(0, source)
    first = next((i for i, line in enumerate(lines) if _HEADING.match(line.text)), None)
    if first is None:
        raise reader.refuse(
            None,
            "",
            "没有“一、元旦：…”这样的节日安排，不是节假日安排通知",
            "no festival sections (一、元旦：…): not a holiday notice",
        )
    # Title, number and 现将YYYY年 precede the sections; what follows them on a saved page
    # (links to other years' notices) must not count.
    front = lines[:first]
    reader.year, title = _year(front, reader)
    number = _number(front, reader)
    headings, after = _sections(lines[first:], reader)
    seen: dict[str, int] = {}
    for heading in headings:
        for name in heading.names:
            label = _FESTIVALS[name]
            if label in seen:
                raise reader.refuse(
                    heading.line,
                    heading.raw,
                    f"{name}已在第{seen[label]}行安排",
                    f"{name} is already scheduled on line {seen[label]}",
                )
            seen[label] = heading.line
    rest, work = _schedule([reader.festival(h) for h in headings], reader)
    return ScheduleFile(
        path=source,
        year=reader.year,
        notice=title,
        number=number,
        published_on=_signature(lines, after, reader),
        url=url,
        rest=tuple(sorted(rest.items())),
        work=frozenset(work),
        sha256=hashlib.sha256(plain.encode("utf-8")).hexdigest(),
    )


# -- public API -------------------------------------------------------------------------------


def parse_notice(text: str, *, source: str = "<text>") -> ScheduleFile:
    """Parse the text of a 国务院办公厅关于YYYY年部分节假日安排的通知 into a schedule.

    ``source`` names the text in error messages and becomes the schedule's ``path``; the
    schedule's ``sha256`` is that of the text as read (spaces normalised), UTF-8 encoded.
    Raises `HolidayNoticeError` with the 1-based line of anything it cannot read unambiguously.
    """
    return _parse(text, source=source, url=None)


def read_notice(path: str | os.PathLike[str]) -> ScheduleFile:
    """Read a notice saved as text (``.txt``) or as a web page (``.html``, ``.htm``, HTML content).

    Bytes are decoded as UTF-8 (with or without BOM), else as GB18030; a page's GBK-family
    ``<meta charset>`` is honoured. A page's visible text is read (script and style dropped, one
    line per block element, blank lines dropped); the address it was saved from, when the page
    records it, becomes the schedule's ``url``. Messages and the schedule's ``path`` name the
    file by its base name; their line numbers count the lines of the text read (for a page, of
    its visible text).
    """
    p = Path(path)
    source = p.name or str(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise HolidayNoticeError(
            f"节假日安排通知 {source}：无法读取（{exc}）",
            f"holiday notice {source}: cannot be read ({exc})",
            source=source,
            line=None,
        ) from exc
    markup = p.suffix.lower() in {".html", ".htm", ".xhtml", ".shtml"} or any(
        mark in raw[:2048].lower() for mark in (b"<html", b"<!doctype html")
    )
    text = _decode(raw, markup=markup, source=source)
    if markup or _LOOKS_HTML.match(text):
        text, url = _page_text(text)
        return _parse(text, source=source, url=url)
    return _parse(text, source=source, url=None)


def _toml_string(value: str) -> str:
    """A TOML basic string."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif char in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _comment(value: str) -> str:
    # A TOML comment ends at the line break and admits no other control character.
    return "".join(" " if ord(c) < 0x20 or ord(c) == 0x7F else c for c in value)


def notice_to_toml(schedule: ScheduleFile) -> str:
    """The schedule-file TOML (see `govdisclose.calendar._files`) that loads back to ``schedule``.

    Consecutive rest days of one name become one ``[[rest]]`` block; a comment header says which
    notice (title, number, date) and which text (name, sha256) it was generated from.
    """
    signed = f"，{schedule.published_on.isoformat()}" if schedule.published_on else ""
    header = [
        "# Generated by govdisclose from the State Council holiday notice",
        f"# {_comment(schedule.notice)}",
        f"# {_comment(schedule.number or '（文号未载明 / no document number）')}{signed}",
        f"# read from {_comment(schedule.path)} (sha256 {schedule.sha256});"
        " regenerate it from the notice rather than editing it.",
        "",
        f"year = {schedule.year}",
        f"notice = {_toml_string(schedule.notice)}",
    ]
    if schedule.number is not None:
        header.append(f"number = {_toml_string(schedule.number)}")
    if schedule.published_on is not None:
        header.append(f"published_on = {schedule.published_on.isoformat()}")
    if schedule.url is not None:
        header.append(f"url = {_toml_string(schedule.url)}")
    header.append(f"work = [{', '.join(d.isoformat() for d in sorted(schedule.work))}]")
    blocks: list[tuple[date, date, str]] = []
    for day, name in sorted(schedule.rest):
        if blocks and blocks[-1][2] == name and blocks[-1][1] == day - _ONE:
            blocks[-1] = (blocks[-1][0], day, name)
        else:
            blocks.append((day, day, name))
    for start, end, name in blocks:
        header += ["", "[[rest]]", f"name = {_toml_string(name)}", f"from = {start.isoformat()}"]
        if end != start:
            header.append(f"to = {end.isoformat()}")
    return "\n".join(header) + "\n"
