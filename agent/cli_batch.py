"""The `batch` commands: prepare -> submit -> status -> collect, for backfills at Batch API prices.

Registered on the main app by `register(app)` (called from agent.cli). The library code is in agent.batch;
this module parses options, calls it and prints what happened.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agent.cli_common import (
    DbOpt,
    JsonOpt,
    err,
    handle_errors,
    iter_inputs,
    open_existing_store,
    peek_papers,
    resolve_db,
)
from agent.errors import InputError

if TYPE_CHECKING:  # the batch library pulls in openai and instructor: imported by the commands that use it
    from agent.batch.ledger import PreparedRequest
    from agent.batch.results import CollectReport
    from agent.engines.llm import LLMEngine
    from agent.engines.llm_config import LLMSettings
    from agent.store import Store

# The Batch API's limits (agent.batch.requests has the same; a test checks they agree). Written here so that
# `summarize batch prepare --help` does not import the LLM client to show them.
MAX_REQUESTS_PER_FILE = 50_000
MAX_BYTES_PER_FILE = 200 * 1000 * 1000

batch_app = typer.Typer(
    help="Backfills through the OpenAI Batch API (half price, 24 h) or vLLM's batch runner, same schema as `run`.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

ModelOpt = Annotated[
    str | None, typer.Option("--model", help="LLM model name (default SUMMARIZE_MODEL or gpt-4o-mini).")
]


def prepare_command(
    inputs: Annotated[list[str], typer.Argument(help="Files (as for `run`) or - for stdin.")],
    out: Annotated[Path, typer.Option("--out", help="Request files are named after it: requests-001.jsonl...")] = Path(
        "requests.jsonl"
    ),
    model: ModelOpt = None,
    db: DbOpt = None,
    max_requests: Annotated[
        int, typer.Option("--max-requests-per-file", min=1, help="Batch API limit.")
    ] = MAX_REQUESTS_PER_FILE,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes-per-file", min=1, help="Batch API limit (200 MB).")
    ] = MAX_BYTES_PER_FILE,
    as_json: JsonOpt = False,
) -> None:
    """Write Batch API request files for the papers the store has no answer for yet.

    \b
    Example: summarize batch prepare papers.jsonl --out backfill/requests.jsonl --model gpt-4o-mini
    """
    from agent.batch.requests import PrepareReport, batch_engine, prepare
    from agent.engines.llm_config import LLMSettings
    from agent.store import Store

    settings = LLMSettings.from_env(model=model)
    engine = batch_engine(settings)
    items, _, has_paper = peek_papers(iter_inputs(inputs))
    if has_paper:
        with Store(resolve_db(db)) as store:
            report = prepare(items, engine, store, out, max_requests=max_requests, max_bytes=max_bytes)
    else:  # nothing to prepare: no store is created
        report = PrepareReport(input_errors=[str(e) for e in items])
    for message in report.input_errors:
        err(f"error: {message}")
    code = 2 if report.input_errors or report.read == 0 else 0
    if report.read == 0 and not report.input_errors:
        err("error: no papers in the input")
    if as_json:
        typer.echo(
            json.dumps(
                {**report.as_dict(), "model": engine.model, "prompt_version": engine.prompt_version, "exit_code": code}
            )
        )
        raise typer.Exit(code)
    cost = report.estimated_cost_usd
    cost_text = f"at most ${cost:.4f} at batch prices" if cost is not None else "cost unknown (no price for this model)"
    err(
        f"{report.read} papers read, {report.prepared} prepared for {engine.model} ({engine.prompt_version}), "
        f"{report.cached} already in the store, {report.pending} in a running batch, "
        f"{report.duplicates} duplicates; {cost_text}"
    )
    for path, count in report.files:
        err(f"wrote {path} ({count} requests)")
    for path in report.removed:
        err(f"removed {path} (left by an earlier prepare)")
    raise typer.Exit(code)


def _file_requests(path: Path) -> tuple[list[str], str]:
    """The custom_ids and the one model of a request file, checked before anything is uploaded."""
    ids: list[str] = []
    models: set[str] = set()
    try:
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    ids.append(str(data["custom_id"]))
                    models.add(str(data["body"]["model"]))
                except (ValueError, KeyError, TypeError, RecursionError):
                    raise InputError(f"{path}:{number}: not a batch request line (custom_id, body.model)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if not ids:
        raise InputError(f"{path}: no requests")
    if len(models) != 1:
        raise InputError(f"{path}: requests for several models ({', '.join(sorted(models))}); a batch runs one")
    return ids, models.pop()


def _file_prompt_version(path: Path, requests: list[list[PreparedRequest]], current: str | None) -> str:
    """The prompt version the lines of a request file were prepared with: the one its lines share (those
    written to a file of this name first), or the `current` one when they were prepared under several."""
    by_file = {r.prompt_version for found in requests for r in found if r.request_file == path.name}
    versions = by_file or {r.prompt_version for found in requests for r in found}
    if len(versions) > 1 and current is not None and current in versions:
        return current
    if len(versions) != 1:
        raise InputError(
            f"{path}: its lines were prepared under several prompt versions ({', '.join(sorted(versions))}); "
            "run `summarize batch prepare` again"
        )
    return versions.pop()


def submit_command(
    files: Annotated[list[Path], typer.Argument(help="Request files written by `batch prepare`.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Upload request files and start one batch per file (endpoint /v1/chat/completions, 24 h window).

    \b
    Example: summarize batch submit backfill/requests-*.jsonl
    """
    from agent.batch.api import BatchAPI
    from agent.batch.ledger import Ledger
    from agent.engines.llm_config import LLMSettings

    settings = LLMSettings.from_env()
    submitted: list[dict[str, Any]] = []
    with open_existing_store(db) as store:
        ledger = Ledger(store)
        checked = []
        for path in files:
            ids, model = _file_requests(path)
            requests = [ledger.lookup(i, model=model) for i in ids]  # prepared under any prompt version
            unknown = [i for i, found in zip(ids, requests) if not found]
            if unknown:
                raise InputError(
                    f"{path}: {len(unknown)} requests were not prepared in this store (first: "
                    f"{unknown[0]}); run `summarize batch prepare` with the same --db"
                )
            running = {b for found in requests if (b := ledger.pending_batch(found[0].paper_id, model))}
            if running:
                raise InputError(
                    f"{path}: some requests are already in running batch {sorted(running)[0]}; "
                    "see `summarize batch status`"
                )
            checked.append((path, ids, model, _file_prompt_version(path, requests, settings.prompt_version)))
        api = BatchAPI(settings)
        try:
            for path, ids, model, version in checked:
                batch = api.submit(path, metadata={"summarize_prompt": version, "request_file": path.name})
                ledger.submitted(batch, path.name, model, version, ids)
                submitted.append(
                    {
                        "file": str(path),
                        "batch_id": batch.id,
                        "input_file_id": batch.input_file_id,
                        "requests": len(ids),
                        "status": batch.status,
                    }
                )
                if not as_json:
                    err(
                        f"submitted {path} as {batch.id} ({len(ids)} requests, file {batch.input_file_id}, {batch.status})"
                    )
        finally:
            api.close()
    if as_json:
        typer.echo(json.dumps({"submitted": submitted}))


def status_command(
    show_all: Annotated[bool, typer.Option("--all", help="Also ask about batches that have finished.")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ask the API about each recorded batch and print its status and request counts.

    \b
    Example: summarize batch status
    """
    from agent.batch.api import BatchAPI
    from agent.batch.ledger import COLLECTABLE, TERMINAL, Ledger
    from agent.engines.llm_config import LLMSettings

    settings = LLMSettings.from_env()
    rows: list[dict[str, Any]] = []
    with open_existing_store(db) as store:
        ledger = Ledger(store)
        known = ledger.batches()
        api = BatchAPI(settings) if any(show_all or b["status"] not in TERMINAL for b in known) else None
        try:
            for row in known:
                if api is not None and (show_all or row["status"] not in TERMINAL):
                    ledger.update_batch(api.retrieve(row["id"]))
            rows = ledger.batches()
        finally:
            if api is not None:
                api.close()
    if as_json:
        typer.echo(json.dumps({"batches": rows}))
        return
    if not rows:
        err("no batches recorded; `summarize batch submit` starts one")
    for b in rows:
        collected = ", collected" if b["collected_at"] else (", ready to collect" if b["status"] in COLLECTABLE else "")
        typer.echo(
            f"{b['id']}  {b['status']}  {b['completed']}/{b['total']} completed, {b['failed']} failed  "
            f"{b['request_file']} ({b['model']}){collected}"
        )


def collect_command(
    batch_ids: Annotated[
        list[str] | None,
        typer.Argument(
            help="Batches to collect, even if collected before (default: the finished ones not collected yet)."
        ),
    ] = None,
    results: Annotated[
        list[Path] | None,
        typer.Option("--results", help="A local results file, e.g. from vLLM's run_batch; repeatable."),
    ] = None,
    model: ModelOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Validate batch results like live answers and store them; report every line that failed and why.

    \b
    Example: summarize batch collect   (vLLM: summarize batch collect --results results-001.jsonl)
    """
    from agent.batch.requests import batch_engine
    from agent.batch.results import Collector
    from agent.engines.llm_config import LLMSettings

    settings = LLMSettings.from_env(model=model)
    engine = batch_engine(settings)
    reports: list[CollectReport] = []
    notes: list[str] = []
    with open_existing_store(db) as store:
        if results:
            collector = Collector(engine, store, model=model)
            for path in results:
                try:
                    text = path.read_text(encoding="utf-8")
                except OSError as exc:
                    raise InputError(f"{path}: cannot read ({exc.strerror})") from None
                collector.collect(text.splitlines(), str(path))
            reports.append(collector.report)
        else:
            reports.extend(_collect_batches(engine, store, settings, batch_ids, notes))
    report = _merge(reports)
    code = 1 if report.failed else 0
    if as_json:
        typer.echo(json.dumps({**report.as_dict(), "notes": notes, "exit_code": code}))
        raise typer.Exit(code)
    for note in notes:
        err(note)
    for custom_id, reason in report.failures:
        err(f"failed: {custom_id}: {reason}")
    for custom_id, said in report.notes:
        err(f"lenient: {custom_id}: kept after the lenient pass (the strict pass said {said})")
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(report.failed_by.items()))
    cost = f"${report.cost_usd:.4f}" if report.cost_usd is not None else "unknown"
    err(
        f"{report.lines} lines, {report.stored} stored ({report.lenient} after the lenient pass), "
        f"{report.already_stored} already stored, {report.failed} failed{f' ({kinds})' if kinds else ''}; "
        f"{report.claims} claims ({report.ungrounded_claims} ungrounded); tokens in {report.input_tokens} "
        f"out {report.output_tokens}, cost {cost}"
    )
    if report.failed:
        err("failed papers are recorded; the next `summarize batch prepare` includes them again")
    raise typer.Exit(code)


def _collect_batches(
    engine: LLMEngine, store: Store, settings: LLMSettings, batch_ids: list[str] | None, notes: list[str]
) -> list[CollectReport]:
    from agent.batch.api import BatchAPI
    from agent.batch.ledger import COLLECTABLE, TERMINAL, Ledger
    from agent.batch.results import Collector

    ledger = Ledger(store)
    rows = ledger.batches(batch_ids) if batch_ids else [b for b in ledger.batches() if not b["collected_at"]]
    if batch_ids and len(rows) != len(set(batch_ids)):
        missing = sorted(set(batch_ids) - {r["id"] for r in rows})
        raise InputError(f"unknown batch {missing[0]}: not submitted from this store (--db)")
    if not rows:
        notes.append("nothing to collect: every recorded batch is collected (name a batch id to collect it again)")
        return []
    reports = []
    api = BatchAPI(settings)
    try:
        for row in rows:
            batch = api.retrieve(row["id"])
            ledger.update_batch(batch)
            if batch.status not in COLLECTABLE:
                detail = "; ".join(e.message or "" for e in (batch.errors.data or [])) if batch.errors else ""
                notes.append(
                    f"batch {batch.id} is {batch.status}{f': {detail}' if detail else ''}"
                    + ("; nothing to collect" if batch.status in TERMINAL else "; collect again later")
                )
                if batch.status in TERMINAL:
                    ledger.collected(batch.id)  # a failed batch has no results; do not ask again
                continue
            collector = Collector(engine, store, model=row["model"], prompt_version=row["prompt_version"])
            for file_id in (batch.output_file_id, batch.error_file_id):
                if file_id:
                    collector.collect(api.lines(file_id), file_id)
            ledger.collected(batch.id)
            reports.append(collector.report)
    finally:
        api.close()
    return reports


def _merge(reports: list[CollectReport]) -> CollectReport:
    from agent.batch.results import CollectReport
    from agent.engines.pricing import add_cost

    total = CollectReport()
    for r in reports:
        for name in (
            "lines",
            "stored",
            "lenient",
            "already_stored",
            "failed",
            "claims",
            "ungrounded_claims",
            "input_tokens",
            "output_tokens",
        ):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        total.cost_usd = add_cost(total.cost_usd, r.cost_usd)
        total.failed_by.update(r.failed_by)
        total.failures.extend(r.failures)
        total.notes.extend(r.notes)
    return total


def register(app: typer.Typer) -> None:
    """Add `summarize batch ...` to `app`, each command behind the CLI's one-line error handling."""

    batch_app.command("prepare")(handle_errors(prepare_command))
    batch_app.command("submit")(handle_errors(submit_command))
    batch_app.command("status")(handle_errors(status_command))
    batch_app.command("collect")(handle_errors(collect_command))
    app.add_typer(batch_app, name="batch")
