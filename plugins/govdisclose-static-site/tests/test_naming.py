"""Page names: distinct ids never share a page, on any file system, in any run."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _static_site_helpers import make_publisher, make_view
from hypothesis import example, given, settings, strategies as st

from govdisclose_static_site import page_name, record_id_of_page
from govdisclose_static_site.naming import MAX_STEM, legacy_page_name, page_stem

# Any string, lone surrogates included, and strings over an alphabet of look-alikes that
# collide under 0.1.0's rule (and under case folding).
ANY_TEXT = st.text(st.characters(exclude_categories=()))
LOOKALIKES = st.text(alphabet="aA_/?.-〔〕()1号 \\:*", max_size=8)
IDS = st.one_of(ANY_TEXT, LOOKALIKES)

SAFE = re.compile(r"records/[a-z0-9_-]{1,200}\.html")
WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{d}{i}" for d in ("com", "lpt") for i in range(10)
}

TESTERS = ["a/b", "a_b", "a?b", "某府〔2025〕1号", "某府(2025)1号", "A", "a", "R-1", "r-1"]

# Names are a published interface (URLs): fixed here, so a change of the rule fails the suite.
GOLDEN = {
    "r-1": "records/r-1.html",
    "R-1": "records/r-1_u0.html",
    "a/b": "records/a_2fb.html",
    "a_b": "records/a_5fb.html",
    "a?b": "records/a_3fb.html",
    "某府〔2025〕1号": "records/_e6_9f_90_e5_ba_9c_e3_80_942025_e3_80_951_e5_8f_b7.html",
    "某府(2025)1号": "records/_e6_9f_90_e5_ba_9c_282025_291_e5_8f_b7.html",
    "con": "records/_63on.html",
    "city-housing-2025-NEW": "records/city-housing-2025-new_u18-19-20.html",
    "city-gov-2025-R00001": "records/city-gov-2025-r00001_u14.html",
    "": "records/_sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.html",
}


@given(IDS, IDS)
@example("a/b", "a_b")
@example("A", "a")
def test_distinct_ids_have_distinct_pages(a: str, b: str) -> None:
    """The property the testers' bug broke: one page per id."""
    if a != b:
        assert page_name(a) != page_name(b)
        # and not only byte for byte: no case-insensitive file system merges them either
        assert page_name(a).casefold() != page_name(b).casefold()


@given(IDS)
@settings(max_examples=300)
def test_every_name_is_a_safe_file_name(record_id: str) -> None:
    """Only a-z 0-9 _ -, at most 205 bytes, no reserved name: valid on every file system and
    as a URL path as it stands."""
    name = page_name(record_id)
    assert SAFE.fullmatch(name), name
    stem = page_stem(record_id)
    assert len(f"{stem}.html".encode()) <= 255
    assert stem.lower() not in WINDOWS_RESERVED
    assert not stem.startswith(".")


@given(IDS)
def test_a_name_decodes_back_to_its_id(record_id: str) -> None:
    """Why names cannot collide: an escaped name gives its id back; a hashed one is the
    SHA-256 of the id."""
    name = page_name(record_id)
    decoded = record_id_of_page(name)
    if name.startswith("records/_sha256-"):
        assert decoded is None
        data = record_id.encode("utf-8", "surrogatepass")
        assert name == f"records/_sha256-{hashlib.sha256(data).hexdigest()}.html"
    else:
        assert decoded == record_id
        assert record_id_of_page(name.removeprefix("records/")) == record_id


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-.", max_size=12))
def test_decoding_accepts_only_canonical_names(text: str) -> None:
    """Anything `page_name` never gives decodes to ``None``, never to a wrong id."""
    found = record_id_of_page(f"records/{text}.html")
    assert found is None or page_name(found) == f"records/{text}.html"


def test_golden_names() -> None:
    """The same id gives the same name in every run and every version from 0.2.0 on."""
    assert {rid: page_name(rid) for rid in GOLDEN} == GOLDEN


def test_the_ids_an_office_uses_get_readable_names() -> None:
    """A webmaster reads the URL: ids of letters, digits and ``-`` (capitals too) keep their
    letters and digits in order, with no byte escape and no hash; the capitals' positions
    follow ``_u``."""
    from govdisclose import synthetic

    ids = [r.id for r in synthetic.generate(2025, applications_per_agency=1).records]
    ids += ["CITY-GOV-2025-001", "Gov-2025-1"]
    for record_id in ids:
        stem = page_stem(record_id)
        assert stem.startswith(record_id.lower()), stem
        assert not re.search(r"_[0-9a-f]{2}|sha256", stem), stem
        assert record_id_of_page(page_name(record_id)) == record_id
    assert page_stem("CITY-GOV-2025-001") == "city-gov-2025-001_u0-1-2-3-5-6-7"


def test_names_do_not_depend_on_the_process() -> None:
    """A fresh interpreter with another hash seed gives the same names."""
    code = (
        "import json, sys; from govdisclose_static_site import page_name; "
        "print(json.dumps([page_name(i) for i in json.loads(sys.argv[1])]))"
    )
    ids = [*GOLDEN, *TESTERS]
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(ids)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    ).stdout
    assert json.loads(out) == [page_name(i) for i in ids]


def test_long_ids_get_a_hashed_name() -> None:
    """Ids whose escaped name would pass 200 characters: the SHA-256 name, still distinct."""
    long_a, long_b = "号" * 67 + "a", "号" * 67 + "b"  # 67 * 9 + 1 = 604 characters escaped
    assert page_name(long_a) != page_name(long_b)
    assert page_name(long_a).startswith("records/_sha256-")
    assert len(page_stem("a" * MAX_STEM)) == MAX_STEM  # the longest escaped name
    assert page_stem("a" * (MAX_STEM + 1)).startswith("_sha256-")


def test_the_010_names_collided() -> None:
    """The testers' ids under 0.1.0's rule: the bug, kept as a fact."""
    assert len({legacy_page_name(i) for i in ("a/b", "a_b", "a?b")}) == 1
    assert legacy_page_name("某府〔2025〕1号") == legacy_page_name("某府(2025)1号")
    assert len({page_name(i) for i in TESTERS}) == len(TESTERS)


def test_the_testers_ids_publish_to_distinct_pages(tmp_path: Path) -> None:
    """Each record keeps its own page and entry; none replaces another."""
    publisher = make_publisher(tmp_path)
    views = [make_view(rid, f"标题 {rid}") for rid in TESTERS]
    for view in views:
        publisher.publish(view)
    assert {e.record_id for e in publisher.catalog()} == set(TESTERS)
    pages = sorted((tmp_path / "records").iterdir())
    assert len(pages) == len(TESTERS)
    for rid in TESTERS:
        text = (tmp_path / page_name(rid)).read_text("utf-8")
        assert f"<h1>标题 {rid}</h1>" in text
    assert publisher.orphan_pages() == []


@pytest.mark.parametrize("rid", ["a/b", "某府〔2025〕1号", "R-1"])
def test_the_page_url_needs_no_escaping(tmp_path: Path, rid: str) -> None:
    """The publication's URL is the base URL and the page name, nothing to percent-encode."""
    view = make_view(rid)
    url = make_publisher(tmp_path).publish(view).url
    assert url == f"https://www.example.gov.cn/xxgk/{page_name(rid)}"
    assert url.isascii()
