"""The commands that read the store: `export`, `show` and `stats`.

They are registered on the main app by `register(app)` (called from agent.cli), and only read: a missing
store is an error rather than a new empty file.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit

import typer

from agent.cli_common import DbOpt, JsonOpt, err, handle_errors, open_existing_store, parse_day
from agent.cli_relevance import InterestsOpt, MinRelevanceOpt, ProfileOpt
from agent.errors import InputError
from agent.exporters import FORMATS, ExportOptions

if TYPE_CHECKING:  # models, selection and the store are imported by the commands that use them
    from agent.models import Paper, Record
    from agent.store import Store

FormatChoice = Enum("FormatChoice", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _publishable_url(url: str) -> bool:
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not any(ch.isspace() or not ch.isprintable() for ch in url)
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None  # the store compares dates as ISO strings


def _title(
    since: str | None,
    until: str | None,
    tag: str | None,
    min_speedup: float | None,
    days: int | None = None,
    new: str | None = None,
) -> str:
    """A title that says what the export holds: a feed reader shows it as the feed's name."""
    title = f"summarize: new papers for {new}" if new else "summarize: paper summaries"
    if tag:
        title += f" tagged {tag}"
    if days:
        title += ", today" if days == 1 else f", last {days} days"
    elif since and until:
        title += f", {since} to {until}" if since != until else f", {since}"
    elif since:
        title += f" since {since}"
    elif until:
        title += f" until {until}"
    if min_speedup is not None:
        title += f", speedup ≥ {min_speedup:g}x"
    return title


# -- filters shared by export and find -------------------------------------------------------------

KindOpt = Annotated[
    str | None,
    typer.Option(
        "--kind",
        help="Only claims of this kind (speedup, reduction, gain, scale, absolute), and the papers that have one.",
    ),
]
MetricOpt = Annotated[
    str | None,
    typer.Option(
        "--metric",
        help="Only claims on this metric (throughput, latency, memory, cost, ...), and the papers that have one.",
    ),
]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Papers published on or after YYYY-MM-DD.")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Papers published on or before YYYY-MM-DD.")]
TagOpt = Annotated[
    str | None,
    typer.Option("--tag", help="Only papers with this tag (an unknown tag is an error that lists the known ones)."),
]
MinSpeedupOpt = Annotated[
    float | None,
    typer.Option("--min-speedup", min=0.0, help="Only papers with a grounded speedup of at least this many x."),
]
DaysOpt = Annotated[
    int | None, typer.Option("--days", min=1, help="Only papers of the last N days, today (UTC) included.")
]
LimitOpt = Annotated[
    int | None,
    typer.Option("--limit", min=1, help="At most N papers: the newest by date (undated papers after dated ones)."),
]


@dataclass(frozen=True)
class Filters:
    """Which papers an export or a search keeps. Dates are ISO strings (the store compares them so)."""

    since: str | None = None
    until: str | None = None
    tag: str | None = None
    min_speedup: float | None = None
    limit: int | None = None
    days: int | None = None
    kind: str | None = None  # only claims of this kind (and papers that have one)
    metric: str | None = None  # only claims on this metric

    @classmethod
    def parse(
        cls,
        since: str | None,
        until: str | None,
        tag: str | None,
        min_speedup: float | None,
        days: int | None = None,
        limit: int | None = None,
    ) -> Filters:
        if days is not None and since is not None:
            raise InputError("--days and --since both say where to start: give one")
        start = _iso(parse_day("--since", since))
        if days is not None:
            start = (datetime.now(UTC).date() - timedelta(days=days - 1)).isoformat()
        end = _iso(parse_day("--until", until))
        if start and end and start > end:
            raise InputError(f"--since {start} is after --until {end}")
        return cls(start, end, tag, min_speedup, limit, days)

    def describe(self) -> str:
        parts = [
            f"tag {self.tag}" if self.tag else "",
            f"since {self.since}" if self.since else "",
            f"until {self.until}" if self.until else "",
            f"speedup ≥ {self.min_speedup:g}x" if self.min_speedup is not None else "",
            f"kind {self.kind}" if self.kind else "",
            f"metric {self.metric}" if self.metric else "",
        ]
        return ", ".join(p for p in parts if p)


def select(store: Store, filters: Filters, match: str | None = None) -> list[Record]:
    """The records `filters` keep (and, with `match`, that hold its words), newest first. A tag that no
    paper in the store has is an error naming the tags there are: a typo must not look like a quiet day."""
    from agent.selection import dated_first, tag_counts, with_claims, with_min_speedup

    records = list(
        with_claims(
            with_min_speedup(
                store.records(since=filters.since, until=filters.until, tag=filters.tag, match=match),
                filters.min_speedup,
            ),
            filters.kind,
            filters.metric,
        )
    )
    if not records and filters.tag is not None:
        known = tag_counts(r for r in store.records() if r.summary.tags)  # most common first; not "other"
        if filters.tag not in known:
            listed = ", ".join(known) if known else "none yet"
            raise InputError(f"--tag {filters.tag!r}: no paper in the store has this tag (known tags: {listed})")
    if filters.limit is not None:
        records = dated_first(records)[: filters.limit]
    return records


def say_if_empty(store: Store, records: list[Record], filters: Filters, what: str = "match") -> None:
    """An empty result is said on stderr (the exit code stays 0: "nothing new" is not an error)."""
    if records:
        return
    if store.count("summaries") == 0:
        err(f"note: the store {store.path} has no summarised papers yet (`summarize today` fills it)")
        return
    described = filters.describe()
    err(f"note: no papers {what}{f' ({described})' if described else ''}")


def _format_for(out: Path | None) -> str:
    """The format an --out name implies (claims.csv -> csv), for when --format is not given."""
    if out is not None:
        for name, fmt in FORMATS.items():
            if out.name.endswith(fmt.suffix):
                return name
    raise InputError("choose a format with --format (" + "|".join(FORMATS) + ")")


_BOOKMARK = re.compile(r"^[\w.-]{1,64}$")


def export(
    format: Annotated[
        FormatChoice | None, typer.Option("--format", "-f", help="Output format; default from the --out suffix.")
    ] = None,  # type: ignore[valid-type]
    since: SinceOpt = None,
    until: UntilOpt = None,
    tag: TagOpt = None,
    min_speedup: MinSpeedupOpt = None,
    days: DaysOpt = None,
    limit: LimitOpt = None,
    new: Annotated[
        str | None,
        typer.Option(
            "--new",
            metavar="NAME",
            help="Only papers never exported under this bookmark name before, then remember them: a daily cron job sends each paper once.",
        ),
    ] = None,
    include_ungrounded: Annotated[
        bool, typer.Option("--include-ungrounded", help="Also list claims not found in the abstract (csv, html).")
    ] = False,
    kind: KindOpt = None,
    metric: MetricOpt = None,
    title: Annotated[str | None, typer.Option("--title", help="Title of the digest, page or feed.")] = None,
    feed_url: Annotated[
        str | None,
        typer.Option("--feed-url", help="Where the feed will be published (atom: rel=self link; jsonfeed: feed_url)."),
    ] = None,
    db: DbOpt = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write here (atomically) instead of stdout.")] = None,
    profile: ProfileOpt = None,
    interests: InterestsOpt = None,
    min_relevance: MinRelevanceOpt = None,
) -> None:
    """Export papers from the store as csv, jsonl, md, html, atom, jsonfeed or tldr.

    \b
    Example: summarize export --format atom --days 7 --tag inference --out inference.atom
    Daily, each paper once: summarize export --format md --new morning --out today.md
    """
    from agent.cli_relevance import ranked_or_not
    from agent.exporters.atomic import atomic_write
    from agent.selection import dated_first

    name = format.value if format is not None else _format_for(out)
    check_claim_filters(kind, metric)
    if feed_url is not None and not _publishable_url(feed_url):
        raise InputError(f"--feed-url {feed_url!r}: expected an http:// or https:// URL with a host")
    if new is not None and not _BOOKMARK.match(new):
        raise InputError(f"--new {new!r}: a bookmark name is 1-64 letters, digits, '.', '_' or '-'")
    filters = Filters.parse(since, until, tag, min_speedup, days, limit)
    with open_existing_store(db) as store:
        records = select(store, dataclasses.replace(filters, limit=None, kind=kind, metric=metric))
        if new is not None:
            sent = store.exported_ids(new)
            records = [r for r in records if r.id not in sent]
            if not records:
                err(
                    f"note: nothing new under {new!r} ({_count(len(sent), 'paper', 'papers')} exported under that "
                    f"name before)" + (f"; {out} left as it was" if out else "")
                )
                return
        else:
            say_if_empty(store, records, filters)
        records, ranking = ranked_or_not(store, records, profile, interests, min_relevance)
        if limit is not None:  # the first N by relevance with a profile, else the newest N
            records = (records if ranking is not None else dated_first(records))[:limit]
        fmt = FORMATS[name]
        options = ExportOptions(
            title=title or _title(filters.since, filters.until, tag, min_speedup, days, new),
            include_ungrounded=include_ungrounded,
            feed_url=feed_url,
            ranking=ranking,
        )
        if out is None:
            _to_stdout(lambda fh: fmt.writer(records, fh, options))
        else:
            try:
                with atomic_write(out, newline=fmt.newline) as fh:
                    fmt.writer(records, fh, options)
            except OSError as exc:
                raise InputError(f"{out}: cannot write ({exc.strerror or exc})") from None
        if new is not None:  # only once the export is written: a failed one sends them again next time
            store.mark_exported(new, [r.id for r in records])
    if out is not None:
        err(
            f"wrote {_count(len(records), 'paper', 'papers')} to {out} ({name})"
            + (f"; remembered under {new!r}" if new else "")
        )
    elif new is not None:
        err(f"{_count(len(records), 'new paper', 'new papers')} exported; remembered under {new!r}")


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
    from agent.ids import arxiv_id, normalise_title

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
    from agent.exporters.base import LINK_LABELS
    from agent.models import paper_links

    lines = [_clean(paper.title), ""]

    def field(label: str, value: object) -> None:
        if value not in (None, "", []):
            lines.append(f"{label:<12} {_clean(value)}")

    field("id", paper.id + (f" ({paper.version})" if paper.version else ""))
    if paper.source_id != paper.id:
        field("source id", paper.source_id)
    links = paper_links(paper)
    field("url", paper.url)
    for key, label in LINK_LABELS.items():
        if links.get(key) and links[key] != paper.url:
            field(label, links[key])
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
    made = [
        p.engine,
        f"model {p.model}" if p.model else None,
        f"prompt {p.prompt_version}" if p.prompt_version else None,
        f"schema {p.schema_version}",
        p.created_at.isoformat(timespec="seconds"),
    ]
    lines += ["", "summary by " + ", ".join(m for m in made if m)]
    if p.usage and p.usage.requests:
        cost = f", ${p.usage.cost_usd:.4f}" if p.usage.cost_usd is not None else ""
        lines.append(
            f"  {p.usage.requests} requests, {p.usage.input_tokens} tokens in, {p.usage.output_tokens} out{cost}"
        )
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

    \b
    Example: summarize show 2503.00001    or    summarize show "FlashServe"
    """
    with open_existing_store(db) as store:
        paper = find_one(store, query)
        record = store.record(paper.id)
        failures = store.failures_of(paper.id) if record is None else []
    if as_json:
        raw = (
            record.model_dump(mode="json")
            if record
            else {**paper.model_dump(mode="json"), "summary": None, "provenance": None, "failures": failures}
        )
        typer.echo(json.dumps(raw, ensure_ascii=False, indent=2))
        return
    lines = _show_lines(paper, record, failures)
    from agent.relevance.service import duplicates_of, same_work

    with open_existing_store(db) as store:
        scores = store.relevance_of(paper.id)
        twins = same_work(store, duplicates_of(store, [paper.id])).get(paper.id, [])
    if scores:  # what `--profile`/`--interests` ranked it at, and why
        lines += ["", "relevance (stored):"]
        lines += [f"  {s['profile']}  {s['score']:.2f}  {_clean(s['explanation'])}" for s in scores]
    if twins:  # the same work under another title, from another source or day
        lines += ["", "same work as (possibly a duplicate):"]
        lines += [f"  {_clean(title)} ({other}; likeness {sim:.2f})" for other, title, sim in twins]
    typer.echo("\n".join(lines))


# -- find ------------------------------------------------------------------------------------------


def check_claim_filters(kind: str | None, metric: str | None) -> None:
    from agent.models import CLAIM_KINDS, METRICS

    if kind is not None and kind not in CLAIM_KINDS:
        raise InputError(f"--kind {kind!r}: expected one of {', '.join(CLAIM_KINDS)}")
    if metric is not None and metric.lower() not in METRICS:
        raise InputError(f"--metric {metric!r}: expected one of {', '.join(METRICS)}")


def find(
    query: Annotated[
        str,
        typer.Argument(
            help="Words to look for in titles, abstracts, TL;DRs and claims; every word must match (stemmed: 'serve' finds 'serving'); 'quant*' is a prefix."
        ),
    ],
    since: SinceOpt = None,
    until: UntilOpt = None,
    tag: TagOpt = None,
    min_speedup: MinSpeedupOpt = None,
    days: DaysOpt = None,
    kind: KindOpt = None,
    metric: MetricOpt = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N papers, the best matches.")] = 20,
    db: DbOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON record per line (as papers.jsonl) instead of a table.")
    ] = False,
    profile: ProfileOpt = None,
    interests: InterestsOpt = None,
    min_relevance: MinRelevanceOpt = None,
) -> None:
    """Search the store: papers whose title, abstract, TL;DR or claims hold every word of QUERY, best first
    (with --profile/--interests: the matches most relevant to it first).

    \b
    Example: summarize find "speculative decoding" --tag inference --min-speedup 2
    """
    from agent.cli_relevance import ranked_or_not

    check_claim_filters(kind, metric)
    filters = dataclasses.replace(Filters.parse(since, until, tag, min_speedup, days), kind=kind, metric=metric)
    if not query.split():
        raise InputError("find: give at least one word to look for")
    with open_existing_store(db) as store:
        matching = select(store, filters, match=query)
        rank = {pid: i for i, pid in enumerate(store.search(query))}
        records = sorted(matching, key=lambda r: rank.get(r.id, len(rank)))
        records, ranking = ranked_or_not(store, records, profile, interests, min_relevance)
        records = records[:limit]
        say_if_empty(store, records, filters, what=f"match {query!r}")
    if as_json:
        _to_stdout(lambda fh: fh.writelines(r.model_dump_json() + "\n" for r in records))
        return
    if records:
        _to_stdout(lambda fh: fh.write("\n".join(_find_lines(records, ranking)) + "\n"))


def _find_lines(records: list[Record], ranking: Any = None) -> list[str]:
    """A table: id, date, best speedup, title, then the TL;DR and the link on their own indented lines."""
    from agent.exporters.base import primary_link
    from agent.selection import max_speedup

    lines = []
    for r in records:
        best = max_speedup(r)
        shown = r.source_id if r.source_id and r.source_id != r.id and not r.source_id.startswith("http") else r.id
        lines.append(
            f"{shown:<16} {r.published.isoformat() if r.published else '':<10} "
            f"{f'{best:g}x' if best is not None else '':>7}  {_clean(r.title)}"
        )
        if r.summary.tldr:
            lines.append(f"{'':<36}{_clean(r.summary.tldr)}")
        if link := primary_link(r):
            lines.append(f"{'':<36}{link}")
        if ranking is not None and (s := ranking.scores.get(r.id)) is not None:
            lines.append(f"{'':<36}relevance {s.score:.2f}: {_clean(s.explanation())}")
    return lines


# -- stats -----------------------------------------------------------------------------------------


def store_stats(store: Store, top: int = 10) -> dict[str, Any]:
    from agent.selection import largest_speedups, tag_counts

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
            {
                "paper_id": r.id,
                "title": r.title,
                "url": r.url,
                "number": c.number,
                "claim": c.text,
                "baseline": c.baseline,
            }
            for r, c in largest_speedups(records, top)
        ],
        "bookmarks": store.bookmarks(),
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
    lines = [
        f"{_count(data['papers'], 'paper', 'papers')} ({data['summarised_papers']} summarised), "
        f"{_count(data['summaries'], 'summary', 'summaries')}, {_count(data['failures'], 'failure', 'failures')}, "
        f"{_count(data['runs'], 'run', 'runs')}"
    ]
    lines += ["", "papers by day:"] + [f"  {day}  {n}" for day, n in data["papers_by_day"].items()]
    lines += ["", "papers by tag:"] + [f"  {n:>4}  {_clean(tag)}" for tag, n in data["papers_by_tag"].items()]
    lines += ["", "largest reported speedups (found in the abstract):"]
    lines += [
        f"  {s['number']:>7g}x  {_clean(s['title'])} ({s['paper_id']}): {_clean(s['claim'])}"
        for s in data["top_speedups"]
    ] or ["  none"]
    if data["bookmarks"]:  # `export --new NAME`: how far each daily export has got
        lines += ["", "export bookmarks (papers sent so far):"]
        lines += [f"  {n:>4}  {_clean(name)}" for name, n in data["bookmarks"].items()]
    typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    """Add the store commands to `app`, each behind the CLI's one-line error handling."""

    app.command("export")(handle_errors(export))
    app.command("find")(handle_errors(find))
    app.command("show")(handle_errors(show))
    app.command("stats")(handle_errors(stats))
