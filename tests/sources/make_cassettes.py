"""Build the vcrpy cassettes for the network-source tests from saved real payloads in tests/data.

There was no internet when these were made: nothing here was recorded live. Each cassette says so in its
header, and says which payload it was built from and what, if anything, was changed (an error status,
a truncated body, a removed abstract). Run from the repository root:

    python tests/sources/make_cassettes.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlencode

import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
OUT = ROOT / "cassettes"
UA = "summarize/0.1.0 (+https://github.com/summarize)"
REASONS = {200: "OK", 400: "Bad Request", 429: "Too Many Requests", 500: "Internal Server Error"}

HF_2026 = (DATA / "hf_daily_2026-06-12.json").read_text()
HF_2024 = (DATA / "hf_daily_2024-10-25.json").read_text()


def hf_day(day: str) -> str:
    return "https://huggingface.co/api/daily_papers?" + urlencode({"date": day})


def interaction(uri: str, status: int, body: str, content_type: str, headers: dict | None = None) -> dict:
    return {
        "request": {"body": None, "headers": {"User-Agent": [UA]}, "method": "GET", "uri": uri},
        "response": {
            "status": {"code": status, "message": REASONS[status]},
            "headers": {"Content-Type": [content_type], **{k: [v] for k, v in (headers or {}).items()}},
            "body": {"string": body},
        },
    }


def json_reply(uri: str, body: str, status: int = 200, headers: dict | None = None) -> dict:
    return interaction(uri, status, body, "application/json; charset=utf-8", headers)


def atom_reply(uri: str, body: str, status: int = 200) -> dict:
    return interaction(uri, status, body, "application/atom+xml; charset=utf-8")


def write(module: str, name: str, note: str, interactions: list[dict]) -> None:
    header = (
        "# Built by tests/sources/make_cassettes.py from saved real payloads (tests/data, see SOURCES.md),\n"
        "# not recorded live.\n"
        + "".join(f"# {line}\n" for line in note.splitlines())
    )
    text = yaml.safe_dump({"interactions": interactions, "version": 1}, sort_keys=False, width=120)
    path = OUT / module / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + text)


def atom_slice(xml: str, first: int, last: int) -> str:
    """The feed with only entries [first, last): real entries, real feed header."""
    entries = re.findall(r"  <entry>.*?</entry>\n", xml, flags=re.S)
    head = xml[: xml.index("  <entry>")]
    return head + "".join(entries[first:last]) + "</feed>\n"


def arxiv_page(start: int, size: int) -> str:
    return "https://export.arxiv.org/api/query?" + urlencode(
        {
            "search_query": "cat:cs.DC OR cat:cs.LG",
            "sortBy": "submittedDate",
            "sortOrder": "descending",
            "start": start,
            "max_results": size,
        }
    )


def huggingface() -> None:
    m = "test_huggingface"
    write(m, "test_ordinary_day", "hf_daily_2026-06-12.json as the answer for 2026-06-12.", [json_reply(hf_day("2026-06-12"), HF_2026)])
    write(m, "test_empty_day_is_reported", "An empty list for 2026-06-14 (the API's answer for a day without papers).",
          [json_reply(hf_day("2026-06-14"), "[]")])
    write(m, "test_latest_walks_back_to_a_day_with_papers", "Two empty days, then hf_daily_2026-06-12.json.",
          [json_reply(hf_day("2026-06-14"), "[]"), json_reply(hf_day("2026-06-13"), "[]"),
           json_reply(hf_day("2026-06-12"), HF_2026)])
    write(m, "test_no_day_with_papers_within_the_lookback", "Empty lists for 2026-06-14 and the 7 days before.",
          [json_reply(hf_day(f"2026-06-{d:02d}"), "[]") for d in range(14, 6, -1)])
    write(m, "test_rate_limited_then_served", "A 429 with Retry-After: 7, then hf_daily_2024-10-25.json.",
          [json_reply(hf_day("2024-10-25"), '{"error":"Too Many Requests"}', 429, {"Retry-After": "7"}),
           json_reply(hf_day("2024-10-25"), HF_2024)])
    write(m, "test_server_error_until_give_up", "HTTP 500 five times (the retry bound).",
          [json_reply(hf_day("2024-10-25"), '{"error":"Internal Error"}', 500) for _ in range(5)])
    write(m, "test_malformed_json", "hf_daily_2024-10-25.json cut in half.",
          [json_reply(hf_day("2024-10-25"), HF_2024[: len(HF_2024) // 2])])
    items = json.loads(HF_2024)
    items[2]["paper"]["summary"] = ""
    write(m, "test_paper_without_abstract_is_reported", "hf_daily_2024-10-25.json with the third paper's summary emptied.",
          [json_reply(hf_day("2024-10-25"), json.dumps(items))])
    bare = [item["paper"] for item in json.loads(HF_2024)[:3]]
    write(m, "test_search_bare_paper_objects", "The first 3 `paper` objects of hf_daily_2024-10-25.json, bare, as search returns.",
          [json_reply("https://huggingface.co/api/papers/search?q=contrastive+loss", json.dumps(bare))])
    wrapped = json.loads(HF_2026)[:2]
    write(m, "test_search_wrapped_items", "The first 2 items of hf_daily_2026-06-12.json, wrapped in `paper`.",
          [json_reply("https://huggingface.co/api/papers/search?q=annotation", json.dumps(wrapped))])


def arxiv() -> None:
    m = "test_arxiv"
    testing = (DATA / "arxiv_search_testing.xml").read_text()
    pages = [
        atom_reply(arxiv_page(0, 5), (DATA / "arxiv_transformer.xml").read_text()),
        atom_reply(arxiv_page(5, 5), atom_slice(testing, 0, 5)),
        atom_reply(arxiv_page(10, 2), atom_slice(testing, 5, 7)),
    ]
    note = (
        "Page 1: arxiv_transformer.xml (5 entries). Pages 2 and 3: entries 1-5 and 6-7 of arxiv_search_testing.xml\n"
        "under its own feed header (real entries, regrouped into pages)."
    )
    for name in ("test_pages_until_max", "test_pages_until_max_waits_politely_between_requests"):
        write(m, name, note, pages)
    write(m, "test_stops_at_the_end_of_results", "arxiv_2104.12255v1.xml (totalResults 1).",
          [atom_reply(arxiv_page(0, 10), (DATA / "arxiv_2104.12255v1.xml").read_text())])
    write(m, "test_empty_result", "arxiv_empty.xml (totalResults 0).",
          [atom_reply(arxiv_page(0, 10), (DATA / "arxiv_empty.xml").read_text())])
    write(m, "test_error_feed_is_a_source_error", "arxiv_error_abc.xml with its real status, HTTP 400.",
          [atom_reply(arxiv_page(0, 10), (DATA / "arxiv_error_abc.xml").read_text(), 400)])


if __name__ == "__main__":
    huggingface()
    arxiv()
