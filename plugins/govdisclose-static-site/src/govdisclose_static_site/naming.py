"""Page names: one file per record id, collision-free and stable for every possible id.

The rule (`page_name`), applied to the record id:

1. an id made of ASCII letters, digits and ``-`` with at least one capital (the common
   ``city-housing-2025-R00001``) is written in lower case, followed by ``_u`` and the
   positions (from 0) of its capitals joined by ``-``: ``city-housing-2025-r00001_u18``,
   ``NEW`` -> ``new_u0-1-2``; a readable name, with no escape and no hash. Otherwise:
2. encode the id in UTF-8 (a lone surrogate, which a Python ``str`` can hold, is encoded with
   ``surrogatepass``, so every string has exactly one byte sequence);
3. keep each byte that is a lowercase ASCII letter, a digit or ``-``; write every other byte as
   ``_`` followed by its two lowercase hexadecimal digits (``A`` -> ``_41``, ``/`` -> ``_2f``,
   ``_`` -> ``_5f``, ``号`` -> ``_e5_8f_b7``);
4. if the result is a device name Windows reserves (``con``, ``prn``, ``aux``, ``nul``,
   ``com0``-``com9``, ``lpt0``-``lpt9``), escape its first byte as well (``con`` -> ``_63on``);
5. if the result is empty or longer than `MAX_STEM` (200) characters, the name is instead
   ``_sha256-`` followed by the 64 lowercase hexadecimal digits of the SHA-256 of the UTF-8 id;
6. the page is ``records/<name>.html``.

An id of ``a-z``, ``0-9`` and ``-`` only (what an agency should choose) is its own name.

Why no two ids share a page: ``_`` is never kept as itself, so in a name of rule 3 every ``_``
starts an escape and every other character stands for itself: the name decodes back to the id
(`record_id_of_page` does it), and two ids with one name would be one id. Rule 4 keeps that
(the escaped first byte decodes like any other). A rule 1 name has one ``_``, followed by ``u``,
which no escape can be (``u`` is not a hexadecimal digit), and decodes back to its id too (the
letters at the listed positions in upper case). A rule 5 name starts with ``_s``, which no
escape can (``s`` is not a hexadecimal digit), so it never equals another name, and two
of them are equal only for ids with the same SHA-256.

Why every file system accepts them: a name holds only ``a-z``, ``0-9``, ``-`` and ``_`` (no
separator, no dot, no space, no character a file system or a URL treats specially, nothing
Unicode normalisation could change), is at most 205 bytes with ``.html`` (every common file
system allows 255), and is not a reserved Windows name. As there is no upper case, two names
never differ by case only, so a case-insensitive file system (macOS, Windows, a CIFS share)
cannot merge two pages either. The name is a URL path segment as it stands.

Stable: the name depends on the id alone, not on the Python version, the hash seed or the site.

.. versionchanged:: 0.2.0 0.1.0 replaced every character other than a letter, a digit, ``-``,
   ``_`` or ``.`` by ``_`` (``a/b``, ``a_b`` and ``a?b`` all became ``a_b.html``), and kept
   upper case (``R-1.html``, now ``r-1_u0.html``). Only ids made of ``a-z``, ``0-9`` and ``-``
   keep their 0.1.0 page.
"""

from __future__ import annotations

import functools
import hashlib
import re

__all__ = [
    "MAX_STEM",
    "PAGES_DIR",
    "legacy_page_name",
    "page_name",
    "page_stem",
    "record_id_of_page",
]

#: The directory of the record pages, relative to the site's root.
PAGES_DIR = "records"
#: The longest name (without ``.html``) that rule 2 may give; longer ones are hashed.
MAX_STEM = 200

_KEEP = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789-")
_HEX = frozenset("0123456789abcdef")
_HASHED = "_sha256-"
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
_PAGE = re.compile(rf"{PAGES_DIR}/([a-z0-9_-]{{1,{MAX_STEM}}})\.html")
_CAPITALS = re.compile(r"[A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*")
_CASED = re.compile(r"([a-z0-9-]+)_u((?:0|[1-9][0-9]*)(?:-(?:0|[1-9][0-9]*))*)")


def _escape(byte: int) -> str:
    return f"_{byte:02x}"


def page_stem(record_id: str) -> str:
    """The file name of ``record_id``'s page without ``.html`` (rules 1-5 above)."""
    if record_id.isascii() and _CAPITALS.fullmatch(record_id):
        capitals = "-".join(str(i) for i, c in enumerate(record_id) if c.isupper())
        cased = f"{record_id.lower()}_u{capitals}"
        if len(cased) <= MAX_STEM:
            return cased
    data = record_id.encode("utf-8", "surrogatepass")
    stem = "".join(chr(b) if b in _KEEP else _escape(b) for b in data)
    if stem in _RESERVED:
        stem = _escape(data[0]) + stem[1:]
    if not stem or len(stem) > MAX_STEM:
        stem = _HASHED + hashlib.sha256(data).hexdigest()
    return stem


@functools.lru_cache(maxsize=1 << 18)
def page_name(record_id: str) -> str:
    """The path of ``record_id``'s page relative to the site's root: ``records/<name>.html``.

    >>> page_name("r-1"), page_name("R-1"), page_name("a/b"), page_name("a_b")
    ('records/r-1.html', 'records/r-1_u0.html', 'records/a_2fb.html', 'records/a_5fb.html')
    """
    return f"{PAGES_DIR}/{page_stem(record_id)}.html"


def record_id_of_page(page: str) -> str | None:
    """The record id whose page is ``page`` (``records/<name>.html`` or the bare name), or
    ``None`` for a hashed name (rule 4: the id is not recoverable from it) and for anything
    `page_name` never gives.

    >>> record_id_of_page("records/r-1_u0.html")
    'R-1'
    """
    path = page if page.startswith(f"{PAGES_DIR}/") else f"{PAGES_DIR}/{page}"
    match = _PAGE.fullmatch(path)
    if match is None:
        return None
    stem = match.group(1)
    if stem.startswith(_HASHED):
        return None
    cased = _CASED.fullmatch(stem)
    if cased is not None:
        letters = list(cased.group(1))
        for position in (int(p) for p in cased.group(2).split("-")):
            if position >= len(letters) or not letters[position].islower():
                return None
            letters[position] = letters[position].upper()
        found = "".join(letters)
        return found if page_name(found) == path else None
    data = bytearray()
    i = 0
    while i < len(stem):
        char = stem[i]
        if char != "_":
            data.append(ord(char))
            i += 1
            continue
        digits = stem[i + 1 : i + 3]
        if len(digits) != 2 or not set(digits) <= _HEX:
            return None
        data.append(int(digits, 16))
        i += 3
    try:
        record_id = data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None
    # Only the canonical spelling: "_61" decodes to "a", whose page is "a.html".
    return record_id if page_name(record_id) == path else None


def legacy_page_name(record_id: str) -> str:
    """The page 0.1.0 wrote for ``record_id`` (not collision-free: only to find old pages)."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in record_id)
    return f"{PAGES_DIR}/{safe}.html"
