"""``govdisclose demo``: the main job of an agency, end to end, on the embedded default store.

What an agency's disclosure office does in a year, in the order it does it:

1. open the store through the plugins (SQLite file by default: ``govdisclose-sql``);
2. load a year of work for a city government and four departments (synthetic, seeded), its
   records tagged for the disclosure column: key areas (重点领域), a 政策解读 published with
   every 规章 and 行政规范性文件 and linked to it, the office's 政府信息公开制度;
3. check every record's disclosure attribute with the default rules (公开属性源头认定);
4. build the whole 政府信息公开专栏 from the store (step 4a: the guide from the office's
   settings, the application form as a page and a .docx, 法定主动公开内容 by the items of
   条例 第二十条, every key-area column, the catalogue by topic, issuing body and year, the
   policy interpretations, the 制度 pages, the annual reports, search, feeds, the sitemap),
   counting the columns left empty; then publish a new record through the guard (blocked while
   an ID number is in the text, published once it is masked; a stale copy of a record marked
   国家秘密 meanwhile is refused before anything is published) and print where the site is;
5. register a new application and handle it with optimistic writes (a stale writer is refused);
   5b: one complete application at the desk, every letter issued from its events, and the
   archived case file;
6. compute every application's statutory reply deadline as of a day, and explain one;
   then run the daily job on 4 December of the last year with official holiday data, when
   next year's notice is not loaded yet: strict (items due next year reported as problems),
   then provisional (marked 暂定), and export the calendar (ICS, CSV) for the office;
7. build each department's annual report in the 2021 format from the store, validate it, roll
   the departments up into the government's report, render it (Markdown, HTML, JSON, Word) and
   read the published HTML back.

Every step prints what it did; the exit status is 0 only if every report validated without an
error, the HTML read back identical and no column of the site was left empty.
"""

from __future__ import annotations

import argparse
import shutil
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from govdisclose._arguments import day, positive, store_url

__all__ = ["add_demo_command", "run_demo"]

_SHANGHAI = ZoneInfo("Asia/Shanghai")
_MARKER = ".govdisclose-demo"


#: The first report year the demo can run: its reports use the 2021 format (表二 columns).
_FIRST_DEMO_YEAR = 2021


def _demo_year(text: str) -> int:
    """An argparse type: a report year the demo can run, from `_FIRST_DEMO_YEAR` to the year
    before the last one with official holiday data (the demo's status day is in the next
    year)."""
    from govdisclose.calendar import WorkCalendar

    last = WorkCalendar.default().covered[1] - 1
    stripped = text.strip()
    if stripped.isascii() and stripped.isdigit() and _FIRST_DEMO_YEAR <= int(stripped) <= last:
        return int(stripped)
    raise argparse.ArgumentTypeError(
        f"演示的报告年度应在 {_FIRST_DEMO_YEAR} 至 {last} 之间（需2021年格式的年报和次年的放假"
        f"安排），实为 {text!r} / the demo's report year must be from {_FIRST_DEMO_YEAR} to "
        f"{last} (the 2021 report format and the next year's official holidays), got {text!r}"
    )


def _demo_dir(text: str) -> Path:
    """An argparse type: the output directory; an existing file there is refused."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(
            f"{text} 已存在且不是目录，请换一个 --dir / {text} exists and is not a directory; "
            "choose another --dir"
        )
    return path


def add_demo_command(subparsers: Any) -> None:
    """``govdisclose demo``: run the main job on the embedded default store."""
    parser = subparsers.add_parser(
        "demo",
        help="run the main job end to end on the embedded default store (SQLite)",
        description="用合成数据演示一个机关一年的政府信息公开工作 / an agency's year of "
        "disclosure work on synthetic data, end to end.",
    )
    parser.add_argument(
        "--dir", type=_demo_dir, default=Path("govdisclose-demo"), help="output directory"
    )
    parser.add_argument(
        "--store",
        type=store_url,
        default=None,
        help="store URL (default: sqlite:///DIR/govdisclose.db; created if missing)",
    )
    parser.add_argument("--year", type=_demo_year, default=2025, help="the report year")
    parser.add_argument("--as-of", type=day, default=None, help="status day (default: 20 Jan)")
    parser.add_argument("--applications", type=positive, default=300, help="per agency")
    parser.add_argument("--seed", type=int, default=2025)
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace, out: TextIO) -> int:
    return run_demo(
        Path(args.dir),
        out=out,
        store_url=args.store,
        year=args.year,
        as_of=args.as_of,
        applications=args.applications,
        seed=args.seed,
    )


def _prepare(directory: Path) -> None:
    # Only a directory this command created may be wiped: never delete a user's files.
    if directory.exists() and any(directory.iterdir()):
        if not (directory / _MARKER).exists():
            from govdisclose.errors import GovDiscloseError

            raise GovDiscloseError(
                f"目录 {directory} 非空且不是演示目录，请换一个 --dir",
                f"{directory} is not empty and was not created by the demo; choose another --dir",
                field="dir",
                code="demo.dir_not_empty",
            )
        shutil.rmtree(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / _MARKER).write_text("created by govdisclose demo\n", "utf-8")


def _daily_job(store: Any, params: Any, calendar: Any, directory: Path, say: Any) -> bool:
    """Step 6b: the daily job in December, before next year's holiday notice is loaded."""
    from govdisclose import daily, lifecycle
    from govdisclose.calendar import WorkCalendar, export_calendar
    from govdisclose.model import Applicant, Application, Received
    from govdisclose.vocab import ApplicantType, Channel

    last = calendar.covered[1]
    today = date(last, 12, 4)
    say(f"== 6b. 每日期限检查 / the daily job on {today} ({last + 1} holiday notice not loaded)")
    for received in (date(last, 11, 20), today):
        app = Application(
            id=f"city-nrb-{received.isoformat()}",
            agency="city-nrb",
            applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="赵某"),
            channel=Channel.IN_PERSON,
            request="申请公开某路段改造工程的施工许可",
        )
        store.create_application(lifecycle.apply(app, Received(on=received)))
        say(f"   registered {app.id}, received {received}")
    ok = True
    for policy in ("strict", "provisional"):
        cal = calendar if policy == calendar.policy else WorkCalendar.default(policy=policy)
        # As an office's job reads them: the store's columns (objects only where needed).
        run = daily.check(
            daily.open_applications(store, today),
            as_of=today,
            params=params,
            calendar=cal,
            records=store.records(),
        )
        say(f"   [{policy}]")
        for line in run.summary().splitlines():
            say(f"   {line}")
        shown = [c for c in run.checks if c.state.value in ("overdue", "due_soon")]
        for check in shown[:5]:
            say(f"     {check.describe()}")
        if len(shown) > 5:
            say(f"     … {len(shown) - 5} more")
        for problem in run.problems:
            say(f"     {problem.describe()}")
        # The two new applications: strict gives the November one a date and the December one
        # a problem; provisional gives both a date, the December one marked 暂定.
        new = [c for c in run.checks if c.subject_id.startswith(f"city-nrb-{last}-1")]
        ok = ok and len(new) >= (1 if policy == "strict" else 2)
    folder = directory / "calendar"
    folder.mkdir(exist_ok=True)
    for fmt in ("ics", "csv"):
        payload = export_calendar(calendar, fmt, start=date(last, 1, 1), end=date(last, 12, 31))
        target = folder / f"{last}.{fmt}"
        target.write_bytes(payload)
        say(f"   wrote {target.relative_to(directory)} ({len(payload):,} bytes)")
    return ok


def _letters(store: Any, params: Any, calendar: Any, directory: Path, year: int, say: Any) -> bool:
    """Step 5b: one complete application at the desk, every letter issued from its events."""
    from govdisclose import lifecycle
    from govdisclose.casefile import build_case_file, render_case_file_docx, to_json
    from govdisclose.fees import notified_event, per_volume_fee
    from govdisclose.model import (
        Applicant,
        Application,
        CorrectionReceived,
        CorrectionRequested,
        Extended,
        FeePaid,
        InternalConsulted,
        InternalReplied,
        Received,
        Replied,
        ReplyApproved,
        ReplyDrafted,
        ThirdPartyConsulted,
        ThirdPartyReplied,
    )
    from govdisclose.notices import NoticeOffice, compose, notice_issued, render_text
    from govdisclose.notices.render_docx import render_docx
    from govdisclose.notices.render_html import render_html
    from govdisclose.vocab import ApplicantType, Channel, InternalOffice, NoticeKind, Outcome

    say("== 5b. 申请文书 / the letters of one complete application")
    office = NoticeOffice(
        agency="某市自然资源和规划局",
        review_body="某市人民政府",
        court="某市某区人民法院",
        number_prefix="某自然资信公",
        contact="联系人：政务公开科，电话：0571-00000000",
        payment="请持本通知到本机关政务服务窗口缴纳，或通过“浙里办”在线缴纳",
    )
    # Working days from a March receipt, so every step falls on a day the office is open.
    day0: date = calendar.add_working_days(date(year, 3, 1), 1)

    def wd(n: int) -> date:
        later: date = calendar.add_working_days(day0, n)
        return later if n else day0

    app = Application(
        id=f"city-nrb-{year}-DESK",
        agency="city-nrb",
        applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="钱某", address="某市某路8号"),
        channel=Channel.IN_PERSON,
        request="某地块国有建设用地使用权出让的全部审批材料",
    )
    reasons = "出让合同附件中的竞买人报价明细涉及第三方商业秘密，经征求意见第三方不同意公开"
    steps: list[Any] = [
        Received(on=day0, actor="窗口收件"),
        CorrectionRequested(
            on=wd(2), items="请写明地块名称或宗地编号、所需材料的名称", correct_by=wd(12)
        ),
        CorrectionReceived(on=wd(6)),
        ThirdPartyConsulted(on=wd(8), party="某置业有限公司"),
        ThirdPartyReplied(on=wd(15), party="某置业有限公司", consents=False),
        InternalConsulted(on=wd(16), office=InternalOffice.LEGAL, subject="部分公开的理由"),
        InternalReplied(on=wd(17), office=InternalOffice.LEGAL, opinion="理由充分，同意"),
        Extended(on=wd(22), days=20, reason="涉及第三方且材料较多", approved_by="王主任"),
        notified_event(per_volume_fee(160, received_on=day0), on=wd(24)),
        FeePaid(on=wd(27), amount=per_volume_fee(160, received_on=day0).amount),
        ReplyDrafted(on=wd(30), outcome=Outcome.PARTIALLY_DISCLOSED, reasons=reasons),
        ReplyApproved(on=wd(31), step="审核", actor="政务公开科科长"),
        ReplyApproved(on=wd(32), step="签发", actor="分管副局长"),
        Replied(on=wd(32), outcome=Outcome.PARTIALLY_DISCLOSED, reasons=reasons),
    ]
    store.create_application(app)
    folder = directory / "letters"
    folder.mkdir(exist_ok=True)
    triggers = {
        "received": NoticeKind.RECEIPT,
        "correction_requested": NoticeKind.CORRECTION,
        "third_party_consulted": NoticeKind.THIRD_PARTY,
        "extended": NoticeKind.EXTENSION,
        "fee_notified": NoticeKind.FEE,
        "replied": NoticeKind.REPLY,
    }
    fees = {}
    for step in steps:
        current = store.get_application(app.id)
        current = store.append_events(app.id, [step], expected_version=current.version)
        kind = triggers.get(step.kind)
        if kind is None:
            continue
        if kind is NoticeKind.FEE:
            fees[len(current.events) - 1] = per_volume_fee(160, received_on=day0)
        notice = compose(current, kind, office=office, params=params, calendar=calendar)
        text = render_text(notice)
        # The letter as sent is an event too: an OA system hears it through the event hook.
        store.append_events(
            app.id, [notice_issued(notice, text, actor="经办人")], expected_version=current.version
        )
        stem = f"{len(current.events):02d}-{kind.code}"
        (folder / f"{stem}.txt").write_text(text, "utf-8")
        (folder / f"{stem}.html").write_text(render_html(notice), "utf-8")
        (folder / f"{stem}.docx").write_bytes(render_docx(notice))
        say(f"   {notice.title} {notice.number or ''} -> letters/{stem}.txt/.html/.docx")
    final = store.get_application(app.id)
    store.append_events(
        app.id,
        [_archived(final, wd(40))],
        expected_version=final.version,
    )
    archived = store.get_application(app.id)
    case = build_case_file(
        archived, office=office, params=params, calendar=calendar, as_of=wd(40), fees=fees
    )
    (folder / "casefile.json").write_text(to_json(case), "utf-8")
    (folder / "casefile.docx").write_bytes(render_case_file_docx(case))
    say(
        f"   case file: {len(case.entries)} events, {len(case.letters)} letters "
        f"({sum(1 for c in case.letters if c.matches)} match what was sent), "
        f"status {lifecycle.status(archived).label} -> letters/casefile.json/.docx"
    )
    return (
        len(case.letters) == 6
        and all(c.matches for c in case.letters)
        and len(case.entries) == len(archived.events)
    )


def _with_guide(settings: Any, as_of: date) -> Any:
    """Step 4: the settings with the city's 政府信息公开指南 (the ``static_site.guide.*`` options
    of a single office), so that every page the static site renders names the office."""
    from govdisclose.plugins import Settings

    guide = {
        "static_site.guide.agency": "city-gov",
        "static_site.guide.office": "某市人民政府办公室政务公开科",
        "static_site.guide.address": "某市某区府前路1号",
        "static_site.guide.postcode": "310000",
        "static_site.guide.hours": "工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）",
        "static_site.guide.phone": "0571-87000000",
        "static_site.guide.fax": "0571-87000001",
        "static_site.guide.email": "xxgk@example.gov.cn",
        "static_site.guide.apply_url": "https://www.example.gov.cn/xxgk/ysq/",
        "static_site.guide.updated_on": date(as_of.year - 1, 12, 1).isoformat(),
        "static_site.guide.supervisor": "某市人民政府办公室（市政府信息公开工作主管部门）",
        "static_site.guide.reconsideration": "某市人民政府",
        "static_site.guide.court": "某市某区人民法院",
    }
    return Settings(store_url=settings.store_url, options={**guide, **settings.options})


class _CountyCms:
    """The county's CMS (政府门户网站), down for maintenance at the first attempt: the demo's
    second channel, so the outbox has something to retry. It keeps its articles in memory."""

    name = "county-cms"

    def __init__(self) -> None:
        self.articles: dict[str, str] = {}
        self.calls = 0

    def publish(self, view: Any) -> Any:
        from govdisclose.model import Publication

        self.calls += 1
        if self.calls == 1:
            raise ConnectionError("门户网站维护中 / the portal is down for maintenance")
        self.articles[view.id] = view.title
        from govdisclose.vocab import PublicationChannel

        return Publication(
            publisher=self.name,
            channel=PublicationChannel.PORTAL,
            published_at=datetime.now(_SHANGHAI),
            url=f"https://www.example.gov.cn/xxgk/{view.id}.html",
        )

    def withdraw(self, view: Any) -> None:
        self.articles.pop(view.id, None)


def _outbox_step(
    store: Any, publishers: Any, template: Any, now: datetime, context: Any, say: Any
) -> bool:
    """Step 4b: a notice published through the outbox to the column and the county's CMS,
    which is down: the entry waits, the retry publishes it exactly once; then the notice is
    withdrawn (撤回) from both channels and the register keeps both lines, marked withdrawn."""
    import attrs

    from govdisclose.outbox import entries, publish_via_outbox, retry_pending, withdraw
    from govdisclose.publishing import register

    say("== 4b. 发布队列与撤回 / the outbox: a channel down, the retry, a withdrawal")
    cms = _CountyCms()
    channels = [*publishers, cms]
    notice = attrs.evolve(
        template,
        id=f"{template.id}-3",
        title="关于某某路段施工期间临时交通管制的通告",
        index_number=f"{template.index_number}-3",
        document_number=None,
        body="因道路施工，某某路段实行临时交通管制，请过往车辆绕行。",
        publications=(),
    )
    store.put_record(notice, expected_version=0)
    first = publish_via_outbox(notice, publishers=channels, now=now, context=context, store=store)
    for name, why in first.failed:
        (waiting,) = [e for e in entries(store, record_id=notice.id) if e.publisher == name]
        due = waiting.next_attempt_at.strftime("%H:%M") if waiting.next_attempt_at else "-"
        say(f"   {name} failed: {why}; retried from {due}")
    later = now + timedelta(minutes=2)
    again = retry_pending(store, channels, now=later, context=context)
    again_more = retry_pending(store, channels, now=later + timedelta(hours=1), context=context)
    live = sorted(p.publisher for p in store.get_record(notice.id).live_publications)
    say(
        f"   retry: {len(again.published)} published, then {len(again_more.outcomes)} left; "
        f"live on {', '.join(live)}; the CMS was called {cms.calls} times"
    )
    gone = withdraw(
        store, notice.id, channels, reason="管制提前结束，撤回通告", now=later + timedelta(hours=2)
    )
    kept = [e for e in register(store, agency=notice.agency) if e.record_id == notice.id]
    say(
        f"   withdrawn from {', '.join(sorted(gone.withdrawn))}; the register keeps "
        f"{len(kept)} lines, {sum(e.withdrawal is not None for e in kept)} marked withdrawn"
    )
    return (
        cms.calls == 2
        and not again_more.outcomes
        and len(kept) == len(channels)
        and all(e.withdrawal is not None for e in kept)
        and not cms.articles
    )


def _build_column(publishers: Any, store: Any, as_of: date, context: Any, say: Any) -> bool:
    """Step 4a: the whole 政府信息公开专栏 built from the store by every publisher that builds a
    site (the static site's ``build``): the guide, the catalogue of every published record the
    guard clears, the key areas, the annual reports; then the one new record below is published
    onto it through the guard."""
    from govdisclose.report import ReportTexts

    texts = ReportTexts(
        overview="{year}年，本机关共新收政府信息公开申请{T3.R1.total}件，办结{T3.R3_7.total}件。",
        problems="部分申请答复期限临近时才办结，下一年度将加强期限预警。",
        other_matters="本年度收取信息处理费情况见表三第（六）项。",
    )
    from govdisclose.progress import terminal_progress

    ok = True
    for publisher in publishers:
        build = getattr(publisher, "build", None)
        if build is None:
            continue
        # a bar over the record pages on a terminal; nothing in a pipe, and no option at all
        # then, so that a publisher whose build takes no ``progress`` still builds
        bar = terminal_progress("专栏 / site", unit="page")
        options = {"progress": bar} if bar is not None else {}
        result = build(store, as_of=as_of, context=context, report_texts=texts, **options)
        say(
            f"   built the column {getattr(publisher, 'name', publisher)}: {result.records} "
            f"records, {len(result.written):,} files, {result.reports} annual reports; "
            f"{len(result.blocked)} published records the guard now blocks left off"
        )
        for record_id, reason in result.blocked[:3]:
            say(f"     {record_id}: {reason}")
        # Every column (第二十条's items, the key areas, 政策解读, 制度) lists records.
        empty = list(getattr(result, "empty_columns", ()))
        say(f"   columns left empty: {len(empty)}" + (f" ({'、'.join(empty)})" if empty else ""))
        ok = ok and result.records > 0 and not empty and not result.blocked
    return ok


def _archived(app: Any, on: date) -> Any:
    """The 归档 event of a concluded application (its archive number from its id)."""
    from govdisclose.model import Archived

    return Archived(on=on, archive_number=f"{on.year}-依申请-{app.id}", actor="档案员")


def run_demo(
    directory: Path,
    *,
    out: TextIO,
    store_url: str | None = None,
    year: int = 2025,
    as_of: date | None = None,
    applications: int = 300,
    seed: int = 2025,
) -> int:
    """Run the demo into ``directory``; returns the exit status."""
    import attrs

    from govdisclose import deadlines, lifecycle, privacy, synthetic
    from govdisclose.errors import ConflictError, PublishBlocked
    from govdisclose.model import (
        Applicant,
        Application,
        AttributeDecision,
        Received,
        Record,
        Replied,
    )
    from govdisclose.plugins import (
        Settings,
        collect_publishers,
        load_calendar,
        load_parameters,
        load_report_renderers,
        load_rules,
        make_plugin_manager,
        open_store,
    )
    from govdisclose.publishing import publish, register
    from govdisclose.redaction import redact_url
    from govdisclose.report import (
        ReportTexts,
        SuppliedFigures,
        build_annual_report,
        rollup,
        validate,
    )
    from govdisclose.report.reader import read_html_report
    from govdisclose.rules import RuleContext, Severity
    from govdisclose.vocab import (
        ApplicantType,
        Channel,
        DisclosureAttribute,
        NonDisclosureReason,
        Outcome,
        ReviewStatus,
    )

    def say(text: str = "") -> None:
        out.write(text + "\n")

    directory = directory.resolve()
    _prepare(directory)
    as_of = as_of or date(year + 1, 1, 20)
    url = store_url or f"sqlite:///{directory / 'govdisclose.db'}"
    settings = Settings(
        store_url=url,
        options={
            "static_site.dir": str(directory / "site"),
            "static_site.title": "某市政府信息公开专栏",
            "static_site.base_url": "https://www.example.gov.cn/xxgk/",
        },
    )
    ok = True

    # 1. plugins and store ----------------------------------------------------------------
    pm = make_plugin_manager()
    say(f"== 1. 插件与存储 / plugins and store: {redact_url(url)}")
    say("   plugins: " + ", ".join(name for name, _ in pm.list_name_plugin()))
    store = open_store(settings, pm)
    calendar = load_calendar(settings, pm)
    params = load_parameters(settings, pm)
    say(f"   calendar: {calendar.version}")

    try:
        # 2. a year of work -------------------------------------------------------------------
        data = synthetic.generate(
            year,
            applications_per_agency=applications,
            records_per_agency=40,
            seed=seed,
            column=True,
        )
        result = store.import_bulk(
            agencies=data.agencies,
            records=data.records,
            applications=data.applications,
            review_cases=data.review_cases,
        )
        say(
            f"== 2. 导入 / imported: {result.agencies} agencies, {result.records} records, "
            f"{result.applications} applications ({result.events} events), "
            f"{result.review_cases} review cases"
        )

        # 3. disclosure-attribute rules ---------------------------------------------------------
        rules = load_rules(settings, pm)
        by_id = {r.id: r for r in store.records()}
        # GD-R014 looks a policy's 政策解读 up among the records (the store, as publish does).
        context = RuleContext(as_of=as_of, params=params, calendar=calendar, find_record=by_id.get)
        by_rule: Counter[str] = Counter()
        for record in by_id.values():
            for finding in rules.check(record, context):
                by_rule[f"{finding.rule_id} {finding.severity.code}"] += 1
        say(f"== 3. 公开属性审查 / rule findings over {result.records} records:")
        for key, count in sorted(by_rule.items()):
            say(f"   {key}: {count}")

        # 4. publishing through the guard ---------------------------------------------------------
        say("== 4. 发布 / publishing through the guard")
        publishers = collect_publishers(_with_guide(settings, as_of), pm)
        ok = _build_column(publishers, store, as_of, context, say) and ok
        draft = Record(
            id=f"city-housing-{as_of.year}-NEW",
            title="关于某某路拓宽工程征收补偿情况的公告",
            agency="city-housing",
            formed_on=as_of,
            index_number=f"city-housing/{as_of.year}-00001",
            document_number=f"某住建〔{as_of.year}〕1号",
            topic="城乡建设、环境保护",
            decisions=(
                AttributeDecision(
                    attribute=DisclosureAttribute.PROACTIVE,
                    decided_by="征收科",
                    decided_on=as_of,
                ),
            ),
            review_status=ReviewStatus.PASSED,
            reviewed_by="办公室",
            reviewed_on=as_of,
            body="经核实，被征收人王某某（身份证号110101199003078515，联系电话13812345678）"
            "的补偿款已于本月发放。",
        )
        store.put_record(draft, expected_version=0)
        now = datetime.combine(as_of, time(10, 0), _SHANGHAI)
        try:
            publish(draft, publishers=publishers, now=now, context=context, store=store)
            say("   unexpected: a record with an ID number was published")
            ok = False
        except PublishBlocked as blocked:
            say(f"   blocked: {'; '.join(f.rule_id for f in blocked.findings)}")
            say(f"   {blocked.message_zh}")
        masked = privacy.mask_record(draft, names=("王某某",))
        say(f"   masked body: {masked.body}")
        done = publish(
            masked,
            publishers=publishers,
            now=now,
            context=context,
            store=store,
            expected_version=store.record_version(draft.id),
        )
        for pub in done.published:
            say(f"   published by {pub.publisher}: {pub.url}")
        # The publisher stamps the real time of writing, so the register is read by agency.
        entries = [e for e in register(store, agency=draft.agency) if e.record_id == draft.id]
        say(f"   register of published documents: {len(entries)} entry for {draft.id}")
        ok = ok and len(entries) == len(done.published)
        # A stale copy: clerk B marks a second notice 国家秘密 after clerk A opened it; A's
        # publish is refused before any publisher runs (the store's state is checked first).
        opened = attrs.evolve(masked, id=f"{draft.id}-2", publications=())
        opened_version = store.put_record(opened, expected_version=0)
        secret = AttributeDecision(
            attribute=DisclosureAttribute.NOT_DISCLOSED,
            decided_by="保密办",
            decided_on=as_of,
            reason=NonDisclosureReason.STATE_SECRET,
            legal_basis="条例第十四条",
            change_reason="定密",
        )
        store.put_record(
            attrs.evolve(opened, decisions=(*opened.decisions, secret)),
            expected_version=opened_version,
        )
        try:
            publish(
                opened,
                publishers=publishers,
                now=now,
                context=context,
                store=store,
                expected_version=opened_version,
            )
            say("   unexpected: a stale copy of a secret record was published")
            ok = False
        except ConflictError as stale:
            say(f"   stale copy refused before publishing: {stale.message_zh}")
        leaked = [e for e in register(store, agency=draft.agency) if e.record_id == opened.id]
        ok = ok and not leaked
        ok = _outbox_step(store, publishers, masked, now, context, say) and ok
        for publisher in publishers:
            root = getattr(publisher, "root", None)
            if root is not None:
                say(f"   the column is online at {Path(root) / 'index.html'}")

        # 5. a new application with optimistic writes --------------------------------------------
        say("== 5. 依申请公开 / a new application")
        app = Application(
            id=f"city-nrb-{as_of.year}-LIVE",
            agency="city-nrb",
            applicant=Applicant(type=ApplicantType.NATURAL_PERSON, name="李某"),
            channel=Channel.IN_PERSON,
            request="申请公开某地块的土地出让合同",
        )
        store.create_application(lifecycle.apply(app, Received(on=as_of)))
        clerk_a = store.get_application(app.id)
        clerk_b = store.get_application(app.id)
        store.append_events(
            app.id,
            [Replied(on=as_of, outcome=Outcome.DISCLOSED)],
            expected_version=clerk_a.version,
        )
        try:
            store.append_events(
                app.id,
                [
                    Replied(
                        on=as_of,
                        outcome=Outcome.NOT_HELD,
                        reasons="经检索，本机关未制作或获取该信息",
                    )
                ],
                expected_version=clerk_b.version,
            )
            say("   unexpected: a stale write was accepted")
            ok = False
        except ConflictError as conflict:
            say(f"   second clerk refused: {conflict.message_zh}")
        say(f"   stored status: {lifecycle.status(store.get_application(app.id)).label}")

        # 6. deadlines -----------------------------------------------------------------------------
        say(f"== 6. 答复期限 / reply deadlines as of {as_of}")
        apps = list(store.applications())
        states: Counter[str] = Counter()
        overdue: list[tuple[Application, Any]] = []
        for application in apps:
            st = deadlines.reply_status(application, as_of, params=params, calendar=calendar)
            states[st.state.label] += 1
            if st.state is deadlines.ClockState.OVERDUE:
                overdue.append((application, st))
        for label, count in states.most_common():
            say(f"   {label}: {count}")
        example = overdue[0][0] if overdue else apps[0]
        deadline = deadlines.reply_deadline(example, params=params, calendar=calendar)
        if deadline is not None:
            say(f"   why this date? application {example.id}")
            for line in deadline.explain().splitlines():
                say(f"     {line}")

        ok = _letters(store, params, calendar, directory, year, say) and ok
        ok = _daily_job(store, params, calendar, directory, say) and ok
        from govdisclose.inquiries import demo_inquiries

        codes = [a.code for a in data.agencies]
        found = demo_inquiries(store, codes, as_of=as_of, params=params, calendar=calendar, say=say)
        ok = found and ok
        from govdisclose.opinion import demo_opinion_and_press

        ok = (
            demo_opinion_and_press(
                store, data.agencies, year=year, as_of=as_of, params=params, say=say
            )
            and ok
        )

        # 7. annual reports ----------------------------------------------------------------------
        say(f"== 7. 年度报告 / annual reports for {year}")
        reports_dir = directory / "reports"
        reports_dir.mkdir()
        parts = []
        texts = ReportTexts(
            overview="{year}年，本机关共新收政府信息公开申请{T3.R1.total}件，办结{T3.R3_7.total}件。",
            problems="部分申请答复期限临近时才办结，下一年度将加强期限预警。",
            other_matters="本年度收取信息处理费情况见表三第（六）项。",
        )
        from attrs import evolve

        from govdisclose.report.narrative import narrative_figures

        # Each agency's own text also quotes its inquiries, press conferences and opinion
        # cases, counted from the store (the roll-up's text keeps to the tables).
        agency_texts = evolve(
            texts,
            overview=texts.overview + "举办新闻发布会{press.conferences}次，受理政务信息查询"
            "{inquiries.received}件，回应政务舆情{opinion.responded}起。",
        )
        for agency in data.agencies:
            report = build_annual_report(
                store,
                agency,
                year,
                supplied=SuppliedFigures(
                    licensing=120, penalty=35, coercion=4, admin_fees_10k_yuan="12.5"
                ),
                texts=agency_texts,
                figures=narrative_figures(
                    store, agency.code, year, params=params, calendar=calendar
                ),
            )
            errors = [f for f in validate(report) if f.severity is Severity.ERROR]
            ok = ok and not errors
            say(
                f"   {agency.name}: new {report.cell('T3.R1.total')}, carried over "
                f"{report.cell('T3.R2.total')}, concluded {report.cell('T3.R3_7.total')}, "
                f"carried forward {report.cell('T3.R4.total')}; errors: {len(errors)}"
            )
            if agency.parent is None:
                say(f"   {report.overview}")
            parts.append(report)
        government = next(a for a in data.agencies if a.parent is None)
        combined = rollup(parts, government, texts=texts)
        errors = [f for f in validate(combined) if f.severity is Severity.ERROR]
        ok = ok and not errors
        say(
            f"   roll-up {government.name}: new {combined.cell('T3.R1.total')}, "
            f"{len(combined.breakdown)} parts; errors: {len(errors)}"
        )
        for fmt, renderer in sorted(load_report_renderers(settings, pm).items()):
            try:
                payload = renderer.render(combined)
            except Exception as err:  # docx needs its optional extra; say so and go on
                say(f"   {fmt}: skipped ({err})")
                continue
            target = reports_dir / f"{government.code}-{year}.{fmt}"
            target.write_bytes(payload)
            say(f"   wrote {target.relative_to(directory)} ({len(payload):,} bytes)")
        html_path = reports_dir / f"{government.code}-{year}.html"
        back = read_html_report(html_path.read_text("utf-8"), year=year)
        same = all(back.cells.get(ref) == value for ref, value in combined.cells())
        ok = ok and same
        say(f"   HTML read back identical: {same}")

        # 8. the year's work plan (issue 16) ---------------------------------------------------
        from govdisclose.plans import demo_plan

        say(f"== 8. 工作要点 / the {year} work plan: overdue tasks per unit as of {as_of}")
        ok = demo_plan(store, directory, year=year, as_of=as_of, say=say) and ok

        # 9. the half-year assessment of the departments (issue 16) -----------------------------
        from govdisclose.assessment._demo import demo_assessment

        say(f"== 9. 考核 / the assessment of the departments, {year}H2")
        ok = (
            demo_assessment(
                store,
                directory,
                period=f"{year}H2",
                as_of=as_of,
                params=params,
                calendar=calendar,
                say=say,
            )
            and ok
        )
        # 10. the office's Excel ledger (issue 17) ----------------------------------------------
        say(f"== 10. 登记台账 / the application ledger as of {as_of}, kept in Excel")
        ok = (
            _ledger_step(store, directory, as_of=as_of, params=params, calendar=calendar, say=say)
            and ok
        )
    finally:
        store.close()

    say(f"== done: {'OK' if ok else 'PROBLEMS FOUND'}; files in {directory}")
    site = directory / "site" / "index.html"
    if site.is_file():
        say(f"   the disclosure column: {site} (open it in a browser)")
    return 0 if ok else 1


def _ledger_step(
    store: Any,
    directory: Path,
    *,
    as_of: date,
    params: Any,
    calendar: Any,
    say: Any,
) -> bool:
    """Step 10: the 依申请公开登记台账 of the housing bureau as of ``as_of`` (.xlsx, due dates and
    status computed), read back by the reader and imported into the store it came from: the
    export is a ledger a clerk can hand on, and the reader takes what it wrote."""
    from govdisclose.ledger import import_ledger, ledger_table, ledger_workbook, read_ledger

    agency = "city-housing"
    apps = list(store.applications(agency=agency))
    table = ledger_table(
        apps, as_of=as_of, params=params, calendar=calendar, agencies=store.agencies()
    )
    data = ledger_workbook(table)
    out = directory / "ledger" / f"{agency}-登记台账.xlsx"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    states = Counter(state.label for state in table.states)
    shown = "，".join(f"{label} {n} 件" for label, n in sorted(states.items()))
    say(f"   wrote ledger/{out.name}: {len(table.rows)} rows; {shown}")
    back = read_ledger(data, agency=agency, params=params)
    same = [a.id for a in back.applications] == [
        a.id for a in sorted(apps, key=lambda a: (a.receipt_date or date.max, a.id))
    ]
    say(
        f"   read back: {len(back.applications)} applications, {len(back.problems)} problems, "
        f"same ids in the same order: {same}"
    )
    # The export imported into the store it came from changes nothing, though a row holds
    # one consultation and no personal data while the stored histories hold more.
    again = import_ledger(store, data, agency=agency, params=params)
    say(f"   imported back into the store: {again.summary()}")
    unchanged = not again.created and not again.extended and len(again.unchanged) == len(apps)
    return same and unchanged and not back.problems and len(table.rows) == len(apps)
