"""The engine contract: what the pipeline, the CLI and `batch` may ask of an engine, and nothing else.

An engine turns one `Paper` into a `Summary`. It does not ground, stamp or save what it returns: that
is `agent.finishing.finish`, the one place every path (live run, batch collect) finishes a paper.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from agent.models import Paper, Summary, Usage

DEFAULT_CONCURRENCY = 8  # papers in flight when neither the engine nor the user says otherwise


@dataclass(frozen=True)
class Spend:
    """The most one paper can cost: every transport retry of every answer. A spending limit reserves this
    much for each paper in flight, which is what lets it stop a run before the limit is crossed."""

    requests: int = 0
    cost_usd: float = 0.0


class Engine(ABC):
    name: str
    model: str | None = None
    prompt_version: str | None = None
    # A model's hardware, model scale, tags and TL;DR are held to the abstract when the paper is finished
    # (grounding.check_fields). The rules engine derives them from the text and names hardware classes
    # in its own vocabulary ("edge devices" for "IoT devices"), so it is not.
    checks_fields: bool = True

    @abstractmethod
    def cache_key(self, paper: Paper) -> str:
        """Everything that changes this engine's answer for `paper`; equal keys serve the stored answer."""

    def worst_case(self, paper: Paper, *, with_cost: bool = False) -> Spend:
        """The most `paper` can spend (see Spend). `with_cost` asks for the cost too, which may cost CPU."""
        return Spend()

    @property
    def concurrency(self) -> int:
        """Papers in flight this engine wants (the user's setting for the llm engine)."""
        return DEFAULT_CONCURRENCY

    @abstractmethod
    async def summarize(self, paper: Paper) -> tuple[Summary, Usage | None]:
        """One paper's summary and what it cost. Raises PaperFailed (the run goes on) or EndpointError
        (stop the run); both carry `.usage` when requests were made."""

    async def aclose(self) -> None:
        """Release what the engine holds (HTTP connections); called once when a run ends."""
        return None

    def stats(self) -> dict[str, Any] | None:
        """Totals over the engine's life for the end-of-run report, or None when there is nothing to say."""
        return None

    def describe(self) -> str:
        return self.name if not self.model else f"{self.name}, model {self.model}"


def hashed_key(*parts: str) -> str:
    """A cache key from ordered parts (joined with a separator no part contains)."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
