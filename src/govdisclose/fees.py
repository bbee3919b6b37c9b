"""信息处理费: the information-processing fee of 国办函〔2020〕109号, computed band by band.

《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号, in force 2021-01-01) lets an agency
charge applicants whose requests clearly exceed a reasonable number or frequency (条例 2019
第四十二条). It has two methods, both excess-progressive (超额累进), and an agency picks **one**
per application, never both (第三条):

* 按件计收 (第四条): by the applicant's cumulative number of applications in one calendar month
  — 1-10 free; 11-30 100 元/件; from 31 on, bands of 10 applications, each band 100 元/件 dearer
  than the one before (31-40 200, 41-50 300, ...);
* 按量计收 (第五条): by the pages of one application — 1-30 free; 31-100 10 元/页;
  101-200 20 元/页; 201 and above 40 元/页.

Fees are contentious, so a `FeeCalculation` keeps every band it used: a notice built with
`fee_notice_text` shows the arithmetic, not just the total.

Scope. Applications received before 2021-01-01 owe no 信息处理费: under the 2019 text
(第四十二条) providing information is free and there were no implementing measures yet. The
2008 regime's 检索、复制、邮寄 cost fees (2008 条例 第二十七条) are a different charge and are not
computed here.

The band values are kept in this module as data (`PER_APPLICATION_BANDS`, `PER_VOLUME_BANDS`),
each with its article: the legal-parameter format of `govdisclose.params` holds one scalar per
date, not a rate table.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from attrs import frozen

from govdisclose._time import day_arg
from govdisclose.errors import ValidationError
from govdisclose.model import Application, FeeNotified
from govdisclose.vocab import FeeMethod

__all__ = [
    "FEES_IN_FORCE_FROM",
    "PER_APPLICATION_BANDS",
    "PER_APPLICATION_STEP",
    "PER_VOLUME_BANDS",
    "REGULATION",
    "BandCharge",
    "FeeBand",
    "FeeCalculation",
    "calculate_fee",
    "fee_notice_text",
    "notified_event",
    "per_application_fee",
    "per_volume_fee",
]

#: The 办法's full name and number, for citations.
REGULATION = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

#: The day the 办法 took effect; applications received earlier owe no information-processing fee.
FEES_IN_FORCE_FROM = date(2021, 1, 1)

_ARTICLE = {FeeMethod.PER_APPLICATION: "第四条", FeeMethod.PER_VOLUME: "第五条"}
_UNIT = {FeeMethod.PER_APPLICATION: "件", FeeMethod.PER_VOLUME: "页"}


@frozen
class FeeBand:
    """One band of a progressive scale: units ``first`` to ``last`` (``None``: no upper end)."""

    first: int
    last: int | None
    rate: Decimal  # 元 per unit

    def contains(self, unit: int) -> bool:
        """Whether the ``unit``-th application or page falls in this band."""
        return self.first <= unit and (self.last is None or unit <= self.last)


@frozen
class BandCharge:
    """The part of a fee charged in one band: ``units`` (from ``first`` to ``last``) × rate."""

    band: FeeBand
    first: int
    last: int
    amount: Decimal

    @property
    def units(self) -> int:
        """How many applications or pages fell in this band."""
        return self.last - self.first + 1


@frozen
class FeeCalculation:
    """An information-processing fee with the arithmetic that produced it.

    :param method: the one method used (国办函〔2020〕109号 第三条: never both).
    :param first: the first unit charged: the page 1, or the ordinal of the first application
        in the applicant's month (按件计收 counts cumulatively, 第四条).
    :param quantity: how many pages or applications were charged.
    :param amount: the total in 元.
    :param charges: each band used, in order, free bands included.
    :param citation: the article the scale comes from.
    :param note: why no fee is due, when that is because of the date rather than the scale.
    """

    method: FeeMethod
    first: int
    quantity: int
    amount: Decimal
    charges: tuple[BandCharge, ...]
    citation: str
    note: str | None = None

    @property
    def last(self) -> int:
        """The last unit charged."""
        return self.first + self.quantity - 1

    @property
    def is_free(self) -> bool:
        """Whether nothing is due (free tier, or received before the fee rules)."""
        return self.amount == 0


#: 按件计收 (国办函〔2020〕109号 第四条), the first two bands; from 31 on: `PER_APPLICATION_STEP`.
PER_APPLICATION_BANDS: tuple[FeeBand, ...] = (
    FeeBand(1, 10, Decimal(0)),
    FeeBand(11, 30, Decimal(100)),
)

#: 按件计收 from the 31st application of the month: bands of this many applications, each this
#: many 元 per application dearer than the previous band (第四条: 每增加10件，收费标准提高100元/件).
PER_APPLICATION_STEP: tuple[int, Decimal] = (10, Decimal(100))

#: 按量计收 (国办函〔2020〕109号 第五条), pages of one application.
PER_VOLUME_BANDS: tuple[FeeBand, ...] = (
    FeeBand(1, 30, Decimal(0)),
    FeeBand(31, 100, Decimal(10)),
    FeeBand(101, 200, Decimal(20)),
    FeeBand(201, None, Decimal(40)),
)


def _per_application_bands() -> Iterator[FeeBand]:
    yield from PER_APPLICATION_BANDS
    width, increment = PER_APPLICATION_STEP
    last = PER_APPLICATION_BANDS[-1]
    start, rate = (last.last or 0) + 1, last.rate
    while True:
        rate += increment
        yield FeeBand(start, start + width - 1, rate)
        start += width


def _bands(method: FeeMethod) -> Iterator[FeeBand]:
    if method is FeeMethod.PER_APPLICATION:
        return _per_application_bands()
    return iter(PER_VOLUME_BANDS)


def _check_count(value: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            f"{name} 应为正整数，实际为 {value!r}",
            f"{name} must be a positive integer, got {value!r}",
            field=name,
            code="fees.invalid_quantity",
        )


def calculate_fee(
    method: FeeMethod, quantity: int, *, received_on: date, first: int = 1
) -> FeeCalculation:
    """The information-processing fee of one application, by one method.

    :param method: 按件 or 按量; one per application (国办函〔2020〕109号 第三条).
    :param quantity: pages (按量) or applications charged (按件: usually 1, more where one
        application is split into several matters, 一事一申请).
    :param received_on: the application's receipt date (条例 2019 第三十一条); before
        `FEES_IN_FORCE_FROM` nothing is due.
    :param first: 按件 only: the ordinal, within the applicant's calendar month, of the first
        application charged (the 35th application of the month: ``first=35``).
    """
    if not isinstance(method, FeeMethod):
        raise ValidationError(
            f"收费方式应为 FeeMethod，实际为 {method!r}",
            f"method must be a FeeMethod, got {method!r}",
            field="method",
            code="fees.invalid_method",
        )
    _check_count(quantity, "quantity")
    _check_count(first, "first")
    received_on = day_arg(received_on, "received_on")
    if method is FeeMethod.PER_VOLUME and first != 1:
        raise ValidationError(
            "按量计收按单件申请的页数计算，first 只能为 1",
            "per-volume fees count the pages of one application; first must be 1",
            field="first",
            code="fees.invalid_quantity",
        )
    citation = f"{REGULATION}{_ARTICLE[method]}"
    if received_on < FEES_IN_FORCE_FROM:
        return FeeCalculation(
            method=method,
            first=first,
            quantity=quantity,
            amount=Decimal(0),
            charges=(),
            citation="《中华人民共和国政府信息公开条例》第四十二条",
            note=(
                f"申请于{received_on.isoformat()}收到，早于国办函〔2020〕109号施行日"
                f"{FEES_IN_FORCE_FROM.isoformat()}，不收取信息处理费"
            ),
        )
    last = first + quantity - 1
    charges: list[BandCharge] = []
    for band in _bands(method):
        if band.first > last:
            break
        low = max(first, band.first)
        high = last if band.last is None else min(last, band.last)
        if low <= high:
            charges.append(BandCharge(band, low, high, band.rate * (high - low + 1)))
    return FeeCalculation(
        method=method,
        first=first,
        quantity=quantity,
        amount=sum((c.amount for c in charges), Decimal(0)),
        charges=tuple(charges),
        citation=citation,
    )


def per_volume_fee(pages: int, *, received_on: date) -> FeeCalculation:
    """按量计收 for an application of ``pages`` pages (国办函〔2020〕109号 第五条)."""
    return calculate_fee(FeeMethod.PER_VOLUME, pages, received_on=received_on)


def per_application_fee(ordinal: int, *, received_on: date, count: int = 1) -> FeeCalculation:
    """按件计收 for the ``ordinal``-th application of the applicant's month (and ``count - 1``
    more after it), 国办函〔2020〕109号 第四条."""
    return calculate_fee(FeeMethod.PER_APPLICATION, count, received_on=received_on, first=ordinal)


def _yuan(amount: Decimal) -> str:
    return f"{amount.normalize():f}元"


def _range(method: FeeMethod, first: int, last: int | None) -> str:
    unit = _UNIT[method]
    if last is None:
        return f"第{first}{unit}及以上"
    if first == last:
        return f"第{first}{unit}"
    return f"第{first}—{last}{unit}"


def fee_notice_text(calc: FeeCalculation, *, payment_days: int | None = None) -> str:
    """The calculation in Chinese, for the 收费通知: basis, each band, total.

    :param payment_days: if given, adds the payment period (working days from the day after the
        notice is received; e.g. ``snapshot.working_days("fee_payment_days")``).
    """
    method, unit = calc.method, _UNIT[calc.method]
    if calc.note is not None:
        return f"信息处理费：0元。{calc.note}（依据{calc.citation}）。"
    lines = [
        f"信息处理费计算说明（依据{calc.citation}，{method.label}，实行超额累进）",
    ]
    if method is FeeMethod.PER_APPLICATION:
        lines.append(
            f"本次计收申请人本自然月内累计{_range(method, calc.first, calc.last)}申请，"
            f"共{calc.quantity}件："
        )
    else:
        lines.append(f"本申请提供政府信息共{calc.quantity}页：")
    for c in calc.charges:
        rate = "免费" if c.band.rate == 0 else f"每{unit}{_yuan(c.band.rate)}"
        lines.append(
            f"  {_range(method, c.first, c.last)}，{c.units}{unit}，{rate}，{_yuan(c.amount)}；"
        )
    lines.append(f"合计：{_yuan(calc.amount)}。")
    lines.append(
        "同一申请只按一种方式计收，不同时按件和按量重复计算（国办函〔2020〕109号第三条）。"
    )
    if payment_days is not None and calc.amount > 0:
        lines.append(
            f"请自收到本通知次日起{payment_days}个工作日内缴纳；逾期未缴纳的，视为放弃申请，"
            "本机关不再处理该政府信息公开申请。"
        )
    return "\n".join(lines)


def notified_event(
    calc: FeeCalculation,
    *,
    on: date,
    actor: str | None = None,
    application: Application | None = None,
) -> FeeNotified:
    """The `FeeNotified` event recording a notice of ``calc`` sent on ``on``.

    Refused for a free calculation (there is nothing to notify, and a zero notice would put the
    application in 待缴费 for no reason), and, when ``application`` is given, if an earlier fee
    notice of that application used the other method (国办函〔2020〕109号 第三条).
    """
    if calc.is_free:
        raise ValidationError(
            "应收信息处理费为0元，无需发出收费通知",
            "the fee is zero; no fee notice is needed",
            field="amount",
            code="fees.nothing_due",
        )
    if application is not None:
        for ev in application.events:
            if isinstance(ev, FeeNotified) and ev.method is not calc.method:
                raise ValidationError(
                    f"申请 {application.id} 已按“{ev.method.label}”发出收费通知，"
                    f"不得再按“{calc.method.label}”计收（国办函〔2020〕109号第三条）",
                    f"application {application.id} was already charged {ev.method.code!r}; "
                    f"it may not also be charged {calc.method.code!r} (109号 art. 3)",
                    field="method",
                    code="fees.both_methods",
                )
    return FeeNotified(
        on=on,
        amount=calc.amount,
        method=calc.method,
        quantity=calc.quantity,
        basis=calc.citation,
        actor=actor,
    )
