"""The frames: one row per application or record, and the tables computed from them.

pandas is imported when a function is called, never at import time. Frames use plain column
types (strings for codes, ``datetime64`` days for dates, nullable integers) so that they survive
``to_parquet`` / ``to_excel`` and a reader who has never heard of govdisclose can use them.

Codes, not labels, are the join keys; every coded column has a ``*_label`` twin in Chinese for
display, and with ``agencies=`` the agency's code has its name beside it (``agency_name``).

Every computed column is there or the call fails: asking for deadlines (``as_of``) without the
parameters and the calendar they are computed with is an error naming what is missing, not a
frame without the columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from govdisclose._install import install_hint
from govdisclose.errors import GovDiscloseError, ValidationError
from govdisclose.lifecycle import status
from govdisclose.model import Agency, Application, Record
from govdisclose.vocab import ApplicantType, Outcome

if TYPE_CHECKING:
    import pandas as pd

    from govdisclose.columns import ReplyFacts
    from govdisclose.deadlines import StatusBatch

__all__ = [
    "agency_names",
    "applications_frame",
    "deadlines_frame",
    "outcome_table",
    "records_frame",
    "timeliness",
]


_APPLICATION_COLUMNS = [
    "id", "agency", "applicant_type", "applicant_type_label", "channel", "receipt_date",
    "closed_on", "status", "outcome", "outcome_label", "outcome_row", "outcome_group", "events",
]  # fmt: skip
_DEADLINE_COLUMNS = [
    "due", "provisional", "assumption", "clock_state", "working_days_late", "problem",
]  # fmt: skip
_RECORD_COLUMNS = [
    "id", "agency", "title", "kind", "kind_label", "attribute", "drafting_attribute",
    "attribute_changed", "formed_on", "clock_start", "first_published_on",
    "calendar_days_to_publish", "validity", "publications",
]  # fmt: skip


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:  # pragma: no cover - exercised only where pandas is absent
        hint_zh, hint_en = install_hint("pandas", "analysis")
        raise GovDiscloseError(
            f"数据分析功能需要 pandas。{hint_zh}",
            f"analysis needs pandas; {hint_en}",
            code="analysis.missing_pandas",
        ) from None
    return pandas


def agency_names(agencies: Iterable[Agency] | Mapping[str, str]) -> dict[str, str]:
    """``{code: name}`` of ``agencies`` (a store's ``agencies()``, or a mapping already)."""
    if isinstance(agencies, Mapping):
        return {str(k): str(v) for k, v in agencies.items()}
    out: dict[str, str] = {}
    for agency in agencies:
        if not isinstance(agency, Agency):
            raise ValidationError(
                f"agencies 应为机关（Agency）或“代码→名称”映射，实际含 {agency!r}",
                f"agencies must be Agency values or a code -> name mapping, got {agency!r}",
                field="agencies",
                code="analysis.bad_agencies",
            )
        out[agency.code] = agency.name
    return out


def _with_names(frame: pd.DataFrame, names: dict[str, str] | None) -> pd.DataFrame:
    if names is None:
        return frame
    unknown = sorted(set(frame["agency"].dropna()) - set(names))
    if unknown:
        raise ValidationError(
            f"以下机关代码不在 agencies 中，无法给出机关名称：{'、'.join(unknown)}",
            f"these agency codes are not in agencies, so they have no name: {', '.join(unknown)}",
            field="agencies",
            code="analysis.unknown_agency",
        )
    at = frame.columns.get_loc("agency")
    frame.insert(int(at) + 1, "agency_name", frame["agency"].map(names))
    return frame


def _deadline_arguments(as_of: date | None, params: Any, calendar: Any) -> bool:
    """Whether the deadline columns are asked for; all three arguments or none of them."""
    given = {
        "as_of": as_of is not None,
        "params": params is not None,
        "calendar": calendar is not None,
    }
    if all(given.values()) or not any(given.values()):
        return all(given.values())
    missing = [k for k, v in given.items() if not v]
    raise ValidationError(
        f"计算答复期限列需要同时给出 as_of、params、calendar，缺少 {'、'.join(missing)}"
        "（例如 params=ParameterSet.default(), calendar=WorkCalendar.default()）",
        f"the deadline columns need as_of, params and calendar together; missing "
        f"{', '.join(missing)} (e.g. params=ParameterSet.default(), "
        "calendar=WorkCalendar.default())",
        field=missing[0],
        code="analysis.missing_argument",
    )


def applications_frame(
    applications: Iterable[Application],
    *,
    as_of: date | None = None,
    params: Any = None,
    calendar: Any = None,
    agencies: Iterable[Agency] | Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per application: who, how, when received and closed, outcome, status.

    With ``as_of``, ``params`` (`govdisclose.params.ParameterSet`) and ``calendar``
    (`govdisclose.calendar.WorkCalendar`) the statutory reply deadline and its state as of that
    day are added (``due``, ``provisional`` with its ``assumption``, ``clock_state``,
    ``working_days_late``, and ``problem``); giving some of the three but not all is a
    `ValidationError` naming the missing one (code ``analysis.missing_argument``). An
    application whose deadline cannot be computed (its due date falls in a year without holiday
    data under the strict calendar policy) gets ``clock_state == "undetermined"`` and the
    reason in ``problem``; the other rows are unaffected. ``frame.attrs`` records the calendar's
    policy and version.

    With ``agencies`` (``store.agencies()``, or ``{code: name}``) an ``agency_name`` column
    follows ``agency``; an agency code without a name is a `ValidationError` listing the codes
    (code ``analysis.unknown_agency``).
    """
    pd = _pandas()
    names = None if agencies is None else agency_names(agencies)
    rows: list[dict[str, Any]] = []
    with_deadlines = _deadline_arguments(as_of, params, calendar)
    apps = list(applications)
    for app in apps:
        outcome = app.outcome
        rows.append(
            {
                "id": app.id,
                "agency": app.agency,
                "applicant_type": app.applicant.type.code,
                "applicant_type_label": app.applicant.type.label,
                "channel": app.channel.code,
                "receipt_date": app.receipt_date,
                "closed_on": app.closed_on,
                "status": status(app).code,
                "outcome": outcome.code if outcome else None,
                "outcome_label": outcome.label if outcome else None,
                "outcome_row": outcome.row if outcome else None,
                "outcome_group": outcome.group.code if outcome else None,
                "events": len(app.events),
            }
        )
    # reindex: every column is there even when no row had it (an empty selection, or no
    # application with a receipt date), so code reading the frame never meets a KeyError.
    frame = pd.DataFrame.from_records(rows).reindex(columns=_APPLICATION_COLUMNS)
    if with_deadlines and as_of is not None:
        # The batch (pandas brings numpy): one pass over the columns of all the applications,
        # tested equal to `reply_status` of each; an application never received has no clock.
        import numpy as np

        from govdisclose.deadlines import reply_status_many

        batch = reply_status_many(apps, as_of, params=params, calendar=calendar)
        clocks = _clock_frame(batch, calendar)[_DEADLINE_COLUMNS]
        never = np.fromiter((a.receipt_date is None for a in apps), bool, len(apps))
        if never.any():
            clocks = clocks.astype(object)
            clocks.loc[never] = None
        for column in _DEADLINE_COLUMNS:
            frame[column] = clocks[column].to_numpy()
        # The calendar policy travels with the frame, so a reader of a saved frame knows
        # whether ``provisional`` rows were possible at all.
        frame.attrs["calendar_policy"] = calendar.policy
        frame.attrs["calendar_version"] = calendar.version
    for col in ("receipt_date", "closed_on", "due"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col])
    if "working_days_late" in frame:
        frame["working_days_late"] = frame["working_days_late"].astype("Int64")
    return _with_names(frame, names)


def deadlines_frame(
    facts: ReplyFacts,
    *,
    as_of: date,
    params: Any,
    calendar: Any,
) -> pd.DataFrame:
    """One row per row of ``facts`` (`govdisclose.columns.ReplyFacts`, from
    ``govdisclose.store.reply_facts(store, agency=..., open_on=..., received=...)``): the
    application's ``id``, its ``receipt_date`` and its reply clock on ``as_of`` (``due``,
    ``provisional`` with its ``assumption``, ``clock_state``, ``working_days_left``,
    ``working_days_late``, ``problem``), computed by the batch from the columns alone
    (`govdisclose.deadlines.reply_status_facts`): no application is loaded, so a province's
    open applications take seconds, not the minutes of `applications_frame` over objects.

    The clock columns are those of `applications_frame` (plus ``working_days_left``) and
    equal to them row for row; join the two on ``id`` for the other columns. An application
    whose clock cannot be computed is ``undetermined`` with the reason in ``problem``; the
    frame is built for all the others. ``frame.attrs`` records the calendar's policy and
    version.

    .. versionadded:: 0.2.0
    """
    pd = _pandas()
    import numpy as np

    from govdisclose.deadlines import reply_status_facts

    _deadline_arguments(as_of, params, calendar)
    batch = reply_status_facts(facts, as_of, params=params, calendar=calendar)
    receipt = facts.receipt_days().astype(np.int64)
    received = np.full(len(facts), np.datetime64("NaT"), dtype="datetime64[D]")
    known = np.flatnonzero(receipt > 0)
    received[known] = (receipt[known] - date(1970, 1, 1).toordinal()).astype("datetime64[D]")
    frame = pd.concat(
        [
            pd.DataFrame(
                {"id": list(facts.ids), "receipt_date": received.astype("datetime64[ns]")}
            ),
            _clock_frame(batch, calendar),
        ],
        axis=1,
    )
    frame.attrs["calendar_policy"] = calendar.policy
    frame.attrs["calendar_version"] = calendar.version
    return frame


def _clock_frame(batch: StatusBatch, calendar: Any) -> pd.DataFrame:
    """The deadline columns of each row of a batch status, from its arrays: a row whose clock
    could not be computed (a due date in a year without holiday data, strict policy) is
    ``undetermined`` with the problem in one line, the other rows unaffected."""
    pd = _pandas()
    import numpy as np

    from govdisclose.clocks import ClockState

    # The batch's state codes are positions in `ClockState` (`StatusBatch.state`).
    states = np.asarray([s.value for s in ClockState], dtype=object)
    problem = np.full(len(batch), None, dtype=object)
    for p in batch.problems:
        problem[p.index] = p.describe()
    provisional = batch.provisional.astype(bool)
    left, late = batch.working_days_left, batch.working_days_late
    return pd.DataFrame(
        {
            # Nanoseconds, as `pd.to_datetime` gives for dates: frames compare and concatenate.
            "due": batch.due.astype("datetime64[ns]"),
            "provisional": provisional,
            "assumption": np.where(provisional, calendar.provisional_assumption, None),
            "clock_state": states[batch.state.astype(np.intp)],
            "working_days_left": _optional_counts(pd, left),
            "working_days_late": _optional_counts(pd, late),
            "problem": problem,
        }
    )


def _optional_counts(pd: Any, values: Any) -> Any:
    """Counts with -1 for "not applicable" as a nullable ``Int64`` column (missing there)."""
    missing = values < 0
    return pd.arrays.IntegerArray(values.astype("int64").clip(min=0), missing)


def records_frame(
    records: Iterable[Record], *, agencies: Iterable[Agency] | Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per record: attribute (drafting and current), kind, dates, publication lag;
    with ``agencies``, the ``agency_name`` beside the code (as `applications_frame`)."""
    pd = _pandas()
    names = None if agencies is None else agency_names(agencies)
    rows = []
    for rec in records:
        first = rec.first_published_on
        rows.append(
            {
                "id": rec.id,
                "agency": rec.agency,
                "title": rec.title,
                "kind": rec.kind.code,
                "kind_label": rec.kind.label,
                "attribute": rec.attribute.code if rec.attribute else None,
                "drafting_attribute": (
                    rec.drafting_attribute.code if rec.drafting_attribute else None
                ),
                "attribute_changed": rec.attribute is not rec.drafting_attribute,
                "formed_on": rec.formed_on,
                "clock_start": rec.clock_start,
                "first_published_on": first,
                "calendar_days_to_publish": (first - rec.clock_start).days if first else None,
                "validity": rec.validity.code,
                "publications": len(rec.publications),
            }
        )
    frame = pd.DataFrame.from_records(rows).reindex(columns=_RECORD_COLUMNS)
    for col in ("formed_on", "clock_start", "first_published_on"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col])
    if "calendar_days_to_publish" in frame:
        frame["calendar_days_to_publish"] = frame["calendar_days_to_publish"].astype("Int64")
    return _with_names(frame, names)


def outcome_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Closed applications counted like table 三: outcome rows x applicant-type columns.

    Rows are in the official order (``R3_1`` … ``R3_6_3``) with the Chinese label; columns are the
    six applicant types plus ``total``. Missing combinations are 0, since this is a count of a
    frame, not a filed report.
    """
    pd = _pandas()
    closed = frame[frame["outcome"].notna()]
    table = pd.crosstab(closed["outcome"], closed["applicant_type"])
    table = table.reindex(
        index=[o.code for o in Outcome], columns=[t.code for t in ApplicantType], fill_value=0
    )
    table["total"] = table.sum(axis=1)
    table.index = pd.MultiIndex.from_tuples(
        [(o.row, o.label) for o in Outcome], names=["row", "label"]
    )
    return table


def timeliness(frame: pd.DataFrame) -> pd.DataFrame:
    """Per agency: applications, closed, overdue/missed counts and the on-time rate of closed ones.

    Needs the deadline columns of `applications_frame` (call it with ``as_of``, ``params`` and
    ``calendar``).
    """
    if "clock_state" not in frame:
        raise GovDiscloseError(
            "缺少期限列：请以 as_of、params、calendar 调用 applications_frame",
            "no deadline columns: call applications_frame with as_of, params and calendar",
            field="clock_state",
            code="analysis.missing_deadlines",
        )
    grouped = frame.groupby("agency")
    out = grouped.agg(
        applications=("id", "size"),
        closed=("closed_on", "count"),
        met=("clock_state", lambda s: int((s == "met").sum())),
        missed=("clock_state", lambda s: int((s == "missed").sum())),
        overdue_open=("clock_state", lambda s: int((s == "overdue").sum())),
    )
    decided = out["met"] + out["missed"]
    out["on_time_rate"] = (out["met"] / decided.where(decided > 0)).astype("Float64")
    if "agency_name" in frame:
        out.insert(0, "agency_name", grouped["agency_name"].first())
    return out
