"""claims.csv: one row per claim, for spreadsheets and pandas. The header is part of the public schema."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from agent.exporters.base import one_line, safe_url
from agent.models import Record

HEADER = [
    "paper_id",
    "title",
    "url",
    "published",
    "claim_text",
    "number",
    "low",
    "unit",
    "qualifier",
    "metric",
    "baseline",
    "grounded",
    "hardware",
    "model_scale",
    "tags",
    "engine",
    "model",
    # added after 0.1.0, at the end so that columns read by position stay where they were
    "source_id",
    "arxiv_url",
    "pdf_url",
    "code_url",
    "project_url",
    "kind",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Neutralise text a spreadsheet would run as a formula (a leading = + - @)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.15g}"  # 1234567 stays 1234567, not 1.23457e+06
    text = one_line(str(value))  # no control characters: no line breaks or escape sequences in a cell
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write_claims_csv(records: Iterable[Record], out: TextIO, include_ungrounded: bool = False) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    rows = 0
    for r in records:
        for c in r.summary.claims:
            if not c.grounded and not include_ungrounded:
                continue
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
                        r.id,
                        r.title,
                        r.url,
                        r.published,
                        c.text,
                        c.number,
                        c.low,
                        c.unit,
                        c.qualifier,
                        c.metric,
                        c.baseline,
                        c.grounded,
                        "; ".join(r.summary.hardware),
                        "; ".join(r.summary.model_scale),
                        "; ".join(r.summary.tags),
                        r.provenance.engine,
                        r.provenance.model,
                        r.source_id,
                        *(safe_url(r.links.get(k)) for k in ("abs", "pdf", "code", "project")),
                        c.kind,
                    )
                ]
            )
            rows += 1
    return rows
