"""Word (.docx) helpers shared by the annual report and the letters to applicants.

Both follow the official document layout (GB/T 9704-2012 党政机关公文格式): an A4 page with
the margins of its 6.2.1 (天头 37 mm, 订口 28 mm, leaving the 156 x 225 mm 版心), Chinese fonts
set in the ``eastAsia`` slot of every run (Word and WPS take CJK text from that slot, the Latin
slots from ``ascii``/``hAnsi``), and package bytes that depend on the content only.

python-docx is imported by the callers (each raises its own typed error when it is missing);
the functions here take the python-docx objects they work on.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

__all__ = ["LATIN_FONT", "MARGINS_MM", "a4_page", "set_fonts", "stable_zip"]

LATIN_FONT = "Times New Roman"

# GB/T 9704-2012 6.2.1: top 37 mm, left 28 mm, a 156 x 225 mm text block on 210 x 297 mm,
# which leaves 26 mm on the right and 35 mm at the bottom.
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


def set_fonts(rpr_owner: Any, east_asia: str, qn: Any, *, latin: str = LATIN_FONT) -> None:
    """Set the Latin and the East Asian font of a run or a style element (``w:rFonts``)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def a4_page(section: Any, mm: Any) -> None:
    """Make a python-docx section an A4 portrait page with the GB/T 9704 margins."""
    section.page_width = mm(210)
    section.page_height = mm(297)
    section.top_margin = mm(MARGINS_MM["top"])
    section.bottom_margin = mm(MARGINS_MM["bottom"])
    section.left_margin = mm(MARGINS_MM["left"])
    section.right_margin = mm(MARGINS_MM["right"])


def stable_zip(data: bytes) -> bytes:
    """The same package with fixed member timestamps, so equal documents give equal bytes
    (archives, caches and signatures of a printed document can then be compared)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            target.writestr(info, source.read(item.filename))
    return out.getvalue()
