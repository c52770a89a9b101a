"""One self-contained HTML page: the papers with TL;DRs, tags and claims, and an SVG chart of their speedups.

No scripts, no fonts or styles from elsewhere: the file reads the same offline, attached to a mail, years
later. Every piece of text from a source goes through html.escape, and only http(s) URLs become links, so a
title holding "<script>" or a "javascript:" URL stays inert text.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from html import escape
from typing import TextIO

from agent.exporters.base import ExportOptions, extra_links, one_line, primary_link
from agent.models import Claim, Record
from agent.selection import UNTAGGED, main_tag, source_summary, speedup_claims

CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{margin-bottom:.2rem}.lead{color:#555;margin-top:0}
h2{border-bottom:1px solid #ddd;margin-top:2.5rem}
article{margin:1.2rem 0;padding-bottom:.6rem;border-bottom:1px dashed #eee}
article h3{margin:.2rem 0;font-size:1.05rem}.meta{color:#666;font-size:.85rem;margin:.1rem 0}
.tag{display:inline-block;background:#eef3fb;color:#234;border-radius:3px;padding:0 .4rem;margin-right:.25rem;font-size:.8rem}
table.claims{border-collapse:collapse;font-size:.88rem;margin-top:.4rem}
table.claims th,table.claims td{border:1px solid #e3e3e3;padding:.15rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.ungrounded{color:#999}
svg.chart{width:100%;height:auto;font:12px system-ui,sans-serif}
svg .band{fill:#f7f7f7}svg .grid{stroke:#ddd}svg .one{stroke:#999;stroke-dasharray:3 3}
.why{color:#2563eb;font-size:.85rem;margin:1rem 0 -.9rem}
svg .point{fill:#2563eb;fill-opacity:.75;stroke:#fff}svg a:hover .point{fill:#dc2626}
"""

WIDTH, LEFT, RIGHT, TOP, BAND, AXIS = 760, 150, 24, 12, 34, 34


def _e(text: object) -> str:
    return escape(one_line(str(text)) if text is not None else "", quote=True)


def anchor(record: Record) -> str:
    return "p-" + re.sub(r"[^A-Za-z0-9_-]", "-", record.id)


def _href(record: Record) -> str:
    """The paper's own page when it has a safe URL, else its entry further down this page."""
    return primary_link(record) or f"#{anchor(record)}"


def _bands(records: Sequence[Record]) -> dict[str, list[Record]]:
    """Papers by main tag, the biggest group first and untagged papers last (the digest's order)."""
    groups: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        groups[main_tag(r)].append(r)
    return {t: groups[t] for t in sorted(groups, key=lambda t: (t == UNTAGGED, -len(groups[t]), t))}


def _ticks(lo: float, hi: float) -> list[float]:
    decades = range(round(math.log10(lo)), round(math.log10(hi)) + 1)
    return [m * 10**d for d in decades for m in (1, 2, 5) if lo <= m * 10**d <= hi]


def _number(value: float) -> str:
    return f"{value:.15g}"


def _chart(records: Sequence[Record]) -> str:
    bands = {tag: [(r, c) for r in rs for c in speedup_claims(r)] for tag, rs in _bands(records).items()}
    bands = {tag: points for tag, points in bands.items() if points}
    values = [c.number for points in bands.values() for _, c in points]
    if not values:
        return '<p class="lead">No grounded speedups were reported.</p>'
    lo = 10 ** math.floor(math.log10(min(values + [1.0])))
    hi = 10 ** math.ceil(math.log10(max(values + [1.0])))
    hi = hi if hi > lo else lo * 10
    plot = WIDTH - LEFT - RIGHT

    def x(v: float) -> float:
        return LEFT + (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * plot

    height = TOP + BAND * len(bands) + AXIS
    bottom = TOP + BAND * len(bands)
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="chart-title">',
        f'<title id="chart-title">Reported speedups ({len(values)}) by tag, log scale</title>',
    ]
    for i, tag in enumerate(bands):
        top = TOP + i * BAND
        parts.append(f'<rect class="band" x="{LEFT}" y="{top}" width="{plot}" height="{BAND - 4}"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{top + BAND / 2 + 2:.1f}" text-anchor="end">{_e(tag)}</text>')
    for t in _ticks(lo, hi):
        cls = "one" if t == 1 else "grid"
        parts.append(f'<line class="{cls}" x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{TOP}" y2="{bottom}"/>')
        parts.append(f'<text x="{x(t):.1f}" y="{bottom + 16}" text-anchor="middle">{_number(t)}x</text>')
    parts.append(f'<text x="{LEFT + plot / 2:.1f}" y="{height - 2}" text-anchor="middle">speedup (×, log scale)</text>')
    for i, points in enumerate(bands.values()):
        middle = TOP + i * BAND + (BAND - 4) / 2
        for j, (record, claim) in enumerate(points):
            y = middle + ((j % 5) - 2) * 4  # a little spread so equal values stay visible
            tip = f"{one_line(record.title)}: {claim.text} ({_number(claim.number)}x"
            tip += f" vs {claim.baseline})" if claim.baseline else ")"
            parts.append(
                f'<a href="{_e(_href(record))}"><title>{_e(tip)}</title>'
                f'<circle class="point" cx="{x(claim.number):.1f}" cy="{y:.1f}" r="5"/></a>'
            )
    parts.append("</svg>")
    return "\n".join(parts)


def _claims_table(claims: list[Claim]) -> str:
    if not claims:
        return ""
    rows = []
    for c in claims:
        cls = "" if c.grounded else ' class="ungrounded"'
        text = _e(c.text) + ("" if c.grounded else " <em>(not found in the abstract)</em>")
        rows.append(
            f"<tr{cls}><td>{text}</td><td class=\"num\">{_e(_number(c.number))}</td>"
            f"<td>{_e(c.unit)}</td><td>{_e(c.baseline or '')}</td></tr>"
        )
    return (
        '<table class="claims"><thead><tr><th>Claim</th><th>Number</th><th>Unit</th><th>Baseline</th>'
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _article(record: Record, include_ungrounded: bool) -> str:
    title = _e(record.title)
    url = primary_link(record)
    heading = f'<a href="{_e(url)}">{title}</a>' if url else title
    meta = [_e(record.published.isoformat())] if record.published else []
    if record.authors:
        meta.append(_e(", ".join(record.authors)))
    meta += [f'<a href="{_e(href)}">{_e(label)}</a>' for label, href in extra_links(record)]
    tags = "".join(f'<span class="tag">{_e(t)}</span>' for t in record.summary.tags)
    claims = [c for c in record.summary.claims if c.grounded or include_ungrounded]
    return (
        f'<article id="{anchor(record)}"><h3>{heading}</h3>'
        f'<p class="meta">{" · ".join(meta)} {tags}</p>'
        f"<p>{_e(record.summary.tldr)}</p>{_theirs(record)}{_claims_table(claims)}</article>"
    )


def _theirs(record: Record) -> str:
    theirs = source_summary(record)
    if not theirs:
        return ""
    return f'<p class="source-summary"><em>{_e(theirs[0])} (theirs, not checked by us):</em> {_e(theirs[1])}</p>'


def write_html(records: Sequence[Record], out: TextIO, options: ExportOptions) -> int:
    n_points = sum(len(speedup_claims(r)) for r in records)
    out.write(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(options.title)}</title><style>{CSS}</style></head><body>\n"
        f"<h1>{_e(options.title)}</h1>\n"
        f'<p class="lead">{len(records)} papers, {n_points} reported speedups.</p>\n'
        f"<figure>{_chart(records)}</figure>\n"
    )
    rest = records
    if options.ranking is not None:
        mine = options.ranking.for_you(records)
        chosen = {r.id for r in mine}
        rest = [r for r in records if r.id not in chosen]
        out.write(f'<section id="for-you"><h2>For you ({len(mine)})</h2>\n')
        if not mine:
            out.write('<p class="lead">No paper is close to the profile.</p>\n')
        for record in mine:
            s = options.ranking.scores[record.id]
            out.write(
                f'<p class="why">relevance {s.score:.2f}: {_e(s.explanation())}</p>'
                + _article(record, options.include_ungrounded)
                + "\n"
            )
        out.write("</section>\n")
    for tag, group in _bands(rest).items():
        out.write(f"<section><h2>{_e(tag)} ({len(group)})</h2>\n")
        for record in group:
            out.write(_article(record, options.include_ungrounded) + "\n")
        out.write("</section>\n")
    out.write("</body></html>\n")
    return len(records)
