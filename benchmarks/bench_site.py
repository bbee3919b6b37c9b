"""The 政府信息公开专栏 from the store: a full build of 100,000 records, and the rebuild after one
record changed.

Issue 14's targets, measured in one run, the methods interleaved round by round:

* **full build**: `govdisclose_static_site.build_site` of a `MemoryStore` with 100,000 records of
  the synthetic city government and its four departments (about one in three tagged with a key
  area) into a new directory: the guard on every record, every page (records, every list of the
  catalogue, the key areas, 第二十条's items, the feeds, the search shards, the sitemap, the
  guide and the reports), the state and the manifest, one ``os.sync``, the rename into place;
* **floor**: writing the same files into a new directory: the very paths and sizes the build
  wrote (pages and state alike), ``mkdir`` of each directory, ``open``/``write``/``close`` of
  each file, then one ``os.sync`` (the same durability): what any generator producing these
  bytes must at least do on this file system. Target: the full build within 5x the floor;
* **incremental**: `govdisclose_static_site.update_site` after one record's title changed in the
  store (each round toggles it): the guard on that record, its page, the pages of its lists that
  show it, their landing pages and feeds, the column indexes, the home page, its search shard,
  the state, in one journaled transaction (each staged file synced). Target: under 1% of the full
  build.

The search index (`govdisclose_static_site._search`): the largest file under ``search/`` and
the bytes a query reads (``index.json``, the postings of its rarest characters, the blocks of
the results it shows: the steps of ``assets/search.js``, replayed by ``_search.plan``) for a
common word, a title word, two words, an index number, an issuing body and a word no record
holds. Target: under 1 MB for every query.

Checked before timing: the fresh build holds every record the guard clears; a second fresh
build is byte-identical to the first; the incremental rebuild wrote only a handful of files.
A full build *in place* after the same change (every record cleared again, only what changed
written) is timed once and printed.

``--quick``: 2,000 records.

    python benchmarks/run.py site [--quick]
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import attrs
from _harness import Method, Row, Stats, Target, compare, note, report

from govdisclose import synthetic
from govdisclose.model import Record
from govdisclose.testing import MemoryStore
from govdisclose_static_site import Site, SiteConfig, _search as search, build_site, update_site

AS_OF = date(2026, 1, 20)
BASE_URL = "https://www.example.gov.cn/xxgk/"
AREAS = ("财政预决算", "重大建设项目", "环境保护", "社会保障", "政府采购", "行政处罚")


def _store(count: int) -> tuple[MemoryStore, Record]:
    data = synthetic.generate(
        2025, applications_per_agency=20, records_per_agency=count // 5, seed=14
    )
    records = [
        attrs.evolve(r, key_areas=(AREAS[i % len(AREAS)],)) if i % 3 == 0 else r
        for i, r in enumerate(data.records)
    ]
    store = MemoryStore()
    store.import_bulk(
        agencies=data.agencies,
        records=records,
        applications=data.applications,
        review_cases=data.review_cases,
    )
    target = next(r for r in records if r.publications and r.key_areas)
    return store, target


def _files(root: Path) -> list[tuple[str, int]]:
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            found.append((str(path.relative_to(root)), path.stat().st_size))
    return found


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for rel, _ in _files(root):
        if rel.startswith((".govdisclose-staging", ".catalog.lock")):
            continue
        h.update(rel.encode())
        h.update((root / rel).read_bytes())
    return h.hexdigest()


def _floor(root: Path, files: list[tuple[str, int]]) -> None:
    made: set[Path] = set()
    for rel, size in files:
        target = root / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        with open(target, "wb") as fh:
            fh.write(b"x" * size)
    os.sync()


def main(quick: bool) -> None:
    count = 2_000 if quick else 100_000
    rounds = 3
    began = time.perf_counter()
    store, target = _store(count)
    work = Path(tempfile.mkdtemp(prefix="gd-bench-site-"))
    try:
        config = SiteConfig(root=work / "first", base_url=BASE_URL, page_size=20)
        first = build_site(store, config, as_of=AS_OF)
        files = _files(config.root)
        size = sum(s for _, s in files)
        note(
            f"{count:,} records generated and imported in {time.perf_counter() - began:.1f} s; "
            f"the site holds {first.records:,} records (the guard blocked "
            f"{len(first.blocked):,}), {len(files):,} files, {size / 1e6:,.1f} MB "
            f"({sum(1 for r, _ in files if r.startswith('.govdisclose-site')):,} of them state)"
        )
        again = build_site(store, attrs.evolve(config, root=work / "again"), as_of=AS_OF)
        same = _digest(work / "first") == _digest(work / "again")
        note(
            f"two fresh builds byte-identical: {same} "
            f"({len(again.written):,} public files written by each)"
        )
        shutil.rmtree(work / "again")
        search_files = [(r, n) for r, n in files if r.startswith("search/") and r.endswith(".json")]
        largest = max(search_files, key=lambda f: f[1])
        index_mb = sum(n for _, n in search_files) / 1e6
        note(
            f"search index: {len(search_files):,} files, {index_mb:,.1f} MB in all; "
            f"the largest {largest[0]} ({largest[1] / 1e6:,.2f} MB)"
        )
        queries = [
            "通知",
            "河道整治",
            "规定 2025",
            target.index_number or "",
            "某市生态环境局",
            "无此词语",
        ]
        reads = []
        for query in queries:
            found = search.plan(config.root, query)
            reads.append(found.bytes)
            note(
                f"search {query!r}: {len(found.results)} shown, {len(found.files)} files read, "
                f"{found.bytes / 1e6:,.3f} MB"
            )

        incremental_root = work / "first"
        titles = [target.title, target.title + "（修订）"]
        state = {"round": 0, "written": 0}

        def change() -> None:
            state["round"] += 1
            title = titles[state["round"] % 2]
            store.put_record(attrs.evolve(store.get_record(target.id), title=title))

        def incremental(_: Any) -> None:
            result = update_site(store, config, [target.id], as_of=AS_OF)
            state["written"] = max(state["written"], len(result.written))

        fresh = iter(range(1_000_000))

        def new_dir() -> Path:
            return work / f"run-{next(fresh)}"

        times = compare(
            {
                "full": Method(
                    lambda root: build_site(store, attrs.evolve(config, root=root), as_of=AS_OF),
                    per=1,
                    setup=new_dir,
                    teardown=lambda root: shutil.rmtree(root, ignore_errors=True),
                ),
                "floor": Method(
                    lambda root: _floor(root, files),
                    setup=new_dir,
                    teardown=lambda root: shutil.rmtree(root, ignore_errors=True),
                ),
                "incremental": Method(incremental, setup=change),
            },
            rounds=rounds,
        )
        note(
            f"the incremental rebuild wrote at most {state['written']} files "
            f"(of {len(files):,}) in a round"
        )
        change()
        start = time.perf_counter()
        in_place = Site(attrs.evolve(config, root=incremental_root)).build(store, as_of=AS_OF)
        note(
            f"a full build in place after the same change: {time.perf_counter() - start:.1f} s, "
            f"{len(in_place.written)} files written, {len(in_place.removed)} removed"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    label = f"{count:,} records"
    report(
        [
            Row(
                f"full build, {label} ({len(files):,} files)",
                times["full"],
                f"floor: write the same {len(files):,} files ({size / 1e6:,.0f} MB) + sync",
                times["floor"],
                Target("within 5x the floor", max_ratio=5),
            ),
            Row(
                f"incremental rebuild, one record changed, {label}",
                times["incremental"],
                "the full build",
                times["full"],
                # At 2,000 records (--quick) the fixed cost of a transaction (a sync per staged
                # file) is more than 1% of a build that small: the target is for 100,000.
                Target("under 1% of the full build", max_ratio=0.01, full_only=True),
            ),
            Row(
                f"largest search index file, {label}",
                Stats((largest[1] / 1e6,)),
                kind="MB",
                target=Target("under 1 MB", max_seconds=1.0),
            ),
            Row(
                f"most a search reads ({len(queries)} queries), {label}",
                Stats((max(reads) / 1e6,)),
                kind="MB",
                target=Target("under 1 MB", max_seconds=1.0),
            ),
        ]
    )
