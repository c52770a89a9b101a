"""Atom and JSON Feed, read back with feedparser and json."""

from __future__ import annotations

import io
import json
from datetime import date

import feedparser
import pytest

from agent.exporters import ExportOptions
from agent.exporters.feeds import JSONFEED_VERSION, write_atom, write_jsonfeed
from agent.models import Paper, Provenance, Record, Summary
from agent.store import Store
from tests.sample_store import HOSTILE_TITLE, UNTITLED_ID, fill


@pytest.fixture
def records(tmp_path):
    with Store(tmp_path / "s.db") as store:
        fill(store)
        return list(store.records())


def atom(records) -> feedparser.FeedParserDict:
    out = io.StringIO()
    write_atom(records, out, ExportOptions(title="Sample"))
    return feedparser.parse(out.getvalue())


def jsonfeed(records) -> dict:
    out = io.StringIO()
    write_jsonfeed(records, out, ExportOptions(title="Sample"))
    return json.loads(out.getvalue())


def by_id(entries, key="id"):
    return {e[key]: e for e in entries}


def test_atom_parses_cleanly_as_atom_1_0(records):
    feed = atom(records)
    assert (feed.bozo, feed.version) == (False, "atom10")


def test_atom_has_one_entry_per_paper_with_unique_ids(records):
    feed = atom(records)
    assert len(feed.entries) == 4 and len({e.id for e in feed.entries}) == 4


def test_atom_entry_summary_is_the_tldr_and_tags_are_categories(records):
    entry = by_id(atom(records).entries)["https://arxiv.org/abs/2503.00001"]
    assert entry.summary == "FlashServe batches requests <b>smartly</b> & serves them faster."
    assert [t.term for t in entry.tags] == ["inference", "kernels"]


def test_atom_keeps_a_hostile_title_as_text(records):
    entry = by_id(atom(records).entries)["https://arxiv.org/abs/2503.00001"]
    assert entry.title == HOSTILE_TITLE


def test_atom_links_papers_and_gives_title_only_papers_a_urn(records):
    entries = by_id(atom(records).entries)
    assert entries["https://arxiv.org/abs/2503.00004"].link == "https://arxiv.org/abs/2503.00004"
    assert entries[f"urn:summarize:{UNTITLED_ID}"].get("links", []) == []


def test_atom_feed_updated_is_the_newest_summary(records):
    assert atom(records).feed.updated == "2025-03-03T12:00:00Z"


def test_atom_drops_characters_xml_cannot_carry():
    paper = Paper(id="2503.00009", title="Bell\x07 and \x0bvertical tab", abstract="a", source="file",
                  published=date(2025, 3, 1))
    record = Record.of(paper, Summary(tldr="nul\x00 here"), Provenance(engine="rules"))
    feed = atom([record])
    assert feed.bozo is False and feed.entries[0].title == "Bell and vertical tab"


def test_empty_atom_feed_is_still_valid():
    feed = atom([])
    assert feed.bozo is False and feed.entries == []


def test_jsonfeed_has_the_required_top_level_fields(records):
    feed = jsonfeed(records)
    assert feed["version"] == JSONFEED_VERSION == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Sample" and isinstance(feed["items"], list)


def test_jsonfeed_items_have_id_content_and_tags(records):
    items = jsonfeed(records)["items"]
    assert len(items) == 4 and len({i["id"] for i in items}) == 4
    assert all(isinstance(i["id"], str) and (i.get("content_text") or i.get("content_html")) for i in items)
    assert by_id(items)["https://arxiv.org/abs/2503.00001"]["tags"] == ["inference", "kernels"]


def test_jsonfeed_item_dates_are_rfc3339(records):
    item = by_id(jsonfeed(records)["items"])["https://arxiv.org/abs/2503.00002"]
    assert (item["date_published"], item["date_modified"]) == ("2025-03-02T00:00:00Z", "2025-03-02T12:00:00Z")


def test_jsonfeed_never_links_a_non_http_url():
    paper = Paper(id="title:abc", title="t", abstract="a", source="file", url="javascript:alert(1)",
                  source_extras={"code_url": "javascript:alert(2)"})
    item = jsonfeed([Record.of(paper, Summary(tldr="x"), Provenance(engine="rules"))])["items"][0]
    assert "url" not in item and "external_url" not in item and "javascript" not in json.dumps(item)


def test_a_feed_url_becomes_the_atom_self_link_and_the_jsonfeed_feed_url(records):
    options = ExportOptions(title="Sample", feed_url="https://example.org/papers.atom")
    out = io.StringIO()
    write_atom(records, out, options)
    feed = feedparser.parse(out.getvalue())
    assert not feed.bozo
    assert [(l.rel, l.href) for l in feed.feed.links] == [("self", "https://example.org/papers.atom")]
    out = io.StringIO()
    write_jsonfeed(records, out, options)
    assert json.loads(out.getvalue())["feed_url"] == "https://example.org/papers.atom"


def test_without_a_feed_url_there_is_no_self_link(records):
    assert atom(records).feed.get("links", []) == [] and "feed_url" not in jsonfeed(records)


def test_atom_entry_content_has_the_tldr_the_grounded_claims_and_the_abstract(records):
    entry = by_id(atom(records).entries)["https://arxiv.org/abs/2503.00001"]
    (content,) = entry.content
    assert content.type == "text/html"
    html = content.value
    assert "<li>up to 12x faster than vLLM (vs vLLM)</li>" in html and "<li>40% less memory</li>" in html
    assert "99x cheaper" not in html  # not found in the abstract: not in a feed either
    assert "FlashServe is up to 12x faster than vLLM" in html
    assert "<script>" not in html and "&lt;script&gt;" in html  # the abstract's markup stays text


def test_json_feed_content_has_the_claims_and_the_abstract_as_html_and_text(records):
    item = by_id(jsonfeed(records)["items"])["https://arxiv.org/abs/2503.00002"]
    assert "1.5x faster than Megatron (vs @Megatron)" in item["content_text"]
    assert "Abstract: Training is 1.5x faster than Megatron." in item["content_text"]
    assert "<li>1.5x faster than Megatron (vs @Megatron)</li>" in item["content_html"]
    assert item["summary"] == "Trains faster."


def test_an_entry_is_dated_by_the_paper_not_by_the_summary(records):
    entry = by_id(atom(records).entries)["https://arxiv.org/abs/2503.00002"]
    assert (entry.updated, entry.published) == ("2025-03-02T00:00:00Z", "2025-03-02T00:00:00Z")


def undated_and_dated() -> list[Record]:
    undated = Paper(id="title:undated", title="No Date", abstract="a", source="hf-page")
    dated = [Paper(id=f"2503.0000{n}", title=f"Dated {n}", abstract="a", source="arxiv", published=date(2025, 3, n))
             for n in (1, 2)]
    made = Provenance(engine="rules")
    return [Record.of(p, Summary(tldr="x"), made) for p in [undated, *dated]]  # the store puts undated first


def test_undated_papers_come_after_every_dated_one_newest_first():
    assert [e.title for e in atom(undated_and_dated()).entries] == ["Dated 2", "Dated 1", "No Date"]
    assert [i["title"] for i in jsonfeed(undated_and_dated())["items"]] == ["Dated 2", "Dated 1", "No Date"]


def test_a_feed_with_full_content_is_still_valid_atom(records):
    feed = atom(records)
    assert (feed.bozo, feed.version) == (False, "atom10") and all(e.content for e in feed.entries)
