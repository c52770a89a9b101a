"""The llm engine meets servers as they are: one slot or several, a mode they refuse, a short context,
throttling in bursts, and no server at all. Each against a local server on 127.0.0.1."""

from __future__ import annotations

import socket
import time

import pytest

from agent.errors import EndpointUnreachable
from agent.models import Paper
from agent.pipeline import Pipeline
from agent.store import Store
from tests.conftest import DUMMY_KEY
from tests.openai_server import OpenAITestServer, Reply, _Handler, abstract_model, completion, status

import json


def papers(n: int) -> list[Paper]:
    return [Paper(id=f"2502.{i:05d}", title=f"System{i}: Fast Serving", source="file",
                  abstract=f"We present System{i}, a serving system. System{i} improves throughput by up to "
                           f"{i + 2}.5x over vLLM on A100 GPUs.") for i in range(n)]


def peak_in_flight(server: OpenAITestServer) -> int:
    events = sorted([(a, 1) for a, s in server.answers] + [(a + s, -1) for a, s in server.answers])
    now = peak = 0
    for _, step in events:
        now += step
        peak = max(peak, now)
    return peak


class SlotsHandler(_Handler):
    """llama.cpp's server: /props says how many requests it serves at once and its context."""

    def do_GET(self) -> None:
        if self.path == "/props":
            self._record(None)
            owner = self.server.owner
            return self._send(Reply(body={"total_slots": owner.slots,
                                          "default_generation_settings": {"n_ctx": owner.n_ctx}}))
        return super().do_GET()


class SlotsServer(OpenAITestServer):
    handler_class = SlotsHandler

    def __init__(self, slots: int, n_ctx: int = 8192, **kwargs):
        super().__init__(**kwargs)
        self.slots, self.n_ctx = slots, n_ctx


def run_all(engine, items, tmp_path):
    with Store(tmp_path / "s.db") as store:
        stats = Pipeline(engine=engine, store=store).run(items)
    return stats


def test_a_server_that_reports_two_slots_gets_two_requests_at_a_time(make_engine, tmp_path):
    with SlotsServer(slots=2, latency=0.2) as server:
        engine = make_engine(base_url=server.base_url)
        stats = run_all(engine, papers(6), tmp_path)
    assert stats.summarised == 6
    assert peak_in_flight(server) == 2
    assert engine.stats()["context_window"] == 8192


def test_a_local_server_that_says_nothing_gets_one_request_at_a_time(server, make_engine, tmp_path):
    server.latency = 0.1
    engine = make_engine()
    stats = run_all(engine, papers(4), tmp_path)
    assert stats.summarised == 4 and peak_in_flight(server) == 1


def test_an_explicit_concurrency_is_used_when_the_server_reports_nothing(server, make_engine, tmp_path):
    server.latency = 0.2
    stats = run_all(make_engine(concurrency=3), papers(6), tmp_path)
    assert stats.summarised == 6 and peak_in_flight(server) == 3


def _refuses_json_schema(req, srv):
    fmt = (req.body or {}).get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return status(500, "1 validation error: ('body', 'response_format', 'type') Input should be 'text' or "
                           "'json_object'")
    return completion(req, srv, json.dumps(abstract_model(req, srv)))


def test_a_refused_mode_falls_back_once_and_the_run_keeps_the_one_that_works(make_engine, tmp_path):
    with OpenAITestServer(default=_refuses_json_schema) as server:
        engine = make_engine(base_url=server.base_url, mode="json_schema")
        stats = run_all(engine, papers(4), tmp_path)
    refused = [r for r in server.chat_requests if (r.body.get("response_format") or {}).get("type") == "json_schema"]
    assert stats.summarised == 4 and stats.failed == 0
    assert engine.stats()["mode"] == "json"
    assert len(refused) == 3  # one answer's transport attempts, once for the run
    assert len(server.chat_requests) == 3 + 4


def test_a_context_refusal_is_met_with_an_answer_that_fits(server, make_engine, paper):
    server.push(status(400, "Requested tokens (4600) exceed context window of 4096"))
    import asyncio

    engine = make_engine()
    summary, usage = asyncio.run(engine.summarize(paper))
    first, second = server.chat_requests
    assert second.body["max_tokens"] < first.body["max_tokens"] and summary.tldr
    assert engine.stats()["context_window"] == 4096


def test_a_context_refusal_that_cannot_be_fitted_fails_the_paper_not_the_run(server, make_engine, tmp_path):
    server.push(*[status(400, "This model's maximum context length is 300 tokens")] * 3)
    stats = run_all(make_engine(), papers(3), tmp_path)
    assert stats.failed >= 1 and stats.summarised + stats.failed == 3
    assert any("context" in reason for _, reason in stats.failures)


def test_half_the_requests_throttled_every_paper_finishes(make_engine, tmp_path):
    def throttle_every_other(req, srv):
        if len(srv.chat_requests) % 2:
            return status(429, "Rate limit reached", headers={"retry-after": "0.2"})
        return completion(req, srv, json.dumps(abstract_model(req, srv)))

    with OpenAITestServer(default=throttle_every_other) as server:
        engine = make_engine(base_url=server.base_url, concurrency=4)
        stats = run_all(engine, papers(12), tmp_path)
    assert stats.summarised == 12 and stats.failed == 0
    assert engine.stats()["throttled"] >= 6


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_endpoint_stops_the_run_after_a_few_requests(make_engine, tmp_path):
    engine = make_engine(base_url=f"http://127.0.0.1:{_closed_port()}/v1", concurrency=8)
    started = time.monotonic()
    with pytest.raises(EndpointUnreachable, match="could not connect") as err:
        run_all(engine, papers(54), tmp_path)
    assert err.value.exit_code == 3
    assert engine.stats()["requests"] <= 10
    assert time.monotonic() - started < 30


def test_credentials_in_the_base_url_are_not_sent(make_engine, paper):
    import asyncio

    with OpenAITestServer() as server:
        url = server.base_url.replace("http://", "http://alice:s3cret-pass@")
        engine = make_engine(base_url=url)
        asyncio.run(engine.summarize(paper))
    auth = {r.headers.get("authorization") for r in server.chat_requests}
    assert auth == {f"Bearer {DUMMY_KEY}"}


def test_an_answer_with_a_two_million_character_field_is_never_stored(server, make_engine, tmp_path):
    from tests.openai_server import edit_answer

    server.push(*[edit_answer(lambda d: {**d, "problem": "x" * 2_000_000})] * 2)
    engine = make_engine(reask_attempts=2)
    stats = run_all(engine, papers(1), tmp_path)
    assert stats.failed == 1 and stats.summarised == 0
    assert "at most 1200 characters" in stats.failures[0][1]
    with Store(tmp_path / "s.db") as store:
        assert store.count("summaries") == 0


# -- the hybrid task (prompt label.v1): rules propose, the model labels ------------------------------


def test_the_hybrid_task_keeps_every_candidate_grounded_by_construction(server, make_engine, paper):
    import asyncio

    from tests.openai_server import answer

    engine = make_engine(prompt_version="label.v1")
    proposal = engine.rules.extract(paper)
    assert len(proposal.claims) == 2
    server.push(answer({"problem": "Serving wastes GPU time.", "method": "FastServe batches requests by deadline.",
                        "results": [{"id": 2, "baseline": "Orca"}, {"id": 7}],
                        "tldr": "FastServe batches LLM requests by deadline and cuts tail latency by 45% against Orca."}))
    summary, usage = asyncio.run(engine.summarize(paper))
    user = server.chat_requests[0].messages[-1]["content"]
    assert "<candidates>" in user and f"2. {proposal.claims[1].text}" in user
    assert [c.text for c in summary.claims] == [c.text for c in proposal.claims]  # 7 is no candidate: ignored
    assert summary.tags == proposal.tags and summary.hardware == proposal.hardware
    assert summary.tldr.startswith("FastServe batches") and usage.requests == 1


def test_the_hybrid_task_falls_back_to_the_rules_tldr_when_the_models_says_too_little(server, make_engine, paper):
    import asyncio

    from tests.openai_server import answer

    engine = make_engine(prompt_version="label.v1")
    server.push(answer({"problem": "p", "method": "m", "results": [], "tldr": "3x speedup over ZO2"}))
    summary, _ = asyncio.run(engine.summarize(paper))
    assert summary.tldr == engine.rules.extract(paper).tldr and engine.stats()["tldr_from_rules"] == 1
