from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.models import Paper
from agent.store import Store
from tests.sample_store import make_db

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    path = make_db(tmp_path / "store.db")
    with Store(path) as store:
        store.record_failure(Paper(id="2503.00009", title="Broken", abstract="a", source="file",
                                   published="2025-03-03"), "llm", "m", "k9", "HTTP 500")
        store.finish_run(store.start_run("run x", "llm", "m"), "done", {"read": 5})
    return path


def stats_json(db) -> dict:
    result = runner.invoke(app, ["stats", "--db", str(db), "--json"])
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_counts_of_papers_summaries_failures_and_runs(db):
    data = stats_json(db)
    assert (data["papers"], data["summarised_papers"], data["summaries"], data["failures"], data["runs"]) == (5, 4, 4, 1, 1)


def test_papers_by_day(db):
    assert stats_json(db)["papers_by_day"] == {"2025-03-01": 1, "2025-03-02": 1, "2025-03-03": 3}


def test_papers_by_tag(db):
    assert stats_json(db)["papers_by_tag"] == {"inference": 2, "kernels": 1, "other": 1, "training": 1}


def test_largest_speedups_are_grounded_and_name_their_papers(db):
    top = stats_json(db)["top_speedups"]
    assert [(s["paper_id"], s["number"]) for s in top] == [("2503.00001", 12), ("2503.00004", 2.5), ("2503.00002", 1.5)]


def test_text_output_names_the_largest_speedup(db):
    result = runner.invoke(app, ["stats", "--db", str(db)])
    assert result.exit_code == 0 and "12x  FlashServe" in result.stdout and "5 papers (4 summarised), 4 summaries, 1 failure, 1 run\n" in result.stdout


def test_stats_of_a_missing_store_is_exit_2(tmp_path):
    assert runner.invoke(app, ["stats", "--db", str(tmp_path / "none.db")]).exit_code == 2


def test_export_bookmarks_are_listed_with_how_many_papers_each_has_sent(db):
    assert stats_json(db)["bookmarks"] == {}
    assert runner.invoke(app, ["export", "--format", "jsonl", "--new", "daily", "--db", str(db)]).exit_code == 0
    assert stats_json(db)["bookmarks"] == {"daily": 4}
    text = runner.invoke(app, ["stats", "--db", str(db)]).stdout
    assert "export bookmarks (papers sent so far):" in text and "     4  daily" in text
