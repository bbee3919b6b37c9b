"""Run the benchmarks: every ``benchmarks/bench_*.py`` module's ``main(quick)``.

Each benchmark measures govdisclose against its named anchors *in the same run*, methods
interleaved round by round by `_harness.compare`, and prints medians, spreads and ratios, because
the machine is shared and absolute timings wander.

    python benchmarks/run.py                     all benchmarks
    python benchmarks/run.py calendar            only bench_calendar.py
    python benchmarks/run.py --quick             smaller sizes (a smoke run)
    python benchmarks/run.py --summary PATH      also write the one-page Markdown summary
"""

from __future__ import annotations

import datetime
import importlib.util
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def _machine() -> str:
    import numpy

    cpus = os.cpu_count()
    usable: int | None
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = cpus
    return (
        f"{platform.machine()} {platform.processor() or platform.system()}, {cpus} CPUs "
        f"({usable} usable), Python {platform.python_version()} "
        f"({platform.python_implementation()}), "
        f"numpy {numpy.__version__}, {platform.platform()}"
    )


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    summary: Path | None = None
    args = list(argv)
    if "--summary" in args:
        i = args.index("--summary")
        if i + 1 >= len(args):
            print("--summary needs a PATH")
            return 2
        summary = Path(args[i + 1])
        del args[i : i + 2]
    wanted = [a for a in args if not a.startswith("-")]
    modules = sorted(HERE.glob("bench_*.py"))
    if wanted:
        # An exact name ("store" or "bench_store") wins over a substring ("store" would also
        # match bench_store_memory).
        names = {w.removesuffix(".py") for w in wanted}
        exact = [m for m in modules if m.stem in names or m.stem.removeprefix("bench_") in names]
        modules = exact or [m for m in modules if any(w in m.stem for w in names)]
    if not modules:
        print("no benchmark matched", wanted or "")
        return 1
    sys.path.insert(0, str(HERE))
    import _harness

    _harness.QUICK[0] = quick
    began = time.perf_counter()
    for path in modules:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"\n=== {path.stem} ===", flush=True)
        _harness.SECTION[0] = path.stem.removeprefix("bench_")
        started = time.perf_counter()
        module.main(quick=quick)
        print(f"({path.stem}: {time.perf_counter() - started:.1f} s)", flush=True)
    if summary is not None:
        today = datetime.date.today().isoformat()
        header = (
            f"Benchmark summary, {today}{' (--quick sizes)' if quick else ''}: "
            f"{', '.join(m.stem.removeprefix('bench_') for m in modules)}; "
            f"{time.perf_counter() - began:.0f} s in all.\n\n"
            f"Machine: {_machine()}.\n\n"
            "Times are medians of interleaved rounds (a warm-up round discarded); spread is the "
            "fastest and slowest round against the median; the ratio is ours against the "
            "anchor, from the medians; per-round ratios are the extremes of the paired rounds."
        )
        summary.parent.mkdir(parents=True, exist_ok=True)
        summary.write_text(_harness.summary_markdown(header=header), encoding="utf-8")
        print(f"summary written to {summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
