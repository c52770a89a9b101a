"""What every export format gets: the records, an open text stream, and these options."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from agent.ids import arxiv_id

if TYPE_CHECKING:  # the CLI reads ExportOptions and Format before any record exists
    from agent.models import Record


@dataclass(frozen=True)
class ExportOptions:
    title: str = "Papers"
    include_ungrounded: bool = False
    # When the export was made: a feed's `updated` when it has no entries.
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))
    # Where the feed will be published (http/https): Atom's rel="self" link, JSON Feed's feed_url.
    feed_url: str | None = None
    # With --profile/--interests: the ranking (agent.relevance.service.Ranking); records come sorted by it
    # and the digest and page open with a "for you" section.
    ranking: Any = None
    # Near-duplicates (agent.relevance.service.same_work): paper id -> (other id, other title, likeness);
    # the digest notes "same work as" under each.
    same_work: dict[str, list[tuple[str, str, float]]] = field(default_factory=dict)


Writer = Callable[[Sequence["Record"], TextIO, ExportOptions], int]


@dataclass(frozen=True)
class Format:
    writer: Writer
    suffix: str
    newline: str | None = None  # "" for csv: the csv module writes its own line ends
    help: str = ""
    streams: bool = False  # reads the records once: an iterator is enough (see agent.exporters)


_SAFE_LINK = re.compile(r"^https?://", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) with a host and holds no space, control or other unprintable character
    (a line break, a bidi override), else None: a javascript: or data: link from a source never becomes a
    link, and a URL cannot carry text out of the place it is written in."""
    url = (url or "").strip()
    if not _SAFE_LINK.match(url) or any(ch.isspace() or not ch.isprintable() for ch in url):
        return None
    try:
        return url if urlsplit(url).hostname else None
    except ValueError:  # a malformed port or IPv6 address
        return None


def entry_id(record: Record) -> str:
    """A permanent id for a paper in feeds: its arXiv abs URL, else a URN on its title hash."""
    if arxiv_id(record.id) == record.id:
        return f"https://arxiv.org/abs/{record.id}"
    return f"urn:summarize:{record.id}"


# How each kind of link is labelled where a reader clicks (see models.paper_links), in this order.
LINK_LABELS = {"abs": "arXiv", "pdf": "PDF", "code": "code", "project": "project page"}


def primary_link(record: Record) -> str | None:
    """The one link for a paper's title: its arXiv abstract when it has one, else the page the source gave."""
    links = record.links
    return safe_url(links.get("abs") or links.get("page") or record.url)


def extra_links(record: Record) -> list[tuple[str, str]]:
    """(label, url) of every other place to click: arXiv abstract (when the title links elsewhere), PDF,
    code repository and project page; only http(s) URLs."""
    first = primary_link(record)
    found = []
    for key, label in LINK_LABELS.items():
        url = safe_url(record.links.get(key))
        if url and url != first:
            found.append((label, url))
    return found


def one_line(text: str | None) -> str:
    """One line of text: control characters (escape sequences, NULs, line breaks) become spaces, runs of
    whitespace one space."""
    return " ".join(_CONTROL.sub(" ", text or "").split())
