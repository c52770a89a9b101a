"""The `llm` engine: one instructor call per abstract against any OpenAI-compatible endpoint.

Two bounded retry budgets, never multiplied by a third:
- transport: the openai SDK's own `max_retries` (429 honouring Retry-After / retry-after-ms, 408/409,
  5xx, timeouts, connection errors; exponential backoff with jitter). No 400/401/403/404 retries.
  `transport_attempts` HTTP attempts per model answer.
- re-asks: instructor's `max_retries`, an explicit AsyncRetrying that retries only on invalid output
  (pydantic ValidationError, JSONDecodeError); `reask_attempts` model answers per paper.

After the last re-ask, a lenient pass keeps claims whose quote is not in the abstract (grounded=False);
only output that does not fit the structure fails the paper. Refusals that retrying cannot fix (key,
model, request shape) raise EndpointError so the run stops.

Requests are counted with an httpx event hook: every HTTP attempt, retries included, is one request.

Per-call CPU: the engine renders the prompt itself (templates compiled once, the paper as template
values) and calls instructor without `context=` (TOOLS and JSON_SCHEMA modes), so instructor does not
compile the messages as Jinja templates again per call; the validators get the paper's context from `VALIDATION_CONTEXT` instead. The
response model is wrapped for instructor once (`instructor.openai_schema`), so instructor neither builds
a new model class per call nor misses its cache of the tool schema.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import json
import logging
import math
import re
from dataclasses import asdict, dataclass
from json import JSONDecodeError
from typing import Any

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import ValidationError
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt

from agent.engines.base import Engine, Spend
from agent.engines.llm_config import LLMSettings
from agent.engines.llm_prompt import Prompt, load_prompt, prompt_context
from agent.engines.llm_schema import VALIDATION_CONTEXT, LLMSummary
from agent.engines.pricing import add_cost, cost_usd, load_prices
from agent.errors import EndpointError, PaperFailed, SummarizeError
from agent.redaction import redact
from agent.models import Paper, Summary, Usage
from agent.resources import Taxonomy, load_taxonomy

CACHE_KEY_VERSION = "2"  # 2: the instructor mode is no longer part of the key
# Modes whose request instructor builds without touching the messages, so a prompt rendered here is sent
# byte for byte as instructor's own rendering would be. In MD_JSON instructor appends its schema
# instructions to the system message *before* rendering (Jinja then drops that text's final newline):
# that mode keeps passing the templates and `context=` as before.
_RENDERED_HERE = frozenset({instructor.Mode.TOOLS, instructor.Mode.JSON_SCHEMA})
_NOISY_LOGGERS = ("instructor", "openai", "httpx", "httpx2", "httpcore")


def quiet_loggers(verbose: bool = False) -> None:
    """instructor logs every failed attempt at ERROR; keep that off the terminal unless --verbose."""
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.CRITICAL)


@dataclass
class EngineStats:
    """Totals over the engine's life, for the end-of-run line."""

    papers: int = 0
    failed: int = 0
    requests: int = 0  # HTTP attempts, transport retries included
    retries: int = 0  # transport retries (429/5xx/timeouts/resets)
    reasks: int = 0  # extra model answers after invalid output
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0  # None once a call had no known price

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Attempts:
    requests: int = 0
    retries: int = 0


# The per-paper counter the httpx hook adds to; set in `summarize`, so concurrent papers don't mix.
_CURRENT: contextvars.ContextVar[_Attempts | None] = contextvars.ContextVar("summarize_llm_attempts", default=None)


async def _count_request(request: Any) -> None:
    attempts = _CURRENT.get()
    if attempts is None:
        return
    attempts.requests += 1
    if request.headers.get("x-stainless-retry-count", "0") != "0":
        attempts.retries += 1


def _sha(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


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
        self.prompt = prompt or load_prompt(self.settings.prompt_version)
        self.prompt_version = self.prompt.version
        self.prompt_sha = self.prompt.sha256
        self.taxonomy = taxonomy or load_taxonomy()
        self.prices = load_prices() if prices is None else prices
        self.totals = EngineStats()
        self.schema = LLMSummary.model_json_schema()
        # What instructor would derive from LLMSummary on every call, derived once: its ResponseSchema
        # wrapper (same name, fields, validators and schema), so the tool schema comes from its cache.
        self._wire_model = instructor.openai_schema(LLMSummary)
        # Strict render once: a template variable the context lacks fails here, before any request
        # (instructor renders leniently; every paper's context has the same variables).
        self.prompt.render(prompt_context("title", "abstract", self.taxonomy))
        self._client: instructor.AsyncInstructor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._semaphore: asyncio.Semaphore | None = None
        quiet_loggers(self.settings.verbose)

    # -- identity ------------------------------------------------------------------------------------

    def generation_params(self) -> dict[str, Any]:
        return {"temperature": self.settings.temperature, "max_tokens": self.settings.max_output_tokens}

    def cache_key(self, paper: Paper) -> str:
        """Everything that changes the answer: input, model, prompt, schema, taxonomy, params.

        Not the mode (tools, json_schema, md_json): it is how the schema reaches the model, answers in every
        mode pass the same validators, and the stored provenance does not record it. So a batch backfill
        (json_schema) serves a later `summarize run` (tools) instead of paying for the answer twice.
        """
        return "llm:" + _sha(
            {
                "v": CACHE_KEY_VERSION,
                "paper": paper.content_hash(),
                "model": self.model,
                "prompt": [self.prompt_version, self.prompt_sha],
                "schema": self.schema,
                "taxonomy": [[t.name, t.description] for t in self.taxonomy.tags],
                "params": self.generation_params(),
            }
        )[:40]

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
        return self.settings.concurrency

    def stats(self) -> dict[str, Any]:
        return self.totals.as_dict()

    def describe(self) -> str:
        return f"llm, model {self.model} at {self.settings.host}"

    def estimate_tokens(self, paper: Paper) -> tuple[int, int]:
        """An upper bound for one model answer: (input, output) tokens.

        Input: rendered prompt plus the function schema at 3 characters per token (English runs nearer
        4, numbers and LaTeX lower), plus message overhead. Output: the max_tokens we ask for.
        Each re-ask sends the conversation again, so a paper can cost up to `reask_attempts` times this.
        """
        messages = self.prompt.render(prompt_context(paper.title, paper.abstract, self.taxonomy))
        chars = sum(len(m["content"]) for m in messages) + len(json.dumps(self.schema))
        return math.ceil(chars / 3) + 50, self.settings.max_output_tokens

    def estimate_cost(self, paper: Paper) -> float | None:
        """Upper-bound USD for one answer (see estimate_tokens); None when the model has no price."""
        return cost_usd(self.model, *self.estimate_tokens(paper), self.prices)

    # -- the call ------------------------------------------------------------------------------------

    def _client_for_this_loop(self) -> instructor.AsyncInstructor:
        """One client per event loop (httpx connection pools must not cross loops)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            s = self.settings
            http_client = openai.DefaultAsyncHttpxClient(event_hooks={"request": [_count_request]})
            raw = openai.AsyncOpenAI(
                api_key=s.require_key(),
                base_url=s.base_url,
                timeout=s.timeout,
                max_retries=s.transport_attempts - 1,
                http_client=http_client,
            )
            self._client = instructor.from_openai(raw, mode=self.mode)
            self._loop = loop
            self._semaphore = asyncio.Semaphore(s.concurrency)
        return self._client

    def _reask_policy(self) -> AsyncRetrying:
        return AsyncRetrying(
            stop=stop_after_attempt(self.settings.reask_attempts),
            retry=retry_if_exception_type((ValidationError, JSONDecodeError)),
            reraise=True,
        )

    async def summarize(self, paper: Paper) -> tuple[Summary, Usage]:
        """Summary and usage for one paper.

        Raises PaperFailed (this paper failed; the run goes on) or EndpointError (stop the run). Both carry
        `.usage` (tokens and requests spent before failing) when a request was made.
        """
        context = prompt_context(paper.title, paper.abstract, self.taxonomy)
        client = self._client_for_this_loop()
        attempts = _Attempts()
        token = _CURRENT.set(attempts)
        try:
            assert self._semaphore is not None
            async with self._semaphore:
                summary, usage = await self._call(client, paper, context, attempts)
        except SummarizeError:
            self.totals.failed += 1
            raise
        finally:
            _CURRENT.reset(token)
            self._account(attempts)
        self.totals.papers += 1
        return summary, usage

    async def _call(self, client, paper: Paper, context: dict, attempts: _Attempts) -> tuple[Summary, Usage]:
        # Rendered here, not by instructor (except MD_JSON, see _RENDERED_HERE): no `context=` below, so
        # instructor does not template the messages again (the abstract is a template value here and plain
        # text from then on); the validators read the same context from VALIDATION_CONTEXT.
        if self.mode in _RENDERED_HERE:
            templating: dict[str, Any] = {"messages": self.prompt.render(context)}
        else:
            templating = {"messages": self.prompt.messages(), "context": context}
        token = VALIDATION_CONTEXT.set(context)
        try:
            result, completion = await client.chat.completions.create_with_completion(
                model=self.model,
                response_model=self._wire_model,
                **templating,
                max_retries=self._reask_policy(),
                # Coercing "2.3" to 2.3 is safe: grounding checks the number against the quoted text.
                strict=False,
                **self.generation_params(),
            )
        except InstructorRetryException as exc:
            usage = self._usage(exc.total_usage, attempts)
            cause = exc.__cause__
            if isinstance(cause, (ValidationError, JSONDecodeError)):
                return self._lenient(exc, paper, context, usage), usage
            raise _with_usage(self._failure(cause or exc, attempts), usage) from None
        except IncompleteOutputException as exc:
            usage = self._usage(getattr(getattr(exc, "last_completion", None), "usage", None), attempts)
            limit = self.settings.max_output_tokens
            raise _with_usage(PaperFailed(f"the answer was cut off at max_tokens={limit}"), usage) from None
        except openai.APIError as exc:  # not wrapped by instructor
            raise _with_usage(self._failure(exc, attempts), self._usage(None, attempts)) from None
        finally:
            VALIDATION_CONTEXT.reset(token)
        usage = self._usage(completion.usage, attempts)
        return result.to_summary(), usage

    def _lenient(self, exc: InstructorRetryException, paper: Paper, context: dict, usage: Usage) -> Summary:
        """The last answer, accepted if it fits the structure; claims then carry grounded True/False."""
        raw = _answer_text(exc.last_completion, self.mode)
        try:
            parsed = LLMSummary.model_validate_json(raw or "", context={**context, "lenient": True}, strict=False)
        except (ValidationError, ValueError) as err:
            first = err.errors()[0] if isinstance(err, ValidationError) else {"msg": str(err), "loc": ()}
            where = ".".join(str(p) for p in first.get("loc", ())) or "output"
            failed = PaperFailed(f"the model's output was invalid after {exc.n_attempts} answers ({where}: {first['msg']})")
            raise _with_usage(failed, usage) from None
        return parsed.to_summary()

    def _failure(self, err: BaseException, attempts: _Attempts) -> SummarizeError:
        s = self.settings
        tries = f"after {attempts.requests} attempt{'s' if attempts.requests != 1 else ''}"
        if isinstance(err, (openai.AuthenticationError, openai.PermissionDeniedError)):
            return EndpointError(f"the endpoint rejected the API key (OPENAI_API_KEY) at {s.host} (HTTP {err.status_code})")
        if isinstance(err, openai.NotFoundError):
            return EndpointError(f"model '{self.model}' not found at {s.host} (HTTP 404; check the model name and OPENAI_BASE_URL)")
        if isinstance(err, (openai.BadRequestError, openai.UnprocessableEntityError)):
            return EndpointError(f"the endpoint at {s.host} rejected the request (HTTP {err.status_code}): {self._short(err)}")
        if isinstance(err, openai.RateLimitError) and _error_code(err) == "insufficient_quota":
            return EndpointError(f"the account behind OPENAI_API_KEY has no quota left at {s.host} (HTTP 429)")
        if isinstance(err, openai.APIStatusError):
            return PaperFailed(f"the endpoint answered HTTP {err.status_code} {tries}")
        if isinstance(err, openai.APITimeoutError):
            return PaperFailed(f"no answer within {s.timeout:g}s {tries}")
        if isinstance(err, openai.APIConnectionError):
            reason = err.__cause__ or err  # e.g. a refused connection, or vcr's "no cassette matches"
            return PaperFailed(f"could not connect to {s.host} {tries} ({type(reason).__name__}: {self._short(reason)})")
        return PaperFailed(f"the LLM call failed: {self._short(err)}")

    def _short(self, err: BaseException) -> str:
        return redact(" ".join(str(err).split()))[:300]

    def _usage(self, usage: Any, attempts: _Attempts) -> Usage:
        tokens_in = int(getattr(usage, "prompt_tokens", 0) or 0)
        tokens_out = int(getattr(usage, "completion_tokens", 0) or 0)
        cost = cost_usd(self.model, tokens_in, tokens_out, self.prices)
        self.totals.input_tokens += tokens_in
        self.totals.output_tokens += tokens_out
        self.totals.cost_usd = add_cost(self.totals.cost_usd, cost)
        return Usage(input_tokens=tokens_in, output_tokens=tokens_out, requests=attempts.requests, cost_usd=cost)

    def _account(self, attempts: _Attempts) -> None:
        self.totals.requests += attempts.requests
        self.totals.retries += attempts.retries
        answers = attempts.requests - attempts.retries
        self.totals.reasks += max(answers - 1, 0)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.client.close()
            self._client = None


def _with_usage(err: SummarizeError, usage: Usage) -> SummarizeError:
    """Failed papers cost tokens too: the pipeline reads `err.usage` for its spending totals."""
    err.usage = usage
    return err


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
