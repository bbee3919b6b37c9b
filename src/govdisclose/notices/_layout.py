"""The measurements of the 公文 layout that the HTML and the Word letters share (GB/T 9704-2012).

Widths are in characters of body text (3号, 16 pt): a Chinese character is one, a Latin letter
or an arabic digit half (they are set in the half-width Latin font), which is how the standard
counts "右空四字" and "左空二字".
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from attrs import frozen

__all__ = [
    "AttachmentLine",
    "addressee_line",
    "attachment_lines",
    "date_text",
    "printable",
    "signature_offset_chars",
    "width",
]

# 7.3.5.1: the date four characters from the right edge of the text block.
DATE_RIGHT_CHARS = 4.0
# 7.3.4: the attachment note starts two characters in.
ATTACHMENT_INDENT_CHARS = 2.0
_ATTACHMENT_LABEL = "附件："


# Characters XML 1.0 does not allow (C0 controls but tab, LF, CR; U+FFFE, U+FFFF; lone
# surrogates): an applicant's text pasted from another program can carry them, and a .docx
# holding one does not open.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` without the characters an XML 1.0 document (a .docx part, an XHTML page)
    cannot hold; everything else is kept as it is."""
    return _NOT_XML.sub("", text)


def date_text(day: date) -> str:
    """The 成文日期 as GB/T 9704-2012 7.3.5.4 writes it: arabic numerals, the year in full, no
    leading zeros (``2026年12月3日``)."""
    return f"{day.year}年{day.month}月{day.day}日"


def addressee_line(addressee: str) -> str:
    """The 主送 line: the addressee and one full-width colon (7.3.2), whether or not the name
    came with a colon of its own."""
    return addressee.rstrip("：: \u3000") + "："


def width(text: str) -> float:
    """The printed width of ``text`` in characters: wide and full-width characters count 1,
    the others (Latin, digits, half-width punctuation) 1/2."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def signature_offset_chars(signature: str, date_line: str) -> float:
    """The space between the signature and the right margin, in characters, that centres the
    signature over the date (7.3.5.1 以成文日期为准居中编排发文机关署名), the date being
    `DATE_RIGHT_CHARS` from the margin. A signature wider than the date and its margin ends
    at the margin."""
    return max(0.0, DATE_RIGHT_CHARS + (width(date_line) - width(signature)) / 2)


@frozen
class AttachmentLine:
    """One line of the attachment note: its text, the left indent of its wrapped lines and
    the offset of its first line from that indent (negative: a hanging indent), in characters.
    """

    text: str
    left: float
    first: float


def attachment_lines(names: tuple[str, ...]) -> tuple[AttachmentLine, ...]:
    """The attachment note of GB/T 9704-2012 7.3.4: ``附件：name`` for one attachment,
    ``附件：1. name`` then ``2. name`` … for several, the later numbers under the first, a
    wrapped name continuing under its first character."""
    if not names:
        return ()
    label = width(_ATTACHMENT_LABEL)
    if len(names) == 1:
        left = ATTACHMENT_INDENT_CHARS + label
        return (AttachmentLine(_ATTACHMENT_LABEL + names[0], left, -label),)
    lines = []
    for number, name in enumerate(names, start=1):
        # A half-width space after the number: "1.2025年度…" would read as a decimal.
        marker = f"{number}. "
        # The numbers stand in one column under the first; a wrapped name continues under
        # its own first character.
        prefix = (_ATTACHMENT_LABEL if number == 1 else "") + marker
        left = ATTACHMENT_INDENT_CHARS + label + width(marker)
        lines.append(AttachmentLine(prefix + name, left, -width(prefix)))
    return tuple(lines)
