"""Where the store is: the user's data directory by default, so every folder and cron job shares one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.cli_common import default_db

runner = CliRunner()


def data_store() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "summarize" / "summarize.db"


def run_in(folder: Path, source: Path, *args: str):
    folder.mkdir(parents=True, exist_ok=True)
    os.chdir(folder)
    return runner.invoke(app, ["run", str(source), "--engine", "rules", "--out", "out", *args])


def test_the_default_is_under_xdg_data_home():
    assert default_db() == data_store()


def test_without_xdg_data_home_it_is_under_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_db() == tmp_path / "home" / ".local" / "share" / "summarize" / "summarize.db"


def test_a_relative_xdg_data_home_is_ignored_as_the_xdg_rules_say(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    assert default_db() == tmp_path / "home" / ".local" / "share" / "summarize" / "summarize.db"


def test_two_runs_from_two_folders_land_in_one_store(tmp_path, data_dir):
    assert run_in(tmp_path / "a", data_dir / "hf_page_sample.txt").exit_code == 0
    second = run_in(tmp_path / "b", data_dir / "hf_page_sample.txt")
    assert second.exit_code == 0
    assert "0 summarised, 54 from cache" in second.stderr  # the second run found the first one's store
    assert data_store().is_file() and not any((tmp_path / d / "outputs").exists() for d in "ab")


def test_summarize_db_overrides_the_default(monkeypatch, tmp_path, data_dir):
    monkeypatch.setenv("SUMMARIZE_DB", str(tmp_path / "elsewhere" / "my.db"))
    assert run_in(tmp_path / "a", data_dir / "hf_page_sample.txt").exit_code == 0
    assert (tmp_path / "elsewhere" / "my.db").is_file() and not data_store().exists()
    assert runner.invoke(app, ["stats"]).stdout.startswith("54 papers")


def test_db_overrides_summarize_db(monkeypatch, tmp_path, data_dir):
    monkeypatch.setenv("SUMMARIZE_DB", str(tmp_path / "env.db"))
    assert run_in(tmp_path / "a", data_dir / "hf_page_sample.txt", "--db", str(tmp_path / "flag.db")).exit_code == 0
    assert (tmp_path / "flag.db").is_file() and not (tmp_path / "env.db").exists()


@pytest.mark.parametrize("command", [[], ["run"], ["export"], ["find"], ["stats"], ["show"], ["today"]])
def test_help_says_where_the_store_is(command):
    help_text = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "400"}).stdout
    text = " ".join(help_text.replace("│", " ").split())
    assert "SUMMARIZE_DB" in text and "~/.local/share/summarize/summarize.db" in text


def test_a_run_that_reads_no_paper_creates_no_store(tmp_path):
    result = runner.invoke(app, ["run", "missing.jsonl", "--engine", "rules"])
    assert result.exit_code == 2
    assert "missing.jsonl: no such file" in result.stderr
    assert not data_store().exists() and not data_store().parent.exists()


def test_a_run_of_an_unreadable_file_leaves_an_existing_store_alone(tmp_path, data_dir):
    run_in(tmp_path, data_dir / "hf_page_sample.txt")
    before = data_store().stat().st_mtime_ns
    assert runner.invoke(app, ["run", "missing.jsonl", "--engine", "rules"]).exit_code == 2
    assert runner.invoke(app, ["stats", "--json"]).stdout.count('"runs": 1') == 1
    assert data_store().stat().st_mtime_ns == before


def test_reading_commands_on_no_store_say_so_and_create_nothing():
    result = runner.invoke(app, ["export", "--format", "csv"])
    assert result.exit_code == 2 and "no store here" in result.stderr
    assert not data_store().parent.exists()


def test_a_batch_prepare_that_reads_no_paper_creates_no_store():
    result = runner.invoke(app, ["batch", "prepare", "missing.jsonl", "--out", "req.jsonl"])
    assert result.exit_code == 2 and "missing.jsonl: no such file" in result.stderr
    assert not data_store().parent.exists()
