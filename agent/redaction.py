"""Secrets out of everything we print, store or log: the API key, and credentials written into a URL.

`register` is called once per secret (the LLM settings do it for the key and for a password in
OPENAI_BASE_URL); from then on `redact` removes it from a message, and a log-record factory removes it from
every log record of the process, --verbose included (an endpoint or proxy may echo the key in an error
body, which instructor and the SDK log).
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

PLACEHOLDER = "[REDACTED]"
_SECRETS: set[str] = set()
_USERINFO = re.compile(r"(?<=://)[^/@\s]*@")  # "user:password@" in any URL of a message
_plain_factory: Any = None  # the record factory in place before ours


def register(secret: str | None) -> None:
    """Remember `secret` (too short a value would mask ordinary text: those are left alone)."""
    if not secret or len(secret) < 6:
        return
    global _plain_factory
    _SECRETS.add(secret)
    if logging.getLogRecordFactory() is not _redacting_factory:
        _plain_factory = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_redacting_factory)


def redact(text: str) -> str:
    """`text` without any registered secret and without the credentials of any URL in it."""
    for secret in _SECRETS:
        if secret in text:
            text = text.replace(secret, PLACEHOLDER)
    return _USERINFO.sub("", text) if "@" in text else text


def strip_credentials(url: str) -> tuple[str, str | None]:
    """(the URL without user:password@, the password or None). Credentials in a base URL are never sent:
    httpx would send them as Basic auth in place of the key."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), parts.password


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _plain_factory(*args, **kwargs)
    message = record.getMessage()
    clean = redact(message)
    if clean != message:
        record.msg, record.args = clean, None
    if record.exc_info and record.exc_info[1] is not None:
        text = logging.Formatter().formatException(record.exc_info)
        clean = redact(text)
        if clean != text:
            record.exc_info, record.exc_text = None, clean
    return record
