"""The example notebook (docs/analysts/example.ipynb) runs on the demo data, cell after cell, in a
real kernel (nbclient), and draws its figures with Chinese labels.

The notebook is kept without outputs; here it is executed with its figures written to a
temporary directory (``$GOVDISCLOSE_NOTEBOOK_FIGURES``). Any output on stderr fails the test: a
"Glyph ... missing from font" warning from matplotlib (tofu) is one. With
``$GOVDISCLOSE_ARTIFACTS`` set, the executed notebook and its figures are copied there, for CI to
keep and a reviewer to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from govdisclose.analysis import METRICS

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")
pytest.importorskip("pandas")


NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "analysts" / "example.ipynb"
FIGURES = {
    "timeliness.png",
    "on_time_reply_rate.png",
    "inquiry_response.png",
    "outcome_mix.png",
    "median_reply_working_days.png",
}


def test_the_notebook_is_kept_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_the_example_notebook_runs_and_draws_its_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = tmp_path / "figures"
    monkeypatch.setenv("GOVDISCLOSE_NOTEBOOK_FIGURES", str(figures))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # a failing cell raises CellExecutionError, naming the cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]

    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, "".join(stderr)

    written = {p.name for p in figures.glob("*.png")}
    assert written == FIGURES
    for name in written:
        assert (figures / name).stat().st_size > 20_000, name
    shown = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(shown) == len(FIGURES), "each figure is shown in the notebook"

    text = "".join(o.text for o in outputs if o.output_type == "stream")
    assert "CJK font: " in text
    assert f"metrics: {sorted(m.code for m in METRICS)}" in text
    # The explained deadline is shown as HTML (Deadline._repr_html_) ...
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("期限届满日" in h for h in html)
    # So is the annual report (AnnualReport._repr_html_): its tables, with the agency's name.
    assert any("某市自然资源和规划局" in h and h.count("<table") >= 3 for h in html)

    keep = os.environ.get("GOVDISCLOSE_ARTIFACTS")
    if keep:
        target = Path(keep) / "notebook"
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target / NOTEBOOK.name)
        for name in written:
            shutil.copy(figures / name, target / name)
