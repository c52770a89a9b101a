"""prepare -> submit -> status -> collect through the CLI against the local Files/Batches server (real HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.store import Store
from agent.cli import app
from tests.batch.helpers import PAPERS, cli, runner
from tests.openai_server import edit_answer, status


@pytest.fixture
def submitted(endpoint, papers_file) -> list[dict]:
    assert cli("prepare", str(papers_file), "--out", "requests.jsonl", "--db", "s.db",
               "--max-requests-per-file", "3").exit_code == 0
    result = cli("submit", "requests-001.jsonl", "requests-002.jsonl", "--db", "s.db", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["submitted"]


def test_submit_uploads_each_file_for_batch_and_creates_a_24h_chat_batch(submitted, endpoint):
    assert [s["requests"] for s in submitted] == [3, 2]
    uploads = [f for f in endpoint.files.values() if f.purpose == "batch"]
    assert sorted(f.filename for f in uploads) == ["requests-001.jsonl", "requests-002.jsonl"]
    batches = list(endpoint.batches.values())
    assert {(b.endpoint, b.completion_window) for b in batches} == {("/v1/chat/completions", "24h")}
    assert {b.input_file_id for b in batches} == {f.id for f in uploads}


def test_status_prints_each_batch_with_its_counts_and_records_them(submitted):
    result = cli("status", "--db", "s.db")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(" in_progress " in l for l in lines)
    assert lines[0].startswith(submitted[0]["batch_id"]) and "0/3 completed" in lines[0]
    assert json.loads(cli("status", "--db", "s.db", "--json").stdout)["batches"][0]["status"] == "completed"


def test_collect_stores_every_answer_with_the_same_schema_as_run(submitted, endpoint):
    cli("status", "--db", "s.db")
    result = cli("collect", "--db", "s.db", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["stored"] == 5 and report["failed"] == 0 and report["claims"] == 5
    with Store("s.db") as store:
        records = list(store.records())
    assert {r.id for r in records} == {p["id"] for p in PAPERS}
    assert all(r.provenance.engine == "llm" and r.provenance.model == "gpt-4o-mini" for r in records)
    assert all(c.grounded for r in records for c in r.summary.claims)
    sent = endpoint.batch_requests[0].body
    assert sent["response_format"]["json_schema"]["strict"] is True


def test_collect_before_a_batch_is_done_says_so_and_collects_later(submitted):
    early = cli("collect", "--db", "s.db", "--json")  # each read moves a batch one step: in_progress now
    assert json.loads(early.stdout)["stored"] == 0 and "collect again later" in early.stdout
    later = json.loads(cli("collect", "--db", "s.db", "--json").stdout)
    assert later["stored"] == 5


def test_collecting_a_batch_again_stores_nothing_twice(submitted):
    cli("status", "--db", "s.db")
    cli("collect", "--db", "s.db")
    again = json.loads(cli("collect", submitted[0]["batch_id"], "--db", "s.db", "--json").stdout)
    with Store("s.db") as store:
        assert store.count("summaries") == 5
    assert again["already_stored"] == 3 and again["stored"] == 0
    nothing = cli("collect", "--db", "s.db")
    assert "nothing to collect" in nothing.stderr


def test_failed_requests_come_back_from_the_error_file_and_are_prepared_again(endpoint, papers_file):
    cli("prepare", str(papers_file), "--out", "requests.jsonl", "--db", "s.db")
    endpoint.push(status(500, "The server had an error"),
                  edit_answer(lambda a: a | {"tldr": "word " * 60}),
                  edit_answer(lambda a: {"problem": "no other fields"}))
    cli("submit", "requests-001.jsonl", "--db", "s.db")
    cli("status", "--db", "s.db")
    report = json.loads(cli("collect", "--db", "s.db", "--json").stdout)
    assert report["failed_by"] == {"http_error": 1, "invalid": 1}
    assert report["stored"] == 3 and report["lenient"] == 1
    again = json.loads(cli("prepare", str(papers_file), "--out", "again.jsonl", "--db", "s.db", "--json").stdout)
    assert again["prepared"] == 2


def test_an_expired_batch_collects_what_was_done_and_fails_the_rest(endpoint, papers_file):
    endpoint.expire_after = 2
    cli("prepare", str(papers_file), "--out", "requests.jsonl", "--db", "s.db")
    cli("submit", "requests-001.jsonl", "--db", "s.db")
    cli("status", "--db", "s.db")
    report = json.loads(cli("collect", "--db", "s.db", "--json").stdout)
    assert report["stored"] == 2 and report["failed_by"] == {"error": 3}
    assert all("batch_expired" in f["reason"] for f in report["failures"])


def test_papers_in_a_running_batch_are_not_prepared_or_submitted_again(submitted, papers_file):
    report = json.loads(cli("prepare", str(papers_file), "--out", "more.jsonl", "--db", "s.db", "--json").stdout)
    assert report["pending"] == 5 and report["prepared"] == 0
    resubmit = cli("submit", "requests-001.jsonl", "--db", "s.db")
    assert resubmit.exit_code == 2 and "already in running batch" in resubmit.stderr


def test_a_wrong_key_stops_submit_with_one_line_that_does_not_echo_it(endpoint, papers_file, monkeypatch):
    cli("prepare", str(papers_file), "--out", "requests.jsonl", "--db", "s.db")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-" + "wrong-key-but-looks-real-123456")
    result = cli("submit", "requests-001.jsonl", "--db", "s.db")
    assert result.exit_code == 4 and "OPENAI_API_KEY" in result.stderr
    assert "sk-wrong" not in result.output and "Traceback" not in result.output


def test_submit_without_a_key_names_the_variable(papers_file, monkeypatch):
    cli("prepare", str(papers_file), "--out", "requests.jsonl", "--db", "s.db")
    result = cli("submit", "requests-001.jsonl", "--db", "s.db")
    assert result.exit_code == 4 and "OPENAI_API_KEY is not set" in result.stderr


def test_submit_refuses_lines_this_store_did_not_prepare(endpoint, papers_file):
    cli("prepare", str(papers_file), "--out", "requests.jsonl", "--db", "s.db")
    Path("alien.jsonl").write_text(json.dumps({"custom_id": "2599.1", "method": "POST", "url": "/v1/chat/completions",
                                               "body": {"model": "gpt-4o-mini"}}) + "\n")
    refused = cli("submit", "alien.jsonl", "--db", "s.db")
    assert refused.exit_code == 2 and "not prepared in this store" in refused.stderr
    assert endpoint.files == {} and endpoint.batches == {}


def test_a_run_after_a_collected_backfill_sends_no_request(submitted, endpoint):
    """Batch answers (json_schema mode) serve `summarize run` in its default tools mode: the mode is not in
    the cache key, so the backfill is not paid for twice."""
    cli("status", "--db", "s.db")
    assert json.loads(cli("collect", "--db", "s.db", "--json").stdout)["stored"] == 5
    chats_before = sum(r.path.endswith("/chat/completions") for r in endpoint.requests)

    result = runner.invoke(app, ["run", "papers.jsonl", "--engine", "llm", "--db", "s.db", "--out", "out", "--json"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["cached"] == 5
    assert sum(r.path.endswith("/chat/completions") for r in endpoint.requests) == chats_before


def test_a_batch_sent_under_an_older_prompt_is_collected_under_that_prompt(endpoint, papers_file, monkeypatch):
    """Prepared and submitted with extract.v1, collected after the default moved on: stored as v1's answers."""
    monkeypatch.setenv("SUMMARIZE_PROMPT", "extract.v1")
    assert cli("prepare", str(papers_file), "--out", "requests.jsonl", "--db", "s.db").exit_code == 0
    assert cli("submit", "requests-001.jsonl", "--db", "s.db").exit_code == 0
    monkeypatch.delenv("SUMMARIZE_PROMPT")
    cli("status", "--db", "s.db")

    report = json.loads(cli("collect", "--db", "s.db", "--json").stdout)

    assert report["stored"] == 5 and report["failed"] == 0
    with Store("s.db") as store:
        assert {r.provenance.prompt_version for r in store.records()} == {"extract.v1"}


def test_papers_in_a_running_batch_of_an_older_prompt_are_not_prepared_again(endpoint, papers_file, monkeypatch):
    monkeypatch.setenv("SUMMARIZE_PROMPT", "extract.v1")
    cli("prepare", str(papers_file), "--out", "requests.jsonl", "--db", "s.db")
    cli("submit", "requests-001.jsonl", "--db", "s.db")
    monkeypatch.delenv("SUMMARIZE_PROMPT")

    report = json.loads(cli("prepare", str(papers_file), "--out", "v2.jsonl", "--db", "s.db", "--json").stdout)

    assert report["pending"] == 5 and report["prepared"] == 0
