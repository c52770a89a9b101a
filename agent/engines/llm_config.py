"""Settings of the LLM engine, from flags and the environment.

Environment (a flag given to the CLI wins over its variable):
  OPENAI_API_KEY                 the key (any non-empty value for local servers that ignore it)
  OPENAI_BASE_URL                any OpenAI-compatible endpoint; default the OpenAI API
  SUMMARIZE_MODEL                default "gpt-4o-mini"
  SUMMARIZE_LLM_MODE             tools (default) | json_schema | md_json
  SUMMARIZE_CONCURRENCY          requests in flight, default 8
  SUMMARIZE_TIMEOUT              seconds per HTTP attempt, default 60
  SUMMARIZE_TRANSPORT_ATTEMPTS   HTTP attempts per request on 429/5xx/timeouts/resets, default 3
  SUMMARIZE_REASK_ATTEMPTS       model answers per paper when the output is invalid, default 3
  SUMMARIZE_MAX_OUTPUT_TOKENS    default 1500

The key is held in a field excluded from repr and never written anywhere; errors name the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from urllib.parse import urlsplit

import instructor

from agent.engines.llm_prompt import DEFAULT_PROMPT
from agent.errors import EndpointError, InputError
from agent.redaction import register, strip_credentials

MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "md_json": instructor.Mode.MD_JSON,
}
DEFAULT_BASE_URL = "https://api.openai.com/v1"

_ENV = {
    "api_key": "OPENAI_API_KEY",
    "base_url": "OPENAI_BASE_URL",
    "model": "SUMMARIZE_MODEL",
    "mode": "SUMMARIZE_LLM_MODE",
    "concurrency": "SUMMARIZE_CONCURRENCY",
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
    concurrency: int = 8
    timeout: float = 60.0
    transport_attempts: int = 3
    reask_attempts: int = 3
    max_output_tokens: int = 1500
    temperature: float = 0.0
    prompt_version: str = DEFAULT_PROMPT
    verbose: bool = False
    # user:password@ was in the base URL: removed, never sent (the key goes in OPENAI_API_KEY), never shown
    dropped_url_credentials: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise InputError(f"unknown LLM mode {self.mode!r}; choose one of {', '.join(MODES)}")
        for name in ("concurrency", "transport_attempts", "reask_attempts", "max_output_tokens"):
            if getattr(self, name) < 1:
                raise InputError(f"{name} must be at least 1")
        if self.timeout <= 0:
            raise InputError("timeout must be positive")
        base_url, password = strip_credentials(self.base_url)
        if base_url != self.base_url:
            object.__setattr__(self, "base_url", base_url)
            object.__setattr__(self, "dropped_url_credentials", True)
        register(password)
        register(self.api_key)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> "LLMSettings":
        """Settings from `env` (default os.environ); `overrides` (flags) win; None means "not given"."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        types = {f.name: f.type for f in fields(cls)}
        for name, var in _ENV.items():
            raw = env.get(var)
            if raw in (None, ""):
                continue
            try:
                values[name] = _convert(types[name], raw)
            except ValueError:
                raise InputError(f"{var} must be {types[name]}, got {'a value' if name == 'api_key' else repr(raw)}") from None
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

    def with_(self, **changes: object) -> "LLMSettings":
        return replace(self, **changes)


def _convert(kind: str, raw: str) -> object:
    if "int" in kind:
        return int(raw)
    if "float" in kind:
        return float(raw)
    return raw
