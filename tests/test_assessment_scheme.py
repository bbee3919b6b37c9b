"""The assessment scheme file and periods: every problem found at once, each naming its key."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from govdisclose.assessment import Period, SchemeInvalid, parse_scheme
from govdisclose.errors import ValidationError

GOOD = """
[scheme]
office = "county"
period = "half"
total = 100
agencies = ["a", "b"]

[indicators.reply_on_time]
weight = 60
rule = "deduction"
per_fault = 2
floor = 10

[indicators.proactive_on_time]
weight = 40
rule = "linear"
zero_at = 0.8
full_at = 1.0
"""


def test_periods() -> None:
    h1 = Period.parse("2026H1")
    assert (h1.first, h1.last, str(h1.previous())) == (
        date(2026, 1, 1),
        date(2026, 6, 30),
        "2025H2",
    )
    assert Period.parse("2026-02").last == date(2026, 2, 28)
    assert str(Period.parse("2026Q1").previous()) == "2025Q4"
    assert Period.parse("2026").last == date(2026, 12, 31)
    with pytest.raises(ValidationError, match="2026H3"):
        Period.parse("2026H3")


def test_points_by_rule() -> None:
    scheme = parse_scheme(GOOD)
    reply, proactive = scheme.indicators
    # deduction: 60 - 2 x 3 = 54; 60 - 2 x 30 = 0, held at the floor 10
    assert reply.points(Decimal(0), 3) == Decimal("54.00")
    assert reply.points(Decimal(0), 30) == Decimal("10.00")
    # linear: (0.9 - 0.8) / (1.0 - 0.8) x 40 = 20; below 0.8 is 0, above 1.0 is capped
    assert proactive.points(Decimal("0.9"), 0) == Decimal("20.00")
    assert proactive.points(Decimal("0.5"), 0) == Decimal("0.00")


def test_every_problem_is_named_by_its_key() -> None:
    bad = GOOD.replace("weight = 40", "weight = 30").replace("zero_at = 0.8", "zero_at = 1.5")
    bad += '\n[indicators.no_such]\nweight = 5\nrule = "linear"\n'
    with pytest.raises(SchemeInvalid) as caught:
        parse_scheme(bad)
    keys = {f.key: f.code for f in caught.value.findings}
    assert keys == {
        "indicators.no_such": "assessment.unknown_indicator",
        "indicators.proactive_on_time.zero_at": "assessment.bad_bound",
        "indicators.proactive_on_time.full_at": "assessment.bad_bound",
        # 60 + 30 + 5 = 95, not 100
        "indicators": "assessment.weights_total",
    }
