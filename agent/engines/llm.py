"""The `llm` engine: one structured answer per abstract from any OpenAI-compatible endpoint, via instructor.

Two tasks, chosen by the prompt (SUMMARIZE_PROMPT):
- `extract.*`: the model writes the whole summary, claims quoted from the abstract;
- `label.*` (hybrid): the rules engine proposes candidate claims (exact spans of the abstract, numbered),
  the model says which are the paper's results and what each is compared with, and writes problem,
  method, tags and TL;DR. Claims are grounded by construction and the answer is short: what small
  local models can do.

Two bounded retry budgets, never multiplied by a third:
- transport: the openai SDK's `max_retries` (5xx, timeouts, resets; `transport_attempts` HTTP attempts per
  answer), and 429s waited out in `llm_transport` within the paper's time budget;
- answers: our own re-ask loop (`reask_attempts` answers per paper), which sends the first messages plus
  only the last answer and what was wrong with it, so a re-ask never outgrows the context.

After the last answer, a lenient pass keeps what fits the structure (unknown tags and candidate numbers
dropped, an over-long TL;DR replaced by the rules engine's); only output that does not fit the
structure fails the paper. The paper is then finished like any other (agent.finishing): claims grounded,
the other fields held to the abstract.

What the engine learns about the server, once per run:
- the mode: a mode the server refuses (llama-cpp-python answers json_schema with HTTP 500) is replaced by
  the next one of `FALLBACK`; while no mode has worked yet, one paper at a time tries, without SDK retries;
- the context window (llama.cpp /props, vLLM's max_model_len, or the number in a context-length refusal):
  max_tokens is sized to fit it, and a paper that cannot fit fails alone, never the run;
- how many requests it serves at once (llama.cpp reports its slots; another local server gets one), which
  the transport's gate holds to, so timeouts count from when the server starts on the request.
Refusals that retrying cannot fix (key, model, request shape) raise EndpointError so the run stops; an
endpoint that cannot be reached at all stops it too (EndpointUnreachable, exit 3).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import math
import re
import time
from dataclasses import asdict, dataclass
from json import JSONDecodeError
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import httpx2
import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, stop_after_attempt

from agent.engines.base import Engine, Spend
from agent.engines.grounding import mentioned, tldr_problem
from agent.engines.llm_config import DEFAULT_CONCURRENCY, FALLBACK, MODES, LLMSettings
from agent.engines.llm_prompt import DEFAULT_PROMPT, Prompt, load_prompt, prompt_context
from agent.engines.llm_schema import VALIDATION_CONTEXT, LLMLabels, LLMSummary
from agent.engines.llm_transport import CURRENT, Attempts, Breaker, EndpointDown, Gate, Transport
from agent.engines.pricing import add_cost, cost_usd, load_prices
from agent.errors import EndpointError, EndpointUnreachable, PaperFailed, SummarizeError
from agent.models import Paper, Summary, Usage
from agent.redaction import redact
from agent.resources import Taxonomy, load_taxonomy

CACHE_KEY_VERSION = "3"  # 3: the task (extract or label) and the rules engine's proposal are inputs
_NOISY_LOGGERS = ("instructor", "openai", "httpx", "httpx2", "httpcore")
LABEL_OUTPUT_TOKENS = 700  # a label answer is short; asking for less leaves room in a small context
MIN_OUTPUT_TOKENS = 256  # below this no answer fits: the paper fails instead
MIN_TLDR_WORDS = 8  # "3x speedup over ZO2 with distributed computing" says too little to stand alone
BREAKER_AFTER = 4  # connection failures in a row (no answer in between) before the run stops
_CONTEXT_REFUSAL = re.compile(
    r"context (?:window|length)|maximum context|n_ctx|too many tokens|prompt is too long", re.I
)
_CONTEXT_NUMBER = re.compile(
    r"(?:context window of|maximum context length is|context length (?:is|of)|n_ctx\D{0,4})\s*(\d{3,7})", re.I
)
_MODE_WORDS = re.compile(
    r"response_format|json_schema|json schema|tool|function|grammar|not supported|unsupported", re.I
)


def _one_answer() -> AsyncRetrying:
    return AsyncRetrying(stop=stop_after_attempt(1), reraise=True)


def quiet_loggers(verbose: bool = False) -> None:
    """instructor logs every failed attempt at ERROR; keep that off the terminal unless --verbose."""
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.CRITICAL)


@dataclass
class EngineStats:
    """Totals over the engine's life, for the end-of-run line."""

    papers: int = 0
    failed: int = 0
    requests: int = 0  # HTTP requests sent, transport retries included
    retries: int = 0  # transport retries (5xx/timeouts/resets) and 429s waited out
    throttled: int = 0  # of those, 429 answers waited out
    reasks: int = 0  # extra model answers after invalid output
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0  # None once a call had no known price
    lenient: int = 0  # papers whose last answer was taken by the lenient pass
    tldr_from_rules: int = 0  # TL;DRs that failed the checks and were replaced by the rules engine's
    mode: str | None = None  # the instructor mode the server accepted
    concurrency: int | None = None  # requests in flight the server was given (the lowest the gate went)
    context_window: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ServerInfo:
    """What a server says about itself (all optional): where it reports it."""

    kind: str = "unknown"  # llama.cpp | llama-cpp-python | vllm | ollama | unknown
    slots: int | None = None
    context_window: int | None = None


def _sha(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class _Invalid(Exception):
    """One answer did not validate: its text, what was wrong, what it cost."""

    def __init__(self, raw: str | None, error: str, usage: Any) -> None:
        super().__init__(error)
        self.raw, self.error, self.usage = raw, error, usage


class LLMEngine(Engine):
    name = "llm"

    def __init__(
        self,
        settings: LLMSettings | None = None,
        *,
        taxonomy: Taxonomy | None = None,
        prompt: Prompt | None = None,
        prices: dict[str, tuple[float, float]] | None = None,
    ) -> None:
        self.settings = settings or LLMSettings.from_env()
        self.model = self.settings.model
        self.mode = self.settings.instructor_mode
        self.prompt = prompt or load_prompt(self.settings.prompt_version or DEFAULT_PROMPT)
        self.prompt_version = self.prompt.version
        self.prompt_sha = self.prompt.sha256
        self.labels = self.prompt_version.startswith("label.")
        self.response_model: type[BaseModel] = LLMLabels if self.labels else LLMSummary
        self.taxonomy = taxonomy or load_taxonomy()
        self.prices = load_prices() if prices is None else prices
        self.totals = EngineStats()
        self.schema = self.response_model.model_json_schema()
        # What instructor would derive from the response model on every call, derived once: its wrapper
        # (same name, fields, validators and schema), so the tool schema comes from its cache.
        self._wire_model = instructor.openai_schema(self.response_model)
        from agent.engines.rules import RulesEngine  # the proposals (label) and the TL;DR fallback

        self.rules = RulesEngine(self.taxonomy)
        # Strict render once: a template variable the context lacks fails here, before any request.
        self.prompt.render(self._context(Paper(id="x", title="title", abstract="abstract", source="file"), None))
        start = FALLBACK.index(self.settings.mode)
        self._modes = list(FALLBACK[start:] + FALLBACK[:start])  # the configured mode, then asking less
        self._mode_confirmed = False
        self._negotiating: asyncio.Lock | None = None
        self._server: ServerInfo | None = None
        self._window: int | None = None
        self._clients: dict[str, instructor.AsyncInstructor] = {}
        self._raw: openai.AsyncOpenAI | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.gate = Gate(self.settings.concurrency or DEFAULT_CONCURRENCY)
        self.breaker = Breaker(BREAKER_AFTER)
        quiet_loggers(self.settings.verbose)

    # -- identity ------------------------------------------------------------------------------------

    def generation_params(self) -> dict[str, Any]:
        return {"temperature": self.settings.temperature, "max_tokens": self.settings.max_output_tokens}

    def cache_key(self, paper: Paper) -> str:
        """Everything that changes the answer: input, model, prompt, schema, taxonomy, params.

        Not the mode (tools, json_schema, json, md_json): it is how the schema reaches the model, answers in
        every mode pass the same validators, and the stored provenance does not record it. So a batch
        backfill (json_schema) serves a later `summarize run` (tools) instead of paying for the answer twice.
        """
        return (
            "llm:"
            + _sha(
                {
                    "v": CACHE_KEY_VERSION,
                    "paper": paper.content_hash(),
                    "model": self.model,
                    "prompt": [self.prompt_version, self.prompt_sha],
                    "schema": self.schema,
                    "taxonomy": [[t.name, t.description] for t in self.taxonomy.tags],
                    "params": self.generation_params(),
                    "proposals": self.rules.cache_key(paper) if self.labels else None,
                }
            )[:40]
        )

    def describe(self) -> str:
        task = "rules propose, the model labels" if self.labels else "the model writes the summary"
        return f"llm, model {self.model} at {self.settings.host}, prompt {self.prompt_version} ({task})"

    # -- spending ------------------------------------------------------------------------------------

    @property
    def max_requests_per_paper(self) -> int:
        """Every transport attempt of every answer: what a spending limit must reserve for one paper."""
        return self.settings.transport_attempts * self.settings.reask_attempts

    def worst_case(self, paper: Paper, *, with_cost: bool = False) -> Spend:
        cost = self.estimate_cost(paper) if with_cost else None
        return Spend(requests=self.max_requests_per_paper, cost_usd=(cost or 0.0) * self.settings.reask_attempts)

    @property
    def concurrency(self) -> int:
        return self.settings.concurrency or DEFAULT_CONCURRENCY

    def stats(self) -> dict[str, Any]:
        self.totals.concurrency = self.gate.lowest if self.gate.peak else None
        self.totals.context_window = self._window
        return self.totals.as_dict()

    def estimate_tokens(self, paper: Paper, messages: list[dict[str, Any]] | None = None) -> tuple[int, int]:
        """An upper bound for one model answer: (input, output) tokens.

        Input: the messages plus the schema at 3 characters per token (English runs nearer 4, numbers and
        LaTeX lower), plus message overhead. Output: the max_tokens we ask for.
        """
        messages = messages or self.prompt.render(self._context(paper, None))
        chars = sum(len(str(m.get("content") or "")) for m in messages) + len(json.dumps(self.schema))
        return math.ceil(chars / 3) + 50 + 8 * len(messages), self._output_budget()

    def estimate_cost(self, paper: Paper) -> float | None:
        """Upper-bound USD for one answer (see estimate_tokens); None when the model has no price."""
        return cost_usd(self.settings.model, *self.estimate_tokens(paper), self.prices)

    def _output_budget(self) -> int:
        return (
            min(self.settings.max_output_tokens, LABEL_OUTPUT_TOKENS)
            if self.labels
            else self.settings.max_output_tokens
        )

    # -- the paper's context -------------------------------------------------------------------------

    def _context(self, paper: Paper, proposal: Summary | None) -> dict[str, Any]:
        context = prompt_context(paper.title, paper.abstract, self.taxonomy)
        if self.labels:
            claims = proposal.claims if proposal else []
            context["candidates"] = [{"id": i, "text": c.text} for i, c in enumerate(claims, 1)]
            context["candidate_ids"] = frozenset(range(1, len(claims) + 1))
            # Only the structure is re-asked: an unknown tag or candidate number is dropped, a TL;DR that
            # fails is replaced by the rules engine's. Small models rarely fix content when asked again,
            # and every re-ask costs them a whole answer.
            context["lenient"] = True
        return context

    # -- the call ------------------------------------------------------------------------------------

    def _raw_client(self) -> openai.AsyncOpenAI:
        """One HTTP client per event loop (httpx connection pools must not cross loops)."""
        loop = asyncio.get_running_loop()
        if self._raw is None or self._loop is not loop:
            s = self.settings
            transport = Transport(httpx2.AsyncHTTPTransport(), self.gate, self.breaker)
            http_client = openai.DefaultAsyncHttpxClient(transport=transport)
            self._raw = openai.AsyncOpenAI(
                api_key=s.require_key(),
                base_url=s.base_url,
                timeout=s.timeout,
                max_retries=s.transport_attempts - 1,
                http_client=http_client,
            )
            self._clients = {}
            self._loop = loop
            self._negotiating = asyncio.Lock()
        return self._raw

    def _client(self, mode: str) -> instructor.AsyncInstructor:
        raw = self._raw_client()
        if mode not in self._clients:
            self._clients[mode] = instructor.from_openai(raw, mode=MODES[mode])
        return self._clients[mode]

    async def summarize(self, paper: Paper) -> tuple[Summary, Usage]:
        """Summary and usage for one paper.

        Raises PaperFailed (this paper failed; the run goes on) or EndpointError (stop the run). Both carry
        `.usage` (tokens and requests spent before failing) when a request was made.
        """
        self._raw_client()
        await self._learn_server()
        attempts = Attempts(deadline=time.monotonic() + self.settings.retry_budget)
        token = CURRENT.set(attempts)
        answers = 0
        tokens = [0, 0]
        try:
            proposal = self.rules.extract(paper)
            context = self._context(paper, proposal)
            base = self.prompt.render(context)
            messages = base
            for answer in range(1, self.settings.reask_attempts + 1):
                answers = answer
                try:
                    parsed = await self._answer(paper, messages, context, tokens)
                    break
                except _Invalid as bad:
                    if answer == self.settings.reask_attempts:
                        parsed = self._lenient(bad, context, answer)
                        self.totals.lenient += 1
                        break
                    messages = base + _reask(bad)
            summary = self.summary_from(parsed, paper, proposal)
        except SummarizeError as err:
            self.totals.failed += 1
            err.usage = self._usage(tokens, attempts)
            raise
        finally:
            CURRENT.reset(token)
            self.totals.requests += attempts.requests
            self.totals.retries += attempts.retries
            self.totals.throttled += attempts.throttled
            self.totals.reasks += max(answers - 1, 0)
        self.totals.papers += 1
        return summary, self._usage(tokens, attempts)

    async def _answer(
        self, paper: Paper, messages: list[dict[str, Any]], context: dict[str, Any], tokens: list[int]
    ) -> BaseModel:
        """One model answer, validated; raises _Invalid when it does not hold up."""
        max_tokens = self._max_tokens(paper, messages)
        context_retry = True
        while True:
            mode = self._modes[0]
            probing = not self._mode_confirmed
            try:
                result = completion = None
                if probing:
                    assert self._negotiating is not None
                    async with self._negotiating:  # until a mode works, one paper at a time finds it
                        mode, probing = self._modes[0], not self._mode_confirmed
                        if probing:
                            result, completion = await self._create(mode, messages, context, max_tokens)
                if not probing:
                    result, completion = await self._create(mode, messages, context, max_tokens)
            except InstructorRetryException as exc:
                _add_tokens(tokens, exc.total_usage)
                cause = exc.__cause__
                if isinstance(cause, (ValidationError, JSONDecodeError)):
                    self._confirm(mode)
                    raise _Invalid(_answer_text(exc.last_completion, MODES[mode]), _first_error(cause), None) from None
                err = cause or exc
            except IncompleteOutputException as exc:
                _add_tokens(tokens, getattr(getattr(exc, "last_completion", None), "usage", None))
                self._confirm(mode)
                raise PaperFailed(f"the answer was cut off at max_tokens={max_tokens}") from None
            except openai.APIError as exc:
                err = exc
            else:
                _add_tokens(tokens, getattr(completion, "usage", None))
                self._confirm(mode)
                assert result is not None
                return result
            # an HTTP refusal: a context that is too short, a mode the server does not take, or a failure
            if isinstance(err, openai.APIStatusError) and _is_context_refusal(err):
                window = _context_number(err)
                if window:
                    self._window = window if self._window is None else min(self._window, window)
                requested = _requested_tokens(err)
                if window and requested:  # "Requested tokens (X) exceed context window of Y": the prompt is known
                    fitted = min(self._output_budget(), window - (requested - max_tokens) - 16)
                else:
                    fitted = self._max_tokens(paper, messages)
                if context_retry and window and MIN_OUTPUT_TOKENS <= fitted < max_tokens:
                    max_tokens, context_retry = fitted, False
                    continue
                raise PaperFailed(
                    f"the abstract and answer do not fit the model's context"
                    f"{f' of {self._window} tokens' if self._window else ''} ({self._short(err)})"
                ) from None
            if probing and _mode_refused(err) and len(self._modes) > 1:
                refused = self._modes.pop(0)
                logging.getLogger(__name__).info("the server refused mode %s; trying %s", refused, self._modes[0])
                continue
            raise self._failure(err, CURRENT.get()) from None

    async def _create(
        self, mode: str, messages: list[dict[str, Any]], context: dict[str, Any], max_tokens: int
    ) -> tuple[BaseModel, Any]:
        client = self._client(mode)
        token = VALIDATION_CONTEXT.set(context)
        try:
            # Rendered here, not by instructor: no `context=`, so instructor does not template the messages
            # again (the abstract is a template value here and plain text from then on).
            return await client.chat.completions.create_with_completion(
                model=self.model,
                response_model=self._wire_model,
                messages=messages,  # type: ignore[arg-type]  # the SDK's TypedDicts; ours are plain dicts
                max_retries=_one_answer(),  # answers are re-asked by `summarize`, with a trimmed history
                # Coercing "2.3" to 2.3 is safe: grounding checks the number against the quoted text.
                strict=False,
                temperature=self.settings.temperature,
                max_tokens=max_tokens,
            )
        finally:
            VALIDATION_CONTEXT.reset(token)

    def _confirm(self, mode: str) -> None:
        """The server took this mode (it answered, whatever the answer): keep it for the run."""
        if not self._mode_confirmed:
            self._mode_confirmed = True
            self.totals.mode = mode

    def _max_tokens(self, paper: Paper, messages: list[dict[str, Any]]) -> int:
        budget = self._output_budget()
        if self._window is None:
            return budget
        prompt_tokens, _ = self.estimate_tokens(paper, messages)
        fitted = min(budget, self._window - prompt_tokens - 16)
        if fitted < MIN_OUTPUT_TOKENS:
            raise PaperFailed(
                f"the abstract does not fit the model's context of {self._window} tokens "
                f"(about {prompt_tokens} tokens of prompt)"
            )
        return fitted

    def _lenient(self, bad: _Invalid, context: dict[str, Any], answers: int) -> BaseModel:
        """The last answer, accepted if it fits the structure (unknown tags and numbers dropped)."""
        try:
            return self.response_model.model_validate_json(
                bad.raw or "", context={**context, "lenient": True}, strict=False
            )
        except (ValidationError, ValueError) as err:
            where = _first_error(err) if isinstance(err, ValidationError) else f"output: {err}"
            raise PaperFailed(f"the model's output was invalid after {answers} answers ({where})") from None

    def summary_from(self, parsed: BaseModel, paper: Paper, proposal: Summary | None = None) -> Summary:
        """Our Summary from a validated answer (live or batch); a TL;DR that fails the checks is replaced
        by the rules engine's (counted). `proposal` is the rules engine's summary when already made."""
        proposal = proposal or self.rules.extract(paper)
        if isinstance(parsed, LLMLabels):
            summary = _merge_labels(parsed, paper, proposal)
        else:
            assert isinstance(parsed, LLMSummary)
            summary = parsed.to_summary()
        tldr = " ".join(summary.tldr.split())
        source = "llm"
        if len(tldr.split()) < MIN_TLDR_WORDS or tldr_problem(tldr, f"{paper.title}\n{paper.abstract}"):
            self.totals.tldr_from_rules += 1
            tldr, source = proposal.tldr, "rules"
        return summary.model_copy(
            update={
                "tldr": tldr,
                "tldr_source": source,
                "problem": summary.problem.strip() or proposal.problem,
                "method": summary.method.strip() or proposal.method,
            }
        )

    # -- the server ----------------------------------------------------------------------------------

    async def _learn_server(self) -> None:
        """Once per engine: the slots and context the server reports, and the gate set to match."""
        if self._server is not None:
            return
        assert self._negotiating is not None
        async with self._negotiating:
            if self._server is not None:
                return
            info = await probe_server(self.settings.base_url, self.settings.api_key)
            self._server = info
            if info.context_window and self._window is None:
                self._window = info.context_window
            limit = self.settings.concurrency
            if info.slots is not None:
                limit = min(limit or info.slots, info.slots)
            elif self.settings.is_local and limit is None:
                limit = 1  # a local server that says nothing (llama-cpp-python, Ollama): one at a time
            self.gate.set_limit(limit or DEFAULT_CONCURRENCY)
            self.gate.ceiling = self.gate.limit

    def _failure(self, err: BaseException, attempts: Attempts | None) -> SummarizeError:
        s = self.settings
        sent = attempts.requests if attempts else 0
        tries = f"after {sent} attempt{'s' if sent != 1 else ''}"
        if isinstance(err, (openai.AuthenticationError, openai.PermissionDeniedError)):
            return EndpointError(
                f"the endpoint rejected the API key (OPENAI_API_KEY) at {s.host} (HTTP {err.status_code})"
            )
        if isinstance(err, openai.NotFoundError):
            return EndpointError(
                f"model '{self.model}' not found at {s.host} (HTTP 404; check the model name and OPENAI_BASE_URL)"
            )
        if isinstance(err, (openai.BadRequestError, openai.UnprocessableEntityError)):
            return EndpointError(
                f"the endpoint at {s.host} rejected the request (HTTP {err.status_code}): {self._short(err)}"
            )
        if isinstance(err, openai.RateLimitError) and _error_code(err) == "insufficient_quota":
            return EndpointError(f"the account behind OPENAI_API_KEY has no quota left at {s.host} (HTTP 429)")
        if isinstance(err, openai.APIStatusError):
            return PaperFailed(f"the endpoint answered HTTP {err.status_code} {tries}")
        if isinstance(err, openai.APITimeoutError):
            return PaperFailed(f"no answer within {s.timeout:g}s {tries}")
        if isinstance(err, openai.APIConnectionError):
            reason = err.__cause__ or err  # e.g. a refused connection, or vcr's "no cassette matches"
            if self.breaker.open or isinstance(reason, EndpointDown):
                reason = self.breaker.last or reason
                return EndpointUnreachable(
                    f"could not connect to {s.host} ({self.breaker.failures_in_a_row} attempts failed in a row, "
                    f"last: {type(reason).__name__}: {self._short(reason)}); check OPENAI_BASE_URL and that the server runs"
                )
            return PaperFailed(
                f"could not connect to {s.host} {tries} ({type(reason).__name__}: {self._short(reason)})"
            )
        return PaperFailed(f"the LLM call failed: {self._short(err)}")

    def _short(self, err: BaseException) -> str:
        return redact(" ".join(str(err).split()))[:300]

    def _usage(self, tokens: list[int], attempts: Attempts) -> Usage:
        tokens_in, tokens_out = tokens
        cost = cost_usd(self.settings.model, tokens_in, tokens_out, self.prices)
        self.totals.input_tokens += tokens_in
        self.totals.output_tokens += tokens_out
        self.totals.cost_usd = add_cost(self.totals.cost_usd, cost)
        tokens[0] = tokens[1] = 0  # counted once, however often usage is asked for
        return Usage(input_tokens=tokens_in, output_tokens=tokens_out, requests=attempts.requests, cost_usd=cost)

    async def aclose(self) -> None:
        if self._raw is not None:
            await self._raw.close()
            self._raw = None
            self._clients = {}


async def probe_server(base_url: str, api_key: str | None, timeout: float = 10.0) -> ServerInfo:
    """Ask the server what it can do: llama.cpp's /props (slots, n_ctx), /v1/models (vLLM's max_model_len,
    llama-cpp-python's owner "me"), Ollama's /api/version. Any failure just means "unknown"."""
    parts = urlsplit(base_url)
    root = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    info = ServerInfo()
    async with httpx.AsyncClient(timeout=timeout, headers=headers, follow_redirects=False) as client:
        props = await _get_json(client, f"{root}/props")
        if isinstance(props, dict) and ("total_slots" in props or "default_generation_settings" in props):
            info.kind = "llama.cpp"
            slots = props.get("total_slots")
            info.slots = int(slots) if isinstance(slots, int) and slots > 0 else None
            settings = props.get("default_generation_settings") or {}
            n_ctx = settings.get("n_ctx") if isinstance(settings, dict) else None
            info.context_window = int(n_ctx) if isinstance(n_ctx, int) and n_ctx > 0 else None
            return info
        models = await _get_json(client, base_url.rstrip("/") + "/models")
        data = models.get("data") if isinstance(models, dict) else None
        first = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
        if first.get("owned_by") == "vllm":
            info.kind = "vllm"
            length = first.get("max_model_len")
            info.context_window = int(length) if isinstance(length, int) and length > 0 else None
        elif first.get("owned_by") == "me":
            info.kind, info.slots = "llama-cpp-python", 1  # its server answers one request at a time
        elif isinstance(await _get_json(client, f"{root}/api/version"), dict):
            info.kind = "ollama"
    return info


async def _get_json(client: httpx.AsyncClient, url: str) -> Any:
    try:
        response = await client.get(url)
        if response.status_code != 200 or len(response.content) > 1_000_000:
            return None
        return response.json()
    except (httpx.HTTPError, ValueError):
        return None


def _merge_labels(labels: LLMLabels, paper: Paper, proposal: Summary) -> Summary:
    """Every candidate of the rules engine, with a baseline the model named where the candidate had none
    and the abstract has it; problem, method and TL;DR from the model.

    The model's picks do not remove candidates: measured on the labelled sets with the 0.5B model, its picks
    lost 30% of the true claims on the sample page and removed no false one on held-out 2 (BENCHMARKS.md)."""
    claims = list(proposal.claims)
    for result in labels.results:
        claim = claims[result.id - 1]
        baseline = result.baseline.strip() if result.baseline else None
        if (
            baseline
            and not claim.baseline
            and baseline.lower() not in {"null", "none", "n/a"}
            and mentioned(baseline, paper.abstract)
        ):
            claims[result.id - 1] = claim.model_copy(update={"baseline": baseline})
    return Summary(
        problem=labels.problem,
        method=labels.method,
        hardware=proposal.hardware,
        model_scale=proposal.model_scale,
        claims=claims,
        tags=proposal.tags,
        tldr=labels.tldr,
    )


def _reask(bad: _Invalid) -> list[dict[str, str]]:
    """The re-ask: the last answer and what was wrong with it (not every earlier answer)."""
    answer = (bad.raw or "")[:6000]
    return [
        {"role": "assistant", "content": answer or "(no answer)"},
        {
            "role": "user",
            "content": f"Your answer was rejected: {bad.error}\nCorrect exactly that and answer "
            "again with the whole object.",
        },
    ]


def _first_error(err: ValidationError | JSONDecodeError) -> str:
    if isinstance(err, JSONDecodeError):
        return f"the answer is not valid JSON ({err.msg})"
    first = err.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "output"
    return f"{where}: {first['msg']}"[:1000]


def _add_tokens(tokens: list[int], usage: Any) -> None:
    tokens[0] += int(getattr(usage, "prompt_tokens", 0) or 0)
    tokens[1] += int(getattr(usage, "completion_tokens", 0) or 0)


def _is_context_refusal(err: openai.APIStatusError) -> bool:
    return err.status_code in (400, 413, 422, 500) and bool(_CONTEXT_REFUSAL.search(str(err)))


def _context_number(err: openai.APIStatusError) -> int | None:
    m = _CONTEXT_NUMBER.search(str(err))
    return int(m.group(1)) if m else None


_REQUESTED = re.compile(r"requested tokens \((\d+)\)", re.I)


def _requested_tokens(err: openai.APIStatusError) -> int | None:
    m = _REQUESTED.search(str(err))
    return int(m.group(1)) if m else None


def _mode_refused(err: BaseException) -> bool:
    """An answer that says the request's shape is not supported (llama-cpp-python: 500 on json_schema):
    a 400/422/500/501 whose message names what it could not take. A bare 500 is a failure, not a refusal."""
    if not isinstance(err, openai.APIStatusError) or err.status_code not in (400, 422, 500, 501):
        return False
    return bool(_MODE_WORDS.search(f"{err} {err.body}"))


def _error_code(err: openai.APIStatusError) -> str | None:
    body = err.body if isinstance(err.body, dict) else {}
    inner = body.get("error", body) if isinstance(body, dict) else {}
    return inner.get("code") if isinstance(inner, dict) else None


_FENCE = re.compile(r"\{.*\}", re.DOTALL)


def _answer_text(completion: Any, mode: instructor.Mode) -> str | None:
    """The JSON the model sent: tool-call arguments (TOOLS) or the message text (JSON modes)."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    if mode == instructor.Mode.TOOLS and message.tool_calls:
        return message.tool_calls[0].function.arguments
    match = _FENCE.search(message.content or "")
    return match.group(0) if match else message.content
