"""Where a reader clicks: arXiv abstract and PDF, the code repository and the project page, in every export."""

from __future__ import annotations

import csv
import io
import json

import feedparser

from agent.exporters import FORMATS, ExportOptions
from agent.models import Claim, Paper, Provenance, Record, Summary, paper_links
from agent.sources.files import record_to_paper

REPO = "https://github.com/example/flashserve"
PROJECT = "https://flashserve.example.org"


def hf_record() -> Record:
    """A paper as the Hugging Face API gives it: an arXiv id, a githubRepo and a projectPage."""
    paper = record_to_paper({"paper": {"id": "2503.00007", "title": "FlashServe", "summary": "It is 3x faster.",
                                       "githubRepo": REPO, "projectPage": PROJECT, "upvotes": 3}})
    return Record.of(paper, Summary(tldr="Serves fast."), Provenance(engine="rules"))


def export(fmt: str, records: list[Record]) -> str:
    out = io.StringIO()
    FORMATS[fmt].writer(records, out, ExportOptions(title="t", include_ungrounded=True))
    return out.getvalue()


def test_an_arxiv_paper_links_its_abstract_pdf_code_and_project_page():
    assert paper_links(hf_record()) == {
        "page": "https://huggingface.co/papers/2503.00007", "abs": "https://arxiv.org/abs/2503.00007",
        "pdf": "https://arxiv.org/pdf/2503.00007", "code": REPO, "project": PROJECT}


def test_the_pdf_link_names_the_version_when_known():
    paper = Paper(id="2104.12255", version="v1", title="t", abstract="a", source="arxiv")
    assert paper_links(paper)["pdf"] == "https://arxiv.org/pdf/2104.12255v1"


def test_a_paper_without_an_arxiv_id_has_no_arxiv_links():
    paper = Paper(id="title:abc", title="t", abstract="a", source="hf-page", url="https://huggingface.co/papers?q=t")
    assert paper_links(paper) == {"page": "https://huggingface.co/papers?q=t"}


def test_a_jsonl_record_can_give_its_code_and_project_page():
    paper = record_to_paper({"title": "t", "abstract": "a", "code_url": REPO, "project_page": PROJECT})
    assert paper_links(paper) == {"code": REPO, "project": PROJECT}


def test_links_that_are_not_http_are_dropped():
    paper = Paper(id="title:abc", title="t", abstract="a", source="file", url="javascript:alert(1)",
                  source_extras={"code_url": "file:///etc/passwd", "project_page": "https://ok.example.org/ x"})
    assert paper_links(paper) == {}


def test_the_digest_links_the_title_to_arxiv_and_lists_pdf_code_and_project():
    text = export("md", [hf_record()])
    assert (f"- [FlashServe](https://arxiv.org/abs/2503.00007): Serves fast. ([PDF](https://arxiv.org/pdf/2503.00007)"
            f" · [code]({REPO}) · [project page]({PROJECT}))") in text


def test_the_html_page_links_all_of_them():
    text = export("html", [hf_record()])
    for url in ("https://arxiv.org/abs/2503.00007", "https://arxiv.org/pdf/2503.00007", REPO, PROJECT):
        assert f'href="{url}"' in text


def test_the_atom_entry_has_the_pdf_code_and_project_as_related_links():
    entry = feedparser.parse(export("atom", [hf_record()])).entries[0]
    related = {link["title"]: link["href"] for link in entry.links if link["rel"] == "related"}
    assert entry.link == "https://arxiv.org/abs/2503.00007"
    assert related == {"PDF": "https://arxiv.org/pdf/2503.00007", "code": REPO, "project page": PROJECT}


def test_the_json_feed_item_links_the_code_as_its_external_url():
    item = json.loads(export("jsonfeed", [hf_record()]))["items"][0]
    assert item["url"] == "https://arxiv.org/abs/2503.00007" and item["external_url"] == REPO
    assert item["_summarize"]["links"]["pdf"] == "https://arxiv.org/pdf/2503.00007"


def test_csv_and_jsonl_carry_the_links_as_fields():
    record = hf_record()
    record.summary.claims.append(Claim(text="3x faster", number=3, unit="x"))
    row = next(csv.DictReader(io.StringIO(export("csv", [record]))))
    assert (row["arxiv_url"], row["pdf_url"], row["code_url"], row["project_url"]) == (
        "https://arxiv.org/abs/2503.00007", "https://arxiv.org/pdf/2503.00007", REPO, PROJECT)
    line = json.loads(export("jsonl", [record]))
    assert line["links"]["code"] == REPO and line["source_id"] == "2503.00007"
    assert Record.model_validate(line).links == record.links  # the field reads back


def test_the_tldr_line_links_arxiv_rather_than_the_source_page():
    assert export("tldr", [hf_record()]).strip().endswith("(https://arxiv.org/abs/2503.00007)")
