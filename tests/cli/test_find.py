"""`summarize find`: full-text search of the store, with the filters of `export`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from agent.cli import app
from tests.sample_store import make_db

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "store.db")


def find(db, *args: str):
    return runner.invoke(app, ["find", *args, "--db", str(db)])


def ids(result) -> list[str]:
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]


def test_a_word_of_the_abstract_finds_the_paper(db):
    result = find(db, "Megatron", "--json")
    assert result.exit_code == 0 and ids(result) == ["2503.00002"]


def test_words_are_stemmed_and_all_must_match(db):
    assert ids(find(db, "compressing", "--json")) == ["2503.00004"]  # the title says "Compression"
    assert ids(find(db, "decoding faster", "--json")) == ["2503.00004"]
    assert ids(find(db, "decoding megatron", "--json")) == []


def test_tldrs_and_claims_are_searched_too(db):
    assert ids(find(db, "smartly", "--json")) == ["2503.00001"]  # only in A's TL;DR


def test_a_prefix_ends_with_a_star(db):
    assert ids(find(db, "Megat*", "--json")) == ["2503.00002"]


def test_the_filters_of_export_apply(db):
    assert sorted(ids(find(db, "faster", "--json"))) == ["2503.00001", "2503.00002", "2503.00004"]
    assert ids(find(db, "faster", "--tag", "inference", "--min-speedup", "3", "--json")) == ["2503.00001"]
    assert ids(find(db, "faster", "--until", "2025-03-02", "--since", "2025-03-02", "--json")) == ["2503.00002"]


def test_an_unknown_tag_is_exit_2_as_for_export(db):
    result = find(db, "faster", "--tag", "nosuchtag")
    assert result.exit_code == 2 and "known tags: inference" in result.stderr


def test_the_table_shows_id_date_speedup_title_tldr_and_link(db):
    result = find(db, "KV")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["2503.00004", "2025-03-03", "2.5x", "KV", "Cache", "Compression"]
    assert lines[1].strip() == "Compresses the KV cache." and lines[2].strip() == "https://arxiv.org/abs/2503.00004"


def test_nothing_found_is_said_on_stderr_with_exit_0(db):
    result = find(db, "photosynthesis")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.strip() == "note: no papers match 'photosynthesis'"


@pytest.mark.parametrize("query", ['"unbalanced', "NEAR(a b)", "a AND OR b", "col:value", "-x", "*", "^start"])
def test_search_syntax_in_the_query_is_taken_literally_never_an_error(db, query):
    result = runner.invoke(app, ["find", "--db", str(db), "--", query])
    assert result.exit_code == 0, result.output


def test_an_empty_query_is_refused(db):
    result = find(db, "  ")
    assert result.exit_code == 2 and "at least one word" in result.stderr


def test_limit_keeps_the_best_matches(db):
    assert len(ids(find(db, "faster", "--limit", "1", "--json"))) == 1
