"""The database schema and its forward migrations.

`metadata` describes the current schema; the adapter's queries use its tables. A database is
brought to it by `MIGRATIONS`, applied in order when a store opens (`migrate`), each recorded
as a row of ``schema_version``. A migration is never edited once released: a change to the
schema is a new step, whose DDL is written against the tables as they were at that step, not
against `metadata` (which moves on).

Model objects are stored as the JSON of `govdisclose.serde` (the one converter), next to the
columns the queries filter, group and order on. Those columns are derived from the JSON when a
row is written and never edited on their own:

* ``applications``: the denormalised ``version`` (number of events), ``receipt_date``
  (条例 2019 第三十一条, by channel), ``closed_on``, ``outcome`` (table 三 row) and
  ``applicant_type``, so that the annual-report tally is one ``GROUP BY`` in the database;
* ``events``: one row per event, keyed ``(application_id, seq)``: that key is what makes two
  concurrent appends of the same sequence number impossible;
* ``publications``: one row per act of publication, for the register of published documents.

Since version 3 the reply clock's facts are columns too (`govdisclose.columns.ReplyFacts`, read
by `SqlStore.reply_facts` without any JSON): ``events.code`` (the event's
`govdisclose.columns.EventCode`), ``events.days`` (`Extended`), ``events.party`` and
``events.is_agency`` (`ThirdPartyConsulted` / `ThirdPartyReplied`), and
``applications.confirmed_on``, the receipt confirmation day where the first event records one
and the channel makes it the receipt date (条例 2019 第三十一条).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from attrs import frozen

from govdisclose.errors import StoreError
from govdisclose.model import Record
from govdisclose.vocab import Channel
from govdisclose_sql._rows import load_row, parse_json, publication_rows

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Migration",
    "agencies",
    "application_counts",
    "applications",
    "counts_select",
    "current_version",
    "events",
    "items",
    "metadata",
    "migrate",
    "publications",
    "records",
    "review_cases",
    "schema_version",
]

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
)

agencies = sa.Table(
    "agencies",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("parent", sa.Text, nullable=True, index=True),
    sa.Column("data", sa.Text, nullable=False),
)

records = sa.Table(
    "records",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("agency", sa.Text, nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("formed_on", sa.Date, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
)

publications = sa.Table(
    "publications",
    metadata,
    sa.Column(
        "record_id",
        sa.Text,
        sa.ForeignKey("records.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("agency", sa.Text, nullable=False),
    sa.Column("published_on", sa.Date, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Index("ix_publications_published_on", "published_on"),
    sa.Index("ix_publications_agency_published_on", "agency", "published_on"),
)

applications = sa.Table(
    "applications",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("agency", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("applicant_type", sa.Text, nullable=False),
    sa.Column("receipt_date", sa.Date, nullable=True),
    sa.Column("closed_on", sa.Date, nullable=True),
    sa.Column("outcome", sa.Text, nullable=True),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("confirmed_on", sa.Date, nullable=True),
    # Covering indexes: the tally reads only index entries, never the JSON.
    sa.Index(
        "ix_applications_agency_receipt",
        "agency",
        "receipt_date",
        "closed_on",
        "applicant_type",
        "outcome",
    ),
    sa.Index(
        "ix_applications_agency_closed",
        "agency",
        "closed_on",
        "applicant_type",
        "outcome",
        "receipt_date",
    ),
    sa.Index("ix_applications_receipt_closed", "receipt_date", "closed_on"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column(
        "application_id",
        sa.Text,
        sa.ForeignKey("applications.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("on", sa.Date, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("code", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("days", sa.Integer, nullable=True),
    sa.Column("party", sa.Text, nullable=True),
    sa.Column("is_agency", sa.Boolean, nullable=True),
)

application_counts = sa.Table(
    "application_counts",
    metadata,
    sa.Column("agency", sa.Text, primary_key=True),
    sa.Column("applicant_type", sa.Text, primary_key=True),
    sa.Column("outcome", sa.Text, primary_key=True),
    sa.Column("receipt_year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("closed_year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("count", sa.Integer, nullable=False),
)

review_cases = sa.Table(
    "review_cases",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("agency", sa.Text, nullable=False, index=True),
    sa.Column("application_id", sa.Text, nullable=True, index=True),
    sa.Column("filed_on", sa.Date, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
)


# Kept items (`govdisclose.store.kinds`: inquiries, opinion events, press events, work plans,
# the outbox): one row per item, its JSON under its kind's stable code, versioned like records.
items = sa.Table(
    "items",
    metadata,
    sa.Column("kind", sa.Text, primary_key=True),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("agency", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Index("ix_items_kind_agency_id", "kind", "agency", "id"),
)


@frozen
class Migration:
    """One numbered, forward-only schema step, run inside the opening transaction."""

    version: int
    description: str
    run: Callable[[sa.Connection], None]


def _v1_initial(conn: sa.Connection) -> None:
    # Frozen DDL of version 1; later steps must not rely on `metadata` either.
    md = sa.MetaData()
    sa.Table(
        "agencies",
        md,
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("parent", sa.Text, nullable=True, index=True),
        sa.Column("data", sa.Text, nullable=False),
    )
    sa.Table(
        "records",
        md,
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("agency", sa.Text, nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("formed_on", sa.Date, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    sa.Table(
        "applications",
        md,
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("agency", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("applicant_type", sa.Text, nullable=False),
        sa.Column("receipt_date", sa.Date, nullable=True),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("outcome", sa.Text, nullable=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Index(
            "ix_applications_agency_receipt",
            "agency",
            "receipt_date",
            "closed_on",
            "applicant_type",
            "outcome",
        ),
        sa.Index(
            "ix_applications_agency_closed",
            "agency",
            "closed_on",
            "applicant_type",
            "outcome",
            "receipt_date",
        ),
        sa.Index("ix_applications_receipt_closed", "receipt_date", "closed_on"),
    )
    sa.Table(
        "events",
        md,
        sa.Column(
            "application_id",
            sa.Text,
            sa.ForeignKey("applications.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    sa.Table(
        "review_cases",
        md,
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("agency", sa.Text, nullable=False, index=True),
        sa.Column("application_id", sa.Text, nullable=True, index=True),
        sa.Column("filed_on", sa.Date, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    md.create_all(conn)


def _v2_publications(conn: sa.Connection) -> None:
    # Version 1 answered the register by reading every record's JSON; version 2 keeps one row
    # per publication, filled here from the records already stored.
    md = sa.MetaData()
    v1_records = sa.Table(
        "records",
        md,
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
    )
    table = sa.Table(
        "publications",
        md,
        sa.Column(
            "record_id",
            sa.Text,
            sa.ForeignKey("records.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("agency", sa.Text, nullable=False),
        sa.Column("published_on", sa.Date, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Index("ix_publications_published_on", "published_on"),
        sa.Index("ix_publications_agency_published_on", "agency", "published_on"),
    )
    table.create(conn)
    rows: list[dict[str, object]] = []
    for record_id, data in conn.execute(sa.select(v1_records.c.id, v1_records.c.data)).all():
        rows.extend(publication_rows(load_row("records", record_id, data, Record)))
        if len(rows) >= 1000:
            conn.execute(table.insert(), rows)
            rows = []
    if rows:
        conn.execute(table.insert(), rows)


# The `govdisclose.columns.EventCode` of each stored event kind, frozen at version 3 (the codes
# are stable; an event kind added later gets its code from the write path).
_V3_CODES = {
    "received": 1,
    "correction_requested": 2,
    "correction_received": 3,
    "third_party_consulted": 4,
    "third_party_replied": 5,
    "fee_notified": 6,
    "fee_paid": 7,
    "extended": 8,
    "replied": 9,
    "withdrawn": 10,
    "deemed_withdrawn": 10,
}


def _v3_reply_facts(conn: sa.Connection) -> None:
    # The reply clock's facts as columns, derived here from the JSON of the rows stored so far.
    md = sa.MetaData()
    ev = sa.Table(
        "events",
        md,
        sa.Column("application_id", sa.Text, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("code", sa.SmallInteger, nullable=False),
        sa.Column("days", sa.Integer, nullable=True),
        sa.Column("party", sa.Text, nullable=True),
        sa.Column("is_agency", sa.Boolean, nullable=True),
    )
    apps = sa.Table(
        "applications",
        md,
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("confirmed_on", sa.Date, nullable=True),
    )
    preparer = conn.dialect.identifier_preparer
    boolean = "BOOLEAN"
    for table, column, ddl in (
        ("events", "code", "SMALLINT NOT NULL DEFAULT 0"),
        ("events", "days", "INTEGER"),
        ("events", "party", "TEXT"),
        ("events", "is_agency", boolean),
        ("applications", "confirmed_on", "DATE"),
    ):
        conn.exec_driver_sql(
            f"ALTER TABLE {preparer.quote(table)} ADD COLUMN {preparer.quote(column)} {ddl}"
        )
    conn.execute(
        sa.update(ev).values(
            code=sa.case(*((ev.c.kind == kind, code) for kind, code in _V3_CODES.items()), else_=0)
        )
    )
    side = sa.select(ev.c.application_id, ev.c.seq, ev.c.kind, ev.c.data).where(
        ev.c.kind.in_(("extended", "third_party_consulted", "third_party_replied"))
    )
    updates: list[dict[str, object]] = []
    for app_id, seq, kind, data in conn.execute(side).all():
        item = parse_json("events", f"{app_id}#{seq}", data)
        updates.append(
            {
                "a": app_id,
                "s": seq,
                "days": item.get("days") if kind == "extended" else None,
                "party": None if kind == "extended" else item.get("party"),
                "is_agency": bool(item.get("is_agency", False))
                if kind == "third_party_consulted"
                else None,
            }
        )
    if updates:
        conn.execute(
            sa.update(ev)
            .where(ev.c.application_id == sa.bindparam("a"), ev.c.seq == sa.bindparam("s"))
            .values(
                days=sa.bindparam("days"),
                party=sa.bindparam("party"),
                is_agency=sa.bindparam("is_agency"),
            ),
            updates,
        )
    needs = {c.code for c in Channel if c.receipt_needs_confirmation}
    firsts = (
        sa.select(apps.c.id, apps.c.data, ev.c.data)
        .join(ev, sa.and_(ev.c.application_id == apps.c.id, ev.c.seq == 1))
        .where(ev.c.kind == "received")
    )
    confirmed: list[dict[str, object]] = []
    for app_id, head, first in conn.execute(firsts).all():
        day = parse_json("events", f"{app_id}#1", first).get("confirmed_on")
        if day is not None and parse_json("applications", app_id, head).get("channel") in needs:
            confirmed.append({"a": app_id, "confirmed_on": date.fromisoformat(day)})
    if confirmed:
        conn.execute(
            sa.update(apps)
            .where(apps.c.id == sa.bindparam("a"))
            .values(confirmed_on=sa.bindparam("confirmed_on")),
            confirmed,
        )


def counts_select(apps: sa.Table) -> sa.Select[Any]:
    """The rows of ``application_counts`` computed from ``applications`` (a ``GROUP BY``)."""
    key = (
        apps.c.agency,
        apps.c.applicant_type,
        sa.func.coalesce(apps.c.outcome, ""),
        sa.func.coalesce(sa.extract("year", apps.c.receipt_date), 0),
        sa.func.coalesce(sa.extract("year", apps.c.closed_on), 0),
    )
    return sa.select(*key, sa.func.count()).group_by(*key)


def _v4_application_counts(conn: sa.Connection) -> None:
    # Counters the annual report's tally reads (agency x applicant type x outcome x receipt
    # year x closing year), built here from the applications stored so far.
    md = sa.MetaData()
    apps = sa.Table(
        "applications",
        md,
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("agency", sa.Text),
        sa.Column("applicant_type", sa.Text),
        sa.Column("receipt_date", sa.Date),
        sa.Column("closed_on", sa.Date),
        sa.Column("outcome", sa.Text),
    )
    counts = sa.Table(
        "application_counts",
        md,
        sa.Column("agency", sa.Text, primary_key=True),
        sa.Column("applicant_type", sa.Text, primary_key=True),
        sa.Column("outcome", sa.Text, primary_key=True),
        sa.Column("receipt_year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("closed_year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    counts.create(conn)
    # Frozen copy of `counts_select` as it was at version 4.
    key = (
        apps.c.agency,
        apps.c.applicant_type,
        sa.func.coalesce(apps.c.outcome, ""),
        sa.func.coalesce(sa.extract("year", apps.c.receipt_date), 0),
        sa.func.coalesce(sa.extract("year", apps.c.closed_on), 0),
    )
    grouped = sa.select(*key, sa.func.count()).group_by(*key)
    conn.execute(counts.insert().from_select([c.name for c in counts.columns], grouped))


def _v5_items(conn: sa.Connection) -> None:
    # Frozen DDL of the kept items' table as it was at version 5.
    md = sa.MetaData()
    sa.Table(
        "items",
        md,
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("agency", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Index("ix_items_kind_agency_id", "kind", "agency", "id"),
    )
    md.create_all(conn)


#: Every schema step, oldest first; the last one's number is `SCHEMA_VERSION`.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "agencies, records, applications with their events, review cases", _v1_initial),
    Migration(2, "publications register, filled from the stored records", _v2_publications),
    Migration(3, "reply clock facts as columns of events and applications", _v3_reply_facts),
    Migration(4, "application counters for the annual report's tally", _v4_application_counts),
    Migration(5, "kept items: inquiries, opinion events, press, plans, the outbox", _v5_items),
)

SCHEMA_VERSION = MIGRATIONS[-1].version


def current_version(conn: sa.Connection) -> int:
    """The schema version of the database, 0 if it holds no govdisclose schema."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    found = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
    return int(found or 0)


def migrate(conn: sa.Connection, steps: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the steps newer than the database's version, in order; return the new version.

    Runs on the caller's transaction, so a failing step leaves the database as it was. A
    database newer than the steps known here is refused rather than written with old code.
    """
    schema_version.create(conn, checkfirst=True)
    found = current_version(conn)
    known = steps[-1].version if steps else 0
    if found > known:
        raise StoreError(
            f"数据库结构版本为 {found}，高于本程序支持的 {known}，请升级 govdisclose-sql",
            f"the database schema is version {found}, newer than the {known} this "
            "govdisclose-sql knows; upgrade govdisclose-sql",
            field="schema_version",
            code="store.schema_too_new",
        )
    for step in steps:
        if step.version > found:
            step.run(conn)
            conn.execute(
                schema_version.insert().values(version=step.version, description=step.description)
            )
            found = step.version
    return found
