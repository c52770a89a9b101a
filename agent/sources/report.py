"""What a network source did: how many items it listed, how many we used, and why the rest were not.

Nothing a source lists is dropped silently: each unusable item is one line in `problems`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from agent.errors import InputError
from agent.models import Paper


@dataclass
class Report:
    source: str  # "huggingface.co daily papers", "huggingface.co search", "arXiv"
    requested: str  # the day, the query, or the categories asked for
    listed: int = 0  # items the source listed
    used: int = 0  # papers returned to the caller
    day: date | None = None  # the day actually served (may differ with latest=True)
    problems: list[str] = field(default_factory=list)  # one line per listed item we could not use
    notes: list[str] = field(default_factory=list)  # anything else the user should know
    urls: list[str] = field(default_factory=list)  # every URL fetched, in order

    def add(self, items: list[Paper | InputError]) -> list[Paper]:
        papers = [p for p in items if isinstance(p, Paper)]
        self.problems += [str(e) for e in items if not isinstance(e, Paper)]
        self.used += len(papers)
        return papers

    def summary(self) -> str:
        """One line for the CLI, e.g. 'huggingface.co daily papers 2026-06-12: 30 listed, 29 used, 1 unusable'."""
        served = self.day.isoformat() if self.day else self.requested
        text = f"{self.source} {served}: {self.listed} listed, {self.used} used"
        if self.problems:
            text += f", {len(self.problems)} unusable"
        return text
