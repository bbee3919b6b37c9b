"""The kept-items part of `govdisclose.testing.StoreContract` (`govdisclose.store.kinds`).

`ContractItem` is the kind these tests store: it has every shape the real kinds use (a date, an
aware datetime whose offset must survive, an enum by its code, a Decimal, a tuple of values and
an append-only history), so an adapter that passes keeps inquiries, plans and the outbox too.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from attrs import frozen

from govdisclose.errors import ConflictError, InvalidTransition, NotFound, ValidationError
from govdisclose.store import Store
from govdisclose.store.kinds import ItemKind, append_only, register
from govdisclose.testing import builders
from govdisclose.testing._assert import _raises, _run_together, _show
from govdisclose.vocab import Channel

__all__ = ["ContractItem", "ContractOtherItem", "ItemsContract"]


@frozen
class ContractItem:
    """A kept item of the contract's own kind ``contract.item``."""

    id: str
    agency: str
    title: str = "咨询"
    on: date = date(2026, 3, 2)
    at: datetime = datetime(2026, 3, 2, 0, 30, tzinfo=timezone(timedelta(hours=8)))
    channel: Channel = Channel.ONLINE
    fee: Decimal = Decimal("12.50")
    history: tuple[str, ...] = ()


@frozen
class ContractOtherItem:
    """Another kind with the same ids, which must never show up among `ContractItem`."""

    id: str
    agency: str


register(
    ItemKind(
        code="contract.item",
        cls=ContractItem,
        label_zh="契约测试条目",
        label_en="contract item",
        check=append_only(lambda item: item.history, "契约测试条目", "contract item"),
    )
)
register(
    ItemKind(
        code="contract.other",
        cls=ContractOtherItem,
        label_zh="契约测试其他条目",
        label_en="other contract item",
    )
)


class ItemsContract:
    """The kept-items behaviour every `Store` must show (mixed into `StoreContract`)."""

    @staticmethod
    def _agencies(store: Store, *codes: str) -> None:
        for code in codes:
            store.put_agency(builders.agency(code))

    def test_item_round_trip_and_versions(self, store: Store) -> None:
        """A kept item comes back equal (the datetime's own offset kept); versions count writes."""
        self._agencies(store, "AG1")
        item = ContractItem(id="I1", agency="AG1", history=("received",))
        assert store.item_version(ContractItem, "I1") == 0, "item_version of an absent item is 0"
        assert store.put_item(item) == 1, "the first put_item must return version 1"
        got = store.get_item(ContractItem, "I1")
        assert got == item, f"get_item must return the item as put: {got!r} != {item!r}"
        assert got.at.utcoffset() == timedelta(hours=8), (
            f"a kept item's datetime must keep its own UTC offset, came back as {got.at}"
        )
        grown = ContractItem(id="I1", agency="AG1", history=("received", "answered"))
        assert store.put_item(grown, expected_version=1) == 2, (
            "put_item(expected_version=1) of an item at version 1 must return version 2"
        )
        assert store.item_version(ContractItem, "I1") == 2

    def test_item_conflicts_store_nothing(self, store: Store) -> None:
        """A stale or create-only write raises ConflictError and leaves the item as it was."""
        self._agencies(store, "AG1")
        store.put_item(ContractItem(id="I1", agency="AG1"), expected_version=0)
        for expected in (0, 2):
            with _raises(
                ConflictError, f"put_item(I1, expected_version={expected}) of an item at version 1"
            ) as info:
                store.put_item(
                    ContractItem(id="I1", agency="AG1", title="改"), expected_version=expected
                )
            versions = (info.value.expected_version, info.value.actual_version)
            assert versions == (expected, 1), (
                "the ConflictError must carry (expected_version, actual_version) = "
                f"({expected}, 1), carried {versions}"
            )
        got = store.get_item(ContractItem, "I1")
        assert got.title == "咨询", f"a refused put_item must store nothing: {got!r}"
        version = store.item_version(ContractItem, "I1")
        assert version == 1, f"a refused put_item must not move the version 1, got {version}"

    def test_item_of_an_unknown_agency_is_refused(self, store: Store) -> None:
        """An item filed under an agency the store does not know is NotFound, field agency."""
        with _raises(NotFound, "put_item of an item whose agency is not stored") as info:
            store.put_item(ContractItem(id="I1", agency="NOPE"))
        assert info.value.field == "agency", (
            f"the NotFound must name the field agency, named {info.value.field!r}"
        )
        assert store.item_version(ContractItem, "I1") == 0, "a refused put_item must store nothing"

    def test_item_history_is_appended_only(self, store: Store) -> None:
        """The kind's rule runs against the stored value: a rewritten history is refused."""
        self._agencies(store, "AG1")
        store.put_item(ContractItem(id="I1", agency="AG1", history=("received", "forwarded")))
        for rewritten in (("received",), ("received", "answered")):
            with _raises(
                InvalidTransition, f"put_item rewriting the history to {rewritten}"
            ) as info:
                store.put_item(ContractItem(id="I1", agency="AG1", history=rewritten))
            assert info.value.code == "store.history_rewritten", info.value.code
        got = store.get_item(ContractItem, "I1").history
        assert got == ("received", "forwarded"), f"a refused write must store nothing, stored {got}"

    def test_items_ordered_filtered_and_kept_apart(self, store: Store) -> None:
        """items() lists one kind, ordered by id, of one agency or all."""
        self._agencies(store, "AG1", "AG2")
        for item_id, code in (("I3", "AG1"), ("I1", "AG2"), ("I2", "AG1")):
            store.put_item(ContractItem(id=item_id, agency=code))
        store.put_item(ContractOtherItem(id="I1", agency="AG1"))
        store.put_item(ContractItem(id="I1", agency="AG1"))  # moves I1 to AG1
        selections: tuple[tuple[str | None, list[str]], ...] = (
            (None, ["I1", "I2", "I3"]),
            ("AG1", ["I1", "I2", "I3"]),
            ("AG2", []),
        )
        for agency, expected in selections:
            got = [i.id for i in store.items(ContractItem, agency=agency)]
            assert got == expected, (
                f"items(ContractItem, agency={agency!r}) must list {expected}, listed {got}"
            )
        other = list(store.items(ContractOtherItem))
        assert other == [ContractOtherItem(id="I1", agency="AG1")], (
            f"items of another kind with the same id must be kept apart, got {other}"
        )

    def test_item_lookups(self, store: Store) -> None:
        """A missing item is NotFound; a class that is no kind is a ValidationError."""
        with _raises(NotFound, "get_item(ContractItem, 'nope') of an unknown id"):
            store.get_item(ContractItem, "nope")

        @frozen
        class Unregistered:
            id: str
            agency: str

        with _raises(ValidationError, "put_item of a class with no ItemKind") as info:
            store.put_item(Unregistered(id="X", agency="AG1"))
        assert info.value.code == "store.unknown_kind", info.value.code

    def test_item_writes_roll_back_with_the_transaction(self, store: Store) -> None:
        """A transaction whose block raises undoes its item writes too."""
        self._agencies(store, "AG1")
        store.put_item(ContractItem(id="I1", agency="AG1"))

        class Boom(Exception):
            pass

        def failing_block() -> None:
            with store.transaction():
                store.put_item(
                    ContractItem(id="I1", agency="AG1", history=("x",)), expected_version=1
                )
                store.put_item(ContractItem(id="I2", agency="AG1"))
                raise Boom

        with _raises(Boom, "a transaction whose block raises"):
            failing_block()
        assert store.get_item(ContractItem, "I1").history == (), "the update of I1 was kept"
        assert store.item_version(ContractItem, "I2") == 0, "the creation of I2 was kept"

    def test_concurrent_item_writes_one_wins(self, store: Store) -> None:
        """Two item writers with the same expected version: exactly one wins."""
        self._agencies(store, "AG1")
        store.put_item(ContractItem(id="I1", agency="AG1"))
        results = _run_together(
            lambda: store.put_item(
                ContractItem(id="I1", agency="AG1", title="甲"), expected_version=1
            ),
            lambda: store.put_item(
                ContractItem(id="I1", agency="AG1", title="乙"), expected_version=1
            ),
        )
        kinds = sorted(type(r).__name__ for r in results)
        assert kinds == ["ConflictError", "int"], (
            "of two threads calling put_item(I1, expected_version=1) at once, exactly one must "
            f"win and the other get ConflictError; they got {[_show(r) for r in results]}"
        )
        assert store.item_version(ContractItem, "I1") == 2
