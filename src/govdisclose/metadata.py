"""Catalogue metadata: 索引号 schemes, 文号 normalisation, the 主题分类 vocabulary, 有效性.

There is no national 索引号 standard: every province or city wrote its own 目录编制规范
(users-and-formats.md §2.2), so a scheme is a small pluggable object (`IndexNumberScheme`).
The schemes shipped here are the ones seen on real sites, each with its example:

* `CreditCodeSerialScheme`: 统一社会信用代码 ``/`` year ``-`` serial, e.g.
  ``1137078555222300XQ/2015-00020`` (or year+month, ``11341702486344515H/202110-00013``);
* `OrgCodeSerialScheme`: the old 9-character 组织机构代码 ``/`` year ``-`` serial, e.g.
  ``000014349/2021-00151`` (国务院 style) or with hyphens, ``01527918X-2020-153077`` (怒江);
* `RegionSerialScheme`: a region code ``/`` year ``-`` serial, e.g. ``6107280000/2024-001005``
  (镇巴);
* `PatternScheme`: any local scheme written as a regular expression.

文号 (发文字号) follow GB/T 9704-2012 practice: 机关代字 + 〔year〕 + serial + 号, 六角括号, no
padding, no 第. Real pages write [2014], (2014), 【2014】 anyway; `normalize_document_number` maps
them all to one canonical form so documents can be matched and de-duplicated.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import attrs
from attrs import field, frozen

from govdisclose._time import day_arg
from govdisclose.errors import ValidationError
from govdisclose.model import Record
from govdisclose.vocab import Validity

__all__ = [
    "CreditCodeSerialScheme",
    "DocumentNumber",
    "IndexNumberScheme",
    "IndexProblem",
    "OrgCodeSerialScheme",
    "PatternScheme",
    "RegionSerialScheme",
    "Topic",
    "TopicVocabulary",
    "credit_code_is_valid",
    "ensure_valid_index_number",
    "normalize_document_number",
    "org_code_is_valid",
    "parse_document_number",
    "validity_as_of",
    "validity_problems",
]


# -- 索引号 -------------------------------------------------------------------------------------


@frozen
class IndexProblem:
    """One thing wrong with an index number: a stable ``code`` and a bilingual message."""

    code: str
    message_zh: str
    message_en: str


@runtime_checkable
class IndexNumberScheme(Protocol):
    """A local 索引号 scheme. ``validate`` returns every problem; an empty list means valid."""

    @property
    def name(self) -> str:
        """A short Chinese name for messages (``统一社会信用代码/年份-序号``)."""
        ...

    def validate(self, index_number: str) -> list[IndexProblem]:
        """Every problem with ``index_number`` under this scheme."""
        ...


def _generic_problems(index_number: str) -> list[IndexProblem]:
    # Templates that print a missing value literally (佳木斯: "null02D/01A/...") are common.
    problems: list[IndexProblem] = []
    if not index_number.strip():
        return [IndexProblem("index.blank", "索引号为空", "the index number is blank")]
    if re.search(r"null|none|undefined", index_number, re.IGNORECASE):
        problems.append(
            IndexProblem(
                "index.template_placeholder",
                f"索引号“{index_number}”含有模板占位文字（null/none/undefined）",
                f"index number {index_number!r} contains a template placeholder",
            )
        )
    if index_number != index_number.strip() or any(c.isspace() for c in index_number):
        problems.append(
            IndexProblem(
                "index.whitespace", "索引号含有空白字符", "the index number has whitespace"
            )
        )
    if unicodedata.normalize("NFKC", index_number) != index_number:
        problems.append(
            IndexProblem(
                "index.fullwidth",
                "索引号含有全角字符，应使用半角",
                "the index number has full-width characters; use ASCII",
            )
        )
    return problems


def _shape_problem(scheme: str, index_number: str, example: str) -> IndexProblem:
    return IndexProblem(
        "index.shape",
        f"索引号“{index_number}”不符合{scheme}格式（示例：{example}）",
        f"index number {index_number!r} does not match the {scheme} scheme (e.g. {example})",
    )


_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_is_valid(code: str) -> bool:
    """Whether ``code`` is an 18-character 统一社会信用代码 with a correct check character
    (GB 32100-2015: mod 31 over the 31-character alphabet without I, O, Z, S, V)."""
    if len(code) != 18 or any(c not in _CREDIT_CHARS for c in code):
        return False
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(code, _CREDIT_WEIGHTS, strict=False))
    return _CREDIT_CHARS[(31 - total % 31) % 31] == code[17]


_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_is_valid(code: str) -> bool:
    """Whether ``code`` (8 characters + check, with or without the hyphen) is a 组织机构代码 with
    a correct check character (GB 11714-1997: mod 11, 10 written as X)."""
    body, check = (
        (code[:8], code[9:]) if len(code) == 10 and code[8] == "-" else (code[:8], code[8:])
    )
    if len(body) != 8 or len(check) != 1 or not re.fullmatch(r"[0-9A-Z]{8}", body):
        return False
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    expected = "X" if value == 10 else "0" if value == 11 else str(value)
    return check == expected


def _year_problem(year: int, index_number: str) -> list[IndexProblem]:
    # Disclosure catalogues start with the 2008 regulation; a year far outside is a typo.
    if 1990 <= year <= 2099:
        return []
    return [
        IndexProblem(
            "index.year",
            f"索引号“{index_number}”中的年份{year}不合理",
            f"index number {index_number!r} has an implausible year {year}",
        )
    ]


@frozen
class CreditCodeSerialScheme:
    """统一社会信用代码/年份-序号, e.g. ``1137078555222300XQ/2015-00020``.

    :param with_month: the date part is ``YYYYMM`` (``11341702486344515H/202110-00013``).
    :param serial_digits: width of the zero-padded serial.
    """

    with_month: bool = False
    serial_digits: int = 5
    name: str = "统一社会信用代码/年份-序号"

    def validate(self, index_number: str) -> list[IndexProblem]:
        """Every problem: shape, credit-code check character, year and month."""
        problems = _generic_problems(index_number)
        datepart = r"(\d{4})(\d{2})" if self.with_month else r"(\d{4})()"
        m = re.fullmatch(rf"([0-9A-Z]{{18}})/{datepart}-(\d{{{self.serial_digits}}})", index_number)
        example = (
            "11341702486344515H/202110-00013"
            if self.with_month
            else "1137078555222300XQ/2015-00020"
        )
        if m is None:
            return [*problems, _shape_problem(self.name, index_number, example)]
        if not credit_code_is_valid(m.group(1)):
            problems.append(
                IndexProblem(
                    "index.credit_code",
                    f"索引号中的统一社会信用代码“{m.group(1)}”校验位错误",
                    f"the credit code {m.group(1)!r} in the index number has a wrong check digit",
                )
            )
        problems += _year_problem(int(m.group(2)), index_number)
        if self.with_month and not 1 <= int(m.group(3)) <= 12:
            problems.append(
                IndexProblem(
                    "index.month", "索引号中的月份不合理", "implausible month in the index number"
                )
            )
        return problems


@frozen
class OrgCodeSerialScheme:
    """组织机构代码/年份-序号 (``000014349/2021-00151``), or hyphenated (``01527918X-2020-153077``).

    :param separator: the character between code and year, ``"/"`` or ``"-"``.
    :param check_digit: verify the organisation code's check character. Some sites use made-up
        unit numbers (宿迁's ``000000001``) that fail it; turn this off for them.
    :param serial_digits: allowed serial widths.
    """

    separator: str = "/"
    check_digit: bool = True
    serial_digits: tuple[int, ...] = (5, 6)
    name: str = "组织机构代码/年份-序号"

    def validate(self, index_number: str) -> list[IndexProblem]:
        """Every problem: shape, check character (if enabled), year, serial width."""
        problems = _generic_problems(index_number)
        sep = re.escape(self.separator)
        m = re.fullmatch(rf"([0-9A-Z]{{8}}-?[0-9X]){sep}(\d{{4}})-(\d+)", index_number)
        if m is None:
            example = f"000014349{self.separator}2021-00151"
            return [*problems, _shape_problem(self.name, index_number, example)]
        if self.check_digit and not org_code_is_valid(m.group(1)):
            problems.append(
                IndexProblem(
                    "index.org_code",
                    f"索引号中的组织机构代码“{m.group(1)}”校验位错误",
                    f"the organisation code {m.group(1)!r} has a wrong check character",
                )
            )
        problems += _year_problem(int(m.group(2)), index_number)
        if len(m.group(3)) not in self.serial_digits:
            problems.append(
                IndexProblem(
                    "index.serial",
                    f"索引号序号应为{'或'.join(map(str, self.serial_digits))}位",
                    f"the serial must have {' or '.join(map(str, self.serial_digits))} digits",
                )
            )
        return problems


@frozen
class RegionSerialScheme:
    """行政区划代码/年份-序号, e.g. ``6107280000/2024-001005`` (镇巴).

    :param region_digits: width of the region code (10 in 镇巴: 6-digit 区划 + 4-digit unit).
    :param serial_digits: width of the serial.
    """

    region_digits: int = 10
    serial_digits: int = 6
    name: str = "行政区划代码/年份-序号"

    def validate(self, index_number: str) -> list[IndexProblem]:
        """Every problem: shape and year."""
        problems = _generic_problems(index_number)
        pattern = rf"(\d{{{self.region_digits}}})/(\d{{4}})-(\d{{{self.serial_digits}}})"
        m = re.fullmatch(pattern, index_number)
        if m is None:
            return [*problems, _shape_problem(self.name, index_number, "6107280000/2024-001005")]
        return problems + _year_problem(int(m.group(2)), index_number)


@frozen
class PatternScheme:
    """A local scheme given as a regular expression matched against the whole index number.

    A named group ``year`` is checked for plausibility when present.
    """

    name: str
    pattern: str
    example: str

    def __attrs_post_init__(self) -> None:
        try:
            re.compile(self.pattern)
        except re.error as err:
            raise ValidationError(
                f"索引号规则“{self.name}”的正则表达式无效：{err}",
                f"index scheme {self.name!r} has an invalid regular expression: {err}",
                field="pattern",
                code="metadata.scheme",
            ) from None

    def validate(self, index_number: str) -> list[IndexProblem]:
        """Every problem: the generic ones and the shape."""
        problems = _generic_problems(index_number)
        m = re.fullmatch(self.pattern, index_number)
        if m is None:
            return [*problems, _shape_problem(self.name, index_number, self.example)]
        year = m.groupdict().get("year")
        return problems + (_year_problem(int(year), index_number) if year else [])


def ensure_valid_index_number(scheme: IndexNumberScheme, index_number: str) -> None:
    """Raise `ValidationError` (field ``index_number``) listing every problem, if any."""
    problems = scheme.validate(index_number)
    if problems:
        raise ValidationError(
            "；".join(p.message_zh for p in problems),
            "; ".join(p.message_en for p in problems),
            field="index_number",
            code=problems[0].code,
        )


# -- 文号 ---------------------------------------------------------------------------------------

# Year brackets seen on real pages: 〔〕 (canonical), 【】, [], ［］, (), （）, 〖〗, ﹝﹞, 〈〉.
_DOCNO = re.compile(
    r"^(?P<prefix>.+?)\s*[〔【\[［(（〖﹝〈<]\s*(?P<year>\d{4})\s*[〕】\]］)）〗﹞〉>]"
    r"\s*第?\s*(?P<serial>\d+)\s*号$"
)


@frozen
class DocumentNumber:
    """A parsed 文号: ``prefix`` (机关代字, e.g. 京政发), ``year``, ``serial``."""

    prefix: str
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.serial}号"


def parse_document_number(text: str) -> DocumentNumber:
    """Parse a 文号 written with any common bracket, full-width digits, spaces, 第 or padding.

    Raises `ValidationError` if the text is not 机关代字 + bracketed 4-digit year + serial + 号.
    """
    # NFKC folds full-width digits but also turns （） into (), which the pattern accepts.
    folded = unicodedata.normalize("NFKC", text).strip()
    m = _DOCNO.match(folded)
    if m is None or not m.group("prefix").strip():
        raise ValidationError(
            f"无法识别的文号“{text}”，应为“机关代字〔年份〕序号号”，如“京政发〔2014〕5号”",
            f"unrecognised document number {text!r}; expected e.g. 京政发〔2014〕5号",
            field="document_number",
            code="metadata.document_number",
        )
    prefix = re.sub(r"\s+", "", m.group("prefix"))
    return DocumentNumber(prefix, int(m.group("year")), int(m.group("serial")))


def normalize_document_number(text: str) -> str:
    """The canonical form ``京政发〔2014〕5号`` of a 文号 written in any common variant.

    ``x政发[2014]5号``, ``x政发(2014)5号``, ``x政发（2014）第05号`` and ``x政发【2014】5号``
    all become ``x政发〔2014〕5号`` (GB/T 9704-2012 practice: 六角括号, no 第, no zero padding).
    """
    return str(parse_document_number(text))


# -- 主题分类 -----------------------------------------------------------------------------------


@frozen
class Topic:
    """One entry of the subject vocabulary; ``parent`` is ``None`` for a top-level topic."""

    code: str
    label: str
    parent: str | None = None

    @property
    def path(self) -> str:
        """The display form ``一级\\二级`` used on disclosure pages."""
        return self.label if self.parent is None else f"{self.parent}\\{self.label}"


_PATH_SEPARATORS = re.compile(r"\s*[\\＼/／>＞]\s*")


@frozen
class TopicVocabulary:
    """A versioned two-level 主题分类 list with local aliases.

    ``complete_parents`` are the top-level labels whose second level is fully listed; under the
    others a second level cannot be checked (the source did not give it).
    """

    version: str
    source: str
    topics: tuple[Topic, ...]
    aliases: Mapping[str, str] = field(factory=dict)
    complete_parents: frozenset[str] = frozenset()
    _by_key: Mapping[str, Topic] = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, Topic] = {}
        for t in self.topics:
            for key in (t.code, t.path):
                if key in index:
                    raise ValidationError(
                        f"主题分类“{key}”重复",
                        f"duplicate topic key {key!r}",
                        field="topics",
                        code="metadata.topics",
                    )
                index[key] = t
        for alias, target in self.aliases.items():
            if target not in index:
                raise ValidationError(
                    f"主题分类别名“{alias}”指向不存在的分类“{target}”",
                    f"topic alias {alias!r} points to unknown topic {target!r}",
                    field="aliases",
                    code="metadata.topics",
                )
        object.__setattr__(self, "_by_key", index)

    @classmethod
    def bundled(cls) -> TopicVocabulary:
        """The national list shipped with govdisclose (``metadata_data/topics.toml``)."""
        data = (
            resources.files("govdisclose").joinpath("metadata_data/topics.toml").read_text("utf-8")
        )
        return cls._from_toml(tomllib.loads(data), "topics.toml")

    @classmethod
    def load(cls, path: str | Path) -> TopicVocabulary:
        """A vocabulary from a TOML file in the bundled file's format (a provincial list)."""
        text = Path(path).read_text("utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ValidationError(
                f"主题分类文件“{path}”不是有效的TOML：{err}",
                f"topic file {str(path)!r} is not valid TOML: {err}",
                code="metadata.topics",
            ) from None
        return cls._from_toml(data, str(path))

    @classmethod
    def _from_toml(cls, data: Mapping[str, Any], where: str) -> TopicVocabulary:
        unknown = set(data) - {"version", "source", "topic", "aliases"}
        if unknown or "version" not in data or "topic" not in data:
            raise ValidationError(
                f"主题分类文件“{where}”缺少version/topic或含未知键：{sorted(unknown)}",
                f"topic file {where!r} lacks version/topic or has unknown keys {sorted(unknown)}",
                code="metadata.topics",
            )
        topics: list[Topic] = []
        complete: set[str] = set()
        for entry in data["topic"]:
            top = Topic(str(entry["code"]), str(entry["label"]))
            topics.append(top)
            children = entry.get("children")
            if children is not None:
                complete.add(top.label)
                topics.extend(
                    Topic(f"{top.code}.{i:02d}", str(c), top.label)
                    for i, c in enumerate(children, start=1)
                )
        return cls(
            version=str(data["version"]),
            source=str(data.get("source", "")),
            topics=tuple(topics),
            aliases=dict(data.get("aliases", {})),
            complete_parents=frozenset(complete),
        )

    def with_aliases(self, aliases: Mapping[str, str]) -> TopicVocabulary:
        """A new vocabulary with extra local aliases (label or path -> national label or path)."""
        return attrs.evolve(self, aliases={**self.aliases, **aliases})

    def __iter__(self) -> Iterator[Topic]:
        return iter(self.topics)

    def __len__(self) -> int:
        return len(self.topics)

    def _canonical_parts(self, value: str) -> list[str]:
        parts = [p for p in _PATH_SEPARATORS.split(value.strip()) if p]
        return [self.aliases.get(p, p) for p in parts]

    def get(self, key: str) -> Topic | None:
        """The topic for a code, a label, a ``一级\\二级`` path or an alias; ``None`` if unknown.

        A bare second-level label is ambiguous (``其他`` exists under many parents) and is only
        found through its path.
        """
        key = self.aliases.get(key.strip(), key.strip())
        found = self._by_key.get(key)
        if found is not None:
            return found
        return self._by_key.get("\\".join(self._canonical_parts(key)))

    def lookup(self, key: str) -> Topic:
        """Like `get`, but raise `ValidationError` for an unknown topic."""
        found = self.get(key)
        if found is None:
            raise ValidationError(
                f"主题分类“{key}”不在分类表（版本{self.version}）中",
                f"topic {key!r} is not in the vocabulary (version {self.version})",
                field="topic",
                code="metadata.unknown_topic",
            )
        return found

    def problems(self, value: str) -> list[IndexProblem]:
        """What is wrong with a record's topic value (empty list if it is fine or unverifiable).

        A second level under a parent whose children the vocabulary does not list is accepted:
        it cannot be checked against this version.
        """
        if self.get(value) is not None:
            return []
        parts = self._canonical_parts(value)
        unlisted_parent = len(parts) == 2 and parts[0] not in self.complete_parents
        if unlisted_parent and parts[0] in self._by_key:
            return []
        return [
            IndexProblem(
                "topic.unknown",
                f"主题分类“{value}”不在分类表（版本{self.version}）中",
                f"topic {value!r} is not in the vocabulary (version {self.version})",
            )
        ]


# -- 有效性 -------------------------------------------------------------------------------------


def validity_problems(record: Record) -> list[IndexProblem]:
    """Inconsistencies between ``validity`` and ``repealed_on``.

    废止 needs the date it was repealed; a repeal date needs 废止 or 失效 (a document that
    ceased to have effect on a known day). 有效 / 已修改 with a repeal date contradict each other.
    """
    if record.validity is Validity.REPEALED and record.repealed_on is None:
        return [
            IndexProblem(
                "validity.missing_date",
                "有效性为“废止”，但未填写废止日期",
                "validity is REPEALED but repealed_on is not set",
            )
        ]
    if record.repealed_on is not None and record.validity not in (
        Validity.REPEALED,
        Validity.EXPIRED,
    ):
        return [
            IndexProblem(
                "validity.date_without_repeal",
                f"填写了废止日期（{record.repealed_on}），但有效性为“{record.validity.label}”",
                f"repealed_on is {record.repealed_on} but validity is {record.validity.code}",
            )
        ]
    return []


def validity_as_of(record: Record, day: date) -> Validity:
    """The 有效性 a catalogue page should show on ``day``.

    Before the repeal date the document was in force (``VALID``, or ``AMENDED`` if that is its
    state); from that date on, its recorded validity.
    """
    day = day_arg(day, "day")
    if record.repealed_on is not None and day < record.repealed_on:
        return Validity.AMENDED if record.validity is Validity.AMENDED else Validity.VALID
    return record.validity
