"""`summarize today`, `search` and `arxiv` end to end, replaying the source cassettes (built from real payloads)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [*args, "--db", "s.db", "--json"])


@pytest.mark.vcr(str(CASSETTES / "test_huggingface" / "test_ordinary_day.yaml"))
def test_today_summarises_every_listed_paper():
    result = invoke("today", "--date", "2026-06-12", "--out", "out")
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert report["source"]["listed"] == 30 and report["summarised"] == 30 and report["new"] == 30
    assert len(Path("out/papers.jsonl").read_text().splitlines()) == 30


@pytest.mark.vcr(str(CASSETTES / "test_huggingface" / "test_ordinary_day.yaml"))
def test_without_db_the_store_is_the_default_one():
    result = runner.invoke(app, ["today", "--date", "2026-06-12", "--engine", "rules", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert (Path(os.environ["XDG_DATA_HOME"]) / "summarize" / "summarize.db").is_file()
    assert not Path("outputs/summarize.db").exists()


@pytest.mark.vcr(str(CASSETTES / "test_huggingface" / "test_ordinary_day.yaml"))
def test_today_keeps_the_sources_own_summary_apart():
    invoke("today", "--date", "2026-06-12", "--out", "out")
    first = json.loads(Path("out/papers.jsonl").read_text().splitlines()[0])
    assert any(k.startswith("hf_") for k in first["source_extras"])
    assert "ai_summary" not in first["summary"]


@pytest.mark.vcr(str(CASSETTES / "test_huggingface" / "test_empty_day_is_reported.yaml"))
def test_empty_day_says_so_and_offers_latest():
    result = runner.invoke(app, ["today", "--date", _empty_day(), "--db", "s.db"])
    assert result.exit_code == 0
    assert "--latest" in result.stderr and not Path("outputs").exists()


@pytest.mark.vcr(str(CASSETTES / "test_huggingface" / "test_paper_without_abstract_is_reported.yaml"))
def test_a_listed_paper_we_cannot_use_makes_the_exit_code_non_zero():
    result = runner.invoke(app, ["today", "--date", _day_of("test_paper_without_abstract_is_reported"),
                                 "--db", "s.db", "--out", "out"])
    assert result.exit_code == 1
    assert "unusable:" in result.stderr


def test_unreachable_source_is_exit_3_with_one_line(monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setattr("agent.sources.http.time.sleep", lambda s: None)
    result = runner.invoke(app, ["today", "--date", "2026-06-12", "--db", "s.db"])
    assert result.exit_code == 3
    errors = [l for l in result.stderr.splitlines() if l.startswith("error:")]
    assert len(errors) == 1 and "could not reach" in errors[0] and "Traceback" not in result.output


def test_bad_date_is_exit_2():
    result = runner.invoke(app, ["today", "--date", "12/06/2026", "--db", "s.db"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def _day_of(cassette: str) -> str:
    text = (CASSETTES / "test_huggingface" / f"{cassette}.yaml").read_text()
    return text.split("daily_papers?date=")[1][:10]


def _empty_day() -> str:
    return _day_of("test_empty_day_is_reported")
