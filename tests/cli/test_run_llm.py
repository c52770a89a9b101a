"""`summarize run --engine llm` end to end against the local OpenAI-compatible test server (real HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.models import Record
from agent.store import Store
from tests.conftest import DUMMY_KEY
from tests.openai_server import status

runner = CliRunner()


@pytest.fixture
def endpoint(server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", DUMMY_KEY)
    monkeypatch.setenv("SUMMARIZE_TIMEOUT", "5")
    monkeypatch.setenv("SUMMARIZE_PROMPT", "extract.v2")  # the model's own claims (the hybrid task: below)
    return server


def run_llm(data_dir: Path, *extra: str):
    return runner.invoke(app, ["run", str(data_dir / "hf_page_sample.txt"), "--db", "s.db", "--out", "out",
                               "--json", *extra])


def test_llm_run_writes_the_same_three_files_with_the_same_schema(endpoint, data_dir):
    result = run_llm(data_dir)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["engine"] == "llm" and report["summarised"] == 54
    records = [Record.model_validate_json(l) for l in Path("out/papers.jsonl").read_text().splitlines()]
    assert len(records) == 54 and {r.provenance.engine for r in records} == {"llm"}
    assert all(r.provenance.prompt_version == "extract.v2" and r.provenance.usage.requests >= 1 for r in records)
    assert Path("out/claims.csv").exists() and Path("out/digest.md").exists()


def test_auto_picks_llm_when_an_endpoint_is_configured(endpoint, data_dir):
    result = runner.invoke(app, ["run", str(data_dir / "hf_page_sample.txt"), "--db", "s.db", "--out", "out"])
    assert "engine: llm, model gpt-4o-mini at 127.0.0.1" in result.stderr


def test_rerun_makes_zero_requests(endpoint, data_dir):
    run_llm(data_dir)
    before = len(endpoint.chat_requests)
    report = json.loads(run_llm(data_dir).stdout)
    assert len(endpoint.chat_requests) == before and report["cached"] == 54 and report["requests"] == 0


def test_refresh_asks_again_and_replaces_the_stored_answers(endpoint, data_dir):
    run_llm(data_dir)
    before = len(endpoint.chat_requests)
    report = json.loads(run_llm(data_dir, "--refresh").stdout)
    assert report["cached"] == 0 and report["summarised"] == 54
    assert len(endpoint.chat_requests) == before + 54
    with Store("s.db") as store:
        assert store.count("summaries") == 54  # replaced, not added


def test_max_requests_skips_the_rest_and_exits_1(endpoint, data_dir):
    result = run_llm(data_dir, "--max-requests", "10", "--concurrency", "1")
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert len(endpoint.chat_requests) <= 10 and report["skipped"] == 54 - report["summarised"]


def test_wrong_key_stops_the_run_with_one_line(endpoint, data_dir, monkeypatch):
    endpoint.push(*[status(401, "Incorrect API key provided")] * 3)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-" + "wrong-key-but-looks-real-123456")
    result = run_llm(data_dir, "--concurrency", "1")
    assert result.exit_code == 4
    assert "sk-wrong-key" not in result.output
    errors = [l for l in result.stderr.splitlines() if l.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in result.output


def test_summary_line_reports_requests_tokens_and_cost(endpoint, data_dir):
    result = runner.invoke(app, ["run", str(data_dir / "hf_page_sample.txt"), "--db", "s.db", "--out", "out"])
    line = [l for l in result.stderr.splitlines() if l.startswith("requests ")][0]
    assert "cache hits 0" in line and "tokens in" in line and "estimated cost $" in line


def test_concurrency_comes_from_the_environment_when_no_flag_is_given(endpoint, monkeypatch):
    from agent.cli import EngineChoice, choose_engine

    monkeypatch.setenv("SUMMARIZE_CONCURRENCY", "3")
    engine, _ = choose_engine(EngineChoice.llm, None, None)
    assert engine.settings.concurrency == 3


def test_json_report_on_a_stopping_error(endpoint, data_dir, monkeypatch):
    endpoint.push(*[status(401, "Incorrect API key provided")] * 3)
    result = run_llm(data_dir, "--concurrency", "1")
    assert json.loads(result.stdout)["exit_code"] == 4


def test_a_server_on_this_machine_gets_the_hybrid_task_by_default(endpoint, data_dir, monkeypatch):
    monkeypatch.delenv("SUMMARIZE_PROMPT")
    result = run_llm(data_dir)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["summarised"] == 54 and report["requests"] == 54
    prompts = {json.loads(line)["provenance"]["prompt_version"] for line in open("out/papers.jsonl")}
    assert prompts == {"label.v1"}
