"""Atom 1.0 and JSON Feed 1.1: one entry per paper, its TL;DR as the summary, its tags as categories.

Feed readers show the TL;DR; the entry id is the paper's arXiv URL (or a URN for title-only papers) so a
re-export updates entries in place instead of duplicating them. `updated` is when the summary was made.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date, datetime, time, timezone
from typing import Any, TextIO

from agent.exporters.base import ExportOptions, entry_id, one_line, safe_url
from agent.models import Record
from agent.selection import source_summary, speedup_claims

ATOM_NS = "http://www.w3.org/2005/Atom"
JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "summarize"

# Characters XML 1.0 cannot carry at all, even escaped: C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _day(day: date) -> str:
    return _rfc3339(datetime.combine(day, time(), tzinfo=timezone.utc))


def _updated(record: Record) -> datetime:
    return record.provenance.created_at


def _feed_updated(records: Sequence[Record], options: ExportOptions) -> str:
    return _rfc3339(max((_updated(r) for r in records), default=options.generated))


def _summary_text(record: Record) -> str:
    return one_line(record.summary.tldr) or one_line(record.summary.problem) or one_line(record.title)


def _content_text(record: Record) -> str | None:
    """Ours, then the source's own summary labelled as theirs (None when the source gives none): a feed
    reader shows this text, and it must not pass theirs off as ours."""
    theirs = source_summary(record)
    if not theirs:
        return None
    return f"{_summary_text(record)}\n\n{theirs[0]} (theirs, not checked by us): {one_line(theirs[1])}"


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
    for r in records:
        entry = _sub(feed, "entry")
        _sub(entry, "id", entry_id(r))
        _sub(entry, "title", one_line(r.title))
        _sub(entry, "updated", _rfc3339(_updated(r)))
        if r.published:
            _sub(entry, "published", _day(r.published))
        if url := safe_url(r.url):
            _sub(entry, "link", href=url, rel="alternate", type="text/html")
        for name in r.authors:
            _sub(_sub(entry, "author"), "name", name)
        for tag in r.summary.tags:
            _sub(entry, "category", term=tag)
        _sub(entry, "summary", _summary_text(r), type="text")
        if (content := _content_text(r)) is not None:
            _sub(entry, "content", content, type="text")
    ET.indent(feed)
    out.write('<?xml version="1.0" encoding="utf-8"?>\n')
    out.write(ET.tostring(feed, encoding="unicode"))
    out.write("\n")
    return len(records)


def _jsonfeed_item(r: Record) -> dict[str, Any]:
    item: dict[str, Any] = {"id": entry_id(r), "title": one_line(r.title),
                            "content_text": _content_text(r) or _summary_text(r)}
    if url := safe_url(r.url):
        item["url"] = url
    if r.published:
        item["date_published"] = _day(r.published)
    item["date_modified"] = _rfc3339(_updated(r))
    if r.authors:
        item["authors"] = [{"name": name} for name in r.authors]
    item["tags"] = list(r.summary.tags)
    # Extensions start with an underscore (JSON Feed 1.1); readers that do not know them ignore them.
    item["_summarize"] = {
        "paper_id": r.id,
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
        "items": [_jsonfeed_item(r) for r in records],
    }
    json.dump(feed, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(records)
