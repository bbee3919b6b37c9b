"""The value types of the statutory clocks: which clock, its due date with the steps that
explain it, its state on a day, and the problem of an item that could not be computed.

They are values only (no calendar arithmetic), in a neutral home below the deadline engine
(`govdisclose.deadlines`), the daily job (`govdisclose.daily`) and the notifications
(`govdisclose.notifications`), so that each of them imports them without importing the others.
`govdisclose.deadlines` re-exports every name.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from attrs import frozen

from govdisclose.errors import CalendarDataMissing, GovDiscloseError
from govdisclose.params import Citation

__all__ = [
    "FACT_STEPS",
    "Clock",
    "ClockState",
    "ClockStatus",
    "Deadline",
    "HourDeadline",
    "ItemProblem",
    "PauseCause",
    "Span",
    "Step",
    "StepKind",
]


class PauseCause(enum.Enum):
    """Why the clock stood still."""

    THIRD_PARTY = "third_party"
    CO_PRODUCER = "co_producer"
    FEE = "fee"

    @property
    def label(self) -> str:
        """The cause as a clerk reads it."""
        return _PAUSE_LABEL[self]


_PAUSE_LABEL = {
    PauseCause.THIRD_PARTY: "征求第三方意见",
    PauseCause.CO_PRODUCER: "征求其他机关意见",
    PauseCause.FEE: "等待缴纳信息处理费",
}


@frozen
class Span:
    """Days ``start`` to ``end`` (both included) on which a clock did not run."""

    start: date
    end: date
    cause: PauseCause
    note: str = ""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


class StepKind(enum.Enum):
    """What a step of a deadline's explanation records."""

    START = "start"
    RESTART = "restart"
    SKIP_HOLIDAY = "skip_holiday"
    SKIP_WEEKEND = "skip_weekend"
    MAKEUP_DAY = "makeup_day"
    PAUSE = "pause"
    BASE_DUE = "base_due"
    EXTENSION = "extension"
    EXTENSION_CLAMPED = "extension_clamped"
    EXTENSION_LATE = "extension_late"
    NOTE = "note"
    DUE = "due"
    PROVISIONAL = "provisional"


#: Steps that come from the facts (events) and survive a recomputation with a new calendar; the
#: others are derived from the calendar and are rebuilt.
FACT_STEPS = frozenset(
    {
        StepKind.START,
        StepKind.RESTART,
        StepKind.EXTENSION_CLAMPED,
        StepKind.EXTENSION_LATE,
        StepKind.NOTE,
    }
)


@frozen
class Step:
    """One line of "为什么是这一天": what happened on ``day`` (to ``until``), how many working
    days it added or excluded, the rule in Chinese and the article it applies."""

    kind: StepKind
    day: date | None
    rule: str
    days: int = 0
    until: date | None = None
    article: str | None = None

    def describe(self) -> str:
        """The step as one line of Chinese."""
        if self.day is None:
            when = ""
        elif self.until is not None and self.until != self.day:
            when = f"{self.day.isoformat()}至{self.until.isoformat()}："
        else:
            when = f"{self.day.isoformat()}："
        basis = f"（{self.article}）" if self.article else ""
        return f"{when}{self.rule}{basis}"


class Clock(enum.Enum):
    """Which statutory or local clock a deadline belongs to."""

    REPLY = "reply"
    CORRECTION_NOTICE = "correction_notice"
    PROACTIVE = "proactive"
    INQUIRY = "inquiry"
    FEE_PAYMENT = "fee_payment"
    THIRD_PARTY = "third_party"
    CO_PRODUCER = "co_producer"
    OPINION_INFO = "opinion_info"
    OPINION_PRESS = "opinion_press"
    OPINION_RESPONSE = "opinion_response"

    @property
    def label(self) -> str:
        """The clock as a clerk names it."""
        return _CLOCK_LABEL[self]


_CLOCK_LABEL = {
    Clock.REPLY: "答复期限",
    Clock.CORRECTION_NOTICE: "补正告知期限",
    Clock.PROACTIVE: "主动公开期限",
    Clock.INQUIRY: "咨询投诉办理期限",
    Clock.FEE_PAYMENT: "缴费期限",
    Clock.THIRD_PARTY: "第三方意见期限",
    Clock.CO_PRODUCER: "其他机关意见期限",
    Clock.OPINION_INFO: "舆情权威信息发布时限",
    Clock.OPINION_PRESS: "舆情新闻发布会时限",
    Clock.OPINION_RESPONSE: "舆情回应时限",
}


@frozen
class Deadline:
    """A computed due date with everything needed to check it by hand.

    ``start`` is the trigger day (not counted); ``due`` the last day to act; ``limit_days`` the
    statutory limit and ``extension_days`` the extension applied; ``paused`` the merged spans not
    counted; ``steps`` the explanation in order. ``provisional`` is true when a counted day lies
    where the calendar's data are not final (``assumption`` then says what was assumed).
    """

    clock: Clock
    start: date
    due: date
    limit_days: int
    extension_days: int
    paused: tuple[Span, ...]
    provisional: bool
    assumption: str | None
    legal_basis: tuple[Citation, ...]
    calendar_version: str
    steps: tuple[Step, ...]

    @property
    def counted_days(self) -> int:
        """The working days counted: the limit plus the extension."""
        return self.limit_days + self.extension_days

    def explain(self) -> str:
        """为什么是这一天: the computation in Chinese, one step per line, for a clerk."""
        head = (
            f"{self.clock.label}：{self.due.isoformat()}"
            f"（自{self.start.isoformat()}的次日起算{self.counted_days}个工作日）"
        )
        lines = [head]
        lines += [f"{i}. {step.describe()}" for i, step in enumerate(self.steps, 1)]
        if self.legal_basis:
            # Two citations of one article (the reply limit and the extension both come from
            # art. 33) are one basis to the reader.
            cited = dict.fromkeys(f"{c.regulation}{c.article}" for c in self.legal_basis)
            lines.append("依据：" + "；".join(cited))
        lines.append(f"日历版本：{self.calendar_version}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The deadline as a notebook shows it: the due date, then `explain` as a table."""
        from html import escape

        flag = "（临时日历，待国务院通知确认）" if self.provisional else ""
        rows = "".join(
            f"<tr><td>{i}</td><td>{escape(s.day.isoformat() if s.day else '')}</td>"
            f"<td>{escape(s.rule)}</td><td>{escape(s.article or '')}</td></tr>"
            for i, s in enumerate(self.steps, 1)
        )
        basis = "；".join(dict.fromkeys(f"{c.regulation}{c.article}" for c in self.legal_basis))
        return (
            f'<div lang="zh-CN"><p><strong>{escape(self.clock.label)}：'
            f"{self.due.isoformat()}</strong>{escape(flag)}（自{self.start.isoformat()}的次日起算"
            f"{self.counted_days}个工作日）</p>"
            "<table><thead><tr><th>#</th><th>日期</th><th>依据的事实与规则</th><th>条款</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
            f"<p>依据：{escape(basis)}；日历版本：{escape(self.calendar_version)}</p></div>"
        )


class ClockState(enum.Enum):
    """Where a clock stands on a day."""

    NOT_STARTED = "not_started"
    PENDING = "pending"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    MISSED = "missed"
    STOPPED = "stopped"
    ENDED = "ended"
    UNDETERMINED = "undetermined"

    @property
    def label(self) -> str:
        """The state in Chinese."""
        return _STATE_LABEL[self]


_STATE_LABEL = {
    ClockState.NOT_STARTED: "未起算",
    ClockState.PENDING: "办理中",
    ClockState.DUE_SOON: "即将到期",
    ClockState.OVERDUE: "已逾期",
    ClockState.MET: "按期办结",
    ClockState.MISSED: "逾期办结",
    ClockState.STOPPED: "暂停计算",
    ClockState.ENDED: "已终止",
    ClockState.UNDETERMINED: "无法计算",
}


@frozen
class ClockStatus:
    """The state of one clock on ``as_of``.

    ``working_days_left`` counts working days in ``(as_of, due]`` (0 on the due day) while the
    clock is open; ``working_days_late`` counts working days in ``(due, as_of]`` when overdue, or
    ``(due, done_on]`` when acted on late. ``STOPPED`` means the clock is not running on
    ``as_of`` (awaiting a corrected application, a consultation reply or a fee); ``ENDED`` that
    the matter closed without the act the clock is for (withdrawn, deemed withdrawn).
    """

    clock: Clock
    state: ClockState
    as_of: date
    due: date | None
    working_days_left: int | None = None
    working_days_late: int | None = None
    done_on: date | None = None
    provisional: bool = False
    reason: str | None = None


@frozen
class ItemProblem:
    """Why one item of a batch has no result, reported next to the results of all the others.

    ``subject`` says what the item is (``"application"``, ``"record"``, ``"inquiry"``,
    ``"opinion"``) and ``subject_id`` which one; ``clock`` the clock that could not be computed
    (``None`` when the whole item failed); ``code`` the error code (``calendar.data_missing``
    when a year has no holiday data) and ``year`` that year; ``index`` the item's position in
    the input, where the batch keeps input order. ``advice_zh`` / ``advice_en`` say what to do;
    ``party`` names the consulted party of a third-party window.
    """

    subject_id: str
    code: str
    message_zh: str
    message_en: str
    subject: str = "application"
    clock: Clock | None = None
    year: int | None = None
    index: int | None = None
    advice_zh: str = ""
    advice_en: str = ""
    party: str | None = None

    @classmethod
    def from_error(
        cls,
        subject_id: str,
        error: GovDiscloseError,
        *,
        index: int | None = None,
        subject: str = "application",
        clock: Clock | None = None,
        party: str | None = None,
    ) -> ItemProblem:
        """The problem an error raised for one item stands for."""
        year = getattr(error, "year", None)
        advice_zh = advice_en = ""
        if isinstance(error, CalendarDataMissing) and isinstance(year, int):
            advice_zh, advice_en = CalendarDataMissing.advice((year,))
        return cls(
            subject_id=subject_id,
            code=error.code,
            message_zh=error.message_zh,
            message_en=error.message_en,
            subject=subject,
            clock=clock,
            year=year if isinstance(year, int) else None,
            index=index,
            advice_zh=advice_zh,
            advice_en=advice_en,
            party=party,
        )

    def describe(self) -> str:
        """The problem in one line of Chinese (what failed, why, what to do)."""
        what = self.clock.label if self.clock is not None else "期限"
        if self.code == CalendarDataMissing.default_code and self.year is not None:
            # The error's own message already ends in advice; say it once, shortly.
            reason = f"缺少{self.year}年的节假日数据"
            return f"{self.subject_id}（{what}）无法计算：{reason}；{self.advice_zh}"
        advice = f"；{self.advice_zh}" if self.advice_zh else ""
        return f"{self.subject_id}（{what}）无法计算：{self.message_zh}{advice}"


@frozen
class HourDeadline:
    """A limit counted in hours (public opinion), with aware Asia/Shanghai datetimes."""

    clock: Clock
    start: datetime
    due: datetime
    hours: int
    legal_basis: tuple[Citation, ...]
    done_at: datetime | None
    met: bool | None

    def explain(self) -> str:
        """The limit in Chinese."""
        done = "" if self.done_at is None else f"；实际 {self.done_at.isoformat()}"
        return (
            f"{self.clock.label}：{self.due.isoformat()}（自{self.start.isoformat()}起{self.hours}"
            f"小时{done}）依据："
            + "；".join(f"{c.regulation}{c.article}" for c in self.legal_basis)
        )
