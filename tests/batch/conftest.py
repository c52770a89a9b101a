"""Fixtures for the batch tests: a small input file and the Files/Batches test server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.resources import load_taxonomy
from tests.batch.helpers import PAPERS
from tests.conftest import DUMMY_KEY
from tests.openai_batch_server import OpenAIBatchServer


@pytest.fixture
def papers_file(tmp_path: Path) -> Path:
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PAPERS), encoding="utf-8")
    return path


@pytest.fixture
def batch_server():
    with OpenAIBatchServer(api_key=DUMMY_KEY, models=["gpt-4o-mini"], tags=load_taxonomy().names) as srv:
        yield srv


@pytest.fixture
def endpoint(batch_server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", batch_server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", DUMMY_KEY)
    monkeypatch.setenv("SUMMARIZE_TIMEOUT", "5")
    monkeypatch.setenv("SUMMARIZE_TRANSPORT_ATTEMPTS", "1")
    # the prompt a batch answers: a live run on this machine would otherwise take the hybrid task
    monkeypatch.setenv("SUMMARIZE_PROMPT", "extract.v2")
    return batch_server


