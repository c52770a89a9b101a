"""papers.jsonl: one Record per line, the schema documented in the README."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from agent.models import Record


def write_jsonl(records: Iterable[Record], out: TextIO) -> int:
    n = 0
    for record in records:
        out.write(record.model_dump_json() + "\n")
        n += 1
    return n
