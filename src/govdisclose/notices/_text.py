"""A letter as plain text, in the order of the 公文 (GB/T 9704-2012 7.2-7.3): for an e-mail, an
SMS gateway, an OA text field or a log; the same parts as the HTML and Word letters."""

from __future__ import annotations

from govdisclose.notices._layout import addressee_line, attachment_lines, date_text
from govdisclose.notices._letter import Notice

__all__ = ["render_text"]

# Two ideographic spaces: the first-line indent of a 公文 paragraph (左空二字).
_INDENT = "\u3000\u3000"


def _spaces(chars: float) -> str:
    """Leading space of ``chars`` characters: ideographic spaces, a half one as ASCII."""
    whole = int(chars)
    return "\u3000" * whole + (" " if chars - whole >= 0.5 else "")


def render_text(notice: Notice) -> str:
    """The letter as plain text, one part per line, in this order: the title; the 文号; a blank
    line; the addressee with a full-width colon; each body paragraph and then the remedies,
    indented two characters; the attachment note (附件：1. … under each other); two blank lines
    (room for the seal); the signature; the 成文日期 (``2025年3月4日``). Lines are not wrapped
    and not padded to a width, so the text survives any mail client; ends with a newline."""
    lines = [notice.title]
    if notice.number:
        lines.append(notice.number)
    lines += ["", addressee_line(notice.addressee)]
    lines += [_INDENT + text for text in notice.paragraphs]
    if notice.remedies:
        lines.append(_INDENT + notice.remedies)
    attached = attachment_lines(notice.attachments)
    if attached:
        lines.append("")
        lines += [_spaces(a.left + a.first) + a.text for a in attached]
    lines += ["", "", notice.signature, date_text(notice.issued_on)]
    return "\n".join(lines) + "\n"
