"""A run killed with SIGKILL part-way leaves a consistent store, and the rerun finishes only the rest.

One real kill (in a child process) is shared by the tests below; each checks one property of the outcome.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from agent.pipeline import Pipeline, RunStats
from agent.store import Store
from tests.slow_engine import SlowEngine, calls, papers

REPO = Path(__file__).resolve().parents[2]
N = 200
KILL_AFTER = 40  # saved papers

RUN = """
import sys
from agent.pipeline import Pipeline
from agent.store import Store
from tests.slow_engine import SlowEngine, papers
with Store(sys.argv[1]) as store:
    Pipeline(engine=SlowEngine(sys.argv[2]), store=store, concurrency=4).run(papers(200))
"""


@dataclass
class Outcome:
    exit_signal: int
    saved_at_kill: set[str]
    papers_at_kill: int
    integrity: str
    rerun: RunStats
    rerun_calls: list[str]
    papers: int
    summaries: int
    duplicate_rows: list[tuple]


def _saved(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as con:
            return con.execute("SELECT COUNT(*) FROM summaries").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def _kill_when_saved(proc: subprocess.Popen, db: Path, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists() and _saved(db) >= count:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return
        time.sleep(0.01)
    proc.kill()
    raise AssertionError(f"the run did not reach {count} saved papers (exit {proc.poll()})")


@pytest.fixture(scope="module")
def outcome(tmp_path_factory) -> Outcome:
    tmp = tmp_path_factory.mktemp("resume")
    db = tmp / "store.db"
    proc = subprocess.Popen([sys.executable, "-c", RUN, str(db), str(tmp / "calls1.txt")], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _kill_when_saved(proc, db, KILL_AFTER)
    with Store(db) as store:
        integrity = store.db.execute("PRAGMA integrity_check").fetchone()[0]
        saved = {r[0] for r in store.db.execute("SELECT paper_id FROM summaries")}
        papers_at_kill = store.count("papers")
        stats = Pipeline(engine=SlowEngine(tmp / "calls2.txt", delay=0), store=store, concurrency=4).run(papers(N))
        duplicates = store.db.execute(
            "SELECT paper_id, COUNT(*) FROM summaries GROUP BY paper_id HAVING COUNT(*) > 1").fetchall()
        return Outcome(
            exit_signal=-proc.returncode, saved_at_kill=saved, papers_at_kill=papers_at_kill, integrity=integrity,
            rerun=stats, rerun_calls=calls(tmp / "calls2.txt"), papers=store.count("papers"),
            summaries=store.count("summaries"), duplicate_rows=[tuple(d) for d in duplicates],
        )


def test_the_run_was_killed_part_way(outcome):
    assert outcome.exit_signal == signal.SIGKILL and KILL_AFTER <= len(outcome.saved_at_kill) < N


def test_the_store_survives_the_kill_intact(outcome):
    assert outcome.integrity == "ok"


def test_every_saved_paper_has_its_summary(outcome):
    assert outcome.papers_at_kill == len(outcome.saved_at_kill)  # paper and summary commit together


def test_the_rerun_completes_every_paper(outcome):
    assert (outcome.papers, outcome.summaries) == (N, N)


def test_the_rerun_adds_no_duplicate_rows(outcome):
    assert outcome.duplicate_rows == []


def test_the_rerun_does_not_summarise_saved_papers_again(outcome):
    assert set(outcome.rerun_calls).isdisjoint(outcome.saved_at_kill)
    assert len(outcome.rerun_calls) == N - len(outcome.saved_at_kill)


def test_the_rerun_takes_saved_papers_from_the_cache(outcome):
    assert (outcome.rerun.cached, outcome.rerun.summarised) == (len(outcome.saved_at_kill), N - len(outcome.saved_at_kill))
