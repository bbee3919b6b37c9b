"""What the pages, the feed and the catalogue may contain: XML 1.0 characters, no controls.

`clean` replaces with U+FFFD (the replacement character) every character that is not allowed
in an XML 1.0 document (the C0 controls other than tab, line feed and carriage return, U+FFFE,
U+FFFF, lone surrogates) or that HTML reports as a parse error (DEL and the C1 controls
U+007F-U+009F, the noncharacters U+FDD0-U+FDEF and U+nFFFE/U+nFFFF of every plane). Such a
character carries no visible text (a vertical tab pasted from a word processor, an escape
sequence, a half of a broken emoji) and one of them makes an Atom feed unreadable for every
feed reader. Replaced rather than dropped: the page shows that something was there, so the
clerk proofreading it fixes the source, and two titles never merge into one.
"""

from __future__ import annotations

import re

__all__ = ["REPLACEMENT", "clean", "escape_json"]

REPLACEMENT = "\ufffd"

_BMP = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff\\ufdd0-\\ufdef\\ufffe\\uffff"
# The invalid characters below U+10000, and every character above it: a class with one astral
# range is matched about ten times faster than one listing the 32 astral noncharacters
# (U+nFFFE, U+nFFFF of planes 1-16); the callback keeps the astral characters that are fine.
_CANDIDATES = re.compile(f"[{_BMP}\\U00010000-\\U0010ffff]")


def _invalid(char: str) -> bool:
    code = ord(char)
    return code <= 0xFFFF or (code & 0xFFFE) == 0xFFFE


def _replace(match: re.Match[str]) -> str:
    char = match.group()
    return REPLACEMENT if _invalid(char) else char


def clean(text: str) -> str:
    """``text`` with every character a page or a feed may not hold replaced by U+FFFD."""
    return _CANDIDATES.sub(_replace, text)


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    if not _invalid(char):
        return char
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 | (code >> 10):04x}\\u{0xDC00 | (code & 0x3FF):04x}"


def escape_json(dumped: str) -> str:
    """The JSON text ``dumped`` (from ``json.dumps(..., ensure_ascii=False)``) with each of those
    characters written as a ``\\u`` escape with four hex digits: the same JSON value, and a
    file that is valid UTF-8 without a control character (json.dumps escapes only
    U+0000-U+001F itself)."""
    return _CANDIDATES.sub(_json_escape, dumped)
