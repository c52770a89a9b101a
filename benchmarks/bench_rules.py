"""Throughput of the rules engine: the sample page's abstracts repeated to 10,000, one core.

    python benchmarks/bench_rules.py [N] [ROUNDS]

Each round summarises all N abstracts (no caching: every call does the full work). The figure is
abstracts per second of CPU time; the best round is the estimate of the engine's own cost (the others
are slowed by whatever else shares the machine), and every round is printed beside it.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.engines.rules import RulesEngine  # noqa: E402
from agent.evaluation import load_papers  # noqa: E402


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 10_000
    rounds = int(argv[2]) if len(argv) > 2 else 3
    sample = load_papers(ROOT / "tests/data/hf_page_sample.txt")
    papers = [sample[i % len(sample)] for i in range(n)]
    engine = RulesEngine()
    engine.extract(sample[0])  # load the taxonomy, build the keyword index
    rates = []
    for _ in range(rounds):
        c0 = time.process_time()
        for p in papers:
            engine.extract(p)
        rates.append(n / (time.process_time() - c0))
    print(f"{n} abstracts x {rounds} rounds: best {max(rates):,.0f} abstracts/s on one core "
          f"(median {statistics.median(rates):,.0f}; rounds: {', '.join(f'{r:,.0f}' for r in rates)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
