"""`summarize export`: a store with three days of papers, exported in every format and parsed back."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import feedparser
import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.exporters import FORMATS, Format
from agent.exporters.claims_csv import HEADER
from agent.models import Record
from tests.sample_store import make_db

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "store.db")


def export(db, *args: str):
    return runner.invoke(app, ["export", "--db", str(db), *args])


def ids_jsonl(text: str) -> list[str]:
    return [Record.model_validate_json(line).id for line in text.splitlines()]


def test_jsonl_export_has_every_paper_newest_first(db):
    result = export(db, "--format", "jsonl")
    assert result.exit_code == 0
    assert ids_jsonl(result.stdout)[:2] == ["2503.00004", "title:a7905fefe561"] and len(ids_jsonl(result.stdout)) == 4


def test_csv_export_has_the_stable_header_and_grounded_claims(db):
    rows = list(csv.reader(io.StringIO(export(db, "--format", "csv").stdout)))
    assert rows[0] == HEADER and len(rows) - 1 == 6  # A: 3 grounded, B, C, D: 1 each


def test_csv_export_includes_ungrounded_claims_when_asked(db):
    rows = list(csv.DictReader(io.StringIO(export(db, "-f", "csv", "--include-ungrounded").stdout)))
    assert [r["claim_text"] for r in rows if r["grounded"] == "false"] == ["99x cheaper"]


def test_csv_export_neutralises_formulas(db):
    rows = list(csv.DictReader(io.StringIO(export(db, "--format", "csv").stdout)))
    row = next(r for r in rows if r["paper_id"] == "2503.00002")
    assert row["title"].startswith("'=HYPERLINK") and row["baseline"] == "'@Megatron"


def test_md_export_is_the_digest(db):
    text = export(db, "--format", "md").stdout
    assert "## inference (2)" in text and "**up to 12x faster than vLLM**" in text


def test_atom_export_parses_with_every_paper(db):
    feed = feedparser.parse(export(db, "--format", "atom").stdout)
    assert feed.bozo is False and len(feed.entries) == 4


def test_jsonfeed_export_parses_with_every_paper(db):
    feed = json.loads(export(db, "--format", "jsonfeed").stdout)
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and len(feed["items"]) == 4


def test_tldr_export_is_one_line_per_paper(db):
    lines = export(db, "--format", "tldr").stdout.splitlines()
    assert lines[0] == "KV Cache Compression — Compresses the KV cache. (https://arxiv.org/abs/2503.00004)"
    assert len(lines) == 4


def test_html_export_parses_and_has_every_paper(db):
    articles = []

    class Articles(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "article":
                articles.append(dict(attrs)["id"])

    Articles().feed(export(db, "--format", "html").stdout)
    assert len(articles) == 4


@pytest.mark.parametrize("args, expected", [
    (["--since", "2025-03-02"], ["2503.00004", "title:a7905fefe561", "2503.00002"]),
    (["--until", "2025-03-01"], ["2503.00001"]),
    (["--since", "2025-03-02", "--until", "2025-03-02"], ["2503.00002"]),
    (["--tag", "inference"], ["2503.00004", "2503.00001"]),
    (["--min-speedup", "3"], ["2503.00001"]),
    (["--min-speedup", "2", "--tag", "inference"], ["2503.00004", "2503.00001"]),
    (["--tag", "training", "--min-speedup", "2"], []),
])
def test_filters_select_papers(db, args, expected):
    result = export(db, "--format", "jsonl", *args)
    assert result.exit_code == 0 and ids_jsonl(result.stdout) == expected


def test_min_speedup_ignores_ungrounded_claims(db):
    assert ids_jsonl(export(db, "-f", "jsonl", "--min-speedup", "50").stdout) == []  # A's 99x is ungrounded


@pytest.mark.parametrize("bad", ["2025-3-1", "yesterday", "2025-02-30", "20250301"])
def test_a_bad_date_is_one_line_and_exit_2(db, bad):
    result = export(db, "--format", "jsonl", "--since", bad)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: --since {bad!r} is not a date: expected YYYY-MM-DD, e.g. 2025-03-01"]


def test_since_after_until_is_exit_2(db):
    result = export(db, "-f", "jsonl", "--since", "2025-03-03", "--until", "2025-03-01")
    assert result.exit_code == 2 and "is after --until" in result.stderr


def test_unknown_format_is_a_usage_error(db):
    assert export(db, "--format", "pdf").exit_code == 2


def test_out_writes_the_file_and_reports_on_stderr(db, tmp_path):
    target = tmp_path / "out" / "feed.atom"
    result = export(db, "--format", "atom", "--out", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert feedparser.parse(target.read_text()).bozo is False and "wrote 4 papers" in result.stderr


def test_format_is_taken_from_the_out_suffix(db, tmp_path):
    export(db, "--out", str(tmp_path / "claims.csv"))
    assert (tmp_path / "claims.csv").read_text().splitlines()[0] == ",".join(HEADER)


def test_no_format_and_no_out_is_exit_2(db):
    result = export(db)
    assert result.exit_code == 2 and "--format" in result.stderr


def test_a_missing_store_is_exit_2_and_not_created(tmp_path):
    result = export(tmp_path / "nope.db", "--format", "jsonl")
    assert result.exit_code == 2 and not (tmp_path / "nope.db").exists()


def test_a_failing_writer_leaves_the_old_file_and_no_partial_one(db, tmp_path, monkeypatch):
    def half_then_crash(records, out, options):
        out.write("half a file")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(FORMATS, "jsonl", Format(half_then_crash, ".jsonl"))
    target = tmp_path / "papers.jsonl"
    target.write_text("the previous export\n")
    result = export(db, "--format", "jsonl", "--out", str(target))
    assert isinstance(result.exception, RuntimeError)
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_failing_writer_creates_no_file(db, tmp_path, monkeypatch):
    def crash(records, out, options):
        out.write("<html>")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(FORMATS, "html", Format(crash, ".html"))
    export(db, "--format", "html", "--out", str(tmp_path / "page.html"))
    assert [p.name for p in tmp_path.iterdir() if "page.html" in p.name] == []


def test_without_db_the_store_is_the_one_in_the_data_directory(tmp_path):
    make_db(tmp_path / "home" / ".local" / "share" / "summarize" / "summarize.db")  # see conftest.isolated_env
    assert len(runner.invoke(app, ["export", "--format", "tldr"]).stdout.splitlines()) == 4


def test_a_feed_url_that_is_not_http_is_refused_in_one_line(db):
    result = export(db, "--format", "atom", "--feed-url", "javascript:alert(1)")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --feed-url 'javascript:alert(1)': expected an http:// or https:// URL with a host"


@pytest.mark.parametrize("url", ["https://", " https://x.org/a", "https://x.org/a\nb"])
def test_a_feed_url_without_a_host_or_with_spaces_is_refused(db, url):
    assert export(db, "--format", "atom", "--feed-url", url).exit_code == 2


def test_a_tag_no_paper_has_is_exit_2_naming_the_known_tags(db):
    result = export(db, "--format", "csv", "--tag", "nosuchtag")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == ("error: --tag 'nosuchtag': no paper in the store has this tag "
                                     "(known tags: inference, kernels, training)")


def test_filters_that_together_match_nothing_say_so_on_stderr_and_exit_0(db):
    result = export(db, "--format", "csv", "--tag", "training", "--min-speedup", "2")
    assert result.exit_code == 0 and result.stdout.strip() == ",".join(HEADER)
    assert result.stderr.strip() == "note: no papers match (tag training, speedup ≥ 2x)"


def test_an_empty_store_says_it_is_empty(tmp_path):
    from agent.store import Store

    Store(tmp_path / "empty.db").close()
    result = export(tmp_path / "empty.db", "--format", "csv")
    assert result.exit_code == 0 and "has no summarised papers yet" in result.stderr


def test_days_counts_back_from_today(tmp_path):
    from datetime import date, timedelta

    from agent.models import Paper, Provenance, Summary
    from agent.store import Store

    today = date.today()
    with Store(tmp_path / "s.db") as store:
        for n, back in enumerate((0, 6, 7)):
            paper = Paper(id=f"2503.0000{n}", title=f"P{back}", abstract="a", source="arxiv",
                          published=today - timedelta(days=back))
            store.save_result(paper, Summary(tldr="t"), Provenance(engine="rules"), f"k{n}")
    result = export(tmp_path / "s.db", "--format", "jsonl", "--days", "7")
    assert ids_jsonl(result.stdout) == ["2503.00000", "2503.00001"]
    assert export(tmp_path / "s.db", "-f", "jsonl", "--days", "7", "--since", "2025-01-01").exit_code == 2


def test_limit_keeps_the_newest_papers(db):
    assert ids_jsonl(export(db, "--format", "jsonl", "--limit", "2").stdout) == ["2503.00004", "title:a7905fefe561"]


def test_a_feed_is_titled_by_what_it_holds(db):
    feed = feedparser.parse(export(db, "--format", "atom", "--tag", "inference", "--days", "7").stdout)
    assert feed.feed.title == "summarize: paper summaries tagged inference, last 7 days"
    assert feedparser.parse(export(db, "--format", "atom", "--new", "daily").stdout).feed.title == \
        "summarize: new papers for daily"


def test_new_gives_each_paper_once_under_a_name(db, tmp_path):
    first = export(db, "--format", "jsonl", "--new", "daily")
    assert len(ids_jsonl(first.stdout)) == 4 and "4 new papers exported; remembered under 'daily'" in first.stderr
    again = export(db, "--format", "jsonl", "--new", "daily")
    assert again.exit_code == 0 and again.stdout == ""
    assert again.stderr.strip() == "note: nothing new under 'daily' (4 papers exported under that name before)"
    other = export(db, "--format", "jsonl", "--new", "weekly", "--tag", "inference")
    assert ids_jsonl(other.stdout) == ["2503.00004", "2503.00001"]  # another name has its own memory
    assert ids_jsonl(export(db, "--format", "jsonl", "--new", "weekly").stdout) == ["title:a7905fefe561", "2503.00002"]


def test_new_papers_after_an_export_are_the_only_ones_sent_next_time(db, tmp_path):
    from agent.models import Paper, Provenance, Summary
    from agent.store import Store

    export(db, "--format", "md", "--new", "mail", "--out", str(tmp_path / "monday.md"))
    with Store(db) as store:
        paper = Paper(id="2503.00099", title="Tuesday Paper", abstract="a", source="arxiv")
        store.save_result(paper, Summary(tldr="new"), Provenance(engine="rules"), "k99")
    result = export(db, "--format", "md", "--new", "mail", "--out", str(tmp_path / "tuesday.md"))
    assert "wrote 1 paper to" in result.stderr and "Tuesday Paper" in (tmp_path / "tuesday.md").read_text()
    nothing = export(db, "--format", "md", "--new", "mail", "--out", str(tmp_path / "tuesday.md"))
    assert "left as it was" in nothing.stderr and "Tuesday Paper" in (tmp_path / "tuesday.md").read_text()


def test_a_failed_export_does_not_count_as_sent(db, tmp_path, monkeypatch):
    def crash(records, out, options):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(FORMATS, "md", Format(crash, ".md"))
    assert export(db, "--format", "md", "--new", "mail", "--out", str(tmp_path / "x.md")).exit_code == 2
    monkeypatch.undo()
    assert len(ids_jsonl(export(db, "--format", "jsonl", "--new", "mail").stdout)) == 4


@pytest.mark.parametrize("name", ["", "has space", "a/b", "x" * 65])
def test_a_bookmark_name_is_checked(db, name):
    result = export(db, "--format", "jsonl", "--new", name)
    assert result.exit_code == 2 and "a bookmark name is" in result.stderr

def test_export_metric_keeps_only_claims_on_that_metric(db):
    result = export(db, "--format", "csv", "--metric", "memory")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["paper_id"], r["claim_text"], r["metric"]) for r in rows] == [("2503.00001", "40% less memory", "memory")]


def test_export_rejects_a_kind_outside_the_vocabulary(db):
    result = export(db, "--format", "csv", "--kind", "speedups")
    assert result.exit_code != 0 and "--kind 'speedups'" in result.output


def test_the_sources_own_summary_is_shown_labelled_as_theirs(db):
    md = export(db, "--format", "md").stdout
    assert "*the source's summary (theirs, not checked by us):* The source's own one-liner." in md
    html = export(db, "--format", "html").stdout
    assert "the source&#x27;s summary (theirs, not checked by us):</em> The source&#x27;s own one-liner." in html
    item = next(i for i in json.loads(export(db, "--format", "jsonfeed").stdout)["items"] if i["id"].endswith("2503.00001"))
    assert "the source's summary (theirs, not checked by us): The source's own one-liner." in item["content_text"]
    assert item["_summarize"]["tldr_source"] == "llm"  # the engine that wrote ours, never the source
