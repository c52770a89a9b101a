"""Settings of the LLM engine, from flags and the environment.

Environment (a flag given to the CLI wins over its variable):
  OPENAI_API_KEY                 the key (any non-empty value for local servers that ignore it)
  OPENAI_BASE_URL                any OpenAI-compatible endpoint; default the OpenAI API
  SUMMARIZE_MODEL                default "gpt-4o-mini"
  SUMMARIZE_LLM_MODE             tools (default) | json_schema | json | md_json; a mode the server refuses
                                 is replaced by the next one it accepts, once per run
  SUMMARIZE_CONCURRENCY          requests in flight; default: what the server reports it can serve at
                                 once (llama.cpp's slots), 1 for another local server, else 8
  SUMMARIZE_TIMEOUT              seconds per HTTP attempt, counted from when it is sent (a request is
                                 sent when the server can start on it); default 60, 600 on this machine
  SUMMARIZE_TRANSPORT_ATTEMPTS   HTTP attempts per request on 5xx/timeouts/resets, default 3
  SUMMARIZE_RETRY_BUDGET         seconds one paper may spend waiting out 429 Retry-After, default 300
  SUMMARIZE_REASK_ATTEMPTS       model answers per paper when the output is invalid, default 3
  SUMMARIZE_MAX_OUTPUT_TOKENS    the most one answer may use, default 1500 (less when the context is short)
  SUMMARIZE_PROMPT               extract.v2 (the whole summary; the default for a remote endpoint) or
                                 label.v1 (rules propose, the model labels; the default on this machine)

The key is held in a field excluded from repr and never written anywhere; errors name the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import urlsplit

import instructor

from agent.engines.llm_prompt import DEFAULT_PROMPT
from agent.errors import EndpointError, InputError
from agent.redaction import register, strip_credentials

# The hybrid task for a model server on this machine: measured with the 0.5B model on 2 cores, it took one
# request and about 30 s a paper where the whole summary took 2.4 requests and 225 s, and its claims are
# the rules engine's, grounded by construction (BENCHMARKS.md, "Real models").
LOCAL_PROMPT = "label.v1"

MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}
# The order a refused mode falls back in: each asks less of the server than the one before.
FALLBACK = ("tools", "json_schema", "json", "md_json")
DEFAULT_CONCURRENCY = 8
REMOTE_TIMEOUT, LOCAL_TIMEOUT = 60.0, 600.0
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}
DEFAULT_BASE_URL = "https://api.openai.com/v1"

_ENV = {
    "api_key": "OPENAI_API_KEY",
    "base_url": "OPENAI_BASE_URL",
    "model": "SUMMARIZE_MODEL",
    "mode": "SUMMARIZE_LLM_MODE",
    "concurrency": "SUMMARIZE_CONCURRENCY",
    "retry_budget": "SUMMARIZE_RETRY_BUDGET",
    "timeout": "SUMMARIZE_TIMEOUT",
    "transport_attempts": "SUMMARIZE_TRANSPORT_ATTEMPTS",
    "reask_attempts": "SUMMARIZE_REASK_ATTEMPTS",
    "max_output_tokens": "SUMMARIZE_MAX_OUTPUT_TOKENS",
    "prompt_version": "SUMMARIZE_PROMPT",
}


@dataclass(frozen=True)
class LLMSettings:
    api_key: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    model: str = "gpt-4o-mini"
    mode: str = "tools"
    concurrency: int | None = None  # None: as the server can serve (see the module's docstring)
    timeout: float | None = None  # None: REMOTE_TIMEOUT, or LOCAL_TIMEOUT for a server on this machine
    retry_budget: float = 300.0
    transport_attempts: int = 3
    reask_attempts: int = 3
    max_output_tokens: int = 1500
    temperature: float = 0.0
    prompt_version: str | None = None  # None: LOCAL_PROMPT for a server on this machine, else DEFAULT_PROMPT
    verbose: bool = False
    # user:password@ was in the base URL: removed, never sent (the key goes in OPENAI_API_KEY), never shown
    dropped_url_credentials: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise InputError(f"unknown LLM mode {self.mode!r}; choose one of {', '.join(MODES)}")
        for name in ("concurrency", "transport_attempts", "reask_attempts", "max_output_tokens"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise InputError(f"{name} must be at least 1")
        if self.timeout is not None and self.timeout <= 0:
            raise InputError("timeout must be positive")
        if self.retry_budget < 0:
            raise InputError("retry_budget must not be negative")
        base_url, password = strip_credentials(self.base_url)
        if base_url != self.base_url:
            object.__setattr__(self, "base_url", base_url)
            object.__setattr__(self, "dropped_url_credentials", True)
        register(password)
        register(self.api_key)
        if self.timeout is None:
            object.__setattr__(self, "timeout", LOCAL_TIMEOUT if self.is_local else REMOTE_TIMEOUT)
        if self.prompt_version is None:
            object.__setattr__(self, "prompt_version", LOCAL_PROMPT if self.is_local else DEFAULT_PROMPT)

    @property
    def is_local(self) -> bool:
        """The endpoint is on this machine (a CPU model server: slow answers, few at a time)."""
        return (urlsplit(self.base_url).hostname or "") in _LOOPBACK

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> LLMSettings:
        """Settings from `env` (default os.environ); `overrides` (flags) win; None means "not given"."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        types = {f.name: f.type for f in fields(cls)}
        for name, var in _ENV.items():
            raw = env.get(var)
            if raw in (None, ""):
                continue
            try:
                values[name] = _convert(str(types[name]), raw)
            except ValueError:
                raise InputError(
                    f"{var} must be {types[name]}, got {'a value' if name == 'api_key' else repr(raw)}"
                ) from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def instructor_mode(self) -> instructor.Mode:
        return MODES[self.mode]

    @property
    def host(self) -> str:
        """host[:port] of the endpoint, for messages (the base URL holds no credentials by now)."""
        return urlsplit(self.base_url).netloc or self.base_url

    def require_key(self) -> str:
        if not self.api_key:
            raise EndpointError(
                "OPENAI_API_KEY is not set; export it (for local servers such as Ollama or llama.cpp any "
                "non-empty value works)"
            )
        return self.api_key

    def with_(self, **changes: Any) -> LLMSettings:
        return replace(self, **changes)


def _convert(kind: str, raw: str) -> object:
    if "int" in kind:
        return int(raw)
    if "float" in kind:
        return float(raw)
    return raw
