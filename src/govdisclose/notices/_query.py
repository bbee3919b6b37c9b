"""The query code (查询码) an applicant quotes: derived, short, checksummed.

Scheme (version 1, stable: a code once printed on a receipt must keep naming the same
application):

1. SHA-256 of ``"govdisclose-query/1"``, the agency code and the application id, joined by the
   unit separator U+001F (so ``("A", "BC")`` and ``("AB", "C")`` differ);
2. the first 55 bits of the digest, written as 11 characters of Crockford's base 32 alphabet
   (``0-9`` and ``A-Z`` without ``I L O U``, so nothing reads as another character);
3. one check character, Luhn mod 32 over the same alphabet: it catches every single mistyped
   character and every swap of two neighbouring characters except ``0Z`` / ``Z0`` (Luhn's one
   blind spot, as 09/90 in the decimal Luhn check);
4. shown in three groups of four: ``7KQ2-M9ZD-4XHT``.

The code is derived, not stored: the agency and the id give it back at any time. It is not a
secret and not a password (anyone who knows the id can compute it): it only lets an applicant
and a clerk name an application by telephone without spelling an OA system's internal id, and
lets a form reject a mistyped code before looking anything up. Within one agency, two
applications share a code with probability about n²/2⁵⁶ (n = 1,000,000: 1 in 70,000); a
look-up by code should therefore still confirm the applicant's name.
"""

from __future__ import annotations

import hashlib
import unicodedata

from govdisclose.errors import ValidationError

__all__ = ["QUERY_CODE_VERSION", "parse_query_code", "query_code"]

#: The version of the scheme, part of the hashed text.
QUERY_CODE_VERSION = 1

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_INDEX = {ch: i for i, ch in enumerate(_ALPHABET)}
# Crockford's reading rules: letters that look like digits are those digits.
_READ_AS = {"O": "0", "I": "1", "L": "1"}
_PAYLOAD = 11
_BITS = 5 * _PAYLOAD


def _luhn_sum(chars: str, *, with_check: bool) -> int:
    """Luhn mod 32: double every second value from the right (the check character, when
    present, is the rightmost and is not doubled), fold each product back into base 32."""
    total = 0
    double = not with_check
    for ch in reversed(chars):
        value = _INDEX[ch] * (2 if double else 1)
        total += value // 32 + value % 32
        double = not double
    return total


def _check_char(payload: str) -> str:
    return _ALPHABET[(32 - _luhn_sum(payload, with_check=False) % 32) % 32]


def _group(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _text_arg(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"{name} 应为非空字符串，实际为 {value!r}",
            f"{name} must be a non-empty string, got {value!r}",
            field=name,
            code="notices.invalid_query_code",
        )
    return value


def query_code(agency: str, application_id: str) -> str:
    """The query code of application ``application_id`` of agency ``agency`` (its code, as in
    `govdisclose.model.Application.agency`): ``XXXX-XXXX-XXXX``, the same every time."""
    agency = _text_arg(agency, "agency")
    application_id = _text_arg(application_id, "application_id")
    text = "\x1f".join((f"govdisclose-query/{QUERY_CODE_VERSION}", agency, application_id))
    number = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    number >>= 64 - _BITS
    payload = "".join(_ALPHABET[(number >> (5 * (_PAYLOAD - 1 - i))) & 31] for i in range(_PAYLOAD))
    return _group(payload + _check_char(payload))


def parse_query_code(text: str) -> str:
    """A query code as typed by an applicant, in its canonical form, or a `ValidationError`
    (code ``notices.invalid_query_code``) if it cannot be one.

    Full-width characters, lower case, spaces and hyphens are accepted, and ``O``, ``I`` and
    ``L`` read as ``0``, ``1`` and ``1`` (Crockford); the check character must match.
    """
    raw = _text_arg(text, "query_code")
    folded = unicodedata.normalize("NFKC", raw).upper()
    chars = "".join(_READ_AS.get(ch, ch) for ch in folded if ch not in " -_\u3000")
    if len(chars) != _PAYLOAD + 1 or any(ch not in _INDEX for ch in chars):
        raise ValidationError(
            f"查询码“{raw}”格式不对：应为12位字母数字（如 7KQ2-M9ZD-4XHT）",
            f"query code {raw!r} is malformed: 12 letters and digits expected "
            "(such as 7KQ2-M9ZD-4XHT)",
            field="query_code",
            code="notices.invalid_query_code",
        )
    if _luhn_sum(chars, with_check=True) % 32 != 0:
        raise ValidationError(
            f"查询码“{raw}”校验位不符，可能抄错了一位或颠倒了相邻两位",
            f"query code {raw!r} fails its check character: a character was probably "
            "mistyped or two neighbours swapped",
            field="query_code",
            code="notices.invalid_query_code",
        )
    return _group(chars)
