from __future__ import annotations

import io

from agent.exporters import FORMATS, ExportOptions
from agent.exporters.tldr import tldr_line, write_tldr
from agent.models import Paper, Provenance, Record, Summary


def rec(url: str | None = "https://arxiv.org/abs/2503.00001") -> Record:
    paper = Paper(id="2503.00001", title="Fast\nThing", abstract="a", source="file", url=url)
    return Record.of(paper, Summary(tldr="It is  fast.\n"), Provenance(engine="rules"))


def test_tldr_line_is_title_dash_tldr_and_url():
    assert tldr_line(rec()) == "Fast Thing — It is fast. (https://arxiv.org/abs/2503.00001)"


def test_tldr_line_of_an_arxiv_paper_without_url_links_its_abstract():
    assert tldr_line(rec(url=None)) == "Fast Thing — It is fast. (https://arxiv.org/abs/2503.00001)"


def test_tldr_line_without_any_link_has_no_parentheses():
    paper = Paper(id="title:abc", title="Fast Thing", abstract="a", source="file")
    assert tldr_line(Record.of(paper, Summary(tldr="It is fast."), Provenance(engine="rules"))) == "Fast Thing — It is fast."


def test_tldr_writes_one_line_per_paper():
    out = io.StringIO()
    assert write_tldr([rec(), rec(url=None)], out, ExportOptions()) == 2
    assert len(out.getvalue().splitlines()) == 2


def test_registry_names_every_documented_format():
    assert set(FORMATS) == {"csv", "jsonl", "md", "html", "atom", "jsonfeed", "tldr"}


def test_every_format_writes_an_empty_store_without_error():
    for name, fmt in FORMATS.items():
        out = io.StringIO()
        assert fmt.writer([], out, ExportOptions()) == 0, name
