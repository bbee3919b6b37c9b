"""Seeded synthetic public-opinion cases with valid histories, for the demo, tests, notebooks.

Most cases are answered in time; some answer late, some major ones never hold the press
conference, and the newest are still open, so that `govdisclose.opinion.overdue` has something
to show. The same arguments give the same cases.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from govdisclose._time import SHANGHAI
from govdisclose.opinion._lifecycle import apply_all
from govdisclose.opinion._model import (
    OpinionCase,
    OpinionCaseEvent,
    OpinionClosed,
    OpinionDetected,
    OpinionGrade,
    OpinionRegraded,
    OpinionResponded,
    OpinionSource,
    ResponseType,
)
from govdisclose.press import Attendee, AttendeeRole

__all__ = ["generate_opinion_cases"]

_SUMMARIES = (
    "网传某小区自来水浑浊，居民担心饮水安全",
    "某路段施工致交通拥堵，网民质疑未提前公告",
    "网帖称某校食堂食材过期",
    "某企业疑似夜间偷排废水引发关注",
    "网民误读城乡居民医保缴费新政",
    "暴雨致部分村庄受淹，网传救援不及时",
)
_GRADES = (
    (OpinionGrade.ESPECIALLY_MAJOR, 1),
    (OpinionGrade.MAJOR, 3),
    (OpinionGrade.LARGE, 4),
    (OpinionGrade.GENERAL, 6),
)


def generate_opinion_cases(
    agencies: Sequence[str],
    *,
    start: datetime,
    until: datetime,
    per_agency: int = 4,
    seed: int = 2025,
) -> tuple[OpinionCase, ...]:
    """``per_agency`` cases for each agency code, detected between ``start`` and ``until``
    (aware datetimes), with the events that had happened by ``until``."""
    rng = random.Random(seed)
    span = (until - start).total_seconds()
    out = []
    for agency in agencies:
        for n in range(per_agency):
            at = (start + timedelta(seconds=rng.uniform(0, span))).astimezone(SHANGHAI)
            at = at.replace(second=0, microsecond=0)
            grade = rng.choices([g for g, _ in _GRADES], weights=[w for _, w in _GRADES])[0]
            emergency = rng.random() < 0.7
            events: list[OpinionCaseEvent] = [
                OpinionDetected(
                    at=at,
                    grade=grade,
                    source=rng.choice(list(OpinionSource)),
                    summary=rng.choice(_SUMMARIES),
                    emergency=emergency,
                )
            ]
            if grade is OpinionGrade.LARGE and rng.random() < 0.3:
                events.append(
                    OpinionRegraded(
                        at=at + timedelta(hours=1),
                        grade=OpinionGrade.MAJOR,
                        emergency=True,
                        reason="研判升级：涉及人员受伤",
                    )
                )
            # Hours to the first release: mostly within the limit, sometimes well past it.
            first = rng.choice((1.5, 3, 4.5, 7, 30, 60))
            stalled = rng.random() < 0.15
            if not stalled:
                events.append(
                    OpinionResponded(
                        at=at + timedelta(hours=first),
                        type=ResponseType.RELEASE,
                        summary="通过政府网站、政务微博发布权威信息",
                        channel="政府网站",
                    )
                )
                if rng.random() < 0.6:
                    press_after = rng.choice((12, 20, 23.5, 30))
                    role = rng.choice((AttendeeRole.PRINCIPAL_HEAD, AttendeeRole.SPOKESPERSON))
                    events.append(
                        OpinionResponded(
                            at=at + timedelta(hours=max(press_after, first)),
                            type=ResponseType.PRESS_CONFERENCE,
                            summary="召开新闻发布会通报处置情况",
                            attendees=(Attendee(rng.choice("王李张刘") + "某", role),),
                        )
                    )
            latest = max(ev.at for ev in events) + timedelta(minutes=rng.randrange(1440, 5760))
            if not stalled and latest <= until:
                events.append(OpinionClosed(at=latest, note="已处置完毕"))
            events = [ev for ev in events if ev.at <= until]
            case = apply_all(OpinionCase(id=f"{agency}-yq-{n + 1:03d}", agency=agency), events)
            out.append(case)
    return tuple(out)
