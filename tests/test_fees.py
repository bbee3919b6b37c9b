"""The information-processing fee of 国办函〔2020〕109号: golden cases and band arithmetic."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from govdisclose.errors import ValidationError
from govdisclose.fees import (
    FEES_IN_FORCE_FROM,
    FeeCalculation,
    calculate_fee,
    fee_notice_text,
    notified_event,
    per_application_fee,
    per_volume_fee,
)
from govdisclose.lifecycle import apply, apply_all, status
from govdisclose.model import Applicant, Application, FeeNotified, Received
from govdisclose.vocab import ApplicantType, Channel, FeeMethod

DAY = date(2025, 3, 3)
PROPS = settings(max_examples=150, deadline=None)


def _pages(n: int) -> Decimal:
    return per_volume_fee(n, received_on=DAY).amount


def _month(n: int) -> Decimal:
    """The fees of an applicant's first ``n`` applications of a month, together."""
    return calculate_fee(FeeMethod.PER_APPLICATION, n, received_on=DAY).amount


def _kth(k: int) -> Decimal:
    """The closed formula for the k-th application of a month (law/facts.md §1.6, my reading
    of 第四条): 0 if k <= 10; 100 if 11 <= k <= 30; 100 x (1 + ceil((k - 30) / 10)) from 31."""
    if k <= 10:
        return Decimal(0)
    if k <= 30:
        return Decimal(100)
    return Decimal(100 * (1 + -(-(k - 30) // 10)))


def _pages_closed(n: int) -> Decimal:
    """第五条 as one piecewise formula, independent of the band data."""
    over30 = max(0, min(n, 100) - 30)
    over100 = max(0, min(n, 200) - 100)
    over200 = max(0, n - 200)
    return Decimal(10 * over30 + 20 * over100 + 40 * over200)


# -- golden cases, checked by hand ---------------------------------------------------------


def test_35_applications_in_a_month() -> None:
    """10 x 0 + 20 x 100 + 5 x 200 = 3,000 元 (law/facts.md §1.6 worked example)."""
    calc = calculate_fee(FeeMethod.PER_APPLICATION, 35, received_on=DAY)
    assert calc.amount == Decimal(3000)
    assert [(c.first, c.last, int(c.band.rate), int(c.amount)) for c in calc.charges] == [
        (1, 10, 0, 0),
        (11, 30, 100, 2000),
        (31, 35, 200, 1000),
    ]


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (150, 1700),  # 70 x 10 + 50 x 20
        (200, 2700),  # 70 x 10 + 100 x 20
        # The reported real case (law/facts.md §1.6, S9): 70 x 10 + 100 x 20 + 2,019 x 40.
        (2219, 83460),
        (30, 0),
        (31, 10),
        (100, 700),
        (101, 720),
        (201, 2740),
    ],
)
def test_per_volume_golden(pages: int, expected: int) -> None:
    """Per-volume fees of 第五条, excess-progressive."""
    assert _pages(pages) == Decimal(expected)


@pytest.mark.parametrize(
    ("k", "expected"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400), (95, 800)],
)
def test_kth_application_of_the_month(k: int, expected: int) -> None:
    """The k-th application of the month costs the rate of its band (第四条)."""
    calc = per_application_fee(k, received_on=DAY)
    assert calc.amount == Decimal(expected)
    assert calc.quantity == 1
    assert calc.first == calc.last == k


def test_2219_pages_bands_for_the_notice() -> None:
    """The notice of the real case shows every band and the total."""
    calc = per_volume_fee(2219, received_on=DAY)
    assert [(c.first, c.last, c.units, int(c.amount)) for c in calc.charges] == [
        (1, 30, 30, 0),
        (31, 100, 70, 700),
        (101, 200, 100, 2000),
        (201, 2219, 2019, 80760),
    ]
    text = fee_notice_text(calc, payment_days=20)
    assert "第五条" in text
    assert "按量计收" in text
    assert "第201—2219页，2019页，每页40元，80760元" in text
    assert "合计：83460元" in text
    assert "20个工作日" in text
    assert "第三条" in text


def test_per_application_notice() -> None:
    """A 按件 notice names the month's cumulative ordinal."""
    text = fee_notice_text(per_application_fee(35, received_on=DAY))
    assert "累计第35件" in text
    assert "每件200元" in text
    assert "合计：200元" in text


def test_free_tier_notice_has_no_payment_request() -> None:
    """Nothing due: no payment sentence even when a period is given."""
    calc = per_volume_fee(30, received_on=DAY)
    assert calc.is_free
    assert "缴纳" not in fee_notice_text(calc, payment_days=20).split("。")[-2]
    assert "合计：0元" in fee_notice_text(calc)


@pytest.mark.parametrize("received", [date(2020, 12, 31), date(2019, 5, 15), date(2010, 1, 1)])
def test_no_fee_before_2021(received: date) -> None:
    """Applications received before 2021-01-01 owe no information-processing fee."""
    calc = per_volume_fee(2219, received_on=received)
    assert calc.amount == 0
    assert calc.charges == ()
    assert calc.note is not None
    assert "第四十二条" in calc.citation
    assert "0元" in fee_notice_text(calc)


def test_fees_from_the_first_day() -> None:
    """The 办法 applies from 2021-01-01 itself."""
    assert per_volume_fee(150, received_on=FEES_IN_FORCE_FROM).amount == 1700


@pytest.mark.parametrize(
    ("method", "quantity", "first", "field"),
    [
        (FeeMethod.PER_VOLUME, 0, 1, "quantity"),
        (FeeMethod.PER_VOLUME, -3, 1, "quantity"),
        (FeeMethod.PER_VOLUME, True, 1, "quantity"),
        (FeeMethod.PER_VOLUME, 2.5, 1, "quantity"),
        (FeeMethod.PER_VOLUME, 10, 5, "first"),
        (FeeMethod.PER_APPLICATION, 1, 0, "first"),
        ("per_volume", 10, 1, "method"),
    ],
)
def test_bad_input(method: object, quantity: object, first: object, field: str) -> None:
    """Counts are positive integers, pages start at 1, the method is a FeeMethod."""
    with pytest.raises(ValidationError) as info:
        calculate_fee(method, quantity, received_on=DAY, first=first)  # type: ignore[arg-type]
    assert info.value.field == field


def _app() -> Application:
    return apply(
        Application(
            id="2025-0101",
            agency="330100",
            applicant=Applicant(type=ApplicantType.COMMERCIAL_ENTERPRISE, name="某咨询公司"),
            channel=Channel.ONLINE,
            request="请提供2024年全部行政处罚决定书",
        ),
        Received(on=DAY),
    )


def test_notified_event_enters_the_lifecycle() -> None:
    """A calculation becomes the fee-notice event, and the application awaits payment."""
    calc = per_volume_fee(150, received_on=DAY)
    event = notified_event(calc, on=date(2025, 3, 10), actor="办公室")
    assert event == FeeNotified(
        on=date(2025, 3, 10),
        amount=Decimal(1700),
        method=FeeMethod.PER_VOLUME,
        quantity=150,
        basis=calc.citation,
        actor="办公室",
    )
    assert status(apply(_app(), event)).code == "awaiting_fee"


def test_notified_event_refuses_free_and_both_methods() -> None:
    """No notice for nothing due; never both methods for one application (第三条)."""
    with pytest.raises(ValidationError) as info:
        notified_event(per_volume_fee(20, received_on=DAY), on=DAY)
    assert info.value.code == "fees.nothing_due"
    first = notified_event(per_volume_fee(150, received_on=DAY), on=DAY)
    app = apply_all(_app(), (first,))
    other = per_application_fee(31, received_on=DAY)
    with pytest.raises(ValidationError) as info:
        notified_event(other, on=DAY, application=app)
    assert info.value.code == "fees.both_methods"
    again = notified_event(per_volume_fee(160, received_on=DAY), on=DAY, application=app)
    assert again.method is FeeMethod.PER_VOLUME


# -- properties ------------------------------------------------------------------------------


def _well_formed(calc: FeeCalculation) -> None:
    assert calc.amount == sum((c.amount for c in calc.charges), Decimal(0))
    assert sum(c.units for c in calc.charges) == calc.quantity
    assert calc.charges[0].first == calc.first
    assert calc.charges[-1].last == calc.last
    for before, after in zip(calc.charges, calc.charges[1:], strict=False):
        assert after.first == before.last + 1
        assert after.band.rate > before.band.rate
    for c in calc.charges:
        assert c.amount == c.band.rate * c.units
        assert c.band.contains(c.first)
        assert c.band.contains(c.last)


@PROPS
@given(st.integers(1, 5000))
def test_per_volume_properties(pages: int) -> None:
    """Band arithmetic adds up, matches the closed formula, and grows with the pages."""
    calc = per_volume_fee(pages, received_on=DAY)
    _well_formed(calc)
    assert calc.amount == _pages_closed(pages)
    assert _pages(pages + 1) >= calc.amount
    assert (calc.amount == 0) == (pages <= 30)


@PROPS
@given(st.integers(1, 400), st.integers(1, 60))
def test_per_application_properties(first: int, count: int) -> None:
    """Each application costs its band's rate; charges add up; the month total is additive."""
    calc = per_application_fee(first, received_on=DAY, count=count)
    _well_formed(calc)
    assert calc.amount == sum((_kth(k) for k in range(first, first + count)), Decimal(0))
    earlier = _month(first - 1) if first > 1 else Decimal(0)
    assert _month(first + count - 1) == earlier + calc.amount
    assert _kth(first + count) >= _kth(first + count - 1)


@PROPS
@given(st.integers(1, 10))
def test_free_tiers(n: int) -> None:
    """Up to 10 applications a month and up to 30 pages an application are free."""
    assert _month(n) == 0
    assert _pages(n * 3) == 0


@PROPS
@given(st.integers(1, 1000), st.integers(1, 1000))
def test_monotonic(a: int, b: int) -> None:
    """More pages or more applications never cost less."""
    low, high = sorted((a, b))
    assert _pages(low) <= _pages(high)
    assert _month(low) <= _month(high)
