"""Builders of test data: one line per agency, record, application or working-day calendar.

Every builder returns a real, frozen model object (or a real `govdisclose.calendar.WorkCalendar`)
with defaults good enough for a test that does not care about a field, and keywords for the
fields it does care about::

    from datetime import date
    from govdisclose.testing.builders import agency, application, record

    store.put_agency(agency("AG1"))
    store.put_record(record("R1", agency="AG1"))
    store.create_application(application("A1", received=date(2025, 3, 3)))
    answered = application("A2", received=date(2025, 3, 3), replied=date(2025, 3, 20))

The application builder does not replay the history through `govdisclose.lifecycle`: a test may
need an impossible history (to see a store refuse it), and the stores replay what they are given.

The generators make many applications with valid, varied histories, deterministic for a seed:

* `sample_applications`: the load-test mix (about 5 events each, several agencies), what the
  ``govdisclose-sql`` tests and ``benchmarks/bench_store.py`` import;
* `deadline_population`: the deadline mix (corrections, consultations, fees, confirmation days,
  events after the day of the status), what ``benchmarks/bench_deadlines.py`` measures.

`govdisclose.synthetic` is the third generator: a year of work of a reporting tree in the
proportions of published annual reports, for the demo, notebooks and report tests.

Importing this module imports neither pytest nor the calendar data; `fixed_calendar` loads the
calendar when called.
"""

from __future__ import annotations

import contextlib
import random
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from govdisclose.errors import CalendarError
from govdisclose.model import (
    Agency,
    Applicant,
    Application,
    AttributeDecision,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Event,
    Extended,
    FeeNotified,
    FeePaid,
    Publication,
    Received,
    Record,
    Replied,
    ReviewCaseFiled,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Transferred,
    Withdrawn,
)
from govdisclose.vocab import (
    AgencyKind,
    AgencyLevel,
    ApplicantType,
    Channel,
    DisclosureAttribute,
    DisclosureScope,
    FeeMethod,
    Outcome,
    PublicationChannel,
    ReviewCaseKind,
    ReviewStatus,
    WithdrawalCause,
)

if TYPE_CHECKING:
    from govdisclose.calendar import Policy, WorkCalendar

__all__ = [
    "SHANGHAI",
    "agencies_of",
    "agency",
    "application",
    "deadline_population",
    "fixed_calendar",
    "record",
    "sample_applications",
]

#: UTC+8 as a fixed offset: test data must not depend on the tz database being installed.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

#: The day records are formed on unless a test says otherwise.
_FORMED_ON = date(2022, 2, 14)


# -- one object each ----------------------------------------------------------------------------


def agency(
    code: str = "AG1",
    *,
    name: str | None = None,
    level: AgencyLevel = AgencyLevel.COUNTY,
    kind: AgencyKind = AgencyKind.DEPARTMENT,
    parent: str | None = None,
) -> Agency:
    """An agency with that code: by default a county-level department, named after its code."""
    return Agency(
        code=code,
        name=name or f"{code} 县政务服务数据管理局",
        level=level,
        kind=kind,
        parent=parent,
    )


def agencies_of(*groups: Iterable[Application | Record]) -> list[Agency]:
    """One `agency` for every agency code the applications or records name, in first-seen
    order: what a test stores first, since every store refuses an application or a record of
    an agency it does not know (``store.unknown_agency``).

    >>> [a.code for a in agencies_of([application("A1", agency="X")], [record(agency="Y")])]
    ['X', 'Y']
    """
    codes: dict[str, None] = {}
    for group in groups:
        for item in group:
            codes.setdefault(item.agency, None)
    return [agency(code) for code in codes]


def record(
    id: str = "R1",
    *,
    agency: str = "AG1",
    title: str | None = None,
    formed_on: date = _FORMED_ON,
    published: Sequence[datetime] = (),
    **fields: Any,
) -> Record:
    """A record that may be published: proactive (主动公开, decided by 办公室 on ``formed_on``),
    review passed, with an index number.

    ``published`` gives one portal `Publication` per (timezone-aware) datetime, in that order,
    with the scope of the record's last decision. Any other `Record` field can be given by name
    (``kind=``, ``decisions=``, ``topic=``...) and replaces the default.
    """
    values: dict[str, Any] = {
        "index_number": f"11330000-{id}",
        "decisions": (
            AttributeDecision(
                attribute=DisclosureAttribute.PROACTIVE, decided_by="办公室", decided_on=formed_on
            ),
        ),
        "review_status": ReviewStatus.PASSED,
        "reviewed_by": "办公室",
        "reviewed_on": formed_on,
        **fields,
    }
    decisions: Sequence[AttributeDecision] = values["decisions"]
    scope = decisions[-1].scope if decisions else DisclosureScope.FULL
    if published:
        values["publications"] = tuple(
            Publication(
                publisher="portal",
                channel=PublicationChannel.PORTAL,
                published_at=at,
                url=f"https://example.gov.cn/{id}/{i}",
                scope=scope,
            )
            for i, at in enumerate(published)
        )
    return Record(
        id=id, title=title or f"关于{id}的通知", agency=agency, formed_on=formed_on, **values
    )


def application(
    id: str = "A1",
    *,
    agency: str = "AG1",
    received: date | None = None,
    confirmed_on: date | None = None,
    events: Iterable[Event] = (),
    replied: date | None = None,
    outcome: Outcome = Outcome.DISCLOSED,
    applicant: ApplicantType | Applicant = ApplicantType.NATURAL_PERSON,
    channel: Channel = Channel.IN_PERSON,
    request: str | None = None,
) -> Application:
    """An application whose history is ``Received(received)``, then ``events``, then a reply.

    * ``received``: the day it arrived (``confirmed_on``: the day receipt was confirmed, for the
      channels of 条例 art. 31); without it the history is ``events`` alone, so
      ``application("A1")`` is an application nothing has happened to yet (version 0);
    * ``replied``: the day of a closing reply of ``outcome``, appended after ``events``;
    * ``applicant``: an `ApplicantType` (a natural person 张三 or a company is made up) or a
      complete `Applicant`.

    The history is not replayed here (see the module docstring).
    """
    history: list[Event] = []
    if received is not None:
        history.append(Received(on=received, confirmed_on=confirmed_on))
    history.extend(events)
    if replied is not None:
        history.append(_reply(replied, outcome))
    return Application(
        id=id,
        agency=agency,
        applicant=applicant if isinstance(applicant, Applicant) else _applicant(applicant),
        channel=channel,
        request=request or f"申请公开 {id} 相关文件",
        events=tuple(history),
    )


def _reply(on: date, outcome: Outcome = Outcome.DISCLOSED) -> Replied:
    """The reply of ``outcome`` on ``on``, with the reasons and legal basis a reply carries."""
    return Replied(on=on, outcome=outcome, reasons="依法答复", legal_basis="条例第三十六条")


def _applicant(kind: ApplicantType) -> Applicant:
    person = kind is ApplicantType.NATURAL_PERSON
    return Applicant(
        type=kind,
        name="张三" if person else "某某有限公司",
        id_number="110101199003071234" if person else None,
        phone="13800000000",
    )


# -- working-day calendar -----------------------------------------------------------------------


def fixed_calendar(
    holidays: Iterable[date] = (),
    workdays: Iterable[date] = (),
    *,
    policy: Policy = "strict",
    name: str = "fixed_calendar",
    source: str = "测试用日历 / calendar fixed by a test",
) -> WorkCalendar:
    """The national `WorkCalendar` with ``holidays`` as extra rest days and ``workdays`` as extra
    working days: a real calendar, as a plugin's `govdisclose_calendar_overrides` would give it.

    Built as ``WorkCalendar.default(policy=policy).with_overrides(CalendarOverrides(...))``;
    ``name`` and ``source`` label the override in explanations. Every day must be a `date` (not
    a `datetime`) the calendar covers (with the strict policy, a year with an official
    schedule), and no day may be in both sets: anything else is a
    `govdisclose.errors.CalendarError` naming the argument, not an override silently ignored.
    """
    from govdisclose.calendar import CalendarOverrides, WorkCalendar

    rest = _days("holidays", holidays)
    work = _days("workdays", workdays)
    calendar = WorkCalendar.default(policy=policy).with_overrides(
        CalendarOverrides(name=name, source=source, holidays=rest, workdays=work)
    )
    for argument, days, working in (("holidays", rest, False), ("workdays", work, True)):
        for day in sorted(days):
            try:
                applied = calendar.is_workday(day) is working
            except CalendarError:
                applied = False
            if not applied:
                # Days outside the calendar's data are dropped by the override; a test that
                # relies on one would otherwise pass or fail for the wrong reason.
                first, last = calendar.covered
                strict = policy == "strict"
                raise CalendarError(
                    f"fixed_calendar 的 {argument} 中的 {day} 超出日历数据范围（已载入 "
                    f"{first}–{last} 年），无法生效；请改用已覆盖年份的日期"
                    + ("，或 policy='provisional'" if strict else ""),
                    f"fixed_calendar: {day} in {argument} is outside the calendar's data "
                    f"(loaded: {first}-{last}) and cannot take effect; use a day of a covered "
                    "year" + (", or policy='provisional'" if strict else ""),
                    field=argument,
                    code="calendar.invalid_override",
                )
    return calendar


def _days(argument: str, values: Iterable[object]) -> frozenset[date]:
    # A single string would otherwise become a set of its characters.
    days = frozenset([values]) if isinstance(values, str) else frozenset(values)
    for value in days:
        # datetime is a date subclass; a datetime here is a test that meant something else.
        if not isinstance(value, date) or isinstance(value, datetime):
            raise CalendarError(
                f"fixed_calendar 的 {argument} 只能包含 datetime.date，实际有 "
                f"{type(value).__name__}：{value!r}",
                f"fixed_calendar: {argument} must hold datetime.date values, got "
                f"{type(value).__name__}: {value!r}",
                field=argument,
                code="calendar.invalid_override",
            )
    return frozenset(d for d in days if isinstance(d, date))


# -- the load-test mix --------------------------------------------------------------------------

# Outcomes a reply may carry without a particular history (the others need a correction or fee
# notice first, see govdisclose.lifecycle).
_PLAIN_OUTCOMES = tuple(
    o
    for o in Outcome
    if o not in {Outcome.NO_CORRECTION, Outcome.UNCLEAR_AFTER_CORRECTION, Outcome.FEE_NOT_PAID}
)
# Weights: most applications are answered in full or in part, as in published annual reports.
_OUTCOME_WEIGHTS = tuple(
    30 if o is Outcome.DISCLOSED else 12 if o is Outcome.PARTIALLY_DISCLOSED else 2
    for o in _PLAIN_OUTCOMES
)
_APPLICANTS = tuple(ApplicantType)
_APPLICANT_WEIGHTS = tuple(80 if t is ApplicantType.NATURAL_PERSON else 4 for t in _APPLICANTS)
_CHANNELS = tuple(Channel)


def _sample_history(rng: random.Random, start: date) -> list[Event]:
    """One plausible history (about 5 events on average) starting on ``start``."""
    day = start
    events: list[Event] = [Received(on=day, actor="登记员")]

    def later(low: int, high: int) -> date:
        nonlocal day
        day = day + timedelta(days=rng.randint(low, high))
        return day

    path = rng.random()
    if rng.random() < 0.8:
        events.append(Transferred(on=later(0, 2), to="业务处室"))
    if path < 0.2:
        events.append(CorrectionRequested(on=later(1, 5), items="请说明所需信息的名称、文号"))
        if rng.random() < 0.15:
            events.append(DeemedWithdrawn(on=later(15, 30), cause=WithdrawalCause.NO_CORRECTION))
            return events
        events.append(CorrectionReceived(on=later(2, 10)))
    elif path < 0.55:
        parties = ("第三方企业", "相关机关")[: rng.randint(1, 2)]
        for party in parties:
            events.append(
                ThirdPartyConsulted(on=later(1, 5), party=party, is_agency=party == "相关机关")
            )
        for party in parties:
            events.append(ThirdPartyReplied(on=later(3, 15), party=party, consents=False))
    elif path < 0.62:
        amount = Decimal(rng.choice(("100", "300", "1000")))
        events.append(
            FeeNotified(on=later(3, 10), amount=amount, method=FeeMethod.PER_VOLUME, quantity=40)
        )
        if rng.random() < 0.25:
            events.append(DeemedWithdrawn(on=later(25, 35), cause=WithdrawalCause.FEE_NOT_PAID))
            return events
        events.append(FeePaid(on=later(1, 10), amount=amount))
    elif path < 0.66:
        events.append(Withdrawn(on=later(1, 10)))
        return events
    if rng.random() < 0.08:
        return events  # still being handled
    if rng.random() < 0.5:
        events.append(
            Extended(on=later(10, 20), days=20, reason="需要调档查阅", approved_by="办公室主任")
        )
    outcome = rng.choices(_PLAIN_OUTCOMES, _OUTCOME_WEIGHTS)[0]
    events.append(
        Replied(
            on=later(3, 20),
            outcome=outcome,
            reasons=None if outcome is Outcome.DISCLOSED else f"经审查，{outcome.label}",
            legal_basis="《条例》第三十六条",
        )
    )
    if rng.random() < 0.25:
        events.append(
            ReviewCaseFiled(
                on=later(10, 60),
                case_id=f"FY{rng.randrange(10**8):08d}",
                case_kind=ReviewCaseKind.RECONSIDERATION,
            )
        )
    return events


def sample_applications(
    count: int,
    *,
    agencies: Sequence[str] = ("AG01",),
    start: date = date(2021, 1, 1),
    days: int = 3 * 365,
    seed: int = 0,
) -> Iterator[Application]:
    """``count`` generated applications with valid, varied histories, for load tests.

    Deterministic for a given ``seed``; ids are ``A0000001``… in order; receipt days are spread
    over ``days`` days from ``start``, agencies round-robin. About 5 events each: most are
    transferred, a fifth need a correction, a third consult third parties, a few pay fees or
    withdraw, about 8 % are still open and a quarter of the replied ones go to review.
    """
    rng = random.Random(seed)
    for n in range(1, count + 1):
        applicant_type = rng.choices(_APPLICANTS, _APPLICANT_WEIGHTS)[0]
        yield application(
            f"A{n:07d}",
            agency=agencies[n % len(agencies)],
            applicant=Applicant(
                type=applicant_type,
                name="申请人" if applicant_type is ApplicantType.NATURAL_PERSON else "某单位",
                phone=f"1380000{n % 10000:04d}",
            ),
            channel=rng.choice(_CHANNELS),
            request="申请公开本机关2020年以来的征地补偿安置方案及批复文件",
            events=_sample_history(rng, start + timedelta(days=rng.randrange(days))),
        )


# -- the deadline mix ---------------------------------------------------------------------------

_DEADLINE_APPLICANT = Applicant(type=ApplicantType.NATURAL_PERSON, name="张三")
_DEADLINE_CHANNELS = (
    Channel.ONLINE,
    Channel.POST,
    Channel.IN_PERSON,
    Channel.ORDINARY_LETTER,
    Channel.EMAIL,
    Channel.FAX,
    Channel.OTHER,
)
_DEADLINE_CHANNEL_CUM = (55, 75, 87, 92, 97, 99)
_DEADLINE_OUTCOMES = (Outcome.DISCLOSED, Outcome.PARTIALLY_DISCLOSED, Outcome.NOT_HELD)
# Every outcome but full disclosure states its reasons (条例 2019 第三十六条、第三十七条).
_DEADLINE_REASONS = "依法说明理由"


def deadline_population(
    count: int,
    *,
    seed: int = 1,
    first: date = date(2024, 1, 2),
    as_of: date = date(2025, 11, 15),
    after: int = 30,
    agency: str = "某局",
    validate: bool = True,
) -> list[Application]:
    """``count`` applications with valid, varied histories for deadline computations.

    About 85 % plain histories (received, sometimes transferred or extended, then replied or
    withdrawn, a few taken to review), the rest with corrections (some never corrected),
    consultations (some unanswered, some of other agencies) or fees (some never paid); online,
    fax and ordinary-letter applications often carry a later confirmation day. Receipts are
    spread over ``first`` .. ``as_of``, and events up to ``after`` days past ``as_of`` are kept
    (so a status as of ``as_of`` must ignore them). Ids are ``A0000000``… in order, all of one
    ``agency`` and one natural-person applicant (shared, as rows loaded from a store would not
    be, but equal either way).

    A list, not an iterator: with ``validate=False`` the objects are built with attrs validators
    switched off (about a third faster, for a million applications in a benchmark), and that
    switch is process-wide, so it must not stay off while a caller iterates.
    """
    rng = random.Random(seed)
    rand = rng.random
    start = first.toordinal()
    span = as_of.toordinal() - start
    horizon = as_of.toordinal() + after
    day = date.fromordinal  # a date object per event, as a store loading rows would make
    apps: list[Application] = []
    with contextlib.nullcontext() if validate else attrs.validators.disabled():
        for i in range(count):
            o = start + int(rand() * span)
            channel = _DEADLINE_CHANNELS[bisect_right(_DEADLINE_CHANNEL_CUM, rand() * 100)]
            if channel.receipt_needs_confirmation and rand() < 0.3:
                arrived, o = o, o + int(rand() * 3)
                events: list[Event] = [Received(on=day(arrived), confirmed_on=day(o))]
            else:
                events = [Received(on=day(o))]
            _deadline_history(events, o, rng, horizon)
            apps.append(
                Application(
                    id=f"A{i:07d}",
                    agency=agency,
                    applicant=_DEADLINE_APPLICANT,
                    channel=channel,
                    request="某项目信息",
                    events=tuple(events),
                )
            )
    return apps


def _deadline_history(events: list[Event], o: int, rng: random.Random, horizon: int) -> None:
    """Append the events after receipt (receipt day ordinal ``o``) up to ``horizon``."""
    rand = rng.random

    def randint(lo: int, hi: int) -> int:  # random.randint is three Python calls deep
        return lo + int(rand() * (hi - lo + 1))

    def add(ordinal: int, make: type[Event], **kw: object) -> bool:
        if ordinal > horizon:
            return False
        events.append(make(on=date.fromordinal(ordinal), **kw))  # type: ignore[arg-type]
        return True

    r = rand()
    if r < 0.08:
        o += randint(1, 6)
        if not add(o, CorrectionRequested, items="请明确信息名称"):
            return
        if rand() < 0.2:
            add(o + 16, DeemedWithdrawn, cause=WithdrawalCause.NO_CORRECTION)
            return
        o += randint(1, 12)
        if not add(o, CorrectionReceived):
            return
    elif r < 0.13:
        o += randint(1, 8)
        party = f"第三方{randint(1, 99)}"
        if not add(o, ThirdPartyConsulted, party=party, is_agency=rand() < 0.2):
            return
        if rand() < 0.85:
            o += randint(3, 20)
            if not add(o, ThirdPartyReplied, party=party, consents=rand() < 0.6):
                return
    elif r < 0.145:
        o += randint(3, 12)
        if not add(o, FeeNotified, amount=1700, method=FeeMethod.PER_VOLUME, quantity=150):
            return
        if rand() < 0.4:
            add(o + 21, DeemedWithdrawn, cause=WithdrawalCause.FEE_NOT_PAID)
            return
        o += randint(1, 15)
        if not add(o, FeePaid, amount=1700):
            return
    if rand() < 0.05:
        o += randint(0, 3)
        if not add(o, Transferred, to="某处"):
            return
    if rand() < 0.07:
        o += randint(10, 25)
        if not add(
            o, Extended, days=30 if rand() < 0.05 else 20, reason="需调档", approved_by="主任"
        ):
            return
    o += randint(3, 18) if rand() < 0.93 else randint(19, 40)
    if rand() < 0.015:
        add(o, Withdrawn)
        return
    outcome = _DEADLINE_OUTCOMES[randint(0, 2)]
    reasons = None if outcome is Outcome.DISCLOSED else _DEADLINE_REASONS
    if add(o, Replied, outcome=outcome, reasons=reasons) and rand() < 0.01:
        add(
            o + randint(10, 60),
            ReviewCaseFiled,
            case_id="复议1",
            case_kind=ReviewCaseKind.RECONSIDERATION,
        )
