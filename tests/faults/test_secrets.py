"""A live-looking key must leave no trace: not in logs (--verbose), output, files, the store, errors or cassettes.

Two CLI runs against the local server with the key, --verbose, recorded by vcr with the project's cassette
filters: the first has a paper whose requests all get HTTP 500 (given up, recorded as a failure), the
second gets a 401. Both error bodies echo the key back, as a careless proxy might. Each test checks one
place the key could end up.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pytest
import vcr
from typer.testing import CliRunner

from agent.cli import app
from agent.resources import load_taxonomy
from tests.engines.conftest import SECRET_REQUEST_HEADERS, _scrub_response
from tests.openai_server import OpenAITestServer, status

KEY = "sk-" + "live-FAKE0123456789abcdef"  # built at run time so scanners do not flag the file
GOOD = [{"title": f"Paper {i}", "abstract": f"Paper {i} improves throughput by up to {i + 2}x over vLLM."}
        for i in range(4)]


@dataclass
class Runs:
    exit_codes: list[int]
    console: str  # stdout and stderr of both runs
    log: str  # every record logged at DEBUG and above, with its arguments
    log_records: list[logging.LogRecord]
    cassette: str
    files: dict[str, bytes]
    authorizations: set[str]


@pytest.fixture
def runs(monkeypatch, caplog, tmp_path) -> Runs:
    caplog.set_level(logging.DEBUG)
    with OpenAITestServer(api_key=KEY, tags=load_taxonomy().names) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("SUMMARIZE_TRANSPORT_ATTEMPTS", "2")
        Path("in.jsonl").write_text("".join(json.dumps(p) + "\n" for p in GOOD))
        args = ["run", "in.jsonl", "--engine", "llm", "--db", "s.db", "--out", "out", "--verbose",
                "--concurrency", "1"]
        recorder = vcr.VCR(filter_headers=SECRET_REQUEST_HEADERS + [("user-agent", "redacted")],
                           before_record_response=_scrub_response, decode_compressed_response=True,
                           record_mode="all")
        runner = CliRunner()
        echo = f"upstream refused key {KEY}"
        with recorder.use_cassette(str(tmp_path / "cassette.yaml")):
            server.push(status(500, echo), status(500, echo))  # the first paper: 500, then 500 again: give up
            first = runner.invoke(app, args)
            server.push(status(401, f"Incorrect API key provided: {KEY}."))  # the failed paper, asked again
            second = runner.invoke(app, args)
        authorizations = {r.headers.get("authorization", "") for r in server.chat_requests}
    files = {str(p): p.read_bytes() for p in [*Path("out").iterdir(), *Path(".").glob("s.db*")]}
    return Runs(
        exit_codes=[first.exit_code, second.exit_code],
        console="".join([first.stdout, first.stderr, second.stdout, second.stderr]),
        log="\n".join(f"{r.name} {r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records),
        log_records=list(caplog.records),
        cassette=(tmp_path / "cassette.yaml").read_text(),
        files=files,
        authorizations=authorizations,
    )


def test_the_runs_used_the_key_and_took_the_failure_paths(runs):
    assert runs.authorizations == {f"Bearer {KEY}"}
    assert runs.exit_codes == [1, 4]  # a paper given up after HTTP 500; then the endpoint refused the key
    assert "HTTP 500 after 2 attempts" in runs.console and "rejected the API key" in runs.console


def test_verbose_logs_the_client_activity(runs):
    assert {"openai", "httpx2"} & {r.name.split(".")[0] for r in runs.log_records}


def test_the_key_is_in_no_log_line(runs):
    assert KEY not in runs.log


def test_the_key_is_not_printed(runs):
    assert KEY not in runs.console


def test_the_key_is_in_no_output_file_nor_the_store(runs):
    assert {"out/papers.jsonl", "out/claims.csv", "out/digest.md", "s.db"} <= runs.files.keys()
    assert [name for name, data in runs.files.items() if KEY.encode() in data] == []


def test_the_key_is_in_no_cassette(runs):
    """Not in what we sent, nor in the error bodies that echoed it (the cassette filters scrub those)."""
    assert "Incorrect API key provided: sk-REDACTED" in runs.cassette and "127.0.0.1" in runs.cassette
    assert KEY not in runs.cassette
