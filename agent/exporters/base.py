"""What every export format gets: the records, an open text stream, and these options."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TextIO

from agent.models import Record, arxiv_id


@dataclass(frozen=True)
class ExportOptions:
    title: str = "Papers"
    include_ungrounded: bool = False
    # When the export was made: a feed's `updated` when it has no entries.
    generated: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    # Where the feed will be published (http/https): Atom's rel="self" link, JSON Feed's feed_url.
    feed_url: str | None = None
    # With --profile/--interests: the ranking (agent.relevance.service.Ranking); records come sorted by it
    # and the digest and page open with a "for you" section.
    ranking: Any = None


Writer = Callable[[Sequence[Record], TextIO, ExportOptions], int]


@dataclass(frozen=True)
class Format:
    writer: Writer
    suffix: str
    newline: str | None = None  # "" for csv: the csv module writes its own line ends
    help: str = ""


_SAFE_LINK = re.compile(r"^https?://", re.IGNORECASE)


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None: a javascript: or data: link from a source never becomes a link."""
    return url if url and _SAFE_LINK.match(url.strip()) else None


def entry_id(record: Record) -> str:
    """A permanent id for a paper in feeds: its arXiv abs URL, else a URN on its title hash."""
    if arxiv_id(record.id) == record.id:
        return f"https://arxiv.org/abs/{record.id}"
    return f"urn:summarize:{record.id}"


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())
