"""digest.md: the day's TL;DRs grouped by each paper's main tag, headline claims in bold, linked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TextIO

from agent.exporters.base import safe_url
from agent.models import Record
from agent.selection import UNTAGGED, headline, main_tag, source_summary


def _md(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]").replace("\n", " ")


def _bold_headline(tldr: str, record: Record) -> str:
    """The TL;DR with the headline claim (`selection.headline`, the one the TL;DR quotes) in bold.

    The TL;DR may quote only the claim's first words (it has a word limit): the longest quoted prefix is
    bolded (after at most two leading words, the claim's subject, which the TL;DR may leave out). A claim the TL;DR does not quote at all is appended, in bold."""
    head = headline(record.summary.claims)
    if head is None:
        return tldr
    words = _md(head.text).split()
    has_digit = any(ch.isdigit() for ch in head.text)
    # the TL;DR may also leave out the claim's subject when it already names the system ("Llumnix improves")
    for skip in (0, 1, 2):
        for n in range(len(words), skip, -1):
            quote = " ".join(words[skip:n])
            if (any(ch.isdigit() for ch in quote) or (not has_digit and n == len(words))) and quote in tldr:
                return tldr.replace(quote, f"**{quote}**", 1)
    return f"{tldr} **{' '.join(words)}**" if words else tldr


def _line(r: Record) -> str:
    url = safe_url(r.url)
    link = f"[{_md(r.title)}]({url})" if url else _md(r.title)
    line = f"- {link}: {_bold_headline(_md(r.summary.tldr), r)}"
    theirs = source_summary(r)
    if theirs:
        line += f"\n  - *{_md(theirs[0])} (theirs, not checked by us):* {_md(theirs[1])}"
    return line


def write_digest(records: Iterable[Record], out: TextIO, title: str = "Papers") -> int:
    """Reads `records` once, keeping only each paper's finished line (not the record) until the end,
    so a long run's digest does not hold every record in memory."""
    groups: dict[str, list[str]] = defaultdict(list)
    n = 0
    for r in records:
        groups[main_tag(r)].append(_line(r))
        n += 1
    out.write(f"# {title}\n\n{n} papers.\n")
    order = sorted(groups, key=lambda t: (t == UNTAGGED, -len(groups[t]), t))
    for tag in order:
        out.write(f"\n## {tag} ({len(groups[tag])})\n\n")
        for line in groups[tag]:
            out.write(line + "\n")
    return n
