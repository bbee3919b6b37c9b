"""DataFrames, metrics and plots for analysts in notebooks (optional extra:
``govdisclose[analysis]``; plots ``govdisclose[plot]``).

* frames (`applications_frame`, `records_frame`) and the tables computed from them
  (`outcome_table`, `timeliness`), with agency names from ``agencies=``; `deadlines_frame`,
  the reply clocks of a store's columns (`govdisclose.store.reply_facts`) without objects;
* metrics by agency and period (`metrics`, a tidy frame; `metric_observations`, the items
  behind each value), each a `Metric` with a written definition and a minimum sample
  (`METRICS`, `metric_definitions`);
* `govdisclose.analysis.plots`: figures with Chinese labels that render (a CJK font found, and
  matplotlib's font cache rebuilt when a font was installed after it was built).

.. versionchanged:: 0.2.0 a package (it was one module); every 0.1.0 name imports from here as
   before.
"""

from __future__ import annotations

from govdisclose.analysis._frames import (
    agency_names,
    applications_frame,
    deadlines_frame,
    outcome_table,
    records_frame,
    timeliness,
)
from govdisclose.analysis._metrics import (
    METRICS,
    PERIODS,
    Metric,
    metric,
    metric_definitions,
    metric_observations,
    metrics,
)

__all__ = [
    "METRICS",
    "PERIODS",
    "Metric",
    "agency_names",
    "applications_frame",
    "deadlines_frame",
    "metric",
    "metric_definitions",
    "metric_observations",
    "metrics",
    "outcome_table",
    "records_frame",
    "timeliness",
]
