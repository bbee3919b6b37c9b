"""Work plans and progress reports stored on the memory store and the SQL store (SQLite and
PostgreSQL): round trips, units reporting at the same time without conflicting on the plan,
the write rules, and the same status from every store."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.test_plans import messy_table

from govdisclose.errors import ConflictError, InvalidTransition, NotFound
from govdisclose.model import Agency
from govdisclose.plans import (
    Evidence,
    ProgressReport,
    TaskState,
    WorkPlan,
    file_report,
    find_plan,
    import_plan,
    plan_reports,
    plan_status,
    review_list,
    task_outcomes,
)
from govdisclose.testing import MemoryStore
from govdisclose.vocab import AgencyKind, AgencyLevel

pytest.importorskip("openpyxl")

# -- the stores -------------------------------------------------------------------------------


def _unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: PostgreSQL tests must run)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Any]:
    try:
        import psycopg  # noqa: F401

        from govdisclose_sql.testing import INSTALL_HINT, TemporaryPostgres, find_postgres_bin
    except ImportError:
        _unavailable("psycopg or govdisclose-sql is not installed")
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        _unavailable(INSTALL_HINT)
    with TemporaryPostgres(bin_dir) as server:
        yield server


_schemas = iter(range(1, 1_000_000))


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Any]]:
    """Opens a store on one database: several stores on it act as several clerks' sessions
    (the memory store is shared, as it is within one process)."""
    opened: list[Any] = []
    if request.param == "memory":
        shared = MemoryStore()

        def open_one() -> Any:
            return shared

        opened.append(shared)
    else:
        sql = pytest.importorskip("govdisclose_sql")
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'gd.db'}"
        else:
            server = request.getfixturevalue("postgres")
            url = server.create_schema(f"gd_plans_{os.getpid()}_{next(_schemas)}")

        def open_one() -> Any:
            s = sql.SqlStore(url)
            opened.append(s)
            return s

    yield open_one
    for s in opened:
        s.close()


@pytest.fixture
def store(opener: Callable[[], Any]) -> Any:
    s = opener()
    gov = Agency("county-gov", "某县人民政府办公室", AgencyLevel.COUNTY, AgencyKind.GOVERNMENT)
    s.put_agency(gov)
    for code, name in (("county-fin", "某县财政局"), ("county-audit", "某县审计局")):
        s.put_agency(Agency(code, name, AgencyLevel.COUNTY, parent="county-gov"))
    return s


EV = (Evidence.record("R-1"), Evidence.file("方案.pdf", 10, "ab" * 32))


def test_a_plan_and_its_reports_round_trip(store: Any) -> None:
    report = import_plan(store, messy_table(), year=2024, agency="county-gov", lenient=True)
    plan = report.plan
    assert plan is not None
    assert store.get_item(WorkPlan, plan.id) == plan
    assert find_plan(store, year=2024, agency="county-gov") == plan
    filed = file_report(
        store,
        plan,
        "2",
        unit="县财政局",
        on=date(2024, 4, 2),
        period="2024Q1",
        evidence=EV,
        note="一季度已公开",
    )
    assert store.get_item(ProgressReport, filed.id) == filed
    assert plan_reports(store, plan) == [filed]
    status = plan_status(plan, plan_reports(store, plan), as_of=date(2024, 4, 2))
    row = next(r for r in status.rows if r.unit == "县财政局" and r.period == "2024Q1")
    assert row.state is TaskState.DONE_LATE
    assert row.evidence == EV


def test_units_report_at_the_same_time_without_conflict(
    store: Any, opener: Callable[[], Any]
) -> None:
    report = import_plan(store, messy_table(), year=2024, agency="county-gov", lenient=True)
    plan = report.plan
    assert plan is not None
    units = [f"县第{i}局" for i in range(8)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(units))

    def work(unit: str) -> None:
        mine = opener()
        try:
            start.wait()
            file_report(mine, plan, "6", unit=unit, on=date(2024, 12, 1), evidence=EV)
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(u,)) for u in units]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.unit for r in plan_reports(store, plan)) == sorted(units)
    assert store.item_version(WorkPlan, plan.id) == 1  # the plan was never written again


def test_the_write_rules_hold_on_every_store(store: Any) -> None:
    report = import_plan(store, messy_table(), year=2024, agency="county-gov", lenient=True)
    plan = report.plan
    assert plan is not None
    with pytest.raises(ConflictError):
        import_plan(store, messy_table(), year=2024, agency="county-gov", lenient=True)
    again = import_plan(store, messy_table(bad=False), year=2024, agency="county-gov", replace=True)
    assert again.plan is not None
    assert len(store.get_item(WorkPlan, plan.id).tasks) == 6
    filed = file_report(store, plan, "1", unit="县财政局", on=date(2024, 5, 1), evidence=EV)
    with pytest.raises(InvalidTransition):
        store.put_item(attrs.evolve(filed, unit="县审计局"), expected_version=1)
    with pytest.raises(InvalidTransition):
        store.put_item(attrs.evolve(plan, year=2023), expected_version=2)
    with pytest.raises(NotFound):
        import_plan(store, messy_table(), year=2024, agency="nobody", lenient=True)
    assert store.get_item(ProgressReport, filed.id) == filed


def test_status_review_and_outcomes_are_the_same_on_every_store(store: Any) -> None:
    """The hand-computed figures of test_plans, read back through this store."""
    plan = import_plan(store, messy_table(), year=2024, agency="county-gov", lenient=True).plan
    assert plan is not None
    file_report(store, plan, "2", unit="县财政局", on=date(2024, 3, 28), evidence=EV)
    file_report(store, plan, "2", unit="县财政局", on=date(2024, 4, 2), evidence=EV)
    status = plan_status(plan, plan_reports(store, plan), as_of=date(2024, 7, 1))
    fin = [(r.period, r.state) for r in status.for_unit("县财政局") if r.task == "2"]
    assert fin == [
        ("2024Q1", TaskState.DONE_ON_TIME),
        ("2024Q2", TaskState.DONE_ON_TIME),
        ("2024Q3", TaskState.NOT_STARTED),
        ("2024Q4", TaskState.UPCOMING),
    ]
    review = review_list(store, 2024)
    assert ("2", "县财政局", "2024Q3") in {(i.task.number, i.unit, i.period) for i in review.items}
    outcomes = task_outcomes(
        store, year=2024, agency="county-fin", as_of=date(2024, 7, 1), last=date(2024, 6, 30)
    )
    assert [(o.task, o.period, o.on_time) for o in outcomes["county-fin"]] == [
        ("1", "2024-06-30", False),
        ("2", "2024Q1", True),
        ("2", "2024Q2", True),
    ]
