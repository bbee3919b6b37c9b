"""Shared timing helpers: interleaved rounds, medians, ratios against named anchors."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def per_call(fn: Callable[[], object], *, calls: int, rounds: int = 5) -> float:
    """Median seconds per call of ``fn`` over ``rounds`` rounds of ``calls`` calls."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def once(fn: Callable[[], object], *, rounds: int = 3) -> float:
    """Median seconds of one call of ``fn`` (for whole-batch operations)."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def report(rows: list[tuple[str, float, str, float]]) -> None:
    """Print ``(what, seconds, anchor, anchor_seconds)`` rows with the ratio anchor/ours."""
    print(f"{'measure':44} {'ours':>12} {'anchor':>30} {'anchor':>12} {'ratio':>9}")
    for what, ours, anchor, theirs in rows:
        ratio = theirs / ours if ours else float("inf")
        print(f"{what:44} {_fmt(ours):>12} {anchor:>30} {_fmt(theirs):>12} {ratio:>8.1f}x")


def _fmt(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"
