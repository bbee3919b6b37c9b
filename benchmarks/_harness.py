"""The one timing harness every benchmark uses: interleaved rounds, medians, spreads, ratios.

`compare` runs every method once per round, in alternating order (forward, then reversed, so no
method always runs first or last after another's garbage), discards a warm-up round, and returns
each method's `Stats` per unit (seconds per call, per day, per application: whatever the method
was told it does ``per`` of). A method may take an untimed ``setup`` (a fresh store to import
into) whose result it receives. At least three measured rounds are required: a single sample is
not a measurement on a shared machine.

`Row` pairs one of ours with one named anchor; the ratio is taken from the medians, and the
spread of the per-round ratios is shown beside it (both sides of a round ran back to back, so
that spread is what the noise did to the comparison). Rows are printed as a table and collected
for ``run.py --summary``.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

MIN_ROUNDS = 3


@dataclass(frozen=True)
class Method:
    """A timed callable: ``fn()`` (or ``fn(setup())``, the setup untimed) doing ``per`` units."""

    fn: Callable[..., object]
    per: float = 1
    setup: Callable[[], Any] | None = None
    teardown: Callable[[Any], object] | None = None


@dataclass(frozen=True)
class Stats:
    """Seconds per unit over the measured rounds."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def lo(self) -> float:
        return min(self.samples)

    @property
    def hi(self) -> float:
        return max(self.samples)

    @property
    def iqr(self) -> tuple[float, float]:
        if len(self.samples) < 4:
            return self.lo, self.hi
        q = statistics.quantiles(self.samples, n=4, method="inclusive")
        return q[0], q[2]

    def spread(self) -> str:
        """Min and max relative to the median, e.g. ``-2%/+9%``."""
        m = self.median
        if not m:
            return "-"
        return f"-{(m - self.lo) / m:.0%}/+{(self.hi - m) / m:.0%}"


def compare(
    methods: Mapping[str, Method | Callable[[], object]],
    *,
    rounds: int,
    warmup: int = 1,
    freeze: bool = True,
    min_time: float = 0.02,
) -> dict[str, Stats]:
    """Each method's `Stats`: ``warmup`` discarded rounds, then ``rounds`` measured ones, every
    method once per round, the order reversed every other round."""
    if rounds < MIN_ROUNDS:
        raise ValueError(f"at least {MIN_ROUNDS} measured rounds are needed, got {rounds}")
    todo = {k: m if isinstance(m, Method) else Method(m) for k, m in methods.items()}
    if freeze:
        # Objects built before the comparison (populations, stores) are moved out of the
        # collector's view, so no method pays for a full collection of the others' data.
        gc.collect()
        gc.freeze()
    names = list(todo)
    samples: dict[str, list[float]] = {k: [] for k in names}
    # Calls per sample: a method faster than ``min_time`` is repeated within its sample (decided
    # from the warm-up round), so a timer tick or one preemption does not make the sample.
    repeat = dict.fromkeys(names, 1)
    try:
        for r in range(warmup + rounds):
            order = names if r % 2 == 0 else names[::-1]
            for name in order:
                m = todo[name]
                arg = m.setup() if m.setup is not None else None
                k = repeat[name]
                start = time.perf_counter()
                if m.setup is not None:
                    m.fn(arg)
                else:
                    for _ in range(k):
                        m.fn()
                took = (time.perf_counter() - start) / k
                if m.teardown is not None:
                    m.teardown(arg)
                if r >= warmup:
                    samples[name].append(took / m.per)
                elif m.setup is None and took < min_time:
                    repeat[name] = min(
                        10_000, max(repeat[name], math.ceil(min_time / max(took, 1e-9)))
                    )
    finally:
        if freeze:
            gc.unfreeze()
    return {k: Stats(tuple(v)) for k, v in samples.items()}


@dataclass(frozen=True)
class Target:
    """What a row must show. ``max_ratio``: ours may cost at most this many times the anchor
    (``1`` = at least as fast, ``0.001`` = at least 1000x faster); ``max_seconds``: ours (per
    unit) must take at most this long."""

    text: str
    max_ratio: float | None = None
    max_seconds: float | None = None
    # A target stated for the full size only (quick runs report it, marked "n/a (quick)").
    full_only: bool = False

    def check(self, row: Row) -> bool:
        ok = True
        if self.max_ratio is not None:
            ok &= row.cost <= self.max_ratio
        if self.max_seconds is not None:
            ok &= row.ours.median <= self.max_seconds
        return ok


@dataclass
class Row:
    """One of ours against one named anchor (``anchor=None``: an absolute measure)."""

    measure: str
    ours: Stats
    anchor_name: str = ""
    anchor: Stats | None = None
    target: Target | None = None
    unit: str = ""  # what one sample is "per" (shown after the times), e.g. "call", "day"
    section: str = field(default="")
    # How the values read: "time" (seconds) or "MB" (a memory measure, samples in megabytes).
    kind: str = "time"

    def show(self, value: float) -> str:
        if self.kind == "MB":
            return f"{value:,.1f} MB"
        return fmt(value) + (f"/{self.unit}" if self.unit else "")

    @property
    def cost(self) -> float:
        """Ours / anchor from the medians (< 1: ours is faster)."""
        if self.anchor is None:
            return float("nan")
        a = self.anchor.median
        return self.ours.median / a if a else float("inf")

    def ratio_range(self) -> tuple[float, float] | None:
        """Min and max of the per-round ratios ours / anchor (paired rounds)."""
        if self.anchor is None or len(self.anchor.samples) != len(self.ours.samples):
            return None
        rs = [o / a for o, a in zip(self.ours.samples, self.anchor.samples, strict=True) if a]
        return (min(rs), max(rs)) if rs else None

    def ratio_text(self) -> str:
        if self.anchor is None:
            return "-"
        return _ratio(self.cost)

    def ratio_spread(self) -> str:
        rr = self.ratio_range()
        if rr is None:
            return "-"
        return f"{_ratio(rr[0])} .. {_ratio(rr[1])}"

    def verdict(self, quick: bool) -> str:
        if self.target is None:
            return ""
        if quick and self.target.full_only:
            return "n/a (quick)"
        return "pass" if self.target.check(self) else "FAIL"


ROWS: list[Row] = []
NOTES: list[tuple[str, str]] = []
QUICK = [False]
SECTION = [""]


def _ratio(cost: float) -> str:
    """``cost`` = ours / anchor as words: "12.3x faster" or "2.1x slower"."""
    if cost != cost:
        return "-"
    if cost == 0:
        return "inf faster"
    if cost <= 1:
        return f"{1 / cost:,.1f}x faster"
    return f"{cost:,.2f}x slower"


def report(rows: list[Row]) -> None:
    """Print the rows and keep them for the summary."""
    quick = QUICK[0]
    print(
        f"{'measure':46} {'ours':>10} {'spread':>10}  {'anchor':46} {'anchor':>10} "
        f"{'spread':>10} {'ratio (medians)':>17} {'per-round ratios':>28}  target"
    )
    for row in rows:
        row.section = row.section or SECTION[0]
        ROWS.append(row)
        a = row.anchor
        target = f"{row.target.text}: {row.verdict(quick)}" if row.target else ""
        print(
            f"{row.measure:46} {row.show(row.ours.median):>10} {row.ours.spread():>10}  "
            f"{row.anchor_name or '-':46} {row.show(a.median) if a else '-':>10} "
            f"{a.spread() if a else '-':>10} {row.ratio_text():>17} {row.ratio_spread():>28}  "
            f"{target}"
        )


def note(text: str) -> None:
    """Print a fact (a correctness check, a count) and keep it for the summary."""
    print(text)
    NOTES.append((SECTION[0], text))


def fmt(seconds: float) -> str:
    if seconds < 1e-7:
        return f"{seconds * 1e9:.1f} ns"
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def summary_markdown(*, header: str) -> str:
    """The one-page Markdown summary of every row collected so far."""
    quick = QUICK[0]
    out = [header, ""]
    out.append(
        "| benchmark | measure | ours (median) | spread | anchor | anchor (median) | spread "
        "| ratio (medians) | per-round ratios | target | result |"
    )
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in ROWS:
        a = row.anchor
        cells = [
            row.section,
            row.measure,
            row.show(row.ours.median),
            row.ours.spread(),
            row.anchor_name or "-",
            row.show(a.median) if a else "-",
            a.spread() if a else "-",
            row.ratio_text(),
            row.ratio_spread(),
            row.target.text if row.target else "",
            row.verdict(quick),
        ]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    if NOTES:
        out += ["", "Checks printed by the benchmarks in the same run:", ""]
        out += [f"- **{sec}**: {text}" for sec, text in NOTES]
    return "\n".join(out) + "\n"
