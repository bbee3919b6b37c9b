"""A demo-like store for the site tests: the synthetic city government and its departments
(`govdisclose.synthetic`), its records tagged the way an office tags them (key areas, 制度 pages,
policy interpretations linked to their policies, a repealed rule), one record the guard blocks
and one never published; and the office's disclosure guide."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs

from govdisclose import synthetic
from govdisclose.model import Record
from govdisclose.testing import MemoryStore
from govdisclose.vocab import Channel, DocumentKind, Validity
from govdisclose_static_site import (
    ApplyChannel,
    DisclosureGuide,
    Office,
    ReadingRoom,
    SiteConfig,
)

YEAR = 2025
AS_OF = date(2026, 1, 20)
BASE_URL = "https://www.example.gov.cn/xxgk/"
#: Key areas given to the records in turn (names of the shipped catalogue).
AREAS = ("财政预决算", "重大建设项目", "环境保护", "社会保障", "政府采购", "行政处罚")
#: A record whose body carries an ID number: published once, blocked by the guard now.
BLOCKED = "city-housing-2025-PII"
#: A proactive record never published: not on the site.
UNPUBLISHED = "city-gov-2025-R09999"

GUIDE = DisclosureGuide(
    agency="city-gov",
    updated_on=date(2025, 12, 1),
    offices=(
        Office(
            name="某市人民政府办公室政务公开科",
            address="某市某区府前路1号",
            postcode="310000",
            hours="工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）",
            phone="0571-87000000",
            fax="0571-87000001",
            email="xxgk@example.gov.cn",
        ),
    ),
    channels=(
        ApplyChannel(Channel.IN_PERSON, "某市某区府前路1号市民中心三楼政务公开窗口"),
        ApplyChannel(Channel.POST, "某市某区府前路1号某市人民政府办公室政务公开科，邮编310000"),
        ApplyChannel(Channel.ONLINE, "https://www.example.gov.cn/xxgk/ysq/"),
    ),
    reading_rooms=(
        ReadingRoom("某市档案馆政府信息查阅中心", "某市某区档案路2号", "工作日9:00—17:00"),
    ),
    supervisor="某市人民政府办公室（市政府信息公开工作主管部门）",
    reconsideration="某市人民政府",
    court="某市某区人民法院",
)


def demo_records(
    records_per_agency: int = 24, seed: int = 7
) -> tuple[synthetic.Dataset, list[Record]]:
    """The synthetic dataset and its records as an office would have tagged them."""
    data = synthetic.generate(
        YEAR, applications_per_agency=25, records_per_agency=records_per_agency, seed=seed
    )
    records: list[Record] = []
    for i, record in enumerate(data.records):
        areas: tuple[str, ...] = ()
        if i % 2 == 0:
            areas = (AREAS[(i // 2) % len(AREAS)],)
        if i % 17 == 5:
            areas = (*areas, "政府信息公开制度")
        records.append(attrs.evolve(record, key_areas=areas))
    # A policy and its interpretation, published together (the same publication).
    policies = [r for r in records if r.kind is DocumentKind.NORMATIVE_DOCUMENT and r.publications]
    policy = policies[0]
    interpretation = attrs.evolve(
        policy,
        id=f"{policy.id}-JD",
        title=f"《{policy.title.removeprefix('关于').removesuffix('的规定')}》政策解读",
        kind=DocumentKind.POLICY_INTERPRETATION,
        index_number=f"{policy.index_number}-JD",
        document_number=None,
        validity=Validity.VALID,
        repealed_on=None,
        key_areas=(),
        body="一、制定背景。\n二、主要内容。\n三、适用范围。",
    )
    linked = attrs.evolve(policy, interpretations=(interpretation.id,), important_policy=True)
    records = [linked if r.id == policy.id else r for r in records]
    records.append(interpretation)
    # A repealed rule.
    rules = [r for r in records if r.kind is DocumentKind.RULE and r.publications]
    rule = rules[0]
    repealed = attrs.evolve(
        rule, validity=Validity.REPEALED, repealed_on=date(YEAR, 11, 30), title=rule.title
    )
    records = [repealed if r.id == rule.id else r for r in records]
    # One record that now carries an ID number (the guard blocks it), one never published.
    proactive = next(r for r in records if r.publications and r.kind is DocumentKind.OTHER)
    body = proactive.body + "联系人王某某，身份证号110101199003078515。"
    records.append(attrs.evolve(proactive, id=BLOCKED, body=body, key_areas=()))
    records.append(attrs.evolve(proactive, id=UNPUBLISHED, publications=(), key_areas=()))
    return data, records


def demo_store(records_per_agency: int = 24, seed: int = 7) -> MemoryStore:
    """A memory store with the demo agencies, tagged records, applications and review cases."""
    data, records = demo_records(records_per_agency, seed)
    store = MemoryStore()
    store.import_bulk(
        agencies=data.agencies,
        records=records,
        applications=data.applications,
        review_cases=data.review_cases,
    )
    return store


def demo_config(root: Path, **changes: object) -> SiteConfig:
    """The demo city's column settings."""
    config = SiteConfig(
        root=root, base_url=BASE_URL, title="某市政府信息公开专栏", guide=GUIDE, page_size=10
    )
    return attrs.evolve(config, **changes)
