"""The helpers plugin authors and integrators test with: the contract's failure messages (run in
a separate pytest, against deliberately broken stores), the pytest plugin, the builders,
`fixed_calendar`, the store errors every adapter raises and the tally's key shapes."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from govdisclose.calendar import WorkCalendar
from govdisclose.errors import (
    CalendarError,
    ConflictError,
    NotFound,
    StoreError,
    StoreIntegrityError,
    ValidationError,
)
from govdisclose.lifecycle import apply_all, check_history
from govdisclose.model import Applicant, Record, Transferred
from govdisclose.publishing import publish
from govdisclose.store import ApplicationTally
from govdisclose.testing import MemoryStore, RecordingPublisher, fixed_calendar
from govdisclose.testing.builders import (
    SHANGHAI,
    agency,
    application,
    deadline_population,
    record,
    sample_applications,
)
from govdisclose.vocab import AgencyLevel, ApplicantType, Channel, DocumentKind, Outcome

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "broken_store_contract.py"
PAGE = ROOT / "docs" / "plugins" / "testing_plugins.md"

NP = ApplicantType.NATURAL_PERSON


# -- the contract's failures, in a pytest of their own -----------------------------------------


def _pytest(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run pytest in ``tmp_path`` in a fresh interpreter, away from this repository's config."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    # Wide, so that the short summary does not cut the messages the tests look for.
    clean["COLUMNS"] = "250"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        timeout=600,
        check=False,
    )


def _failed(output: str) -> set[str]:
    """The ``Class::test`` ids of the FAILED lines of the short summary."""
    return {m.group(1) for m in re.finditer(r"^FAILED \S+?::(\S+::\S+)", output, re.MULTILINE)}


def _shown_blocks() -> list[str]:
    """The ```text blocks of the page's section on failures, in page order."""
    text = PAGE.read_text(encoding="utf-8")
    section = text[text.index("### What a failure looks like") : text.index("## The pytest plugin")]
    return re.findall(r"^```text\n(.*?)^```", section, re.MULTILINE | re.DOTALL)


def _assert_shown(block: str, output: str) -> None:
    """Every line of a block the page shows is in the output (``...`` stands for anything; pytest
    indents a message's continuation lines more when rewriting is on, so any run of spaces
    matches any other)."""
    for line in block.splitlines():
        parts = (r"\s+".join(map(re.escape, part.split())) for part in line.split("..."))
        pattern = ".*?".join(parts)
        assert re.search(pattern, output), f"the page shows {line!r}; pytest printed:\n{output}"


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """docs/examples/broken_store_contract.py run by pytest, the plugin loaded by entry point."""
    where = tmp_path_factory.mktemp("example")
    shutil.copy(EXAMPLE, where / EXAMPLE.name)
    return _pytest(where, EXAMPLE.name)


def test_example_fails_only_the_broken_behaviour(
    example_run: subprocess.CompletedProcess[str],
) -> None:
    """The store with UTC publication times fails exactly the round-trip test of the contract."""
    out = example_run.stdout + example_run.stderr
    assert example_run.returncode == 1, out
    assert _failed(out) == {"TestUtcStore::test_record_round_trip"}, out
    # Exactly one failure; every other test of the contract (its size grows) passes.
    assert re.search(r"\b1 failed, \d+ passed\b", out), out


def test_example_failure_says_what_the_page_shows(
    example_run: subprocess.CompletedProcess[str],
) -> None:
    """The failure names the call and the behaviour, as the page shows; never a bare
    AssertionError."""
    out = example_run.stdout + example_run.stderr
    _assert_shown(_shown_blocks()[0], out)
    assert not re.search(r"^E\s+AssertionError\s*$", out, re.MULTILINE), out


def test_example_is_included_in_the_page() -> None:
    """testing_plugins.md includes the example file rather than a copy of it."""
    page = PAGE.read_text(encoding="utf-8")
    assert "```{literalinclude} ../examples/broken_store_contract.py" in page


_BROKEN = '''
import attrs
import pytest

from govdisclose.testing import MemoryStore
from govdisclose.testing.contract import StoreContract


class NoCarryOver(MemoryStore):
    """Forgets the applications carried over from the year before."""

    def application_tally(self, agency, year):
        return attrs.evolve(super().application_tally(agency, year), carried_over={})


class KeyErrorStore(MemoryStore):
    """Raises the builtin KeyError for an unknown agency, not NotFound."""

    def get_agency(self, code):
        if code not in {a.code for a in self.agencies()}:
            raise KeyError(code)
        return super().get_agency(code)


class LastWriterWins(MemoryStore):
    """Ignores the expected version of records: lost updates."""

    def put_record(self, record, *, expected_version=None):
        return super().put_record(record)


class TestNoCarryOver(StoreContract):
    @pytest.fixture
    def store(self):
        return NoCarryOver()


class TestKeyError(StoreContract):
    @pytest.fixture
    def store(self):
        return KeyErrorStore()


class TestLastWriterWins(StoreContract):
    @pytest.fixture
    def store(self):
        return LastWriterWins()
'''


def test_messages_without_assertion_rewriting(tmp_path: Path) -> None:
    """With rewriting off (``--assert=plain``) each broken behaviour is still named: which call,
    what was expected, what came back (for values, the differing fields)."""
    (tmp_path / "test_broken_stores.py").write_text(_BROKEN, encoding="utf-8")
    run = _pytest(tmp_path, "--assert=plain", "test_broken_stores.py")
    out = run.stdout + run.stderr
    assert _failed(out) == {
        "TestNoCarryOver::test_tally_2022",
        "TestNoCarryOver::test_tally_2021",
        "TestNoCarryOver::test_tally_follows_appends",
        "TestKeyError::test_get_agency_missing",
        "TestLastWriterWins::test_record_create_only",
        "TestLastWriterWins::test_record_conflict_stores_nothing",
        "TestLastWriterWins::test_concurrent_record_writes_one_wins",
    }, out
    _assert_shown(_shown_blocks()[1], out)
    for line in (
        "get_agency('nope') of an unknown code must raise NotFound; it raised KeyError: 'nope'",
        "put_record(R1, expected_version=0) of an existing record must raise ConflictError; it "
        "raised nothing",
        "exactly one must win (returning the new version) and the other get ConflictError; they "
        "got 3, 2",
    ):
        assert line in out, out
    assert "Drill down" not in out, "rewriting was on"


def test_plugin_rewrites_the_contract_when_loaded_explicitly(tmp_path: Path) -> None:
    """With autoloading off, ``-p govdisclose.testing._pytest_plugin`` alone turns on rewriting
    of the contract (pytest marks only the plugin module itself): the plugin's own
    `register_assert_rewrite` call is what makes pytest's comparison appear."""
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    env = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    plain = _pytest(tmp_path, EXAMPLE.name, "-k", "round_trip", env=env)
    loaded = _pytest(
        tmp_path,
        "-p",
        "govdisclose.testing._pytest_plugin",
        EXAMPLE.name,
        "-k",
        "round_trip",
        env=env,
    )
    comparison = "assert datetime.timedelta(0) == datetime.timedelta(seconds=28800)"
    assert comparison not in plain.stdout, plain.stdout
    assert "must keep each publication's own UTC offset" in plain.stdout, plain.stdout
    assert comparison in loaded.stdout, loaded.stdout


# -- the pytest plugin ------------------------------------------------------------------------


def test_plugin_is_declared_in_pytest11() -> None:
    """The installed distribution declares the plugin module in the pytest11 group."""
    found = {
        ep.name: ep.value
        for ep in importlib.metadata.entry_points(group="pytest11")
        if ep.dist is not None and ep.dist.name == "govdisclose"
    }
    assert found == {"govdisclose": "govdisclose.testing._pytest_plugin"}


def test_plugin_import_is_light() -> None:
    """Importing the plugin (which pytest does in every run) loads two tiny govdisclose modules
    besides itself, and nothing else that pytest had not loaded already."""
    code = textwrap.dedent(
        """
        import json, sys
        import pytest
        before = set(sys.modules)
        import govdisclose.testing._pytest_plugin
        print(json.dumps(sorted(set(sys.modules) - before)))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == [
        "govdisclose",
        "govdisclose.testing",
        "govdisclose.testing._pytest_plugin",
    ]


def test_memory_store_fixture(govdisclose_memory_store: MemoryStore) -> None:
    """The plugin's fixture is a fresh, empty, open reference store."""
    assert type(govdisclose_memory_store) is MemoryStore
    assert govdisclose_memory_store.agencies() == []
    assert list(govdisclose_memory_store.applications()) == []


def test_testing_module_loads_names_on_first_use() -> None:
    """`import govdisclose.testing` loads no store, calendar or contract; each name resolves on
    first use to the object of its module."""
    code = textwrap.dedent(
        """
        import json, sys
        import govdisclose.testing as t
        before = sorted(m for m in sys.modules if m.startswith("govdisclose"))
        t.MemoryStore, t.fixed_calendar
        print(json.dumps([before, "govdisclose.testing.builders" in sys.modules]))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == [["govdisclose", "govdisclose.testing"], True]
    import govdisclose.testing as testing
    from govdisclose.store._memory import MemoryStore as Reference

    assert testing.MemoryStore is Reference
    assert set(testing.__all__) <= set(dir(testing))
    with pytest.raises(AttributeError, match="no_such_helper"):
        testing.no_such_helper  # type: ignore[attr-defined]


# -- builders ---------------------------------------------------------------------------------


def test_application_builder_one_line() -> None:
    """received and replied make the usual history; the store and the lifecycle accept it."""
    app = application("A1", received=date(2025, 3, 3), replied=date(2025, 3, 20))
    assert [e.kind for e in app.events] == ["received", "replied"]
    assert (app.version, app.receipt_date, app.closed_on) == (
        2,
        date(2025, 3, 3),
        date(2025, 3, 20),
    )
    assert app.outcome is Outcome.DISCLOSED
    assert (app.agency, app.applicant.type, app.channel) == ("AG1", NP, Channel.IN_PERSON)
    check_history(app)
    store = MemoryStore()
    store.put_agency(agency(app.agency))
    store.create_application(app)
    assert store.get_application("A1") == app


def test_application_builder_events_order_and_applicant() -> None:
    """Received first, then the events, then the reply; an Applicant is kept as given."""
    applicant = Applicant(type=ApplicantType.LEGAL_SERVICE_ORG, name="某律师事务所")
    app = application(
        "A2",
        received=date(2025, 3, 3),
        confirmed_on=date(2025, 3, 5),
        events=[Transferred(on=date(2025, 3, 6), to="业务科")],
        replied=date(2025, 3, 20),
        outcome=Outcome.NOT_HELD,
        applicant=applicant,
        channel=Channel.ORDINARY_LETTER,
    )
    assert [e.kind for e in app.events] == ["received", "transferred", "replied"]
    assert app.receipt_date == date(2025, 3, 5)  # art. 31: the confirmation day
    assert app.applicant is applicant
    assert app.outcome is Outcome.NOT_HELD
    assert application("A3").events == ()
    assert application("A3", applicant=ApplicantType.COMMERCIAL_ENTERPRISE).applicant.name == (
        "某某有限公司"
    )


def test_record_builder_may_be_published() -> None:
    """The default record passes the publication guard; fields can be replaced by name."""
    now = datetime(2022, 2, 16, 10, tzinfo=SHANGHAI)
    result = publish(record("R1"), publishers=[RecordingPublisher(now)], now=now)
    assert result.findings == ()
    assert [p.publisher for p in result.published] == ["recording"]
    at = datetime(2022, 3, 1, 0, 30, tzinfo=SHANGHAI)
    rec = record("R2", agency="AG2", published=[at], kind=DocumentKind.RULE, topic="财政")
    assert (rec.agency, rec.kind, rec.topic, rec.title) == (
        "AG2",
        DocumentKind.RULE,
        "财政",
        "关于R2的通知",
    )
    assert [(p.published_at, p.url) for p in rec.publications] == [
        (at, "https://example.gov.cn/R2/0")
    ]
    with pytest.raises(TypeError):
        record("R3", no_such_field=1)


def test_agency_builder() -> None:
    """A county department named after its code, unless told otherwise."""
    assert (agency().code, agency().level, agency().parent) == ("AG1", AgencyLevel.COUNTY, None)
    city = agency("C1", name="某市人民政府办公室", level=AgencyLevel.CITY)
    assert (city.name, city.level) == ("某市人民政府办公室", AgencyLevel.CITY)


def test_sample_applications_valid_deterministic_and_mixed() -> None:
    """The load-test mix: valid histories, same for the same seed, agencies round-robin, about
    five events each."""
    apps = list(sample_applications(400, agencies=("AG1", "AG2")))
    assert apps == list(sample_applications(400, agencies=("AG1", "AG2")))
    assert apps != list(sample_applications(400, agencies=("AG1", "AG2"), seed=1))
    assert [a.id for a in apps[:2]] == ["A0000001", "A0000002"]
    assert {a.agency for a in apps[::2]} == {"AG2"}
    assert {a.agency for a in apps[1::2]} == {"AG1"}
    for app in apps:
        check_history(app)
    mean = sum(len(a.events) for a in apps) / len(apps)
    assert 4 <= mean <= 6, mean
    assert 0.02 < sum(a.closed_on is None for a in apps) / len(apps) < 0.2


def test_sql_plugin_reexports_the_generator() -> None:
    """The old import path of the load-test generator is the builder itself."""
    sql_testing = pytest.importorskip("govdisclose_sql.testing")
    assert sql_testing.sample_applications is sample_applications


def test_deadline_population_valid_and_same_without_validators() -> None:
    """The deadline mix: valid histories, with confirmation days and events past as_of; built
    with validators off it is the same population, and validators are on again afterwards."""
    apps = deadline_population(3000)
    assert apps == deadline_population(3000, validate=False)
    assert not attrs.validators.get_disabled()
    assert [a.id for a in apps[:2]] == ["A0000000", "A0000001"]
    for app in apps[:500]:
        assert apply_all(attrs.evolve(app, events=()), app.events) == app
    as_of = date(2025, 11, 15)
    assert any(app.events[0].confirmed_on for app in apps)  # type: ignore[attr-defined]
    assert any(e.on > as_of for app in apps for e in app.events)
    assert all(app.events[0].on <= as_of for app in apps)
    special = {"correction_requested", "third_party_consulted", "fee_notified"}
    share = sum(any(e.kind in special for e in app.events) for app in apps) / len(apps)
    assert 0.1 < share < 0.2, share


# -- fixed_calendar ---------------------------------------------------------------------------


def test_fixed_calendar_rest_and_working_days() -> None:
    """A Monday made a rest day and a Saturday made a working day move the counting."""
    national = WorkCalendar.default()
    monday, saturday, friday = date(2025, 3, 31), date(2025, 3, 29), date(2025, 3, 28)
    assert national.is_workday(monday)
    assert not national.is_workday(saturday)
    rest = fixed_calendar(holidays={monday})
    assert isinstance(rest, WorkCalendar)
    assert not rest.is_workday(monday)
    assert rest.add_working_days(friday, 1) == date(2025, 4, 1)
    work = fixed_calendar(workdays=[saturday])
    assert work.is_workday(saturday)
    assert work.add_working_days(friday, 1) == saturday
    assert [o.name for o in work.overrides] == ["fixed_calendar"]
    assert fixed_calendar(holidays={monday}) == rest  # same days, same calendar version


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        pytest.param({"holidays": {date(2040, 1, 2)}}, "holidays", "outside", id="uncovered"),
        pytest.param({"workdays": ["2025-03-29"]}, "workdays", "datetime.date", id="string"),
        pytest.param(
            {"holidays": [datetime(2025, 3, 31, 9)]}, "holidays", "datetime.date", id="datetime"
        ),
        pytest.param(
            {"holidays": {date(2025, 3, 31)}, "workdays": {date(2025, 3, 31)}},
            "holidays",
            "both",
            id="both",
        ),
    ],
)
def test_fixed_calendar_refuses(kwargs: dict[str, object], field: str, words: str) -> None:
    """Days that could not take effect are refused, naming the argument."""
    with pytest.raises(CalendarError) as info:
        fixed_calendar(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert words in info.value.message_en


def test_fixed_calendar_provisional_reaches_past_the_data() -> None:
    """With the provisional policy a day past the official schedules can be fixed too."""
    pytest.importorskip("holidays")
    day = date(WorkCalendar.default().covered[1] + 2, 3, 4)
    cal = fixed_calendar(holidays={day}, policy="provisional")
    assert not cal.is_workday(day)


# -- the store errors every adapter raises ----------------------------------------------------


def test_store_error_messages() -> None:
    """The classmethods give the exact messages the stores gave and the documentation quotes."""
    assert str(NotFound.for_key("application", "2025-002")) == (
        "[store.not_found] 未找到申请：2025-002 / no application with id '2025-002' is stored "
        "(field: application.id)"
    )
    assert str(ConflictError.for_version("application", "2025-001", 1, 2)) == (
        "[store.conflict] 申请 2025-001 已被他人修改：预期版本 1，实际版本 2。请重新读取后再提交 / "
        "application '2025-001' was changed by someone else: expected version 1, stored version "
        "2; reload it and apply the change again (field: application.version)"
    )
    conflict = ConflictError.for_version("record", "R1", 0, 1)
    assert (conflict.field, conflict.expected_version, conflict.actual_version) == (
        "record.version",
        0,
        1,
    )
    assert str(NotFound.for_key("agency", "X")).startswith("[store.not_found] 未找到机关：X")
    assert str(StoreIntegrityError.bad_item("records[3]", Record, "R4")) == (
        "[store.bad_item] records[3] 应为 Record，实际为 str / records[3] must be a Record, got "
        "str (field: records[3])"
    )
    dup = StoreIntegrityError.duplicate_application("A1", field="applications[5].id")
    assert (dup.code, dup.field) == ("store.duplicate", "applications[5].id")
    assert "use append_events" in dup.message_en
    closed = NotFound.closed()
    assert type(closed) is StoreError
    assert closed.code == "store.closed"


def test_memory_and_sql_stores_raise_the_same_errors() -> None:
    """Both adapters build their errors from the same classmethods: equal messages, case by
    case."""
    sql = pytest.importorskip("govdisclose_sql")

    def errors(store: object) -> list[str]:
        out: list[str] = []
        calls = [
            lambda s: s.get_agency("X"),
            lambda s: s.get_record("R9"),
            lambda s: s.append_events("A9", [], expected_version=0),
            lambda s: s.put_record("R1"),
            lambda s: s.import_bulk(review_cases=["C1"]),
            lambda s: s.put_record(record("R1"), expected_version=0),
            lambda s: s.create_application(application("A1")),
            lambda s: s.append_events("A1", [], expected_version=4),
            lambda s: s.put_record(record("R2", agency="AG9")),
            lambda s: s.create_application(application("A2", agency="AG9")),
            lambda s: s.import_bulk(
                applications=[application("A3"), application("A4", agency="AG9")]
            ),
            lambda s: (s.close(), s.agencies()),
        ]
        store.put_agency(agency("AG1"))  # type: ignore[attr-defined]
        store.put_record(record("R1"))  # type: ignore[attr-defined]
        store.create_application(application("A1"))  # type: ignore[attr-defined]
        for call in calls:
            with pytest.raises(StoreError) as info:
                call(store)
            out.append(str(info.value))
        return out

    assert errors(MemoryStore()) == errors(sql.SqlStore("sqlite://"))


# -- the tally's key shapes -------------------------------------------------------------------


def test_tally_keys_are_exact() -> None:
    """Keys of another shape and counts that are not non-negative ints are refused, naming the
    field; zeros are dropped; any integer type is a count."""
    numpy = pytest.importorskip("numpy")
    tally = ApplicationTally(
        agency="AG1",
        year=2025,
        received={NP: numpy.int64(2), ApplicantType.OTHER_ORG: 0},
        concluded={(Outcome.DISCLOSED, NP): 1},
    )
    assert tally.received == {NP: 2}
    assert type(tally.received[NP]) is int
    bad: list[tuple[str, dict[object, object]]] = [
        ("received", {"natural_person": 1}),
        ("carried_over", {(NP,): 1}),
        ("concluded", {(NP, Outcome.DISCLOSED): 1}),
        ("concluded", {Outcome.DISCLOSED: 1}),
        ("carried_forward", {NP: -1}),
        ("carried_forward", {NP: True}),
        ("received", {NP: Decimal("1")}),
    ]
    for name, counts in bad:
        with pytest.raises(ValidationError) as info:
            ApplicationTally(agency="AG1", year=2025, **{name: counts})  # type: ignore[arg-type]
        assert info.value.field == name, counts
