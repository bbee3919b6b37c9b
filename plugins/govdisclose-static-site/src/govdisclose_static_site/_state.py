"""What the site was built from, kept beside it so that a change rewrites only what it touches
(internal).

The state lives in ``.govdisclose-site/`` inside the site (private: deny it in the web server,
like ``.govdisclose-staging/``) and is written in the same transaction as the pages, so pages and
state change together or not at all. Every file is JSON; every family is sharded so that one
record's change reads and writes a few small files, whatever the size of the site:

``site.json``
    the format, the render signature, the next sequence number, the agencies' names, every list
    with its label and count, the site pages' data;
``entries/<bb>.json``
    record id -> the cleared view it was last published with, its first publication time and its
    sequence number (``bb``: the first two hex digits of the SHA-256 of the id: 256 shards);
``backlinks/<bb>.json``
    record id -> the ids of the records that name it among their interpretations;
``lists/<list>/meta.json`` and ``lists/<list>/<chunk>.json``
    a list's chunks in order, oldest first (id, size, first and last key) and each chunk's rows;
``manifest/<bb>.json``
    output path -> the SHA-256 of the bytes written there (the manifest of content hashes).

A list is cut into chunks of at most ``page_size`` rows, each one page of the site, named by a
chunk id that never changes: a new publication goes into the newest chunk (or a new one), a
change replaces a row in its chunk, a removal shrinks its chunk, an insertion into a full chunk
in the middle splits it in two. So a change rewrites one page per list (two when a chunk is
added or split: its neighbour's link changes), never the pages after it.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

from govdisclose_static_site.errors import CatalogDamaged
from govdisclose_static_site.text import escape_json

__all__ = [
    "FORMAT",
    "STATE_DIR",
    "Chunk",
    "ListState",
    "Row",
    "Shards",
    "State",
    "bucket",
    "digest",
    "dump",
    "sort_key",
]

#: The private directory of the state, relative to the site's root.
STATE_DIR = ".govdisclose-site"
#: The state's format; a site whose ``site.json`` names another is rebuilt from the store.
FORMAT = 1

Key = list[str]  # [UTC timestamp, record id]: the order of a list, oldest first


class Row(TypedDict):
    """One record as a list shows it (the agency by code: its name is looked up when shown)."""

    k: Key
    id: str
    page: str
    title: str
    published: str  # ISO date of the first publication, in its own time zone
    formed: str
    index: str | None
    number: str | None
    agency: str
    validity: str  # govdisclose.vocab.Validity code
    repealed: str | None


def sort_key(published_at: datetime, record_id: str) -> Key:
    """The order of lists: first publication (as an instant), then the record id."""
    instant = published_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%f")
    return [instant, record_id]


def bucket(text: str) -> str:
    """The shard of ``text`` (a record id, an output path): two hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:2]


def dump(data: Any) -> str:
    """The JSON text of a state file (compact, UTF-8, invalid characters as ``\\u`` escapes)."""
    return escape_json(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _read(root: Path, rel: str) -> Any | None:
    path = root / rel
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise CatalogDamaged(path, f"{type(err).__name__}: {err}") from err
    try:
        return json.loads(text)
    except ValueError as err:
        raise CatalogDamaged(path, f"{type(err).__name__}: {err}") from err


def _expect(root: Path, rel: str, data: Any, kind: type) -> Any:
    if not isinstance(data, kind):
        raise CatalogDamaged(root / rel, f"expected a JSON {kind.__name__}")
    return data


class Shards:
    """A sharded mapping (``<dir>/<bb>.json``): loaded shard by shard, written if changed."""

    def __init__(self, root: Path, folder: str, *, fresh: bool = False) -> None:
        self.root = root
        self.folder = folder
        self.fresh = fresh  # nothing stored yet: no shard is read
        self._shards: dict[str, dict[str, Any]] = {}
        self._dirty: set[str] = set()

    def _rel(self, shard: str) -> str:
        return f"{STATE_DIR}/{self.folder}/{shard}.json"

    def shard(self, key: str) -> dict[str, Any]:
        name = bucket(key)
        found = self._shards.get(name)
        if found is None:
            rel = self._rel(name)
            data = {} if self.fresh else _read(self.root, rel)
            found = {} if data is None else _expect(self.root, rel, data, dict)
            self._shards[name] = found
        return found

    def get(self, key: str) -> Any | None:
        return self.shard(key).get(key)

    def set(self, key: str, value: Any) -> None:
        self.shard(key)[key] = value
        self._dirty.add(bucket(key))

    def pop(self, key: str) -> Any | None:
        shard = self.shard(key)
        if key not in shard:
            return None
        self._dirty.add(bucket(key))
        return shard.pop(key)

    def load_all(self) -> None:
        """Read every shard (a full rebuild compares everything)."""
        for i in range(256):
            self.shard_named(f"{i:02x}")

    def shard_named(self, name: str) -> dict[str, Any]:
        found = self._shards.get(name)
        if found is None:
            rel = self._rel(name)
            data = {} if self.fresh else _read(self.root, rel)
            found = {} if data is None else _expect(self.root, rel, data, dict)
            self._shards[name] = found
        return found

    def items(self) -> Iterator[tuple[str, Any]]:
        """Every loaded item (call `load_all` first for all of them)."""
        for name in sorted(self._shards):
            yield from self._shards[name].items()

    def changed(self) -> Iterator[tuple[str, str | None]]:
        """``(path, text)`` of every shard that changed; ``text`` is ``None`` for one that
        became empty (its file is removed)."""
        for name in sorted(self._dirty):
            shard = self._shards[name]
            yield self._rel(name), (dump(dict(sorted(shard.items()))) if shard else None)


class Chunk(TypedDict):
    """One chunk of a list as its meta file lists it."""

    id: int
    n: int
    first: Key
    last: Key


class ListState:
    """One list: its chunks in order and, loaded on demand, their rows.

    Operations mark what changed: ``dirty`` (chunk ids whose page must be rendered again),
    ``gone`` (chunk ids whose page and state file go).
    """

    def __init__(self, root: Path, list_id: str, size: int, *, fresh: bool = False) -> None:
        self.root = root
        self.id = list_id
        self.size = size
        self.fresh = fresh
        meta = None if fresh else _read(root, self._meta_rel())
        if meta is None:
            self.chunks: list[Chunk] = []
            self.next_id = 1
        else:
            meta = _expect(root, self._meta_rel(), meta, dict)
            self.chunks = list(meta["chunks"])
            self.next_id = int(meta["next"])
        self._firsts = [c["first"] for c in self.chunks]
        #: The chunk ids in order as loaded: a page's number (第N页, counted from the oldest
        #: page) changes only when a page older than it is split or emptied.
        self.loaded_ids = [c["id"] for c in self.chunks]
        self._rows: dict[int, list[Row]] = {}
        self.dirty: set[int] = set()
        self.gone: set[int] = set()
        self.touched = False

    def _meta_rel(self) -> str:
        return f"{STATE_DIR}/lists/{self.id}/meta.json"

    def _chunk_rel(self, cid: int) -> str:
        return f"{STATE_DIR}/lists/{self.id}/{cid}.json"

    @property
    def count(self) -> int:
        return sum(c["n"] for c in self.chunks)

    def rows(self, cid: int) -> list[Row]:
        found = self._rows.get(cid)
        if found is None:
            rel = self._chunk_rel(cid)
            data = None if self.fresh else _read(self.root, rel)
            found = [] if data is None else _expect(self.root, rel, data, list)
            self._rows[cid] = found
        return found

    def _position(self, key: Key) -> int:
        # The chunk whose first key is the last one <= key (the first chunk for a smaller key).
        return max(bisect.bisect_right(self._firsts, key) - 1, 0)

    def _new_chunk(self, at: int, rows: list[Row]) -> int:
        cid = self.next_id
        self.next_id += 1
        self._rows[cid] = rows
        self.chunks.insert(
            at, {"id": cid, "n": len(rows), "first": rows[0]["k"], "last": rows[-1]["k"]}
        )
        self._firsts.insert(at, rows[0]["k"])
        # The neighbours' links to the next and previous page change.
        for i in (at - 1, at + 1):
            if 0 <= i < len(self.chunks):
                self.dirty.add(self.chunks[i]["id"])
        self.dirty.add(cid)
        return cid

    def _update(self, at: int) -> None:
        chunk = self.chunks[at]
        rows = self.rows(chunk["id"])
        chunk["n"] = len(rows)
        chunk["first"] = rows[0]["k"]
        chunk["last"] = rows[-1]["k"]
        self._firsts[at] = chunk["first"]
        self.dirty.add(chunk["id"])

    def insert(self, row: Row) -> None:
        """Add a row (its key is not in the list)."""
        self.touched = True
        key = row["k"]
        if not self.chunks:
            self._new_chunk(0, [row])
            return
        at = self._position(key)
        chunk = self.chunks[at]
        if chunk["n"] >= self.size:
            if at == len(self.chunks) - 1 and key > chunk["last"]:
                self._new_chunk(at + 1, [row])  # the common case: a new publication
                return
            rows = self.rows(chunk["id"])
            half = len(rows) // 2
            self._rows[chunk["id"]] = rows[:half]
            self._update(at)
            self._new_chunk(at + 1, rows[half:])
            if key >= self.chunks[at + 1]["first"]:
                at += 1
        rows = self.rows(self.chunks[at]["id"])
        bisect.insort(rows, row, key=lambda r: r["k"])
        self._update(at)

    def _find(self, key: Key) -> tuple[int, int] | None:
        if not self.chunks:
            return None
        at = self._position(key)
        rows = self.rows(self.chunks[at]["id"])
        i = bisect.bisect_left(rows, key, key=lambda r: r["k"])
        if i < len(rows) and rows[i]["k"] == key:
            return at, i
        return None

    def replace(self, row: Row) -> bool:
        """Put ``row`` in place of the row with its key; ``False`` if there is none."""
        found = self._find(row["k"])
        if found is None:
            return False
        at, i = found
        self.touched = True
        rows = self.rows(self.chunks[at]["id"])
        if rows[i] != row:
            rows[i] = row
            self.dirty.add(self.chunks[at]["id"])
        return True

    def remove(self, key: Key) -> bool:
        """Take out the row with ``key``; ``False`` if there is none."""
        found = self._find(key)
        if found is None:
            return False
        at, i = found
        self.touched = True
        cid = self.chunks[at]["id"]
        rows = self.rows(cid)
        del rows[i]
        if rows:
            self._update(at)
            return True
        del self.chunks[at]
        del self._firsts[at]
        self.gone.add(cid)
        self.dirty.discard(cid)
        for j in (at - 1, at):
            if 0 <= j < len(self.chunks):
                self.dirty.add(self.chunks[j]["id"])
        return True

    def newest(self, count: int) -> list[Row]:
        """Up to ``count`` rows, newest first."""
        found: list[Row] = []
        for chunk in reversed(self.chunks):
            for row in reversed(self.rows(chunk["id"])):
                found.append(row)
                if len(found) == count:
                    return found
        return found

    def changed(self) -> Iterator[tuple[str, str | None]]:
        """``(path, text)`` of the state files that changed (``None``: remove it)."""
        if not self.touched:
            return
        for cid in sorted(self.dirty):
            yield self._chunk_rel(cid), dump(self.rows(cid))
        for cid in sorted(self.gone):
            yield self._chunk_rel(cid), None
        if self.chunks:
            yield self._meta_rel(), dump({"chunks": self.chunks, "next": self.next_id})
        else:
            yield self._meta_rel(), None


class State:
    """The whole state of one site, read lazily (see the module's description)."""

    def __init__(self, root: Path, page_size: int, *, fresh: bool = False) -> None:
        self.root = root
        self.page_size = page_size
        self.fresh = fresh
        site = None if fresh else _read(root, f"{STATE_DIR}/site.json")
        self.exists = site is not None
        self.site: dict[str, Any] = (
            {} if site is None else _expect(root, f"{STATE_DIR}/site.json", site, dict)
        )
        self.site_dirty = False
        self.entries = Shards(root, "entries", fresh=fresh)
        self.backlinks = Shards(root, "backlinks", fresh=fresh)
        self.manifest = Shards(root, "manifest", fresh=fresh)
        self._lists: dict[str, ListState] = {}

    def list_state(self, list_id: str) -> ListState:
        found = self._lists.get(list_id)
        if found is None:
            known = list_id in self.site.get("lists", {})
            found = ListState(self.root, list_id, self.page_size, fresh=self.fresh or not known)
            self._lists[list_id] = found
        return found

    def loaded_lists(self) -> list[ListState]:
        return [self._lists[k] for k in sorted(self._lists)]

    def changed(self) -> Iterator[tuple[str, str | None]]:
        """Every state file to write (or remove), ``site.json`` last."""
        for shards in (self.entries, self.backlinks, self.manifest):
            yield from shards.changed()
        for lst in self.loaded_lists():
            yield from lst.changed()
        if self.site_dirty:
            yield f"{STATE_DIR}/site.json", dump(self.site)


def digest(text: str | bytes) -> str:
    """The manifest's hash of a file (SHA-256 of its bytes, of a text's UTF-8, hex)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()
