"""A store SQLite cannot use: read-only, damaged, or on a full disk. Each is one line naming the store and
the problem, exit 2 (README), no traceback; what was saved before stays saved and a rerun resumes.

The faults are SQLite's own: a read-only connection (`mode=ro`, as SQLite opens a file it may not write;
the tests run as root, for whom a chmod changes nothing), bytes overwritten in the file, and a
`max_page_count` that makes SQLite answer SQLITE_FULL exactly as on a full disk.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

import agent.store
from agent.cli import app
from agent.store import Store

runner = CliRunner()
N = 60
DAMAGED = "the store is damaged ("
DAMAGED_ADVICE = "; move it aside (restore a backup if you have one) and run again to start a new store"


def papers_file(n: int = N, name: str = "papers.jsonl") -> Path:
    text = " ".join(f"Sentence {j} about serving large models on many GPUs." for j in range(30))
    rows = [{"title": f"Paper number {i}", "abstract": f"{text} Paper {i} improves throughput by up to {i + 2}x over vLLM."}
            for i in range(n)]
    Path(name).write_text("".join(json.dumps(r) + "\n" for r in rows))
    return Path(name)


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def run(db: str = "s.db", *extra: str):
    return invoke("run", "papers.jsonl", "--engine", "rules", "--db", db, "--out", "out", *extra)


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def table(db: str, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def filled() -> Path:
    papers_file()
    assert run().exit_code == 0
    return Path("s.db")


# -- read-only -------------------------------------------------------------------------------------------


@pytest.fixture
def read_only(monkeypatch):
    """Every store opened read-only, by SQLite itself."""
    real = sqlite3.connect

    def connect(path, *args, **kwargs):
        return real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(agent.store.sqlite3, "connect", connect)


def test_a_run_into_a_read_only_store_is_one_line_exit_2(filled, read_only):
    papers_file(name="more.jsonl")
    result = invoke("run", "more.jsonl", "--engine", "rules", "--db", "s.db", "--out", "out")
    assert result.exit_code == 2
    assert errors(result) == ["error: s.db: the store is read-only (attempt to write a readonly database); make it "
                              "writable, or pass --db PATH to use another store"]


def test_a_read_only_store_can_still_be_exported_and_shown(filled, read_only):
    assert len(invoke("export", "--format", "tldr", "--db", "s.db").stdout.splitlines()) == N
    assert invoke("stats", "--db", "s.db").exit_code == 0
    assert invoke("show", "Paper number 7", "--db", "s.db").exit_code == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes a file whatever its mode")
def test_a_store_file_without_write_permission_is_one_line_exit_2(filled):
    filled.chmod(0o444)
    result = run()
    assert result.exit_code == 2
    assert errors(result)[0].startswith("error: s.db: the store is read-only (")


# -- damaged ---------------------------------------------------------------------------------------------


def damage(path: Path, start: int, length: int) -> None:
    data = bytearray(path.read_bytes())
    data[start:start + length] = b"\x5a" * length
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("command", [["run", "papers.jsonl", "--engine", "rules", "--out", "out"],
                                     ["export", "--format", "csv"], ["stats"], ["show", "Paper number 3"]])
def test_a_store_whose_header_is_overwritten_is_one_line_exit_2(filled, command):
    damage(filled, 0, 100)
    result = invoke(*command, "--db", "s.db")
    assert result.exit_code == 2
    assert errors(result) == [f"error: s.db: {DAMAGED}file is not a database){DAMAGED_ADVICE}"]


@pytest.mark.parametrize("command", [["run", "papers.jsonl", "--engine", "rules", "--out", "out"],
                                     ["export", "--format", "csv"], ["stats"]])
def test_a_store_with_overwritten_pages_is_one_line_exit_2(filled, command):
    page = table("s.db", "PRAGMA page_size")[0][0]
    damage(filled, 4 * page, 8 * page)
    result = invoke(*command, "--db", "s.db")
    assert result.exit_code == 2
    assert errors(result) == [f"error: s.db: {DAMAGED}database disk image is malformed){DAMAGED_ADVICE}"]


def test_a_row_whose_json_was_altered_is_named_in_one_line(filled):
    with sqlite3.connect("s.db") as con:
        (pid,) = con.execute("SELECT paper_id FROM summaries ORDER BY paper_id LIMIT 1").fetchone()
        con.execute("UPDATE summaries SET summary = '{\"claims\": [' WHERE paper_id = ?", (pid,))
    result = invoke("export", "--format", "jsonl", "--db", "s.db")
    assert result.exit_code == 2
    assert errors(result) == [
        f"error: s.db: {DAMAGED}the row of paper '{pid}' does not read back: 1 validation error for Summary)"
        f"{DAMAGED_ADVICE}"]


# -- full disk -------------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(monkeypatch):
    """Every store may grow by 40 pages (160 KB) from its size when opened: then SQLite answers SQLITE_FULL."""
    real_init = Store.__init__

    def init(self, path):
        real_init(self, path)
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        self.db.execute(f"PRAGMA max_page_count = {pages + 40}")

    monkeypatch.setattr(Store, "__init__", init)
    return lambda: monkeypatch.setattr(Store, "__init__", real_init)  # space freed


@pytest.fixture
def full(small_disk):
    papers_file(n=400)
    result = run()
    saved = table("s.db", "SELECT COUNT(*) FROM summaries")[0][0]
    return result, saved, small_disk


def test_a_full_disk_is_one_line_exit_2(full):
    result, _, _ = full
    assert result.exit_code == 2
    assert errors(result) == ["error: s.db: the disk is full (database or disk is full); papers finished before this "
                              "are saved: free some space and run the same command again to resume"]


def test_a_full_disk_keeps_the_papers_saved_before_it(full):
    _, saved, _ = full
    assert 0 < saved < 400
    assert table("s.db", "SELECT COUNT(*) FROM papers s WHERE NOT EXISTS "
                         "(SELECT 1 FROM summaries WHERE paper_id = s.id)")[0][0] == 0  # no half-saved paper


def test_a_full_disk_closes_the_run_row(full):
    assert table("s.db", "SELECT status FROM runs") == [("failed",)]


def test_after_a_full_disk_the_same_command_resumes(full):
    _, saved, free_space = full
    free_space()
    result = run("s.db", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["cached"], report["summarised"]) == (saved, 400 - saved)
