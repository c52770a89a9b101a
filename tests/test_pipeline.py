"""The run loop, with small engines that follow the engine protocol (the real ones have their own tests)."""

from __future__ import annotations

import asyncio

import pytest

from agent.engines.base import Engine, Spend, hashed_key
from agent.errors import EndpointError, InputError, PaperFailed
from agent.models import Claim, Paper, Summary, Usage
from agent.pipeline import Limits, Pipeline
from agent.store import Store


def papers(n: int) -> list[Paper]:
    return [Paper(id=f"2401.{i:05d}", title=f"Paper {i}", abstract=f"Ours is {i + 2}x faster than X.",
                  source="file") for i in range(n)]


class CountingEngine(Engine):
    """Async like the LLM engine: claims one true and one invented number, costs one request each."""

    name, model, prompt_version = "llm", "test-model", "extract.v1"

    def __init__(self, fail_ids=(), stop_at=None):
        self.calls = 0
        self.fail_ids = set(fail_ids)
        self.stop_at = stop_at

    async def summarize(self, paper: Paper):
        self.calls += 1
        await asyncio.sleep(0)
        if self.stop_at is not None and self.calls >= self.stop_at:
            raise EndpointError("the endpoint rejected the API key (OPENAI_API_KEY)")
        if paper.id in self.fail_ids:
            raise PaperFailed("HTTP 500 after 3 attempts")
        n = int(paper.abstract.split()[2][:-1])
        claims = [Claim(text=f"{n}x faster than X", number=n, unit="x"),
                  Claim(text="99x faster", number=99, unit="x")]
        return Summary(claims=claims, tldr="t"), Usage(input_tokens=10, output_tokens=5, requests=1, cost_usd=0.01)

    requests_per_paper = 1

    def cache_key(self, paper: Paper) -> str:
        return hashed_key(self.name, self.model, paper.content_hash())

    def worst_case(self, paper: Paper, *, with_cost: bool = False) -> Spend:
        return Spend(requests=self.requests_per_paper, cost_usd=0.01 if with_cost else 0.0)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.db") as s:
        yield s


def test_every_paper_is_summarised_and_saved_in_input_order(store):
    p = Pipeline(engine=CountingEngine(), store=store, concurrency=4)
    stats = p.run(papers(10))
    assert stats.summarised == 10 and store.count("summaries") == 10
    assert [store.cached(k).id for k in p.keys] == [x.id for x in papers(10)]


def test_claims_not_in_the_abstract_are_marked_ungrounded(store):
    p = Pipeline(engine=CountingEngine(), store=store)
    p.run(papers(1))
    claims = store.cached(p.keys[0]).summary.claims
    assert [c.grounded for c in claims] == [True, False]


def test_a_second_run_makes_no_engine_calls(store):
    Pipeline(engine=CountingEngine(), store=store).run(papers(5))
    engine = CountingEngine()
    stats = Pipeline(engine=engine, store=store).run(papers(5))
    assert engine.calls == 0 and stats.cached == 5


def test_a_failed_paper_is_recorded_and_the_run_goes_on(store):
    stats = Pipeline(engine=CountingEngine(fail_ids={"2401.00001"}), store=store).run(papers(3))
    assert (stats.summarised, stats.failed) == (2, 1)
    assert store.failures()[0]["reason"] == "HTTP 500 after 3 attempts"


def test_input_errors_are_counted_and_good_papers_still_processed(store):
    items = [*papers(2), InputError("bad.jsonl:3: invalid JSON")]
    stats = Pipeline(engine=CountingEngine(), store=store).run(items)
    assert stats.summarised == 2 and stats.input_errors == ["bad.jsonl:3: invalid JSON"]


def test_duplicates_in_one_run_are_summarised_once(store):
    engine = CountingEngine()
    stats = Pipeline(engine=engine, store=store).run(papers(3) + papers(3))
    assert engine.calls == 3 and stats.duplicates == 3


def test_endpoint_error_stops_the_run_and_keeps_what_was_done(store):
    with pytest.raises(EndpointError):
        Pipeline(engine=CountingEngine(stop_at=4), store=store, concurrency=1).run(papers(10))
    assert store.count("summaries") == 3


def test_max_requests_skips_papers_before_the_limit_is_crossed(store):
    engine = CountingEngine()
    stats = Pipeline(engine=engine, store=store, concurrency=1, limits=Limits(max_requests=4)).run(papers(10))
    assert (engine.calls, stats.summarised, stats.skipped) == (4, 4, 6)


def test_max_cost_stops_before_crossing(store):
    engine = CountingEngine()
    stats = Pipeline(engine=engine, store=store, concurrency=1, limits=Limits(max_cost=0.035)).run(papers(10))
    assert engine.calls == 3 and stats.cost_usd == pytest.approx(0.03)


def test_skipped_papers_are_picked_up_by_the_next_run(store):
    Pipeline(engine=CountingEngine(), store=store, concurrency=1, limits=Limits(max_requests=4)).run(papers(10))
    engine = CountingEngine()
    stats = Pipeline(engine=engine, store=store).run(papers(10))
    assert (stats.cached, stats.summarised, engine.calls) == (4, 6, 6)


class RetryingEngine(CountingEngine):
    """Each paper costs three requests (two retries), as a flaky endpoint makes it."""

    requests_per_paper = 3

    async def summarize(self, paper):
        summary, usage = await super().summarize(paper)
        return summary, usage.model_copy(update={"requests": 3})


def test_request_limit_holds_when_papers_need_retries(store):
    stats = Pipeline(engine=RetryingEngine(), store=store, concurrency=2, limits=Limits(max_requests=10)).run(papers(10))
    assert stats.requests <= 10 and stats.summarised == 3


def test_same_title_under_two_ids_is_one_paper_in_a_run(store):
    twin = Paper(id="title:abc", title="Paper 0", abstract="Ours is 2x faster than X.", source="file")
    engine = CountingEngine()
    stats = Pipeline(engine=engine, store=store).run([*papers(2), twin])
    assert engine.calls == 2 and stats.duplicates == 1
