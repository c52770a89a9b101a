"""The command line. It only wires: options -> sources -> pipeline -> store -> exporters.

Errors a user can act on arrive as SummarizeError and are printed in one place, as one line
(`cli_common.handle_errors`, which every command goes through).
"""

from __future__ import annotations

import copy
import functools
import inspect
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agent.cli_batch import register as register_batch_commands
from agent.cli_common import (
    DbOpt,
    Interrupted,
    JsonOpt,
    err,
    handle_errors,
    iter_inputs,
    parse_day,
    peek_papers,
    resolve_db,
)
from agent.cli_relevance import InterestsOpt, MinRelevanceOpt, ProfileOpt
from agent.cli_relevance import register as register_relevance_commands
from agent.cli_store import register as register_store_commands
from agent.errors import InputError
from agent.exporters import FORMATS, ExportOptions
from agent.exporters.atomic import atomic_write

if TYPE_CHECKING:  # engines, models, the pipeline and the store are imported by the commands that run them
    from agent.engines.base import Engine
    from agent.models import Paper, Record
    from agent.pipeline import Limits, RunStats
    from agent.store import Store

app = typer.Typer(
    help="Turn research abstracts into structured, checkable data: claims with evidence, hardware, tags, TL;DR.\n\n"
    "Everything is kept in one store: $SUMMARIZE_DB, else $XDG_DATA_HOME/summarize/summarize.db, else "
    "~/.local/share/summarize/summarize.db (--db PATH on any command to choose another).",
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


class EngineChoice(str, Enum):
    auto = "auto"
    rules = "rules"
    llm = "llm"


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def _configure_logging(verbose: bool) -> None:
    import logging

    level = logging.INFO if verbose else logging.CRITICAL
    for name in ("instructor", "openai", "httpx", "httpx2", "httpcore", "httpcore2"):
        logging.getLogger(name).setLevel(level)
    if verbose:  # without a handler, Python would print only warnings and above
        logging.basicConfig(stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


def choose_engine(
    choice: EngineChoice, model: str | None, concurrency: int | None, verbose: bool = False
) -> tuple[Engine, str]:
    """The engine to run and one line saying why."""
    configured = bool(os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"))
    if choice is EngineChoice.auto:
        choice = EngineChoice.llm if configured else EngineChoice.rules
        why = (
            "an endpoint is configured"
            if configured
            else "no OPENAI_API_KEY or OPENAI_BASE_URL set; offline extraction"
        )
    else:
        why = "chosen with --engine"
    if choice is EngineChoice.rules:
        from agent.engines.rules import RulesEngine

        engine: Engine = RulesEngine()
    else:
        from agent.engines.llm import LLMEngine, LLMSettings

        settings = LLMSettings.from_env(model=model, concurrency=concurrency, verbose=verbose)
        if settings.dropped_url_credentials:
            why += "; the user:password in OPENAI_BASE_URL is not sent: put the key in OPENAI_API_KEY"
        engine = LLMEngine(settings)
    return engine, f"engine: {engine.describe()} ({why})"


def progress_line(stats: RunStats, total: int | None, elapsed: float, show_cost: bool) -> str:
    """What the progress display says: papers done (of how many, when known), rate, time left, failures
    and spending so far. Pure, so it is tested without a terminal."""
    done = stats.cached + stats.summarised + stats.failed + stats.skipped + stats.duplicates
    parts = [f"{done}/{total} papers" if total else _papers(done)]
    rate = done / elapsed if elapsed > 0 else 0.0
    if done and rate:
        parts.append(f"{rate:.1f}/s")
        if total and total > done:
            left = round((total - done) / rate)
            parts.append(f"ETA {left // 60}:{left % 60:02d}")
    parts.append(f"{stats.failed} failed")
    if stats.skipped:
        parts.append(f"{stats.skipped} skipped")
    if show_cost:
        parts.append(f"${stats.cost_usd:.4f}" if stats.cost_known else "cost unknown")
    return ", ".join(parts)


def _progress(
    enabled: bool, total: int | None = None, show_cost: bool = False, console: Any = None
) -> tuple[Callable[[RunStats], None] | None, Callable[[], None]]:
    """A progress line on stderr when it is a terminal; nothing at all when piped."""
    from agent.pipeline import RunStats

    if not enabled:
        return None, lambda: None
    import time

    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

    started = time.monotonic()
    bar = Progress(
        SpinnerColumn(),
        TextColumn("summarising"),
        BarColumn(),
        TextColumn("{task.fields[line]}"),
        transient=True,
        console=console or Console(stderr=True),
    )
    task = bar.add_task("summarising", total=total, line=progress_line(RunStats(), total, 0.0, show_cost))
    bar.start()

    def update(stats: RunStats) -> None:
        done = stats.cached + stats.summarised + stats.failed + stats.skipped + stats.duplicates
        bar.update(task, completed=done, line=progress_line(stats, total, time.monotonic() - started, show_cost))

    return update, bar.stop


def write_outputs(
    records: Callable[[], Iterable[Record]],
    out_dir: Path,
    include_ungrounded: bool,
    title: str,
    ranking: Any = None,
    same_work: dict[str, list[tuple[str, str, float]]] | None = None,
) -> dict[str, Path]:
    """Write the three files; `records()` gives a fresh stream of the run's records for each of them, so a
    run of any length is written without holding its records in memory."""
    files = {"papers.jsonl": "jsonl", "claims.csv": "csv", "digest.md": "md"}
    options = ExportOptions(
        title=title, include_ungrounded=include_ungrounded, ranking=ranking, same_work=same_work or {}
    )
    written: dict[str, Path] = {}
    for name, key in files.items():
        fmt = FORMATS[key]
        with atomic_write(out_dir / name, newline=fmt.newline) as fh:
            fmt.writer(records(), fh, options)  # type: ignore[arg-type]
        written[name] = out_dir / name
    return written


def _run_records(store: Store, keys: list[str | None]) -> Iterator[Record]:
    """The run's records in input order, read from the store one at a time."""
    for key in keys:
        if key and (record := store.cached(key)) is not None:
            yield record


def _saved(stats: RunStats, db: Path) -> str:
    return (
        f"{_papers(stats.summarised)} summarised and saved in {db}"
        f"{f', {stats.cached} more already there' if stats.cached else ''}"
        f"{f', {stats.failed} failed' if stats.failed else ''}"
    )


def _papers(n: int) -> str:
    return f"{n} paper" if n == 1 else f"{n} papers"


def _run_into_store(
    items: Iterable[Paper | InputError],
    total: int | None,
    *,
    engine: Engine,
    db: Path,
    concurrency: int | None,
    limits: Limits,
    refresh: bool,
    command: str,
    progress: bool,
    out_dir: Path,
    include_ungrounded: bool,
    title: str,
    profile: Any = None,
    min_relevance: float | None = None,
) -> tuple[RunStats, dict[str, Path], dict[str, Any], list[tuple[str, str, float]]]:
    """Summarise into the store, then write the run's files (sorted by relevance with a profile), and find
    near-duplicates of the run's papers; Ctrl-C says how many papers were saved."""
    from agent.pipeline import Pipeline
    from agent.store import Store

    files: dict[str, Path] = {}
    dupes: list[tuple[str, str, float]] = []
    with Store(db) as store:
        on_progress, stop_progress = _progress(progress, total, show_cost=engine.name != "rules")
        pipeline = Pipeline(
            engine=engine,
            store=store,
            concurrency=concurrency,
            limits=limits,
            on_progress=on_progress,
            use_cache=not refresh,
        )
        try:
            stats = pipeline.run(items, command=command)
        except KeyboardInterrupt:
            stop_progress()
            raise Interrupted(_saved(pipeline.stats, store.path)) from None
        finally:
            stop_progress()
        for message in stats.input_errors:
            err(f"error: {message}")
        if any(pipeline.keys):  # a run with nothing to show leaves earlier outputs alone
            from agent.relevance.service import duplicates_of, same_work

            # the same work under another title (this run's or the store's): flagged, and noted in the digest
            dupes = duplicates_of(store, [r.id for r in _run_records(store, pipeline.keys)])
            records: Callable[[], Iterable[Record]] = functools.partial(_run_records, store, pipeline.keys)
            ranking = None
            if profile is not None:  # sorted by relevance: the run's records are held to sort them
                from agent.relevance.service import rank_records

                ranked, ranking = rank_records(store, list(records()), profile, min_relevance=min_relevance)
                records = functools.partial(iter, ranked)
            try:
                files = write_outputs(
                    records, out_dir, include_ungrounded, title, ranking=ranking, same_work=same_work(store, dupes)
                )
            except OSError as exc:
                raise InputError(f"{out_dir}: cannot write the outputs there ({exc.strerror or exc})") from None
    return stats, files, pipeline.report(), dupes


def summarise_run(
    items: Iterable[Paper | InputError],
    *,
    engine_choice: EngineChoice,
    out: Path | None,
    db: Path,
    model: str | None,
    concurrency: int | None,
    limits: Limits,
    include_ungrounded: bool,
    as_json: bool,
    command: str,
    title: str,
    extra_report: dict[str, Any] | None = None,
    verbose: bool = False,
    refresh: bool = False,
    profile: Any = None,
    min_relevance: float | None = None,
) -> int:
    """The shared tail of `run`, `today`, `search` and `arxiv`: summarise, store, write, report."""
    from agent.pipeline import RunStats

    engine, why = choose_engine(engine_choice, model, concurrency, verbose)
    if not as_json:
        err(why)
    out_dir = out or Path("outputs") / _today()
    items, total, has_paper = peek_papers(items)
    if has_paper:
        stats, files, ran, dupes = _run_into_store(
            items,
            total,
            engine=engine,
            db=db,
            concurrency=concurrency,
            limits=limits,
            refresh=refresh,
            command=command,
            progress=sys.stderr.isatty() and not as_json,
            out_dir=out_dir,
            include_ungrounded=include_ungrounded,
            title=title,
            profile=profile,
            min_relevance=min_relevance,
        )
    else:  # nothing to summarise: no store is created or touched
        stats, files, dupes = RunStats(input_errors=[str(e) for e in items]), {}, []
        ran = {**stats.as_dict(), "engine": engine.name, "model": engine.model}
        for message in stats.input_errors:
            err(f"error: {message}")
    report = {**ran, "files": {k: str(v) for k, v in files.items()}, **(extra_report or {})}
    if dupes:
        report["near_duplicates"] = [list(d) for d in dupes]
        if not as_json:
            for a, b, sim in dupes:
                err(f"possible duplicate: {a} and {b} (likeness {sim:.2f}); the same work under two titles?")
    code = 0
    if stats.failed or stats.skipped:
        code = 1
    if stats.input_errors:
        code = 2
    if stats.read == 0 and not stats.input_errors:
        err("error: no papers in the input")
        code = 2
    report["exit_code"] = code
    if as_json:
        typer.echo(json.dumps(report))
    else:
        _print_report(stats, report, files)
    return code


def _print_report(stats: RunStats, report: dict[str, Any], files: dict[str, Path]) -> None:
    for paper_id, reason in stats.failures:
        err(f"failed: {paper_id}: {reason}")
    if stats.skipped:
        err(f"skipped {stats.skipped} papers at the spending limit; run again to pick them up")
    for dropped, kept in stats.duplicate_of:
        err(f"duplicate: {dropped} is the same paper as {kept}, read earlier; kept {kept.split(' ')[0]}")
    line = (
        f"{stats.read} papers read, {stats.summarised} summarised, {stats.cached} from cache, "
        f"{stats.failed} failed, {stats.skipped} skipped, {stats.claims} claims, {stats.seconds:.2f}s"
    )
    if stats.duplicates:
        line += f", {stats.duplicates} duplicates ignored"
    if "new" in report:
        line += f", {report['new']} new to the store"
    err(line)
    if "llm" in report:
        llm = report["llm"]
        cost = f"${stats.cost_usd:.4f}" if stats.cost_known else "unknown (no price for this model)"
        err(
            f"requests {llm.get('requests', stats.requests)}, cache hits {stats.cached}, "
            f"retries {llm.get('retries', 0)}, tokens in {stats.input_tokens} out {stats.output_tokens}, "
            f"estimated cost {cost}"
        )
    if files:
        err("wrote " + ", ".join(str(p) for p in files.values()))


EngineOpt = Annotated[
    EngineChoice, typer.Option("--engine", help="auto: llm when an endpoint is configured, else rules.")
]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Output folder (default outputs/<date>).")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="LLM model name (llm engine).")]
ConcurrencyOpt = Annotated[
    int | None,
    typer.Option(
        "--concurrency", min=1, max=256, help="Requests in flight (llm engine); default SUMMARIZE_CONCURRENCY, else 8."
    ),
]
MaxCostOpt = Annotated[
    float | None, typer.Option("--max-cost", help="Stop before the estimated cost in USD crosses this.")
]
MaxReqOpt = Annotated[int | None, typer.Option("--max-requests", min=0, help="Stop before this many requests.")]
UngroundedOpt = Annotated[
    bool, typer.Option("--include-ungrounded", help="Also write claims not found in the abstract to claims.csv.")
]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Log HTTP and LLM client activity.")]
RefreshOpt = Annotated[
    bool,
    typer.Option(
        "--refresh", help="Summarise again even papers the store has an answer for (the new answer replaces it)."
    ),
]


_SHARED_RUN_OPTIONS = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
    for name, annotation, default in [
        ("out", OutOpt, None),
        ("engine", EngineOpt, EngineChoice.auto),
        ("db", DbOpt, None),
        ("model", ModelOpt, None),
        ("concurrency", ConcurrencyOpt, None),
        ("max_cost", MaxCostOpt, None),
        ("max_requests", MaxReqOpt, None),
        ("include_ungrounded", UngroundedOpt, False),
        ("refresh", RefreshOpt, False),
        ("profile", ProfileOpt, None),
        ("interests", InterestsOpt, None),
        ("min_relevance", MinRelevanceOpt, None),
        ("as_json", JsonOpt, False),
        ("verbose", VerboseOpt, False),
    ]
]


def summarising_command(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the options every summarising command shares (`run`, `today`, `search`, `arxiv`).

    They are added to the command's signature for typer, and arrive in the command as one `options` dict
    for `summarise_run`. Errors are handled as for every command."""
    own = [p for p in inspect.signature(fn, eval_str=True).parameters.values() if p.name != "options"]

    def wrapper(**kwargs: Any) -> Any:
        from agent.pipeline import Limits

        shared = {p.name: kwargs.pop(p.name) for p in _SHARED_RUN_OPTIONS}
        _configure_logging(shared["verbose"])
        from agent.relevance.service import profile_from_options

        profile = profile_from_options(shared["profile"], shared["interests"])  # a bad name fails before the run
        if profile is None and shared["min_relevance"] is not None:
            raise InputError("--min-relevance needs --profile or --interests")
        if profile is not None:
            from agent.relevance.embed import check_backend

            check_backend()
        options = dict(
            engine_choice=shared["engine"],
            out=shared["out"],
            db=resolve_db(shared["db"]),
            model=shared["model"],
            concurrency=shared["concurrency"],
            include_ungrounded=shared["include_ungrounded"],
            limits=Limits(max_requests=shared["max_requests"], max_cost=shared["max_cost"]),
            as_json=shared["as_json"],
            verbose=shared["verbose"],
            refresh=shared["refresh"],
            profile=profile,
            min_relevance=shared["min_relevance"],
        )
        return fn(**kwargs, options=options)

    functools.update_wrapper(wrapper, fn)
    del wrapper.__wrapped__  # type: ignore[attr-defined]  # typer must read the signature below
    wrapper.__signature__ = inspect.Signature(own + _SHARED_RUN_OPTIONS)  # type: ignore[attr-defined]
    return handle_errors(wrapper)


@app.command()
@summarising_command
def run(
    inputs: Annotated[
        list[str], typer.Argument(help="Files (saved HF page, HF API JSON, arXiv Atom, JSONL/JSON/CSV) or - for stdin.")
    ],
    options: dict[str, Any],
) -> None:
    """Summarise papers from files and write papers.jsonl, claims.csv and digest.md.

    \b
    Example: summarize run tests/data/hf_page_sample.txt --engine rules --out outputs/sample
    """
    code = summarise_run(iter_inputs(inputs), command="run " + " ".join(inputs), title=f"Papers, {_today()}", **options)
    raise typer.Exit(code)


def _fetched(report: Any, as_json: bool) -> dict[str, Any]:
    """Say what the source listed and what could not be used; nothing goes missing without a line."""
    if not as_json:
        err(report.summary())
        for note in report.notes:
            err(f"note: {note}")
    for problem in report.problems:
        err(f"unusable: {problem}")
    return {
        "source": {
            "name": report.source,
            "requested": report.requested,
            "day": report.day.isoformat() if report.day else None,
            "listed": report.listed,
            "used": report.used,
            "unusable": len(report.problems),
            "notes": report.notes,
        }
    }


def _summarise_fetched(papers: list[Paper], report: Any, *, title: str, command: str, **options: Any) -> None:
    from agent.store import Store

    extra = _fetched(report, options["as_json"])
    if not papers:
        if options["as_json"]:
            typer.echo(json.dumps({**extra, "read": 0, "exit_code": 1 if report.problems else 0}))
        raise typer.Exit(1 if report.problems else 0)
    with Store(options["db"]) as store:
        extra["new"] = sum(store.get_paper(p.id) is None for p in papers)
    code = summarise_run(papers, title=title, command=command, extra_report=extra, **options)
    if report.problems and code == 0:
        code = 1
    raise typer.Exit(code)


@app.command()
@summarising_command
def today(
    options: dict[str, Any],
    day: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default today, UTC).")] = None,
    latest: Annotated[
        bool, typer.Option("--latest", help="If the day has no papers yet, take the latest day that has.")
    ] = False,
) -> None:
    """Summarise the Hugging Face daily papers of a day (HF_ENDPOINT for a mirror).

    \b
    Example: summarize today --latest
    """
    from agent.sources import huggingface

    when = parse_day("--date", day) or datetime.now(UTC).date()
    papers, report = huggingface.fetch_day(when, latest=latest)
    served = report.day or when
    options["out"] = options["out"] or Path("outputs") / served.isoformat()
    _summarise_fetched(papers, report, title=f"Hugging Face daily papers, {served}", command=f"today {when}", **options)


@app.command()
@summarising_command
def search(
    query: Annotated[str, typer.Argument(help="Words to search Hugging Face papers for.")],
    options: dict[str, Any],
) -> None:
    """Summarise the results of a Hugging Face paper search.

    \b
    Example: summarize search "distributed llm training" --out outputs/search
    """
    from agent.sources import huggingface

    papers, report = huggingface.search(query)
    _summarise_fetched(papers, report, title=f"Search: {query}", command=f"search {query}", **options)


@app.command()
@summarising_command
def arxiv(
    options: dict[str, Any],
    category: Annotated[
        list[str], typer.Option("--category", "-c", help="arXiv category, repeatable: cs.DC, cs.LG...")
    ],
    max_results: Annotated[
        int, typer.Option("--max", min=1, max=10000, help="How many of the newest submissions.")
    ] = 100,
) -> None:
    """Summarise the newest arXiv submissions in some categories (ARXIV_API_URL for a mirror).

    \b
    Example: summarize arxiv --category cs.DC --category cs.LG --max 50
    """
    from agent.sources import arxiv as arxiv_source

    papers, report = arxiv_source.newest(category, max_results)
    _summarise_fetched(
        papers,
        report,
        title=f"arXiv {' '.join(category)}, {_today()}",
        command=f"arxiv {' '.join(category)}",
        **options,
    )


register_store_commands(app)
register_batch_commands(app)
register_relevance_commands(app)


def _noop() -> None:
    pass


def app_for(args: list[str]) -> typer.Typer:
    """The app holding only the command `args` start with (the same command, options and help), else the
    whole app. Typer converts every command of an app to click on each start, a third of the time
    `summarize export --help` took; converting one is enough to run it. A top-level --help, or a name that
    is no command, gets the whole app, so that help and "No such command" read as always."""
    name = args[0] if args else None
    commands = [c for c in app.registered_commands if (c.name or c.callback.__name__.replace("_", "-")) == name]  # type: ignore[union-attr]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    one = copy.copy(app)
    one.registered_commands, one.registered_groups = commands, groups
    one.info = copy.copy(app.info)
    one.info.callback = _noop  # a group still, so `summarize NAME ...` parses as it does in the whole app
    return one


def main() -> None:
    app_for(sys.argv[1:2])(prog_name="summarize")


if __name__ == "__main__":
    main()
