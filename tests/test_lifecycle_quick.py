"""`lifecycle._quick_valid`, the quick pass `check_history` tries first, says "valid" exactly
when the rule-by-rule replay (`lifecycle._admit`) accepts the history, on arbitrary histories:
valid ones (`strategies.applications`) and the invalid ones a mutation of them gives (an event
dropped, repeated, moved, replaced by an arbitrary event, re-dated; an outcome, reasons or
channel changed), so that every rule is broken somewhere. On a history with one of the desk's
steps the quick pass may only defer (False), never vouch for an invalid history."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from govdisclose import lifecycle
from govdisclose.errors import InvalidTransition
from govdisclose.model import (
    Application,
    Event,
    InternalConsulted,
    InternalReplied,
    NoticeIssued,
    Received,
    Replied,
    ReplyApproved,
    ReplyDrafted,
)
from govdisclose.testing.builders import sample_applications
from govdisclose.vocab import Channel, Outcome

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402
from tests import strategies as gst  # noqa: E402

_DESK = (InternalConsulted, InternalReplied, ReplyDrafted, ReplyApproved, NoticeIssued)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _replay_accepts(app: Application) -> bool:
    state = lifecycle._Replay()
    try:
        for ev in app.events:
            lifecycle._admit(state, app.id, app.channel, ev)
    except InvalidTransition:
        return False
    return True


@st.composite
def _mutated(draw: st.DrawFn) -> Application:
    """A valid application, or one changed in one or two places (mostly into an invalid one)."""
    app = draw(gst.applications(max_events=8))
    for _ in range(draw(st.integers(0, 2))):
        events = list(app.events)
        how = draw(
            st.sampled_from(
                ["drop", "repeat", "move", "replace", "insert", "date", "reply", "channel"]
            )
        )
        at = draw(st.integers(0, max(0, len(events) - 1)))
        if how == "channel":
            app = attrs.evolve(app, channel=draw(st.sampled_from(Channel)))
            continue
        if not events:
            events.append(draw(gst.events()))
        elif how == "drop":
            del events[at]
        elif how == "repeat":
            events.insert(at, events[at])
        elif how == "move":
            events.insert(draw(st.integers(0, len(events) - 1)), events.pop(at))
        elif how == "replace":
            events[at] = _dated(draw(gst.events()), events[at])
        elif how == "insert":
            events.insert(at, _dated(draw(gst.events()), events[at]))
        elif how == "date":
            shift = timedelta(days=draw(st.integers(-40, 40)))
            ev = events[at]
            if isinstance(ev, Received) and ev.confirmed_on is not None:
                events[at] = attrs.evolve(ev, on=ev.on + shift, confirmed_on=ev.on + shift)
            else:
                events[at] = attrs.evolve(ev, on=ev.on + shift)
        elif how == "reply":
            replies = [i for i, e in enumerate(events) if isinstance(e, Replied | ReplyDrafted)]
            if replies:
                i = draw(st.sampled_from(replies))
                reasons = draw(st.sampled_from([None, "", "  ", "理由"]))
                events[i] = attrs.evolve(
                    events[i], outcome=draw(st.sampled_from(Outcome)), reasons=reasons
                )
        app = attrs.evolve(app, events=tuple(events))
    return app


def _dated(event: Event, like: Event) -> Event:
    """``event`` on the day of ``like`` (so that the date rules do not refuse it first)."""
    if isinstance(event, Received):
        return attrs.evolve(event, on=like.on, confirmed_on=None)
    return attrs.evolve(event, on=like.on)


@SETTINGS
@given(_mutated())
def test_quick_pass_vouches_exactly_for_the_valid_histories(app: Application) -> None:
    accepted = _replay_accepts(app)
    quick = lifecycle._quick_valid(app)
    if any(isinstance(e, _DESK) for e in app.events):
        assert not quick  # the desk's steps are the replay's to check
    else:
        assert quick == accepted
    # check_history behaves as the replay does, whichever pass answered.
    if accepted:
        lifecycle.check_history(app)
    else:
        with pytest.raises(InvalidTransition):
            lifecycle.check_history(app)


@SETTINGS
@given(_mutated())
def test_check_history_refuses_as_the_replay_does(app: Application) -> None:
    """The same error (code, field, expected kinds, message) as the replay alone raises."""
    state = lifecycle._Replay()
    want: InvalidTransition | None = None
    try:
        for ev in app.events:
            lifecycle._admit(state, app.id, app.channel, ev)
    except InvalidTransition as err:
        want = err
    if want is None:
        lifecycle.check_history(app)
        return
    with pytest.raises(InvalidTransition) as got:
        lifecycle.check_history(app)
    assert (got.value.code, got.value.field, str(got.value)) == (
        want.code,
        want.field,
        str(want),
    )
    assert getattr(got.value, "expected", None) == getattr(want, "expected", None)


def test_the_generated_import_data_takes_the_quick_pass() -> None:
    # What the benchmarks import: every history valid, and vouched for without the replay.
    apps = list(sample_applications(2000, agencies=("AG1", "AG2")))
    assert all(lifecycle._quick_valid(a) for a in apps)
    assert all(_replay_accepts(a) for a in apps)
