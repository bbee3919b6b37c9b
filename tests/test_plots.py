"""Plots with Chinese labels render real glyphs, not boxes, and a missing font says what to install.

The suite turns warnings into errors, so matplotlib's "Glyph ... missing from font" warning would
fail any test here that draws a label in a font without Chinese. Beyond that, the glyphs are
checked twice: from their outlines (the characters of `PROBE` drawn in the chosen family must all
have different, non-trivial outlines; a font without them draws one identical box for each), and
in the saved PNG itself: the title of a chart is cut into its characters' cells, and every cell
must hold ink and differ from every other (tofu is the same box, cell after cell). The same check
run on the same chart with its title forced into DejaVu Sans, which has no Chinese, must say
tofu: the check can fail.
"""

from __future__ import annotations

import os
import shutil
import warnings
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("matplotlib")

import numpy as np
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.image import imread
from matplotlib.textpath import TextPath

from govdisclose import synthetic
from govdisclose.analysis import (
    applications_frame,
    metrics,
    plots,
    timeliness,
)
from govdisclose.calendar import WorkCalendar
from govdisclose.params import ParameterSet


@pytest.fixture(autouse=True)
def _fresh_lookup() -> object:
    plots.cjk_font.cache_clear()
    yield
    plots.cjk_font.cache_clear()


def _outline(text: str, family: str) -> tuple[tuple[float, float], ...]:
    path = TextPath((0, 0), text, size=20, prop=FontProperties(family=family))
    return tuple((round(x, 2), round(y, 2)) for x, y in path.vertices)


def test_the_font_found_draws_every_probe_character_as_its_own_glyph() -> None:
    family = plots.cjk_font()
    outlines = [_outline(ch, family) for ch in plots.PROBE]
    assert all(len(o) > 12 for o in outlines), "a character drawn as a box or nothing"
    assert len(set(outlines)) == len(set(plots.PROBE)), "two characters share one glyph (tofu)"


def _keep(path: Path) -> None:
    """Copy a figure to ``$GOVDISCLOSE_ARTIFACTS`` (CI uploads it) when that is set."""
    keep = os.environ.get("GOVDISCLOSE_ARTIFACTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


def _title_cells(fig: Figure, png: Path) -> list[np.ndarray]:
    """The ink of each character of the title of ``fig``'s first axes, cut from the saved PNG.

    Chinese characters are full-width, so the title's box splits into equal cells, one a
    character."""
    title = fig.axes[0].title
    box = title.get_window_extent()  # the layout of the last draw: the savefig
    image = imread(png)
    ink = image[..., :3].min(axis=2) < 0.5
    height = image.shape[0]
    top, bottom = int(height - box.y1), int(np.ceil(height - box.y0))
    text = title.get_text()
    width = (box.x1 - box.x0) / len(text)
    return [
        ink[top:bottom, round(box.x0 + i * width) : round(box.x0 + (i + 1) * width)]
        for i in range(len(text))
    ]


def _trimmed(cell: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(cell)
    return cell[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two glyphs' ink, each trimmed to its own bounding box."""
    a, b = _trimmed(a), _trimmed(b)
    shape = (max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1]))
    pa, pb = np.zeros(shape, bool), np.zeros(shape, bool)
    pa[: a.shape[0], : a.shape[1]] = a
    pb[: b.shape[0], : b.shape[1]] = b
    return float((pa & pb).sum() / (pa | pb).sum())


def _tofu(cells: list[np.ndarray], text: str) -> bool:
    """Whether the cells look like tofu: a cell without ink, or two different characters whose
    glyphs are (nearly) the same picture. Real glyphs of different characters overlap by well
    under half (Noto Sans CJK: at most about 0.4); tofu boxes overlap completely."""
    if any(not cell.any() for cell in cells):
        return True
    return any(
        _overlap(cells[i], cells[j]) > 0.8
        for i in range(len(cells))
        for j in range(i + 1, len(cells))
        if text[i] != text[j]
    )


def _timeliness_chart() -> tuple[Figure, object]:
    data = synthetic.generate(2025, applications_per_agency=30, records_per_agency=2, seed=3)
    frame = applications_frame(
        data.applications,
        as_of=date(2026, 1, 20),
        params=ParameterSet.default(),
        calendar=WorkCalendar.default(),
        agencies=data.agencies,
    )
    table = timeliness(frame)
    return plots.timeliness_chart(table), table


def test_the_chart_renders_with_chinese_labels(tmp_path: Path) -> None:
    fig, table = _timeliness_chart()
    out = tmp_path / "timeliness.png"
    fig.savefig(out)  # a missing glyph would be a warning, hence an error here
    assert out.stat().st_size > 10_000
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == list(table["agency_name"])  # type: ignore[index]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels)
    # Every text of the chart is set in a font whose file has the glyphs of its characters.
    texts = [fig.axes[0].title, fig.axes[0].xaxis.label, *fig.axes[0].get_yticklabels()]
    for text in texts:
        chinese = "".join(ch for ch in text.get_text() if "\u4e00" <= ch <= "\u9fff")
        path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
        assert plots._covers(path, chinese), (text.get_text(), path)
    title = fig.axes[0].title.get_text()
    assert not _tofu(_title_cells(fig, out), title), "the saved PNG's title is tofu"
    _keep(out)


def test_the_png_check_finds_tofu(tmp_path: Path) -> None:
    # The same chart with its title in DejaVu Sans, which has no Chinese: the check must fail.
    fig, _ = _timeliness_chart()
    fig.axes[0].title.set_fontfamily("DejaVu Sans")
    out = tmp_path / "tofu.png"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Glyph ... missing from font(s) DejaVu Sans"
        fig.savefig(out)
        cells = _title_cells(fig, out)
    assert _tofu(cells, fig.axes[0].title.get_text())


def test_the_metric_charts_render(tmp_path: Path) -> None:
    data = synthetic.generate(2025, applications_per_agency=60, records_per_agency=20, seed=4)
    common = {
        "as_of": date(2025, 12, 31),
        "params": ParameterSet.default(),
        "calendar": WorkCalendar.default(),
        "applications": data.applications,
        "agencies": data.agencies,
    }
    by_period = metrics(**common, period="H")  # type: ignore[arg-type]
    by_agency = metrics(**common, by=("agency",))  # type: ignore[arg-type]
    cases = [
        ("on_time_reply_rate", by_period, "lines"),
        ("median_reply_working_days", by_agency, "bars"),
        ("outcome_mix", by_agency, "stacked"),
    ]
    for code, frame, kind in cases:
        fig = plots.metric_chart(frame, code)
        out = tmp_path / f"{code}.png"
        fig.savefig(out)
        ax = fig.axes[0]
        if kind == "lines":
            names = [line.get_label() for line in ax.get_lines()]
            assert names == sorted(set(frame["agency_name"]), key=list(frame["agency_name"]).index)
        else:
            ticks = [t.get_text() for t in ax.get_yticklabels()]
            assert ticks == [a.name for a in sorted(data.agencies, key=lambda a: a.code)]
        title = ax.title.get_text()
        assert not _tofu(_title_cells(fig, out), title), code
        _keep(out)


def test_a_metric_chart_marks_too_small_samples() -> None:
    data = synthetic.generate(2025, applications_per_agency=8, records_per_agency=2, seed=5)
    frame = metrics(
        as_of=date(2025, 12, 31),
        params=ParameterSet.default(),
        calendar=WorkCalendar.default(),
        applications=data.applications,
        by=("agency",),
        which="median_reply_working_days",
    )
    assert (frame["reason"] == "too_few").all()
    fig = plots.metric_chart(frame, "median_reply_working_days")
    shown = {t.get_text() for t in fig.axes[0].texts}
    assert shown == {"样本不足"}, "a value below the minimum sample is marked, not drawn as 0"


def test_a_font_installed_after_the_cache_is_found_and_added(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = font_manager.fontManager
    without_cjk = [f for f in real.ttflist if not plots._covers(f.fname, "中")]
    added: list[str] = []
    fake = SimpleNamespace(ttflist=without_cjk, addfont=added.append)
    monkeypatch.setattr(font_manager, "fontManager", fake)
    family = plots.cjk_font()
    assert added, "the covering system fonts were not added to the font manager"
    assert all(plots._covers(p, plots.PROBE) for p in added)
    assert "CJK" in family or "Han" in family


def test_no_font_at_all_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plots, "_covers", lambda path, text: False)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    with pytest.raises(plots.PlotFontMissing) as info:
        plots.cjk_font()
    assert "fonts-noto-cjk" in info.value.message_zh
    assert info.value.code == "analysis.no_cjk_font"


def test_a_metric_chart_needs_a_metrics_frame() -> None:
    import pandas as pd

    from govdisclose.errors import GovDiscloseError

    with pytest.raises(GovDiscloseError) as info:
        plots.metric_chart(pd.DataFrame({"x": [1]}), "outcome_mix")
    assert info.value.code == "analysis.missing_column"
    frame = pd.DataFrame({"metric": ["outcome_mix"], "value": [0.5]})
    with pytest.raises(GovDiscloseError) as info:
        plots.metric_chart(frame, "on_time_reply_rate")
    assert info.value.code == "analysis.missing_metric"


def test_the_chart_needs_the_timeliness_table() -> None:
    import pandas as pd

    from govdisclose.errors import GovDiscloseError

    with pytest.raises(GovDiscloseError, match="on_time_rate"):
        plots.timeliness_chart(pd.DataFrame({"x": [1]}))
