"""A tiny async engine for the kill-and-resume test: slow enough to be killed mid-run, and it writes each
paper id it is asked to summarise to a file, so a test can count engine calls across processes."""

from __future__ import annotations

import asyncio
from pathlib import Path

from agent.engines.base import Engine, hashed_key
from agent.models import Claim, Paper, Summary, Usage


class SlowEngine(Engine):
    name, model, prompt_version = "llm", "slow-test", "slow.v1"

    def __init__(self, calls_file: str | Path, delay: float = 0.05):
        self.calls_file = Path(calls_file)
        self.delay = delay

    def cache_key(self, paper: Paper) -> str:
        return hashed_key(self.name, self.model, paper.content_hash())

    async def summarize(self, paper: Paper) -> tuple[Summary, Usage | None]:
        with self.calls_file.open("a") as fh:
            fh.write(paper.id + "\n")
        await asyncio.sleep(self.delay)
        n = int(paper.id.split(".")[1]) + 2
        return Summary(claims=[Claim(text=f"{n}x faster", number=n, unit="x")], tags=["inference"], tldr="t"), None


def papers(n: int = 200) -> list[Paper]:
    return [Paper(id=f"2504.{i:05d}", title=f"Slow paper {i}", abstract=f"It is {i + 2}x faster.",
                  source="file") for i in range(n)]


def calls(path: str | Path) -> list[str]:
    path = Path(path)
    return path.read_text().split() if path.exists() else []
