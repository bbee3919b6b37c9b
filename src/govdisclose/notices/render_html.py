"""A letter to the applicant as a standalone HTML page, laid out and printed like the paper letter.

The page is the letter in the 公文 layout of GB/T 9704-2012, the same parts in the same order as
`govdisclose.notices.render_docx`: the title centred in 2号 小标宋 (22 pt), the 文号 line centred
under it, the addressee flush left with a full-width colon, the body in 3号 仿宋 (16 pt) with a
two-character first-line indent on a fixed 28.95 pt line (22 lines to the 225 mm text block), the
attachment list, then the signature centred over the date, which sits four characters from the
right margin (7.3.5.1), and the page number ``— 1 —`` under the text block, right on odd pages
and left on even ones (7.5).

On screen the letter is an A4 sheet; printed (A4, the 37/35/28/26 mm margins of 6.2.1) it is the
letter itself. Fonts fall back from the official ones (方正小标宋简体, 仿宋_GB2312) to those of
Windows, macOS and Linux, ending with Noto/Source Han Serif. Every text of the notice is escaped;
the page needs no script, no network and no file beside it, so it can be archived alone.
"""

from __future__ import annotations

from html import escape

from govdisclose.notices._layout import (
    addressee_line,
    attachment_lines,
    date_text,
    printable,
    signature_offset_chars,
)
from govdisclose.notices._letter import Notice

__all__ = ["render_html"]

_BODY_FONTS = (
    '"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "华文仿宋", '
    '"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", serif'
)
# 小标宋 is a heavy Song face with no bold of its own. Where it is missing, the bold weight of
# a Song/serif face looks like it, where the regular one would look thin; a face named in
# local() is used as it is, never made bold by the browser, so 小标宋 itself stays as drawn.
_TITLE_FACES = (
    "方正小标宋简体",
    "FZXiaoBiaoSong-B05S",
    "方正小标宋_GBK",
    "Noto Serif CJK SC Bold",
    "NotoSerifCJKsc-Bold",
    "Source Han Serif SC Bold",
    "SourceHanSerifSC-Bold",
    "Songti SC Bold",
    "STSongti-SC-Bold",
)
_TITLE_FONTS = '"GD 小标宋", "宋体", "SimSun", "STSong", serif'
_NUMBER_FONTS = '"宋体", "SimSun", "STSong", "Noto Serif CJK SC", "Source Han Serif SC", serif'

# 3号 = 16 pt, 2号 = 22 pt, 4号 = 14 pt; one "character" of indent is one em of body text.
_CSS = f"""\
@font-face {{ font-family: "GD 小标宋";
  src: {", ".join(f'local("{face}")' for face in _TITLE_FACES)}; }}
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
@page :right {{ @bottom-right {{ content: "— " counter(page) " —"; margin-right: 1em;
  vertical-align: top; padding-top: 7mm; font: 14pt {_NUMBER_FONTS}; }} }}
@page :left {{ @bottom-left {{ content: "— " counter(page) " —"; margin-left: 1em;
  vertical-align: top; padding-top: 7mm; font: 14pt {_NUMBER_FONTS}; }} }}
html {{ background: #e8e8e8; }}
body {{ margin: 0; padding: 1.5em 0; }}
.gd-notice {{ box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 0 auto;
  padding: 37mm 26mm 35mm 28mm; background: #fff; color: #000;
  box-shadow: 0 0 0.5em rgba(0, 0, 0, 0.3);
  font-family: {_BODY_FONTS}; font-size: 16pt; line-height: 28.95pt; }}
.gd-notice p {{ margin: 0; overflow-wrap: anywhere; }}
.gd-notice h1 {{ margin: 0; font-family: {_TITLE_FONTS}; font-size: 22pt; font-weight: normal;
  line-height: 28.95pt; text-align: center; }}
.gd-notice .gd-number {{ text-align: center; }}
.gd-notice .gd-head {{ margin-bottom: 28.95pt; }}
.gd-notice .gd-body {{ text-indent: 2em; text-align: justify; }}
.gd-notice .gd-attachments {{ margin-top: 28.95pt; break-inside: avoid; break-after: avoid; }}
.gd-notice .gd-closing {{ margin-top: 57.9pt; text-align: right; page-break-inside: avoid;
  break-inside: avoid; }}
.gd-notice .gd-date {{ margin-right: 4em; }}
@media print {{
  html {{ background: none; }}
  body {{ padding: 0; }}
  .gd-notice {{ width: auto; min-height: 0; padding: 0; box-shadow: none; }}
}}
"""


def _esc(text: str) -> str:
    """Text and attribute values: without the characters XML forbids, ``<&>"'`` escaped."""
    return escape(printable(text))


def _p(cls: str, text: str, *, style: str = "") -> str:
    style_attr = f' style="{style}"' if style else ""
    return f'<p class="{cls}"{style_attr}>{_esc(text)}</p>'


def render_html(notice: Notice) -> str:
    """The letter as a complete HTML5 page (UTF-8, ``lang="zh-CN"``, inline CSS, A4 print).

    The ``<article>`` carries the notice's kind, application, outcome and query code as
    ``data-`` attributes, and the provisions applied as ``<meta name="citation">`` in the head,
    so that an OA page or a script can find them without reading the text.
    """
    title = _esc(notice.title)
    attrs = [
        f'class="gd-notice gd-notice-{_esc(notice.kind.code)}"',
        f'data-kind="{_esc(notice.kind.code)}"',
        f'data-application="{_esc(notice.application_id)}"',
    ]
    if notice.outcome is not None:
        attrs.append(f'data-outcome="{_esc(notice.outcome.code)}"')
    if notice.query_code is not None:
        attrs.append(f'data-query-code="{_esc(notice.query_code)}"')
    parts = [f"<article {' '.join(attrs)}>", '<header class="gd-head">', f"<h1>{title}</h1>"]
    if notice.number:
        parts.append(_p("gd-number", notice.number))
    parts.append("</header>")
    parts.append(_p("gd-addressee", addressee_line(notice.addressee)))
    parts.extend(_p("gd-body", text) for text in notice.paragraphs)
    if notice.remedies:
        parts.append(_p("gd-body gd-remedies", notice.remedies))
    lines = attachment_lines(notice.attachments)
    if lines:
        parts.append('<div class="gd-attachments">')
        parts.extend(
            _p(
                "gd-attachment",
                line.text,
                style=f"padding-left: {line.left:g}em; text-indent: {line.first:g}em",
            )
            for line in lines
        )
        parts.append("</div>")
    date = date_text(notice.issued_on)
    offset = signature_offset_chars(notice.signature, date)
    parts.append('<footer class="gd-closing">')
    parts.append(_p("gd-signature", notice.signature, style=f"margin-right: {offset:g}em"))
    parts.append(
        f'<p class="gd-date"><time datetime="{notice.issued_on.isoformat()}">'
        f"{_esc(date)}</time></p>"
    )
    parts.append("</footer>")
    parts.append("</article>")
    head = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        *(f'<meta name="citation" content="{_esc(c)}">' for c in notice.citations),
        f"<style>\n{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    return "\n".join([*head, *parts, "</body>", "</html>"]) + "\n"
