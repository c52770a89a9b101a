"""The rules engine on one very long abstract: ~100,000 characters holding ~4,000 numbers, one core.

    python benchmarks/bench_rules_long.py [CHARS]

The abstract is built from varied result sentences (multipliers, percentages, ranges, lists with
"respectively", baselines), so every number is a claim candidate. Prints the CPU time of one `summarize`,
best of 3, and the number of claims found. The work per claim is bounded (`claims.WINDOW`), so the time
grows linearly with the abstract (see tests/engines/test_rules_linear.py, which counts the work).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.engines.rules import RulesEngine  # noqa: E402
from agent.models import Paper  # noqa: E402

TEMPLATES = (
    "FooServe reaches {a}.{b}x higher throughput than Bar{i} and cuts p99 latency by {p}% on trace {i}.",
    "On workload {i}, memory and cost drop by {p}% and {q}%, respectively, compared to Baz{i}.",
    "It is {a}-{c}x faster for batch {i}, while accuracy improves by {b}.{a} points over the baseline.",
    "Across {i} runs we observe {p}%, {q}% and {a}% lower energy use.",
)


def long_abstract(chars: int = 100_000) -> str:
    parts = ["We present FooServe, a serving system for long abstracts."]
    i, size = 0, 0
    while size < chars:
        i += 1
        t = TEMPLATES[i % len(TEMPLATES)]
        s = t.format(i=i, a=1 + i % 9, b=i % 10, c=10 + i % 9, p=1 + i % 89, q=2 + i % 71)
        parts.append(s)
        size += len(s) + 1
    return " ".join(parts)[:chars]


def main(argv: list[str]) -> int:
    chars = int(argv[1]) if len(argv) > 1 else 100_000
    text = long_abstract(chars)
    numbers = sum(1 for tok in text.split() if any(ch.isdigit() for ch in tok))
    engine = RulesEngine()
    paper = Paper(id="long", title="FooServe: Serving Long Abstracts", abstract=text, source="file")
    times, claims = [], 0
    for _ in range(3):
        c0 = time.process_time()
        claims = len(engine.extract(paper).claims)
        times.append(time.process_time() - c0)
    print(f"{len(text):,} characters, {numbers:,} tokens with a digit, {claims:,} claims: best {min(times):.2f} s "
          f"on one core (rounds: {', '.join(f'{t:.2f}' for t in times)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
