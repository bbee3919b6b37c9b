"""The static search index: what a query downloads is a few small files, not the catalogue.

Layout under ``search/`` (written by `govdisclose_static_site._pages`):

* ``index.json``: ``{"count", "block", "terms": {term: number of records}}``: the records on
  the site, the records per block and, for every term that occurs, how many records hold it
  (the client starts from the rarest terms of a query);
* ``t/<hex>.json``: the postings of one character (its code point in hexadecimal), and
  ``t/w-<word>.json`` those of one ASCII word (a run of two to forty letters and digits:
  ``2025``, ``00012``, ``housing``): the sequence numbers of the records whose searchable text
  holds it, ascending, as the first number and then the gaps (mostly 1 or small: a common
  term costs about two bytes a record);
* ``b/<n>.json``: the records of sequence numbers ``n * BLOCK`` to ``n * BLOCK + BLOCK - 1``
  (title, 文号, 索引号, issuing body, day, page): read only for the candidates shown.

A query (``assets/search.js``; `plan` does the same in Python for the tests and the benchmark)
splits at spaces; every word must occur in the text (title, 文号, 索引号, issuing body, after
NFKC and lower case), and an ASCII word of the query that the index knows must be a whole word
of the text (``2025`` finds 〔2025〕 and 2025-00012, not 20250; `matches`); an ASCII word the
index does not know is looked up by its characters, like Chinese. The query reads
``index.json``, the postings of its `MAX_TERMS` rarest terms (a term no record holds: no
result, nothing more is read), intersects them newest first, and reads the blocks of the
candidates until `PAGE` results are shown (显示更多 reads on). At 100,000 records the largest
file is the postings of the commonest character (about 0.2 MB), and a query reads well under
1 MB (benchmarks/bench_site.py measures it).

Why characters: Chinese has no spaces, and a word of a title is any run of its characters; the
postings of single characters answer every substring query, and the blocks verify the
candidates. Why ASCII words as well: an index number or a 文号 is made of a few characters that
every record holds (digits, the agency code); its words are rare.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "BLOCK",
    "MAX_TERMS",
    "PAGE",
    "Plan",
    "block_path",
    "decode",
    "encode",
    "matches",
    "norm",
    "plan",
    "query_terms",
    "term_path",
    "terms_of",
    "words_of",
]

#: Records per block (``search/b/<n>.json``): about 15 kB each.
BLOCK = 100
#: The rarest characters of a query whose postings are read.
MAX_TERMS = 4
#: Results shown at a time.
PAGE = 20


def norm(text: str) -> str:
    """What the client compares: NFKC, lower case (JavaScript's ``normalize``, ``toLowerCase``)."""
    return unicodedata.normalize("NFKC", text).lower()


def text_of(item: Mapping[str, Any]) -> str:
    """The searchable text of an item of a block."""
    return norm(" ".join(str(item.get(k) or "") for k in ("t", "n", "i", "a")))


_ASCII_RUN = re.compile(r"[a-z0-9]+")


def words_of(text: str) -> frozenset[str]:
    """The ASCII words of a normalised text: its runs of letters and digits, two to forty long
    (a longer run is not a word of the index; its characters still are)."""
    return frozenset(m for m in _ASCII_RUN.findall(text) if 2 <= len(m) <= 40)


def terms_of(item: Mapping[str, Any]) -> frozenset[str]:
    """The terms an item is found by: its characters (no white space) and its ASCII words."""
    text = text_of(item)
    return frozenset(c for c in text if not c.isspace()) | words_of(text)


def query_terms(words: Iterable[str], known: Mapping[str, int]) -> tuple[set[str], set[str]]:
    """The terms to look up for a query's (normalised) words, and the ASCII words a result must
    hold whole: each run of letters and digits the index knows as a word is that word; the other
    characters are themselves."""
    terms: set[str] = set()
    whole: set[str] = set()
    for word in words:
        covered = [False] * len(word)
        for match in _ASCII_RUN.finditer(word):
            run = match.group()
            if 2 <= len(run) <= 40 and run in known:
                terms.add(run)
                whole.add(run)
                covered[match.start() : match.end()] = [True] * len(run)
        terms.update(c for c, done in zip(word, covered, strict=True) if not done)
    return terms, whole


def matches(item: Mapping[str, Any], words: Iterable[str], whole: Iterable[str]) -> bool:
    """Whether an item is a result: every word in its text, every known ASCII word whole."""
    text = text_of(item)
    return all(w in text for w in words) and set(whole) <= words_of(text)


def term_path(term: str) -> str:
    """``search/t/<hex>.json`` (a character) or ``search/t/w-<word>.json`` (an ASCII word)."""
    if len(term) > 1:
        return f"search/t/w-{term}.json"
    return f"search/t/{ord(term):x}.json"


def block_path(number: int) -> str:
    """``search/b/<n>.json``: a block of records."""
    return f"search/b/{number}.json"


def encode(seqs: Iterable[int]) -> list[int]:
    """Ascending sequence numbers as the first one and the gaps."""
    out: list[int] = []
    last = 0
    for n, seq in enumerate(seqs):
        out.append(seq if n == 0 else seq - last)
        last = seq
    return out


def decode(gaps: Iterable[int]) -> list[int]:
    """The sequence numbers of `encode`'s list."""
    return list(itertools.accumulate(gaps))


def apply(current: list[int], changes: Mapping[int, bool]) -> list[int]:
    """``current`` (ascending) with the sequence numbers of ``changes`` added (True) or taken
    out (False)."""
    for seq, present in sorted(changes.items()):
        at = bisect.bisect_left(current, seq)
        found = at < len(current) and current[at] == seq
        if present and not found:
            current.insert(at, seq)
        elif not present and found:
            del current[at]
    return current


class Plan:
    """What a query reads (`plan`): the files in order, their bytes, and the results."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.bytes = 0
        self.results: list[dict[str, Any]] = []
        self.exhausted = False

    def read(self, root: Path, rel: str) -> Any:
        data = (root / rel).read_bytes()
        self.files.append(rel)
        self.bytes += len(data)
        return json.loads(data)


def plan(root: Path, query: str, *, limit: int = PAGE) -> Plan:
    """The files the browser's search reads for ``query`` on the site at ``root`` and the
    first ``limit`` results (the same steps as ``assets/search.js``)."""
    found = Plan()
    words = [w for w in norm(query).split() if w]
    index = found.read(root, "search/index.json")
    if not words:
        return found
    terms: dict[str, int] = index["terms"]
    wanted, whole = query_terms(words, terms)
    if any(t not in terms for t in wanted):
        found.exhausted = True
        return found
    rarest = sorted(wanted, key=lambda t: (terms[t], t))[:MAX_TERMS]
    candidates: set[int] | None = None
    for term in rarest:
        seqs = set(decode(found.read(root, term_path(term))))
        candidates = seqs if candidates is None else candidates & seqs
    blocks: dict[int, dict[int, dict[str, Any]]] = {}
    for seq in sorted(candidates or (), reverse=True):
        number = seq // index["block"]
        if number not in blocks:
            blocks[number] = {i["s"]: i for i in found.read(root, block_path(number))}
        item = blocks[number].get(seq)
        if item is not None and matches(item, words, whole):
            found.results.append(item)
            if len(found.results) == limit:
                return found
    found.exhausted = True
    return found
