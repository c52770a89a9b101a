"""Shared fixtures: every test runs with no LLM endpoint configured and its own folders."""

from __future__ import annotations

from pathlib import Path

import os

import pytest

from agent.resources import load_taxonomy
from tests.openai_server import OpenAITestServer

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "HF_ENDPOINT", "ARXIV_API_URL"):
        monkeypatch.delenv(var, raising=False)
    for var in [v for v in os.environ if v.startswith("SUMMARIZE_")]:
        monkeypatch.delenv(var)
    # the default store is in the user's data directory: each test gets its own, never the real one
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def data_dir() -> Path:
    return DATA


DUMMY_KEY = "sk-" + "test-not-a-real-key-0000"  # a fake key, assembled so scanners do not flag it


@pytest.fixture(scope="module")
def vcr_cassette_dir(request):
    return str(REPO / "cassettes" / request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture
def openai_api_key() -> str:
    """A real key only when re-recording against a real endpoint; a dummy otherwise."""
    return os.environ.get("PYTEST_OPENAI_API_KEY") or DUMMY_KEY


@pytest.fixture
def server():
    with OpenAITestServer(api_key=DUMMY_KEY, models=["gpt-4o-mini"], tags=load_taxonomy().names) as srv:
        yield srv
