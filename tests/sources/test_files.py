"""The file readers, on real payloads copied into tests/data (see tests/data/SOURCES.md)."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.errors import InputError
from agent.models import Paper, paper_id_for
from agent.sources.files import iter_source, sniff

DATA = Path(__file__).resolve().parents[1] / "data"
PAGE = DATA / "hf_page_sample.txt"
HF_2026 = DATA / "hf_daily_2026-06-12.json"
HF_2024 = DATA / "hf_daily_2024-10-25.json"


def read(path) -> tuple[list[Paper], list[InputError]]:
    items = list(iter_source(str(path)))
    return [p for p in items if isinstance(p, Paper)], [e for e in items if isinstance(e, InputError)]


def only_error(path) -> str:
    papers, errors = read(path)
    assert papers == [] and len(errors) == 1, (papers, errors)
    return str(errors[0])


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Files are named relative to the working directory, as a user would type them."""
    monkeypatch.chdir(tmp_path)


def write(tmp_path, name: str, content: str | bytes) -> Path:
    (tmp_path / name).write_bytes(content.encode() if isinstance(content, str) else content)
    return Path(name)


def hf_records() -> list[dict]:
    """Generic records (our own simple shape) built from the real HF payload."""
    return [
        {
            "id": item["paper"]["id"],
            "title": item["paper"]["title"],
            "abstract": item["paper"]["summary"],
            "authors": [a["name"] for a in item["paper"]["authors"]],
            "published": item["paper"]["publishedAt"][:10],
        }
        for item in json.loads(HF_2026.read_text())
    ]


# ------------------------------------------------------------------------------- saved HF page


def test_page_has_all_54_papers_counted_by_hand():
    papers, errors = read(PAGE)
    assert errors == []
    assert len(papers) == 54


def test_page_first_and_last_titles():
    papers, _ = read(PAGE)
    assert papers[0].title.startswith("LlamaRL: A Distributed Asynchronous Reinforcement Learning Framework")
    assert papers[-1].title == "An LLM Compiler for Parallel Function Calling"


def test_page_paper_fields():
    first = read(PAGE)[0][0]
    assert first.id == paper_id_for(first.title)
    assert first.source == "hf-page"
    assert first.published == date(2025, 5, 29)
    assert first.authors == [] and first.source_extras["author_count"] == 14
    assert first.url == "https://huggingface.co/papers?q=LlamaRL%3A+A+Distributed+Asynchronous+Reinforcement+Learning+Framework+for+Efficient+Large-scale+LLM+Training"
    assert first.abstract.startswith("Reinforcement Learning (RL) has become") and first.abstract.endswith("RL training.")


def test_page_organisation_line_instead_of_author_count():
    densing = next(p for p in read(PAGE)[0] if p.title == "Densing Law of LLMs")
    assert densing.source_extras == {"hf_organization": "OpenBMB", "hf_upvotes": 2}


def test_page_date_without_year_is_not_guessed():
    paper = next(p for p in read(PAGE)[0] if p.title == "Heterogeneous Low-Bandwidth Pre-Training of LLMs")
    assert paper.published is None and paper.source_extras["date_text"] == "Jan 5"


def test_page_trailing_upvote_count_is_not_part_of_the_date():
    paper = next(p for p in read(PAGE)[0] if p.title.startswith("Infinite-LLM"))
    assert (paper.published, paper.source_extras["hf_upvotes"]) == (date(2024, 1, 5), 2)


def test_page_entry_without_abstract_is_an_error_not_a_gap(tmp_path):
    lines = PAGE.read_text().splitlines()
    i = lines.index("Densing Law of LLMs")
    assert lines[i + 1] == "" and len(lines[i + 2]) > 500
    del lines[i + 2]  # its abstract paragraph
    papers, errors = read(write(tmp_path, "page.txt", "\n".join(lines)))
    assert len(papers) == 53
    assert len(errors) == 1 and "page.txt:" in str(errors[0]) and "Densing Law of LLMs" in str(errors[0])


def test_page_cut_off_after_an_abstract_reports_the_unfinished_entry(tmp_path):
    text = PAGE.read_text()
    cut = text[: text.rindex("  • 7 authors")]
    papers, errors = read(write(tmp_path, "page.txt", cut))
    assert len(papers) == 53
    assert [str(e) for e in errors] == [
        'page.txt:437: "An LLM Compiler for Parallel Function Calling" is not a complete entry (no "·" and date line after it)'
    ]


# ----------------------------------------------------------------------------- HF API JSON


def test_hf_api_current_schema():
    papers, errors = read(HF_2026)
    assert errors == [] and len(papers) == 30
    first = papers[0]
    assert (first.id, first.source, first.url) == ("2606.00467", "hf-api", "https://huggingface.co/papers/2606.00467")
    assert first.authors[:3] == ["Etienne Casanova", "Rafal Kocielnik", "R. Michael Alvarez"]
    assert first.published == date(2026, 5, 30)


def test_hf_api_extras_are_labelled_as_the_sources():
    first = read(HF_2026)[0][0]
    assert first.source_extras["hf_ai_keywords"][:2] == ["zero-shot annotation", "LLM-as-a-judge"]
    assert first.source_extras["hf_ai_summary"].startswith("Large language models exhibit")
    assert first.source_extras["hf_upvotes"] == 0
    assert first.source_extras["hf_submitted_on_daily_at"] == "2026-06-12T00:00:00.000Z"


def test_hf_api_older_schema_hard_wraps_are_joined():
    papers, errors = read(HF_2024)
    assert errors == [] and len(papers) == 29
    assert papers[0].title == "Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss"
    assert not any("\n" in p.abstract or "  " in p.abstract for p in papers)


def test_hf_bare_paper_objects_as_the_search_api_returns_them(tmp_path):
    bare = [item["paper"] for item in json.loads(HF_2026.read_text())]
    papers, errors = read(write(tmp_path, "search.json", json.dumps(bare)))
    assert errors == [] and len(papers) == 30 and {p.source for p in papers} == {"hf-api"}


def test_hf_single_object(tmp_path):
    item = json.loads(HF_2026.read_text())[0]
    papers, errors = read(write(tmp_path, "one.json", json.dumps(item, indent=2)))
    assert errors == [] and [p.id for p in papers] == ["2606.00467"]


def test_hf_item_without_abstract_is_reported_and_the_rest_kept(tmp_path):
    items = json.loads(HF_2026.read_text())
    items[4]["paper"]["summary"] = ""
    items[4].pop("summary", None)
    papers, errors = read(write(tmp_path, "day.json", json.dumps(items)))
    assert len(papers) == 29
    assert len(errors) == 1 and str(errors[0]).startswith("day.json: record 5: ")
    assert "empty abstract" in str(errors[0])


# ---------------------------------------------------------------------------------- arXiv Atom


def test_arxiv_entries_ids_and_versions():
    papers, errors = read(DATA / "arxiv_transformer.xml")
    assert errors == [] and len(papers) == 5
    mana = papers[0]
    assert (mana.id, mana.version, mana.source) == ("2606.13677", "v1", "arxiv")
    assert mana.url == "https://arxiv.org/abs/2606.13677"
    assert mana.title == "Mana: Dexterous Manipulation of Articulated Tools"


def test_arxiv_categories_and_comment_kept_as_the_sources():
    paper = read(DATA / "arxiv_1707.08567.xml")[0][0]
    assert paper.source_extras["arxiv_primary_category"] == "cs.IT"
    assert paper.source_extras["arxiv_comment"].startswith("44 pages")
    assert len(paper.authors) > 5


def test_arxiv_legacy_wrapped_text_is_joined_and_version_kept():
    paper = read(DATA / "arxiv_legacy_1111.2011v2.xml")[0][0]
    assert (paper.id, paper.version) == ("1111.2011", "v2")
    assert paper.title == "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    assert "\n" not in paper.abstract and paper.abstract.startswith("Theoretical description")


def test_arxiv_error_feed_is_an_input_error():
    assert "arXiv API error: incorrect id format for abc" in only_error(DATA / "arxiv_error_abc.xml")


def test_arxiv_empty_feed_has_no_papers_and_no_errors():
    assert read(DATA / "arxiv_empty.xml") == ([], [])


def test_xml_doctype_is_refused(tmp_path):
    body = (DATA / "arxiv_2104.12255v1.xml").read_text()
    bomb = body.replace(
        "<feed ", '<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n<feed ', 1
    )
    assert "DOCTYPE" in only_error(write(tmp_path, "bomb.xml", bomb))


def test_truncated_xml_keeps_complete_entries_and_reports_the_break(tmp_path):
    body = (DATA / "arxiv_search_testing.xml").read_bytes()
    cut = body[: body.index(b"<entry>", body.index(b"<entry>") + 1) + 200]
    papers, errors = read(write(tmp_path, "cut.xml", cut))
    assert len(papers) == 1
    assert len(errors) == 1 and "cut.xml: line" in str(errors[0]) and "invalid XML" in str(errors[0])


# ------------------------------------------------------------------------ generic JSONL/JSON/CSV


def test_jsonl_with_bad_lines_keeps_good_papers_and_names_each_bad_line(tmp_path):
    lines = [json.dumps(r) for r in hf_records()[:5]]
    lines.insert(2, '{"title": "broken", "abstract": ')
    lines.insert(4, "[1, 2]")
    papers, errors = read(write(tmp_path, "data.jsonl", "\n".join(lines) + "\n"))
    assert len(papers) == 5
    assert [str(e).split(" (")[0] for e in errors] == ["data.jsonl:3: invalid JSON", "data.jsonl:5: expected an object, got list"]


def test_jsonl_generic_record_fields(tmp_path):
    rec = {"arxiv_id": "2606.00467v2", "title": "T\x07itle\twith\ncontrol", "summary": "Line one\nline two.",
           "authors": "Ada Lovelace; Alan Turing", "date": "2026-05-30"}
    paper = read(write(tmp_path, "one.jsonl", json.dumps(rec)))[0][0]
    assert (paper.id, paper.version, paper.source) == ("2606.00467", "v2", "file")
    assert paper.title == "T itle with control" and paper.abstract == "Line one line two."
    assert paper.authors == ["Ada Lovelace", "Alan Turing"] and paper.published == date(2026, 5, 30)
    assert paper.url == "https://arxiv.org/abs/2606.00467"


def test_record_without_arxiv_id_gets_the_title_hash(tmp_path):
    paper = read(write(tmp_path, "one.jsonl", '{"title": "A Paper", "abstract": "Text."}'))[0][0]
    assert paper.id == paper_id_for("A Paper") and paper.url is None


def test_arxiv_id_found_in_url(tmp_path):
    rec = {"title": "A Paper", "abstract": "Text.", "url": "https://arxiv.org/pdf/2410.17243v3"}
    paper = read(write(tmp_path, "one.jsonl", json.dumps(rec)))[0][0]
    assert (paper.id, paper.version) == ("2410.17243", "v3")


def test_records_without_title_or_with_empty_abstract_are_errors(tmp_path):
    recs = [{"title": "", "abstract": "x"}, {"title": "Kept", "abstract": "y"}, {"title": "Empty", "abstract": "  "}]
    papers, errors = read(write(tmp_path, "r.json", json.dumps(recs)))
    assert [p.title for p in papers] == ["Kept"]
    assert [str(e) for e in errors] == [
        "r.json: record 1: no title",
        'r.json: record 3: "Empty" has an empty abstract (nothing to summarise)',
    ]


def test_csv_reads_records(tmp_path):
    out = io.StringIO()
    writer = csv.DictWriter(out, ["id", "title", "abstract", "authors"])
    writer.writeheader()
    for r in hf_records()[:3]:
        writer.writerow({**{k: r[k] for k in ("id", "title", "abstract")}, "authors": "; ".join(r["authors"])})
    papers, errors = read(write(tmp_path, "papers.csv", out.getvalue()))
    assert errors == [] and [p.id for p in papers] == [r["id"] for r in hf_records()[:3]]
    assert papers[0].authors[:2] == ["Etienne Casanova", "Rafal Kocielnik"]


def test_csv_without_abstract_column(tmp_path):
    message = only_error(write(tmp_path, "p.csv", "title,year\nA paper,2024\n"))
    assert message == "p.csv: CSV header has no abstract (or summary) column (columns: title, year)"


def test_abstract_of_100000_characters_is_read(tmp_path):
    abstract = ("word " * 20000).strip()
    papers, _ = read(write(tmp_path, "long.jsonl", json.dumps({"title": "Long", "abstract": abstract})))
    assert len(papers[0].abstract) == 99999


def test_abstract_of_100000_characters_in_csv_is_read(tmp_path):
    abstract = "x" * 200_000  # above csv's default 128 KiB field limit
    papers, errors = read(write(tmp_path, "long.csv", f"title,abstract\nLong,{abstract}\n"))
    assert errors == [] and len(papers[0].abstract) == 200_000


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(HF_2024.read_bytes())))
    papers = [p for p in iter_source("-") if isinstance(p, Paper)]
    assert len(papers) == 29


# ------------------------------------------------------------------------------------ bad inputs


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "is empty"),
        (b"  \n\n ", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file"),
        ("[1,2]".encode("utf-16"), "is UTF-16 text"),
        (b"<!DOCTYPE html><html><body>papers</body></html>", "is an HTML page"),
        (b"<rss version='2.0'></rss>", "is XML but not an arXiv Atom feed"),
        (b"some notes about papers\n", "not a recognised input"),
    ],
)
def test_unusable_files_get_one_clear_error(tmp_path, content, expected):
    message = only_error(write(tmp_path, "notes.txt", content))
    assert message.startswith("notes.txt: " + expected)


def test_unrecognised_input_says_what_was_expected(tmp_path):
    message = only_error(write(tmp_path, "notes.txt", "just some notes\n"))
    assert "expected a saved Hugging Face papers page, HF daily papers JSON, arXiv Atom XML" in message


def test_non_utf8_text_is_reported_with_its_line_and_costs_only_its_paper(tmp_path):
    text = PAGE.read_bytes().replace(b"Densing Law", "D\xe9nsing Law".encode("cp1252"), 1)
    papers, errors = read(write(tmp_path, "page.txt", text))
    assert [str(e) for e in errors] == [
        "page.txt:197: paper 24: not UTF-8 text (byte 0xe9 at column 2); re-save the page as UTF-8 (this paper is skipped)"]
    assert len(papers) == 53 and not any("ensing Law" in p.title for p in papers)


def test_truncated_json(tmp_path):
    body = HF_2026.read_bytes()
    message = only_error(write(tmp_path, "day.json", body[: len(body) // 2]))
    assert message.startswith("day.json: invalid JSON") and message.endswith("is the file truncated?")


def test_directory(tmp_path):
    (tmp_path / "papers").mkdir()
    assert only_error("papers").startswith("papers: is a directory")


def test_missing_file():
    assert only_error("nope.json") == "nope.json: no such file"


# ------------------------------------------------------------------------------------------ sniff


@pytest.mark.parametrize(
    "path, kind",
    [
        (PAGE, "hf-page"),
        (HF_2026, "json"),
        (DATA / "arxiv_transformer.xml", "atom"),
        (DATA / "arxiv_legacy_1111.2011v2.xml", "atom"),
    ],
)
def test_sniff_real_files(path, kind):
    assert sniff(path.read_bytes()[:65536]) == kind


def test_sniff_generic_formats():
    assert (sniff(b'{"title": "a"}\n'), sniff(b"Title;Abstract\n"), sniff(b"\xef\xbb\xbf[]")) == ("jsonl", "csv", "json")


# ------------------------------------------------------------------------------------- property

SEEDS = [b"", b"[", b"{", b"<", b"title,abstract\n", b"\xef\xbb\xbf", PAGE.read_bytes()[:1500],
         b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>']


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(SEEDS), body=st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_any_bytes_yield_only_papers_or_one_line_errors_naming_the_file(tmp_path, prefix, body):
    path = write(tmp_path, "fuzz.in", prefix + body)
    for item in iter_source(str(path)):
        assert isinstance(item, (Paper, InputError))
        if isinstance(item, InputError):
            message = str(item)
            assert message.startswith(str(path)) and "\n" not in message
            assert "unexpected" not in message  # the safety net was not needed


def test_a_date_we_cannot_read_is_kept_as_written(tmp_path):
    from agent.models import Paper
    from agent.sources.files import iter_source

    f = tmp_path / "p.jsonl"
    f.write_text('{"title": "T", "abstract": "We get 2x.", "published": "2025-02-30"}\n')
    [paper] = list(iter_source(str(f)))
    assert isinstance(paper, Paper) and paper.published is None
    assert paper.source_extras["date_text"] == "2025-02-30"
