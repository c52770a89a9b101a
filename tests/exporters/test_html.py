"""The HTML page, read back with html.parser: structure, chart points, links, and escaping."""

from __future__ import annotations

import io
import math
from html.parser import HTMLParser

import pytest

from agent.exporters import ExportOptions
from agent.exporters.html import write_html
from agent.models import Claim, Paper, Provenance, Record, Summary
from agent.store import Store
from tests.sample_store import HOSTILE_TITLE, SPEEDUP_POINTS, fill

VOID = {"meta", "link", "br", "hr", "img", "input", "circle", "rect", "line", "path"}


class Page(HTMLParser):
    """Collects tags, checks nesting, and notes chart points and the link each one sits in."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.points: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self.svg_labels: list[str] = []
        self._href: str | None = None
        self._tip: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        self.tags.append((tag, attrs_d))
        if tag == "a":
            self._href, self._tip = attrs_d.get("href"), None
        if tag == "circle" and attrs_d.get("class") == "point":
            self.points.append({**attrs_d, "href": self._href, "tip": self._tip})
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self.stack and self.stack[-1] == "text" and "svg" in self.stack:
            self.svg_labels.append(data)
        if self.stack[-2:] == ["a", "title"]:
            self._tip = data

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


@pytest.fixture
def records(tmp_path):
    with Store(tmp_path / "s.db") as store:
        fill(store)
        return list(store.records())


def page(records, **options) -> Page:
    out = io.StringIO()
    write_html(records, out, ExportOptions(title="Sample", **options))
    return Page(out.getvalue())


def test_page_parses_with_every_element_closed_in_order(records):
    p = page(records)
    assert p.errors == [] and p.stack == []


def test_one_point_per_grounded_speedup_claim(records):
    assert len(page(records).points) == SPEEDUP_POINTS


def test_every_point_links_to_its_paper(records):
    hrefs = sorted(p["href"] for p in page(records).points)
    assert hrefs == ["https://arxiv.org/abs/2503.00001"] * 2 + [
        "https://arxiv.org/abs/2503.00002", "https://arxiv.org/abs/2503.00004"]


def test_every_point_has_a_tooltip_naming_paper_and_claim(records):
    tips = sorted(p["tip"] for p in page(records).points)
    assert tips[0] == "=HYPERLINK(\"http://evil\",\"click\") Training at Scale: 1.5x faster than Megatron (1.5x vs @Megatron)"
    assert all(t for t in tips)


def test_chart_has_one_band_per_main_tag_with_speedups(records):
    labels = page(records).svg_labels
    assert "inference" in labels and "training" in labels and "other" not in labels


def test_chart_positions_are_on_a_log_scale(records):
    x = sorted((float(p["cx"]) for p in page(records).points), reverse=True)
    at = dict(zip([12.0, 3.0, 2.5, 1.5], x))
    # equal ratios are equal distances: 12/3 = 4 = (3/1.5)**2
    assert math.isclose(at[12.0] - at[3.0], 2 * (at[3.0] - at[1.5]), rel_tol=0.02)


def test_no_script_element_and_hostile_title_is_text(records):
    p = page(records)
    assert p.named("script") == [] and HOSTILE_TITLE in "".join(p.text)


def test_page_is_self_contained(records):
    p = page(records)
    assert p.named("link") == [] and all("src" not in attrs for _, attrs in p.tags)
    assert len(p.named("style")) == 1


def test_papers_with_tldr_tags_and_claims_are_listed(records):
    p = page(records)
    text = "".join(p.text)
    assert len(p.named("article")) == 4
    assert "Compresses the KV cache." in text and "up to 12x faster than vLLM" in text
    assert [a["class"] for a in p.named("span")].count("tag") == 4


def test_ungrounded_claims_appear_only_when_asked(records):
    assert "99x cheaper" not in "".join(page(records).text)
    assert "99x cheaper" in "".join(page(records, include_ungrounded=True).text)


def test_javascript_urls_never_become_links():
    paper = Paper(id="title:abc", title="t", abstract="2x", source="file", url="javascript:alert(1)",
                  source_extras={"hf_github_repo": "javascript:alert(2)", "project_page": "data:text/html,x"})
    record = Record.of(paper, Summary(claims=[Claim(text="2x", number=2, unit="x")]), Provenance(engine="rules"))
    p = page([record])
    assert [a["href"] for a in p.named("a")] == ["#p-title-abc"]


def test_page_without_speedups_says_so_instead_of_a_chart():
    paper = Paper(id="2503.00009", title="t", abstract="a", source="file")
    p = page([Record.of(paper, Summary(tldr="x"), Provenance(engine="rules"))])
    assert p.named("svg") == [] and "No grounded speedups were reported." in "".join(p.text)
