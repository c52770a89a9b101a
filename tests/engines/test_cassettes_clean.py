"""Recorded HTTP must hold no secrets, and every cassette must say how it was made (see README, Tests)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
SECRET = re.compile(r"(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{8,}|bearer\s|set-cookie|org-[A-Za-z0-9]{6,}|openai-organization|openai-project", re.I)
FILES = sorted(CASSETTES.rglob("*.yaml"))

# The three ways a cassette is made here, each recognisable from the file itself:
BUILT = re.compile(r"\A# Built by tests/sources/make_cassettes\.py from saved real payloads")
TEST_DOUBLE = re.compile(r"x-test-double:\n\s+- summarize local OpenAI-compatible test server, not OpenAI")
REAL_SERVER = re.compile(r"\A# Recorded against a real model server: (?P<server>\S.*?) (?P<version>\d[\w.]*), "
                         r"model (?P<model>\S+)")


def origin(text: str) -> str | None:
    if BUILT.search(text):
        return "built"
    if REAL_SERVER.search(text):
        return "real-server"
    if TEST_DOUBLE.search(text):
        return "test-double"
    return None


def test_there_are_cassettes_to_check():
    assert FILES, f"no cassettes under {CASSETTES}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CASSETTES)))
def test_cassette_holds_no_secret(path):
    found = sorted({m.group(0)[:12] for m in SECRET.finditer(path.read_text(encoding="utf-8"))})
    assert not found, f"{path.name} holds secret-looking text: {found}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CASSETTES)))
def test_cassette_says_how_it_was_made(path):
    assert origin(path.read_text(encoding="utf-8")) is not None, (
        f"{path.name}: no origin line (built from payloads, our test double, or a named real server)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Built by tests/sources/make_cassettes.py from saved real payloads (x)\ninteractions: []", "built"),
        ("# Recorded against a real model server: llama-cpp-python 0.3.36, model qwen2.5-coder-0.5b\n", "real-server"),
        ("interactions:\n    headers:\n      x-test-double:\n      - summarize local OpenAI-compatible test server, not OpenAI\n",
         "test-double"),
        ("interactions:\n- request:\n    uri: https://api.openai.com/v1/chat/completions\n", None),
        ("# Recorded against a real model server: somewhere\n", None),  # no version, no model
    ],
)
def test_origin_is_recognised_only_when_stated(text, expected):
    assert origin(text) == expected
