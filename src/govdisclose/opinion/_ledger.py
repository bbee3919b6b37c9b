"""The opinion ledger (舆情回应台账) as rows: one per case, for a DataFrame or a spreadsheet.

``pandas.DataFrame(ledger_rows(cases, now, params=params)).rename(columns=LEDGER_COLUMNS)``
gives the ledger with its Chinese headings. Every value is a str, int, bool or None (times as
``YYYY-MM-DD HH:MM`` in Asia/Shanghai), so the rows go to Excel or CSV as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from govdisclose._time import SHANGHAI
from govdisclose.opinion._duties import OpinionDutyKind, _now, duties, findings
from govdisclose.opinion._lifecycle import status
from govdisclose.opinion._model import OpinionCase
from govdisclose.params import ParameterSet

__all__ = ["LEDGER_COLUMNS", "ledger_rows"]

#: The row keys, in order, with the ledger's Chinese column headings.
LEDGER_COLUMNS: dict[str, str] = {
    "case_id": "编号",
    "agency": "责任单位",
    "grade": "等级",
    "emergency": "涉及突发事件",
    "source": "来源",
    "summary": "舆情概要",
    "detected_at": "监测发现时间",
    "status": "状态",
    "first_response_at": "首次回应时间",
    "first_response_due": "首次回应时限",
    "first_response_state": "首次回应情况",
    "press_conference_at": "新闻发布会时间",
    "press_conference_due": "新闻发布会时限",
    "press_conference_state": "新闻发布会情况",
    "hours_late": "超时小时数",
    "responses": "回应次数",
    "response_types": "回应方式",
    "attendees": "出席人员",
    "closed_at": "办结时间",
    "findings": "问题",
}


def _t(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def ledger_rows(
    cases: Iterable[OpinionCase], now: datetime, *, params: ParameterSet
) -> list[dict[str, Any]]:
    """One row per detected case, ordered by detection time then id, with the state of each
    limit at ``now``. The first-response columns hold the 5-hour limit (or, for other opinion,
    the 48-hour one); the press-conference columns are empty when no 24-hour limit applies."""
    now = _now(now)
    rows = []
    detected = [c for c in cases if c.detected is not None]
    detected.sort(key=lambda c: (c.detected_at, c.id))
    for case in detected:
        det = case.detected
        assert det is not None  # filtered above
        assert case.grade is not None  # a detected case is graded
        by_kind = {d.kind: d for d in duties(case, params=params)}
        first = by_kind.get(OpinionDutyKind.FIRST_INFO) or by_kind.get(OpinionDutyKind.RESPONSE)
        press = by_kind.get(OpinionDutyKind.PRESS_CONFERENCE)
        late = max((d.hours_late(now) for d in by_kind.values()), default=0.0)
        people = dict.fromkeys(
            f"{p.name}（{p.role.label}）" for r in case.responses for p in r.attendees
        )
        closed = case.closed
        rows.append(
            {
                "case_id": case.id,
                "agency": case.agency,
                "grade": case.grade.label,
                "emergency": case.emergency,
                "source": det.source.label,
                "summary": det.summary,
                "detected_at": _t(det.at),
                "status": status(case).label,
                "first_response_at": _t(None if first is None else first.done_at),
                "first_response_due": _t(None if first is None else first.due),
                "first_response_state": None if first is None else first.state(now).label,
                "press_conference_at": _t(None if press is None else press.done_at),
                "press_conference_due": _t(None if press is None else press.due),
                "press_conference_state": None if press is None else press.state(now).label,
                "hours_late": round(late, 1),
                "responses": len(case.responses),
                "response_types": "、".join(dict.fromkeys(r.type.label for r in case.responses)),
                "attendees": "、".join(people),
                "closed_at": _t(None if closed is None else closed.at),
                "findings": "；".join(f.message_zh for f in findings(case)) or None,
            }
        )
    return rows
