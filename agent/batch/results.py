"""`batch collect`: each result line through the live engine's validation and grounding, into the store.

A line is the Batch API's output (or error) format, which vLLM's run_batch also writes:
{"id", "custom_id", "response": {"status_code", "request_id", "body": <chat completion>}, "error"}.

There is no re-ask in a batch, so an answer goes through the live engine's two passes at once: the strict
validators first; when they reject it, the lenient final pass (ungrounded claims kept with grounded
False, unknown tags dropped, an over-long TL;DR cut), as after the live engine's last re-ask. What the
strict pass said is reported. Only an answer that does not fit the structure fails the paper.

Idempotent: a line whose cache key already has an answer in the store is reported as already stored and
changes nothing, so collecting twice stores nothing twice. A failed line is recorded as a failure; the
paper has no answer, so the next `prepare` includes it again.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import instructor
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from agent.batch.ledger import Ledger, PreparedRequest
from agent.engines.llm import LLMEngine, _answer_text
from agent.engines.llm_prompt import prompt_context
from agent.engines.llm_schema import LLMSummary
from agent.engines.pricing import BATCH_PRICE_FACTOR, add_cost, batch_price, cost_usd
from agent.finishing import finish
from agent.models import Paper, Summary, Usage
from agent.store import Store


class LineFailed(Exception):
    """This line gives no usable answer; `kind` groups the reasons in the report."""

    def __init__(self, kind: str, reason: str, usage: Usage | None = None):
        super().__init__(reason)
        self.kind, self.reason, self.usage = kind, reason, usage


@dataclass
class CollectReport:
    lines: int = 0
    stored: int = 0
    lenient: int = 0  # of `stored`: accepted by the lenient pass only
    already_stored: int = 0
    failed: int = 0
    claims: int = 0
    ungrounded_claims: int = 0
    dropped: int = 0  # answer fields not found in the abstract (grounding.check_fields)
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0
    failed_by: Counter = field(default_factory=Counter)  # kind -> lines
    failures: list[tuple[str, str]] = field(default_factory=list)  # (custom_id, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (custom_id, what the strict pass said)

    def as_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "stored": self.stored,
            "lenient": self.lenient,
            "already_stored": self.already_stored,
            "failed": self.failed,
            "failed_by": dict(self.failed_by),
            "claims": self.claims,
            "ungrounded_claims": self.ungrounded_claims,
            "dropped": self.dropped,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": round(self.cost_usd, 6) if self.cost_usd is not None else None,
            "failures": [{"custom_id": c, "reason": r} for c, r in self.failures],
        }


class Collector:
    """Turns result lines into stored summaries or recorded failures, counting both in `report`.

    `model` and `prompt_version` pick the prepared lines of one model and prompt (a batch knows both; a
    local results file may need --model when the same papers were prepared for several models). Without
    `prompt_version`, a line prepared under one prompt version only is found under that one, and one
    prepared under several is taken for the engine's current version.
    """

    def __init__(
        self,
        engine: LLMEngine,
        store: Store,
        *,
        model: str | None = None,
        prompt_version: str | None = None,
        price_factor: float = BATCH_PRICE_FACTOR,
    ):
        self.engine, self.store, self.ledger = engine, store, Ledger(store)
        self.model = model
        self.prompt_version = prompt_version
        self.price_factor = price_factor
        self.report = CollectReport()

    def collect(self, lines: Iterable[str], source: str) -> CollectReport:
        for number, raw in enumerate(lines, 1):
            if raw.strip():
                self.line(raw, f"{source}:{number}")
        return self.report

    def line(self, raw: str, where: str) -> None:
        self.report.lines += 1
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError
        except ValueError:
            return self._fail(where, None, None, LineFailed("unreadable", "not a JSON object"))
        except RecursionError:
            return self._fail(where, None, None, LineFailed("unreadable", "JSON nested too deeply to read"))
        custom_id = str(data.get("custom_id"))
        try:
            request = self._request(custom_id)
        except LineFailed as exc:
            return self._fail(custom_id, None, None, exc)
        if self.store.cached(request.cache_key) is not None:
            self.report.already_stored += 1
            return None
        paper = self.store.get_paper(request.paper_id)
        try:
            if paper is None or paper.content_hash() != request.content_hash:
                raise LineFailed("changed", "the abstract changed since prepare; the next prepare includes it")
            if request.previous_hash:
                raise LineFailed(
                    "changed",
                    "the abstract changed between two prepares and this answer may be "
                    "to either; the next prepare includes it",
                )
            summary, usage = self._answer(data, paper, request.model)
        except LineFailed as exc:
            return self._fail(custom_id, request, paper, exc)
        self._count_usage(usage)
        record, dropped = finish(
            self.store,
            paper,
            summary,
            engine="llm",
            model=request.model,
            prompt_version=request.prompt_version,
            usage=usage,
            cache_key=request.cache_key,
        )
        self.report.dropped += len(dropped)
        self.ledger.settle(request, "stored")
        self.report.stored += 1
        self.report.claims += len(record.summary.claims)
        self.report.ungrounded_claims += sum(not c.grounded for c in record.summary.claims)
        return None

    def _request(self, custom_id: str) -> PreparedRequest:
        matches = self.ledger.lookup(custom_id, self.prompt_version, self.model)
        if len({m.prompt_version for m in matches}) > 1:
            matches = [m for m in matches if m.prompt_version == self.engine.prompt_version] or matches
        if not matches:
            raise LineFailed(
                "unknown_custom_id",
                "unknown custom_id: no request with this id was prepared in this store"
                + (f" for model {self.model}" if self.model else ""),
            )
        if len(matches) > 1:
            which = ", ".join(f"{m.model} ({m.prompt_version})" for m in matches)
            raise LineFailed("ambiguous", f"prepared for several models or prompts ({which}); pass --model")
        return matches[0]

    def _answer(self, data: dict[str, Any], paper: Paper, model: str) -> tuple[Summary, Usage]:
        if data.get("error"):
            error = data["error"]
            code = error.get("code") if isinstance(error, dict) else None
            message = error.get("message") if isinstance(error, dict) else error
            raise LineFailed("error", f"the batch reported an error{f' ({code})' if code else ''}: {_short(message)}")
        response = data.get("response")
        if not isinstance(response, dict):
            raise LineFailed("error", "the line has neither a response nor an error")
        status, body = response.get("status_code"), response.get("body")
        if status != 200:
            raise LineFailed("http_error", f"HTTP {status}: {_short(_error_message(body))}")
        try:
            completion = ChatCompletion.model_validate(body)
        except ValidationError:
            raise LineFailed("invalid", "the response body is not a chat completion") from None
        usage = self._usage(completion, model)
        if not completion.choices:
            raise LineFailed("invalid", "the chat completion has no choices", usage)
        choice = completion.choices[0]
        if choice.finish_reason == "length":
            limit = self.engine.settings.max_output_tokens
            raise LineFailed("invalid", f"the answer was cut off at max_tokens={limit}", usage)
        if choice.message.refusal:
            raise LineFailed("invalid", f"the model refused: {_short(choice.message.refusal)}", usage)
        return self._validate(_answer_text(completion, instructor.Mode.JSON_SCHEMA) or "", paper, data, usage), usage

    def _validate(self, raw: str, paper: Paper, data: dict[str, Any], usage: Usage) -> Summary:
        """The live engine's strict pass, then its lenient final pass (grounded when it is finished)."""
        context = prompt_context(paper.title, paper.abstract, self.engine.taxonomy)
        try:
            parsed = LLMSummary.model_validate_json(raw, context=context, strict=False)
        except ValidationError as strict_error:
            try:
                parsed = LLMSummary.model_validate_json(raw, context={**context, "lenient": True}, strict=False)
            except ValidationError as err:
                raise LineFailed(
                    "invalid", f"the answer does not fit the schema ({_first_error(err)})", usage
                ) from None
            self.report.lenient += 1
            self.report.notes.append((str(data.get("custom_id")), _first_error(strict_error)))
        return self.engine.summary_from(parsed, paper)

    def _usage(self, completion: ChatCompletion, model: str) -> Usage:
        u = completion.usage
        tokens_in = int(getattr(u, "prompt_tokens", 0) or 0)
        tokens_out = int(getattr(u, "completion_tokens", 0) or 0)
        cost = batch_price(cost_usd(model, tokens_in, tokens_out, self.engine.prices), self.price_factor)
        return Usage(input_tokens=tokens_in, output_tokens=tokens_out, requests=1, cost_usd=cost)

    def _count_usage(self, usage: Usage | None) -> None:
        if usage is None:
            return
        self.report.input_tokens += usage.input_tokens
        self.report.output_tokens += usage.output_tokens
        self.report.cost_usd = add_cost(self.report.cost_usd, usage.cost_usd)

    def _fail(self, custom_id: str, request: PreparedRequest | None, paper: Paper | None, exc: LineFailed) -> None:
        self.report.failed += 1
        self.report.failed_by[exc.kind] += 1
        self.report.failures.append((custom_id, exc.reason))
        self._count_usage(exc.usage)
        if request is not None and paper is not None:
            self.store.record_failure(paper, "llm", request.model, request.cache_key, exc.reason)
        if request is not None:
            self.ledger.settle(request, "failed", exc.reason)


def _error_message(body: Any) -> str:
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
    return json.dumps(body)[:200] if body is not None else "no body"


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "output"
    return f"{where}: {_short(first['msg'])}"


def _short(text: Any, limit: int = 200) -> str:
    return " ".join(str(text).split())[:limit]
