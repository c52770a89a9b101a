"""Fixtures for the engine tests: the local OpenAI-compatible server, engines pointed at it, and vcr.

The vcr settings follow the notes (docs/llm.md): secrets filtered from requests and responses, bodies
decoded and matched, and NEVER a record_mode here (it would beat --record-mode on the command line).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agent.engines.llm import LLMEngine
from agent.engines.llm_config import LLMSettings
from agent.models import Paper
from agent.resources import load_taxonomy
from tests.openai_server import OpenAITestServer

REPO_ROOT = Path(__file__).resolve().parents[2]
DUMMY_KEY = "sk-test-not-a-real-key-0000"
SECRET_REQUEST_HEADERS = ["authorization", "openai-organization", "openai-project", "cookie"]
SECRET_RESPONSE_HEADERS = {"set-cookie", "openai-organization", "openai-project"}

# Allow the live tests to reach the local server despite --block-network.
LOCAL_ONLY = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"])


def _scrub_response(response: dict) -> dict:
    headers = response["headers"]
    for name in list(headers):
        if name.lower() in SECRET_RESPONSE_HEADERS or name.lower().startswith("openai-"):
            del headers[name]
    return response


@pytest.fixture(scope="session")
def vcr_config():
    return {
        "filter_headers": SECRET_REQUEST_HEADERS + [("user-agent", "redacted")],
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
        "match_on": ["method", "scheme", "host", "port", "path", "query", "body"],
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request):
    return str(REPO_ROOT / "cassettes" / request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture
def openai_api_key() -> str:
    """A real key only when re-recording against a real endpoint; a dummy otherwise."""
    return os.environ.get("PYTEST_OPENAI_API_KEY") or DUMMY_KEY


@pytest.fixture
def server():
    with OpenAITestServer(api_key=DUMMY_KEY, models=["gpt-4o-mini"], tags=load_taxonomy().names) as srv:
        yield srv


@pytest.fixture
def make_engine(server):
    """An engine against the local server. Small timeouts so failures are quick; override per test."""

    def make(**overrides) -> LLMEngine:
        settings = dict(api_key=DUMMY_KEY, base_url=server.base_url, timeout=5.0, transport_attempts=3,
                        reask_attempts=3)
        settings.update(overrides)
        return LLMEngine(LLMSettings(**settings))

    return make


@pytest.fixture
def paper() -> Paper:
    return Paper(
        id="2501.00001",
        title="FastServe: Deadline-Aware Batching for LLM Inference",
        abstract=(
            "Serving large language models under latency targets wastes GPU time. "
            "We present FastServe, an inference system that batches requests by deadline on A100 GPUs. "
            "FastServe improves throughput by up to 2.3x over vLLM. "
            "It also reduces tail latency by 45% compared to Orca on Llama-2 70B."
        ),
        source="file",
    )
