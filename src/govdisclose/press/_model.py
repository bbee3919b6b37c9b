"""Press conferences and interviews (新闻发布会、吹风会、媒体采访、在线访谈): frozen values.

Seed 000 §(一) asks the county government office and its spokesperson for at least one press
conference a quarter and the principal heads of the departments listed in its 附件1 to attend
at least one a year; seed 004 §三 counts them in the annual report's narrative (新闻发布会29次，
其中主要负责同志参加25次；在线访谈97次 ...). A `PressEvent` is one of them: its date, the host
unit, who attended in which role (`Attendee`: the unit's principal head 主要负责人, a deputy
head 分管负责人, the spokesperson 新闻发言人), its topics, and the records and interpretations
it presented (by record id). It is stored whole as the kept item ``"press.event"``; a
correction is a new version written with the expected version, not an event history (what
happened at a conference is one fact, recorded after it).
"""

from __future__ import annotations

from datetime import date

from attrs import field, frozen

from govdisclose.errors import ValidationError
from govdisclose.model import _instance, _not_blank, _opt_str, _optional, _tuple, _tuple_of
from govdisclose.store.kinds import ItemKind, register
from govdisclose.vocab import CodedEnum

__all__ = [
    "PRESS_KIND",
    "Attendee",
    "AttendeeRole",
    "PressEvent",
    "PressEventKind",
]


class PressEventKind(CodedEnum):
    """What kind of appearance (seed 000 §(八): 网上发布消息、组织专家解读、召开新闻发布会、接受
    媒体专访; seed 004 §三 counts 新闻发布会 and 在线访谈 separately)."""

    PRESS_CONFERENCE = ("press_conference", "新闻发布会")
    BRIEFING = ("briefing", "新闻吹风会")
    INTERVIEW = ("interview", "接受媒体采访")
    ONLINE_INTERVIEW = ("online_interview", "在线访谈")


class AttendeeRole(CodedEnum):
    """In which capacity someone attended (seed 000 §(一): 主要负责同志; 国办发〔2016〕61号 三:
    相关部门负责人或新闻发言人应当出席)."""

    PRINCIPAL_HEAD = ("principal_head", "主要负责人")
    DEPUTY_HEAD = ("deputy_head", "分管负责人")
    SPOKESPERSON = ("spokesperson", "新闻发言人")
    OTHER = ("other", "其他人员")

    @property
    def speaks_for_unit(self) -> bool:
        """A head or the spokesperson: who 国办发〔2016〕61号 三 requires at a conference held
        to respond to public opinion (相关部门负责人或新闻发言人)."""
        return self is not AttendeeRole.OTHER


@frozen
class Attendee:
    """One person on the podium: name, role and the unit they speak for.

    :param unit: the agency code of the attendee's unit; ``None`` for the host unit itself. A
        department head at a conference the government office hosts (seed 000 §(一): 出席县政府
        办公室组织的新闻发布会) carries the department's code here.
    """

    name: str = field(validator=_not_blank)
    role: AttendeeRole = field(validator=_instance(AttendeeRole))
    unit: str | None = field(default=None, validator=_optional(_not_blank))

    def unit_or(self, host: str) -> str:
        """The attendee's unit, the host's when not given."""
        return self.unit if self.unit is not None else host


def _distinct(inst: object, att: object, value: tuple[str, ...]) -> None:
    name = getattr(att, "name", "ids")
    for i, item in enumerate(value):
        if not item.strip():
            raise ValidationError(
                f"{type(inst).__name__}.{name}[{i}] 不能为空",
                f"{type(inst).__name__}.{name}[{i}] must not be blank",
                field=f"{name}[{i}]",
                code="validation.blank",
            )
    if len(set(value)) != len(value):
        raise ValidationError(
            f"{type(inst).__name__}.{name} 有重复项：{value!r}",
            f"{type(inst).__name__}.{name} has duplicates: {value!r}",
            field=name,
            code="validation.duplicate",
        )


_ids = [_tuple_of(str), _distinct]


@frozen
class PressEvent:
    """A press conference, briefing or interview, held on ``held_on`` by ``agency``.

    :param agency: the host unit (主办单位), an agency code.
    :param topics: what it was about (发布主题), at least one.
    :param attendees: who spoke, each with role and unit.
    :param record_ids: the records (政府信息) it presented.
    :param interpretation_ids: the interpretations (政策解读) it presented, by record id.
    :param opinion_ids: the public-opinion cases it responded to (`govdisclose.opinion`).
    """

    id: str = field(validator=_not_blank)
    agency: str = field(validator=_not_blank)
    kind: PressEventKind = field(validator=_instance(PressEventKind))
    held_on: date = field(validator=_instance(date))
    title: str = field(validator=_not_blank)
    topics: tuple[str, ...] = field(converter=_tuple, validator=_ids)
    attendees: tuple[Attendee, ...] = field(
        default=(), converter=_tuple, validator=_tuple_of(Attendee)
    )
    record_ids: tuple[str, ...] = field(default=(), converter=_tuple, validator=_ids)
    interpretation_ids: tuple[str, ...] = field(default=(), converter=_tuple, validator=_ids)
    opinion_ids: tuple[str, ...] = field(default=(), converter=_tuple, validator=_ids)
    note: str | None = field(default=None, validator=_opt_str)

    def __attrs_post_init__(self) -> None:
        if not self.topics:
            raise ValidationError(
                "新闻发布须至少有一个主题",
                "a press event needs at least one topic",
                field="topics",
                code="press.no_topic",
            )
        seen = set()
        for i, person in enumerate(self.attendees):
            key = (person.name, person.unit_or(self.agency))
            if key in seen:
                raise ValidationError(
                    f"出席人 {person.name} 重复登记",
                    f"attendee {person.name} is listed twice",
                    field=f"attendees[{i}]",
                    code="validation.duplicate",
                )
            seen.add(key)

    def attended_by(self, unit: str, roles: frozenset[AttendeeRole] | None = None) -> bool:
        """Whether someone of ``unit`` (in one of ``roles``, any role when ``None``) attended."""
        return any(
            p.unit_or(self.agency) == unit and (roles is None or p.role in roles)
            for p in self.attendees
        )

    @property
    def principal_head_attended(self) -> bool:
        """Whether a principal head (of any unit) was on the podium (seed 004 §三 counts
        主要负责同志参加新闻发布会次数)."""
        return any(p.role is AttendeeRole.PRINCIPAL_HEAD for p in self.attendees)


#: The kept-item kind of press events (code ``"press.event"``).
PRESS_KIND = register(
    ItemKind(code="press.event", cls=PressEvent, label_zh="新闻发布", label_en="press event")
)
