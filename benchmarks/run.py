"""Run the benchmarks: every ``benchmarks/bench_*.py`` module's ``main(quick)``.

Each benchmark measures govdisclose against its named anchors *in the same run* and prints
ratios, because the machine is shared and absolute timings wander.

    python benchmarks/run.py              all benchmarks
    python benchmarks/run.py calendar     only bench_calendar.py
    python benchmarks/run.py --quick      smaller sizes (a smoke run)
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    wanted = [a for a in argv if not a.startswith("-")]
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
    for path in modules:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"\n=== {path.stem} ===", flush=True)
        started = time.perf_counter()
        module.main(quick=quick)
        print(f"({path.stem}: {time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
