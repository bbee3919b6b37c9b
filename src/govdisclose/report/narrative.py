"""The counts an annual report's text quotes that are not in its tables.

The 2021 format's tables count documents, applications and remedies; the narrative (一、总体情况)
also reports the office's other work with the public, in sentences such as seed 004 §三's
"举办新闻发布会29次" or a 政务信息查询 count. `narrative_figures` counts them from the kept
items of a store, so a report text can say ``{press.conferences}`` or ``{inquiries.received}``
and `govdisclose.report.build_annual_report` (``figures=``) fills them in like a cell:

* ``inquiries.*``: `govdisclose.inquiries.InquiryYear` (received first, answered, answered on
  time, late without 说明情况, forwarded, complaints, ratings and satisfied);
* ``press.*``: `govdisclose.press.PressCounts` (press conferences, with the principal head,
  briefings, interviews, online interviews);
* ``opinion.*``: `govdisclose.opinion.OpinionYear` (cases, major ones, responded, on time,
  press conferences held in response).

An agency with nothing of a kind in the year gets zeros: the sentence then says 0, which is
what happened, rather than failing.

>>> from govdisclose.testing import MemoryStore
>>> from govdisclose.testing.builders import agency
>>> from govdisclose.calendar import WorkCalendar
>>> from govdisclose.params import ParameterSet
>>> store = MemoryStore()
>>> store.put_agency(agency("AG1"))
>>> figures = narrative_figures(
...     store, "AG1", 2026, params=ParameterSet.default(), calendar=WorkCalendar.default()
... )
>>> figures["press.conferences"], figures["inquiries.received"], figures["opinion.cases"]
(0, 0, 0)
"""

from __future__ import annotations

from govdisclose.calendar import WorkCalendar
from govdisclose.inquiries import InquiryCase, InquiryYear, yearly_counts as inquiry_counts
from govdisclose.opinion import OpinionCase, OpinionYear, yearly_counts as opinion_counts
from govdisclose.params import ParameterSet
from govdisclose.press import PressEvent, yearly_counts as press_counts
from govdisclose.store import Store

__all__ = ["FIGURE_NAMES", "narrative_figures"]

_INQUIRY_FIELDS = (
    "received",
    "answered",
    "answered_on_time",
    "late_unexplained",
    "forwarded",
    "complaints",
    "complaints_handled",
    "complaints_on_time",
    "ratings",
    "satisfied",
)


def narrative_figures(
    store: Store, agency: str, year: int, *, params: ParameterSet, calendar: WorkCalendar
) -> dict[str, int]:
    """Every ``inquiries.*``, ``press.*`` and ``opinion.*`` count of ``agency`` in ``year``
    (`FIGURE_NAMES`), from the store's kept items.

    :raises NotFound: the agency is not stored.
    """
    store.get_agency(agency)
    inquiries = next(
        (
            row
            for row in inquiry_counts(
                store.items(InquiryCase), year, params=params, calendar=calendar
            )
            if row.agency == agency
        ),
        InquiryYear(agency, year),
    )
    opinion = next(
        (
            row
            for row in opinion_counts(store.items(OpinionCase, agency=agency), year, params=params)
        ),
        OpinionYear(agency, year),
    )
    press = press_counts(store.items(PressEvent, agency=agency), year, agency=agency)
    figures = {f"inquiries.{name}": int(getattr(inquiries, name)) for name in _INQUIRY_FIELDS}
    figures.update(press.figures())
    figures.update(opinion.figures())
    return figures


#: The names `narrative_figures` gives, for a template editor's list of placeholders.
FIGURE_NAMES: tuple[str, ...] = (
    *(f"inquiries.{name}" for name in _INQUIRY_FIELDS),
    *(
        "press.conferences",
        "press.conferences_principal",
        "press.briefings",
        "press.interviews",
        "press.online_interviews",
        "press.online_interviews_principal",
    ),
    *OpinionYear("", 0).figures(),
)
