"""SIGTERM (what `kill`, systemd, docker stop and CI send) treated as Ctrl-C is: the real CLI in a child
process stops with one line and exit 143, its run row closed as `interrupted`, its finished papers saved,
and the same command resumes. Once mid-run (the llm engine against the local server), once while a source
is still answering (a drip from tests/faults/hostile_http.py, which no read timeout would end).
One termination per fixture is shared by the tests below; each checks one property of the outcome.
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
from tests.faults.hostile_http import HostileServer, drip_body
from tests.openai_server import OpenAITestServer

N = 80
TERM_AFTER = 20  # saved papers
MESSAGE = "terminated (SIGTERM): finished papers are saved; run the same command again to resume"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_", "HF_"))}
    env.update(extra)
    return env


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as con:
            return con.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def _stop(proc: subprocess.Popen) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    try:
        _, stderr = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:  # it ignored SIGTERM: end it, and let the tests fail on the code
        proc.kill()
        _, stderr = proc.communicate()
    return proc.returncode, stderr.decode()


@dataclass
class Outcome:
    code: int
    stderr: str
    runs: list[tuple]
    saved: int
    counted: int  # what the run row says it summarised
    rerun: dict


@pytest.fixture(scope="module")
def mid_run(tmp_path_factory) -> Outcome:
    tmp = tmp_path_factory.mktemp("sigterm")
    data, db = write_jsonl(tmp / "papers.jsonl", N), tmp / "s.db"
    args = ["run", str(data), "--engine", "llm", "--db", str(db), "--out", str(tmp / "out"), "--concurrency", "4"]
    with OpenAITestServer(api_key=DUMMY_KEY, tags=load_taxonomy().names, latency=0.05) as server:
        env = _env(OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY=DUMMY_KEY, SUMMARIZE_TIMEOUT="5")
        proc = subprocess.Popen([sys.executable, "-m", "agent", *args], cwd=REPO, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while proc.poll() is None and _count(db, "SELECT COUNT(*) FROM summaries") < TERM_AFTER \
                and time.monotonic() < deadline:
            time.sleep(0.01)
        code, stderr = _stop(proc)
        with sqlite3.connect(db) as con:
            runs = con.execute("SELECT status, finished_at IS NOT NULL, counts FROM runs").fetchall()
            saved = con.execute("SELECT COUNT(*) FROM summaries").fetchone()[0]
        rerun = CliRunner().invoke(app, [*args, "--json"], env=env)
    counted = json.loads(runs[0][2])["summarised"] if runs else -1
    return Outcome(code, stderr, [r[:2] for r in runs], saved, counted, json.loads(rerun.stdout))


def test_sigterm_mid_run_exits_143_with_one_line(mid_run):
    assert mid_run.code == 143, mid_run.stderr
    last = mid_run.stderr.splitlines()[-1]
    assert re.fullmatch(rf"terminated \(SIGTERM\): {mid_run.saved} papers summarised and saved in \S+s\.db; "
                        "run the same command again to resume", last), last
    assert "Traceback" not in mid_run.stderr


def test_sigterm_mid_run_closes_the_run_row(mid_run):
    assert mid_run.runs == [("interrupted", 1)]


def test_sigterm_mid_run_keeps_every_finished_paper(mid_run):
    assert TERM_AFTER <= mid_run.saved < N
    assert mid_run.counted == mid_run.saved  # the row counts what the store holds


def test_after_sigterm_the_same_command_resumes(mid_run):
    assert mid_run.rerun["exit_code"] == 0
    assert (mid_run.rerun["cached"], mid_run.rerun["summarised"]) == (mid_run.saved, N - mid_run.saved)


def test_sigterm_while_a_source_drips_exits_143_at_once(tmp_path):
    """The drip would take 100 s; SIGTERM ends the blocked read now."""
    with HostileServer() as server:
        server.on("/api/daily_papers", drip_body(interval=1.0, drips=100))
        env = _env(HF_ENDPOINT=server.base_url)
        proc = subprocess.Popen([sys.executable, "-m", "agent", "today", "--date", "2026-06-12", "--engine", "rules",
                                 "--db", str(tmp_path / "s.db")], cwd=REPO, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while not server.requests and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        code, stderr = _stop(proc)
    assert code == 143, stderr
    assert stderr.splitlines() == [MESSAGE]
