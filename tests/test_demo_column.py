"""The demo's disclosure column: every column has records, the interpretations satisfy GD-R014,
and the demo says where the site is (issue 14)."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import attrs
import pytest

from govdisclose import synthetic
from govdisclose.calendar import WorkCalendar
from govdisclose.params import ParameterSet
from govdisclose.rules import RuleContext, RuleSet, Severity
from govdisclose.vocab import DocumentKind

pytest.importorskip("govdisclose_static_site")


def test_column_data_links_every_published_policy_to_an_interpretation_published_with_it() -> None:
    """``column=True``: each published 规章 and 行政规范性文件 is marked important and links one
    政策解读 that exists, is published at the same moment and is proactive; GD-R014 finds no
    error, and without the links it would (the rule is really applied)."""
    data = synthetic.generate(2025, applications_per_agency=1, records_per_agency=30, column=True)
    by_id = {r.id: r for r in data.records}
    policies = [
        r
        for r in data.records
        if r.kind in (DocumentKind.RULE, DocumentKind.NORMATIVE_DOCUMENT) and r.publications
    ]
    assert policies
    context = RuleContext(
        as_of=date(2026, 1, 20),
        params=ParameterSet.default(),
        calendar=WorkCalendar.default(),
        find_record=by_id.get,
    )
    rules = RuleSet.default()
    for policy in policies:
        assert policy.important_policy
        (linked,) = policy.interpretations
        interpretation = by_id[linked]
        assert interpretation.kind is DocumentKind.POLICY_INTERPRETATION
        assert interpretation.first_published_on == policy.first_published_on
        found = [f for f in rules.check(policy, context) if f.rule_id == "GD-R014"]
        assert [f for f in found if f.severity is Severity.ERROR] == []
    bare = attrs.evolve(policies[0], interpretations=())
    errors = [
        f
        for f in rules.check(bare, context)
        if f.rule_id == "GD-R014" and f.severity is Severity.ERROR
    ]
    assert errors


def test_column_data_leaves_the_other_records_as_they_were() -> None:
    """The flag adds records and tags; the records generated without it are unchanged but for
    the tags and links (so the other users of `generate` see the same data)."""
    plain = synthetic.generate(2025, applications_per_agency=3, records_per_agency=12, seed=4)
    column = synthetic.generate(
        2025, applications_per_agency=3, records_per_agency=12, seed=4, column=True
    )
    assert column.applications == plain.applications
    tagged = {r.id: r for r in column.records}
    for record in plain.records:
        other = tagged[record.id]
        assert attrs.evolve(other, key_areas=(), interpretations=(), important_policy=False) == (
            record
        )
    assert len(column.records) > len(plain.records)


def test_the_demo_fills_every_column_and_says_where_the_site_is(tmp_path: Path) -> None:
    """Every column of the demo's site lists records: the fifteen items of 第二十条, every key
    area of the shipped catalogue, 政策解读 and 政府信息公开制度; the interpretation and its
    policy link each other; the demo prints the site's index page."""
    from govdisclose.demo import run_demo
    from govdisclose_static_site import KeyAreaCatalogue
    from govdisclose_static_site.catalogues import article20_items

    out = io.StringIO()
    status = run_demo(tmp_path / "d", out=out, store_url="memory://", applications=10, seed=5)
    text = out.getvalue()
    assert status == 0, text
    assert "columns left empty: 0" in text
    site = tmp_path / "d" / "site"
    assert f"the disclosure column: {site / 'index.html'}" in text
    columns = [f"fdzdgk/{i.slug}" for i in article20_items()]
    columns += [f"zdly/{a.code}" for a in KeyAreaCatalogue.bundled()]
    columns += ["jd", "zd"]
    for column in columns:
        page = (site / column / "index.html").read_text("utf-8")
        rows = re.findall(r'href="(?:\.\./)+records/[^"]+\.html"', page)
        assert rows, column
        assert "本栏目暂无信息" not in page, column
    # An interpretation's page links its policy and the policy's page links it back.
    jd = (site / "jd" / "index.html").read_text("utf-8")
    first = re.search(r'href="\.\./(records/[^"]+\.html)"', jd)
    assert first
    page = (site / first.group(1)).read_text("utf-8")
    assert "解读的文件" in page
    policy = re.search(r'href="\.\./(records/[^"]+\.html)"', page[page.index("解读的文件") :])
    assert policy, "the interpretation names its policy"
    back = (site / policy.group(1)).read_text("utf-8")
    assert "相关解读" in back
    assert Path(first.group(1)).name in back
