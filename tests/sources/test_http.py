"""Retry policy details that the cassette tests do not pin."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx

from agent.sources.http import Http, make_client, retry_after_seconds


def test_retry_after_in_seconds():
    assert retry_after_seconds("120") == 120.0


def test_retry_after_as_http_date():
    now = datetime(2026, 6, 12, 10, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("Fri, 12 Jun 2026 10:00:30 GMT", now=now) == 30.0


def test_retry_after_garbage_is_ignored():
    assert retry_after_seconds("soon") is None


def test_long_retry_after_is_capped():
    answers = iter([httpx.Response(429, headers={"Retry-After": "3600"}), httpx.Response(200, json=[])])
    waits: list[float] = []
    http = Http(client=make_client(httpx.MockTransport(lambda request: next(answers))), sleep=waits.append, max_wait=20)
    assert http.get("https://huggingface.co/api/daily_papers").status_code == 200
    assert waits == [20]


def test_client_error_is_not_retried():
    calls = []
    transport = httpx.MockTransport(lambda request: calls.append(request) or httpx.Response(404))
    response = Http(client=make_client(transport), sleep=lambda s: None).get("https://huggingface.co/api/x")
    assert response.status_code == 404 and len(calls) == 1
