"""`summarize show`: one paper, found by id, URL or part of its title."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.models import SCHEMA_VERSION, Paper, Record
from agent.store import Store
from tests.sample_store import HOSTILE_TITLE, make_db

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "store.db")


def show(db, *args: str):
    return runner.invoke(app, ["show", "--db", str(db), *args])


@pytest.mark.parametrize("query", ["2503.00004", "https://arxiv.org/abs/2503.00004v2", "kv cache", "KV Cache Compression"])
def test_a_paper_is_found_by_id_url_or_title_part(db, query):
    result = show(db, query)
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == "KV Cache Compression"


def test_a_title_only_paper_is_found_by_its_title_id(db):
    assert show(db, "title:a7905fefe561").stdout.startswith("Quiet Paper Without Links")


def test_show_prints_the_summary_fields(db):
    out = show(db, "2503.00001").stdout
    for expected in ("https://arxiv.org/abs/2503.00001", "Ada Lovelace, Alan Turing", "2025-03-01",
                     "inference, kernels", "Serving is slow.", "Batch smarter.", "NVIDIA A100", "70B"):
        assert expected in out, expected


def test_claims_carry_grounded_marks(db):
    out = show(db, "2503.00001").stdout
    assert "✓ 12x: up to 12x faster than vLLM (up to; vs vLLM)" in out and "✗ 99x: 99x cheaper" in out


def test_provenance_is_shown(db):
    assert (f"summary by llm, model test-model, prompt extract.v1, schema {SCHEMA_VERSION}, 2025-03-01T12:00:00+00:00"
            in show(db, "2503.00001").stdout)


def test_source_extras_are_labelled_as_the_sources(db):
    out = show(db, "2503.00001").stdout
    assert "the source (hf-page) says, not checked by us:" in out and "ai_summary: The source's own one-liner." in out


def test_json_is_the_raw_record(db):
    record = Record.model_validate_json(show(db, "2503.00001", "--json").stdout)
    assert record.title == HOSTILE_TITLE and len(record.summary.claims) == 4


def test_unknown_paper_is_one_line_and_exit_2(db):
    result = show(db, "no such paper")
    assert result.exit_code == 2 and result.stderr == "error: no paper in the store matches 'no such paper'\n"


def test_ambiguous_query_lists_candidates_and_exits_2(db):
    result = show(db, "2503.0000")
    assert result.exit_code == 2
    assert [line.split()[0] for line in result.stderr.splitlines()[:-1]] == ["2503.00001", "2503.00002", "2503.00004"]
    assert "matches 3 papers" in result.stderr.splitlines()[-1]


def test_a_paper_without_summary_shows_its_failure(db):
    with Store(db) as store:
        store.record_failure(Paper(id="2503.00009", title="Broken One", abstract="a", source="file"),
                             "llm", "m", "k9", "HTTP 500 after 3 attempts")
    result = show(db, "Broken One")
    assert result.exit_code == 0 and "failed (llm m): HTTP 500 after 3 attempts" in result.stdout


def test_a_paper_without_summary_as_json_has_null_summary(db):
    with Store(db) as store:
        store.upsert_paper(Paper(id="2503.00009", title="Pending", abstract="a", source="file"))
    assert json.loads(show(db, "2503.00009", "--json").stdout)["summary"] is None


def test_terminal_control_characters_are_stripped(db):
    with Store(db) as store:
        store.upsert_paper(Paper(id="2503.00009", title="Evil \x1b[31mred\x1b[0m title", abstract="a", source="file"))
    assert show(db, "2503.00009").stdout.splitlines()[0] == "Evil [31mred[0m title"
