"""arXiv newest submissions, replayed from cassettes built from saved real payloads (make_cassettes.py)."""

from __future__ import annotations

import httpx
import pytest

from agent.errors import SourceError
from agent.sources.arxiv import newest
from agent.sources.http import Http, make_client


@pytest.mark.vcr
def test_pages_until_max(http):
    papers, report = newest(["cs.DC", "cs.LG"], max_results=12, http=http, page_size=5)
    assert len(papers) == 12 and len(report.urls) == 3
    assert papers[0].id == "2606.13677" and papers[5].id == "2202.12139"


@pytest.mark.vcr
def test_pages_until_max_waits_politely_between_requests(http, waits):
    newest(["cs.DC", "cs.LG"], max_results=12, http=http, page_size=5)
    assert waits == [3.0, 3.0]


@pytest.mark.vcr
def test_stops_at_the_end_of_results(http, waits):
    papers, report = newest(["cs.DC", "cs.LG"], max_results=10, http=http)
    assert [p.id for p in papers] == ["2104.12255"] and report.listed == 1 and waits == []


@pytest.mark.vcr
def test_empty_result(http):
    papers, report = newest(["cs.DC", "cs.LG"], max_results=10, http=http)
    assert papers == [] and report.listed == 0 and report.problems == []


@pytest.mark.vcr
def test_error_feed_is_a_source_error(http):
    with pytest.raises(SourceError, match="arXiv API error: incorrect id format for abc"):
        newest(["cs.DC", "cs.LG"], max_results=10, http=http)


def test_a_page_that_is_not_atom_is_a_source_error():
    html = httpx.Response(200, text="<!DOCTYPE html><html><body>Service Unavailable</body></html>")
    http = Http(client=make_client(httpx.MockTransport(lambda request: html)), sleep=lambda s: None)
    with pytest.raises(SourceError, match="export.arxiv.org sent something unusable"):
        newest(["cs.DC"], max_results=10, http=http)


def test_a_retry_also_waits_the_polite_3_seconds(data_dir):
    feed = (data_dir / "arxiv_2104.12255v1.xml").read_bytes()
    answers = iter([httpx.Response(503), httpx.Response(200, content=feed)])
    waits: list[float] = []
    http = Http(client=make_client(httpx.MockTransport(lambda request: next(answers))), sleep=waits.append)
    papers, _ = newest(["cs.DC"], max_results=10, http=http)
    assert [p.id for p in papers] == ["2104.12255"]
    assert len(waits) == 1 and waits[0] >= 3.0  # the backoff alone may pick less
