"""Synthetic inquiry cases with valid histories, for the demo, tests and notebooks.

Everything is drawn from a seeded `random.Random`: the same arguments give the same cases (and
the same query codes, which is why this module draws them from the seeded generator: real codes
come from `secrets`, `govdisclose.inquiries.new_query_code`). Histories are built by proposing
plausible next steps and keeping those `govdisclose.inquiries.apply` accepts, so every case is
one a store accepts. Some cases stall (no answer for weeks), so that a run finds overdue parts.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from attrs import frozen

from govdisclose.errors import InvalidTransition
from govdisclose.inquiries._code import CODE_BITS, _code_of, code_digest
from govdisclose.inquiries._lifecycle import InquiryStatus, PartOrigin, apply, parts, status
from govdisclose.inquiries._model import (
    Answered,
    Complained,
    ComplaintAnswered,
    Explained,
    Forwarded,
    InquirerContact,
    InquiryCase,
    InquiryChannel,
    InquiryClosed,
    InquiryEvent,
    InquiryExtended,
    InquiryReceived,
    PassedOn,
    Rated,
    Satisfaction,
)
from govdisclose.vocab import InquiryKind

__all__ = ["SyntheticInquiries", "generate_inquiries", "random_case"]

_QUESTIONS = (
    ("城乡居民医疗保险今年的缴费标准是多少？在哪里缴费？", "医保", "医疗保障"),
    ("老旧小区改造的申报条件和程序是什么？", "改造", "城乡建设"),
    ("小学新生入学需要准备哪些材料？", "入学", "教育"),
    ("个体工商户办理营业执照需要多长时间？", "执照", "市场监管"),
    ("农村危房改造补助标准是多少？", "危房", "住房保障"),
    ("高龄津贴如何申请？联系电话13812345678", "津贴", "民政"),
)
_SURNAMES = "王李张刘陈杨赵黄周吴"


@frozen
class SyntheticInquiries:
    """Generated cases and the query code of each (by case id), as given to the inquirers."""

    cases: tuple[InquiryCase, ...]
    codes: dict[str, str]


def _next_event(
    rng: random.Random, case: InquiryCase, day: date, units: Sequence[str], office: str
) -> InquiryEvent | None:
    st = status(case)
    all_parts = parts(case)
    open_units = [p.unit for p in all_parts if p.open and p.origin is not PartOrigin.COMPLAINT]
    answered = [p.unit for p in all_parts if p.ended_by == "answered"]
    others = [u for u in units if u not in open_units]
    roll = rng.random()
    if st is InquiryStatus.OPEN:
        unit = rng.choice(open_units)
        if roll < 0.55:
            publishable = rng.random() < 0.6
            return Answered(
                on=day, unit=unit, answer=f"{unit}答复：已按政策规定解答。", publishable=publishable
            )
        if roll < 0.7 and others:
            offices = ("县政府办",) if rng.random() < 0.7 else ("县政府办", "市政府办")
            return Forwarded(
                on=day,
                from_unit=unit,
                to_unit=rng.choice(others),
                offices=offices,
                reason="不属于本单位职责范围",
                approved_by="办公室主任",
            )
        if roll < 0.85:
            return InquiryExtended(on=day, unit=unit, reason="需调阅档案", approved_by="分管副局长")
        return Explained(on=day, unit=unit, explanation="涉及多个科室，正在核实")
    if st is InquiryStatus.ANSWERED:
        if roll < 0.25 and others and answered:
            return PassedOn(
                on=day,
                from_unit=answered[-1],
                to_unit=rng.choice(others),
                reason="其余部分属于该部门职责",
                approved_by="办公室主任",
            )
        return InquiryClosed(on=day)
    if st is InquiryStatus.CLOSED:
        if roll < 0.2:
            return Complained(on=day, office=office, grounds="答复不够具体")
        if roll < 0.7:
            return Rated(on=day, satisfaction=rng.choice(list(Satisfaction)))
        return None
    if st is InquiryStatus.COMPLAINED:
        if roll < 0.7:
            return ComplaintAnswered(
                on=day, office=office, answer="经调查，已责成补充答复", upheld=rng.random() < 0.5
            )
        if roll < 0.85:
            return InquiryExtended(
                on=day, unit=office, reason="需现场调查", approved_by="监察室主任"
            )
        return Explained(on=day, unit=office, explanation="正在调查")
    if st is InquiryStatus.COMPLAINT_ANSWERED and roll < 0.6:
        return Rated(on=day, satisfaction=rng.choice(list(Satisfaction)))
    return None


def random_case(
    rng: random.Random,
    case_id: str,
    agency: str,
    received: date,
    *,
    until: date,
    units: Sequence[str],
    office: str = "county-supervision",
    stall: float = 0.0,
    steps: int = 12,
) -> tuple[InquiryCase, str]:
    """One case received by ``agency`` on ``received`` with a valid history whose events all
    fall on or before ``until``, and its query code. ``units`` are the units questions may be
    forwarded or passed to; with probability ``stall`` the case stops while still open."""
    code = _code_of(rng.getrandbits(CODE_BITS))
    text, _, _ = rng.choice(_QUESTIONS)
    category = rng.choices(list(InquiryKind), weights=(6, 3, 1, 1))[0]
    name = rng.choice(_SURNAMES) + "某"
    case = apply(
        InquiryCase(id=case_id, agency=agency),
        InquiryReceived(
            on=received,
            channel=rng.choice(list(InquiryChannel)),
            category=category,
            question=text,
            inquirer=InquirerContact(name=name, phone=f"1391234{rng.randrange(10000):04d}"),
            code_digest=code_digest(code),
        ),
    )
    stalls = rng.random() < stall
    day = received
    for _ in range(steps):
        if stalls and status(case) is InquiryStatus.OPEN:
            break
        day += timedelta(days=rng.choice((0, 1, 2, 3, 4, 6, 9)))
        if day > until:
            break
        event = _next_event(rng, case, day, units, office)
        if event is None:
            break
        try:
            case = apply(case, event)
        except InvalidTransition:
            continue
    return case, code


def generate_inquiries(
    agencies: Sequence[str],
    *,
    start: date,
    until: date,
    per_agency: int = 10,
    office: str = "county-supervision",
    stall: float = 0.15,
    seed: int = 0,
) -> SyntheticInquiries:
    """``per_agency`` cases for each agency code, received between ``start`` and ``until``
    (histories end by ``until``), ids ``<agency>-Q<n>``; ``stall`` of them stay open."""
    rng = random.Random(seed)
    span = max((until - start).days, 0)
    cases: list[InquiryCase] = []
    codes: dict[str, str] = {}
    for agency in agencies:
        for n in range(1, per_agency + 1):
            received = start + timedelta(days=rng.randint(0, span))
            case, code = random_case(
                rng,
                f"{agency}-Q{n:04d}",
                agency,
                received,
                until=until,
                units=[a for a in agencies if a != agency],
                office=office,
                stall=stall,
            )
            cases.append(case)
            codes[case.id] = code
    return SyntheticInquiries(tuple(cases), codes)
