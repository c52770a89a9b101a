"""Fixtures for the engine tests: the local OpenAI-compatible server, engines pointed at it, and vcr.

The vcr settings follow the notes (docs/llm.md): secrets filtered from requests and responses, bodies
decoded and matched, and NEVER a record_mode here (it would beat --record-mode on the command line).
"""

from __future__ import annotations

import re

import pytest

from agent.engines.llm import LLMEngine
from agent.engines.llm_config import LLMSettings
from agent.models import Paper
from tests.conftest import DUMMY_KEY

SECRET_REQUEST_HEADERS = ["authorization", "openai-organization", "openai-project", "cookie"]
SECRET_RESPONSE_HEADERS = {"set-cookie", "openai-organization", "openai-project"}

# Allow the live tests to reach the local server despite --block-network.
LOCAL_ONLY = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"])


# An endpoint or proxy may echo the key in an error body ("Incorrect API key provided: sk-...").
SECRET_IN_BODY = re.compile(r"(?<![A-Za-z0-9])sk-[A-Za-z0-9_*-]{8,}")


def _scrub_response(response: dict) -> dict:
    headers = response["headers"]
    for name in list(headers):
        if name.lower() in SECRET_RESPONSE_HEADERS or name.lower().startswith("openai-"):
            del headers[name]
    body = response.get("body", {})
    if isinstance(body.get("string"), bytes):
        body["string"] = SECRET_IN_BODY.sub("sk-REDACTED", body["string"].decode("utf-8", "replace")).encode()
    elif isinstance(body.get("string"), str):
        body["string"] = SECRET_IN_BODY.sub("sk-REDACTED", body["string"])
    return response


@pytest.fixture(scope="session")
def vcr_config():
    return {
        "filter_headers": SECRET_REQUEST_HEADERS + [("user-agent", "redacted")],
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
        "match_on": ["method", "scheme", "host", "port", "path", "query", "body"],
    }


@pytest.fixture
def make_engine(server):
    """An engine against the local server. Small timeouts so failures are quick; override per test."""

    def make(**overrides) -> LLMEngine:
        # the whole-summary task: these tests exercise the model's own claims (the hybrid task has its own)
        settings = dict(api_key=DUMMY_KEY, base_url=server.base_url, timeout=5.0, transport_attempts=3, prompt_version="extract.v2",
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
