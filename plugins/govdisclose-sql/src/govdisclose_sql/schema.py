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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from attrs import frozen

from govdisclose.errors import StoreError
from govdisclose.model import Record
from govdisclose_sql._rows import load_row, publication_rows

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Migration",
    "agencies",
    "applications",
    "current_version",
    "events",
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


#: Every schema step, oldest first; the last one's number is `SCHEMA_VERSION`.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "agencies, records, applications with their events, review cases", _v1_initial),
    Migration(2, "publications register, filled from the stored records", _v2_publications),
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
