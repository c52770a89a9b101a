"""One way to talk HTTP: a client with timeouts and our User-Agent, and GETs retried politely.

Retries cover what is worth retrying (429, 5xx, timeouts, dropped connections) with exponential backoff
and jitter, honouring Retry-After, for a bounded number of attempts. `sleep` is injectable so tests
do not wait. Anything that still fails becomes a `SourceError` (exit 3) that says what to do instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    retry_if_result,
    stop_after_attempt,
    wait_random_exponential,
)

from agent import __version__
from agent.errors import SourceError

USER_AGENT = f"summarize/{__version__} (+https://github.com/summarize)"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
SAVED_PAGE_HINT = "use `summarize run FILE` for saved pages"


def make_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The one client factory: every request gets a timeout and our User-Agent."""
    return httpx.Client(
        headers={"User-Agent": USER_AGENT}, timeout=TIMEOUT, follow_redirects=True, transport=transport
    )


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _retryable(response: httpx.Response) -> bool:
    return response.status_code == 429 or response.status_code >= 500


@dataclass
class Http:
    """GETs with retries. `attempts` bounds the tries; `max_wait` caps any single wait, Retry-After included."""

    client: httpx.Client = field(default_factory=make_client)
    attempts: int = 5
    max_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    _backoff: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._backoff = wait_random_exponential(multiplier=1, max=self.max_wait)

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            asked = retry_after_seconds(outcome.result().headers.get("Retry-After"))
            if asked is not None:
                return min(asked, self.max_wait)
        return self._backoff(state)

    def get(self, url: str, params: dict[str, Any] | None = None, *, hint: str = SAVED_PAGE_HINT,
            min_wait: float = 0.0) -> httpx.Response:
        """The response for any status we should not retry (2xx, 3xx, 4xx but 429); else a SourceError.

        `min_wait`: no retry comes sooner than this many seconds (a site's own rule between requests)."""
        site = httpx.URL(url).host or url
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=lambda state: max(min_wait, self._wait(state)),
            retry=retry_if_exception_type(httpx.TransportError) | retry_if_result(_retryable),
            sleep=self.sleep,
            retry_error_callback=lambda state: state,
        )
        try:
            result = retrying(self.client.get, url, params=params)
        except (httpx.HTTPError, httpx.InvalidURL) as e:  # not a transport problem: a bad URL, say; retrying will not help
            raise SourceError(f"could not reach {site}: {e}; {hint}") from e
        if isinstance(result, httpx.Response):
            return result
        outcome = result.outcome
        if outcome.failed:
            error = outcome.exception()
            detail = str(error) or type(error).__name__
            raise SourceError(f"could not reach {site}: {detail} (after {result.attempt_number} attempts); {hint}")
        response = outcome.result()
        raise SourceError(
            f"{site} answered HTTP {response.status_code} {response.reason_phrase} "
            f"after {result.attempt_number} attempts; {hint}"
        )
