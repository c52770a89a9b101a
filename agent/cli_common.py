"""What every command module of the CLI shares: the store's default place, the --db/--json options,
reading inputs, dates, and printing a SummarizeError as one line (the one place that does)."""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from agent.errors import InputError, SummarizeError
from agent.models import Paper
from agent.sources.files import iter_source
from agent.store import Store

DB_HELP = ("The SQLite store. Default: $SUMMARIZE_DB, else $XDG_DATA_HOME/summarize/summarize.db, "
           "else ~/.local/share/summarize/summarize.db (one store wherever you run from).")

DbOpt = Annotated[Path | None, typer.Option("--db", help=DB_HELP, show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a machine-readable report on stdout.")]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def err(message: str) -> None:
    typer.echo(message, err=True)


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Print a SummarizeError as one line and exit with its code; never a traceback for those."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except SummarizeError as exc:
            err(f"error: {exc}")
            if kwargs.get("as_json"):
                typer.echo(json.dumps({"error": str(exc), "exit_code": exc.exit_code}))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err("interrupted: finished papers are saved; run the same command again to resume")
            raise typer.Exit(130) from None

    return wrapper


def default_db() -> Path:
    """The store's place when --db is not given: $SUMMARIZE_DB, else the user's data directory by the XDG
    rules ($XDG_DATA_HOME when it is an absolute path, else ~/.local/share), so a cron job run from any
    folder finds the same store."""
    if named := os.environ.get("SUMMARIZE_DB", "").strip():
        return Path(named).expanduser()
    data = os.environ.get("XDG_DATA_HOME", "")
    base = Path(data) if data and os.path.isabs(data) else Path.home() / ".local" / "share"
    return base / "summarize" / "summarize.db"


def resolve_db(db: Path | None) -> Path:
    return db or default_db()


def open_existing_store(db: Path | None) -> Store:
    """The store for commands that only read it: a missing file is an error, not a new empty store."""
    path = resolve_db(db)
    if not path.is_file():
        raise InputError(f"{path}: no store here (`summarize run` creates one; or pass --db PATH)")
    return Store(path)


def peek_papers(items: Iterable[Paper | InputError]) -> tuple[Iterable[Paper | InputError], int | None, bool]:
    """The items again, how many there are when that is known without reading them (a list), and whether
    there is a paper among them at all (read up to the first one): a command that has no paper to work on
    creates no store."""
    total = len(items) if isinstance(items, (list, tuple)) else None
    stream = iter(items)
    head: list[Paper | InputError] = []
    for item in stream:
        head.append(item)
        if isinstance(item, Paper):
            return itertools.chain(head, stream), total, True
    return head, total, False


def iter_inputs(paths: Iterable[str]) -> Iterator[Paper | InputError]:
    return itertools.chain.from_iterable(iter_source(p) for p in paths)


def parse_day(option: str, value: str | None) -> date | None:
    """A YYYY-MM-DD date given to `option`, checked."""
    if value is None:
        return None
    try:
        if not _DATE.match(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date: expected YYYY-MM-DD, e.g. 2025-03-01") from None
