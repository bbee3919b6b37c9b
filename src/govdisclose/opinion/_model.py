"""The public-opinion case (政务舆情) and its events: frozen values, validated at construction.

An event of public opinion is detected at a time (监测发现), graded, responded to in one or more
ways, and closed; the case is its tuple of events (`OpinionCase.events`), everything else is
derived (`govdisclose.opinion.duties`, `govdisclose.opinion.status`). Times are aware datetimes;
the duties read them in Asia/Shanghai.

Sources: seed 000 §(八) (舆情收集和回应机制: 网上发布消息、组织专家解读、召开新闻发布会、接受媒体
专访; 舆情分类分级回应机制), seed 001 §9, seed 002 §(十一), and the national notices 国办发〔2016〕
61号 and 国办发〔2016〕80号 (see ``govdisclose/params/data/local_opinion.toml``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, TypeAlias

import attrs
from attrs import field, frozen

from govdisclose.errors import ValidationError
from govdisclose.model import (
    _aware,
    _instance,
    _not_blank,
    _opt_str,
    _optional,
    _tuple,
    _tuple_of,
)
from govdisclose.press import Attendee
from govdisclose.vocab import CodedEnum

__all__ = [
    "OPINION_EVENT_TYPES",
    "OpinionCase",
    "OpinionCaseEvent",
    "OpinionClosed",
    "OpinionDetected",
    "OpinionGrade",
    "OpinionRegraded",
    "OpinionResponded",
    "OpinionSource",
    "ResponseType",
]


class OpinionGrade(CodedEnum):
    """The severity grade (分级), in the four levels of 突发事件 (《中华人民共和国突发事件应对法》
    第三条: 特别重大、重大、较大和一般四级), which the opinion notices use (国办发〔2016〕61号 三:
    涉及特别重大、重大突发事件的政务舆情)."""

    ESPECIALLY_MAJOR = ("especially_major", "特别重大")
    MAJOR = ("major", "重大")
    LARGE = ("large", "较大")
    GENERAL = ("general", "一般")


class OpinionSource(CodedEnum):
    """Where the agency learnt of it (seed 000 §(八): 互联网信息主管部门……定期发送监测报告，及时
    转请相关地方和部门关注; 政府信箱、网上咨询; seed 001 §5-6: 市长信箱、热线电话)."""

    MONITORING = ("monitoring", "网络舆情监测")
    REFERRAL = ("referral", "网信部门或上级转办")
    MEDIA = ("media", "媒体报道")
    WEBSITE = ("website", "政府网站、信箱留言")
    SOCIAL_MEDIA = ("social_media", "政务微博、微信")
    HOTLINE = ("hotline", "政务服务热线")
    OTHER = ("other", "其他")


class ResponseType(CodedEnum):
    """How the agency responded (seed 000 §(八); 国办发〔2016〕61号 三: 发布权威信息、召开新闻
    发布会或吹风会、接受媒体采访)."""

    RELEASE = ("release", "发布权威信息")
    INTERPRETATION = ("interpretation", "组织专家解读")
    PRESS_CONFERENCE = ("press_conference", "召开新闻发布会")
    BRIEFING = ("briefing", "召开新闻吹风会")
    INTERVIEW = ("interview", "接受媒体采访")

    @property
    def on_podium(self) -> bool:
        """A conference or briefing, where 国办发〔2016〕61号 三 requires a head or the
        spokesperson (相关部门负责人或新闻发言人应当出席)."""
        return self in (ResponseType.PRESS_CONFERENCE, ResponseType.BRIEFING)


@frozen(kw_only=True)
class OpinionDetected:
    """监测发现: the event is detected and graded; the hour limits run from ``at``.

    :param emergency: whether it concerns a 突发事件; the 5-hour and 24-hour limits apply to
        opinion about 特别重大、重大突发事件 only, every other opinion has 48 hours (国办发
        〔2016〕61号 三).
    """

    kind: ClassVar[str] = "detected"
    at: datetime = field(validator=_aware)
    grade: OpinionGrade = field(validator=_instance(OpinionGrade))
    source: OpinionSource = field(validator=_instance(OpinionSource))
    summary: str = field(validator=_not_blank)
    emergency: bool = field(default=True, validator=_instance(bool))
    url: str | None = field(default=None, validator=_opt_str)
    actor: str | None = field(default=None, validator=_opt_str)
    note: str | None = field(default=None, validator=_opt_str)


@frozen(kw_only=True)
class OpinionRegraded:
    """研判: the grade (or whether it concerns an emergency) changed. The limits still run from
    detection: escalating late does not buy time [I: the notices count from the event]."""

    kind: ClassVar[str] = "regraded"
    at: datetime = field(validator=_aware)
    grade: OpinionGrade = field(validator=_instance(OpinionGrade))
    emergency: bool = field(default=True, validator=_instance(bool))
    reason: str = field(validator=_not_blank)
    actor: str | None = field(default=None, validator=_opt_str)
    note: str | None = field(default=None, validator=_opt_str)


@frozen(kw_only=True)
class OpinionResponded:
    """回应: one response, its type and time, who spoke (with their roles), and what it linked
    to (records published, a stored press event).

    :param attendees: who spoke; at least one for a press conference or briefing.
    :param press_event_id: the stored `govdisclose.press.PressEvent` of a conference.
    """

    kind: ClassVar[str] = "responded"
    at: datetime = field(validator=_aware)
    type: ResponseType = field(validator=_instance(ResponseType))
    summary: str = field(validator=_not_blank)
    channel: str | None = field(default=None, validator=_opt_str)
    attendees: tuple[Attendee, ...] = field(
        default=(), converter=_tuple, validator=_tuple_of(Attendee)
    )
    record_ids: tuple[str, ...] = field(default=(), converter=_tuple, validator=_tuple_of(str))
    press_event_id: str | None = field(default=None, validator=_optional(_not_blank))
    actor: str | None = field(default=None, validator=_opt_str)
    note: str | None = field(default=None, validator=_opt_str)

    def __attrs_post_init__(self) -> None:
        if self.type.on_podium and not self.attendees:
            raise ValidationError(
                f"{self.type.label}须登记出席人（负责人或新闻发言人）",
                f"a {self.type.code} response must list who attended (a head or the spokesperson)",
                field="attendees",
                code="opinion.no_attendee",
            )


@frozen(kw_only=True)
class OpinionClosed:
    """办结: handling ended (``note``: the outcome). Nothing may follow."""

    kind: ClassVar[str] = "closed"
    at: datetime = field(validator=_aware)
    actor: str | None = field(default=None, validator=_opt_str)
    note: str | None = field(default=None, validator=_opt_str)


OpinionCaseEvent: TypeAlias = OpinionDetected | OpinionRegraded | OpinionResponded | OpinionClosed

#: Every event class, in the order of a typical history.
OPINION_EVENT_TYPES: tuple[type[OpinionCaseEvent], ...] = (
    OpinionDetected,
    OpinionRegraded,
    OpinionResponded,
    OpinionClosed,
)


@frozen
class OpinionCase:
    """A public-opinion case: id, the responsible agency (涉事责任部门, 第一责任主体 under 国办发
    〔2016〕61号 一) and its history. Build it with `govdisclose.opinion.apply`, which checks
    each event may follow."""

    id: str = field(validator=_not_blank)
    agency: str = field(validator=_not_blank)
    events: tuple[OpinionCaseEvent, ...] = field(
        default=(), converter=_tuple, validator=_tuple_of(OPINION_EVENT_TYPES)
    )

    @property
    def detected(self) -> OpinionDetected | None:
        """The detection event (the first), if recorded."""
        first = self.events[0] if self.events else None
        return first if isinstance(first, OpinionDetected) else None

    @property
    def detected_at(self) -> datetime | None:
        """When it was detected."""
        return None if self.detected is None else self.detected.at

    @property
    def grade(self) -> OpinionGrade | None:
        """The current grade (the latest grading)."""
        return self._grading()[0]

    @property
    def emergency(self) -> bool:
        """Whether, as currently graded, it concerns a 突发事件."""
        return self._grading()[1]

    def _grading(self) -> tuple[OpinionGrade | None, bool]:
        grade: OpinionGrade | None = None
        emergency = False
        for ev in self.events:
            if isinstance(ev, OpinionDetected | OpinionRegraded):
                grade, emergency = ev.grade, ev.emergency
        return grade, emergency

    @property
    def responses(self) -> tuple[OpinionResponded, ...]:
        """The responses, in the order recorded."""
        return tuple(ev for ev in self.events if isinstance(ev, OpinionResponded))

    @property
    def closed(self) -> OpinionClosed | None:
        """The closing event, if any."""
        last = self.events[-1] if self.events else None
        return last if isinstance(last, OpinionClosed) else None

    def evolve(self, **changes: Any) -> OpinionCase:
        """A copy with ``changes`` (the validators run again)."""
        return attrs.evolve(self, **changes)
