"""One way to talk HTTP: a client with timeouts and our User-Agent, and GETs retried politely.

Retries cover what is worth retrying (429, 5xx, timeouts, dropped connections) with exponential backoff
and jitter, honouring Retry-After, for a bounded number of attempts. `sleep` is injectable so tests
do not wait. Anything that still fails becomes a `SourceError` (exit 3) that says what to do instead.

Every request is bounded three ways, so a hostile or broken server can neither hang a run nor fill memory:
- time: besides the per-read timeout, a request must be done (connected, answered, body read) within
  `deadline` seconds. Every socket operation is given only the time left (`_DeadlineBackend`), so a
  server dripping a byte every few seconds, into the headers or the body, is cut off at the deadline.
  An attempt that ran out of it is not retried: a server that slow stays that slow.
- size: a body larger than `max_bytes` (decoded) is refused, unread when Content-Length says so.
- place: redirects are followed only on the same host (and never from https to http); a redirect to
  another host is refused with one line naming both, not followed silently.
"""

from __future__ import annotations

import ssl
import time
import typing
import urllib.request
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpcore
import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
    wait_random_exponential,
)

from agent import __version__
from agent.errors import SourceError

USER_AGENT = f"summarize/{__version__} (+https://github.com/summarize)"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEADLINE = 60.0  # seconds for one request, from connecting to the last byte of the body
MAX_BYTES = 32 * 2**20  # a day of HF papers is ~1 MB of JSON, a page of 100 arXiv entries ~0.3 MB
MAX_REDIRECTS = 5
SAVED_PAGE_HINT = "use `summarize run FILE` for saved pages"

# When the request now being made must be done (time.monotonic()), for the socket operations below.
_deadline: ContextVar[float | None] = ContextVar("summarize_http_deadline", default=None)


def _time_left(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout`, shortened to what is left before the deadline; `error` when nothing is left."""
    end = _deadline.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise error("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        timeout = _time_left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own sockets, each operation given only the time left before the request's deadline."""

    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _time_left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        timeout = _time_left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport on a connection pool whose sockets keep to the request's deadline."""

    def __init__(self) -> None:
        super().__init__()
        # httpx 0.28 keeps its httpcore pool in `_pool` and offers no network_backend option; this pool is
        # built as httpx builds it (no proxy), with our backend. tests/faults/test_sources.py drips a body
        # and headers through it to keep this working.
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_DeadlineBackend(),
        )


def _proxied() -> bool:
    """Whether the environment names a proxy (HTTPS_PROXY and the like), which httpx then goes through."""
    return any(scheme in ("http", "https", "all") for scheme in urllib.request.getproxies())


def make_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The one client factory: every request gets a timeout, our User-Agent, and the deadline above.

    Redirects are not followed by the client: `Http.get` follows the ones that stay on the same host.
    With a proxy in the environment httpx's own transports are kept (a transport given here would turn
    the proxy off); the deadline is then checked between reads of the body only."""
    if transport is None and not _proxied():
        transport = DeadlineTransport()
    return httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=TIMEOUT,
        follow_redirects=False,
        transport=transport,
    )


def public_url(url: httpx.URL | str) -> str:
    """A URL fit to print: without any user:password in it."""
    url = httpx.URL(url)
    return str(url.copy_with(userinfo=b"")) if url.userinfo else str(url)


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
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _retryable(response: httpx.Response) -> bool:
    return response.status_code == 429 or response.status_code >= 500


def _mib(n: int) -> str:
    return f"{n / 2**20:g} MiB" if n >= 2**20 else f"{n} bytes"


class _OutOfTime(httpx.TimeoutException):
    """The request's deadline passed while its body was still arriving."""


@dataclass
class Http:
    """GETs with retries. `attempts` bounds the tries; `max_wait` caps any single wait, Retry-After included.

    `deadline` bounds each request (connect to last byte) in seconds, `max_bytes` its body."""

    client: httpx.Client = field(default_factory=make_client)
    attempts: int = 5
    max_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    deadline: float = DEADLINE
    max_bytes: int = MAX_BYTES
    _backoff: Any = field(default=None, repr=False)
    _out_of_time: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        self._backoff = wait_random_exponential(multiplier=1, max=self.max_wait)

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            asked = retry_after_seconds(outcome.result().headers.get("Retry-After"))
            if asked is not None:
                return min(asked, self.max_wait)
        return self._backoff(state)

    def _worth_retrying(self, error: BaseException) -> bool:
        return isinstance(error, httpx.TransportError) and not self._out_of_time

    def get(
        self,
        url: str,
        params: dict[str, Any] | None = None,
        *,
        hint: str = SAVED_PAGE_HINT,
        min_wait: float = 0.0,
        setting: str | None = None,
    ) -> httpx.Response:
        """The response for any status we should not retry (2xx, 3xx, 4xx but 429); else a SourceError.

        `min_wait`: no retry comes sooner than this many seconds (a site's own rule between requests).
        `setting`: the environment variable that points at this source, named when a redirect is refused."""
        site = httpx.URL(url).host or url
        self._out_of_time = False
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=lambda state: max(min_wait, self._wait(state)),
            retry=retry_if_exception(self._worth_retrying) | retry_if_result(_retryable),
            sleep=self.sleep,
            retry_error_callback=lambda state: state,
        )
        try:
            result = retrying(self._attempt, url, params, setting)
        except httpx.TimeoutException as e:
            if not self._out_of_time:
                raise SourceError(f"could not reach {site}: {e}; {hint}") from e
            raise SourceError(
                f"{site} sent no complete answer within {self.deadline:g} s (a stalled or very slow server); {hint}"
            ) from None
        except (
            httpx.HTTPError,
            httpx.InvalidURL,
        ) as e:  # not a transport problem: a bad URL, say; retrying will not help
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

    def _attempt(self, url: str, params: dict[str, Any] | None, setting: str | None) -> httpx.Response:
        """One request, its same-host redirects followed, its body read within the deadline and size cap."""
        end = time.monotonic() + self.deadline
        token = _deadline.set(end)
        try:
            # A user:password in the URL is sent as Basic auth, and kept out of the request's URL, which
            # --verbose logs and our messages show.
            given = httpx.URL(url)
            auth = httpx.BasicAuth(given.username, given.password) if given.userinfo else None
            request = self.client.build_request("GET", given.copy_with(userinfo=b""), params=params)
            for _ in range(MAX_REDIRECTS + 1):
                try:
                    response = self.client.send(request, stream=True, auth=auth)
                except httpx.TimeoutException:
                    self._out_of_time = time.monotonic() >= end
                    raise
                try:
                    if not response.is_redirect:
                        return response if _retryable(response) else self._read(response, end)
                    request = self._follow(response, setting)
                finally:
                    response.close()
            raise SourceError(f"{public_url(url)}: more than {MAX_REDIRECTS} redirects; not followed further")
        finally:
            _deadline.reset(token)

    def _follow(self, response: httpx.Response, setting: str | None) -> httpx.Request:
        """The redirect's request when it stays on the same host (and on https, if it was); else a SourceError."""
        here, there = response.request.url, response.next_request.url if response.next_request else None
        if there is None:
            raise SourceError(f"{public_url(here)} answered HTTP {response.status_code} without a Location")
        if there.host != here.host or (here.scheme == "https" and there.scheme != "https"):
            where = (
                f"set {setting} to {public_url(there.copy_with(path='/', query=None))} if you trust it"
                if setting
                else "fetch it yourself if you trust it"
            )
            raise SourceError(
                f"{here.host} redirected to {public_url(there)}: not followed (a redirect to another host, or "
                f"from https to http, is refused); {where}"
            )
        assert response.next_request is not None
        return response.next_request

    def _read(self, response: httpx.Response, end: float) -> httpx.Response:
        """The response with its whole body, read within the deadline and at most `max_bytes` long."""
        site = response.request.url.host
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise SourceError(
                f"{site} sent {_mib(int(declared))} for {public_url(response.request.url)}: "
                f"more than the {_mib(self.max_bytes)} a source may send; not read"
            )
        body = bytearray()
        try:
            for chunk in response.iter_bytes():  # decoded, so a small compressed body that expands is capped too
                body += chunk
                if len(body) > self.max_bytes:
                    raise SourceError(
                        f"{site} sent more than {_mib(self.max_bytes)} for "
                        f"{public_url(response.request.url)}: more than a source may send; not read further"
                    )
                if time.monotonic() >= end:
                    raise _OutOfTime("the request's deadline passed", request=response.request)
        except httpx.TimeoutException:
            self._out_of_time = time.monotonic() >= end
            raise
        headers = [
            (k, v)
            for k, v in response.headers.multi_items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=bytes(body),
            request=response.request,
            extensions=response.extensions,
        )
