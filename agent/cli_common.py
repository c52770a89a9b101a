"""What every command module of the CLI shares: the store's default place, the --db/--json options,
reading inputs, dates, and printing a SummarizeError as one line (the one place that does)."""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
import signal
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agent.errors import InputError, SummarizeError

if TYPE_CHECKING:  # the CLI imports models, sources and the store only in the commands that use them
    from agent.models import Paper
    from agent.store import Store

DB_HELP = (
    "The SQLite store. Default: $SUMMARIZE_DB, else $XDG_DATA_HOME/summarize/summarize.db, "
    "else ~/.local/share/summarize/summarize.db (one store wherever you run from)."
)

DbOpt = Annotated[Path | None, typer.Option("--db", help=DB_HELP, show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a machine-readable report on stdout.")]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # all but the line feed


def err(message: str) -> None:
    """A line (or lines) for the user on stderr; a control character from a file, a server or a model (an
    escape sequence that would move the cursor or retitle the terminal) is printed as a space."""
    typer.echo(_CONTROL.sub(" ", message), err=True)


TERMINATED_EXIT = 143  # 128 + SIGTERM, as a shell reports a process SIGTERM ended


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during a run, with what was saved ("20 papers summarised and saved in s.db")."""

    def __init__(self, saved: str) -> None:
        super().__init__(saved)
        self.saved = saved


class _Termination:
    """SIGTERM handled as Ctrl-C is: the command stops where it is, its finished papers saved, its run row
    closed, one line said. The handler hands the signal to whatever handles SIGINT now (asyncio's, during a
    run, which cancels the run cleanly; else Python's, which raises KeyboardInterrupt) and remembers it was
    SIGTERM, for the message and the exit code."""

    def __init__(self) -> None:
        self.received = False

    def __call__(self, signum: int, frame: Any) -> None:
        if self.received:  # a second SIGTERM while stopping changes nothing; SIGKILL still does
            return
        self.received = True
        on_sigint = signal.getsignal(signal.SIGINT)
        if callable(on_sigint):
            on_sigint(signal.SIGINT, frame)
        else:  # SIGINT ignored (a background job): stop anyway
            raise KeyboardInterrupt

    def install(self) -> Any:
        if threading.current_thread() is not threading.main_thread():
            return None
        return signal.signal(signal.SIGTERM, self)


def _leaf(exc: BaseException) -> BaseException:
    """The first error inside exception groups (a run's workers raise theirs in one)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


def _one_line(exc: BaseException, kwargs: dict[str, Any]) -> BaseException:
    """The error to report for `exc`: a SQLite error becomes the InputError naming the store and the problem."""
    exc = _leaf(exc)
    if isinstance(exc, sqlite3.Error):
        from agent.store import store_problem

        return InputError(store_problem(resolve_db(kwargs.get("db")), exc))
    return exc


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Print a SummarizeError (or a store's SQLite error) as one line and exit with its code; never a
    traceback for those. Ctrl-C exits 130 and SIGTERM 143, each with one line."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        termination = _Termination()
        previous = termination.install()
        try:
            try:
                return fn(*args, **kwargs)
            except (SummarizeError, sqlite3.Error, KeyboardInterrupt, BaseExceptionGroup) as raw:
                exc = _one_line(raw, kwargs)
                if not isinstance(exc, (SummarizeError, KeyboardInterrupt)):
                    raise
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        if isinstance(exc, KeyboardInterrupt):
            saved = exc.saved if isinstance(exc, Interrupted) else "finished papers are saved"
            if termination.received:
                err(f"terminated (SIGTERM): {saved}; run the same command again to resume")
                raise typer.Exit(TERMINATED_EXIT) from None
            err(f"interrupted: {saved} before Ctrl-C; run the same command again to resume")
            raise typer.Exit(130) from None
        err(f"error: {exc}")
        if kwargs.get("as_json"):
            typer.echo(json.dumps({"error": str(exc), "exit_code": exc.exit_code}))
        raise typer.Exit(exc.exit_code) from None

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
    from agent.store import Store

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
        if not isinstance(item, InputError):
            return itertools.chain(head, stream), total, True
    return head, total, False


def iter_inputs(paths: Iterable[str]) -> Iterator[Paper | InputError]:
    from agent.sources.files import iter_source

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
