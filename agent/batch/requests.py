"""`batch prepare`: one chat-completion request line per paper the store has no answer for yet.

A line carries exactly the messages the live engine sends (rendered by the engine's own prompt), and the
live response model as a strict JSON-schema response format (the batch path always uses the engine in
`json_schema` mode: a batch cannot re-ask). The mode is not part of the cache key, so `summarize run`
reuses batch answers, and a paper `summarize run` has already answered is not prepared again.

Files are split before either Batch API limit (50,000 requests, 200 MB per file) is crossed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from agent.batch.ledger import Ledger
from agent.batch.schema import response_format
from agent.engines.llm import LLMEngine
from agent.engines.llm_config import LLMSettings
from agent.engines.llm_prompt import DEFAULT_PROMPT, prompt_context
from agent.engines.llm_schema import LLMSummary
from agent.engines.pricing import add_cost, batch_price
from agent.errors import InputError
from agent.models import Paper
from agent.store import Store

ENDPOINT: Final = "/v1/chat/completions"
MAX_REQUESTS_PER_FILE = 50_000
MAX_BYTES_PER_FILE = 200 * 1000 * 1000  # OpenAI says 200 MB; decimal megabytes stay under either reading
_LEDGER_CHUNK = 1000


def batch_engine(settings: LLMSettings) -> LLMEngine:
    """The engine whose prompt, schema and cache key the batch path uses: `settings` in json_schema mode.

    A batch answers the whole summary (an `extract.*` prompt): the hybrid task's proposals are made live."""
    if (settings.prompt_version or "").startswith("label."):
        settings = settings.with_(prompt_version=DEFAULT_PROMPT)
    return LLMEngine(settings.with_(mode="json_schema"))


def request_body(engine: LLMEngine, paper: Paper) -> dict[str, Any]:
    messages = engine.prompt.render(prompt_context(paper.title, paper.abstract, engine.taxonomy))
    return {
        "model": engine.model,
        "messages": messages,
        "response_format": response_format(LLMSummary),
        **engine.generation_params(),
    }


def request_line(engine: LLMEngine, paper: Paper) -> dict[str, Any]:
    return {"custom_id": paper.id, "method": "POST", "url": ENDPOINT, "body": request_body(engine, paper)}


class SplitWriter:
    """JSONL into `<stem>-001<suffix>`, `<stem>-002<suffix>`...: a new file before a limit would be crossed.

    Each file is written beside its final name and renamed when complete, so a crash never leaves half
    a request file that could be submitted.
    """

    def __init__(self, out: Path, max_requests: int = MAX_REQUESTS_PER_FILE, max_bytes: int = MAX_BYTES_PER_FILE):
        if max_requests < 1 or max_bytes < 1:
            raise InputError("the per-file limits must be at least 1")
        self.out, self.max_requests, self.max_bytes = out, max_requests, max_bytes
        self.files: list[tuple[Path, int]] = []  # (final path, lines), completed files
        self._handle: Any = None
        self._tmp: Path | None = None
        self._lines = self._bytes = 0

    def path(self, number: int) -> Path:
        return self.out.with_name(f"{self.out.stem}-{number:03d}{self.out.suffix or '.jsonl'}")

    def write(self, line: str) -> Path:
        data = (line + "\n").encode("utf-8")
        if len(data) > self.max_bytes:
            raise InputError(f"one request line is {len(data)} bytes, over the {self.max_bytes}-byte file limit")
        if self._handle is None or self._lines >= self.max_requests or self._bytes + len(data) > self.max_bytes:
            self._next()
        self._handle.write(data)
        self._lines += 1
        self._bytes += len(data)
        return self.path(len(self.files) + 1)

    def _next(self) -> None:
        self._finish()
        final = self.path(len(self.files) + 1)
        final.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = final.with_name(f".{final.name}.tmp")
        self._handle = open(self._tmp, "wb")
        self._lines = self._bytes = 0

    def _finish(self) -> None:
        if self._handle is None or self._tmp is None:
            return
        self._handle.close()
        final = self.path(len(self.files) + 1)
        os.replace(self._tmp, final)
        self.files.append((final, self._lines))
        self._handle = None

    def close(self) -> list[tuple[Path, int]]:
        self._finish()
        return self.files

    def abort(self) -> None:
        if self._handle is not None:
            self._handle.close()
            if self._tmp is not None:
                self._tmp.unlink(missing_ok=True)
            self._handle = None

    def stale(self) -> list[Path]:
        """Numbered files of the same name left by an earlier prepare that this one did not rewrite."""
        pattern = re.compile(rf"{re.escape(self.out.stem)}-(\d{{3,}}){re.escape(self.out.suffix or '.jsonl')}")
        written = {p for p, _ in self.files}
        folder = self.out.parent if str(self.out.parent) else Path(".")
        return sorted(p for p in folder.glob(f"{self.out.stem}-*") if pattern.fullmatch(p.name) and p not in written)


@dataclass
class PrepareReport:
    read: int = 0
    duplicates: int = 0
    cached: int = 0
    pending: int = 0
    prepared: int = 0
    estimated_cost_usd: float | None = 0.0
    files: list[tuple[Path, int]] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    input_errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        cost = self.estimated_cost_usd
        return {
            "read": self.read,
            "duplicates": self.duplicates,
            "cached": self.cached,
            "pending": self.pending,
            "prepared": self.prepared,
            "estimated_cost_usd": round(cost, 6) if cost is not None else None,
            "files": [{"path": str(p), "requests": n} for p, n in self.files],
            "removed": [str(p) for p in self.removed],
            "input_errors": len(self.input_errors),
        }


def prepare(
    items: Iterable[Paper | InputError],
    engine: LLMEngine,
    store: Store,
    out: Path,
    *,
    max_requests: int = MAX_REQUESTS_PER_FILE,
    max_bytes: int = MAX_BYTES_PER_FILE,
) -> PrepareReport:
    """Write request files for the papers without an answer in the store; record each line in the ledger.

    A paper is left out when the store has an answer for it (from a batch or from `summarize run` with the
    same model, prompt and settings), or when a batch still running carries it.
    """
    report = PrepareReport()
    ledger = Ledger(store)
    writer = SplitWriter(out, max_requests, max_bytes)
    rows: list[tuple[str, str, str, str, str, str, str]] = []
    seen: set[str] = set()
    model, version = engine.model, engine.prompt_version
    assert model is not None and version is not None  # an LLM engine always has both
    try:
        for item in items:
            if isinstance(item, InputError):
                report.input_errors.append(str(item))
                continue
            report.read += 1
            key = engine.cache_key(item)
            if store.cached(key) is not None:
                report.cached += 1
                continue
            paper = store.upsert_paper(item)  # collect reads the abstract back from the store
            if paper.id in seen:
                report.duplicates += 1
                continue
            seen.add(paper.id)
            if ledger.pending_batch(paper.id, model):
                report.pending += 1
                continue
            path = writer.write(json.dumps(request_line(engine, paper), ensure_ascii=False))
            rows.append((paper.id, model, version, paper.id, key, paper.content_hash(), path.name))
            report.prepared += 1
            _add_cost(report, engine.estimate_cost(paper))
            if len(rows) >= _LEDGER_CHUNK:
                ledger.prepared(rows)
                rows.clear()
    except BaseException:
        writer.abort()
        raise
    ledger.prepared(rows)
    report.files = writer.close()
    report.removed = writer.stale()
    for path in report.removed:
        path.unlink()
    return report


def _add_cost(report: PrepareReport, cost: float | None) -> None:
    report.estimated_cost_usd = add_cost(report.estimated_cost_usd, batch_price(cost))
