"""digest.md: the day's TL;DRs grouped by each paper's main tag, headline claims in bold, linked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, TextIO
from urllib.parse import quote

from agent.exporters.base import extra_links, one_line, primary_link
from agent.models import Record
from agent.selection import UNTAGGED, headline, main_tag, source_summary


def _md(text: str) -> str:
    """Text from a source as inert Markdown: one line, no HTML (`<script>` shows as text), and no link
    syntax (a backslash cannot undo the escaping of a bracket)."""
    text = one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _md_url(url: str) -> str:
    """A link destination that cannot end early: parentheses, brackets, quotes, backslashes and anything
    outside ASCII percent-encoded, so `)` in a URL cannot start a second (javascript:) link."""
    return quote(url, safe="!#$%&*+,/:;=?@-._~")


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


def _line(r: Record, same_work: Mapping[str, list[tuple[str, str, float]]] | None = None) -> str:
    url = primary_link(r)
    link = f"[{_md(r.title)}]({_md_url(url)})" if url else _md(r.title)
    more = " · ".join(f"[{label}]({_md_url(href)})" for label, href in extra_links(r))
    line = f"- {link}: {_bold_headline(_md(r.summary.tldr), r)}" + (f" ({more})" if more else "")
    theirs = source_summary(r)
    if theirs:
        line += f"\n  - *{_md(theirs[0])} (theirs, not checked by us):* {_md(theirs[1])}"
    for other, other_title, likeness in (same_work or {}).get(r.id, []):
        line += f"\n  - *same work as* {_md(other_title)} ({_md(other)}; likeness {likeness:.2f}, possibly a duplicate)"
    return line


def write_digest(
    records: Iterable[Record],
    out: TextIO,
    title: str = "Papers",
    ranking: Any = None,
    same_work: Mapping[str, list[tuple[str, str, float]]] | None = None,
) -> int:
    """Reads `records` once, keeping only each paper's finished line (not the record) until the end,
    so a long run's digest does not hold every record in memory. With a `ranking` (a profile was given),
    a "For you" section comes first: the most relevant papers, each with its score and why. `same_work`
    (paper id -> its near-duplicates) adds a "same work as" note under a paper."""
    groups: dict[str, list[str]] = defaultdict(list)
    n = 0
    if ranking is not None:
        records = list(records)
        mine = ranking.for_you(records)
        chosen = {r.id for r in mine}
        records = [r for r in records if r.id not in chosen]
        n = len(mine)
    for r in records:
        groups[main_tag(r)].append(_line(r, same_work))
        n += 1
    out.write(f"# {title}\n\n{n} papers.\n")
    if ranking is not None:
        out.write(f"\n## For you ({len(mine)})\n\n")
        if not mine:
            out.write("No paper is close to the profile.\n")
        for r in mine:
            s = ranking.scores[r.id]
            out.write(f"{_line(r, same_work)}  \n  _relevance {s.score:.2f}: {_md(s.explanation())}_\n")
    order = sorted(groups, key=lambda t: (t == UNTAGGED, -len(groups[t]), t))
    for tag in order:
        out.write(f"\n## {tag} ({len(groups[tag])})\n\n")
        for line in groups[tag]:
            out.write(line + "\n")
    return n
