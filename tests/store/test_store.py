from __future__ import annotations

from datetime import date

import pytest

from agent.models import Claim, Paper, Provenance, Summary
from agent.store import Store


def paper(pid: str = "2401.00001", title: str = "FastThing: Serving LLMs Quickly", abstract: str = "We get 2x.") -> Paper:
    return Paper(id=pid, title=title, abstract=abstract, source="file", published=date(2025, 1, 2))


def summary(n: float = 2.0) -> Summary:
    return Summary(claims=[Claim(text=f"{n:g}x", number=n, unit="x")], tags=["inference"], tldr="FastThing is fast.")


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.db") as s:
        yield s


def test_saved_result_is_found_by_its_cache_key(store):
    store.save_result(paper(), summary(), Provenance(engine="rules"), "key-1")
    hit = store.cached("key-1")
    assert hit is not None and hit.summary.claims[0].number == 2.0


def test_unknown_cache_key_is_a_miss(store):
    assert store.cached("nope") is None


def test_same_paper_saved_twice_is_one_row(store):
    store.save_result(paper(), summary(2), Provenance(engine="rules"), "k1")
    store.save_result(paper(), summary(3), Provenance(engine="rules"), "k2")
    assert (store.count("papers"), store.count("summaries")) == (1, 1)


def test_title_only_paper_moves_to_its_arxiv_id_with_its_summary(store):
    store.save_result(paper(pid="title:abc"), summary(), Provenance(engine="rules"), "k1")
    store.upsert_paper(paper(pid="2401.00001", title="FastThing:  serving LLMs quickly"))
    assert store.count("papers") == 1
    assert store.cached("k1").id == "2401.00001"


def test_title_only_paper_joins_a_known_arxiv_paper(store):
    store.upsert_paper(paper(pid="2401.00001"))
    saved = store.upsert_paper(paper(pid="title:xyz"))
    assert saved.id == "2401.00001" and store.count("papers") == 1


def test_success_clears_an_earlier_failure(store):
    store.record_failure(paper(), "llm", "m", "k1", "HTTP 500 after 3 attempts")
    assert len(store.failures()) == 1
    store.save_result(paper(), summary(), Provenance(engine="llm", model="m"), "k1")
    assert store.failures() == []


def test_a_failed_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store._upsert_paper(paper())
            raise RuntimeError("killed")
    assert store.count("papers") == 0


def test_records_filter_by_tag_and_date(store):
    store.save_result(paper(), summary(), Provenance(engine="rules"), "k1")
    other = Paper(id="2402.00002", title="Other", abstract="a", source="file", published=date(2025, 3, 1))
    store.save_result(other, Summary(tags=["training"]), Provenance(engine="rules"), "k2")
    assert [r.id for r in store.records(tag="training")] == ["2402.00002"]
    assert [r.id for r in store.records(until="2025-02-01")] == ["2401.00001"]
    assert len(list(store.records(since="2025-01-01"))) == 2


def test_runs_are_recorded_with_counts(store):
    run_id = store.start_run("run x", "rules", None)
    store.finish_run(run_id, "done", {"read": 3})
    assert store.runs()[0]["counts"] == {"read": 3} and store.runs()[0]["status"] == "done"


def test_unopenable_store_is_an_input_error(tmp_path):
    from agent.errors import InputError

    (tmp_path / "dir.db").mkdir()
    with pytest.raises(InputError, match="dir.db"):
        Store(tmp_path / "dir.db")


def test_a_summary_of_another_version_of_the_abstract_is_not_shown(store):
    store.save_result(paper(abstract="We get 3x."), summary(3), Provenance(engine="llm", model="m"), "k-a")
    store.save_result(paper(abstract="We get 5x."), summary(5), Provenance(engine="rules"), "k-b")
    store.upsert_paper(paper(abstract="We get 3x."))  # the first version is seen again
    shown = store.record("2401.00001")
    assert shown.abstract == "We get 3x." and shown.summary.claims[0].number == 3
    assert [r.summary.claims[0].number for r in store.records()] == [3]
