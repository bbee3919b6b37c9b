"""Figures with Chinese labels that render (optional extra ``govdisclose[plot]``: matplotlib).

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: a label such as 按时答复率 comes
out as empty boxes ("tofu") with a "Glyph ... missing from font" warning. Installing a CJK font
is not enough either, because matplotlib reads the fonts from a cache built the first time it
ran, and a font installed after that is not in it. `cjk_font` deals with both:

1. it looks for a family that draws Chinese among the fonts matplotlib knows, preferring the
   Simplified Chinese faces (Noto Sans CJK SC / Source Han Sans SC, then the other CJK faces,
   WenQuanYi, SimHei, Microsoft YaHei, PingFang SC);
2. failing that, it scans the system's font files (`matplotlib.font_manager.findSystemFonts`,
   which does not read the cache) and adds each one that covers the test characters to the
   running font manager (`FontManager.addfont`): the effect of rebuilding the cache, for this
   process, without touching the user's cache directory;
3. failing that, it raises `PlotFontMissing` saying exactly what to install (Debian
   ``apt-get install fonts-noto-cjk``, and the equivalents for other systems).

A family counts only if its file maps every character of `PROBE` to a glyph (checked in the
font's own character map, not guessed from the name).

`use_cjk_font` puts the family first in ``font.sans-serif`` for the figures that follow;
`timeliness_chart` draws the on-time reply rate per agency from `govdisclose.analysis.timeliness`,
`metric_chart` one metric of `govdisclose.analysis.metrics` (a line per agency over the periods,
bars without periods, stacked bars for the outcome mix), marking the groups below the minimum
sample instead of drawing them as zero.

To make the cache itself know a font installed later (for other programs too), delete
matplotlib's font list: the ``fontlist-*.json`` files in ``matplotlib.get_cachedir()`` (usually
``~/.cache/matplotlib``); matplotlib rebuilds it on its next start.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from govdisclose._install import install_hint
from govdisclose.errors import GovDiscloseError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "PROBE",
    "PlotFontMissing",
    "cjk_font",
    "metric_chart",
    "timeliness_chart",
    "use_cjk_font",
]

#: Characters a family must draw to count: common ones and two of the report's own terms.
PROBE = "政府信息公开答复率按时逾期机关申请"

# Preferred families, best first: Simplified Chinese faces before the other CJK ones.
_PREFERRED = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Serif CJK SC",
)

_INSTALL_ZH = (
    "未找到可显示中文的字体。Debian/Ubuntu：apt-get install fonts-noto-cjk；"
    "Fedora：dnf install google-noto-sans-cjk-fonts；macOS 与 Windows 自带（苹方、微软雅黑）。"
    "安装后无需清除 matplotlib 字体缓存：重新运行即可"
)
_INSTALL_EN = (
    "no font that draws Chinese was found. Debian/Ubuntu: apt-get install fonts-noto-cjk; "
    "Fedora: dnf install google-noto-sans-cjk-fonts; macOS and Windows ship one (PingFang, "
    "Microsoft YaHei). There is no need to clear matplotlib's font cache afterwards: run again"
)


class PlotFontMissing(GovDiscloseError):
    """No installed font draws Chinese, so a plot's labels would be boxes."""

    default_code = "analysis.no_cjk_font"


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        hint_zh, hint_en = install_hint("matplotlib", "plot")
        raise GovDiscloseError(
            f"绘图需要 matplotlib。{hint_zh}",
            f"plots need matplotlib; {hint_en}",
            code="analysis.missing_matplotlib",
        ) from None
    return matplotlib


def _covers(path: str, text: str) -> bool:
    """Whether the font file maps every character of ``text`` to a glyph."""
    from matplotlib import ft2font

    try:
        font = ft2font.FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    charmap = font.get_charmap()
    return all(ord(ch) in charmap for ch in text)


def _best(candidates: Iterable[tuple[str, str]]) -> str | None:
    """The preferred family among ``(family, file)`` pairs that cover `PROBE`."""
    covering: dict[str, str] = {}
    for family, path in candidates:
        if family not in covering and _covers(path, PROBE):
            covering[family] = path
    for family in _PREFERRED:
        if family in covering:
            return family
    return min(covering) if covering else None


@functools.cache
def cjk_font() -> str:
    """The family name of an installed font that draws Chinese (see the module docstring);
    `PlotFontMissing` naming what to install when there is none."""
    _matplotlib()
    from matplotlib import font_manager

    manager = font_manager.fontManager
    known = [(f.name, f.fname) for f in manager.ttflist]
    # Only the families whose names suggest CJK are opened first: opening all ~50 fonts of a
    # desktop costs more than the rest of a plot.
    likely = [(n, p) for n, p in known if _looks_cjk(n)]
    family = _best(likely) or _best(known)
    if family is not None:
        return family
    # Not in matplotlib's cache: a font installed after the cache was built. Add the system's
    # covering font files to the running manager, the effect of rebuilding the cache.
    added: list[tuple[str, str]] = []
    cached = {p for _, p in known}
    for path in font_manager.findSystemFonts():
        if path in cached or not _covers(path, PROBE):
            continue
        manager.addfont(path)
        added.append((font_manager.FontProperties(fname=path).get_name(), path))
    family = _best(added)
    if family is None:
        raise PlotFontMissing(_INSTALL_ZH, _INSTALL_EN, field="font")
    return family


def _looks_cjk(name: str) -> bool:
    words = ("CJK", "Han", "Hei", "WenQuanYi", "YaHei", "PingFang", "Song", "Kai", "SC")
    return any(w in name for w in words)


def use_cjk_font() -> str:
    """Make `cjk_font` the first sans-serif family of the figures drawn from now on; return it."""
    matplotlib = _matplotlib()
    family = cjk_font()
    rc = matplotlib.rcParams
    rc["font.sans-serif"] = [family, *[f for f in rc["font.sans-serif"] if f != family]]
    rc["font.family"] = "sans-serif"
    # The minus sign: CJK fonts often lack U+2212, which matplotlib uses by default.
    rc["axes.unicode_minus"] = False
    return family


def timeliness_chart(table: pd.DataFrame, *, title: str = "依申请公开按时答复率") -> Figure:
    """A horizontal bar chart of ``on_time_rate`` per agency, from
    `govdisclose.analysis.timeliness` (labels by ``agency_name`` when the table has it)."""
    _matplotlib()
    use_cjk_font()
    from matplotlib.figure import Figure

    if "on_time_rate" not in table:
        raise GovDiscloseError(
            "缺少 on_time_rate 列：请传入 govdisclose.analysis.timeliness 的结果",
            "no on_time_rate column: pass the result of govdisclose.analysis.timeliness",
            field="on_time_rate",
            code="analysis.missing_column",
        )
    names = table["agency_name"] if "agency_name" in table else table.index.to_series()
    rates = table["on_time_rate"].astype("float64").fillna(0.0) * 100
    fig = Figure(figsize=(7, 0.5 * len(table) + 1.5), dpi=120, layout="constrained")
    ax = fig.subplots()
    bars = ax.barh([str(n) for n in names], rates, color="#1f5fa8")
    ax.bar_label(bars, labels=[f"{r:.1f}%" for r in rates], padding=3)
    ax.set_xlim(0, 118)  # room for the "100.0%" label
    ax.set_xlabel("按时答复率（%）")
    ax.set_title(title)
    ax.invert_yaxis()
    return fig


_COLOURS = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#17a2b8", "#7f8c8d")


def _group_labels(frame: pd.DataFrame) -> list[str]:
    """One label per row: the agency's name (or code), and the period when there is one."""
    parts: list[list[str]] = []
    if "agency" in frame:
        names = frame["agency_name"] if "agency_name" in frame else frame["agency"]
        parts.append([str(n) for n in names])
    if "period" in frame:
        parts.append([str(p) for p in frame["period"]])
    if not parts:
        return ["全部"] * len(frame)
    return [" ".join(p) for p in zip(*parts, strict=True)]


def metric_chart(frame: pd.DataFrame, code: str, *, title: str | None = None) -> Figure:
    """One metric of a `govdisclose.analysis.metrics` frame, labelled in Chinese.

    A rate is drawn in percent, the median in working days. With periods and agencies: a line
    per agency over the periods, a gap where the value is below the minimum sample. Without
    periods (``by=("agency",)``): a bar per agency, "样本不足" written where there is no value.
    The outcome mix (``outcome_mix``): a stacked bar per group, one colour per table 三 group.
    """
    _matplotlib()
    use_cjk_font()
    from matplotlib.figure import Figure

    from govdisclose.analysis._metrics import metric

    spec = metric(code)
    if "metric" not in frame or "value" not in frame:
        raise GovDiscloseError(
            "请传入 govdisclose.analysis.metrics 的结果（缺少 metric 或 value 列）",
            "pass the result of govdisclose.analysis.metrics (no metric or value column)",
            field="frame",
            code="analysis.missing_column",
        )
    rows = frame[frame["metric"] == code]
    if rows.empty:
        raise GovDiscloseError(
            f"结果中没有指标“{code}”（计算时 which 中未包含，或未给出所需数据）",
            f"the frame has no rows of {code!r} (not in which, or its items were not given)",
            field="metric",
            code="analysis.missing_metric",
        )
    percent = spec.kind != "median"
    axis_label = f"{spec.label}（%）" if percent else spec.label
    scale = 100.0 if percent else 1.0
    fig = Figure(figsize=(8, 4.5), dpi=120, layout="constrained")
    ax = fig.subplots()
    ax.set_title(title or spec.label)

    if spec.kind == "share":
        cats = list(dict.fromkeys(rows["category"]))
        labels_of = dict(zip(rows["category"], rows["category_label"], strict=False))
        first = rows[rows["category"] == cats[0]]
        groups = _group_labels(first)
        fig.set_size_inches(8, 0.45 * len(groups) + 2.2)
        left = [0.0] * len(groups)
        for i, cat in enumerate(cats):
            part = rows[rows["category"] == cat]
            values = [0.0 if v != v else float(v) * scale for v in part["value"]]
            ax.barh(
                groups,
                values,
                left=left,
                color=_COLOURS[i % len(_COLOURS)],
                label=str(labels_of[cat]),
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
        for y, (total, reason) in enumerate(zip(left, first["reason"], strict=True)):
            if total == 0 and isinstance(reason, str):
                ax.text(1, y, "样本不足" if reason == "too_few" else "无数据", va="center")
        ax.set_xlim(0, 100)
        ax.set_xlabel(axis_label)
        ax.invert_yaxis()
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, frameon=False)
        return fig

    if "period" in rows and "agency" in rows:
        periods = list(dict.fromkeys(rows["period"]))
        keys = list(dict.fromkeys(rows["agency"]))
        for i, key in enumerate(keys):
            line = rows[rows["agency"] == key].set_index("period").reindex(periods)
            name = line["agency_name"].iloc[0] if "agency_name" in line else key
            ax.plot(
                periods,
                line["value"].astype("float64") * scale,
                marker="o",
                color=_COLOURS[i % len(_COLOURS)],
                label=str(name),
            )
        ax.set_xlabel("期间")
        ax.set_ylabel(axis_label)
        ax.legend(loc="best", fontsize="small")
        ax.grid(alpha=0.3)
        return fig

    if "period" in rows:
        ax.plot(list(rows["period"]), rows["value"].astype("float64") * scale, marker="o")
        ax.set_xlabel("期间")
        ax.set_ylabel(axis_label)
        ax.grid(alpha=0.3)
        return fig

    groups = _group_labels(rows)
    fig.set_size_inches(8, 0.45 * len(groups) + 1.8)
    values = [float(v) * scale for v in rows["value"].astype("float64")]
    bars = ax.barh(groups, [0.0 if v != v else v for v in values], color=_COLOURS[0])
    ax.bar_label(
        bars,
        labels=[
            ("样本不足" if r == "too_few" else "无数据")
            if v != v
            else (f"{v:.1f}%" if percent else f"{v:g}")
            for v, r in zip(values, rows["reason"], strict=True)
        ],
        padding=3,
    )
    finite = [v for v in values if v == v]
    ax.set_xlim(0, (118 if percent else max(finite, default=1.0) * 1.25))
    ax.set_xlabel(axis_label)
    ax.invert_yaxis()
    return fig
