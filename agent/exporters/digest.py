"""digest.md: the day's TL;DRs grouped by each paper's main tag, headline claims in bold, linked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TextIO

from agent.models import Claim, Record

UNTAGGED = "other"


def headline(record: Record) -> Claim | None:
    """The claim a reader would quote: the largest grounded multiplier, else the largest percentage."""
    grounded = [c for c in record.summary.claims if c.grounded]
    for unit in ("x", "%"):
        same = [c for c in grounded if c.unit == unit]
        if same:
            return max(same, key=lambda c: c.number)
    return grounded[0] if grounded else None


def _md(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]").replace("\n", " ")


def _line(r: Record) -> str:
    link = f"[{_md(r.title)}]({r.url})" if r.url else _md(r.title)
    tldr, head = _md(r.summary.tldr), headline(r)
    if head is not None and (quote := _md(head.text)) in tldr:
        tldr = tldr.replace(quote, f"**{quote}**", 1)
    elif head is not None:
        tldr += f" **{_md(head.text)}**"
    return f"- {link}: {tldr}"


def write_digest(records: Iterable[Record], out: TextIO, title: str = "Papers") -> int:
    """Reads `records` once, keeping only each paper's finished line (not the record) until the end,
    so a long run's digest does not hold every record in memory."""
    groups: dict[str, list[str]] = defaultdict(list)
    n = 0
    for r in records:
        groups[r.summary.tags[0] if r.summary.tags else UNTAGGED].append(_line(r))
        n += 1
    out.write(f"# {title}\n\n{n} papers.\n")
    order = sorted(groups, key=lambda t: (t == UNTAGGED, -len(groups[t]), t))
    for tag in order:
        out.write(f"\n## {tag} ({len(groups[tag])})\n\n")
        for line in groups[tag]:
            out.write(line + "\n")
    return n
