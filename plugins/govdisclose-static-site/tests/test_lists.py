"""A list's pages (`govdisclose_static_site._state.ListState`): whatever is inserted and removed,
in any order, the pages hold the list in order, each page at most ``page_size`` rows, and an
operation marks only the pages it changed."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from govdisclose_static_site._state import ListState, Row


def _row(n: int) -> Row:
    key = [f"2025{n:010d}", f"r-{n}"]
    return Row(
        k=key,
        id=f"r-{n}",
        page=f"records/r-{n}.html",
        title=str(n),
        published="2025-01-01",
        formed="2025-01-01",
        index=None,
        number=None,
        agency="a",
        validity="valid",
        repealed=None,
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 60)), max_size=120), st.integers(2, 6))
def test_the_pages_keep_the_list_in_order(ops: list[tuple[bool, int]], size: int) -> None:
    lst = ListState(Path("/nonexistent"), "catalogue", size, fresh=True)
    present: set[int] = set()
    for insert, n in ops:
        lst.dirty.clear()
        before = {c["id"]: list(lst.rows(c["id"])) for c in lst.chunks}
        if insert and n not in present:
            lst.insert(_row(n))
            present.add(n)
        elif not insert and n in present:
            assert lst.remove(_row(n)["k"])
            present.discard(n)
        else:
            continue
        after = {c["id"]: lst.rows(c["id"]) for c in lst.chunks}
        changed = {cid for cid in after if before.get(cid) != after[cid]}
        assert changed <= lst.dirty
        assert len(lst.dirty) <= 3  # the page itself, and the neighbours' links
    rows = [r for c in lst.chunks for r in lst.rows(c["id"])]
    assert [r["id"] for r in rows] == [f"r-{n}" for n in sorted(present)]
    assert lst.count == len(present)
    for chunk in lst.chunks:
        kept = lst.rows(chunk["id"])
        assert 1 <= len(kept) <= size
        assert chunk["n"] == len(kept)
        assert (chunk["first"], chunk["last"]) == (kept[0]["k"], kept[-1]["k"])


def test_appending_fills_pages_and_opens_new_ones() -> None:
    """The common case: publications in date order fill each page, then start the next."""
    lst = ListState(Path("/nonexistent"), "catalogue", 3, fresh=True)
    for n in range(7):
        lst.insert(_row(n))
    assert [c["n"] for c in lst.chunks] == [3, 3, 1]
    assert [r["id"] for r in lst.newest(4)] == ["r-6", "r-5", "r-4", "r-3"]
    assert not lst.replace(_row(99))
    assert lst.replace(_row(2) | {"title": "新"})  # type: ignore[arg-type]
    assert lst.rows(lst.chunks[0]["id"])[2]["title"] == "新"
