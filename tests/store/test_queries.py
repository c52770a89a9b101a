from __future__ import annotations

import pytest

from agent.models import Paper, Provenance, Summary
from agent.store import Store
from tests.sample_store import UNTITLED_ID, fill


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.db") as s:
        fill(s)
        yield s


def test_record_returns_the_latest_summary_of_one_paper(store):
    paper = store.get_paper("2503.00004")
    store.save_result(paper, Summary(tldr="newer"), Provenance(engine="rules"), "k-new")
    assert store.record("2503.00004").summary.tldr == "newer"


def test_record_of_a_paper_without_summary_is_none(store):
    store.upsert_paper(Paper(id="2503.00009", title="Unsummarised", abstract="a", source="file"))
    assert store.record("2503.00009") is None


def test_failures_of_lists_only_that_papers_failures(store):
    other = Paper(id="2503.00009", title="Failed", abstract="a", source="file")
    store.record_failure(other, "llm", "m", "k9", "HTTP 500")
    assert [f["reason"] for f in store.failures_of("2503.00009")] == ["HTTP 500"]
    assert store.failures_of("2503.00001") == []


def test_papers_by_day_counts_each_publication_day(store):
    assert store.papers_by_day() == {"2025-03-01": 1, "2025-03-02": 1, "2025-03-03": 2}


def test_title_only_papers_are_found_by_their_id(store):
    assert store.record(UNTITLED_ID).title == "Quiet Paper Without Links"


def test_find_papers_takes_underscore_literally(store):
    assert store.find_papers("Flash_erve") == []  # as a LIKE wildcard, _ would match the S of FlashServe


def test_find_papers_takes_percent_literally(store):
    store.upsert_paper(Paper(id="2503.00010", title="At 100% utilisation", abstract="a", source="file"))
    assert [p.id for p in store.find_papers("%")] == ["2503.00010"]
