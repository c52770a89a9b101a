"""The LLM engine's HTTP layer: how many requests are in flight, how a throttling or absent server is met.

One `Transport` wraps httpx2's own (the HTTP client the openai SDK is built on), so every HTTP attempt (the SDK's retries
included) passes through it:
- a `Gate` holds the requests in flight to what the server can serve. A server that serves one request
  at a time (llama-cpp-python) gets one, so no request waits in the server's queue while its timeout
  runs: the SDK's timeout counts from when the request is sent, and it is sent when the server can
  start on it. A 429 halves the gate (down to one) and successes open it again, one step at a time.
- 429 with Retry-After is waited out here, for as long as the paper's time budget allows, without
  spending the SDK's retries (throttling in bursts is normal; a run must slow down, not give up).
- a breaker: after `breaker_after` connection failures in a row with no answer in between, every
  further request fails at once without touching the network, and the engine stops the run.
- every request actually sent is counted for the paper it belongs to (`Attempts`, a context variable).
"""

from __future__ import annotations

import asyncio
import contextvars
import email.utils
import time
from dataclasses import dataclass

import httpx2

MAX_RETRY_AFTER = 60.0  # seconds: a longer Retry-After is waited in steps of this, within the budget


@dataclass
class Attempts:
    """What one paper's requests cost: sent requests, and how many of them were retries."""

    requests: int = 0
    retries: int = 0
    throttled: int = 0  # 429 answers waited out here
    deadline: float | None = None  # monotonic time after which a 429 is no longer waited out


CURRENT: contextvars.ContextVar[Attempts | None] = contextvars.ContextVar("summarize_llm_attempts", default=None)


class EndpointDown(httpx2.ConnectError):
    """Raised instead of sending once the breaker is open."""


class Gate:
    """An adjustable limit on requests in flight (additive increase, multiplicative decrease)."""

    def __init__(self, limit: int, ceiling: int | None = None) -> None:
        self.limit = max(1, limit)
        self.ceiling = max(self.limit, ceiling or self.limit)
        self.in_flight = 0
        self.peak = 0
        self.lowest = self.limit
        self._cond: asyncio.Condition | None = None
        self._successes = 0

    def _condition(self) -> asyncio.Condition:
        if self._cond is None:
            self._cond = asyncio.Condition()
        return self._cond

    async def __aenter__(self) -> Gate:
        cond = self._condition()
        async with cond:
            await cond.wait_for(lambda: self.in_flight < self.limit)
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        return self

    async def __aexit__(self, *exc: object) -> None:
        cond = self._condition()
        async with cond:
            self.in_flight -= 1
            cond.notify_all()

    def set_limit(self, limit: int) -> None:
        self.limit = max(1, min(limit, self.ceiling))
        self.lowest = min(self.lowest, self.limit)

    def overloaded(self) -> None:
        self.set_limit(self.limit // 2)
        self._successes = 0

    def succeeded(self) -> None:
        """One step up after as many successes in a row as the limit (so the window grows per round)."""
        self._successes += 1
        if self.limit < self.ceiling and self._successes >= self.limit:
            self.limit += 1
            self._successes = 0


class Breaker:
    def __init__(self, after: int) -> None:
        self.after = after
        self.failures_in_a_row = 0
        self.open = False
        self.last: BaseException | None = None  # the last real connection failure, for the message

    def failed(self, exc: BaseException | None = None) -> None:
        self.last = exc or self.last
        self.failures_in_a_row += 1
        if self.failures_in_a_row >= self.after:
            self.open = True

    def answered(self) -> None:
        self.failures_in_a_row = 0


def retry_after(response: httpx2.Response) -> float | None:
    """Seconds to wait from retry-after-ms or Retry-After (seconds or an HTTP date)."""
    ms = response.headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


class Transport(httpx2.AsyncBaseTransport):
    def __init__(self, inner: httpx2.AsyncBaseTransport, gate: Gate, breaker: Breaker) -> None:
        self.inner, self.gate, self.breaker = inner, gate, breaker

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        attempts = CURRENT.get()
        first = True
        while True:
            if self.breaker.open:
                raise EndpointDown("the endpoint could not be reached; no further requests are sent")
            async with self.gate:
                if attempts is not None:
                    attempts.requests += 1
                    if not first or request.headers.get("x-stainless-retry-count", "0") != "0":
                        attempts.retries += 1
                try:
                    response = await self.inner.handle_async_request(request)
                except (httpx2.ConnectError, httpx2.ConnectTimeout) as exc:
                    self.breaker.failed(exc)
                    raise
            self.breaker.answered()
            if response.status_code != 429:
                if response.status_code < 400:
                    self.gate.succeeded()
                return response
            self.gate.overloaded()
            wait = retry_after(response)
            if wait is None or attempts is None or attempts.deadline is None:
                return response  # the SDK's own retry budget handles it
            now = time.monotonic()
            if now + min(wait, MAX_RETRY_AFTER) > attempts.deadline:
                return response
            await response.aclose()
            attempts.throttled += 1
            await asyncio.sleep(min(wait, MAX_RETRY_AFTER))
            first = False

    async def aclose(self) -> None:
        await self.inner.aclose()
