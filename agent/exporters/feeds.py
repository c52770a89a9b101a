"""Atom 1.0 and JSON Feed 1.1: one entry per paper, its TL;DR as the summary, its tags as categories.

An entry's content is what a reader needs to decide without clicking: the TL;DR, the claims found in the
abstract, the abstract itself, and the links (arXiv, PDF, code, project page). The entry id is the paper's
arXiv URL (or a URN for title-only papers) so a re-export updates entries in place instead of duplicating
them. An entry is dated by the paper's own date (when the summary was made, for an undated paper); the
newest papers come first and undated ones after every dated one.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from html import escape
from typing import Any, TextIO

from agent.exporters.base import ExportOptions, entry_id, extra_links, one_line, primary_link, safe_url
from agent.models import Record
from agent.selection import dated_first, source_summary, speedup_claims

ATOM_NS = "http://www.w3.org/2005/Atom"
JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "summarize"

# Characters XML 1.0 cannot carry at all, even escaped: C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _day(day: date) -> str:
    return _rfc3339(datetime.combine(day, time(), tzinfo=UTC))


def _updated(record: Record) -> datetime:
    """When the summary was made: what changes an entry."""
    return record.provenance.created_at


def _entry_date(record: Record) -> str:
    """The date a reader sees on an entry: the paper's own, else when we summarised it."""
    return _day(record.published) if record.published else _rfc3339(_updated(record))


def _claim_text(record: Record) -> list[str]:
    lines = []
    for c in record.summary.claims:
        if c.grounded:
            against = f" (vs {one_line(c.baseline)})" if c.baseline else ""
            lines.append(one_line(c.text) + against)
    return lines


def content_html(record: Record) -> str:
    """An entry's body as HTML, every piece of source text escaped and only http(s) links."""

    def e(text: str) -> str:
        return escape(one_line(text), quote=True)

    parts = []
    if record.summary.tldr:
        parts.append(f"<p><strong>TL;DR</strong> {e(record.summary.tldr)}</p>")
    if theirs := source_summary(record):  # the source's own summary, labelled as theirs, never as ours
        parts.append(f"<p><em>{e(theirs[0])} (theirs, not checked by us):</em> {e(theirs[1])}</p>")
    if claims := _claim_text(record):
        parts.append("<p>Claims found in the abstract:</p><ul>" + "".join(f"<li>{e(c)}</li>" for c in claims) + "</ul>")
    if record.abstract:
        parts.append(f"<p><strong>Abstract</strong> {e(record.abstract)}</p>")
    links = [(label, url) for label, url in [("paper", primary_link(record)), *extra_links(record)] if url]
    if links:
        parts.append("<p>" + " · ".join(f'<a href="{e(url)}">{e(label)}</a>' for label, url in links) + "</p>")
    return "\n".join(parts)


def content_text(record: Record) -> str:
    """The same as plain text, for readers that show no HTML."""
    parts = [_summary_text(record)]
    if theirs := source_summary(record):
        parts.append(f"{theirs[0]} (theirs, not checked by us): {one_line(theirs[1])}")
    if claims := _claim_text(record):
        parts.append("Claims found in the abstract:\n" + "\n".join(f"- {c}" for c in claims))
    if record.abstract:
        parts.append("Abstract: " + one_line(record.abstract))
    links = [(label, url) for label, url in [("paper", primary_link(record)), *extra_links(record)] if url]
    if links:
        parts.append("\n".join(f"{label}: {url}" for label, url in links))
    return "\n\n".join(parts)


def _feed_updated(records: Sequence[Record], options: ExportOptions) -> str:
    return _rfc3339(max((_updated(r) for r in records), default=options.generated))


def _summary_text(record: Record) -> str:
    return one_line(record.summary.tldr) or one_line(record.summary.problem) or one_line(record.title)


def _sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{name}", {k: _xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _xml_text(text)
    return el


def write_atom(records: Sequence[Record], out: TextIO, options: ExportOptions) -> int:
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "id", "urn:summarize:feed:" + re.sub(r"[^\w.-]+", "-", options.title.lower()).strip("-"))
    _sub(feed, "title", options.title)
    _sub(feed, "updated", _feed_updated(records, options))
    if url := safe_url(options.feed_url):
        _sub(feed, "link", href=url, rel="self", type="application/atom+xml")
    _sub(_sub(feed, "author"), "name", GENERATOR)  # entries without authors inherit it, as Atom requires
    _sub(feed, "generator", GENERATOR)
    for r in dated_first(records):
        entry = _sub(feed, "entry")
        _sub(entry, "id", entry_id(r))
        _sub(entry, "title", one_line(r.title))
        _sub(entry, "updated", _entry_date(r))
        if r.published:
            _sub(entry, "published", _day(r.published))
        if url := primary_link(r):
            _sub(entry, "link", href=url, rel="alternate", type="text/html")
        for label, url in extra_links(r):
            kind = {"PDF": "application/pdf"}.get(label, "text/html")
            _sub(entry, "link", href=url, rel="related", type=kind, title=label)
        for name in r.authors:
            _sub(_sub(entry, "author"), "name", name)
        for tag in r.summary.tags:
            _sub(entry, "category", term=tag)
        _sub(entry, "summary", _summary_text(r), type="text")
        _sub(entry, "content", content_html(r), type="html")
    ET.indent(feed)
    out.write('<?xml version="1.0" encoding="utf-8"?>\n')
    out.write(ET.tostring(feed, encoding="unicode"))
    out.write("\n")
    return len(records)


def _jsonfeed_item(r: Record) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": entry_id(r),
        "title": one_line(r.title),
        "summary": _summary_text(r),
        "content_html": content_html(r),
        "content_text": content_text(r),
    }
    if url := primary_link(r):
        item["url"] = url
    if code := safe_url(r.links.get("code")):
        item["external_url"] = code
    item["date_published"] = _entry_date(r)
    item["date_modified"] = _rfc3339(_updated(r))
    if r.authors:
        item["authors"] = [{"name": name} for name in r.authors]
    item["tags"] = list(r.summary.tags)
    # Extensions start with an underscore (JSON Feed 1.1); readers that do not know them ignore them.
    item["_summarize"] = {
        "paper_id": r.id,
        "source_id": r.source_id,
        "links": {k: v for k, v in r.links.items() if safe_url(v)},
        "speedups": [{"text": c.text, "number": c.number, "baseline": c.baseline} for c in speedup_claims(r)],
        "tldr": one_line(r.summary.tldr),
        "tldr_source": r.summary.tldr_source,
    }
    if theirs := source_summary(r):
        item["_summarize"]["source_summary"] = {"by": theirs[0], "text": one_line(theirs[1])}
    return item


def write_jsonfeed(records: Sequence[Record], out: TextIO, options: ExportOptions) -> int:
    feed = {
        "version": JSONFEED_VERSION,
        "title": options.title,
        **({"feed_url": url} if (url := safe_url(options.feed_url)) else {}),
        "authors": [{"name": GENERATOR}],
        "items": [_jsonfeed_item(r) for r in dated_first(records)],
    }
    json.dump(feed, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(records)
