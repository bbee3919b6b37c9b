"""Properties of the letters: on random valid histories, every date a letter states is the date
the deadline functions give on the history up to its step; the query code catches typing errors.
"""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import HealthCheck, assume, event, given, settings, strategies as st
from tests.strategies import applications, texts

from govdisclose.calendar import WorkCalendar
from govdisclose.deadlines import (
    correction_notice_deadline,
    fee_payment_deadline,
    reply_deadline,
    third_party_deadlines,
)
from govdisclose.errors import ValidationError
from govdisclose.fees import calculate_fee
from govdisclose.model import (
    Application,
    CorrectionRequested,
    DeemedWithdrawn,
    Extended,
    FeeNotified,
    NoticeIssued,
    Received,
    Replied,
    ThirdPartyConsulted,
    Withdrawn,
)
from govdisclose.notices import (
    Notice,
    NoticeKind,
    NoticeOffice,
    compose,
    parse_query_code,
    query_code,
    render_text,
)
from govdisclose.notices._layout import date_text
from govdisclose.params import ParameterSet
from govdisclose.vocab import FeeMethod, WithdrawalCause

# Provisional past the published schedules, so that any year of the strategies can be counted.
CALENDAR = WorkCalendar.default(policy="provisional")
PARAMS = ParameterSet.default()
OFFICE = NoticeOffice(agency="某局", review_body="某市人民政府", court="某区人民法院")
REVISED = date(2019, 5, 15)
#: The provisional calendar reaches 2036: keep every step, and the periods after it, within it.
HORIZON = date(2035, 6, 30)


def _compose(app: Application, kind: NoticeKind, index: int, **kw: object) -> Notice:
    event(f"letter {kind.code}")
    return compose(
        app,
        kind,
        office=OFFICE,
        params=PARAMS,
        calendar=CALENDAR,
        event=index,
        **kw,  # type: ignore[arg-type]
    )


def _refused(app: Application, kind: NoticeKind, index: int, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        _compose(app, kind, index)
    assert info.value.code == code
    event(f"refused {code}")


def _states(notice: Notice, day: date) -> None:
    assert date_text(day) in render_text(notice)


def _with_fee_amount(app: Application, index: int, amount: object) -> Application:
    events = list(app.events)
    events[index] = attrs.evolve(events[index], amount=amount)
    return attrs.evolve(app, events=tuple(events))


def _moved(app: Application, start: date) -> Application:
    """``app`` with its whole history moved so that it starts on ``start`` (every date by the
    same number of days: the order, hence the lifecycle's verdict, is unchanged)."""
    if not app.events:
        return app
    delta = start - app.events[0].on
    events = []
    for ev in app.events:
        changes = {"on": ev.on + delta}
        for name in ("confirmed_on", "correct_by"):
            value = getattr(ev, name, None)
            if value is not None:
                changes[name] = value + delta
        events.append(attrs.evolve(ev, **changes))
    return attrs.evolve(app, events=tuple(events))


#: Random valid histories received under the 2019 text, within the provisional calendar.
HISTORIES = st.builds(_moved, applications(max_events=12), st.dates(REVISED, date(2034, 6, 30)))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HISTORIES)
def test_letter_dates_are_the_deadline_functions_dates(app: Application) -> None:
    """For every step of a random history under the 2019 text, the letter's date (and the date
    it prints) is the deadline function's on the history up to that step; where the law forbids
    the letter the refusal is the one the facts call for."""
    receipt = app.receipt_date
    assume(receipt is not None)
    assert receipt is not None
    assert receipt >= REVISED
    assert all(e.on <= HORIZON for e in app.events)
    for i, ev in enumerate(app.events):
        upto = attrs.evolve(app, events=app.events[: i + 1])
        before = attrs.evolve(app, events=app.events[:i])
        if isinstance(ev, Received):
            due = reply_deadline(upto, params=PARAMS, calendar=CALENDAR)
            assert due is not None
            notice = _compose(app, NoticeKind.RECEIPT, i)
            assert notice.due == due.due
            _states(notice, due.due)
            _states(notice, receipt)
        elif isinstance(ev, CorrectionRequested):
            if ev.correct_by is None or ev.correct_by <= ev.on:
                _refused(app, NoticeKind.CORRECTION, i, "notices.correction_period")
                continue
            duty = correction_notice_deadline(upto, params=PARAMS, calendar=CALENDAR)
            assert duty is not None
            notice = _compose(app, NoticeKind.CORRECTION, i)
            assert notice.due == ev.correct_by
            _states(notice, ev.correct_by)
            _states(notice, duty.due)
        elif isinstance(ev, Extended):
            old = reply_deadline(before, params=PARAMS, calendar=CALENDAR)
            new = reply_deadline(upto, params=PARAMS, calendar=CALENDAR)
            if old is None or new is None or new.extension_days == 0:
                _refused(app, NoticeKind.EXTENSION, i, "notices.extension_late")
                continue
            notice = _compose(app, NoticeKind.EXTENSION, i)
            assert notice.due == new.due
            assert new.extension_days <= PARAMS.at(receipt).working_days("extension_days")
            _states(notice, old.due)
            _states(notice, new.due)
        elif isinstance(ev, ThirdPartyConsulted):
            window = third_party_deadlines(upto, params=PARAMS, calendar=CALENDAR)[-1]
            assert window.start == ev.on
            notice = _compose(app, NoticeKind.THIRD_PARTY, i)
            assert notice.due == window.due
            _states(notice, window.due)
        elif isinstance(ev, FeeNotified):
            first = 11 if ev.method is FeeMethod.PER_APPLICATION else 1
            calc = calculate_fee(ev.method, ev.quantity, received_on=receipt, first=first)
            fixed = _with_fee_amount(app, i, calc.amount)
            pay = fee_payment_deadline(
                attrs.evolve(fixed, events=fixed.events[: i + 1]), params=PARAMS, calendar=CALENDAR
            )
            if pay is None or calc.is_free:
                with pytest.raises(ValidationError) as info:
                    _compose(fixed, NoticeKind.FEE, i, fee=calc)
                assert info.value.code == "notices.not_applicable"
                continue
            notice = _compose(fixed, NoticeKind.FEE, i, fee=calc)
            assert notice.due == pay.due
            _states(notice, pay.due)
        elif isinstance(ev, DeemedWithdrawn):
            if ev.cause is WithdrawalCause.NO_CORRECTION:
                asked = next(
                    e for e in reversed(app.events[:i]) if isinstance(e, CorrectionRequested)
                )
                lapsed = asked.correct_by is not None and ev.on > asked.correct_by
                shown = asked.correct_by
            else:
                pay = fee_payment_deadline(before, params=PARAMS, calendar=CALENDAR)
                lapsed = pay is not None and ev.on > pay.due
                shown = pay.due if pay is not None else None
            if not lapsed:
                with pytest.raises(ValidationError) as info:
                    _compose(app, NoticeKind.REPLY, i)
                assert info.value.code in ("notices.period_running", "notices.not_applicable")
                continue
            notice = _compose(app, NoticeKind.REPLY, i)
            assert shown is not None
            _states(notice, shown)
            assert notice.remedies is not None
        elif isinstance(ev, Replied):
            notice = _compose(app, NoticeKind.REPLY, i)
            assert notice.outcome is ev.outcome
            # Dated as the reply, or as the letter the history records issued after it.
            issued = next(
                (
                    e.on
                    for e in app.events[i + 1 :]
                    if isinstance(e, NoticeIssued) and e.notice is NoticeKind.REPLY
                ),
                ev.on,
            )
            assert notice.issued_on == issued
            _states(notice, receipt)
            assert notice.remedies is not None
        elif isinstance(ev, Withdrawn):
            _refused(app, NoticeKind.REPLY, i, "notices.not_applicable")


_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@given(texts(), texts(), st.integers(0, 11), st.sampled_from(_ALPHABET))
def test_query_code_catches_one_mistyped_character(
    agency: str, application_id: str, position: int, char: str
) -> None:
    """Changing any one character of a query code makes it invalid."""
    code = query_code(agency, application_id).replace("-", "")
    assume(code[position] != char)
    typo = code[:position] + char + code[position + 1 :]
    assert parse_query_code(code) == query_code(agency, application_id)
    with pytest.raises(ValidationError):
        parse_query_code(typo)


@given(texts(), texts(), st.integers(0, 10))
def test_query_code_catches_swapped_neighbours(
    agency: str, application_id: str, position: int
) -> None:
    """Swapping two different neighbouring characters makes a query code invalid."""
    code = query_code(agency, application_id).replace("-", "")
    a, b = code[position], code[position + 1]
    assume(a != b)
    # Luhn mod N misses one pair of values (those whose doubled digit sums differ by N - 1).
    assume({_ALPHABET.index(a), _ALPHABET.index(b)} != {0, 31})
    swapped = code[:position] + b + a + code[position + 2 :]
    with pytest.raises(ValidationError):
        parse_query_code(swapped)
