"""The run loop: papers -> (cache?) -> engine -> grounding -> store.

Papers stream through a bounded queue to `concurrency` workers, so memory stays flat however long the
input is. Each paper is saved in its own transaction as soon as it is done: a run killed at any moment
resumes where it stopped, because finished papers are cache hits the next time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from agent.engines.base import Engine
from agent.errors import EndpointError, InputError, PaperFailed
from agent.finishing import finish
from agent.models import Paper, Usage, normalise_title
from agent.store import Store


@dataclass
class Limits:
    """Spending limits: a paper is not started when it could cross one. None means no limit."""

    max_requests: int | None = None
    max_cost: float | None = None


@dataclass
class RunStats:
    read: int = 0
    duplicates: int = 0
    cached: int = 0
    summarised: int = 0
    failed: int = 0
    skipped: int = 0
    claims: int = 0
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    cost_known: bool = True
    dropped: int = 0  # answer fields not found in the abstract, dropped when the paper was finished
    input_errors: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    # (the duplicate left out, the paper kept), each named by its source id when it has one
    duplicate_of: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "duplicates": self.duplicates,
            "cached": self.cached,
            "summarised": self.summarised,
            "failed": self.failed,
            "skipped": self.skipped,
            "claims": self.claims,
            "requests": self.requests,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": round(self.cost_usd, 6) if self.cost_known else None,
            "input_errors": len(self.input_errors),
            "dropped": self.dropped,
            "seconds": round(self.seconds, 3),
        }


def _name(paper: Paper) -> str:
    """A paper as a user would recognise it in their input: the source's id when it differs from ours."""
    if paper.source_id and paper.source_id != paper.id:
        return f"{paper.source_id} ({paper.id})"
    return paper.id


@dataclass
class Pipeline:
    engine: Engine
    store: Store
    concurrency: int | None = None  # None: what the engine wants (Engine.concurrency)
    limits: Limits = field(default_factory=Limits)
    use_cache: bool = True
    on_progress: Callable[[RunStats], None] | None = None
    stats: RunStats = field(default_factory=RunStats)
    run_id: int | None = None
    keys: list[str | None] = field(default_factory=list)  # cache key of each done paper, input order
    _reserved_requests: int = 0
    _reserved_cost: float = 0.0

    def run(self, items: Iterable[Paper | InputError], *, command: str | None = None) -> RunStats:
        """Summarise `items`; with `command`, the run is recorded in the store (started, then finished as
        done, failed or interrupted, with its counts), so `stats` and a resumed run can see it."""
        started = time.perf_counter()
        if command is not None:
            self.run_id = self.store.start_run(command, self.engine.name, self.engine.model)
        status = "failed"
        try:
            asyncio.run(self._run(items))
            status = "done"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            self.stats.seconds = time.perf_counter() - started
            if self.run_id is not None and command is not None:
                self.store.finish_run(self.run_id, status, self.stats.as_dict())
        return self.stats

    def report(self) -> dict[str, Any]:
        """The run's counts, with the engine's own totals under "engine_stats" when it keeps any."""
        report: dict[str, Any] = {**self.stats.as_dict(), "engine": self.engine.name, "model": self.engine.model}
        engine_stats = self.engine.stats()
        if engine_stats is not None:
            report["llm"] = engine_stats
        return report

    async def _run(self, items: Iterable[Paper | InputError]) -> None:
        workers = max(1, self.concurrency or self.engine.concurrency)
        queue: asyncio.Queue[tuple[int, Paper] | None] = asyncio.Queue(maxsize=workers * 2)
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(workers):
                    group.create_task(self._worker(queue))
                await self._produce(items, queue, workers)
        except* EndpointError as eg:
            raise eg.exceptions[0] from None
        finally:
            await self.engine.aclose()

    async def _produce(self, items: Iterable[Paper | InputError], queue: asyncio.Queue, workers: int) -> None:
        seen: dict[str, str] = {}  # identity -> how the kept paper is named
        for item in items:
            if isinstance(item, InputError):
                self.stats.input_errors.append(str(item))
                continue
            self.stats.read += 1
            # one paper, one record: the same id, or the same title under a title id and an arXiv id
            identity = {item.id, "title " + normalise_title(item.title)}
            if kept := next((seen[i] for i in identity if i in seen), None):
                self.stats.duplicates += 1
                self.stats.duplicate_of.append((_name(item), kept))
                continue
            seen.update(dict.fromkeys(identity, _name(item)))
            self.keys.append(None)
            await queue.put((len(self.keys) - 1, item))
        for _ in range(workers):
            await queue.put(None)

    async def _worker(self, queue: asyncio.Queue) -> None:
        while (job := await queue.get()) is not None:
            index, paper = job
            await self._one(index, paper)
            if self.on_progress:
                self.on_progress(self.stats)

    def _within_limits(self, requests: int, cost: float) -> bool:
        lim = self.limits
        if lim.max_requests is not None and self.stats.requests + self._reserved_requests + requests > lim.max_requests:
            return False
        if lim.max_cost is not None and self.stats.cost_usd + self._reserved_cost + cost > lim.max_cost:
            return False
        return True

    async def _one(self, index: int, paper: Paper) -> None:
        key = self.engine.cache_key(paper)
        if self.use_cache and (hit := self.store.cached(key)) is not None:
            self.store.upsert_paper(paper)  # refresh what the source says (date seen, extras)
            self.stats.cached += 1
            self.stats.claims += len(hit.summary.claims)
            self.keys[index] = key
            return
        # estimating a cost renders the prompt: only worth it on the hot path when a cost limit is set
        spend = self.engine.worst_case(paper, with_cost=self.limits.max_cost is not None)
        reserved_requests, reserved_cost = spend.requests, spend.cost_usd
        if not self._within_limits(reserved_requests, reserved_cost):
            self.stats.skipped += 1
            return
        self._reserved_requests += reserved_requests
        self._reserved_cost += reserved_cost
        try:
            summary, usage = await self.engine.summarize(paper)
        except PaperFailed as exc:
            self.stats.failed += 1
            self.stats.failures.append((paper.id, str(exc)))
            self._count_usage(exc.usage)
            self.store.record_failure(paper, self.engine.name, self.engine.model, key, str(exc), self.run_id)
            return
        finally:
            self._reserved_requests -= reserved_requests
            self._reserved_cost -= reserved_cost
        self._count_usage(usage)
        _, dropped = finish(
            self.store,
            paper,
            summary,
            engine=self.engine.name,
            model=self.engine.model,
            prompt_version=self.engine.prompt_version,
            usage=usage,
            cache_key=key,
            check=self.engine.checks_fields,
        )
        self.stats.dropped += len(dropped)
        self.stats.summarised += 1
        self.stats.claims += len(summary.claims)
        self.keys[index] = key

    def _count_usage(self, usage: Usage | None) -> None:
        if usage is None:
            return
        self.stats.requests += usage.requests
        self.stats.input_tokens += usage.input_tokens
        self.stats.output_tokens += usage.output_tokens
        if usage.cost_usd is None:
            if usage.requests:
                self.stats.cost_known = False
        else:
            self.stats.cost_usd += usage.cost_usd
