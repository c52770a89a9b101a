"""Hostile text in every export format, written the two ways it can arrive: read from an input file by
`summarize run` (the sources clean what they can), and saved in the store as it is (an LLM answer, or a
store written by an older version), then exported with `summarize export`.

The Markdown digest is rendered with markdown-it (CommonMark, raw HTML allowed, as many renderers do), so
"inert" means what a reader's browser would get: no element from a title, no link but http(s).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from agent.cli import app
from agent.exporters import FORMATS
from agent.models import Claim, Paper, Provenance, Summary
from agent.store import Store

runner = CliRunner()
ABSTRACT = "EvilServe improves throughput by up to 2.3x over vLLM."
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab and line feed are a file's own; none from a field
TITLES = {
    "script": 'EvilServe <script>alert("title")</script> batching',
    "img": "EvilServe <img src=x onerror=alert(1)> batching",
    "link": "EvilServe [click](javascript:alert(1)) batching",
    "backslash": "EvilServe \\](javascript:alert(1)) \\[x batching",
    "autolink": "EvilServe <javascript:alert(1)> batching",
    "entity": "EvilServe &lt;script&gt; &#106;avascript batching",
}
URLS = {
    "paren": "https://example.org/a)[click](javascript:alert(1))",
    "paren-space": "https://example.org/a) [click](javascript:alert(1))",
    "javascript": "javascript:alert(1)",
    "data": "data:text/html,<script>alert(1)</script>",
    "newline": "https://example.org/p\n- [click](javascript:alert(1))",
    "escape": "https://example.org/p\x1b[2J\x07",
    "bidi": "https://example.org/\u202etxt.exe",
}


def rendered_links(markdown: str) -> tuple[str, list[str]]:
    html = MarkdownIt("commonmark").render(markdown)
    return html, re.findall(r'href="([^"]*)"', html)


def assert_inert(markdown: str) -> None:
    html, hrefs = rendered_links(markdown)
    assert not re.search(r"<(script|img)\b", html), html
    assert all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
    assert len(hrefs) <= 2, hrefs  # one paper: its abstract (or page) and its PDF, nothing injected


def run_file(records: list[dict]) -> None:
    Path("in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    result = runner.invoke(app, ["run", "in.jsonl", "--engine", "rules", "--db", "s.db", "--out", "out"])
    assert result.exit_code == 0, result.output


def export(fmt: str) -> str:
    result = runner.invoke(app, ["export", "--format", fmt, "--db", "s.db"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("kind", sorted(TITLES))
def test_html_and_link_syntax_in_a_title_stays_text_in_the_digest(kind):
    run_file([{"title": TITLES[kind], "abstract": ABSTRACT, "url": "https://example.org/p"}])
    digest = Path("out/digest.md").read_text()
    assert_inert(digest)
    html, hrefs = rendered_links(digest)
    assert hrefs == ["https://example.org/p"]  # the title's own link syntax made no link


def test_a_script_in_a_title_reads_as_itself_in_the_rendered_digest():
    run_file([{"title": TITLES["script"], "abstract": ABSTRACT, "url": "https://example.org/p"}])
    html, _ = rendered_links(Path("out/digest.md").read_text())
    assert "EvilServe &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; batching" in html


@pytest.mark.parametrize("kind", sorted(URLS))
def test_a_hostile_url_never_becomes_a_second_link_or_a_non_http_link(kind):
    run_file([{"title": "EvilServe", "abstract": ABSTRACT, "url": URLS[kind]}])
    assert_inert(Path("out/digest.md").read_text())


def test_a_parenthesis_in_a_url_is_percent_encoded_in_the_digest():
    run_file([{"title": "EvilServe", "abstract": ABSTRACT, "url": URLS["paren"]}])
    _, hrefs = rendered_links(Path("out/digest.md").read_text())
    assert hrefs == ["https://example.org/a%29%5Bclick%5D%28javascript:alert%281%29%29"]


def test_control_characters_in_a_url_are_removed_when_read():
    run_file([{"title": "EvilServe", "abstract": ABSTRACT, "url": URLS["escape"]}])
    record = json.loads(Path("out/papers.jsonl").read_text())
    assert record["url"] == "https://example.org/p[2J"


def test_no_control_character_from_a_run_reaches_its_files():
    run_file([{"title": "Evil\x1b[31mServe\x00", "abstract": ABSTRACT + "\x07", "url": URLS["escape"]}])
    for name in ("claims.csv", "digest.md"):
        assert not CONTROL.search(Path("out", name).read_text()), name


# -- what is already in the store, as it is -----------------------------------------------------------------

STORED_TITLE = 'Evil\x1b]8;;javascript:alert(1)\x07Serve <script>alert("t")</script>\r\n# injected\x85heading'
STORED_URL = "https://example.org/p\r\n- [x](javascript:alert(1))\x1b[2J"


@pytest.fixture
def hostile_store() -> None:
    # not an arXiv id: the hostile URL is the only link this paper has (an arXiv id would give it a safe one)
    paper = Paper(id="title:hostile", title=STORED_TITLE, abstract=ABSTRACT, source="file", url=STORED_URL,
                  authors=["Mallory\x1b[2J"])
    claim = Claim(text="up to 2.3x over vLLM\r\n=cmd|' /C calc'!A0", number=2.3, unit="x", baseline="vLLM\x00")
    summary = Summary(tldr="EvilServe\x1b[31m is fast\n\n## <img src=x onerror=alert(1)>", claims=[claim],
                      tags=["inference"], problem="p\x00", method="m")
    with Store("s.db") as store:
        store.save_result(paper, summary, Provenance(engine="llm", model="m"), "k")


@pytest.mark.parametrize("fmt", ["md", "csv", "tldr", "html", "atom", "jsonfeed"])
def test_no_control_character_in_the_store_reaches_an_export(hostile_store, fmt):
    assert not CONTROL.search(export(fmt).replace("\r\n", "\n"))


def test_the_digest_of_a_hostile_store_is_inert_and_one_line_per_paper(hostile_store):
    digest = export("md")
    assert_inert(digest)
    assert [line for line in digest.splitlines() if line.startswith(("- ", "#"))] == [
        "# summarize: paper summaries", "## inference (1)",
        "- Evil \\]8;;javascript:alert(1) Serve &lt;script&gt;alert(\"t\")&lt;/script&gt; # injected heading: "
        "EvilServe \\[31m is fast ## &lt;img src=x onerror=alert(1)&gt; **up to 2.3x over vLLM =cmd|' /C calc'!A0**"]


def test_the_csv_of_a_hostile_store_has_one_row_per_claim_and_no_formula(hostile_store):
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    assert len(rows) == 1
    assert rows[0]["url"] == "https://example.org/p - [x](javascript:alert(1)) [2J"
    assert rows[0]["claim_text"] == "up to 2.3x over vLLM =cmd|' /C calc'!A0"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in rows[0].values())


def test_the_tldr_line_of_a_hostile_store_has_no_url_that_could_break_it(hostile_store):
    assert export("tldr").splitlines() == [
        "Evil ]8;;javascript:alert(1) Serve <script>alert(\"t\")</script> # injected heading — EvilServe [31m is fast ## "
        "<img src=x onerror=alert(1)>"]


def test_every_format_is_covered():
    assert set(FORMATS) == {"md", "csv", "tldr", "html", "atom", "jsonfeed", "jsonl"}  # jsonl escapes as JSON
