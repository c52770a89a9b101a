"""The llm engine through the real Pipeline and store while the endpoint misbehaves at random.

Per request, seeded by (paper, attempt) so the same paper meets the same faults whatever the scheduling:
10% 429 with Retry-After, 5% 500, 2% malformed JSON arguments, 2% schema-invalid answers; the rest answer
normally. One paper (POISONED) always gets malformed JSON, so the run has a failure to record too.
One run is shared by the tests below; each checks one property of its outcome.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass

import pytest

from agent.engines.llm import LLMEngine
from agent.engines.llm_config import LLMSettings
from agent.models import Paper
from agent.pipeline import Pipeline, RunStats
from agent.resources import load_taxonomy
from agent.store import Store
from benchmarks.corpus import papers as corpus_papers
from tests.conftest import DUMMY_KEY
from tests.openai_server import OpenAITestServer, RecordedRequest, Reply, completion, abstract_model, status

N = 150
POISONED = 7  # index of the paper whose every answer is malformed
TRANSPORT, REASK = 3, 3
# Above the SDK's own first backoff (at most 0.5 s), so a retry that ignored the header would show.
RETRY_AFTER = (0.6, 0.8, 1.0)


def _title(req: RecordedRequest) -> str:
    m = re.search(r"<title>\s*(.*?)\s*</title>", req.first("user"), re.S)
    return m.group(1) if m else ""


class Faults:
    """The server's default behaviour: a fault or the normal answer, drawn from (seed, title, attempt)."""

    def __init__(self, seed: int = 20260101, poisoned: str = ""):
        self.seed, self.poisoned = seed, poisoned
        self.attempts: dict[str, int] = defaultdict(int)
        self.drawn: dict[str, int] = defaultdict(int)

    def __call__(self, req: RecordedRequest, server: OpenAITestServer) -> Reply:
        title = _title(req)
        with server._lock:
            attempt = self.attempts[title]
            self.attempts[title] += 1
        r = random.Random(f"{self.seed}:{title}:{attempt}").random()
        if title == self.poisoned and r >= 0.10:
            return completion(req, server, '{"problem": "cut here", "claims": [{"text": ')
        if r < 0.10:
            self.drawn["429"] += 1
            wait = RETRY_AFTER[attempt % len(RETRY_AFTER)]
            return status(429, "Rate limit reached", headers={"retry-after": str(wait)})
        if r < 0.15:
            self.drawn["500"] += 1
            return status(500, "The server had an error")
        if r < 0.17:
            self.drawn["malformed"] += 1
            return completion(req, server, '{"problem": "cut here", "claims": [{"text": ')
        if r < 0.19:
            self.drawn["schema"] += 1
            data = abstract_model(req, server)
            return completion(req, server, json.dumps({**data, "claims": "many", "tldr": None}))
        return completion(req, server, json.dumps(abstract_model(req, server)))


@dataclass
class Outcome:
    papers: list[Paper]
    stats: RunStats
    summarised_ids: set[str]
    failures: list[dict]
    summary_rows: int
    paper_rows: int
    requests: list[RecordedRequest]
    drawn: dict[str, int]


@pytest.fixture(scope="module")
def outcome(tmp_path_factory) -> Outcome:
    papers = list(corpus_papers(N))
    faults = Faults(poisoned=papers[POISONED].title)
    server = OpenAITestServer(api_key=DUMMY_KEY, tags=load_taxonomy().names, latency=0.01, default=faults)
    with server:
        engine = LLMEngine(LLMSettings(api_key=DUMMY_KEY, base_url=server.base_url, timeout=5, concurrency=16,
                                       transport_attempts=TRANSPORT, reask_attempts=REASK))
        with Store(tmp_path_factory.mktemp("faults") / "s.db") as store:
            stats = Pipeline(engine=engine, store=store, concurrency=16).run(papers)
            summarised = {r[0] for r in store.db.execute("SELECT paper_id FROM summaries")}
            return Outcome(papers=papers, stats=stats, summarised_ids=summarised, failures=store.failures(),
                           summary_rows=store.count("summaries"), paper_rows=store.count("papers"),
                           requests=list(server.chat_requests), drawn=dict(faults.drawn))


def test_every_kind_of_fault_was_served(outcome):
    assert {"429", "500", "malformed", "schema"} <= outcome.drawn.keys()


def test_every_paper_ends_as_a_record_or_a_failure_with_its_reason(outcome):
    failed = {f["paper_id"]: f["reason"] for f in outcome.failures}
    assert outcome.summarised_ids | failed.keys() == {p.id for p in outcome.papers}
    assert all(reason.strip() for reason in failed.values())
    assert "invalid" in failed[outcome.papers[POISONED].id]
    assert outcome.stats.summarised + outcome.stats.failed == N


def test_no_paper_is_lost_duplicated_or_both(outcome):
    failed = [f["paper_id"] for f in outcome.failures]
    assert outcome.paper_rows == N
    assert outcome.summary_rows == len(outcome.summarised_ids)  # one summary row per paper
    assert len(failed) == len(set(failed))
    assert outcome.summarised_ids.isdisjoint(failed)


def test_most_papers_survive_the_faults(outcome):
    """Retries and re-asks absorb single faults: only a run of bad luck fails a paper."""
    assert outcome.stats.summarised >= N - 1 - 3


def test_retry_after_is_honoured(outcome):
    by_title: dict[str, list[RecordedRequest]] = defaultdict(list)
    for req in outcome.requests:
        by_title[_title(req)].append(req)
    gaps = []
    for reqs in by_title.values():
        reqs.sort(key=lambda r: r.at)
        for attempt, (req, nxt) in enumerate(zip(reqs, reqs[1:])):
            if random.Random(f"{Faults().seed}:{_title(req)}:{attempt}").random() < 0.10:  # answered 429
                gaps.append((nxt.at - req.at, RETRY_AFTER[attempt % len(RETRY_AFTER)]))
    assert gaps, "no 429 was retried"
    assert all(gap >= wait for gap, wait in gaps), [g for g in gaps if g[0] < g[1]]


def test_total_attempts_are_bounded(outcome):
    assert len(outcome.requests) <= N * TRANSPORT * REASK
    per_paper = defaultdict(int)
    for req in outcome.requests:
        per_paper[_title(req)] += 1
    assert max(per_paper.values()) <= TRANSPORT * REASK
