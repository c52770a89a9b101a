"""Read papers from input files, detecting the format from the content rather than the extension.

Formats: a saved Hugging Face Daily Papers page (text), HF daily papers / search API JSON, arXiv API Atom XML,
and generic JSONL / JSON / CSV with title and abstract fields.

`iter_source` never raises for bad content: every problem becomes an `InputError` with a one-line
message naming the file (and line or record), yielded in place of the paper it concerns, so a reader
never drops an entry silently.

Text must be UTF-8 (a BOM is accepted). Other encodings are reported, not decoded with replacement
characters: a mangled abstract would be summarised wrongly without anyone noticing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO
from urllib.parse import quote, quote_plus
from xml.parsers import expat

from pydantic import ValidationError

from agent.errors import InputError
from agent.models import Paper, arxiv_id, paper_id_for

HEAD_BYTES = 64 * 1024
EXPECTED = (
    "expected a saved Hugging Face papers page, HF daily papers JSON, arXiv Atom XML, "
    "or JSONL/JSON/CSV with title and abstract fields"
)
HF_PAPER_URL = "https://huggingface.co/papers/{}"
HF_SEARCH_URL = "https://huggingface.co/papers?q={}"
ARXIV_ABS_URL = "https://arxiv.org/abs/{}"


class _Bad(Exception):
    """A problem with one record or one file, turned into an InputError by the caller who knows where."""


def _error(name: str, message: str, where: int | str | None = None) -> InputError:
    prefix = f"{name}:{where}" if isinstance(where, int) else f"{name}: {where}" if where else name
    return InputError(" ".join(f"{prefix}: {message}".split()))


def _short(title: str, limit: int = 60) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------- cleaning

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_text(value: Any, what: str) -> str:
    """One paragraph: control characters removed, hard wraps and runs of whitespace joined."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, list)):
        raise _Bad(f"{what} is not text")
    if isinstance(value, list):  # an abstract given as a list of sentences
        if not all(isinstance(v, str) for v in value):
            raise _Bad(f"{what} is not text")
        value = " ".join(value)
    return " ".join(_CONTROL.sub(" ", str(value)).split())


_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_PAGE_DATE = re.compile(r"^([A-Za-z]{3})[a-z]*\.? (\d{1,2})(?:, (\d{4}))?(?: +(\d+))?$")


def parse_date(value: Any) -> date | None:
    """ISO dates and datetimes ('2026-05-30T00:00:00.000Z') and 'May 29, 2025'; anything else is None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    m = _PAGE_DATE.match(value)
    if m and m.group(3) and m.group(1).lower() in _MONTHS:
        try:
            return date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
        except ValueError:
            return None
    return None


def _version(text: str | None) -> str | None:
    m = re.search(r"(?:\d{4}\.\d{4,5}|/\d{7})(v\d+)\b", text or "")
    return m.group(1) if m else None


def _make_paper(**fields: Any) -> Paper:
    title, abstract = fields["title"], fields["abstract"]
    if not title:
        raise _Bad("no title")
    if not abstract:
        raise _Bad(f'"{_short(title)}" has an empty abstract (nothing to summarise)')
    fields.setdefault("id", paper_id_for(title))
    try:
        return Paper(**fields)
    except ValidationError as e:
        first = e.errors()[0]
        raise _Bad(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None


# ------------------------------------------------------------------------------------- JSON records


def _looks_like_bare_hf_paper(rec: dict) -> bool:
    """The HF search API returns paper objects without the daily-papers wrapper."""
    return (
        "summary" in rec
        and "abstract" not in rec
        and bool({"upvotes", "discussionId", "ai_summary", "submittedOnDailyAt"} & rec.keys())
    )


def _author_names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        sep = ";" if ";" in value else ","
        return [a for a in (clean_text(p, "author") for p in value.split(sep)) if a]
    if not isinstance(value, list):
        raise _Bad("authors is neither a list nor a string")
    names = []
    for a in value:
        name = a.get("name") if isinstance(a, dict) else a
        if isinstance(name, str) and name.strip():
            names.append(clean_text(name, "author"))
    return names


def hf_paper(paper: dict, wrapper: dict | None = None) -> Paper:
    """A paper from the HF API: a daily-papers item (`wrapper` with `paper` inside) or a bare paper."""
    wrapper = wrapper or {}
    raw_id = paper.get("id")
    arxiv = arxiv_id(raw_id) if isinstance(raw_id, str) else None
    title = clean_text(paper.get("title") or wrapper.get("title"), "title")
    extras: dict[str, Any] = {}
    org = paper.get("organization") or wrapper.get("organization")
    for key, value in (
        ("hf_upvotes", paper.get("upvotes")),
        ("hf_ai_summary", paper.get("ai_summary")),
        ("hf_ai_keywords", paper.get("ai_keywords")),
        ("hf_submitted_on_daily_at", paper.get("submittedOnDailyAt") or wrapper.get("publishedAt")),
        ("hf_num_comments", wrapper.get("numComments")),
        ("hf_github_repo", paper.get("githubRepo")),
        ("hf_project_page", paper.get("projectPage")),
        ("hf_organization", org.get("fullname") or org.get("name") if isinstance(org, dict) else None),
    ):
        if value not in (None, "", []):
            extras[key] = value
    return _make_paper(
        id=paper_id_for(title, arxiv),
        title=title,
        abstract=clean_text(paper.get("summary") or wrapper.get("summary"), "summary"),
        authors=_author_names(paper.get("authors")),
        published=parse_date(paper.get("publishedAt")),
        url=HF_PAPER_URL.format(quote(raw_id.strip(), safe="")) if isinstance(raw_id, str) and raw_id.strip() else None,
        source="hf-api",
        source_extras=extras,
        source_id=raw_id.strip() or None if isinstance(raw_id, str) else None,
    )


def _first(rec: dict, *keys: str) -> Any:
    for key in keys:
        if rec.get(key) not in (None, ""):
            return rec[key]
    return None


_CODE_KEYS = ("code_url", "github_repo", "githubrepo", "github", "code", "repository")
_PROJECT_KEYS = ("project_page", "projectpage", "project_url", "homepage")


def _source_id(rec: dict) -> str | None:
    """The record's own id as the user's data has it (`id`, else `paper_id`, else an arXiv id field),
    kept verbatim so our output joins back to theirs."""
    raw = _first(rec, "id", "paper_id", "arxiv_id", "arxiv")
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        return None
    text = clean_text(raw, "id")[:200]
    return text or None


def generic_paper(rec: dict) -> Paper:
    """A paper from a user's JSONL/JSON/CSV record: title plus abstract (or summary), the rest optional."""
    rec = {str(k).strip().lower(): v for k, v in rec.items()}
    title = clean_text(rec.get("title"), "title")
    if "abstract" not in rec and "summary" not in rec:
        raise _Bad(f'"{_short(title)}" has no abstract (or summary) field' if title else "no title and no abstract")
    raw_id = _first(rec, "arxiv_id", "arxiv", "id", "paper_id")
    raw_id = str(raw_id) if isinstance(raw_id, (str, int, float)) and not isinstance(raw_id, bool) else None
    url = _CONTROL.sub("", rec["url"]).strip() or None if isinstance(rec.get("url"), str) else None
    arxiv = arxiv_id(raw_id) or arxiv_id(url)
    raw_date = _first(rec, "published", "date", "publishedat")
    published = parse_date(raw_date)
    extras = {}
    if published is None and raw_date not in (None, ""):
        extras["date_text"] = str(raw_date)[:100]  # kept as written, not guessed and not dropped
    for key, names in (("code_url", _CODE_KEYS), ("project_page", _PROJECT_KEYS)):
        value = _first(rec, *names)
        if isinstance(value, str) and value.strip():
            extras[key] = value.strip()
    return _make_paper(
        id=paper_id_for(title, arxiv),
        title=title,
        abstract=clean_text(_first(rec, "abstract", "summary"), "abstract"),
        authors=_author_names(rec.get("authors")),
        published=published,
        url=url if url else ARXIV_ABS_URL.format(arxiv) if arxiv else None,
        source="file",
        source_extras=extras,
        version=_version(raw_id) or _version(url) if arxiv else None,
        source_id=_source_id(rec),
    )


MAX_DEPTH = 32  # a paper record is a few levels deep; HF's is 4


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether containers nest more than `limit` levels in `value` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))
    return False


class JSONTooDeep(ValueError):
    """JSON nested past what Python's parser can recurse into."""


class _TooDeep:
    """Stands in a parsed list for an item nested too deeply to parse; that record is reported, not the list."""


_DECODER = json.JSONDecoder()
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_BRACKET = re.compile(r'["\[\]{}]')
_JSON_STRING_REST = re.compile(r'(?:[^"\\]|\\.)*"', re.S)


def _after_space(text: str, pos: int) -> int:
    """The index after the JSON whitespace at `pos` (`pos` itself when there is none)."""
    match = _JSON_SPACE.match(text, pos)
    assert match is not None  # `*`: it matches everywhere, if only the empty string
    return match.end()


def parse_json(text: str) -> Any:
    """json.loads, except that JSON nested past Python's recursion limit is bad input, not a crash: in a
    top-level list only the items nested too deeply are lost (each becomes a `_TooDeep`, which
    `record_to_paper` reports as its record's problem); anything else raises JSONTooDeep."""
    try:
        return json.loads(text)
    except RecursionError:
        pass
    start = _after_space(text, 1 if text.startswith("\ufeff") else 0)
    if not text.startswith("[", start):
        raise JSONTooDeep("JSON nested too deeply to read") from None
    return _list_items(text, start + 1)


def _list_items(text: str, pos: int) -> list[Any]:
    items: list[Any] = []
    pos = _after_space(text, pos)
    if not text.startswith("]", pos):
        while True:
            try:
                value, pos = _DECODER.raw_decode(text, pos)
            except RecursionError:
                value, pos = _TooDeep(), _skip_value(text, pos)
            items.append(value)
            pos = _after_space(text, pos)
            if text.startswith(",", pos):
                pos = _after_space(text, pos + 1)
            elif text.startswith("]", pos):
                break
            else:
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
    end = _after_space(text, pos + 1)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return items


def _skip_value(text: str, pos: int) -> int:
    """The end of the array or object starting at `pos`, found by matching brackets outside strings."""
    depth, i = 0, pos
    while (m := _JSON_BRACKET.search(text, i)) is not None:
        i = m.end()
        if m.group() == '"':
            rest = _JSON_STRING_REST.match(text, i)
            if rest is None:
                break
            i = rest.end()
        elif m.group() in "[{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return i
    raise json.JSONDecodeError("Unterminated array or object", text, pos)


def record_to_paper(rec: Any) -> Paper:
    """Any JSON record we accept, dispatched on its shape. Raises _Bad with a reason."""
    if isinstance(rec, _TooDeep):
        raise _Bad("JSON nested too deeply to read")
    if not isinstance(rec, dict):
        raise _Bad(f"expected an object, got {type(rec).__name__}")
    if _deeper_than(rec, MAX_DEPTH):  # nothing we keep is that deep; storing it could overflow the stack later
        raise _Bad(f"the record nests more than {MAX_DEPTH} levels deep")
    if isinstance(rec.get("paper"), dict):
        return hf_paper(rec["paper"], rec)
    if _looks_like_bare_hf_paper(rec):
        return hf_paper(rec)
    return generic_paper(rec)


_LIST_KEYS = ("papers", "items", "results", "data", "entries")


def iter_records(data: Any, name: str) -> Iterator[Paper | InputError]:
    """Papers from a parsed JSON value: a list of records, one record, or {"papers": [...]}."""
    if isinstance(data, dict):
        inner = next((data[k] for k in _LIST_KEYS if isinstance(data.get(k), list)), None)
        if inner is None and not ({"title", "paper"} & set(map(str, data))):
            yield _error(name, f"a JSON object without title or a list of papers ({EXPECTED})")
            return
        data = inner if inner is not None else [data]
    if not isinstance(data, list):
        yield _error(name, f"JSON {type(data).__name__} is not a list of papers ({EXPECTED})")
        return
    for number, rec in enumerate(data, 1):
        try:
            yield record_to_paper(rec)
        except _Bad as e:
            yield _error(name, str(e), f"record {number}")


# ----------------------------------------------------------------------------------------- sniffing

_PAGE_AUTHORS = re.compile(r"^\s*•\s*(\d+)\s+authors?\s*$")
_PAGE_SEPARATOR = "·"


def _looks_like_page(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines()]
    for i, line in enumerate(lines[:-1]):
        if line == _PAGE_SEPARATOR and _PAGE_DATE.match(lines[i + 1]):
            return True
    return any(_PAGE_AUTHORS.match(line) for line in lines)


def _csv_delimiter(first_line: str) -> str | None:
    """The delimiter of a CSV header naming a title column, or None if it is not one."""
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    delimiter = max(counts, key=lambda d: counts[d])
    if not counts[delimiter]:
        return None
    fields = next(csv.reader([first_line], delimiter=delimiter), [])
    return delimiter if "title" in (f.strip().lower() for f in fields) else None


def sniff(head: bytes) -> str:
    """Name the format from a file's first bytes.

    One of: empty, binary, utf16, hf-page, atom, xml, html, json, jsonl, csv, unknown. 'jsonl' means
    "starts with an object": the JSONL reader also accepts one pretty-printed object.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    if b"\x00" in head:
        return "binary"
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if not text:
        return "empty"
    if text.startswith("<"):
        lower = text[:4096].lower()
        if "<html" in lower or "<!doctype html" in lower:
            return "html"
        if "<feed" in lower and "http://www.w3.org/2005/atom" in lower:
            return "atom"
        return "xml"
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        return "jsonl"
    if _looks_like_page(text):
        return "hf-page"
    if _csv_delimiter(text.splitlines()[0]):
        return "csv"
    return "unknown"


# ------------------------------------------------------------------------------------------ readers


MAX_DOCUMENT = 256 * 2**20  # a file read whole (a JSON document, a saved page): far above any real one
MAX_LINE = 16 * 2**20  # one line of JSONL or CSV; an abstract of 100,000 characters is a line of ~0.1 MiB


def _size(stream: BinaryIO) -> int:
    """The file's size, or 0 when it does not say (stdin, a pipe)."""
    try:
        return os.fstat(stream.fileno()).st_size
    except (OSError, ValueError, io.UnsupportedOperation):
        return 0


def _read_whole(stream: BinaryIO, what: str) -> bytes:
    """A file read whole, refused past MAX_DOCUMENT bytes rather than read into memory without end (unread
    when the file says its size)."""
    size = _size(stream)
    data = stream.read(MAX_DOCUMENT + 1) if size <= MAX_DOCUMENT else b""
    if size > MAX_DOCUMENT or len(data) > MAX_DOCUMENT:
        raise _Bad(
            f"is over {MAX_DOCUMENT >> 20} MiB, too big to read whole as {what}; give the papers as JSONL "
            "(one per line), which is read line by line"
        )
    return data


def _lines(stream: BinaryIO) -> Iterator[bytes | None]:
    """The stream's lines, none held longer than MAX_LINE bytes: a longer line is read past and given as None."""
    while raw := stream.readline(MAX_LINE + 1):
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while (more := stream.readline(2**20)) and not more.endswith(b"\n"):
                pass
            yield None
        else:
            yield raw


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise _Bad(
            f"line {line}: not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); re-save the file as UTF-8"
        ) from None


def _json_error(e: json.JSONDecodeError, size: int) -> str:
    truncated = e.pos >= size - 1 or e.msg.startswith("Unterminated")
    hint = "; is the file truncated?" if truncated else ""
    return f"invalid JSON ({e.msg} at line {e.lineno} column {e.colno}){hint}"


def _read_json(stream: BinaryIO, name: str) -> Iterator[Paper | InputError]:
    """A whole JSON document: the stdlib cannot parse one incrementally, so big inputs belong in JSONL."""
    text = _decode(_read_whole(stream, "one JSON document"))
    try:
        data = parse_json(text)
    except json.JSONDecodeError as e:
        raise _Bad(_json_error(e, len(text))) from None
    except JSONTooDeep as e:
        raise _Bad(str(e)) from None
    yield from iter_records(data, name)


def _jsonl_line(raw: bytes, lineno: int, name: str) -> Iterator[Paper | InputError]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        yield _error(name, f"not UTF-8 text (byte 0x{raw[e.start]:02x} at column {e.start + 1})", lineno)
        return
    try:
        rec = parse_json(text)
    except json.JSONDecodeError as e:
        yield _error(name, f"invalid JSON ({e.msg} at column {e.colno})", lineno)
        return
    except JSONTooDeep as e:
        yield _error(name, str(e), lineno)
        return
    try:
        yield record_to_paper(rec)
    except _Bad as e:
        yield _error(name, str(e), lineno)


def _jsonl_raw(raw: bytes | None, lineno: int, name: str) -> Iterator[Paper | InputError]:
    if raw is None:
        yield _error(name, f"a line of over {MAX_LINE >> 20} MiB, more than any paper (skipped)", lineno)
    elif line := raw.strip():
        yield from _jsonl_line(line, lineno, name)


def _read_jsonl(stream: BinaryIO, name: str) -> Iterator[Paper | InputError]:
    """One record per line, read line by line. A first line that is not a whole object may be the start
    of one pretty-printed JSON object: then the file is parsed whole, and if that fails too, line by line."""
    for lineno, raw in enumerate(_lines(stream), 1):
        line = raw.strip() if raw is not None else b"-"
        if not line:
            continue
        if raw is not None and not line.endswith(b"}"):
            rest = stream.read(MAX_DOCUMENT + 1) if _size(stream) <= MAX_DOCUMENT else b""
            if len(raw) + len(rest) <= MAX_DOCUMENT:
                try:
                    data = parse_json((raw + rest).decode("utf-8-sig"))
                except ValueError:
                    pass
                else:
                    yield from iter_records(data, name)
                    return
            yield from _jsonl_line(line, lineno, name)
            more = io.BufferedReader(_Replay(rest, stream))  # type: ignore[arg-type]
            for number, raw in enumerate(_lines(more), lineno + 1):
                yield from _jsonl_raw(raw, number, name)
            return
        yield from _jsonl_raw(raw, lineno, name)
        for number, raw in enumerate(_lines(stream), lineno + 1):
            yield from _jsonl_raw(raw, number, name)
        return


class _CsvLines:
    """A binary stream as lines of text for csv.reader, each line decoded on its own, so a bad byte costs
    only the row it is in: `bad` maps the number of each line that is not UTF-8 to what is wrong with it."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.number = 0
        self.bad: dict[int, str] = {}

    def __iter__(self) -> Iterator[str]:
        for raw in _lines(self.stream):
            if raw is None:
                self.number += 1
                self.bad[self.number] = f"a line of over {MAX_LINE >> 20} MiB, more than any paper"
                yield "\n"
                continue
            for piece in raw.splitlines(keepends=True):  # a lone \r ends a line too, as in an editor
                self.number += 1
                try:
                    yield piece.decode("utf-8-sig" if self.number == 1 else "utf-8")
                except UnicodeDecodeError as e:
                    self.bad[self.number] = (
                        f"not UTF-8 text (byte 0x{piece[e.start]:02x} at column {e.start + 1}); "
                        "re-save the file as UTF-8"
                    )
                    yield piece.decode("utf-8", "replace")

    def problems(self, last: int) -> list[tuple[int, str]]:
        """The bad lines up to line `last`, forgotten once returned."""
        found = sorted((n, why) for n, why in self.bad.items() if n <= last)
        for n, _ in found:
            del self.bad[n]
        return found


def _read_csv(stream: BinaryIO, name: str, head: bytes) -> Iterator[Paper | InputError]:
    delimiter = _csv_delimiter(head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()[0]) or ","
    if csv.field_size_limit() < 1 << 26:  # the default 128 KiB would refuse a long abstract
        csv.field_size_limit(1 << 26)
    lines = _CsvLines(stream)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
        if bad := lines.problems(reader.line_num):
            raise _Bad(f"line {bad[0][0]} (the header): {bad[0][1]}")
        if "abstract" not in header and "summary" not in header:
            raise _Bad(f"CSV header has no abstract (or summary) column (columns: {', '.join(header)})")
        done = reader.line_num
        for row in reader:
            first, done = done + 1, reader.line_num  # a quoted cell may span lines
            if bad := lines.problems(done):
                yield _error(name, f"{bad[0][1]} (this row is skipped)", bad[0][0])
                continue
            if not any(cell.strip() for cell in row):
                continue
            try:
                yield generic_paper(dict(zip(header, row)))
            except _Bad as e:
                yield _error(name, str(e), first)
    except csv.Error as e:
        raise _Bad(f"line {reader.line_num}: malformed CSV ({e}); reading stopped") from None


_PAGE_CHROME = {
    "new",
    "get trending papers in your email inbox!",
    "subscribe",
    "daily papers",
    "byak and the research community",
}


def _page_entry(chunk: list[tuple[int, str]], author_line: tuple[int, str], date_line: str | None) -> Paper:
    extras: dict[str, Any] = {}
    m = _PAGE_AUTHORS.match(author_line[1])
    if m:
        extras["author_count"] = int(m.group(1))
    elif len(author_line[1]) <= 80:
        # An organisation shown instead of the author count: "<handle> <display name>". (A long line
        # there is the abstract itself, with no author line.)
        handle, _, display = author_line[1].partition(" ")
        extras["hf_organization"] = display or handle
    else:
        chunk = chunk + [author_line]
    if not chunk:
        raise _Bad("no title before the author line")
    title = clean_text(chunk[0][1], "title")
    published = None
    if date_line is not None:
        d = _PAGE_DATE.match(date_line)
        if d:
            published = parse_date(f"{d.group(1)} {d.group(2)}, {d.group(3)}") if d.group(3) else None
            if not d.group(3):
                extras["date_text"] = f"{d.group(1)} {d.group(2)}"
            if d.group(4):
                extras["hf_upvotes"] = int(d.group(4))
    return _make_paper(
        id=paper_id_for(title),
        title=title,
        abstract=clean_text(" ".join(text for _, text in chunk[1:]), "abstract"),
        authors=[],
        published=published,
        url=HF_SEARCH_URL.format(quote_plus(title)),
        source="hf-page",
        source_extras=extras,
    )


_UNDECODED = re.compile("[\udc80-\udcff]")  # a byte that was not UTF-8, kept by surrogateescape


def _page_lines(data: bytes) -> tuple[list[tuple[int, str]], dict[int, str]]:
    """The non-blank lines of a page with their numbers, and what is wrong with each line that is not UTF-8
    (such a line is kept, its bad bytes replaced, so the lines around it still read)."""
    lines, bad = [], {}
    for n, line in enumerate(data.decode("utf-8-sig", errors="surrogateescape").splitlines(), 1):
        if m := _UNDECODED.search(line):
            bad[n] = f"not UTF-8 text (byte 0x{ord(m.group()) - 0xDC00:02x} at column {m.start() + 1})"
            line = _UNDECODED.sub("\ufffd", line)
        if line := line.strip():
            lines.append((n, line))
    return lines, bad


def _read_page(stream: BinaryIO, name: str) -> Iterator[Paper | InputError]:
    """A saved HF Daily Papers page, text-copied. Each entry is: title, abstract paragraph(s), an author
    count ("• 14 authors") or an organisation line, a "·" line, then the date ("May 29, 2025", "Jan 5",
    "Jan 5, 2024 2" with upvotes). A date without a year is kept as text only: the page does not say
    which year it means, and guessing would put wrong dates into the data."""
    lines, bad = _page_lines(_read_whole(stream, "a saved page"))
    start, entry = 0, 0
    for i, (_lineno, line) in enumerate(lines):
        if line != _PAGE_SEPARATOR or i == start:
            continue
        entry += 1
        chunk, author_line = lines[start : i - 1], lines[i - 1]
        date_line = lines[i + 1][1] if i + 1 < len(lines) else None
        if start == 0:  # page chrome above the first paper, including the page's own date
            while chunk and (chunk[0][1].lower() in _PAGE_CHROME or _PAGE_DATE.match(chunk[0][1])):
                chunk = chunk[1:]
        end = i + 2 if date_line is not None and _PAGE_DATE.match(date_line) else i + 1
        broken = sorted(n for n in bad if lines[start][0] <= n <= lines[end - 1][0])
        start = end
        if broken:  # a bad byte costs its own paper, not the page
            yield _error(
                name, f"paper {entry}: {bad[broken[0]]}; re-save the page as UTF-8 (this paper is skipped)", broken[0]
            )
            for n in broken:
                del bad[n]
            continue
        try:
            yield _page_entry(chunk, author_line, date_line)
        except _Bad as e:
            yield _error(name, f"paper {entry}: {e}", (chunk or [author_line])[0][0])
    for n, why in sorted(bad.items()):
        yield _error(name, f"{why}; re-save the page as UTF-8", n)
    rest = lines[start:]
    if any(len(text) >= 100 for _, text in rest):
        # Looks like a paper cut off before its author and date lines: say so rather than drop it.
        yield _error(
            name, f'"{_short(rest[0][1])}" is not a complete entry (no "·" and date line after it)', rest[0][0]
        )
    elif entry == 0:
        yield _error(name, f"no papers found on the page ({EXPECTED})")


# --------------------------------------------------------------------------------------------- Atom

ATOM = "http://www.w3.org/2005/Atom"
ARXIV_NS = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"


class AtomReader:
    """A streaming arXiv Atom parser on expat: feed bytes, collect papers (or errors) per entry.

    DOCTYPE and entity declarations are refused: arXiv never sends them, and refusing them rules out
    entity-expansion and external-entity tricks whatever the expat version.
    """

    def __init__(self, name: str):
        self.name = name
        self.total_results: int | None = None
        self.entries = 0
        self.ready: list[Paper | InputError] = []
        self._parser = expat.ParserCreate(namespace_separator=" ")
        self._parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self._parser.StartDoctypeDeclHandler = self._refuse
        self._parser.EntityDeclHandler = self._refuse
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.CharacterDataHandler = self._text
        self._depth = 0
        self._entry: dict[str, Any] | None = None
        self._buf: list[str] = []

    def _refuse(self, *args: Any) -> None:
        raise _Bad("has a DOCTYPE or entity declaration, which arXiv feeds never have (refused)")

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        self._depth += 1
        self._buf = []
        if self._depth == 1 and tag != f"{ATOM} feed":
            raise _Bad(f"is XML but not an Atom feed (root element {tag.split(' ')[-1]!r}; {EXPECTED})")
        if tag == f"{ATOM} entry" and self._depth == 2:
            self._entry = {"authors": [], "categories": [], "line": self._parser.CurrentLineNumber}
        elif self._entry is not None:
            if tag == f"{ATOM} category" and attrs.get("term"):
                self._entry["categories"].append(attrs["term"])
            elif tag == f"{ARXIV_NS} primary_category" and attrs.get("term"):
                self._entry["primary_category"] = attrs["term"]

    def _text(self, data: str) -> None:
        self._buf.append(data)

    def _end(self, tag: str) -> None:
        self._depth -= 1
        text = "".join(self._buf)
        self._buf = []
        entry = self._entry
        if entry is None:
            if tag == f"{OPENSEARCH} totalResults" and text.strip().isdigit():
                self.total_results = int(text.strip())
            return
        if tag == f"{ATOM} entry" and self._depth == 1:
            self._entry = None
            self.entries += 1
            try:
                self.ready.append(self._paper(entry))
            except _Bad as e:
                self.ready.append(_error(self.name, f"entry {self.entries}: {e}", entry["line"]))
        elif tag == f"{ATOM} name" and self._depth == 3:
            entry["authors"].append(text)
        elif self._depth == 2:
            key = {
                f"{ATOM} id": "id",
                f"{ATOM} title": "title",
                f"{ATOM} summary": "summary",
                f"{ATOM} published": "published",
                f"{ARXIV_NS} comment": "comment",
            }.get(tag)
            if key:
                entry[key] = text

    def _paper(self, entry: dict[str, Any]) -> Paper:
        raw_id = entry.get("id", "")
        title = clean_text(entry.get("title"), "title")
        if title == "Error" and "/api/errors" in raw_id:
            raise _Bad(f"arXiv API error: {clean_text(entry.get('summary'), 'summary')}")
        arxiv = arxiv_id(raw_id)
        if not arxiv:
            raise _Bad(f"id {raw_id.strip()!r} is not an arXiv id")
        extras: dict[str, Any] = {"arxiv_categories": entry["categories"]}
        if entry.get("primary_category"):
            extras["arxiv_primary_category"] = entry["primary_category"]
        if entry.get("comment"):
            extras["arxiv_comment"] = clean_text(entry["comment"], "comment")
        return _make_paper(
            id=arxiv,
            title=title,
            abstract=clean_text(entry.get("summary"), "summary"),
            authors=[a for a in (clean_text(n, "author") for n in entry["authors"]) if a],
            published=parse_date(entry.get("published")),
            url=ARXIV_ABS_URL.format(arxiv),
            source="arxiv",
            version=_version(raw_id),
            source_extras=extras,
            source_id=raw_id.strip() or None,
        )

    def feed(self, data: bytes, final: bool = False) -> list[Paper | InputError]:
        """Parse more bytes; return what completed. Raises _Bad for a broken or refused document."""
        try:
            self._parser.Parse(data, final)
        except expat.ExpatError as e:
            done, self.ready = self.ready, []
            raise _AtomBroken(done, f"line {e.lineno}: invalid XML ({expat.ErrorString(e.code)})") from None
        done, self.ready = self.ready, []
        return done


class _AtomBroken(_Bad):
    """Invalid XML: carries the papers completed before the break so they are not lost."""

    def __init__(self, done: list[Paper | InputError], message: str):
        super().__init__(message)
        self.done = done


def parse_atom(data: bytes, name: str) -> tuple[list[Paper | InputError], AtomReader]:
    """A whole Atom document (an HTTP body): the papers and errors, and the reader for totalResults."""
    reader = AtomReader(name)
    try:
        items = reader.feed(data, final=True)
    except _AtomBroken as e:
        items = e.done + [_error(name, str(e))]
    except _Bad as e:
        items = [_error(name, str(e))]
    return items, reader


def _read_atom(stream: BinaryIO, name: str) -> Iterator[Paper | InputError]:
    reader = AtomReader(name)
    try:
        while chunk := stream.read(HEAD_BYTES):
            yield from reader.feed(chunk)
        yield from reader.feed(b"", final=True)
    except _AtomBroken as e:
        yield from e.done
        raise


# -------------------------------------------------------------------------------------------- entry


def _open(path: str, name: str) -> tuple[BinaryIO, bytes]:
    """The stream positioned at its start, and its first bytes for sniffing."""
    if path == "-":
        stdin = sys.stdin.buffer
        head = stdin.read(HEAD_BYTES)
        return io.BufferedReader(_Replay(head, stdin)), head  # type: ignore[return-value]
    if os.path.isdir(path):
        raise _Bad(f"is a directory ({EXPECTED} file)")
    try:
        stream = open(path, "rb")
    except FileNotFoundError:
        raise _Bad("no such file") from None
    except OSError as e:
        raise _Bad(f"cannot be opened ({e.strerror or e})") from None
    try:
        head = stream.read(HEAD_BYTES)
        stream.seek(0)
    except OSError as e:
        stream.close()
        raise _Bad(f"cannot be read ({e.strerror or e})") from None
    return stream, head


class _Replay(io.RawIOBase):
    """A non-seekable stream whose first bytes were already read for sniffing: serve them again."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


_REFUSED = {
    "empty": "is empty",
    "binary": "looks like a binary file, not text",
    "utf16": "is UTF-16 text; re-save it as UTF-8",
    "html": "is an HTML page; save the page as text (select all, copy, paste into a .txt file) instead",
    "xml": "is XML but not an arXiv Atom feed",
    "unknown": "not a recognised input",
}


def _read(stream: BinaryIO, head: bytes, name: str) -> Iterator[Paper | InputError]:
    kind = sniff(head)
    if kind in _REFUSED:
        raise _Bad(f"{_REFUSED[kind]} ({EXPECTED})")
    if kind == "hf-page":
        yield from _read_page(stream, name)
    elif kind == "atom":
        yield from _read_atom(stream, name)
    elif kind == "json":
        yield from _read_json(stream, name)
    elif kind == "jsonl":
        yield from _read_jsonl(stream, name)
    else:
        yield from _read_csv(stream, name, head)


def iter_source(path: str) -> Iterator[Paper | InputError]:
    """Papers from a file path, or "-" for stdin; problems are yielded as InputErrors, never raised."""
    name = "<stdin>" if path == "-" else path
    try:
        stream, head = _open(path, name)
    except _Bad as e:
        yield _error(name, str(e))
        return
    with stream:
        try:
            yield from _read(stream, head, name)
        except _Bad as e:
            yield _error(name, str(e))
        except Exception as e:  # a bug of ours must not kill a run over other files; say it plainly
            yield _error(name, f"could not be read (unexpected {type(e).__name__}: {e}); please report this")
