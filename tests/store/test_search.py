"""The store's search index follows what it holds: new summaries, changed abstracts, moved ids, old stores."""

from __future__ import annotations

import shutil
from pathlib import Path

from agent.models import Paper, Provenance, Summary
from agent.store import Store, fts_query

V010 = Path(__file__).parent.parent / "data" / "store_v0.1.0.db"


def save(store: Store, paper: Paper, tldr: str = "", key: str = "k") -> None:
    store.save_result(paper, Summary(tldr=tldr), Provenance(engine="rules"), key)


def paper(**kw) -> Paper:
    return Paper(**{"id": "2503.00001", "title": "Sparse Kernels", "abstract": "Kernels for sparse attention.",
                    "source": "arxiv", **kw})


def test_a_new_summary_replaces_the_old_one_in_the_index(tmp_path):
    with Store(tmp_path / "s.db") as store:
        save(store, paper(), tldr="about pangolins", key="k1")
        save(store, paper(), tldr="about otters", key="k2")
        assert store.search("otters") == ["2503.00001"] and store.search("pangolins") == []


def test_a_changed_abstract_is_searched_by_its_new_words(tmp_path):
    with Store(tmp_path / "s.db") as store:
        save(store, paper())
        store.upsert_paper(paper(abstract="Now about quantisation."))
        assert store.search("quantisation") == ["2503.00001"] and store.search("attention") == []


def test_a_paper_seen_without_then_with_an_arxiv_id_is_found_once_under_the_arxiv_id(tmp_path):
    with Store(tmp_path / "s.db") as store:
        save(store, paper(id="title:abc", source="hf-page"), key="k1")
        save(store, paper(), key="k2")
        assert store.search("sparse") == ["2503.00001"]


def test_a_paper_without_a_summary_is_found_by_its_title(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.upsert_paper(paper())
        assert store.search("kernels") == ["2503.00001"]


def test_a_title_word_ranks_above_an_abstract_word(tmp_path):
    with Store(tmp_path / "s.db") as store:
        save(store, paper(id="2503.00001", title="Attention Is Cheap", abstract="We study kernels."), key="1")
        save(store, paper(id="2503.00002", title="Kernels", abstract="We study attention."), key="2")
        assert store.search("kernels") == ["2503.00002", "2503.00001"]


def test_an_upgraded_010_store_is_searchable_at_once(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(V010, path)
    with Store(path) as store:
        assert len(store.search("GPU")) > 0
        assert store.db.execute("SELECT COUNT(*) FROM search_rows").fetchone()[0] == store.count("papers") == 54


def test_saving_does_not_touch_the_index_a_search_brings_it_up_to_date_once(tmp_path):
    with Store(tmp_path / "s.db") as store:
        save(store, paper())
        assert store.db.execute("SELECT COUNT(*) FROM search_rows").fetchone()[0] == 0  # a run pays nothing
        assert store.refresh_search() == 1 and store.refresh_search() == 0


def test_query_words_become_quoted_terms():
    assert fts_query('fast "kv" cache* AND') == '"fast" """kv""" "cache"* "AND"'
    assert fts_query("   ") == ""


def test_the_source_id_is_kept_and_an_absent_one_does_not_erase_it(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.upsert_paper(paper(id="title:abc", source_id="SJ1Xmf-Rb", source="file"))
        store.upsert_paper(paper(id="title:abc", source="file"))
        assert store.get_paper("title:abc").source_id == "SJ1Xmf-Rb"
        assert [p.id for p in store.find_papers("SJ1Xmf-Rb")] == ["title:abc"]


def test_bookmarks_remember_ids_per_name_and_follow_a_moved_id(tmp_path):
    with Store(tmp_path / "s.db") as store:
        save(store, paper(id="title:abc", source="hf-page"), key="k1")
        store.mark_exported("daily", ["title:abc"])
        save(store, paper(), key="k2")  # the same paper, now with its arXiv id
        assert store.exported_ids("daily") == {"2503.00001"} and store.exported_ids("weekly") == set()
        assert store.bookmarks() == {"daily": 1}


def test_every_paper_has_exactly_one_search_row_after_updates_and_moves(tmp_path):
    with Store(tmp_path / "s.db") as store:
        save(store, paper(id="title:abc", source="hf-page"), key="k1")
        save(store, paper(), tldr="again", key="k2")  # moved to the arXiv id
        save(store, paper(id="2503.00002", title="Other"), key="k3")
        store.upsert_paper(paper(id="2503.00002", title="Other", abstract="changed"))
        store.refresh_search()
        counts = [store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("papers", "search_rows", "paper_search")]
        assert counts == [2, 2, 2]


def test_a_search_row_is_found_by_key_not_by_scanning_the_index(tmp_path):
    with Store(tmp_path / "s.db") as store:
        plan = store.db.execute("EXPLAIN QUERY PLAN SELECT fts_rowid FROM search_rows WHERE paper_id = ?",
                                ("x",)).fetchall()
        assert any("USING INDEX" in row[-1] or "PRIMARY KEY" in row[-1] for row in plan), plan
