"""Exporters turn Records into files other tools read. One module per format, one line per format here.

A writer takes (records, text stream, ExportOptions) and returns how many papers it wrote. A format marked
`streams` reads its records once, so a run of any length is written from an iterator without holding it.
Each format's module is imported when it first writes: naming the formats (the CLI's --format choices)
costs nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

from agent.exporters.base import ExportOptions, Format, Writer

if TYPE_CHECKING:
    from agent.models import Record


def _lazy(module: str, name: str) -> Writer:
    """The writer `name` of `agent.exporters.<module>`, imported on its first call."""

    def write(records: Any, out: TextIO, options: ExportOptions) -> int:
        writer: Writer = getattr(importlib.import_module(f"agent.exporters.{module}"), name)
        return writer(records, out, options)

    write.__qualname__ = write.__name__ = name
    return write


def _csv(records: Iterable[Record], out: TextIO, options: ExportOptions) -> int:
    from agent.exporters.claims_csv import write_claims_csv

    papers = 0

    def counted() -> Iterator[Record]:
        nonlocal papers
        for record in records:
            papers += 1
            yield record

    write_claims_csv(counted(), out, include_ungrounded=options.include_ungrounded)
    return papers


def _jsonl(records: Iterable[Record], out: TextIO, options: ExportOptions) -> int:
    from agent.exporters.jsonl import write_jsonl

    return write_jsonl(records, out)


def _md(records: Iterable[Record], out: TextIO, options: ExportOptions) -> int:
    from agent.exporters.digest import write_digest

    return write_digest(records, out, title=options.title, ranking=options.ranking, same_work=options.same_work)


FORMATS: dict[str, Format] = {
    "csv": Format(_csv, ".csv", newline="", help="claims.csv: one row per claim", streams=True),  # type: ignore[arg-type]
    "jsonl": Format(_jsonl, ".jsonl", help="papers.jsonl: one record per line", streams=True),  # type: ignore[arg-type]
    "md": Format(_md, ".md", help="digest: TL;DRs grouped by tag", streams=True),  # type: ignore[arg-type]
    "html": Format(_lazy("html", "write_html"), ".html", help="one self-contained page with a speedup chart"),
    "atom": Format(_lazy("feeds", "write_atom"), ".atom", help="Atom 1.0 feed"),
    "jsonfeed": Format(_lazy("feeds", "write_jsonfeed"), ".json", help="JSON Feed 1.1"),
    "tldr": Format(_lazy("tldr", "write_tldr"), ".txt", help="one line per paper: Title — TL;DR (url)"),
}

__all__ = ["FORMATS", "ExportOptions", "Format"]
