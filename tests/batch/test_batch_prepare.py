"""`batch prepare`: the live engine's messages, the strict schema, file splitting, and what is left out."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from agent.batch.requests import SplitWriter, batch_engine, request_line
from agent.engines.llm import LLMEngine
from agent.engines.llm_config import LLMSettings
from agent.errors import InputError
from agent.models import Paper, Provenance, Summary
from agent.store import Store
from tests.batch.helpers import PAPERS, cli, request_lines
from tests.conftest import DUMMY_KEY


def test_split_writer_starts_a_new_file_at_the_request_limit(tmp_path):
    writer = SplitWriter(tmp_path / "requests.jsonl", max_requests=2)
    for i in range(5):
        writer.write(json.dumps({"n": i}))
    files = writer.close()
    assert [(p.name, n) for p, n in files] == [
        ("requests-001.jsonl", 2), ("requests-002.jsonl", 2), ("requests-003.jsonl", 1)]
    assert [json.loads(l)["n"] for p, _ in files for l in p.read_text().splitlines()] == [0, 1, 2, 3, 4]


def test_split_writer_starts_a_new_file_before_the_byte_limit(tmp_path):
    line = json.dumps({"pad": "x" * 40})  # 52 bytes with its newline
    writer = SplitWriter(tmp_path / "r.jsonl", max_bytes=120)
    for _ in range(5):
        writer.write(line)
    files = writer.close()
    assert [n for _, n in files] == [2, 2, 1]
    assert all(p.stat().st_size <= 120 for p, _ in files)


def test_a_line_over_the_byte_limit_is_an_input_error(tmp_path):
    writer = SplitWriter(tmp_path / "r.jsonl", max_bytes=10)
    with pytest.raises(InputError, match="over the 10-byte file limit"):
        writer.write("x" * 20)


def test_request_line_is_a_chat_completion_with_the_strict_schema():
    engine = batch_engine(LLMSettings(model="gpt-4o-mini"))
    paper = Paper(id="2501.00001", source="file", **{k: PAPERS[0][k] for k in ("title", "abstract")})
    line = request_line(engine, paper)
    assert line["custom_id"] == "2501.00001" and line["method"] == "POST" and line["url"] == "/v1/chat/completions"
    body = line["body"]
    assert body["model"] == "gpt-4o-mini" and body["temperature"] == 0.0 and body["max_tokens"] == 1500
    assert body["response_format"]["json_schema"]["strict"] is True
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert PAPERS[0]["abstract"] in body["messages"][1]["content"]


def test_messages_are_exactly_what_the_live_engine_sends(server):
    """The live engine (json_schema mode) against the local server, then the batch line for the same paper."""
    settings = LLMSettings(api_key=DUMMY_KEY, base_url=server.base_url, timeout=5.0, mode="json_schema")
    engine = batch_engine(settings)
    paper = Paper(id="2501.00001", source="file", **{k: PAPERS[0][k] for k in ("title", "abstract")})

    async def live() -> None:
        await engine.summarize(paper)
        await engine.aclose()

    asyncio.run(live())
    sent = server.chat_requests[0].body
    line = request_line(engine, paper)["body"]
    assert line["messages"] == sent["messages"]
    assert line["response_format"]["json_schema"]["name"] == sent["response_format"]["json_schema"]["name"]


def test_prepare_writes_one_line_per_paper_and_splits_at_the_given_limit(papers_file):
    result = cli("prepare", str(papers_file), "--out", "req/requests.jsonl", "--db", "s.db",
                 "--max-requests-per-file", "2", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["prepared"] == 5 and [f["requests"] for f in report["files"]] == [2, 2, 1]
    ids = [l["custom_id"] for f in sorted(Path("req").glob("requests-*.jsonl")) for l in request_lines(f)]
    assert ids == [p["id"] for p in PAPERS]


def test_papers_already_in_the_store_are_not_prepared_again(papers_file):
    cli("prepare", str(papers_file), "--out", "r.jsonl", "--db", "s.db")
    engine = batch_engine(LLMSettings())
    with Store("s.db") as store:
        paper = store.get_paper(PAPERS[0]["id"])
        store.save_result(paper, Summary(tldr="x"), Provenance(engine="llm", model="gpt-4o-mini"), engine.cache_key(paper))
    report = json.loads(cli("prepare", str(papers_file), "--out", "r.jsonl", "--db", "s.db", "--json").stdout)
    assert report["cached"] == 1 and report["prepared"] == 4
    assert PAPERS[0]["id"] not in {l["custom_id"] for l in request_lines(Path("r-001.jsonl"))}


def test_a_second_prepare_removes_numbered_files_it_did_not_rewrite(papers_file):
    cli("prepare", str(papers_file), "--out", "r.jsonl", "--db", "s.db", "--max-requests-per-file", "2")
    assert Path("r-003.jsonl").exists()
    report = json.loads(cli("prepare", str(papers_file), "--out", "r.jsonl", "--db", "s.db", "--json").stdout)
    assert report["removed"] == ["r-002.jsonl", "r-003.jsonl"]
    assert not Path("r-002.jsonl").exists() and len(request_lines(Path("r-001.jsonl"))) == 5


def test_an_empty_input_exits_2(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    result = cli("prepare", str(empty), "--out", "r.jsonl", "--db", "s.db")
    assert result.exit_code == 2


def test_papers_summarize_run_already_answered_in_tools_mode_are_not_prepared(papers_file):
    """The batch requests are json_schema; an answer `run` got in its default tools mode counts all the same."""
    live = LLMEngine(LLMSettings(mode="tools"))
    paper = Paper(id=PAPERS[1]["id"], source="file", **{k: PAPERS[1][k] for k in ("title", "abstract")})
    with Store("s.db") as store:
        store.save_result(paper, Summary(tldr="x"), Provenance(engine="llm", model="gpt-4o-mini"), live.cache_key(paper))
    report = json.loads(cli("prepare", str(papers_file), "--out", "r.jsonl", "--db", "s.db", "--json").stdout)
    assert report["cached"] == 1 and report["prepared"] == 4
