"""Seeded synthetic press events for the demo, tests and notebooks.

The government office holds a conference in most quarters and skips one, departments' heads
attend some of them, and one department's head never does, so that `govdisclose.press.behind`
has something to show. The same arguments give the same events.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from govdisclose.model import Agency
from govdisclose.press._model import Attendee, AttendeeRole, PressEvent, PressEventKind
from govdisclose.vocab import AgencyKind

__all__ = ["generate_press_events"]

_TOPICS = (
    "一季度经济运行情况",
    "民生实事项目进展",
    "城乡居民医疗保险缴费政策",
    "老旧小区改造",
    "义务教育招生政策",
    "优化营商环境举措",
    "防汛抗旱工作",
    "安全生产专项整治",
)
_SURNAMES = "王李张刘陈杨赵黄周吴"


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(("某", "某某"))


def generate_press_events(
    agencies: Sequence[Agency],
    year: int,
    *,
    until: date | None = None,
    seed: int = 2025,
    skip_quarter: int = 3,
) -> tuple[PressEvent, ...]:
    """Press events of ``year`` (none after ``until``): a conference of the government office
    in every quarter but ``skip_quarter`` (1-4; 0 skips none), each with one or two departments'
    principal heads (never the last department's), and online interviews of the departments."""
    rng = random.Random(seed)
    offices = [a for a in agencies if a.kind is AgencyKind.GOVERNMENT]
    departments = [a for a in agencies if a.kind is AgencyKind.DEPARTMENT]
    attending = departments[:-1] if len(departments) > 1 else []
    last = until or date(year, 12, 31)
    out: list[PressEvent] = []
    for office in offices:
        for quarter in range(1, 5):
            if quarter == skip_quarter:
                continue
            start = date(year, 3 * quarter - 2, 1)
            held = start + timedelta(days=rng.randrange(20, 80))
            if held > last:
                continue
            heads = rng.sample(attending, k=min(len(attending), rng.choice((1, 2))))
            topic = rng.choice(_TOPICS)
            out.append(
                PressEvent(
                    id=f"{office.code}-press-{year}-q{quarter}",
                    agency=office.code,
                    kind=PressEventKind.PRESS_CONFERENCE,
                    held_on=held,
                    title=f"{office.name}新闻发布会（{topic}）",
                    topics=(topic,),
                    attendees=(
                        Attendee(_name(rng), AttendeeRole.SPOKESPERSON),
                        *(Attendee(_name(rng), AttendeeRole.PRINCIPAL_HEAD, d.code) for d in heads),
                    ),
                )
            )
    for i, dept in enumerate(departments):
        for n in range(rng.randrange(1, 4)):
            held = date(year, 1, 1) + timedelta(days=rng.randrange(0, 365))
            if held > last:
                continue
            role = AttendeeRole.PRINCIPAL_HEAD if rng.random() < 0.4 else AttendeeRole.DEPUTY_HEAD
            topic = rng.choice(_TOPICS)
            out.append(
                PressEvent(
                    id=f"{dept.code}-online-{year}-{n + 1}",
                    agency=dept.code,
                    kind=PressEventKind.ONLINE_INTERVIEW,
                    held_on=held,
                    title=f"{dept.name}在线访谈：{topic}",
                    topics=(topic,),
                    attendees=(Attendee(_name(rng), role),),
                )
            )
        del i
    return tuple(sorted(out, key=lambda ev: (ev.held_on, ev.id)))
