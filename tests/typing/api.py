"""The public API as an OA developer uses it; type-checked by ``mypy --strict tests/typing``.

Not a test module (pytest does not collect it) and not executed: it exists so that a change to
a public signature that breaks typed callers fails the type check.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import govdisclose
from govdisclose import (
    Applicant,
    ApplicantType,
    Application,
    ApplicationStatus,
    Channel,
    DeserializationError,
    GovDiscloseError,
    InvalidTransition,
    Outcome,
    Publication,
    Received,
    Record,
    Replied,
    ValidationError,
    apply,
    dumps,
    loads,
    status,
)
from govdisclose.lifecycle import apply_all, open_consultations
from govdisclose.model import Event, FeeNotified, ThirdPartyConsulted
from govdisclose.serde import make_converter, structure, unstructure
from govdisclose.vocab import DisclosureAttribute, FeeMethod, PublicationChannel


def register(form: dict[str, str]) -> Application:
    """Turn an OA intake form into an application with its receipt recorded."""
    app = Application(
        id=form["id"],
        agency=form["agency"],
        applicant=Applicant(
            type=ApplicantType.from_code(form["applicant_type"]), name=form["name"]
        ),
        channel=Channel.from_label(form["channel"]),
        request=form["request"],
    )
    return apply(app, Received(on=date.fromisoformat(form["received_on"])))


def answer(app: Application, on: date, outcome: Outcome) -> Application | None:
    """Record the reply, or explain to the clerk why it cannot be recorded now."""
    try:
        return apply(app, Replied(on=on, outcome=outcome, reasons="依据《条例》第三十六条"))
    except InvalidTransition as err:
        expected: tuple[str, ...] = err.expected
        print(err.message_zh, expected, err.field)
        return None


def consult_and_charge(app: Application) -> Application:
    events: list[Event] = [
        ThirdPartyConsulted(on=date(2025, 3, 5), party="某公司"),
        FeeNotified(
            on=date(2025, 3, 6), amount=Decimal("1700"), method=FeeMethod.PER_VOLUME, quantity=150
        ),
    ]
    app = apply_all(app, events)
    waiting: tuple[str, ...] = open_consultations(app.events)
    current: ApplicationStatus = status(app)
    print(waiting, current.label, current.is_open)
    return app


def summary(app: Application) -> dict[str, str | int | None]:
    receipt: date | None = app.receipt_date
    closed: date | None = app.closed_on
    outcome: Outcome | None = app.outcome
    return {
        "receipt": receipt.isoformat() if receipt else None,
        "closed": closed.isoformat() if closed else None,
        "row": outcome.row if outcome else None,
        "version": app.version,
    }


def store_and_load(app: Application) -> Application:
    text: str = dumps(app, indent=2)
    try:
        return loads(text, Application)
    except DeserializationError as err:
        problems: tuple[tuple[str, str], ...] = err.errors
        raise RuntimeError(problems) from err


def publish(record: Record) -> Record:
    published = Publication(
        publisher="办公室",
        channel=PublicationChannel.PORTAL,
        published_at=datetime(2025, 3, 3, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    new: Record = Record(
        id=record.id,
        title=record.title,
        agency=record.agency,
        formed_on=record.formed_on,
        decisions=record.decisions,
        publications=(*record.publications, published),
    )
    first: date | None = new.first_published_on
    attribute: DisclosureAttribute | None = new.attribute
    print(first, attribute)
    return new


def custom_converter(record: Record) -> Record:
    converter = make_converter()
    data = unstructure(record, converter=converter)
    return structure(data, Record, converter=converter)


def handle(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return f"{error.field}: {error.message_zh}"
    if isinstance(error, GovDiscloseError):
        return error.code
    return str(error)


version: str = govdisclose.__version__
