"""Finding and masking personal data in text that is about to be published.

Why: inspections keep finding full ID numbers, mobile numbers and bank card numbers in published
lists (users-and-formats.md §3.3), and the 2018 政务公开 work points require 去标识化 for every
piece of privacy-bearing information except punitive notices and mandatory disclosures (seed 002,
（五）; 条例 2019 第十五条 protects personal privacy).

What is detected, without any model or dictionary:

* 18-digit resident ID numbers (GB 11643): a known province code, a real birth date (1890-2099)
  and the ISO 7064 mod 11-2 check character;
* 15-digit first-generation ID numbers: province code and a real 19YY birth date (no checksum
  exists, so these are the weakest signal);
* mainland mobile numbers ``1[3-9]x xxxx xxxx``, optionally ``+86``/``0086``-prefixed and grouped
  3-4-4 with one consistent space or hyphen, never inside a longer digit run;
* bank card numbers of 16-19 digits (contiguous or grouped by four) that pass the Luhn check and
  start with 3, 4, 5, 6 or 9 (the issuer ranges cards sold in China use; a leading 1, 2, 7 or 8
  is almost always an order number, a date-prefixed serial or a credit code);
* e-mail addresses;
* names and addresses the caller lists (a table's 姓名 / 住址 column, the applicant of a reply).

Not detected on purpose: landline numbers (agencies publish their own 0373-3696072 style numbers)
and 统一社会信用代码 (organisations are not personal data; an all-digit credit code only trips the
ID rule if its date and checksum both happen to fit).

Full-width digits (０-９, Ｘ, ＠, －) are read like their ASCII forms; offsets always refer to the
original text, so masking keeps everything else byte-for-byte.

Masking keeps the shapes people recognise (users-and-formats.md §4): ``138****5678``,
``110101********1234``, ``6222 **** **** 1234``, ``z***@example.com``, ``张**``. One `MaskPolicy`
should be used across a deployment: differently masked copies of the same number can be combined
to rebuild it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

import attrs
from attrs import frozen

from govdisclose.errors import ValidationError
from govdisclose.model import Record
from govdisclose.vocab import CodedEnum

__all__ = [
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
    keep everything up to the 乡镇/街道 level.
    """

    id_head: int = attrs.field(default=6, validator=_non_negative)
    id_tail: int = attrs.field(default=4, validator=_non_negative)
    mobile_head: int = attrs.field(default=3, validator=_non_negative)
    mobile_tail: int = attrs.field(default=4, validator=_non_negative)
    card_head: int = attrs.field(default=4, validator=_non_negative)
    card_tail: int = attrs.field(default=4, validator=_non_negative)
    email_head: int = attrs.field(default=1, validator=_non_negative)
    name_head: int = attrs.field(default=1, validator=_non_negative)

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
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# -- scanning ---------------------------------------------------------------------------------

# One-to-one character folding keeps offsets valid: full-width forms read as ASCII.
_FOLD = str.maketrans(
    "０１２３４５６７８９ＸｘＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＹＺ"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｙｚ＠．－＋＿\u3000",
    "0123456789XxABCDEFGHIJKLMNOPQRSTUVWYZabcdefghijklmnopqrstuvwyz@.-+_ ",
)

# Boundaries are ASCII alphanumerics only: a Chinese character right before a number is normal.
_B = r"(?<![0-9A-Za-z])"
_E = r"(?![0-9A-Za-z])"

_ID18 = re.compile(_B + r"[1-8][0-9]{5}(?:18|19|20)[0-9]{2}[01][0-9][0-3][0-9]{4}[0-9Xx]" + _E)
_ID15 = re.compile(_B + r"[1-8][0-9]{7}[01][0-9][0-3][0-9]{4}" + _E)
# A hyphen glued to a digit run on either side means the run goes on (a serial, a range).
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z+])(?<![0-9]-)(?:(?:\+|00)86[- ]?)?"
    r"1[3-9][0-9]([- ]?)[0-9]{4}\1[0-9]{4}(?![0-9A-Za-z])(?!-[0-9])"
)
_CARD = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9][- ])(?<![0-9]-)"
    r"(?:[3-69][0-9]{15,18}|[3-69][0-9]{3}([- ])[0-9]{4}\1[0-9]{4}\1[0-9]{4}(?:\1?[0-9]{1,3})?)"
    r"(?![0-9A-Za-z])(?!-[0-9])"
)
# The local part must touch the @: a masked ``z***@`` therefore never matches again.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])"
)
_CANDIDATE = re.compile(r"[0-9](?:[- ]?[0-9]){9,}")
# Characters the one-to-one fold changes; most text has none and skips the translation.
_NEEDS_FOLD = re.compile(
    "[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff20\uff0e\uff0d\uff0b\uff3f\u3000]"
)

# Overlaps keep the more specific reading: a checksummed ID beats a Luhn-valid card.
_PRIORITY = {
    PiiKind.ID_NUMBER: 0,
    PiiKind.EMAIL: 1,
    PiiKind.MOBILE: 2,
    PiiKind.BANK_CARD: 3,
    PiiKind.ID_NUMBER_15: 4,
    PiiKind.NAME: 5,
    PiiKind.ADDRESS: 5,
}


def _literal_pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    wanted = sorted({v.strip() for v in values if v and v.strip()}, key=len, reverse=True)
    if not wanted:
        return None
    return re.compile("|".join(re.escape(v) for v in wanted))


def _scan_window(folded: str, pos: int, endpos: int, found: set[PiiMatch]) -> None:
    for m in _ID18.finditer(folded, pos, endpos):
        if id_number_is_valid(m.group()):
            found.add(PiiMatch(PiiKind.ID_NUMBER, m.start(), m.end(), m.group()))
    for m in _ID15.finditer(folded, pos, endpos):
        if _id15_is_plausible(m.group()):
            found.add(PiiMatch(PiiKind.ID_NUMBER_15, m.start(), m.end(), m.group()))
    for m in _MOBILE.finditer(folded, pos, endpos):
        found.add(PiiMatch(PiiKind.MOBILE, m.start(), m.end(), m.group()))
    for m in _CARD.finditer(folded, pos, endpos):
        digits = m.group().replace(" ", "").replace("-", "")
        if 16 <= len(digits) <= 19 and luhn_is_valid(digits):
            found.add(PiiMatch(PiiKind.BANK_CARD, m.start(), m.end(), m.group()))


def _scan_numbers(folded: str) -> list[PiiMatch]:
    # Every numeric kind needs at least 10 digits in a row (single separators allowed), which
    # Chinese prose rarely has: one cheap pass finds those runs, and the precise patterns run
    # only on a window around each. Lookbehinds see before ``pos``; the window leaves room for
    # a "+86 " / "0086-" prefix and for the two characters the lookaheads inspect.
    found: set[PiiMatch] = set()
    for run in _CANDIDATE.finditer(folded):
        _scan_window(folded, max(0, run.start() - 5), run.end() + 2, found)
    if "@" in folded:
        at = folded.find("@")
        while at != -1:
            # A local part has at most 64 characters (RFC 5321), a domain at most 255.
            for m in _EMAIL.finditer(folded, max(0, at - 65), at + 256):
                if m.start() <= at < m.end():
                    found.add(PiiMatch(PiiKind.EMAIL, m.start(), m.end(), m.group()))
                    break
            at = folded.find("@", at + 1)
    return list(found)


def _resolve(found: list[PiiMatch]) -> list[PiiMatch]:
    found.sort(key=lambda p: (p.start, _PRIORITY[p.kind], -p.end))
    kept: list[PiiMatch] = []
    for p in found:
        # Sorted so that, of matches starting together, the most specific comes first.
        if kept and p.start < kept[-1].end:
            continue
        kept.append(p)
    return kept


def find_pii(
    text: str,
    *,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    allow: Sequence[str] = (),
) -> list[PiiMatch]:
    """Every piece of personal data in ``text``, in order, without overlaps.

    :param names: natural persons' names to look for (e.g. the 姓名 column of a list).
    :param addresses: addresses to look for (e.g. the 住址 column).
    :param allow: exact strings that are public on purpose (the agency's own mailbox or a
        hotline that happens to look like a mobile) and are never reported.
    """
    folded = text.translate(_FOLD) if _NEEDS_FOLD.search(text) else text
    found = _scan_numbers(folded)
    for kind, values in ((PiiKind.NAME, names), (PiiKind.ADDRESS, addresses)):
        pattern = _literal_pattern(values)
        if pattern is not None:
            found.extend(
                PiiMatch(kind, m.start(), m.end(), m.group()) for m in pattern.finditer(text)
            )
    if not found:
        return found
    matches = _resolve(found)
    # Report the original characters (full-width digits stay full-width).
    result = [attrs.evolve(p, text=text[p.start : p.end]) for p in matches]
    if allow:
        allowed = frozenset(allow)
        result = [p for p in result if p.text not in allowed]
    return result


def has_unmasked_pii(
    text: str,
    *,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    allow: Sequence[str] = (),
) -> bool:
    """Whether ``text`` still contains personal data that `mask` would hide."""
    return bool(find_pii(text, names=names, addresses=addresses, allow=allow))


# -- masking ----------------------------------------------------------------------------------


def _star_digits(text: str, head: int, tail: int) -> str:
    # Only digits (and the check letter) are replaced; separators and a +86 prefix keep the shape.
    positions = [i for i, ch in enumerate(text) if ch.translate(_FOLD) in "0123456789Xx"]
    hidden = set(positions[head : len(positions) - tail])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def _mask_mobile(text: str, policy: MaskPolicy) -> str:
    digits = [i for i, ch in enumerate(text) if ch.translate(_FOLD).isdigit()]
    national = digits[-11:]  # drop the 86 country code from the count
    hidden = set(national[policy.mobile_head : 11 - policy.mobile_tail])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def _mask_email(text: str, policy: MaskPolicy) -> str:
    local, _, domain = text.partition("@")
    return f"{local[: policy.email_head]}***@{domain}"


def _mask_name(text: str, policy: MaskPolicy) -> str:
    keep = min(policy.name_head, len(text) - 1)
    return text[:keep] + "*" * (len(text) - keep)


_ADDRESS_LEVEL = re.compile(r"街道|镇|乡")
_ADDRESS_FALLBACK = re.compile(r"[区县市]")


def _mask_address(text: str) -> str:
    # Keep the 乡镇/街道 level (users-and-formats.md §4); without one, the county or district.
    levels = list(_ADDRESS_LEVEL.finditer(text)) or list(_ADDRESS_FALLBACK.finditer(text))
    keep = levels[-1].end() if levels else 0
    if keep >= len(text):
        keep = len(text) // 2
    return text[:keep] + "*" * (len(text) - keep)


def _mask_one(p: PiiMatch, policy: MaskPolicy) -> str:
    if p.kind is PiiKind.ID_NUMBER or p.kind is PiiKind.ID_NUMBER_15:
        return _star_digits(p.text, policy.id_head, policy.id_tail)
    if p.kind is PiiKind.MOBILE:
        return _mask_mobile(p.text, policy)
    if p.kind is PiiKind.BANK_CARD:
        return _star_digits(p.text, policy.card_head, policy.card_tail)
    if p.kind is PiiKind.EMAIL:
        return _mask_email(p.text, policy)
    if p.kind is PiiKind.NAME:
        return _mask_name(p.text, policy)
    return _mask_address(p.text)


def mask(
    text: str,
    *,
    names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    allow: Sequence[str] = (),
    policy: MaskPolicy | None = None,
) -> str:
    """``text`` with every match of `find_pii` masked; everything else is unchanged.

    Idempotent: masking masked text changes nothing, and `find_pii` finds nothing in the result
    (for the same ``names`` and ``addresses``).
    """
    matches = find_pii(text, names=names, addresses=addresses, allow=allow)
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
) -> Record:
    """A copy of ``record`` with its free text masked: title, body and the decisions' notes.

    Identifiers (索引号, 文号), dates and codes are left alone: they are not personal data and
    masking them would break the catalogue.
    """

    def m(value: str) -> str:
        return mask(value, names=names, addresses=addresses, allow=allow, policy=policy)

    def m_opt(value: str | None) -> str | None:
        return None if value is None else m(value)

    decisions = tuple(
        attrs.evolve(d, withheld_note=m_opt(d.withheld_note), change_reason=m_opt(d.change_reason))
        for d in record.decisions
    )
    return attrs.evolve(record, title=m(record.title), body=m(record.body), decisions=decisions)
