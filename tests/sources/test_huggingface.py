"""HF daily papers and search, replayed from cassettes built from saved real payloads (make_cassettes.py)."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from agent.errors import SourceError
from agent.sources.http import USER_AGENT, Http, make_client
from agent.sources.huggingface import fetch_day, search


@pytest.mark.vcr
def test_ordinary_day(http):
    papers, report = fetch_day(date(2026, 6, 12), http=http)
    assert (report.listed, report.used, report.problems) == (30, 30, [])
    assert papers[0].id == "2606.00467" and papers[0].source == "hf-api"
    assert report.summary() == "huggingface.co daily papers 2026-06-12: 30 listed, 30 used"


@pytest.mark.vcr
def test_empty_day_is_reported(http):
    papers, report = fetch_day(date(2026, 6, 14), http=http)
    assert papers == [] and report.listed == 0
    assert report.notes == ["huggingface.co lists no papers for 2026-06-14; try --latest for the most recent day"]


@pytest.mark.vcr
def test_latest_walks_back_to_a_day_with_papers(http):
    papers, report = fetch_day(date(2026, 6, 14), latest=True, http=http)
    assert (len(papers), report.day, report.requested) == (30, date(2026, 6, 12), "2026-06-14")
    assert len(report.urls) == 3
    assert report.notes[0] == "2026-06-14 has no papers yet; using 2026-06-12, the latest day with papers"


@pytest.mark.vcr
def test_no_day_with_papers_within_the_lookback(http):
    papers, report = fetch_day(date(2026, 6, 14), latest=True, http=http)
    assert papers == []
    assert report.notes == ["no papers on huggingface.co for 2026-06-14 or the 7 days before"]


@pytest.mark.vcr
def test_rate_limited_then_served(http, waits):
    papers, _ = fetch_day(date(2024, 10, 25), http=http)
    assert len(papers) == 29
    assert waits == [7.0]  # Retry-After honoured


@pytest.mark.vcr
def test_server_error_until_give_up(http, waits):
    with pytest.raises(SourceError) as info:
        fetch_day(date(2024, 10, 25), http=http)
    assert str(info.value).startswith("huggingface.co answered HTTP 500 Internal Server Error after 5 attempts")
    assert len(waits) == 4 and all(0 <= w <= http.max_wait for w in waits)


@pytest.mark.vcr
def test_malformed_json(http):
    with pytest.raises(SourceError, match="malformed JSON"):
        fetch_day(date(2024, 10, 25), http=http)


@pytest.mark.vcr
def test_paper_without_abstract_is_reported(http):
    papers, report = fetch_day(date(2024, 10, 25), http=http)
    assert (report.listed, report.used, len(papers)) == (29, 28, 28)
    assert len(report.problems) == 1
    assert report.problems[0].startswith("huggingface.co daily papers 2024-10-25: record 3: ")
    assert "empty abstract" in report.problems[0]


@pytest.mark.vcr
def test_search_bare_paper_objects(http):
    papers, report = search("contrastive loss", http=http)
    assert [p.id for p in papers] == ["2410.17243", "2410.16251", "2410.18533"]
    assert {p.source for p in papers} == {"hf-api"} and report.listed == 3


@pytest.mark.vcr
def test_search_wrapped_items(http):
    papers, report = search("annotation", http=http)
    assert report.used == 2 and papers[0].source_extras["hf_ai_keywords"][0] == "zero-shot annotation"


def test_unreachable_host_says_what_to_do_instead(waits):
    def refuse(request):
        raise httpx.ConnectError("Name or service not known", request=request)

    http = Http(client=make_client(httpx.MockTransport(refuse)), sleep=waits.append, attempts=3)
    with pytest.raises(SourceError) as info:
        fetch_day(date(2026, 6, 12), http=http)
    assert str(info.value) == (
        "could not reach huggingface.co: Name or service not known (after 3 attempts); "
        "use `summarize run FILE` for saved pages"
    )
    assert info.value.exit_code == 3 and len(waits) == 2


def test_every_request_has_a_timeout_and_our_user_agent():
    seen = []

    def answer(request):
        seen.append((request.headers["User-Agent"], request.extensions["timeout"]))
        return httpx.Response(200, json=[])

    fetch_day(date(2026, 6, 14), http=Http(client=make_client(httpx.MockTransport(answer))))
    assert seen == [(USER_AGENT, {"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 30.0})]


def test_hf_endpoint_is_honoured(monkeypatch):
    urls = []
    monkeypatch.setenv("HF_ENDPOINT", "https://hf-mirror.example/")
    transport = httpx.MockTransport(lambda request: urls.append(str(request.url)) or httpx.Response(200, json=[]))
    fetch_day(date(2026, 6, 14), http=Http(client=make_client(transport)))
    assert urls == ["https://hf-mirror.example/api/daily_papers?date=2026-06-14"]
