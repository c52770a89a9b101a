"""Throughput of the rules engine: the sample page's abstracts repeated to 10,000, one core.

    python benchmarks/bench_rules.py [N]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.engines.rules import RulesEngine  # noqa: E402
from agent.evaluation import papers_from_page  # noqa: E402


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 10_000
    sample = papers_from_page(ROOT / "tests/data/hf_page_sample.txt")
    papers = [sample[i % len(sample)] for i in range(n)]
    engine = RulesEngine()
    engine.summarize(sample[0])  # load the taxonomy, compile its patterns
    t0, c0 = time.perf_counter(), time.process_time()
    for p in papers:
        engine.summarize(p)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    # CPU time is the fair "one core" figure on a shared machine; wall time is printed beside it.
    print(f"{n} abstracts: {n / cpu:,.0f} abstracts/s of CPU time on one core ({cpu:.2f} s CPU, "
          f"{wall:.2f} s wall = {n / wall:,.0f}/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
