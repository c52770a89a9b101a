"""Hugging Face papers: the daily list and search, parsed by the same code that reads saved API JSON files.

Endpoint: $HF_ENDPOINT or https://huggingface.co.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any

from agent.errors import SourceError
from agent.models import Paper
from agent.sources.files import iter_records, parse_json
from agent.sources.http import Http, public_url
from agent.sources.report import Report

LOOKBACK_DAYS = 7  # a weekend plus holidays; beyond that something else is wrong


def endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def _get_list(http: Http, url: str, params: dict[str, Any], what: str) -> tuple[list[Any], str]:
    response = http.get(url, params, setting="HF_ENDPOINT")
    shown = public_url(response.request.url if response.request else url)
    if response.status_code != 200:
        raise SourceError(f"{what}: HTTP {response.status_code} {response.reason_phrase} from {shown}")
    try:
        data = parse_json(response.content.decode("utf-8-sig"))
    except ValueError as e:  # JSONTooDeep and UnicodeDecodeError too
        raise SourceError(f"{what}: malformed JSON from {shown} ({e})") from None
    if isinstance(data, dict):  # tolerate {"papers": [...]}-style wrappers, as the file reader does
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list):
        raise SourceError(f"{what}: expected a JSON list of papers from {shown}")
    return data, shown


def daily_papers(day: date, http: Http | None = None) -> tuple[list[Paper], Report]:
    """The papers listed on HF Daily Papers for `day`. Unusable items are in the report, not dropped."""
    http = http or Http()
    report = Report("huggingface.co daily papers", day.isoformat(), day=day)
    data, url = _get_list(
        http, f"{endpoint()}/api/daily_papers", {"date": day.isoformat()}, f"huggingface.co daily papers {day}"
    )
    report.urls.append(url)
    report.listed = len(data)
    return report.add(list(iter_records(data, f"huggingface.co daily papers {day}"))), report


def latest_day(before: date, http: Http | None = None, days: int = LOOKBACK_DAYS) -> tuple[list[Paper], Report] | None:
    """The most recent day on or before `before` that has papers, looking back at most `days` days."""
    http = http or Http()
    empty: list[Report] = []
    for back in range(days):
        papers, report = daily_papers(before - timedelta(days=back), http)
        if report.listed:
            report.urls = [url for e in empty for url in e.urls] + report.urls
            if empty:
                report.notes.append("no papers listed for " + ", ".join(str(e.day) for e in empty))
            return papers, report
        empty.append(report)
    return None


def fetch_day(day: date, latest: bool = False, http: Http | None = None) -> tuple[list[Paper], Report]:
    """`summarize today`: the day's papers; with `latest`, the most recent day with papers if `day` has none."""
    http = http or Http()
    papers, report = daily_papers(day, http)
    if report.listed or not latest:
        if not report.listed:
            report.notes.append(f"huggingface.co lists no papers for {day}; try --latest for the most recent day")
        return papers, report
    found = latest_day(day - timedelta(days=1), http)
    if found is None:
        report.notes.append(f"no papers on huggingface.co for {day} or the {LOOKBACK_DAYS} days before")
        return papers, report
    papers, earlier = found
    earlier.urls = report.urls + earlier.urls
    earlier.requested = day.isoformat()
    earlier.notes.insert(0, f"{day} has no papers yet; using {earlier.day}, the latest day with papers")
    return papers, earlier


def search(query: str, http: Http | None = None) -> tuple[list[Paper], Report]:
    """`summarize search`: HF paper search. Items may be bare paper objects or wrapped in `paper`."""
    http = http or Http()
    report = Report("huggingface.co search", repr(query))
    data, url = _get_list(http, f"{endpoint()}/api/papers/search", {"q": query}, f"huggingface.co search {query!r}")
    report.urls.append(url)
    report.listed = len(data)
    return report.add(list(iter_records(data, f"huggingface.co search {query!r}"))), report
