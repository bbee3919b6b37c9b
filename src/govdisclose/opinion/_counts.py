"""One agency's public-opinion cases of a year, counted for the annual report's narrative."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from attrs import evolve, frozen

from govdisclose._time import SHANGHAI
from govdisclose.opinion._duties import DutyState, OpinionDutyKind, duties
from govdisclose.opinion._model import OpinionCase, ResponseType
from govdisclose.params import ParameterSet

__all__ = ["OpinionYear", "yearly_counts"]


@frozen
class OpinionYear:
    """One agency's cases detected in ``year`` (Asia/Shanghai).

    ``cases``: detected in the year; ``major``: those carrying the 5 h / 24 h limits (国办发
    〔2016〕61号 三); ``responded``: with at least one response; ``on_time``: every duty of its
    grade met by its due moment (a duty still open or overdue at the end of the records does not
    count); ``press_conferences``: responses held as a press conference.
    """

    agency: str
    year: int
    cases: int = 0
    major: int = 0
    responded: int = 0
    on_time: int = 0
    press_conferences: int = 0

    def figures(self) -> dict[str, int]:
        """The counts under stable keys (report-text placeholders such as ``{opinion.cases}``)."""
        return {
            "opinion.cases": self.cases,
            "opinion.major": self.major,
            "opinion.responded": self.responded,
            "opinion.on_time": self.on_time,
            "opinion.press_conferences": self.press_conferences,
        }

    def narrative(self) -> str:
        """The sentence a report's text quotes."""
        return (
            f"{self.year}年监测处置政务舆情{self.cases}起，其中重大舆情{self.major}起；"
            f"已回应{self.responded}起，其中按时回应{self.on_time}起"
        )


def yearly_counts(
    cases: Iterable[OpinionCase], year: int, *, params: ParameterSet
) -> list[OpinionYear]:
    """`OpinionYear` per agency (sorted by code) with a case detected in ``year``."""
    found: defaultdict[str, OpinionYear] = defaultdict(lambda: OpinionYear("", year))
    for case in cases:
        detected = case.detected
        if detected is None or detected.at.astimezone(SHANGHAI).year != year:
            continue
        owed = duties(case, params=params)
        # A duty met exactly at its due moment is on time (OpinionDuty.state); judged at the
        # last done moment, so a duty never done is not on time.
        met = all(d.done_at is not None and d.state(d.done_at) is DutyState.MET for d in owed)
        row = found[case.agency]
        found[case.agency] = evolve(
            row,
            agency=case.agency,
            cases=row.cases + 1,
            major=row.major + any(d.kind is OpinionDutyKind.PRESS_CONFERENCE for d in owed),
            responded=row.responded + bool(case.responses),
            on_time=row.on_time + met,
            press_conferences=row.press_conferences
            + sum(r.type is ResponseType.PRESS_CONFERENCE for r in case.responses),
        )
    return [found[a] for a in sorted(found)]
