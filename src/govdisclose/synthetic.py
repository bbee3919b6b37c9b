"""Synthetic but realistic data: agencies, records, applications with valid histories, cases.

For the demo, benchmarks, notebooks and load tests. Everything is drawn from a seeded
`random.Random`, so the same arguments give the same data on every machine. Histories are built
through `govdisclose.lifecycle.apply`, so every generated application is one a store accepts.

The proportions (outcomes, applicant types, corrections, consultations) are plausible magnitudes
taken from published annual reports (e.g. the 2015 city report, seed 004), not statistics
of any real agency.

``generate(..., column=True)`` tags the records the way an office tags them for its
政府信息公开专栏 (seed 000 §四, seed 004 §二(三)): key areas (重点领域) from what each record is
about, one record for every key area and for the items of 条例 2019 第二十条 no key area covers
(机构职能, 规划信息, 统计信息), the office's 政府信息公开制度, and for every published 规章 and
行政规范性文件 a 政策解读 published with it and linked to it (seed 000 （七）: “须配发解读”;
rule GD-R014).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

import attrs
from attrs import frozen

from govdisclose.lifecycle import apply_all
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
    ReviewCase,
    ThirdPartyConsulted,
    ThirdPartyReplied,
    Withdrawn,
)
from govdisclose.vocab import (
    AgencyKind,
    AgencyLevel,
    ApplicantType,
    Channel,
    DisclosureAttribute,
    DisclosureScope,
    DocumentKind,
    FeeMethod,
    NonDisclosureReason,
    Outcome,
    PublicationChannel,
    ReviewCaseKind,
    ReviewResult,
    ReviewStatus,
    Validity,
    WithdrawalCause,
)

__all__ = ["Dataset", "demo_agencies", "generate", "generate_applications"]

_SHANGHAI = ZoneInfo("Asia/Shanghai")
T = TypeVar("T")

_APPLICANT_WEIGHTS: tuple[tuple[ApplicantType, int], ...] = (
    (ApplicantType.NATURAL_PERSON, 86),
    (ApplicantType.COMMERCIAL_ENTERPRISE, 8),
    (ApplicantType.RESEARCH_INSTITUTION, 1),
    (ApplicantType.PUBLIC_WELFARE_ORG, 1),
    (ApplicantType.LEGAL_SERVICE_ORG, 3),
    (ApplicantType.OTHER_ORG, 1),
)
_CHANNEL_WEIGHTS: tuple[tuple[Channel, int], ...] = (
    (Channel.ONLINE, 55),
    (Channel.POST, 20),
    (Channel.IN_PERSON, 12),
    (Channel.ORDINARY_LETTER, 5),
    (Channel.EMAIL, 5),
    (Channel.FAX, 2),
    (Channel.OTHER, 1),
)
_OUTCOME_WEIGHTS: tuple[tuple[Outcome, int], ...] = (
    (Outcome.DISCLOSED, 40),
    (Outcome.PARTIALLY_DISCLOSED, 8),
    (Outcome.NOT_HELD, 22),
    (Outcome.NEEDS_CREATION, 3),
    (Outcome.THIRD_PARTY_RIGHTS, 3),
    (Outcome.PROCESS_INFORMATION, 3),
    (Outcome.INTERNAL_AFFAIRS, 1),
    (Outcome.ENFORCEMENT_CASE_FILE, 1),
    (Outcome.STATE_SECRET, 1),
    (Outcome.PROHIBITED_BY_LAW, 1),
    (Outcome.ADMINISTRATIVE_QUERY, 2),
    (Outcome.PETITION_OR_COMPLAINT, 4),
    (Outcome.REPEATED, 3),
    (Outcome.PUBLICATION_REQUESTED, 1),
    (Outcome.EXCESSIVE, 1),
    (Outcome.CONFIRM_OR_REISSUE, 1),
    (Outcome.OTHER, 1),
)
_TOPICS = (
    "城乡建设、环境保护",
    "国土资源、能源",
    "卫生、体育",
    "劳动、人事、监察",
    "财政、金融、审计",
)
_SUBJECTS = (
    "某某路拓宽工程征收补偿方案",
    "2024年度部门预算执行情况",
    "某小区规划许可证及附图",
    "某企业环境影响评价批复",
    "某地块土地出让合同",
    "某学校新建项目立项批复",
    "本市最低工资标准调整依据",
    "某河道整治工程招标文件",
)
#: The key areas (names of the shipped 重点领域 catalogue) a record about a subject belongs to.
_SUBJECT_AREAS: dict[str, tuple[str, ...]] = {
    "某某路拓宽工程征收补偿方案": ("房屋征收与补偿",),
    "2024年度部门预算执行情况": ("财政预决算",),
    "某小区规划许可证及附图": ("行政审批",),
    "某企业环境影响评价批复": ("环境保护",),
    "某地块土地出让合同": ("国有建设用地使用权出让",),
    "某学校新建项目立项批复": ("重大建设项目", "教育"),
    "本市最低工资标准调整依据": ("就业创业",),
    "某河道整治工程招标文件": ("政府采购",),
}
#: One record per column of the disclosure column that the subjects above leave empty: the
#: key area or 第二十条 item (by its column's name), the publishing agency and the title.
_COLUMN_RECORDS: tuple[tuple[str, str, str], ...] = (
    ("机构职能", "city-gov", "某市人民政府办公室机构职能、内设机构和联系方式"),
    ("规划信息", "city-nrb", "某市国土空间总体规划（2021—2035年）"),
    ("统计信息", "city-gov", "{prev}年某市国民经济和社会发展统计公报"),
    ("权力清单和责任清单", "city-gov", "某市市级部门权力清单和责任清单（{year}年调整）"),
    ("行政处罚", "city-eeb", "某市生态环境局行政处罚决定书（某环罚〔{year}〕12号）"),
    ("审计结果", "city-gov", "关于{prev}年度市级预算执行和其他财政收支审计查出问题整改情况的报告"),
    ("价格和收费", "city-housing", "某市住房和城乡建设局行政事业性收费项目目录"),
    ("土地征收", "city-nrb", "某市{year}年第3批次农用地转用和土地征收批复"),
    ("保障性住房", "city-housing", "{year}年公共租赁住房分配结果公示"),
    ("社会保障", "city-hrss", "关于调整城乡居民基本养老保险基础养老金标准的通知"),
    ("医疗卫生", "city-gov", "某市公立医院医疗服务价格调整公示"),
    ("安全生产", "city-gov", "某市{year}年安全生产大检查工作方案"),
    ("食品药品安全", "city-gov", "{year}年第二季度某市食品安全监督抽检信息"),
    ("突发事件应对", "city-gov", "某市突发地质灾害应急预案"),
    ("公务员招考", "city-hrss", "某市{year}年度考试录用公务员拟录用人员公示"),
    ("信用信息", "city-gov", "某市{year}年第三季度行政许可和行政处罚“双公示”信息"),
)
#: The office's 政府信息公开制度 (seed 000 §五 names the systems a county keeps).
_SYSTEM_AREA = "政府信息公开制度"
_SYSTEMS = (
    "某市政府信息公开保密审查制度",
    "某市政府信息主动公开工作制度",
    "某市政府信息依申请公开办理工作制度",
    "某市政策解读工作制度",
    "某市政府信息公开工作考核和责任追究制度",
)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚"


def _pick(rng: random.Random, weighted: Sequence[tuple[T, int]]) -> T:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _weekday_after(day: date, days: int) -> date:
    # Plain Monday-Friday stepping: synthetic dates need to look like office days, not to be
    # statutory deadlines (those are always computed by govdisclose.deadlines).
    step = day
    for _ in range(days):
        step += timedelta(days=1)
        while step.weekday() >= 5:
            step += timedelta(days=1)
    return step


def demo_agencies() -> tuple[Agency, ...]:
    """A city government and four of its departments (a typical reporting tree)."""
    gov = Agency(
        code="city-gov",
        name="某市人民政府办公室",
        level=AgencyLevel.CITY,
        kind=AgencyKind.GOVERNMENT,
    )
    departments = (
        ("city-nrb", "某市自然资源和规划局"),
        ("city-eeb", "某市生态环境局"),
        ("city-hrss", "某市人力资源和社会保障局"),
        ("city-housing", "某市住房和城乡建设局"),
    )
    return (
        gov,
        *(
            Agency(code=c, name=n, level=AgencyLevel.CITY, parent="city-gov")
            for c, n in departments
        ),
    )


def _applicant(rng: random.Random, kind: ApplicantType) -> Applicant:
    if kind is ApplicantType.NATURAL_PERSON:
        name = rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2))))
        return Applicant(
            type=kind, name=name, phone=f"1{rng.randint(3, 9)}{rng.randint(0, 10**9 - 1):09d}"
        )
    return Applicant(
        type=kind, name=f"某{rng.choice(('科技', '建设', '律师', '咨询'))}单位{rng.randint(1, 999)}"
    )


def _history(rng: random.Random, received: date, horizon: date) -> list[Event]:
    """Events after receipt: a valid history, cut at ``horizon`` (the case may stay open)."""
    events: list[Event] = []
    day = received
    if rng.random() < 0.08:
        day = _weekday_after(day, rng.randint(1, 6))
        events.append(CorrectionRequested(on=day, items="请明确所需信息的名称、文号或其他特征描述"))
        if rng.random() < 0.2:
            events.append(
                DeemedWithdrawn(on=_weekday_after(day, 16), cause=WithdrawalCause.NO_CORRECTION)
            )
            return [e for e in events if e.on <= horizon]
        day = _weekday_after(day, rng.randint(1, 10))
        events.append(CorrectionReceived(on=day))
    if rng.random() < 0.05:
        day = _weekday_after(day, rng.randint(1, 5))
        party = f"第三方{rng.randint(1, 99)}"
        events.append(ThirdPartyConsulted(on=day, party=party))
        day = _weekday_after(day, rng.randint(3, 15))
        events.append(ThirdPartyReplied(on=day, party=party, consents=rng.random() < 0.6))
    if rng.random() < 0.07:
        day = _weekday_after(day, rng.randint(10, 18))
        events.append(
            Extended(on=day, days=20, reason="需要调取档案核查", approved_by="公开办负责人")
        )
    if rng.random() < 0.015:
        day = _weekday_after(day, rng.randint(1, 5))
        pages = rng.randint(40, 600)
        events.append(
            FeeNotified(
                on=day, amount=Decimal(10 * pages), method=FeeMethod.PER_VOLUME, quantity=pages
            )
        )
        if rng.random() < 0.4:
            events.append(
                DeemedWithdrawn(on=_weekday_after(day, 21), cause=WithdrawalCause.FEE_NOT_PAID)
            )
            return [e for e in events if e.on <= horizon]
        day = _weekday_after(day, rng.randint(1, 15))
        events.append(FeePaid(on=day, amount=Decimal(10 * pages)))
    if rng.random() < 0.01:
        events.append(Withdrawn(on=_weekday_after(day, rng.randint(1, 5))))
        return [e for e in events if e.on <= horizon]
    # Most replies come well inside the limit; a few are late, as inspections find.
    lag = rng.randint(3, 18) if rng.random() < 0.93 else rng.randint(21, 35)
    outcome = _pick(rng, _OUTCOME_WEIGHTS)
    # Every outcome but full disclosure states its reasons (条例 2019 第三十六条、第三十七条).
    reasons = None if outcome is Outcome.DISCLOSED else f"经审查，{outcome.label}"
    events.append(Replied(on=_weekday_after(day, lag), outcome=outcome, reasons=reasons))
    return [e for e in events if e.on <= horizon]


def generate_applications(
    agency: str,
    year: int,
    count: int,
    *,
    seed: int = 0,
    horizon: date | None = None,
    id_prefix: str | None = None,
) -> Iterator[Application]:
    """``count`` applications to ``agency`` received during ``year``, with valid histories.

    Events after ``horizon`` (default: 31 December of ``year``) are left out, so applications
    received late in the year are still open then and are carried forward.
    """
    rng = random.Random(f"{seed}:{agency}:{year}")
    end = horizon or date(year, 12, 31)
    start = date(year, 1, 1)
    span = (date(year, 12, 31) - start).days
    prefix = id_prefix or f"{agency}-{year}"
    for i in range(count):
        received = start + timedelta(days=rng.randint(0, span))
        # Offices receive on weekdays: move a weekend day to Monday, or back to Friday at the
        # end of the year.
        step = (
            timedelta(days=1)
            if received + timedelta(days=2) <= date(year, 12, 31)
            else -1 * timedelta(days=1)
        )
        while received.weekday() >= 5:
            received += step
        if received > end:
            received = end
        kind = _pick(rng, _APPLICANT_WEIGHTS)
        app = Application(
            id=f"{prefix}-{i:06d}",
            agency=agency,
            applicant=_applicant(rng, kind),
            channel=_pick(rng, _CHANNEL_WEIGHTS),
            request=f"申请公开{rng.choice(_SUBJECTS)}",
        )
        yield apply_all(app, [Received(on=received), *_history(rng, received, end)])


def _records(
    rng: random.Random, agency: str, year: int, count: int, *, column: bool = False
) -> Iterator[Record]:
    start = date(year, 1, 1)
    for i in range(count):
        formed = _weekday_after(start, rng.randint(0, 240))
        kind = rng.choices(
            (DocumentKind.NORMATIVE_DOCUMENT, DocumentKind.RULE, DocumentKind.OTHER),
            weights=(3, 1, 12),
        )[0]
        attribute = rng.choices(
            (
                DisclosureAttribute.PROACTIVE,
                DisclosureAttribute.ON_REQUEST,
                DisclosureAttribute.NOT_DISCLOSED,
            ),
            weights=(80, 15, 5),
        )[0]
        if kind is not DocumentKind.OTHER:
            attribute = DisclosureAttribute.PROACTIVE
        reason = None
        basis = None
        if attribute is DisclosureAttribute.ON_REQUEST:
            reason, basis = NonDisclosureReason.SPECIFIC_PERSONS, "《条例》第二十七条"
        elif attribute is DisclosureAttribute.NOT_DISCLOSED:
            reason, basis = NonDisclosureReason.PROCESS_INFORMATION, "《条例》第十六条第二款"
        decision = AttributeDecision(
            attribute=attribute,
            decided_by="起草处室",
            decided_on=formed,
            reason=reason,
            legal_basis=basis,
        )
        publications: tuple[Publication, ...] = ()
        if attribute is DisclosureAttribute.PROACTIVE:
            lag = rng.randint(1, 14) if rng.random() < 0.95 else rng.randint(21, 40)
            published = _weekday_after(formed, lag)
            publications = (
                Publication(
                    publisher="portal",
                    channel=PublicationChannel.PORTAL,
                    published_at=datetime.combine(published, time(10, 0), _SHANGHAI),
                    url=f"https://www.example.gov.cn/xxgk/{agency}/{year}/{i:05d}.html",
                    scope=DisclosureScope.FULL,
                ),
            )
        repealed = None
        validity = Validity.VALID
        if kind is not DocumentKind.OTHER and rng.random() < 0.05:
            repealed = _weekday_after(formed, rng.randint(30, 90))
            validity = Validity.REPEALED
        suffix = "通知" if kind is DocumentKind.OTHER else "规定"
        subject = rng.choice(_SUBJECTS)
        yield Record(
            id=f"{agency}-{year}-R{i:05d}",
            title=f"关于{subject}的{suffix}",
            key_areas=_SUBJECT_AREAS[subject] if column else (),
            agency=agency,
            formed_on=formed,
            kind=kind,
            index_number=f"{agency}/{year}-{i:05d}",
            document_number=f"某政办〔{year}〕{i + 1}号",
            topic=rng.choice(_TOPICS),
            decisions=(decision,),
            review_status=ReviewStatus.PASSED,
            reviewed_by="办公室",
            reviewed_on=formed,
            publications=publications,
            validity=validity,
            repealed_on=repealed,
            body="为进一步规范相关工作，现将有关事项通知如下。",
        )


def _published(agency: str, year: int, number: int, day: date, at: time) -> Publication:
    return Publication(
        publisher="portal",
        channel=PublicationChannel.PORTAL,
        published_at=datetime.combine(day, at, _SHANGHAI),
        url=f"https://www.example.gov.cn/xxgk/{agency}/{year}/{number:05d}.html",
        scope=DisclosureScope.FULL,
    )


def _column_record(
    agency: str, year: int, number: int, title: str, areas: tuple[str, ...], formed: date
) -> Record:
    """A proactive record published a few working days after it was formed."""
    return Record(
        id=f"{agency}-{year}-R{number:05d}",
        title=title,
        agency=agency,
        formed_on=formed,
        index_number=f"{agency}/{year}-{number:05d}",
        topic=_TOPICS[number % len(_TOPICS)],
        key_areas=areas,
        decisions=(
            AttributeDecision(
                attribute=DisclosureAttribute.PROACTIVE, decided_by="起草处室", decided_on=formed
            ),
        ),
        review_status=ReviewStatus.PASSED,
        reviewed_by="办公室",
        reviewed_on=formed,
        publications=(_published(agency, year, number, _weekday_after(formed, 3), time(9, 30)),),
        body="根据《中华人民共和国政府信息公开条例》第二十条，现予公开。",
    )


def _interpretation(policy: Record, number: int) -> Record:
    """The 政策解读 of ``policy``, published with it (the same moment: GD-R014's default)."""
    name = policy.title.removeprefix("关于").removesuffix("的规定")
    return Record(
        id=f"{policy.agency}-{policy.formed_on.year}-J{number:05d}",
        title=f"《{name}》政策解读",
        agency=policy.agency,
        formed_on=policy.formed_on,
        kind=DocumentKind.POLICY_INTERPRETATION,
        index_number=f"{policy.agency}/{policy.formed_on.year}-{number:05d}",
        topic=policy.topic,
        decisions=(
            AttributeDecision(
                attribute=DisclosureAttribute.PROACTIVE,
                decided_by="起草处室",
                decided_on=policy.formed_on,
            ),
        ),
        review_status=ReviewStatus.PASSED,
        reviewed_by="办公室",
        reviewed_on=policy.formed_on,
        publications=policy.publications,
        body="一、制定背景和依据。\n二、主要内容。\n三、适用范围和施行时间。\n四、解读机关和联系方式。",
    )


def _column(records: list[Record], year: int, seed: int, per_agency: int) -> list[Record]:
    """The records of `generate`'s ``column=True``: the published policies linked to their
    interpretations, then the interpretations, a record for every otherwise empty column, and
    the 政府信息公开制度 pages (numbered after the agency's ``per_agency`` records)."""
    rng = random.Random(f"{seed}:column:{year}")
    serial: dict[str, int] = {}

    def number(agency: str) -> int:
        serial[agency] = serial.get(agency, per_agency) + 1
        return serial[agency] - 1

    out: list[Record] = []
    extra: list[Record] = []
    for record in records:
        policy = (
            record.kind in (DocumentKind.RULE, DocumentKind.NORMATIVE_DOCUMENT)
            and record.publications
        )
        if not policy:
            out.append(record)
            continue
        interpretation = _interpretation(record, number(record.agency))
        out.append(
            attrs.evolve(record, important_policy=True, interpretations=(interpretation.id,))
        )
        extra.append(interpretation)
    for area, agency, title in _COLUMN_RECORDS:
        formed = _weekday_after(date(year, 1, 1), rng.randint(5, 230))
        text = title.format(year=year, prev=year - 1)
        extra.append(_column_record(agency, year, number(agency), text, (area,), formed))
    for title in _SYSTEMS:
        formed = _weekday_after(date(year, 1, 1), rng.randint(5, 120))
        extra.append(
            _column_record("city-gov", year, number("city-gov"), title, (_SYSTEM_AREA,), formed)
        )
    return out + extra


def _review_cases(
    rng: random.Random, apps: Sequence[Application], year: int
) -> Iterator[ReviewCase]:
    closed = [a for a in apps if a.closed_on is not None and a.outcome is not Outcome.DISCLOSED]
    for n, app in enumerate(rng.sample(closed, k=min(len(closed), max(1, len(closed) // 50)))):
        filed = _weekday_after(app.closed_on or date(year, 1, 1), rng.randint(5, 40))
        if filed.year != year:
            continue
        kind = rng.choices(list(ReviewCaseKind), weights=(6, 2, 1))[0]
        concluded = _weekday_after(filed, rng.randint(20, 90))
        done = concluded.year == year
        yield ReviewCase(
            id=f"{app.agency}-{year}-C{n:04d}",
            agency=app.agency,
            kind=kind,
            filed_on=filed,
            application_id=app.id,
            result=rng.choice((ReviewResult.UPHELD, ReviewResult.UPHELD, ReviewResult.CORRECTED))
            if done
            else None,
            concluded_on=concluded if done else None,
        )


@frozen
class Dataset:
    """A generated dataset for one reporting tree and one year."""

    agencies: tuple[Agency, ...]
    records: tuple[Record, ...]
    applications: tuple[Application, ...]
    review_cases: tuple[ReviewCase, ...]


def generate(
    year: int,
    *,
    applications_per_agency: int = 200,
    records_per_agency: int = 40,
    seed: int = 0,
    horizon: date | None = None,
    column: bool = False,
) -> Dataset:
    """A reporting tree (`demo_agencies`) with records, applications and review cases for ``year``.

    Applications received in the previous December are included too, so that the year's report
    has applications carried over.

    :param column: tag the records for the disclosure column (key areas by subject) and add
        the records that fill every column: a 政策解读 for each published 规章 and 行政规范性文件
        (marked ``important_policy``, linked, published at the same moment), one record for each
        column the subjects leave empty, and the 政府信息公开制度 (see the module's docstring).
        The other records and everything else are the same as without it.

    .. versionchanged:: 0.2.0 ``column``.
    """
    agencies = demo_agencies()
    rng = random.Random(seed)
    records: list[Record] = []
    apps: list[Application] = []
    for agency in agencies:
        records.extend(_records(rng, agency.code, year, records_per_agency, column=column))
        apps.extend(
            generate_applications(
                agency.code, year, applications_per_agency, seed=seed, horizon=horizon
            )
        )
        # Late-December applications of the year before: some still open on 1 January.
        prev = generate_applications(
            agency.code,
            year - 1,
            max(1, applications_per_agency // 10),
            seed=seed,
            horizon=horizon or date(year, 12, 31),
            id_prefix=f"{agency.code}-{year - 1}",
        )
        apps.extend(a for a in prev if a.receipt_date and a.receipt_date.month == 12)
    cases = tuple(_review_cases(rng, apps, year))
    if column:
        records = _column(records, year, seed, records_per_agency)
    return Dataset(agencies, tuple(records), tuple(apps), cases)
