"""arXiv: the newest submissions in some categories, from the arXiv API, paged politely.

arXiv asks API users to leave at least 3 seconds between requests; `delay` and `sleep` are injectable
so tests do not wait. Endpoint: $ARXIV_API_URL or https://export.arxiv.org/api/query.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from agent.errors import InputError, SourceError
from agent.models import Paper
from agent.sources.files import parse_atom
from agent.sources.http import Http, public_url
from agent.sources.report import Report

POLITE_DELAY = 3.0
PAGE_SIZE = 100
HINT = "use `summarize run FILE` with a saved arXiv Atom file"


def endpoint() -> str:
    return os.environ.get("ARXIV_API_URL", "https://export.arxiv.org/api/query")


def category_query(categories: list[str]) -> str:
    return " OR ".join(f"cat:{c}" for c in categories)


def newest(
    categories: list[str],
    max_results: int,
    http: Http | None = None,
    page_size: int = PAGE_SIZE,
    delay: float = POLITE_DELAY,
    sleep: Callable[[float], None] | None = None,
) -> tuple[list[Paper], Report]:
    """`summarize arxiv`: up to `max_results` newest submissions in `categories`, newest first.

    Stops at `max_results`, at the end of the results, or at an empty page (arXiv sometimes sends one
    before the end; that is noted in the report, not hidden). A paper seen on an earlier page (the list
    shifts when new papers arrive while paging) is counted once.
    """
    if not categories:
        raise InputError("arxiv: no categories given (e.g. cs.DC cs.LG)")
    http = http or Http()
    sleep = sleep or http.sleep
    query = category_query(categories)
    report = Report("arXiv", query)
    papers: list[Paper] = []
    seen: set[str] = set()
    start = 0
    while len(papers) < max_results:
        if report.urls:
            sleep(delay)
        params = {
            "search_query": query,
            "sortBy": "submittedDate",
            "sortOrder": "descending",
            "start": start,
            "max_results": min(page_size, max_results - len(papers)),
        }
        response = http.get(
            endpoint(),
            params,
            hint=HINT,
            min_wait=delay,  # retries are requests too
            setting="ARXIV_API_URL",
        )
        report.urls.append(public_url(response.request.url))
        items, feed = parse_atom(response.content, f"arXiv page start={start}")
        api_errors = [e for e in items if isinstance(e, InputError) and "arXiv API error" in str(e)]
        if api_errors or response.status_code != 200:
            detail = str(api_errors[0]) if api_errors else f"HTTP {response.status_code} {response.reason_phrase}"
            raise SourceError(f"export.arxiv.org refused the query {query!r}: {detail}")
        if feed.entries == 0 and items:  # not an Atom feed at all (an HTML error page, say)
            raise SourceError(f"export.arxiv.org sent something unusable: {items[0]}")
        report.listed += feed.entries
        duplicates, before = 0, len(papers)
        for item in items:
            if not isinstance(item, Paper):
                report.problems.append(str(item))
            elif item.id in seen:
                duplicates += 1
            elif len(papers) < max_results:
                seen.add(item.id)
                papers.append(item)
        if duplicates:
            report.notes.append(f"{duplicates} paper(s) at start={start} repeated an earlier page (counted once)")
        if feed.entries and len(papers) == before:
            # Nothing new on a whole page: a source that repeats itself (or sends only unusable entries) would
            # otherwise be paged to its totalResults, however large, 3 seconds a page.
            report.notes.append(f"the page at start={start} added no new paper; stopped there")
            break
        start += feed.entries
        total = feed.total_results
        if total is not None and start >= total:
            break
        if feed.entries == 0:
            if total is not None and start < total:
                report.notes.append(f"arXiv sent an empty page at start={start} of {total} results; stopped there")
            break
    report.used = len(papers)
    return papers, report
