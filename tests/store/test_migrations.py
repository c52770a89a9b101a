"""Store schema versioning: a store written by release 0.1.0 opens and upgrades, nothing lost."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from agent import store as store_module
from agent.errors import InputError
from agent.store import MIGRATIONS, Store

V010 = Path(__file__).parent.parent / "data" / "store_v0.1.0.db"


def _copy_v010(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    shutil.copy(V010, path)
    return path


def _rows(path: Path, table: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()


def test_the_010_fixture_has_no_schema_number(tmp_path):
    # the fixture is what release 0.1.0 wrote: no user_version, 54 summarised papers
    with sqlite3.connect(V010) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM summaries").fetchone()[0] == 54


def test_a_010_store_upgrades_to_the_current_schema_and_keeps_every_row(tmp_path):
    path = _copy_v010(tmp_path)
    before = {t: _rows(path, t) for t in ("papers", "summaries", "runs")}
    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        records = list(store.records())
    assert len(records) == 54
    for table, rows in before.items():
        after = _rows(path, table)
        assert [r[: len(rows[0])] for r in after] == rows, table


def test_a_new_migration_adds_a_column_without_losing_data(tmp_path, monkeypatch):
    path = _copy_v010(tmp_path)
    Store(path).close()
    papers_before = _rows(path, "papers")

    def add_note(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE papers ADD COLUMN note TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, add_note])
    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
        columns = [r[1] for r in store.db.execute("PRAGMA table_info(papers)")]
        assert columns[-1] == "note"
        assert len(list(store.records())) == 54
    assert [r[:-1] for r in _rows(path, "papers")] == papers_before


def test_a_failing_migration_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    path = _copy_v010(tmp_path)
    Store(path).close()

    def broken(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE papers ADD COLUMN half TEXT")
        raise sqlite3.OperationalError("boom")

    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(InputError):
        Store(path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert "half" not in [r[1] for r in db.execute("PRAGMA table_info(papers)")]


def test_a_store_from_a_newer_release_is_refused_in_one_line(tmp_path):
    path = tmp_path / "new.db"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    with pytest.raises(InputError, match="newer than this release"):
        Store(path)
