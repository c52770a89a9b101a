"""`summarize run --engine llm` killed with SIGKILL part-way, against the local server; then run again.

Unlike tests/store/test_resume.py (a fake engine inside the Pipeline), this is the real CLI in a child
process with the LLM engine over HTTP, so "not requested again" is counted where it matters: at the server.
One kill is shared by the tests below; each checks one property of the outcome.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.resources import load_taxonomy
from benchmarks.corpus import write_jsonl
from tests.conftest import DUMMY_KEY, REPO
from tests.openai_server import OpenAITestServer

N = 120
KILL_AFTER = 30  # saved papers


@dataclass
class Outcome:
    exit_signal: int
    saved_at_kill: dict[str, str]  # id -> title
    first_run_titles: list[str]
    rerun_titles: list[str]
    rerun_exit: int
    rerun_report: dict
    summaries: int
    papers: int
    duplicates: list[tuple]
    jsonl_ids: list[str]


def _title(body_user: str) -> str:
    m = re.search(r"<title>\s*(.*?)\s*</title>", body_user, re.S)
    return m.group(1) if m else ""


def _saved(db: Path) -> dict[str, str]:
    try:
        with sqlite3.connect(db, timeout=1) as con:
            return dict(con.execute("SELECT p.id, p.title FROM summaries s JOIN papers p ON p.id = s.paper_id"))
    except sqlite3.OperationalError:  # not created yet
        return {}


@pytest.fixture(scope="module")
def outcome(tmp_path_factory) -> Outcome:
    tmp = tmp_path_factory.mktemp("kill_llm")
    data, db = write_jsonl(tmp / "papers.jsonl", N), tmp / "s.db"
    args = ["run", str(data), "--engine", "llm", "--db", str(db), "--out", str(tmp / "out"), "--concurrency", "4",
            "--json"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_"))}
    env.update(OPENAI_BASE_URL="", OPENAI_API_KEY=DUMMY_KEY, SUMMARIZE_TIMEOUT="5")
    with OpenAITestServer(api_key=DUMMY_KEY, tags=load_taxonomy().names, latency=0.05) as server:
        env["OPENAI_BASE_URL"] = server.base_url
        proc = subprocess.Popen([sys.executable, "-m", "agent", *args], cwd=REPO, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while proc.poll() is None and len(_saved(db)) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        saved = _saved(db)
        first = [_title(r.first("user")) for r in server.chat_requests]  # the dead process sends no more
        rerun = CliRunner().invoke(app, args, env=env)
        rerun_titles = [_title(r.first("user")) for r in server.chat_requests[len(first):]]
    with sqlite3.connect(db) as con:
        duplicates = con.execute(
            "SELECT paper_id, COUNT(*) FROM summaries GROUP BY paper_id HAVING COUNT(*) > 1").fetchall()
        summaries = con.execute("SELECT COUNT(*) FROM summaries").fetchone()[0]
        papers = con.execute("SELECT COUNT(*) FROM papers").fetchone()[0]
    jsonl = (tmp / "out" / "papers.jsonl").read_text().splitlines()
    return Outcome(exit_signal=-proc.returncode, saved_at_kill=saved, first_run_titles=first,
                   rerun_titles=rerun_titles, rerun_exit=rerun.exit_code, rerun_report=json.loads(rerun.stdout),
                   summaries=summaries, papers=papers, duplicates=[tuple(d) for d in duplicates],
                   jsonl_ids=[json.loads(line)["id"] for line in jsonl])


def test_the_run_was_killed_part_way(outcome):
    assert outcome.exit_signal == signal.SIGKILL
    assert KILL_AFTER <= len(outcome.saved_at_kill) < N


def test_the_rerun_completes_every_paper(outcome):
    assert outcome.rerun_exit == 0
    assert (outcome.papers, outcome.summaries) == (N, N)
    assert len(set(outcome.jsonl_ids)) == len(outcome.jsonl_ids) == N


def test_the_rerun_adds_no_duplicate_rows(outcome):
    assert outcome.duplicates == []


def test_papers_saved_before_the_kill_are_not_requested_again(outcome):
    assert set(outcome.rerun_titles).isdisjoint(outcome.saved_at_kill.values())
    assert outcome.rerun_report["cached"] == len(outcome.saved_at_kill)


def test_the_rerun_requests_each_unsaved_paper_once(outcome):
    assert len(outcome.rerun_titles) == len(set(outcome.rerun_titles)) == N - len(outcome.saved_at_kill)
