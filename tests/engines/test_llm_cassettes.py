"""End-to-end llm engine tests replayed from cassettes (cassettes/test_llm_cassettes/).

The cassettes were recorded against the LOCAL TEST SERVER (tests/openai_server.py), not OpenAI: every
recorded response carries the header `x-test-double`. There is no real endpoint in this project's CI.

Record the missing ones (starts the local server on the fixed port below):
    pytest tests/engines/test_llm_cassettes.py --record-mode=once
Re-record against a real endpoint (asserts structure only, so real answers pass too):
    PYTEST_OPENAI_API_KEY=sk-... PYTEST_OPENAI_BASE_URL=https://api.openai.com/v1 \
        pytest tests/engines/test_llm_cassettes.py --record-mode=rewrite

Requests are matched on method, path, query and body, not on scheme/host/port: the body (model,
prompt, schema, abstract) is what decides the answer, and this lets a cassette recorded against any
endpoint replay without that endpoint's URL.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from agent.engines.llm import LLMEngine
from agent.engines.llm_config import LLMSettings
from agent.models import Paper
from agent.resources import load_taxonomy
from tests.openai_server import OpenAITestServer

RECORD_PORT = 18765
BASE_URL = os.environ.get("PYTEST_OPENAI_BASE_URL", f"http://127.0.0.1:{RECORD_PORT}/v1")
MODEL = os.environ.get("PYTEST_OPENAI_MODEL", "gpt-4o-mini")

pytestmark = pytest.mark.vcr(match_on=["method", "path", "query", "body"])


@pytest.fixture
def endpoint(record_mode):
    """While recording without a real endpoint, serve the fixed URL from the local test server."""
    if record_mode == "none" or "PYTEST_OPENAI_BASE_URL" in os.environ:
        yield BASE_URL
        return
    with OpenAITestServer(port=RECORD_PORT, tags=load_taxonomy().names):
        yield BASE_URL


@pytest.fixture
def engine(endpoint, openai_api_key):
    # One HTTP attempt: a missing cassette fails at once instead of after SDK retries.
    return LLMEngine(LLMSettings(api_key=openai_api_key, base_url=endpoint, model=MODEL, transport_attempts=1,
                                 prompt_version="extract.v2"))


def test_recorded_summary_has_the_contract_shape(engine, paper):
    summary, usage = asyncio.run(engine.summarize(paper))
    assert summary.claims, "the abstract reports two results"
    assert any(c.grounded for c in summary.claims)
    assert len(summary.tldr.split()) <= 30 and "\n" not in summary.tldr
    assert set(summary.tags) <= set(load_taxonomy().names)
    assert usage.requests == 1 and usage.input_tokens > 0 and usage.output_tokens > 0


def test_recorded_summary_of_an_abstract_without_numbers(engine):
    paper = Paper(
        id="2501.00002",
        title="On the Design Space of Request Schedulers",
        abstract=(
            "Schedulers for LLM serving trade latency against utilisation. "
            "This paper surveys scheduling policies and organises them by what they observe. "
            "We discuss open problems for multi-tenant clusters."
        ),
        source="file",
    )
    summary, usage = asyncio.run(engine.summarize(paper))
    assert summary.claims == []
    assert summary.problem and summary.method and summary.tldr
    assert usage.requests == 1
