"""Recorded HTTP must hold no secrets, and cassettes from the local server must say so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
SECRET = re.compile(r"(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{8,}|bearer\s|set-cookie|org-[A-Za-z0-9]{6,}|openai-organization|openai-project", re.I)
FILES = sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes_to_check():
    assert FILES, f"no cassettes under {CASSETTES}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CASSETTES)))
def test_cassette_holds_no_secret(path):
    found = sorted({m.group(0)[:12] for m in SECRET.finditer(path.read_text(encoding="utf-8"))})
    assert not found, f"{path.name} holds secret-looking text: {found}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CASSETTES)))
def test_cassette_from_the_local_server_is_labelled(path):
    text = path.read_text(encoding="utf-8")
    if "uri: http://127.0.0.1" in text:
        assert "x-test-double" in text and "not OpenAI" in text
