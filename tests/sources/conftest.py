from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def vcr_cassette_dir(request) -> str:
    """Cassettes live in <repo>/cassettes/<test module name>/<test name>.yaml (see make_cassettes.py)."""
    return str(REPO / "cassettes" / request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture(autouse=True)
def default_endpoints(monkeypatch):
    """Cassettes hold the public endpoints: a developer's HF_ENDPOINT must not change the URLs asked for."""
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    monkeypatch.delenv("ARXIV_API_URL", raising=False)
