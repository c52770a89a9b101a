"""The llm engine replayed from answers a REAL model server gave (cassettes/test_real_cassettes/).

Each cassette names the server, its version and the model in its first line (see the README, Tests).
Record again, with the script's server running (`make local-llm-start`):

    SUMMARIZE_REAL_BASE_URL=http://127.0.0.1:8089/v1 \\
        pytest tests/engines/test_real_cassettes.py --record-mode=rewrite
    then put the origin line first in each cassette (scripts/label-real-cassettes.sh).

Requests match on method, path and body: the prompt, the schema and the rules engine's proposals decide
the answer, so a change to any of them needs a new recording (the test then fails and says so).
"""

from __future__ import annotations

import asyncio
import os

import pytest

from agent.engines.grounding import check_fields, ground
from agent.engines.llm import LLMEngine
from agent.engines.llm_config import LLMSettings
from agent.sources.files import iter_source
from tests.conftest import REPO

BASE_URL = os.environ.get("SUMMARIZE_REAL_BASE_URL", "http://127.0.0.1:8089/v1")
MODEL = "qwen2.5-coder-0.5b-instruct-q4_k_m"

pytestmark = pytest.mark.vcr(match_on=["method", "path", "body"])


def sample_paper(index: int):
    return [p for p in iter_source(str(REPO / "tests" / "data" / "hf_page_sample.txt"))][index]


def test_a_real_small_model_labels_the_rules_engines_proposals():
    paper = sample_paper(4)
    engine = LLMEngine(LLMSettings(api_key="local", base_url=BASE_URL, model=MODEL, prompt_version="label.v1",
                                   transport_attempts=1))
    summary, usage = asyncio.run(engine.summarize(paper))
    finished, dropped = check_fields(paper.title, paper.abstract, ground(paper.abstract, summary))
    assert usage.requests == 1 and usage.input_tokens > 0 and usage.output_tokens > 0
    assert engine.stats()["concurrency"] == 1  # llama-cpp-python serves one at a time, and says so
    assert finished.claims == engine.rules.extract(paper).claims and all(c.grounded for c in finished.claims)
    assert finished.problem and finished.method and 0 < len(finished.tldr.split()) <= 30
    assert dropped == []
