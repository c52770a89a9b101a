"""The rules engine's work grows linearly with the number of claims: counted in executed lines of the claim
extractor (a tracer), not timed, so a busy machine cannot make it pass or fail."""

from __future__ import annotations

import sys

from agent.engines.rules import RulesEngine
from agent.engines.rules import claims as claims_module
from agent.models import Paper
from benchmarks.bench_rules_long import long_abstract

RULES_DIR = claims_module.__file__.rsplit("/", 1)[0]


def work(text: str) -> tuple[int, int]:
    """(lines executed in agent/engines/rules while summarising `text`, claims found)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if not frame.f_code.co_filename.startswith(RULES_DIR):
            return None
        if event == "line":
            count += 1
        return tracer

    engine = RulesEngine()
    paper = Paper(id="long", title="FooServe: Serving Long Abstracts", abstract=text, source="file")
    sys.settrace(tracer)
    try:
        summary = engine.extract(paper)
    finally:
        sys.settrace(None)
    return count, len(summary.claims)


def test_twice_the_claims_costs_about_twice_the_work():
    small_work, small_claims = work(long_abstract(6_000))
    big_work, big_claims = work(long_abstract(24_000))
    assert small_claims > 100 and big_claims >= 3.5 * small_claims
    # linear: 4x the claims, about 4x the lines (a quadratic step would give about 16x)
    assert big_work / small_work < 4.0 * 1.25, (small_work, big_work)


def test_one_sentence_with_thousands_of_numbers_is_bounded_per_number():
    text = "We present FooServe. FooServe achieves " + ", ".join(f"{i % 9 + 1}.{i % 10}x" for i in range(2_000)) + "."
    lines, found = work(text)
    assert found >= 1_900
    assert lines / found < 600  # a bounded amount of work per claim, however long the sentence
