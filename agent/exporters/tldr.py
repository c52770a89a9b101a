"""One line per paper, "Title — TL;DR (url)", for grep, less and chat messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from agent.exporters.base import ExportOptions, one_line, primary_link
from agent.models import Record


def tldr_line(record: Record) -> str:
    line = f"{one_line(record.title)} — {one_line(record.summary.tldr)}"
    url = primary_link(record)  # only http(s), and nothing in it that could break the line
    return f"{line} ({url})" if url else line


def write_tldr(records: Sequence[Record], out: TextIO, options: ExportOptions) -> int:
    for record in records:
        out.write(tldr_line(record) + "\n")
    return len(records)
