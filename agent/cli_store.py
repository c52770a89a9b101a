"""The commands that read the store: `export`, `show` and `stats`.

They are registered on the main app by `register(app)` (called from agent.cli), and only read: a missing
store is an error rather than a new empty file.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from urllib.parse import urlsplit
from typing import Annotated, Any

import typer

from agent.cli_common import DbOpt, JsonOpt, err, handle_errors, open_existing_store, parse_day
from agent.errors import InputError
from agent.exporters import FORMATS, ExportOptions
from agent.exporters.atomic import atomic_write
from agent.models import CLAIM_KINDS, METRICS, Paper, Record, arxiv_id, normalise_title
from agent.selection import largest_speedups, tag_counts, with_claims, with_min_speedup
from agent.store import Store

FormatChoice = Enum("FormatChoice", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _publishable_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(ch.isspace() or not ch.isprintable() for ch in url)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None  # the store compares dates as ISO strings


def _title(since: str | None, until: str | None, tag: str | None, min_speedup: float | None) -> str:
    title = "Papers"
    if tag:
        title += f" tagged {tag}"
    if since and until:
        title += f", {since} to {until}" if since != until else f", {since}"
    elif since:
        title += f" since {since}"
    elif until:
        title += f" until {until}"
    if min_speedup is not None:
        title += f", speedup ≥ {min_speedup:g}x"
    return title


def _format_for(out: Path | None) -> str:
    """The format an --out name implies (claims.csv -> csv), for when --format is not given."""
    if out is not None:
        for name, fmt in FORMATS.items():
            if out.name.endswith(fmt.suffix):
                return name
    raise InputError("choose a format with --format (" + "|".join(FORMATS) + ")")


def export(
    format: Annotated[FormatChoice | None, typer.Option("--format", "-f", help="Output format; default from the --out suffix.")] = None,  # type: ignore[valid-type]
    since: Annotated[str | None, typer.Option("--since", help="Papers published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Papers published on or before YYYY-MM-DD.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only papers with this tag.")] = None,
    min_speedup: Annotated[float | None, typer.Option("--min-speedup", min=0.0, help="Only papers with a grounded speedup of at least this many x.")] = None,
    include_ungrounded: Annotated[bool, typer.Option("--include-ungrounded", help="Also list claims not found in the abstract (csv, html).")] = False,
    kind: Annotated[str | None, typer.Option("--kind", help="Only claims of this kind (speedup, reduction, gain, scale, absolute), and the papers that have one.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", help="Only claims on this metric (throughput, latency, memory, cost, ...), and the papers that have one.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title of the digest, page or feed.")] = None,
    feed_url: Annotated[str | None, typer.Option("--feed-url", help="Where the feed will be published (atom: rel=self link; jsonfeed: feed_url).")] = None,
    db: DbOpt = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here (atomically) instead of stdout.")] = None,
) -> None:
    """Export papers from the store as csv, jsonl, md, html, atom, jsonfeed or tldr.

    Example: summarize export --format html --since 2025-03-01 --tag inference --out inference.html
    """
    name = format.value if format is not None else _format_for(out)
    if kind is not None and kind not in CLAIM_KINDS:
        raise InputError(f"--kind {kind!r}: expected one of {', '.join(CLAIM_KINDS)}")
    if metric is not None and metric.lower() not in METRICS:
        raise InputError(f"--metric {metric!r}: expected one of {', '.join(METRICS)}")
    if feed_url is not None and not _publishable_url(feed_url):
        raise InputError(f"--feed-url {feed_url!r}: expected an http:// or https:// URL with a host")
    since, until = _iso(parse_day("--since", since)), _iso(parse_day("--until", until))
    if since and until and since > until:
        raise InputError(f"--since {since} is after --until {until}")
    with open_existing_store(db) as store:
        records = list(with_claims(with_min_speedup(store.records(since=since, until=until, tag=tag), min_speedup),
                                   kind, metric))
    fmt = FORMATS[name]
    options = ExportOptions(title=title or _title(since, until, tag, min_speedup), include_ungrounded=include_ungrounded,
                            feed_url=feed_url)
    if out is None:
        _to_stdout(lambda fh: fmt.writer(records, fh, options))
        return
    try:
        with atomic_write(out, newline=fmt.newline) as fh:
            fmt.writer(records, fh, options)
    except OSError as exc:
        raise InputError(f"{out}: cannot write ({exc.strerror or exc})") from None
    err(f"wrote {_count(len(records), 'paper', 'papers')} to {out} ({name})")


def _to_stdout(write: Callable[[Any], Any]) -> None:
    try:
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # `| head` closed the pipe: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None


# -- show ------------------------------------------------------------------------------------------


def find_one(store: Store, query: str) -> Paper:
    """The one paper `query` names: an id, an arXiv URL, a title, or a unique part of a title."""
    query = query.strip()
    for pid in (query, arxiv_id(query)):
        if pid and (paper := store.get_paper(pid)) is not None:
            return paper
    candidates = store.find_papers(query)
    if not candidates:
        raise InputError(f"no paper in the store matches {query!r}")
    if len(candidates) == 1:
        return candidates[0]
    exact = [p for p in candidates if normalise_title(p.title) == normalise_title(query)]
    if len(exact) == 1:
        return exact[0]
    for p in candidates:
        err(f"  {p.id}  {_clean(p.title)}")
    many = f"{len(candidates)}+" if len(candidates) >= 20 else str(len(candidates))
    raise InputError(f"{query!r} matches {many} papers (listed above); give the id or more of the title")


def _clean(text: object) -> str:
    """Text from a source, safe for a terminal: no escape sequences or other control characters."""
    return _CONTROL.sub("", " ".join(str(text).split()))


def _show_lines(paper: Paper, record: Record | None, failures: list[dict[str, Any]]) -> list[str]:
    lines = [_clean(paper.title), ""]

    def field(label: str, value: object) -> None:
        if value not in (None, "", []):
            lines.append(f"{label:<12} {_clean(value)}")

    field("id", paper.id + (f" ({paper.version})" if paper.version else ""))
    field("url", paper.url)
    field("authors", ", ".join(paper.authors))
    field("published", paper.published)
    field("source", paper.source)
    if record is None:
        lines += ["", "No summary yet."]
        lines += [f"failed ({f['engine']} {f['model']}): {_clean(f['reason'])}" for f in failures]
        return lines
    s = record.summary
    field("tags", ", ".join(s.tags))
    lines.append("")
    field("TL;DR", s.tldr)
    field("problem", s.problem)
    field("method", s.method)
    field("hardware", "; ".join(s.hardware))
    field("model scale", "; ".join(s.model_scale))
    if s.claims:
        lines += ["", "claims (✓ found in the abstract, ✗ not found):"]
        for c in s.claims:
            details = [d for d in (c.kind, c.qualifier, c.metric, f"vs {c.baseline}" if c.baseline else None) if d]
            value = f"{c.low:g}-{c.number:g}" if c.low is not None else f"{c.number:g}"
            extra = f" ({_clean('; '.join(details))})" if details else ""
            lines.append(f"  {'✓' if c.grounded else '✗'} {value}{_clean(c.unit)}: {_clean(c.text)}{extra}")
    p = record.provenance
    made = [p.engine, f"model {p.model}" if p.model else None,
            f"prompt {p.prompt_version}" if p.prompt_version else None, f"schema {p.schema_version}",
            p.created_at.isoformat(timespec="seconds")]
    lines += ["", "summary by " + ", ".join(m for m in made if m)]
    if p.usage and p.usage.requests:
        cost = f", ${p.usage.cost_usd:.4f}" if p.usage.cost_usd is not None else ""
        lines.append(f"  {p.usage.requests} requests, {p.usage.input_tokens} tokens in, "
                     f"{p.usage.output_tokens} out{cost}")
    if paper.source_extras:
        lines += ["", f"the source ({paper.source}) says, not checked by us:"]
        for key, value in paper.source_extras.items():
            text = json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
            lines.append(f"  {key}: {_clean(text)}")
    return lines


def show(
    query: Annotated[str, typer.Argument(help="arXiv id or URL, a title: id, or a unique part of the title.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one paper's summary, claims and provenance.

    Example: summarize show 2503.00001    or    summarize show "FlashServe"
    """
    with open_existing_store(db) as store:
        paper = find_one(store, query)
        record = store.record(paper.id)
        failures = store.failures_of(paper.id) if record is None else []
    if as_json:
        raw = record.model_dump(mode="json") if record else {**paper.model_dump(mode="json"), "summary": None,
                                                              "provenance": None, "failures": failures}
        typer.echo(json.dumps(raw, ensure_ascii=False, indent=2))
        return
    typer.echo("\n".join(_show_lines(paper, record, failures)))


# -- stats -----------------------------------------------------------------------------------------


def store_stats(store: Store, top: int = 10) -> dict[str, Any]:
    records = list(store.records())
    return {
        "papers": store.count("papers"),
        "summarised_papers": len(records),
        "summaries": store.count("summaries"),
        "failures": store.count("failures"),
        "runs": store.count("runs"),
        "papers_by_day": store.papers_by_day(),
        "papers_by_tag": tag_counts(records),
        "top_speedups": [
            {"paper_id": r.id, "title": r.title, "url": r.url, "number": c.number, "claim": c.text,
             "baseline": c.baseline}
            for r, c in largest_speedups(records, top)
        ],
    }


def stats(
    db: DbOpt = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many of the largest speedups to list.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Counts by day and tag, papers/summaries/failures/runs, and the largest reported speedups."""
    with open_existing_store(db) as store:
        data = store_stats(store, top)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    lines = [f"{_count(data['papers'], 'paper', 'papers')} ({data['summarised_papers']} summarised), "
             f"{_count(data['summaries'], 'summary', 'summaries')}, {_count(data['failures'], 'failure', 'failures')}, "
             f"{_count(data['runs'], 'run', 'runs')}"]
    lines += ["", "papers by day:"] + [f"  {day}  {n}" for day, n in data["papers_by_day"].items()]
    lines += ["", "papers by tag:"] + [f"  {n:>4}  {_clean(tag)}" for tag, n in data["papers_by_tag"].items()]
    lines += ["", "largest reported speedups (found in the abstract):"]
    lines += [f"  {s['number']:>7g}x  {_clean(s['title'])} ({s['paper_id']}): {_clean(s['claim'])}"
              for s in data["top_speedups"]] or ["  none"]
    typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    """Add the store commands to `app`, each behind the CLI's one-line error handling."""

    app.command("export")(handle_errors(export))
    app.command("show")(handle_errors(show))
    app.command("stats")(handle_errors(stats))
