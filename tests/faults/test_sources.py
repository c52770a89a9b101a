"""Hostile and broken sources, through the whole CLI (`summarize today`, `summarize arxiv`), against a local
server on 127.0.0.1 (tests/faults/hostile_http.py): a server that drips, one that sends too much, one that
redirects elsewhere. Each is one line, exit 3, within a bounded time and memory, and nothing is followed
or read that should not be.

The CLI builds its own `Http()`; these tests hand it one with a 1-second deadline (or a 1 MiB cap) so a
drip is cut off quickly. The drips are bounded too: if the deadline did not work, the drip would end with
a short body and the message checked below would be a different one.
"""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.errors import SourceError
from agent.sources import arxiv, huggingface
from agent.sources.http import DeadlineTransport, Http, make_client
from tests.faults.hostile_http import (
    HostileServer,
    answer,
    drip_body,
    drip_headers,
    endless_chunked,
    gzip_bomb,
    huge_declared,
    redirect,
)

DAILY = "/api/daily_papers"
DAY = "2026-06-12"
PAPER = {"paper": {"id": "2606.00001", "title": "FastServe", "summary": "FastServe improves throughput by 2.3x over vLLM."}}


@pytest.fixture
def hostile(monkeypatch):
    with HostileServer() as server:
        monkeypatch.setenv("HF_ENDPOINT", server.base_url)
        monkeypatch.setenv("ARXIV_API_URL", server.base_url + "/api/query")
        yield server


def use_http(monkeypatch, **settings) -> None:
    """The Http the sources build, with these settings and waits recorded instead of slept."""
    made = functools.partial(Http, sleep=lambda s: None, **settings)
    monkeypatch.setattr(huggingface, "Http", made)
    monkeypatch.setattr(arxiv, "Http", made)


def today():
    result = CliRunner().invoke(app, ["today", "--date", DAY, "--engine", "rules", "--db", "s.db", "--out", "out"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


# -- time ----------------------------------------------------------------------------------------------


def test_a_body_dripped_a_byte_at_a_time_is_cut_off_at_the_deadline(hostile, monkeypatch):
    hostile.on(DAILY, drip_body(interval=0.2, drips=100, path=DAILY))  # 20 s if never cut off
    use_http(monkeypatch, deadline=1.0)
    result = today()
    assert result.exit_code == 3
    assert error_lines(result) == [
        "error: 127.0.0.1 sent no complete answer within 1 s (a stalled or very slow server); "
        "use `summarize run FILE` for saved pages"]
    assert hostile.sent[DAILY] < 100


def test_a_deadline_overrun_is_not_retried(hostile, monkeypatch):
    hostile.on(DAILY, drip_body(interval=0.2, drips=100))
    use_http(monkeypatch, deadline=1.0)
    today()
    assert hostile.count(DAILY) == 1


def test_headers_dripped_a_byte_at_a_time_are_cut_off_at_the_deadline(hostile, monkeypatch):
    hostile.on(DAILY, drip_headers(interval=0.1, drips=200))  # the head is over 2,000 bytes
    use_http(monkeypatch, deadline=1.0)
    result = today()
    assert result.exit_code == 3
    assert error_lines(result)[0].startswith("error: 127.0.0.1 sent no complete answer within 1 s")


def test_the_default_deadline_is_a_minute_and_shorter_than_a_drip_of_30_bytes_every_5_seconds():
    """The issue's drip (a byte every 5 s) never trips the 30 s read timeout; the deadline is what ends it."""
    http = Http()
    assert http.deadline == 60.0 and http.deadline < 30 * 5
    assert http.client.timeout.read == 30.0


# -- size ----------------------------------------------------------------------------------------------


def test_a_declared_2_gb_body_is_refused_unread(hostile, monkeypatch):
    hostile.on(DAILY, huge_declared(2 * 2**30, path=DAILY))
    use_http(monkeypatch)
    result = today()
    assert result.exit_code == 3
    assert error_lines(result) == [
        f"error: 127.0.0.1 sent 2048 MiB for {hostile.base_url}{DAILY}?date={DAY}: more than the 32 MiB a source "
        "may send; not read"]


def test_an_endless_body_without_a_length_is_cut_at_the_cap(hostile, monkeypatch):
    hostile.on(DAILY, endless_chunked(limit=64 * 2**20, path=DAILY))
    use_http(monkeypatch, max_bytes=2**20)
    result = today()
    assert result.exit_code == 3
    assert error_lines(result)[0].startswith("error: 127.0.0.1 sent more than 1 MiB for ")
    assert hostile.sent[DAILY] < 64 * 2**20


def test_a_gzip_body_that_expands_past_the_cap_is_refused(hostile, monkeypatch):
    hostile.on(DAILY, gzip_bomb(decoded=8 * 2**20))  # about 8 KB on the wire
    use_http(monkeypatch, max_bytes=2**20)
    result = today()
    assert result.exit_code == 3
    assert error_lines(result)[0].startswith("error: 127.0.0.1 sent more than 1 MiB for ")


def test_a_body_within_the_cap_is_read(hostile, monkeypatch):
    hostile.on(DAILY, answer(json.dumps([PAPER]).encode()))
    use_http(monkeypatch, max_bytes=2**20)
    result = today()
    assert result.exit_code == 0, result.stderr
    assert json.loads(Path("out/papers.jsonl").read_text())["id"] == "2606.00001"


# -- place ---------------------------------------------------------------------------------------------


def test_a_redirect_to_another_host_is_refused_and_not_followed(hostile, monkeypatch):
    hostile.on(DAILY, redirect("http://papers.example.invalid/api/daily_papers?date=2026-06-12"))
    use_http(monkeypatch)
    result = today()
    assert result.exit_code == 3
    assert error_lines(result) == [
        "error: 127.0.0.1 redirected to http://papers.example.invalid/api/daily_papers?date=2026-06-12: not followed "
        "(a redirect to another host, or from https to http, is refused); set HF_ENDPOINT to "
        "http://papers.example.invalid/ if you trust it"]
    assert hostile.count(DAILY) == 1


def test_a_redirect_on_the_same_host_is_followed(hostile, monkeypatch):
    hostile.on(DAILY, redirect("/mirror/daily_papers?date=2026-06-12"))
    hostile.on("/mirror/daily_papers", answer(json.dumps([PAPER]).encode()))
    use_http(monkeypatch)
    result = today()
    assert result.exit_code == 0, result.stderr
    assert hostile.count("/mirror/daily_papers") == 1


def test_a_redirect_loop_on_the_same_host_stops(hostile, monkeypatch):
    hostile.on(DAILY, redirect(DAILY + "?date=2026-06-12"))
    use_http(monkeypatch)
    result = today()
    assert result.exit_code == 3
    assert "more than 5 redirects" in error_lines(result)[0]
    assert hostile.count(DAILY) == 6


def test_arxiv_names_its_own_setting_when_a_redirect_is_refused(hostile, monkeypatch):
    hostile.on("/api/query", redirect("https://mirror.example.invalid/api/query"))
    use_http(monkeypatch)
    result = CliRunner().invoke(app, ["arxiv", "--category", "cs.DC", "--engine", "rules", "--db", "s.db"])
    assert result.exit_code == 3
    assert error_lines(result)[0].endswith("set ARXIV_API_URL to https://mirror.example.invalid/ if you trust it")


def test_a_redirect_from_https_to_http_on_the_same_host_is_refused():
    transport = httpx.MockTransport(lambda request: httpx.Response(301, headers={"Location": "http://huggingface.co/x"}))
    http = Http(client=make_client(transport), sleep=lambda s: None)
    with pytest.raises(SourceError, match=r"^huggingface.co redirected to http://huggingface.co/x: not followed"):
        http.get("https://huggingface.co/api/daily_papers")


def test_a_password_in_the_endpoint_is_sent_as_basic_auth_and_not_logged(hostile, monkeypatch, caplog):
    monkeypatch.setenv("HF_ENDPOINT", f"http://reader:s3cret-pw@127.0.0.1:{hostile.port}")
    hostile.on(DAILY, answer(json.dumps([PAPER]).encode()))
    use_http(monkeypatch)
    caplog.set_level(logging.INFO, logger="httpx")
    result = CliRunner().invoke(app, ["today", "--date", DAY, "--engine", "rules", "--db", "s.db", "--out", "out",
                                      "--verbose"])
    assert result.exit_code == 0, result.output
    assert f"GET http://127.0.0.1:{hostile.port}{DAILY}" in caplog.text  # --verbose logs the request...
    assert "s3cret-pw" not in caplog.text + result.output and "reader" not in caplog.text  # ...without the password
    assert hostile.requests[0].headers["authorization"] == "Basic cmVhZGVyOnMzY3JldC1wdw=="


def test_a_password_in_the_endpoint_is_not_printed(hostile, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", f"http://reader:s3cret-pw@127.0.0.1:{hostile.port}")
    hostile.on(DAILY, answer(b"[not json"))
    use_http(monkeypatch)
    result = today()
    assert result.exit_code == 3
    assert "s3cret-pw" not in result.output and "reader:" not in result.output
    assert error_lines(result)[0].startswith(f"error: huggingface.co daily papers {DAY}: malformed JSON from "
                                             f"http://127.0.0.1:{hostile.port}{DAILY}?date={DAY}")


def test_a_proxy_in_the_environment_is_still_used(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.invalid:3128")
    client = make_client()
    assert client._mounts, "no proxy mounted: a transport of ours would have turned the proxy off"


def test_without_a_proxy_every_request_goes_through_the_deadline_transport(monkeypatch):
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(make_client()._transport, DeadlineTransport)


def test_arxiv_repeating_one_page_with_a_huge_total_stops_after_the_page_that_adds_nothing(data_dir):
    feed = (data_dir / "arxiv_2104.12255v1.xml").read_bytes().replace(
        b"<opensearch:totalResults>1<", b"<opensearch:totalResults>100000000<")
    pages = []
    transport = httpx.MockTransport(lambda request: pages.append(request) or httpx.Response(200, content=feed))
    papers, report = arxiv.newest(["cs.DC"], max_results=50, http=Http(client=make_client(transport), sleep=lambda s: None))
    assert [p.id for p in papers] == ["2104.12255"] and len(pages) == 2
    assert report.notes[-1] == "the page at start=1 added no new paper; stopped there"
