"""Composing a letter from an application's events: every date, deadline, fee and article comes
from the functions the rest of the library uses (`govdisclose.deadlines`, `govdisclose.fees`,
`govdisclose.params`), computed on the history *as it stood* when the letter's step was recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

import attrs

from govdisclose._time import day_arg
from govdisclose.calendar import WorkCalendar
from govdisclose.deadlines import (
    Deadline,
    correction_notice_deadline,
    fee_payment_deadline,
    reply_deadline,
    third_party_deadlines,
)
from govdisclose.errors import ValidationError
from govdisclose.fees import FeeCalculation, calculate_fee, fee_notice_text
from govdisclose.model import (
    Application,
    CorrectionReceived,
    CorrectionRequested,
    DeemedWithdrawn,
    Event,
    Extended,
    FeeNotified,
    NoticeIssued,
    Received,
    Replied,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Withdrawn,
)
from govdisclose.notices._law import REGULATION, remedy_law, reply_basis
from govdisclose.notices._layout import date_text
from govdisclose.notices._letter import Notice
from govdisclose.notices._office import NoticeOffice
from govdisclose.notices._query import query_code
from govdisclose.notices._templates import NoticeTemplates
from govdisclose.params import Citation, ParameterSet, Snapshot
from govdisclose.vocab import FeeMethod, NoticeKind, Outcome, WithdrawalCause

__all__ = ["compose", "compose_all", "notice_issued"]

#: The event each kind of letter answers.
_TRIGGERS: dict[NoticeKind, tuple[type[Event], ...]] = {
    NoticeKind.RECEIPT: (Received,),
    NoticeKind.CORRECTION: (CorrectionRequested,),
    NoticeKind.EXTENSION: (Extended,),
    NoticeKind.THIRD_PARTY: (ThirdPartyConsulted,),
    NoticeKind.FEE: (FeeNotified,),
    NoticeKind.REPLY: (Replied, DeemedWithdrawn, Withdrawn),
}

# What ends a clause: the templates add their own full stop after a reason.
_CLAUSE_END = " \t\n\u3000。．.；;，,"


def _refuse(zh: str, en: str, *, field: str | None, code: str) -> ValidationError:
    return ValidationError(zh, en, field=field, code=code)


def _clause(text: str) -> str:
    return text.strip().rstrip(_CLAUSE_END)


def _cite(c: Citation) -> str:
    """A parameter's citation as a letter writes it: the 条例 by its name alone."""
    if c.regulation.startswith(REGULATION):
        return REGULATION + c.article
    return f"{c.regulation}{c.article}"


def _split(citation: str) -> tuple[str, str]:
    """``《X》（令）第N条`` as (``《X》（令）``, ``第N条``); text without a title is all rest."""
    end = citation.find("》")
    if end < 0:
        return "", citation
    end += 1
    if citation[end : end + 1] == "（":
        close = citation.find("）", end)
        if close > 0:
            end = close + 1
    return citation[:end], citation[end:]


def article_text(citations: Sequence[str]) -> str:
    """The provisions as one phrase: articles of one instrument share its name
    (``《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项``)."""
    groups: list[tuple[str, list[str]]] = []
    for citation in citations:
        instrument, rest = _split(citation)
        if groups and groups[-1][0] == instrument and instrument:
            groups[-1][1].append(rest)
        else:
            groups.append((instrument, [rest]))
    return "、".join(inst + "、".join(r for r in rests if r) for inst, rests in groups)


def _yuan(amount: Decimal) -> str:
    return f"{amount.normalize():f}元"


def _up_to(app: Application, count: int) -> Application:
    return attrs.evolve(app, events=app.events[:count])


def _trigger(app: Application, kind: NoticeKind, event: int | None) -> int:
    types = _TRIGGERS[kind]
    if event is not None:
        if (
            isinstance(event, bool)
            or not isinstance(event, int)
            or not (0 <= event < len(app.events))
        ):
            raise _refuse(
                f"event 应为申请 {app.id} 的事件序号（0 至 {len(app.events) - 1}），"
                f"实际为 {event!r}",
                f"event must index an event of application {app.id} "
                f"(0 to {len(app.events) - 1}), got {event!r}",
                field="event",
                code="notices.not_applicable",
            )
        if not isinstance(app.events[event], types):
            got = app.events[event].kind
            raise _refuse(
                f"事件 {event}（{got}）不对应“{kind.label}”",
                f"event {event} ({got}) is not the step a {kind.code!r} letter answers",
                field="event",
                code="notices.not_applicable",
            )
        return event
    for i in range(len(app.events) - 1, -1, -1):
        if isinstance(app.events[i], types):
            return i
    names = "、".join(t.kind for t in types)
    raise _refuse(
        f"申请 {app.id} 尚未登记相应环节（{names}），不能制作“{kind.label}”",
        f"application {app.id} has no {names} event; there is no {kind.code!r} letter to compose",
        field="kind",
        code="notices.not_applicable",
    )


def _issued(app: Application, kind: NoticeKind, index: int) -> NoticeIssued | None:
    """The letter of this step as recorded issued: the first `NoticeIssued` of ``kind`` after
    the step and before the next step of the same kind."""
    for ev in app.events[index + 1 :]:
        if isinstance(ev, _TRIGGERS[kind]):
            return None
        if isinstance(ev, NoticeIssued) and ev.notice is kind:
            return ev
    return None


def _last_before(app: Application, index: int, kind: type[Event]) -> tuple[int, Event] | None:
    for i in range(index - 1, -1, -1):
        if isinstance(app.events[i], kind):
            return i, app.events[i]
    return None


class _Draft:
    """What the kind-specific part computes for the shared assembly."""

    def __init__(self, key: str, citations: Sequence[str], addressee: str) -> None:
        self.key = key
        self.citations = tuple(citations)
        self.addressee = addressee
        self.values: dict[str, str] = {}
        self.deadlines: list[Deadline] = []
        self.due: date | None = None
        self.outcome: Outcome | None = None
        self.remedies_key: str | None = None
        self.to_applicant = True


def compose(
    application: Application,
    kind: NoticeKind,
    *,
    office: NoticeOffice,
    params: ParameterSet,
    calendar: WorkCalendar,
    templates: NoticeTemplates | None = None,
    event: int | None = None,
    on: date | None = None,
    number: str | None = None,
    fee: FeeCalculation | None = None,
    attachments: Sequence[str] | None = None,
) -> Notice:
    """The letter of one step of ``application``, derived from its events.

    :param kind: which letter: 受理回执 (``RECEIPT``), 补正告知书, 延期告知书, 征求第三方意见书
        (to the consulted party; a co-producing agency gets a 征求意见函, 第三十四条), 收费通知书,
        or the reply (``REPLY``: the 答复告知书 of the outcome, or the notice that an application
        deemed abandoned is no longer processed).
    :param office: the signing agency, its review body and court (`NoticeOffice`).
    :param params: the legal parameters in force (as for `govdisclose.deadlines`): the periods
        and their articles are taken at the receipt date.
    :param calendar: the working-day calendar the deadlines are counted with.
    :param templates: the wording (`NoticeTemplates`); the shipped official wording if
        ``None``. A host with plugins passes `govdisclose.plugins.load_notice_templates`.
    :param event: the index in ``application.events`` of the step the letter answers
        (a second correction request, one of several consultations); the latest such event by
        default.
    :param on: the 成文日期; by default the day a `govdisclose.model.NoticeIssued` of this
        letter records, else the day of the step (for the receipt: the receipt date). Never
        before the step.
    :param number: the 文号; by default the recorded `NoticeIssued.number`, else the
        ``letterhead.number`` template with `NoticeOffice.number_prefix` (none without it).
    :param fee: the fee calculation of a 收费通知书 (`govdisclose.fees.calculate_fee`); it must
        match the recorded `FeeNotified`. Needed for 按件计收 (the event does not record which
        application of the month it was); recomputed from the pages for 按量计收.
    :param attachments: the names of the 附件; by default those of the step's event.

    Every date is the one the deadline functions give on the history up to the step:
    `reply_deadline` (the receipt, the extension: at most the regime's extension, 第三十三条),
    `correction_notice_deadline` (the 7-working-day duty, 第三十条), `third_party_deadlines`
    (15 working days, 第三十二条、第三十四条), `fee_payment_deadline` (国办函〔2020〕109号).

    :raises ValidationError: no such step (``notices.not_applicable``); an application under
        the 2008 text (``notices.regime_unsupported``: the letters follow the 2019 text); a
        refusal without reasons (``notices.reasons_required``, field ``events[i].reasons``);
        a correction request without a reasonable period (``notices.correction_period``,
        第三十条); an extension decided after the period ran out (``notices.extension_late``);
        a deemed withdrawal before the period ran out (``notices.period_running``); a fee that
        does not match the 109号 scale or the event (``notices.fee_mismatch``,
        ``notices.fee_calculation_required``); a date before the step (``notices.date_order``).
    :raises CalendarDataMissing: a strict calendar without the years the dates fall in.
    """
    if not isinstance(kind, NoticeKind):
        raise _refuse(
            f"kind 应为 NoticeKind，实际为 {kind!r}",
            f"kind must be a NoticeKind, got {kind!r}",
            field="kind",
            code="notices.not_applicable",
        )
    templates = NoticeTemplates.default() if templates is None else templates
    receipt = application.receipt_date
    if receipt is None:
        raise _refuse(
            f"申请 {application.id} 尚未收到，不能制作文书",
            f"application {application.id} has not been received; no letter can be composed",
            field="kind",
            code="notices.not_applicable",
        )
    snap = params.at(receipt)
    if snap.get("regime") != "2019":
        raise _refuse(
            f"申请 {application.id} 于{receipt.isoformat()}收到，适用2008年条例文本；"
            "文书模板按2019年修订的条例制作",
            f"application {application.id} was received on {receipt.isoformat()}, under the "
            "2008 text; the letters follow the 2019 revision",
            field="kind",
            code="notices.regime_unsupported",
        )
    index = _trigger(application, kind, event)
    step = application.events[index]
    upto = _up_to(application, index + 1)
    recorded = _issued(application, kind, index)
    step_day = receipt if isinstance(step, Received) else step.on
    if on is not None:
        issued_on = day_arg(on, "on")
    else:
        issued_on = recorded.on if recorded is not None else step_day
    if issued_on < step_day:
        raise _refuse(
            f"成文日期 {issued_on} 不能早于该环节的日期 {step_day.isoformat()}",
            f"the letter's date {issued_on} is before its step ({step_day.isoformat()})",
            field="on",
            code="notices.date_order",
        )

    if kind is NoticeKind.RECEIPT:
        draft = _receipt(application, upto, params, calendar, snap)
    elif kind is NoticeKind.CORRECTION:
        assert isinstance(step, CorrectionRequested)
        draft = _correction(application, upto, step, index, params, calendar)
    elif kind is NoticeKind.EXTENSION:
        assert isinstance(step, Extended)
        draft = _extension(application, upto, step, index, params, calendar, snap)
    elif kind is NoticeKind.THIRD_PARTY:
        assert isinstance(step, ThirdPartyConsulted)
        draft = _third_party(upto, step, params, calendar, snap)
    elif kind is NoticeKind.FEE:
        assert isinstance(step, FeeNotified)
        draft = _fee(application, upto, step, receipt, fee, office, params, calendar)
    else:
        draft = _reply(application, step, index, templates, params, calendar)
        law = remedy_law(issued_on)
        draft.values.update(
            review_body=office.review_body,
            court=office.court,
            review_period=law.review_period,
            litigation_period=law.litigation_period,
            review_law=law.review_law,
            litigation_law=law.litigation_law,
            review_first_law=law.review_first_law or "",
        )
        basis = reply_basis(draft.outcome) if draft.outcome is not None else None
        draft.remedies_key = (
            "remedies.review_first"
            if basis is not None and basis.review_first and law.review_first_law
            else "remedies.ordinary"
        )

    code = query_code(application.agency, application.id)
    values = {
        "agency": office.agency,
        "applicant": application.applicant.name,
        "received_on": date_text(receipt),
        "request": _clause(application.request),
        "query_code": code,
        "contact": office.contact or "",
        "article": article_text(draft.citations),
        **draft.values,
    }
    title, paragraphs = templates.render_letter(draft.key, values)
    provisional = next((d for d in draft.deadlines if d.provisional), None)
    if provisional is not None:
        note = templates.render_text(
            "letterhead.provisional_note",
            {"assumption": _clause(provisional.assumption or "节假日安排尚未公布")},
        )
        paragraphs = (*paragraphs, note)
    remedies = (
        templates.render_text(draft.remedies_key, draft.values)
        if draft.remedies_key is not None
        else None
    )
    if number is None and recorded is not None and recorded.number:
        number = recorded.number
    if number is None and office.number_prefix:
        number = templates.render_text(
            "letterhead.number",
            {
                "prefix": office.number_prefix,
                "mark": templates.letter(draft.key).mark,
                "year": str(issued_on.year),
                "serial": application.id,
            },
        )
    names = tuple(a.name for a in step.attachments) if attachments is None else tuple(attachments)
    return Notice(
        kind=kind,
        application_id=application.id,
        title=title,
        number=number,
        addressee=draft.addressee,
        paragraphs=paragraphs,
        citations=draft.citations,
        remedies=remedies,
        signature=templates.render_text("letterhead.signature", {"agency": office.agency}),
        issued_on=issued_on,
        outcome=draft.outcome,
        attachments=names,
        query_code=code if draft.to_applicant else None,
        due=draft.due,
    )


# -- the letters, one function each -----------------------------------------------------------


def _receipt(
    app: Application,
    upto: Application,
    params: ParameterSet,
    calendar: WorkCalendar,
    snap: Snapshot,
) -> _Draft:
    deadline = reply_deadline(upto, params=params, calendar=calendar)
    assert deadline is not None  # a received application's clock runs (2019 text)
    # 第三十一条 fixes the receipt date, 第三十三条 the period (as the parameters cite it).
    draft = _Draft(
        "receipt",
        (REGULATION + "第三十一条", _cite(snap.citation("reply_days"))),
        app.applicant.name,
    )
    draft.values.update(
        channel=app.channel.label,
        reply_days=str(deadline.limit_days),
        reply_due=date_text(deadline.due),
    )
    draft.deadlines.append(deadline)
    draft.due = deadline.due
    return draft


def _correction(
    app: Application,
    upto: Application,
    step: CorrectionRequested,
    index: int,
    params: ParameterSet,
    calendar: WorkCalendar,
) -> _Draft:
    duty = correction_notice_deadline(upto, params=params, calendar=calendar)
    assert duty is not None  # the 2019 text has the 7-day duty (checked by the caller)
    if step.correct_by is None or step.correct_by <= step.on:
        raise _refuse(
            "补正告知书须载明合理的补正期限（《条例》第三十条），correct_by 应晚于告知日",
            "a correction notice must state a reasonable period (art. 30): correct_by must be "
            "after the day of the notice",
            field=f"events[{index}].correct_by",
            code="notices.correction_period",
        )
    draft = _Draft("correction", tuple(_cite(c) for c in duty.legal_basis), app.applicant.name)
    draft.values.update(
        notice_days=str(duty.limit_days),
        notice_due=date_text(duty.due),
        items=_clause(step.items) + "。",
        correct_by=date_text(step.correct_by),
    )
    draft.deadlines.append(duty)
    draft.due = step.correct_by
    return draft


def _extension(
    app: Application,
    upto: Application,
    step: Extended,
    index: int,
    params: ParameterSet,
    calendar: WorkCalendar,
    snap: Snapshot,
) -> _Draft:
    before = reply_deadline(_up_to(app, index), params=params, calendar=calendar)
    after = reply_deadline(upto, params=params, calendar=calendar)
    if before is None or after is None or after.extension_days == 0:
        ran_out = f"（原期限至{before.due.isoformat()}）" if before is not None else ""
        raise _refuse(
            f"延期决定于{step.on.isoformat()}作出，答复期限未在运行或已届满{ran_out}，"
            "不能告知延期（《条例》第三十三条第二款）",
            f"the extension of {step.on.isoformat()} was decided when no reply period was "
            "running or after it ran out; no extension can be notified (art. 33)",
            field=f"events[{index}].on",
            code="notices.extension_late",
        )
    draft = _Draft("extension", (_cite(snap.citation("extension_days")),), app.applicant.name)
    draft.values.update(
        original_due=date_text(before.due),
        extension_days=str(after.extension_days),
        new_due=date_text(after.due),
        reason=_clause(step.reason),
    )
    draft.deadlines += [before, after]
    draft.due = after.due
    return draft


def _third_party(
    upto: Application,
    step: ThirdPartyConsulted,
    params: ParameterSet,
    calendar: WorkCalendar,
    snap: Snapshot,
) -> _Draft:
    windows = third_party_deadlines(upto, params=params, calendar=calendar)
    # The step is the last consultation of the history up to it: its window is the last.
    window = windows[-1]
    name = "co_producer_reply_days" if step.is_agency else "third_party_reply_days"
    draft = _Draft(
        "co_producer" if step.is_agency else "third_party",
        (_cite(snap.citation(name)),),
        step.party,
    )
    draft.values.update(
        party=step.party,
        window_days=str(window.limit_days),
        reply_by=date_text(window.due),
    )
    draft.deadlines.append(window)
    draft.due = window.due
    # Written to the consulted party: no query code, no name of the applicant.
    draft.to_applicant = False
    return draft


def _fee(
    app: Application,
    upto: Application,
    step: FeeNotified,
    receipt: date,
    fee: FeeCalculation | None,
    office: NoticeOffice,
    params: ParameterSet,
    calendar: WorkCalendar,
) -> _Draft:
    if fee is None:
        if step.method is FeeMethod.PER_APPLICATION:
            raise _refuse(
                "按件计收的收费通知须提供计算过程（fee=calculate_fee(...)，含本月第几件申请）",
                "a per-application fee notice needs its calculation (fee=calculate_fee(...), "
                "with the application's ordinal in the month)",
                field="fee",
                code="notices.fee_calculation_required",
            )
        fee = calculate_fee(step.method, step.quantity, received_on=receipt)
    if (fee.method, fee.quantity, fee.amount) != (step.method, step.quantity, step.amount):
        raise _refuse(
            f"收费计算（{fee.method.label}，{fee.quantity}，{_yuan(fee.amount)}）与收费通知事件"
            f"（{step.method.label}，{step.quantity}，{_yuan(step.amount)}）不一致"
            "（国办函〔2020〕109号）",
            f"the fee calculation ({fee.method.code}, {fee.quantity}, {fee.amount}) does not "
            f"match the fee notice event ({step.method.code}, {step.quantity}, {step.amount})",
            field="fee",
            code="notices.fee_mismatch",
        )
    payment = fee_payment_deadline(upto, params=params, calendar=calendar)
    if payment is None or fee.is_free:
        raise _refuse(
            "该申请不适用信息处理费（国办函〔2020〕109号自2021年1月1日起施行），不能制作收费通知",
            "no information-processing fee applies (109号 is in force from 2021-01-01); no "
            "fee notice can be composed",
            field="kind",
            code="notices.not_applicable",
        )
    draft = _Draft("fee", (REGULATION + "第四十二条", fee.citation), app.applicant.name)
    draft.values.update(
        amount=_yuan(fee.amount),
        calculation=fee_notice_text(fee),
        payment_days=str(payment.limit_days),
        pay_by=date_text(payment.due),
        payment=office.payment or "",
    )
    draft.deadlines.append(payment)
    draft.due = payment.due
    return draft


def _reply(
    app: Application,
    step: Event,
    index: int,
    templates: NoticeTemplates,
    params: ParameterSet,
    calendar: WorkCalendar,
) -> _Draft:
    if isinstance(step, Withdrawn):
        raise _refuse(
            f"申请人已于{step.on.isoformat()}撤回申请，无需答复",
            f"the applicant withdrew the application on {step.on.isoformat()}; there is no reply",
            field="kind",
            code="notices.not_applicable",
        )
    if isinstance(step, DeemedWithdrawn):
        outcome = (
            Outcome.NO_CORRECTION
            if step.cause is WithdrawalCause.NO_CORRECTION
            else Outcome.FEE_NOT_PAID
        )
        reasons, legal_basis = None, None
    else:
        assert isinstance(step, Replied)
        outcome, reasons, legal_basis = step.outcome, step.reasons, step.legal_basis
    basis = reply_basis(outcome)
    citations = list(basis.provisions)
    draft = _Draft(basis.template, (), app.applicant.name)
    draft.outcome = outcome
    if isinstance(step, Replied) and (reasons is None or not _clause(reasons)):
        if basis.needs_reasons or outcome in (Outcome.NO_CORRECTION, Outcome.FEE_NOT_PAID):
            raise _refuse(
                f"答复结果为“{outcome.label}”，须在 reasons 中说明理由"
                "（《条例》第三十六条、第三十七条）",
                f"outcome {outcome.code!r} needs its reasons (field reasons; arts. 36-37)",
                field=f"events[{index}].reasons",
                code="notices.reasons_required",
            )
        reasons = templates.letter(basis.template).default_reasons or ""
    draft.values["reasons"] = _clause(reasons) if reasons else ""
    if outcome is Outcome.THIRD_PARTY_RIGHTS:
        sentence = _consultation(app, index)
        if sentence:
            citations.insert(1, REGULATION + "第三十二条")
        draft.values["consultation"] = sentence
    elif outcome in (Outcome.UNCLEAR_AFTER_CORRECTION, Outcome.NO_CORRECTION):
        asked = _last_before(app, index, CorrectionRequested)
        if asked is None:
            raise _refuse(
                f"申请 {app.id} 没有补正告知，不能作出“{outcome.label}”的答复",
                f"application {app.id} has no correction request; no {outcome.code!r} letter",
                field="kind",
                code="notices.not_applicable",
            )
        at, request = asked
        assert isinstance(request, CorrectionRequested)
        draft.values["correction_requested_on"] = date_text(request.on)
        if outcome is Outcome.UNCLEAR_AFTER_CORRECTION:
            got = _last_before(app, index, CorrectionReceived)
            if got is None or got[0] < at:
                raise _refuse(
                    f"申请 {app.id} 尚未收到补正，不能作出“{outcome.label}”的答复",
                    f"application {app.id} has no corrected application after the request",
                    field="kind",
                    code="notices.not_applicable",
                )
            draft.values["corrected_on"] = date_text(got[1].on)
        else:
            if request.correct_by is None or step.on <= request.correct_by:
                until = request.correct_by.isoformat() if request.correct_by else "未载明"
                raise _refuse(
                    f"补正期限（{until}）尚未届满，不能视为放弃申请（《条例》第三十条）",
                    f"the correction period ({until}) had not run out; the application cannot "
                    "be deemed abandoned (art. 30)",
                    field=f"events[{index}].on",
                    code="notices.period_running",
                )
            draft.values["correct_by"] = date_text(request.correct_by)
    elif outcome is Outcome.FEE_NOT_PAID:
        payment = fee_payment_deadline(_up_to(app, index), params=params, calendar=calendar)
        notice = _last_before(app, index, FeeNotified)
        if payment is None or notice is None:
            raise _refuse(
                f"申请 {app.id} 没有收费通知，不能作出“{outcome.label}”的答复",
                f"application {app.id} has no fee notice; no {outcome.code!r} letter",
                field="kind",
                code="notices.not_applicable",
            )
        if step.on <= payment.due:
            raise _refuse(
                f"缴费期限（{payment.due.isoformat()}）尚未届满，不能视为放弃申请"
                "（国办函〔2020〕109号）",
                f"the payment period (until {payment.due.isoformat()}) had not run out; the "
                "application cannot be deemed abandoned",
                field=f"events[{index}].on",
                code="notices.period_running",
            )
        fee_event = notice[1]
        assert isinstance(fee_event, FeeNotified)
        draft.values.update(
            fee_notified_on=date_text(fee_event.on),
            amount=_yuan(fee_event.amount),
            pay_by=date_text(payment.due),
        )
        draft.deadlines.append(payment)
    if legal_basis and _clause(legal_basis):
        citations.append(_clause(legal_basis))
    draft.citations = tuple(citations)
    return draft


def _consultation(app: Application, index: int) -> str:
    """What the consulted third party answered (条例 第三十二条), as one sentence, or ``""``."""
    found = None
    for i in range(index - 1, -1, -1):
        ev = app.events[i]
        if isinstance(ev, ThirdPartyConsulted) and not ev.is_agency:
            found = (i, ev)
            break
    if found is None:
        return ""
    at, asked = found
    answer = next(
        (
            e
            for e in app.events[at + 1 : index]
            if isinstance(e, ThirdPartyReplied) and e.party == asked.party
        ),
        None,
    )
    if answer is None:
        said = "第三方未提出意见"
    elif answer.consents is None:
        said = "第三方逾期未提出意见"
    elif answer.consents:
        said = "第三方同意公开"
    else:
        said = "第三方不同意公开"
    return f"本机关已于{date_text(asked.on)}书面征求第三方意见，{said}。"


def compose_all(
    application: Application,
    *,
    office: NoticeOffice,
    params: ParameterSet,
    calendar: WorkCalendar,
    templates: NoticeTemplates | None = None,
    fees: Mapping[int, FeeCalculation] | None = None,
) -> tuple[Notice, ...]:
    """Every letter the history calls for, in the order of its steps: the receipt, each
    correction notice, consultation letter, extension and fee notice, and the reply (none after
    the applicant's own withdrawal). ``fees`` gives the calculation of a fee notice by the
    index of its `FeeNotified` event (needed for 按件计收). Arguments as for `compose`."""
    out = []
    for i, ev in enumerate(application.events):
        if isinstance(ev, Withdrawn):
            continue
        for kind, types in _TRIGGERS.items():
            if isinstance(ev, types):
                out.append(
                    compose(
                        application,
                        kind,
                        office=office,
                        params=params,
                        calendar=calendar,
                        templates=templates,
                        event=i,
                        fee=(fees or {}).get(i),
                    )
                )
    return tuple(out)


def notice_issued(
    notice: Notice,
    rendered: str | bytes,
    *,
    actor: str | None = None,
    note: str | None = None,
) -> NoticeIssued:
    """The `govdisclose.model.NoticeIssued` event recording ``notice`` as sent: dated its
    成文日期, with its 文号 and the SHA-256 of ``rendered`` (the letter as sent: the text of
    `render_text`, or the bytes of the .docx), so the case file can prove which letter went
    out. Apply it with `govdisclose.lifecycle.apply`."""
    import hashlib

    data = rendered.encode("utf-8") if isinstance(rendered, str) else bytes(rendered)
    return NoticeIssued(
        on=notice.issued_on,
        notice=notice.kind,
        number=notice.number,
        sha256=hashlib.sha256(data).hexdigest(),
        actor=actor,
        note=note,
    )
