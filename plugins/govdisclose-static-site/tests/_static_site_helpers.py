"""Shared helpers of the static-site tests (and their child processes): cleared views, fixed
clocks, site snapshots, a demo-like store. ``conftest.py`` puts this directory on
``sys.path``."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from govdisclose.model import AttributeDecision, Record
from govdisclose.public import PublicRecord
from govdisclose.publishing import clear
from govdisclose.testing import MemoryStore, builders
from govdisclose.vocab import DisclosureAttribute, DisclosureScope, DocumentKind, ReviewStatus
from govdisclose_static_site import KeyAreaCatalogue, SiteConfig, StaticSitePublisher
from govdisclose_static_site._commit import LOCK, STAGING
from govdisclose_static_site._state import STATE_DIR

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 3, 5, 9, 30, tzinfo=SH)

Snapshot = dict[str, tuple[bytes, int] | None]


TITLE = "关于印发某某办法的通知"
BODY = "第一段。\n第二段。"


def make_store() -> MemoryStore:
    """An empty store with the agency of `make_record` (a store takes records of stored
    agencies only)."""
    store = MemoryStore()
    store.put_agency(builders.agency("city-gov", name="某市人民政府"))
    return store


def make_record(rid: str, title: str = TITLE, body: str = BODY) -> Record:
    """A record the guard clears: proactive, reviewed, no personal data."""
    return Record(
        id=rid,
        title=title,
        agency="city-gov",
        formed_on=date(2025, 3, 3),
        kind=DocumentKind.NORMATIVE_DOCUMENT,
        index_number="11330100002491234X/2025-00012",
        document_number="杭政办〔2025〕3号",
        decisions=(
            AttributeDecision(
                attribute=DisclosureAttribute.PROACTIVE,
                decided_by="起草处室",
                decided_on=date(2025, 3, 1),
                scope=DisclosureScope.FULL,
            ),
        ),
        review_status=ReviewStatus.PASSED,
        reviewed_by="办公室",
        reviewed_on=date(2025, 3, 4),
        body=body,
    )


def make_view(rid: str, title: str = TITLE, body: str = BODY) -> PublicRecord:
    """The cleared view of `make_record` (keep a reference: the guard's mark is weak)."""
    return clear(make_record(rid, title, body))


def make_publisher(root: Path, *times: datetime) -> StaticSitePublisher:
    """A publisher whose clock gives ``times`` in turn, then the last one forever."""
    pending = list(times or (T0,))

    def clock() -> datetime:
        return pending.pop(0) if len(pending) > 1 else pending[0]

    config = SiteConfig(
        root=root,
        base_url="https://www.example.gov.cn/xxgk/",
        agency_names={"city-gov": "某市人民政府"},
        key_areas=SMALL_CATALOGUE,
    )
    return StaticSitePublisher(
        root=root,
        base_url=config.base_url,
        agency_names=config.agency_names,
        clock=clock,
        config=config,
    )


#: Two key areas: every area has its column from the first publication on, and the tests of the
#: publisher (which publish hundreds of times) need no more.
SMALL_CATALOGUE = KeyAreaCatalogue(
    version="test",
    source="tests",
    areas=tuple(a for a in KeyAreaCatalogue.bundled() if a.name in ("财政预决算", "政府采购")),
)


def snapshot(root: Path) -> Snapshot:
    """Every public file (bytes and mode) and directory of the site, the publisher's own lock
    and work area left out: what a reader of the site can see."""
    found: Snapshot = {}
    if not root.exists():
        return found
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if d != STAGING]
        for d in dirnames:
            found[str((here / d).relative_to(root)) + "/"] = None
        for f in filenames:
            path = here / f
            if here == root and f == LOCK:
                continue
            found[str(path.relative_to(root))] = (path.read_bytes(), path.stat().st_mode)
    return found


def work_dirs(root: Path) -> list[Path]:
    """The transaction directories left in the site's work area (none after any publish)."""
    staging = root / STAGING
    return sorted(staging.iterdir()) if staging.exists() else []


def files(root: Path) -> dict[str, bytes]:
    """Every public file of the site (its state and the publisher's work area left out)."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] in {STAGING, STATE_DIR, LOCK} or not path.is_file():
            continue
        found[str(rel)] = path.read_bytes()
    return found
