"""Exporters turn Records into files other tools read. One module per format, one line per format here.

A writer takes (records, text stream, ExportOptions) and returns how many papers it wrote. A format marked
`streams` reads its records once, so a run of any length is written from an iterator without holding it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from agent.exporters.base import ExportOptions, Format
from agent.exporters.claims_csv import write_claims_csv
from agent.exporters.digest import write_digest
from agent.exporters.feeds import write_atom, write_jsonfeed
from agent.exporters.html import write_html
from agent.exporters.jsonl import write_jsonl
from agent.exporters.tldr import write_tldr
from agent.models import Record


def _csv(records: Iterable[Record], out: TextIO, options: ExportOptions) -> int:
    papers = 0

    def counted() -> Iterator[Record]:
        nonlocal papers
        for record in records:
            papers += 1
            yield record

    write_claims_csv(counted(), out, include_ungrounded=options.include_ungrounded)
    return papers


def _jsonl(records: Iterable[Record], out: TextIO, options: ExportOptions) -> int:
    return write_jsonl(records, out)


def _md(records: Iterable[Record], out: TextIO, options: ExportOptions) -> int:
    return write_digest(records, out, title=options.title, ranking=options.ranking, same_work=options.same_work)


FORMATS: dict[str, Format] = {
    "csv": Format(_csv, ".csv", newline="", help="claims.csv: one row per claim", streams=True),  # type: ignore[arg-type]
    "jsonl": Format(_jsonl, ".jsonl", help="papers.jsonl: one record per line", streams=True),  # type: ignore[arg-type]
    "md": Format(_md, ".md", help="digest: TL;DRs grouped by tag", streams=True),  # type: ignore[arg-type]
    "html": Format(write_html, ".html", help="one self-contained page with a speedup chart"),
    "atom": Format(write_atom, ".atom", help="Atom 1.0 feed"),
    "jsonfeed": Format(write_jsonfeed, ".json", help="JSON Feed 1.1"),
    "tldr": Format(write_tldr, ".txt", help="one line per paper: Title — TL;DR (url)"),
}

__all__ = ["FORMATS", "ExportOptions", "Format"]
