"""Finding and masking personal data in text that is about to be published.

Why: inspections keep finding full ID numbers, mobile numbers and bank card numbers in published
lists (users-and-formats.md §3.3), and the 2018 政务公开 work points require 去标识化 for every
piece of privacy-bearing information except punitive notices and mandatory disclosures (seed 002,
（五）; 条例 2019 第十五条 protects personal privacy).

The scan reads the text as a reader sees it. Before any pattern runs, each character is replaced
by its NFKC form (full-width ``１３８``, mathematical ``𝟏𝟑𝟖``, circled ``①``, superscripts),
digits of other scripts and dingbat digits (``❶``, ``➀``) become ASCII digits, and invisible
characters are dropped: format characters (category Cf: zero-width spaces and joiners U+200B-D,
U+2060, U+FEFF, the soft hyphen U+00AD, bidi controls), combining marks, controls and the Hangul
fillers. Offsets always refer to the original text, so `mask` changes only the characters of a
match and leaves everything else byte-for-byte. Text that needs none of this (the common case:
CJK, ASCII and the usual punctuation) is scanned as it is, without building an offset map.

Inside a number the separators people type are accepted: spaces, hyphens and dashes, dots and
middle dots, and one line break, mixed freely (``138.1234 5678``); a number followed by a hyphen
or dot and more digits is part of a longer serial and is not reported. Every pattern repeats a
bounded number of times and every step in Python looks at a bounded window, so a scan costs time
linear in the length of the text, whatever the text (a page of ``@`` or of digits included).

What is detected by default, without any model (the only word lists are the label words, a
surname list and stop-lists for labelled names):

* 18-digit resident ID numbers (GB 11643): a known province code, a real birth date (1890-2099)
  and the ISO 7064 mod 11-2 check character, contiguous or in any grouping of up to six groups
  (6-8-4, 6-4-4-4, 3-3-8-4 ...), also right after ASCII letters (``IDNo110...``): the checksum
  is what makes them safe to report;
* 15-digit first-generation ID numbers: province code and a real 19YY birth date (no checksum
  exists, so these are the weakest signal; contiguous only);
* mainland mobile numbers ``1[3-9]x xxxx xxxx`` grouped 11, 3-4-4, 4-4-3, 3-8 or 7-4 (dots only
  in 3-4-4), optionally ``+86``/``0086``/``86``-prefixed, also with letters after them
  (``13812345678转``) or after ``tel``/``phone``/``mobile`` (but not the ``13...`` start of
  a 统一社会信用代码 that goes on with letters);
* bank card numbers of 16-19 digits (contiguous, by fours, 6 + rest or 4 + rest) that pass the
  Luhn check and start with 3, 4, 5, 6 or 9 (the issuer ranges cards sold in China use; a leading
  1, 2, 7 or 8 is almost always an order number, a date-prefixed serial or a credit code);
* e-mail addresses;
* passport numbers: ordinary passports ``E12345678`` / ``EA1234567`` (no I or O), old
  ``G12345678`` (unless the digits read as a 20YYMMDD date), and any ``A1234567``-like value
  right after 护照 / 护照号 / 护照号码;
* licence plates: province abbreviation + letter + five characters with at least three digits
  (``京A12345``, ``京A·12345``) or the new-energy six (``粤B·D12345``, ``粤B12345D``);
* a 2-4 character personal name right after a label (申请人, 联系人, 被处罚人, 当事人, 投诉人,
  举报人, 法定代表人, 负责人, 经办人, 姓名), when it starts with a common surname, is not a
  function word, a role, an organisation or a title (张科长), is not already de-identified
  (王某, 张**), and ends where a name ends (punctuation, space, digit, 男/女, the end, or words
  such as 于/提出/申请); names joined by 、/和/及 after it are reported too;
* names and addresses the caller lists (a table's 姓名 / 住址 column, the applicant of a reply).

Opt-in (``extra=OPT_IN_KINDS``): landline numbers (``0373-3696072``, ``(010)12345678``) and
400/800 service numbers. They are off by default because agencies publish their own numbers.

Not detected on purpose: 统一社会信用代码 (organisations are not personal data; an all-digit
credit code only trips the ID rule if its date and checksum both happen to fit), numbers written
in Chinese numerals, look-alike letters of other scripts (Cyrillic ``Е``), and names that are not
after a label nor listed by the caller.

Masking keeps the shapes people recognise (users-and-formats.md §4): ``138****5678``,
``110101********1234``, ``6222 **** **** 1234``, ``z***@example.com``, ``张**``, ``E1******8``,
``京A***45``, ``0373-*****72``. Invisible characters inside a match are kept, so a mask has the
length of what it replaces (e-mail masks excepted). Masking is idempotent: what a mask leaves
(``*`` next to digits or letters) never seeds a new match. One `MaskPolicy` should be used across a
deployment: differently masked copies of the same number can be combined to rebuild it.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from itertools import accumulate

import attrs
from attrs import frozen

from govdisclose.errors import ValidationError
from govdisclose.model import Record
from govdisclose.vocab import CodedEnum

__all__ = [
    "OPT_IN_KINDS",
    "MaskPolicy",
    "PiiKind",
    "PiiMatch",
    "find_pii",
    "has_unmasked_pii",
    "id_number_is_valid",
    "luhn_is_valid",
    "mask",
    "mask_record",
]


class PiiKind(CodedEnum):
    """Kinds of personal data the scanner reports."""

    ID_NUMBER = ("id_number", "居民身份证号码")
    ID_NUMBER_15 = ("id_number_15", "居民身份证号码（15位旧号）")
    MOBILE = ("mobile", "手机号码")
    BANK_CARD = ("bank_card", "银行卡号")
    EMAIL = ("email", "电子邮箱")
    NAME = ("name", "姓名")
    ADDRESS = ("address", "地址")
    PASSPORT = ("passport", "护照号码")
    LICENCE_PLATE = ("licence_plate", "机动车号牌")
    LANDLINE = ("landline", "固定电话号码")
    SERVICE_NUMBER = ("service_number", "400/800服务电话号码")


#: Kinds `find_pii` reports only when asked (``extra=``): agencies publish their own numbers.
OPT_IN_KINDS = frozenset({PiiKind.LANDLINE, PiiKind.SERVICE_NUMBER})


@frozen
class PiiMatch:
    """One piece of personal data: ``text == source[start:end]``."""

    kind: PiiKind
    start: int
    end: int
    text: str


def _non_negative(inst: object, att: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise ValidationError(
            f"MaskPolicy.{att.name} 不能为负数",
            f"MaskPolicy.{att.name} must not be negative",
            field=att.name,
            code="privacy.policy",
        )


@frozen
class MaskPolicy:
    """How many leading/trailing characters survive masking, per kind.

    The defaults are the common web style (first 6 + last 4 of an ID, 3 + 4 of a mobile, 4 + 4 of
    a card). A province that mandates the stricter ``35*************123`` style uses
    ``MaskPolicy(id_head=2, id_tail=3)``. Names keep their first character (张** style); addresses
    keep everything up to the 乡镇/街道 level; passports their first two and last character
    (``E1******8``); plates the province and letter and the last two (``京A***45``); landlines
    their area code and last two digits, 400/800 numbers their prefix and last two.
    """

    id_head: int = attrs.field(default=6, validator=_non_negative)
    id_tail: int = attrs.field(default=4, validator=_non_negative)
    mobile_head: int = attrs.field(default=3, validator=_non_negative)
    mobile_tail: int = attrs.field(default=4, validator=_non_negative)
    card_head: int = attrs.field(default=4, validator=_non_negative)
    card_tail: int = attrs.field(default=4, validator=_non_negative)
    email_head: int = attrs.field(default=1, validator=_non_negative)
    name_head: int = attrs.field(default=1, validator=_non_negative)
    passport_head: int = attrs.field(default=2, validator=_non_negative)
    passport_tail: int = attrs.field(default=1, validator=_non_negative)
    plate_head: int = attrs.field(default=2, validator=_non_negative)
    plate_tail: int = attrs.field(default=2, validator=_non_negative)
    landline_tail: int = attrs.field(default=2, validator=_non_negative)

    def __attrs_post_init__(self) -> None:
        # Keeping more digits than an 11-digit mobile or a 15-digit ID has would mask nothing.
        if self.id_head + self.id_tail >= 15 or self.mobile_head + self.mobile_tail >= 11:
            raise ValidationError(
                "掩码策略保留的位数过多，号码将无法被遮盖",
                "the mask policy keeps so many digits that nothing would be masked",
                code="privacy.policy",
            )
        if self.card_head + self.card_tail >= 16:
            raise ValidationError(
                "掩码策略保留的银行卡位数过多",
                "the mask policy keeps too many bank card digits",
                code="privacy.policy",
            )
        # The shortest passport a label admits has 7 characters, a plate 7, a local number 7.
        if (
            self.passport_head + self.passport_tail >= 7
            or self.plate_head + self.plate_tail >= 7
            or self.landline_tail >= 7
        ):
            raise ValidationError(
                "掩码策略保留的护照号码、车牌或电话号码位数过多",
                "the mask policy keeps too many passport, plate or landline characters",
                code="privacy.policy",
            )


# -- validation -------------------------------------------------------------------------------

# GB/T 2260 province-level codes (first two digits); 71 台湾, 81/82 港澳, 83 台湾居民居住证.
_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _plausible_date(year: int, month: int, day: int) -> bool:
    if not 1890 <= year <= 2099:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def id_number_is_valid(number: str) -> bool:
    """Whether ``number`` is a well-formed 18-digit resident ID (GB 11643-1999).

    Checks the province code, the birth date and the mod 11-2 check character (``X`` = 10).
    """
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    if int(number[:2]) not in _PROVINCES:
        return False
    if not _plausible_date(int(number[6:10]), int(number[10:12]), int(number[12:14])):
        return False
    total = sum(int(d) * w for d, w in zip(number, _ID_WEIGHTS, strict=False))
    return _ID_CHECK[total % 11] == number[17].upper()


def _id15_is_plausible(number: str) -> bool:
    if int(number[:2]) not in _PROVINCES:
        return False
    return _plausible_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))


def luhn_is_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn (mod 10) check used by payment card numbers."""
    odd = digits[-1::-2]  # from the check digit, every other digit as it is
    even = digits[-2::-2]  # the others doubled, minus 9 when that gives two digits
    total = sum(ord(ch) - 48 for ch in odd) + sum(_LUHN_DOUBLED[ord(ch) - 48] for ch in even)
    return total % 10 == 0


_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


# -- normalisation ----------------------------------------------------------------------------

_DROP_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Cc"})
# Invisible although they are letters (Hangul fillers), and breaks that are not \n.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0")
_LINE_BREAKS = frozenset("\x0b\x0c\x85\u2028\u2029")
_READ_CACHE: dict[str, str] = {}


def _read(ch: str) -> str:
    """What a reader sees for one character: its NFKC form, digits as ASCII, invisibles gone."""
    seen = _READ_CACHE.get(ch)
    if seen is not None:
        return seen
    if ch in "\t\n\r" or ch in _LINE_BREAKS:
        seen = "\n" if ch in _LINE_BREAKS else ch
    elif ch in _INVISIBLE:
        seen = ""
    elif ch == "\u2800":  # braille blank: looks like a space
        seen = " "
    else:
        out = []
        for c in unicodedata.normalize("NFKC", ch):
            cat = unicodedata.category(c)
            if cat in _DROP_CATEGORIES:
                continue
            if cat == "Nd":
                c = str(unicodedata.decimal(c))
            elif cat == "No":
                # ❶ and ➀ have no decomposition; a reader still sees a digit.
                value = unicodedata.numeric(c, -1.0)
                if value >= 0 and value == int(value) and value < 100:
                    c = str(int(value))
            out.append(c)
        seen = "".join(out)
    if len(_READ_CACHE) < 65536:
        _READ_CACHE[ch] = seen
    return seen


# Characters the detectors read as they are: ASCII, CJK ideographs (NFKC-stable by definition),
# U+3000 and the full-width punctuation of Chinese prose (，：（） are not NFKC-stable, but they
# are in almost every text, so the patterns accept them directly rather than every text paying
# for normalisation). The stable parts of the punctuation and symbol blocks are computed, so a
# new Unicode version cannot make a changing character look safe.
_KEPT_WIDE = "".join(
    chr(c) for c in range(0xFF01, 0xFF5F) if not chr(c).isalnum() and chr(c) not in "＊＋－．＠＿"
)
_SAFE_RANGES = (
    (0x09, 0x0A),
    (0x0D, 0x0D),
    (0x20, 0x7E),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2EBEF),
    (0x30000, 0x3134F),
)
_CHECKED_BLOCKS = (
    (0xA1, 0xFF),
    (0x2010, 0x206F),
    (0x2190, 0x245F),
    (0x2500, 0x27BF),
    (0x3001, 0x30FF),
)


def _safe_class() -> str:
    points = [c for lo, hi in _CHECKED_BLOCKS for c in range(lo, hi + 1) if _read(chr(c)) == chr(c)]
    points += [0x3000, *map(ord, _KEPT_WIDE)]
    ranges = list(_SAFE_RANGES)
    for c in sorted(points):
        if ranges[-1][1] == c - 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    _READ_CACHE.clear()  # the probe filled it with rare characters
    return "".join(
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        for lo, hi in ranges
    )


_SAFE_CLASS = _safe_class()
# A ``[...]*`` match runs in the engine's tightest loop: the common, all-safe text costs one pass.
_SAFE = re.compile(f"[{_SAFE_CLASS}]*")
_UNSAFE = re.compile(f"[^{_SAFE_CLASS}]+")


def _view(ch: str) -> str:
    """How the scan sees one character of the original text."""
    return ch if _UNSAFE.match(ch) is None else _read(ch)


class _OffsetMap:
    """Maps offsets of the normalised text back to the original.

    Only characters whose reading is not one character long are recorded: each edit is a
    normalised span ``[ns, ne)`` that came from the original span ``[os, oe)`` (an expansion such
    as ``⑫`` -> ``12``, or a deletion, possibly merged with the deletions after it).
    """

    __slots__ = ("_ne", "_ns", "_oe", "_os")

    def __init__(self) -> None:
        self._ns = array("q")
        self._ne = array("q")
        self._os = array("q")
        self._oe = array("q")

    def add(self, ns: int, ne: int, orig: int) -> None:
        if ns == ne and self._oe and self._oe[-1] == orig and self._ne[-1] == ns:
            self._oe[-1] = orig + 1  # a deletion right after the previous edit: merge
            return
        self._ns.append(ns)
        self._ne.append(ne)
        self._os.append(orig)
        self._oe.append(orig + 1)

    def __bool__(self) -> bool:
        return bool(self._ns)

    def start(self, n: int) -> int:
        """The original index of the character that produced normalised character ``n``."""
        k = bisect_right(self._ns, n) - 1
        if k < 0:
            return n
        if n < self._ne[k]:
            return self._os[k]
        return n - self._ne[k] + self._oe[k]

    def end(self, n: int) -> int:
        """The original offset just after the character that produced normalised ``n - 1``."""
        return self.start(n - 1) + 1


def _normalise(text: str) -> tuple[str, _OffsetMap | None]:
    n = len(text)
    pos = _SAFE.match(text).end()  # type: ignore[union-attr]  # ``[...]*`` always matches
    if pos == n:
        return text, None
    parts = [text[:pos]]
    offsets = _OffsetMap()
    npos = pos
    while pos < n:
        unsafe = _UNSAFE.match(text, pos)
        assert unsafe is not None  # pos is at a character _SAFE stopped at
        for k, ch in enumerate(unsafe.group()):
            seen = _read(ch)
            parts.append(seen)
            if len(seen) != 1:
                offsets.add(npos, npos + len(seen), pos + k)
            npos += len(seen)
        pos = unsafe.end()
        safe_end = _SAFE.match(text, pos).end()  # type: ignore[union-attr]
        parts.append(text[pos:safe_end])
        npos += safe_end - pos
        pos = safe_end
    return "".join(parts), (offsets if offsets else None)


def _plain(text: str) -> str:
    return _normalise(text)[0]


# -- scanning: numbers ------------------------------------------------------------------------

_SPACE = " \t\u3000"
_DASHES = "-.\u00b7\u2010\u2011\u2012\u2013\u2014\u2015\u2022\u2212\u30fb"
_SEP_CHARS = _SPACE + _DASHES + "\r\n"
# A run: digits joined by short separator strings; at least 10 digits (every numeric kind has
# 11 or more), starting where the digits start. The lookbehind follows the first character so
# that the engine can skip non-digits without running it.
_RUN = re.compile(f"[0-9](?<![0-9][0-9])(?:[{re.escape(_SEP_CHARS)}]{{0,5}}[0-9]){{9,}}")
_GROUP_SPLIT = re.compile("([0-9]+)")
_SP = f"[{_SPACE}]"
_DASH = f"[{re.escape(_DASHES)}]"
# What may stand between two groups of one number: one or two spaces; a hyphen, dash or dot with
# at most one space each side; or one line break with spaces around it.
_SEP = re.compile(f"{_SP}{{1,2}}|{_SP}?{_DASH}{_SP}?|{_SP}{{0,2}}(?:\r\n|[\r\n]){_SP}{{0,2}}")
_LOOSE = frozenset(_SPACE + "\r\n")
_DOTS = frozenset(".\u00b7\u2022\u30fb")
_TOTALS = frozenset({11, 13, 15, 16, 17, 18, 19})  # digit counts some number has
_NEAR_MASK = frozenset(_SEP_CHARS + "*")
_MOBILE_SHAPES = frozenset({(11,), (3, 4, 4), (4, 4, 3), (3, 8), (7, 4)})
_MOBILE_LETTERS = ("tel", "phone", "mobile", "mob", "cell")
_CARD_ISSUERS = frozenset("34569")


_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _credit_code_is_valid(code: str) -> bool:
    """Whether ``code`` is an 18-character 统一社会信用代码 with a correct check (GB 32100)."""
    if len(code) != 18 or any(c not in _CREDIT_CHARS for c in code):
        return False
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(code, _CREDIT_WEIGHTS, strict=False))
    return _CREDIT_CHARS[(31 - total % 31) % 31] == code[17]


def _card_shape(shape: tuple[int, ...]) -> bool:
    n = len(shape)
    if n == 1:
        return True
    if n == 2:
        return (shape[0] == 6 and 10 <= shape[1] <= 13) or (shape[0] == 4 and 12 <= shape[1] <= 15)
    if shape[:3] != (4, 4, 4):
        return False
    return (n == 4 and 4 <= shape[3] <= 7) or (n == 5 and shape[3] == 4 and shape[4] <= 3)


def _ascii_alnum(ch: str) -> bool:
    # ``*`` counts as part of a word: next to a code it is what masking left of it.
    return ch.isascii() and (ch.isalnum() or ch == "*")


def _masked_neighbour(s: str, pos: int, step: int) -> bool:
    """Whether, from ``pos`` going ``step`` (-1 back, +1 forward), separators and then the stars
    of a masked number follow: three or more ``*``, or stars with a digit beyond them. What a
    mask left must not seed a new match (markdown's ``**`` around a number does not count)."""
    n = len(s)
    i = pos
    seps = 0
    while 0 <= i < n and s[i] in _SEP_CHARS and seps < 5:
        i += step
        seps += 1
    stars = 0
    while 0 <= i < n and s[i] == "*":
        i += step
        stars += 1
    if stars == 0:
        return False
    if stars >= 3:
        return True
    seps = 0
    while 0 <= i < n and s[i] in _SEP_CHARS and seps < 5:
        i += step
        seps += 1
    return 0 <= i < n and s[i].isdigit()


_Found = list[tuple[int, int, PiiKind]]


def _sep_kind(sep: str) -> tuple[bool, bool]:
    broken = _SEP.fullmatch(sep) is None
    return broken, broken or not any(c in _LOOSE for c in sep)


def _may_be_number(head: str, n: int, after: str) -> bool:
    """Whether ``n`` digits starting with the group ``head`` and followed by ``after`` can be a
    number at all: a quick look that spares the full check for most runs of official text."""
    first = head[0]
    if n == 11:
        return first == "1" and (len(head) < 2 or head[1] in "3456789")
    if n == 13:
        return head.startswith("86")
    if n == 15:
        return head.startswith("0086") or first in "12345678"
    if n == 17:
        return (after != "" and after in "Xx") or first in _CARD_ISSUERS
    if n == 18:
        return first != "0"
    return n in (16, 19) and first in _CARD_ISSUERS


def _scan_run(s: str, a: int, b: int, found: _Found) -> None:
    run = s[a:b]
    before = s[a - 1] if a > 0 else ""
    after = s[b] if b < len(s) else ""
    broken: list[bool]
    tight: list[bool]
    if run.isdigit():
        groups, seps, offs, broken, tight = [run], [], [a, a, b, b], [], []
    else:
        pieces = _GROUP_SPLIT.split(run)
        # pieces: "", group0, sep0, group1, ..., groupN, "" (a run starts and ends with digits).
        groups = pieces[1::2]
        seps = pieces[2:-1:2]
        # groups[i] spans offs[2i+1] .. offs[2i+2].
        offs = list(accumulate((len(p) for p in pieces), initial=a))
        # No number spans a separator _SEP rejects (three dashes, six spaces), nor ends next to
        # one; a tight separator (no space or line break) means a serial goes on.
        kinds = {sep: _sep_kind(sep) for sep in set(seps)}
        broken = [kinds[sep][0] for sep in seps]
        tight = [kinds[sep][1] for sep in seps]
    k = len(groups)
    lens = [len(g) for g in groups]
    masked_before = before in _NEAR_MASK and _masked_neighbour(s, a - 1, -1)
    masked_after = after in _NEAR_MASK and _masked_neighbour(s, b, 1)
    accepted_until = -1  # the last group of the previous match, to let a card follow it
    i = 0
    while i < k:
        if (
            lens[i] < 2
            or (i > 0 and tight[i - 1])
            or (i == 0 and masked_before)
            or (groups[i][0] == "0" and not groups[i].startswith("0086"))
        ):
            i += 1
            continue
        # Candidate ends: up to six groups, no broken separator, a length some number has.
        ends: list[tuple[int, int]] = []
        total = 0
        head = groups[i]
        for j in range(i, min(k, i + 6)):
            if j > i and broken[j - 1]:
                break
            total += lens[j]
            if total > 19:
                break
            if j < k - 1 and tight[j]:
                continue  # a serial goes on after a hyphen or dot
            if total not in _TOTALS or not _may_be_number(head, total, after if j == k - 1 else ""):
                continue
            if j == k - 1 and masked_after:
                continue
            ends.append((j, total))
        if not ends:
            i += 1
            continue
        hit = _pick(s, groups, lens, seps, offs, i, ends, k, before, after, accepted_until)
        if hit is None:
            i += 1
            continue
        kind, j, start, end = hit
        found.append((start, end, kind))
        accepted_until = j
        i = j + 1


def _pick(
    s: str,
    groups: list[str],
    lens: list[int],
    seps: list[str],
    offs: list[int],
    i: int,
    ends: list[tuple[int, int]],
    k: int,
    before: str,
    after: str,
    accepted_until: int,
) -> tuple[PiiKind, int, int, int] | None:
    """The most specific number starting at group ``i`` (ID, mobile, card, old ID), if any."""
    start = offs[2 * i + 1]

    def digits(j: int) -> str:
        return "".join(groups[i : j + 1])

    def group_end(j: int) -> int:
        return offs[2 * j + 2]

    # 18-digit IDs: any grouping (groups of two or more but the last), letters may touch them.
    for j, total in ends:
        if min(lens[i:j], default=2) < 2:
            continue
        if total == 18 and id_number_is_valid(digits(j)):
            return PiiKind.ID_NUMBER, j, start, group_end(j)
        if (
            total == 17
            and j == k - 1
            and after
            and after in "Xx"
            and id_number_is_valid(digits(j) + "X")
        ):
            return PiiKind.ID_NUMBER, j, start, group_end(j) + 1
    # Mobiles, with an optional 86 / 0086 country code.
    for j, total in ends:
        if total not in (11, 13, 15):
            continue
        number = digits(j)
        prefix = {11: "", 13: "86", 15: "0086"}[total]
        if not number.startswith(prefix):
            continue
        national = number[len(prefix) :]
        if national[0] != "1" or national[1] in "012":
            continue
        shape = lens[i : j + 1]
        first = i
        if prefix:
            if shape[0] == len(prefix):
                shape = shape[1:]
                first = i + 1
            elif shape[0] > len(prefix):
                shape = [shape[0] - len(prefix), *shape[1:]]
            else:
                continue
        shape_t = tuple(shape)
        if shape_t not in _MOBILE_SHAPES:
            continue
        if shape_t != (3, 4, 4) and any(c in _DOTS for sep in seps[first:j] for c in sep):
            continue
        span_start = start
        if i == 0 and before:
            if before == "+":
                if not prefix:
                    continue  # +1 381... is a foreign number
                span_start -= 1
            elif before.isascii() and before.isalpha():
                letters = re.search("[A-Za-z]{1,8}$", s[max(0, start - 8) : start])
                word = letters.group().lower() if letters else ""
                if not word.endswith(_MOBILE_LETTERS):
                    continue
        end = group_end(j)
        if j == k - 1 and _ascii_alnum(after) and _credit_code_is_valid(s[start : start + 18]):
            continue  # 统一社会信用代码 of a 机构编制 body (13...) continues with letters
        return PiiKind.MOBILE, j, span_start, end
    # Cards: the Luhn check passes for one random number in ten, so their edges stay strict: not
    # touching letters, and after another group only if that group ended a match.
    card_edge = not _ascii_alnum(before) if i == 0 else accepted_until == i - 1
    if card_edge and groups[i][0] in _CARD_ISSUERS:
        for j, total in reversed(ends):
            if not 16 <= total <= 19 or (j == k - 1 and _ascii_alnum(after)):
                continue
            if _card_shape(tuple(lens[i : j + 1])) and luhn_is_valid(digits(j)):
                return PiiKind.BANK_CARD, j, start, group_end(j)
    return _id15(groups, lens, offs, i, ends, k, before, after)


def _id15(
    groups: list[str],
    lens: list[int],
    offs: list[int],
    i: int,
    ends: list[tuple[int, int]],
    k: int,
    before: str,
    after: str,
) -> tuple[PiiKind, int, int, int] | None:
    # No checksum: contiguous only, and never touching ASCII letters.
    if not ends or ends[0][0] != i or lens[i] != 15:
        return None
    number = groups[i]
    if i == 0 and _ascii_alnum(before):
        return None
    if i == k - 1 and _ascii_alnum(after):
        return None
    if number[0] in "09" or not _id15_is_plausible(number):
        return None
    return PiiKind.ID_NUMBER_15, i, offs[2 * i + 1], offs[2 * i + 2]


def _scan_numbers(s: str, found: _Found) -> None:
    n = len(s)
    for m in _RUN.finditer(s):
        run = m.group()
        # Most runs in official text are codes, serials and landlines: reject them cheaply.
        if run.isdigit():
            b = m.end()
            if not _may_be_number(run, len(run), s[b] if b < n else ""):
                continue
        elif run[0] == "0" and not run.startswith("0086") and _LOOSE.isdisjoint(run):
            continue  # 0373-3696072: only its first group could start a number
        _scan_run(s, m.start(), m.end(), found)


# -- scanning: e-mail -------------------------------------------------------------------------

# The local part must touch the @ and start where its run of address characters starts: a
# masked ``z***@`` therefore never matches again. Bounded quantifiers and windows that never
# cross another @ keep the cost linear whatever the input.
_AT = re.compile(r"@(?<=[A-Za-z0-9._%+\-]@)(?=[A-Za-z0-9])")
_LOCAL = re.compile(r"[A-Za-z0-9](?<![A-Za-z0-9._%+\-].)[A-Za-z0-9._%+\-]*\Z")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL}){{0,8}}\.[A-Za-z]{{2,24}}(?![A-Za-z0-9*-])")


def _scan_emails(s: str, found: _Found) -> None:
    for at_match in _AT.finditer(s):
        at = at_match.start()
        lo = max(0, at - 128)
        lo = max(lo, s.rfind("@", lo, at) + 1)  # a local part never holds another @
        local = _LOCAL.search(s, lo, at)
        if local is not None:
            domain = _DOMAIN.match(s, at + 1)
            if domain is not None:
                found.append((local.start(), domain.end(), PiiKind.EMAIL))


# -- scanning: passports, plates, landlines ---------------------------------------------------

_PASSPORT = re.compile(
    r"[EG](?<![0-9A-Za-z*][EG])(?:[0-9]{8}|(?<=E)[A-HJ-NP-Z][0-9]{7})(?![0-9A-Za-z*])"
)
_PASSPORT_LABELLED = re.compile(
    r"护照(?:号码|号|编号)?[:：\s\u3000]{0,3}([A-Z]{1,2}[0-9]{6,9}|[0-9]{8,9})(?![0-9A-Za-z*])(?![-.][0-9])"
)
# An old G passport whose digits read as 20YYMMDD is far more likely a date-prefixed serial.
_DATE_LIKE = re.compile(r"20[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")

_PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTER = "A-HJ-NP-Z"  # plates never use I or O
_PLATE = re.compile(
    f"[{_PLATE_PROVINCES}](?<![0-9A-Za-z*].)[ \u3000]?[{_PLATE_LETTER}][·・•.\\- \u3000]?"
    f"([DF][{_PLATE_LETTER}0-9][0-9]{{4}}|[0-9]{{5}}[DF]|[{_PLATE_LETTER}0-9]{{5}}"
    f"|[{_PLATE_LETTER}0-9]{{4}}[挂学警港澳])"
    "(?![0-9A-Za-z*])"
)

_AREA = "0(?:10|2[0-9]|[3-9][0-9]{2})"
_LANDLINE = re.compile(
    f"(?:[(（](?<![0-9*][(（]){_AREA}[)）]{_SP}?"
    f"|0(?<![0-9*]0)(?<![0-9*][-.]0)(?:10|2[0-9]|[3-9][0-9]{{2}})"
    f"(?:{_SEP.pattern})?)"
    f"[1-9][0-9]{{2,3}}(?:{_SEP.pattern})?[0-9]{{4}}"
    f"(?:{_SP}?(?:-|转|ext\\.?|x){_SP}?[0-9]{{1,6}})?"
    f"(?![0-9*])(?!{_DASH}[0-9])"
)
_SERVICE = re.compile(
    f"[48](?<![0-9*][48])(?<![0-9*][-.][48])00(?:{_SEP.pattern})?[0-9]{{3}}(?:{_SEP.pattern})?"
    f"[0-9]{{4}}(?![0-9*])(?!{_DASH}[0-9])"
)


def _scan_ids_and_plates(s: str, found: _Found) -> None:
    for m in _PASSPORT.finditer(s):
        if m.group()[0] == "G" and _DATE_LIKE.fullmatch(m.group(), 1):
            continue
        found.append((m.start(), m.end(), PiiKind.PASSPORT))
    if "护照" in s:
        for m in _PASSPORT_LABELLED.finditer(s):
            found.append((m.start(1), m.end(1), PiiKind.PASSPORT))
    for m in _PLATE.finditer(s):
        serial = m.group(1)
        if len(serial) == 5 and sum(c.isdigit() for c in serial) < 3:
            continue  # real plates carry at most two letters in the serial
        found.append((m.start(), m.end(), PiiKind.LICENCE_PLATE))


# -- scanning: names after labels -------------------------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_NAME_LABELS = (
    "法定代表人",
    "被处罚人",
    "申请人",
    "联系人",
    "当事人",
    "投诉人",
    "举报人",
    "负责人",
    "经办人",
    "姓名",
)
# Words that may follow a name directly: 申请人张三于…, 张三提出…, 张三等, 张三的.
_SOFT_ENDS = (
    "于|在|向|对|因|称|等|的|与|和|及|系|是|为|已|现|就|将|同志|先生|女士"
    "|提出|申请|要求|认为|不服|签字|签名|诉称|自愿|本人|身份|住|现住|户籍|电话|手机|联系"
)
_SOFT_WORDS = re.compile("|".join(w for w in _SOFT_ENDS.split("|") if len(w) > 1))
# A name ends at anything that is not a CJK ideograph or ASCII letter (punctuation, space,
# digit, end of text), at 男/女, or before a soft end; ``*`` and ``×`` mean already masked.
_NAME_END = f"(?:{_SOFT_ENDS}|[男女]|[^{_HAN}A-Za-z*＊×]|\\Z)"
_NAME_AFTER_LABEL = re.compile(
    "(?:" + "|".join(_NAME_LABELS) + f")(?=[:：\\s\u3000（(]{{0,3}}([{_HAN}]{{2,4}}?){_NAME_END})"
)
_NEXT_NAME = re.compile(f"[、和及]([{_HAN}]{{2,4}}?){_NAME_END}")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common surnames (a few hundred cover nearly everyone); compound ones by their two characters.
# Rare surnames that mostly start prose words (但, 由, 原, 全, 应, 和 ...) are left out: the
# price of not reading 申请人应当… as a name.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶"
    "黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申"
    "欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙"
    "鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景宫费卜冷晏席卫米柏"
    "宗瞿桂佟臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝官封谈匡鞠惠荆"
    "乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘闻厉伊仝郜阚帅屠豆朴盖练廉禹祖漆卿狄索宣晋云容"
    "敬扈晁芮阙浦戈伏鹿薄邸雍辜羊乌裘亓邰赫杭逯隆茹诸慕玉银亢嵇哈湛宾戎勾茅呼尉冶檀昝尧闭郦"
    "雎步鄂荀邴靖宦郗郇仉訾蓟"
)
_COMPOUND_SURNAMES = _words(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木"
    " 独孤 南宫 西门 呼延 澹台 赫连 钟离 闻人 万俟 申屠 轩辕 百里 东郭 拓跋 第五"
    " 太史 公羊 濮阳 淳于 单于 仲孙 左丘 司空 司寇 巫马 乐正 漆雕 羊舌 梁丘 公冶"
    " 段干 令孤"
)
# Words starting with a surname character that follow labels in prose (申请人陈述…, 联系人：
# 宣传科, 当事人应当…), and characters no given name has.
_NOT_NAMES = _words(
    "申请 申辩 申报 申诉 申领 申明 陈述 陈列 陈旧 高度 高于 高等 余额 余下 余款"
    " 任何 任职 任意 任免 何时 何种 时间 时限 时候 时段 文件 文书 文字 文化 成立"
    " 成员 成年 安全 安排 安置 常住 常年 施工 施行 万元 严重 严格 方式 方面 方可"
    " 方案 方法 白天 林业 林地 石油 江河 金额 金融 农业 农户 农民 农村 司法 简易"
    " 简称 车辆 车牌 车主 项目 连续 连同 费用 卫生 商品 商户 商业 荣誉 仲裁 查询"
    " 查阅 查处 查明 查看 官方 谈话 劳动 盖章 盖印 索取 宣传 宣布 宣告 银行 关于"
    " 关系 关联 单位 单独 管理 管辖 管控 路段 游客 冷库 席位 宗教 封存 惠民 乐意"
    " 南方 班组 皮革 闻讯 伊始 练习 廉政 祖籍 晋级 容易 敬请 薄弱 诸如 慕名 玉米"
    " 隆重 宾馆 呼吁 步行 房屋 房产 房地 程序 段落 史料 顾问 钱款 武装 温度 康复"
    " 易于 庞大 颜色 庄重 章程 焦点 左右 包括 包含 尚未 尚在 符合 舒适 纪律 纪检"
    " 童年 凌晨 毕业 季度 涂改 苗木 谷物 蓝色 辛苦 解决 解释 解除 尤其 阳光 卓越"
    " 景区 边境 边界 甄别 巩固 迟延 迟到 储存 储备 楼房 楼层 厉行 屠宰 于是 于此"
    " 向社 向本 周末 周边 周年 周期 许可 曾经 曾任 田地 田间 董事 杜绝 陆续 范围"
    " 夏季 付款 付费 雷同 龙头 张贴 张榜 马路 马上 罗列 郑重 谢谢 宋体 华侨 华人"
    " 华为 蒙古 甘肃 宁夏 宁波 吉林 云南 桂林 杭州 兰州 柳州 湛江 苏州 江苏 江西"
    " 欧洲 黄河 姜丝 汤圆 司机 房客 商贩 高校 高层 高级 高中 宗旨 华北 华南 华东"
    " 华中 江北 江南"
)
_NOT_IN_NAMES = frozenset(
    "的了是在不无未已及或等对把被该此所者们请须吗呢吧啊个些这哪么什您你我他她它给让到某"
)
_TITLE_ENDS = (
    "先生",
    "女士",
    "小姐",
    "同志",
    "老师",
    "师傅",
    "科长",
    "处长",
    "局长",
    "厅长",
    "部长",
    "主任",
    "经理",
    "律师",
    "警官",
    "医生",
    "书记",
    "县长",
    "市长",
    "镇长",
    "乡长",
    "村长",
    "队长",
    "站长",
    "所长",
    "院长",
    "校长",
    "厂长",
    "老板",
    "会计",
    "秘书",
    "主席",
    "委员",
    "代表",
    "干事",
    "阿姨",
    "大爷",
    "大妈",
    "大姐",
    "大哥",
    "大夫",
    "同学",
    "教授",
    "博士",
    "公司",
    "集团",
    "银行",
    "医院",
    "学校",
    "大学",
    "中心",
    "协会",
    "机关",
    "政府",
    "法院",
    "委员会",
    "事务所",
    "合作社",
    "街道",
    "业主",
    "车主",
    "房东",
    "村民",
    "居民",
    "市民",
    "群众",
    "职工",
    "员工",
    "家属",
    "亲属",
)
# One character after a surname (王总, 李工, 张老, 王氏) or at the end (宣传科, 办公室): a title
# or a unit, not a name.
_SHORT_TITLES = frozenset("总工姐哥叔嫂婶伯爷老氏")
_UNIT_ENDS = frozenset("局厅部办处科室站所院社队厂店委司组馆校区场村镇乡县市省路街港")


def _looks_like_name(name: str) -> bool:
    if name[:2] not in _COMPOUND_SURNAMES and name[0] not in _SURNAMES:
        return False
    if _SOFT_WORDS.search(name, 1):
        return False  # 于提出: a name would have ended before 提出
    if name in _NOT_NAMES or name[:2] in _NOT_NAMES or name[:3] in _NOT_NAMES:
        return False
    if any(c in _NOT_IN_NAMES for c in name[1:]):
        return False
    if name[-1] in _UNIT_ENDS or name.endswith(_TITLE_ENDS):
        return False
    return not (len(name) == 2 and name[1] in _SHORT_TITLES)


def _scan_labelled_names(s: str, found: _Found) -> None:
    for m in _NAME_AFTER_LABEL.finditer(s):
        if not _looks_like_name(m.group(1)):
            continue
        found.append((m.start(1), m.end(1), PiiKind.NAME))
        pos = m.end(1)
        for _ in range(20):  # 申请人张三、李四和王五
            nxt = _NEXT_NAME.match(s, pos)
            if nxt is None or not _looks_like_name(nxt.group(1)):
                break
            found.append((nxt.start(1), nxt.end(1), PiiKind.NAME))
            pos = nxt.end(1)


# -- resolution -------------------------------------------------------------------------------

# Overlaps keep the more specific reading: a checksummed ID beats a Luhn-valid card.
_PRIORITY = {
    PiiKind.ID_NUMBER: 0,
    PiiKind.EMAIL: 1,
    PiiKind.MOBILE: 2,
    PiiKind.BANK_CARD: 3,
    PiiKind.PASSPORT: 4,
    PiiKind.ID_NUMBER_15: 5,
    PiiKind.LANDLINE: 6,
    PiiKind.SERVICE_NUMBER: 6,
    PiiKind.LICENCE_PLATE: 7,
    PiiKind.NAME: 8,
    PiiKind.ADDRESS: 8,
}


def _literal_pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    wanted = sorted({_plain(v.strip()) for v in values if v and v.strip()}, key=len, reverse=True)
    wanted = [v for v in wanted if v]
    if not wanted:
        return None
    return re.compile("|".join(re.escape(v) for v in wanted))


def _resolve(found: _Found) -> _Found:
    found.sort(key=lambda p: (p[0], _PRIORITY[p[2]], -p[1]))
    kept: _Found = []
    for p in found:
        # Sorted so that, of matches starting together, the most specific comes first.
        if kept and p[0] < kept[-1][1]:
            continue
        kept.append(p)
    return kept


def _extra_kinds(extra: Iterable[PiiKind]) -> frozenset[PiiKind]:
    kinds = frozenset(extra)
    wrong = [k for k in kinds if k not in OPT_IN_KINDS]
    if wrong:
        valid = ", ".join(sorted(k.code for k in OPT_IN_KINDS))
        shown = ", ".join(sorted(str(k) for k in wrong))
        raise ValidationError(
            f"extra 只能包含可选检测类型（{valid}），不能包含：{shown}",
            f"extra may only hold the opt-in kinds ({valid}), not: {shown}",
            field="extra",
            code="privacy.extra",
        )
    return kinds


def find_pii(
    text: str,
    *,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    allow: Sequence[str] = (),
    labelled_names: bool = True,
    extra: Iterable[PiiKind] = frozenset(),
) -> list[PiiMatch]:
    """Every piece of personal data in ``text``, in order, without overlaps.

    Offsets refer to ``text`` itself, whatever normalisation the scan applied.

    :param names: natural persons' names to look for (e.g. the 姓名 column of a list).
    :param addresses: addresses to look for (e.g. the 住址 column).
    :param allow: exact strings that are public on purpose (the agency's own mailbox or a
        hotline that happens to look like a mobile) and are never reported.
    :param labelled_names: report a personal name right after 申请人, 联系人, 当事人 ... even
        when it is not in ``names`` (on by default).
    :param extra: opt-in kinds to report as well: a subset of `OPT_IN_KINDS`
        (`PiiKind.LANDLINE`, `PiiKind.SERVICE_NUMBER`).
    :raises ValidationError: if ``extra`` holds a kind that is not opt-in.
    """
    kinds = _extra_kinds(extra)
    scan, offsets = _normalise(text)
    found: _Found = []
    _scan_numbers(scan, found)
    if "@" in scan:
        _scan_emails(scan, found)
    _scan_ids_and_plates(scan, found)
    if labelled_names:
        _scan_labelled_names(scan, found)
    if PiiKind.LANDLINE in kinds:
        found.extend((m.start(), m.end(), PiiKind.LANDLINE) for m in _LANDLINE.finditer(scan))
    if PiiKind.SERVICE_NUMBER in kinds:
        found.extend((m.start(), m.end(), PiiKind.SERVICE_NUMBER) for m in _SERVICE.finditer(scan))
    for kind, values in ((PiiKind.NAME, names), (PiiKind.ADDRESS, addresses)):
        pattern = _literal_pattern(values)
        if pattern is not None:
            found.extend((m.start(), m.end(), kind) for m in pattern.finditer(scan))
    if not found:
        return []
    if offsets is not None:
        found = [(offsets.start(a), offsets.end(b), kind) for a, b, kind in found]
    # Report the original characters (full-width digits stay full-width).
    result = [PiiMatch(kind, a, b, text[a:b]) for a, b, kind in _resolve(found)]
    if allow:
        allowed = frozenset(allow) | {_plain(a) for a in allow}
        result = [p for p in result if p.text not in allowed and _plain(p.text) not in allowed]
    return result


def has_unmasked_pii(
    text: str,
    *,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    allow: Sequence[str] = (),
    labelled_names: bool = True,
    extra: Iterable[PiiKind] = frozenset(),
) -> bool:
    """Whether ``text`` still contains personal data that `mask` would hide."""
    found = find_pii(
        text,
        names=names,
        addresses=addresses,
        allow=allow,
        labelled_names=labelled_names,
        extra=extra,
    )
    return bool(found)


# -- masking ----------------------------------------------------------------------------------


def _positions(text: str, keep: Callable[[str], bool]) -> list[int]:
    """Indexes of the characters whose reading has significant characters, once per character
    read (``⑫`` counts twice); invisible characters have none."""
    out: list[int] = []
    for i, ch in enumerate(text):
        for c in _view(ch):
            if keep(c):
                out.append(i)
    return out


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9"


def _is_id_char(c: str) -> bool:
    return "0" <= c <= "9" or c in "Xx"


def _is_visible(c: str) -> bool:
    return not c.isspace()


def _is_alnum(c: str) -> bool:
    return c.isalnum()


def _hide(text: str, positions: list[int], head: int, tail: int) -> str:
    n = len(positions)
    if head + tail >= n:  # cannot happen with a validated policy; never leave a value whole
        head, tail = min(head, 1), 0
    hidden = set(positions[head : n - tail])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def _mask_mobile(text: str, policy: MaskPolicy) -> str:
    digits = _positions(text, _is_digit)
    national = digits[-11:]  # drop the 86 country code from the count
    hidden = set(national[policy.mobile_head : 11 - policy.mobile_tail])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def _mask_email(text: str, policy: MaskPolicy) -> str:
    at = next(i for i, ch in enumerate(text) if _view(ch) == "@")
    visible = [i for i, ch in enumerate(text[:at]) if _view(ch)]
    keep = visible[policy.email_head - 1] + 1 if 0 < policy.email_head <= len(visible) else 0
    if policy.email_head > len(visible):
        keep = at
    return f"{text[:keep]}***{text[at:]}"


def _mask_name(text: str, policy: MaskPolicy) -> str:
    visible = _positions(text, _is_visible)
    keep = min(policy.name_head, len(visible) - 1)
    hidden = set(visible[keep:])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


_ADDRESS_LEVEL = re.compile(r"街道|镇|乡")
_ADDRESS_FALLBACK = re.compile(r"[区县市]")


def _mask_address(text: str) -> str:
    # Keep the 乡镇/街道 level (users-and-formats.md §4); without one, the county or district.
    levels = list(_ADDRESS_LEVEL.finditer(text)) or list(_ADDRESS_FALLBACK.finditer(text))
    keep = levels[-1].end() if levels else 0
    if keep >= len(text):
        keep = len(text) // 2
    return text[:keep] + "*" * (len(text) - keep)


def _mask_landline(text: str, policy: MaskPolicy) -> str:
    digits = _positions(text, _is_digit)
    seen = _plain(text)
    if seen[:1] in "(（":
        area = seen.index(")" if ")" in seen else "）") - 1
    else:
        area = 3 if seen.startswith(("01", "02")) else 4
    return _hide(text, digits, area, policy.landline_tail)


def _mask_one(p: PiiMatch, policy: MaskPolicy) -> str:
    kind = p.kind
    if kind is PiiKind.ID_NUMBER or kind is PiiKind.ID_NUMBER_15:
        return _hide(p.text, _positions(p.text, _is_id_char), policy.id_head, policy.id_tail)
    if kind is PiiKind.MOBILE:
        return _mask_mobile(p.text, policy)
    if kind is PiiKind.BANK_CARD:
        return _hide(p.text, _positions(p.text, _is_digit), policy.card_head, policy.card_tail)
    if kind is PiiKind.EMAIL:
        return _mask_email(p.text, policy)
    if kind is PiiKind.NAME:
        return _mask_name(p.text, policy)
    if kind is PiiKind.PASSPORT:
        units = _positions(p.text, _is_alnum)
        return _hide(p.text, units, policy.passport_head, policy.passport_tail)
    if kind is PiiKind.LICENCE_PLATE:
        units = _positions(p.text, _is_alnum)
        return _hide(p.text, units, policy.plate_head, policy.plate_tail)
    if kind is PiiKind.LANDLINE:
        return _mask_landline(p.text, policy)
    if kind is PiiKind.SERVICE_NUMBER:
        return _hide(p.text, _positions(p.text, _is_digit), 3, policy.landline_tail)
    return _mask_address(p.text)


def mask(
    text: str,
    *,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    allow: Sequence[str] = (),
    policy: MaskPolicy | None = None,
    labelled_names: bool = True,
    extra: Iterable[PiiKind] = frozenset(),
) -> str:
    """``text`` with every match of `find_pii` masked; everything else is unchanged.

    Idempotent: masking masked text changes nothing, and `find_pii` finds nothing in the result
    (for the same ``names``, ``addresses``, ``labelled_names`` and ``extra``).
    """
    matches = find_pii(
        text,
        names=names,
        addresses=addresses,
        allow=allow,
        labelled_names=labelled_names,
        extra=extra,
    )
    if not matches:
        return text
    pol = policy or MaskPolicy()
    parts: list[str] = []
    pos = 0
    for p in matches:
        parts.append(text[pos : p.start])
        parts.append(_mask_one(p, pol))
        pos = p.end
    parts.append(text[pos:])
    return "".join(parts)


def mask_record(
    record: Record,
    *,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    allow: Sequence[str] = (),
    policy: MaskPolicy | None = None,
    labelled_names: bool = True,
    extra: Iterable[PiiKind] = frozenset(),
) -> Record:
    """A copy of ``record`` with its published free text masked: title, body, topic, key areas,
    interpretations and the decisions' notes.

    Identifiers (``id``, 索引号, 文号), dates and codes are left alone: they are not meant to carry
    personal data, and masking them would break the catalogue. If one does, the publication
    guard blocks the record and the clerk corrects it by hand.
    """
    kinds = _extra_kinds(extra)

    def m(value: str) -> str:
        return mask(
            value,
            names=names,
            addresses=addresses,
            allow=allow,
            policy=policy,
            labelled_names=labelled_names,
            extra=kinds,
        )

    def m_opt(value: str | None) -> str | None:
        return None if value is None else m(value)

    decisions = tuple(
        attrs.evolve(d, withheld_note=m_opt(d.withheld_note), change_reason=m_opt(d.change_reason))
        for d in record.decisions
    )
    return attrs.evolve(
        record,
        title=m(record.title),
        body=m(record.body),
        topic=m_opt(record.topic),
        key_areas=tuple(m(a) for a in record.key_areas),
        interpretations=tuple(m(t) for t in record.interpretations),
        decisions=decisions,
    )
