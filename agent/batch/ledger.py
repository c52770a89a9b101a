"""What the store remembers about batches: each prepared request line and each submitted batch.

A request line is known by its custom_id (the paper's id) for one model and prompt version; it keeps the
cache key and content hash it was prepared with, so collect stores the answer under the same key and can
tell when the abstract changed in between. Two tables beside the Store's own, created on first use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from agent.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS batch_requests (
    custom_id TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    paper_id TEXT NOT NULL REFERENCES papers(id) ON UPDATE CASCADE,
    cache_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    previous_hash TEXT,
    request_file TEXT NOT NULL,
    batch_id TEXT,
    state TEXT NOT NULL DEFAULT 'prepared',
    reason TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (custom_id, model, prompt_version)
);
CREATE INDEX IF NOT EXISTS batch_requests_batch ON batch_requests(batch_id);
CREATE INDEX IF NOT EXISTS batch_requests_paper ON batch_requests(paper_id);
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    input_file_id TEXT NOT NULL,
    request_file TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    status TEXT NOT NULL,
    output_file_id TEXT,
    error_file_id TEXT,
    total INTEGER NOT NULL DEFAULT 0,
    completed INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    collected_at TEXT
);
"""

# Batch statuses after which nothing changes any more (OpenAI's Batch object).
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
# ... and those that have output or error files to collect.
COLLECTABLE = frozenset({"completed", "expired", "cancelled"})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class PreparedRequest:
    custom_id: str
    model: str
    prompt_version: str
    paper_id: str
    cache_key: str
    content_hash: str
    previous_hash: str | None
    state: str
    batch_id: str | None
    request_file: str = ""


class Ledger:
    def __init__(self, store: Store):
        self.store = store
        self.db = store.db
        self.db.executescript(SCHEMA)

    # -- request lines -------------------------------------------------------------------------------

    def prepared(self, rows: Iterable[tuple[str, str, str, str, str, str, str]]) -> None:
        """Record lines (custom_id, model, prompt_version, paper_id, cache_key, content_hash, file).

        A line prepared again for a changed abstract while the earlier line may still be answered keeps
        the earlier hash in `previous_hash`: an answer to that custom_id cannot then be matched to one
        abstract, so collect refuses it (and the next prepare asks again).
        """
        now = _now()
        with self.store.transaction():
            self.db.executemany(
                """INSERT INTO batch_requests (custom_id, model, prompt_version, paper_id, cache_key,
                                               content_hash, request_file, updated_at)
                   VALUES (?,?,?,?,?,?,?,?)
                   ON CONFLICT(custom_id, model, prompt_version) DO UPDATE SET
                     paper_id=excluded.paper_id, cache_key=excluded.cache_key,
                     previous_hash=CASE WHEN batch_requests.state IN ('prepared', 'submitted')
                                         AND batch_requests.content_hash != excluded.content_hash
                                        THEN batch_requests.content_hash END,
                     content_hash=excluded.content_hash, request_file=excluded.request_file,
                     batch_id=NULL, state='prepared', reason=NULL, updated_at=excluded.updated_at""",
                [(*row, now) for row in rows],
            )

    def lookup(
        self, custom_id: str, prompt_version: str | None = None, model: str | None = None
    ) -> list[PreparedRequest]:
        """The prepared lines with this custom_id: one per model and prompt version it was prepared for,
        narrowed to `prompt_version` and `model` when they are given."""
        sql = "SELECT * FROM batch_requests WHERE custom_id = ?"
        args: list[Any] = [custom_id]
        for column, value in (("prompt_version", prompt_version), ("model", model)):
            if value is not None:
                sql += f" AND {column} = ?"
                args.append(value)
        return [_request(r) for r in self.db.execute(sql + " ORDER BY model, prompt_version", args)]

    def pending_batch(self, paper_id: str, model: str) -> str | None:
        """The id of a batch still running that carries this paper for `model`, if any, whatever its prompt
        version (so it is not paid for twice; an older prompt's answer is still an answer)."""
        row = self.db.execute(
            f"""SELECT b.id FROM batch_requests r JOIN batches b ON b.id = r.batch_id
                WHERE r.paper_id = ? AND r.model = ? AND r.state = 'submitted'
                  AND b.status NOT IN ({','.join('?' * len(TERMINAL))})""",
            (paper_id, model, *sorted(TERMINAL)),
        ).fetchone()
        return row["id"] if row else None

    def settle(self, request: PreparedRequest, state: str, reason: str | None = None) -> None:
        """Mark a line stored or failed once its answer has been collected."""
        with self.store.transaction():
            self.db.execute(
                """UPDATE batch_requests SET state = ?, reason = ?, updated_at = ?
                   WHERE custom_id = ? AND model = ? AND prompt_version = ?""",
                (state, reason, _now(), request.custom_id, request.model, request.prompt_version),
            )

    # -- batches -------------------------------------------------------------------------------------

    def submitted(self, batch: Any, request_file: str, model: str, prompt_version: str, custom_ids: list[str]) -> None:
        """Record a created batch (an openai `Batch`) and the lines it carries."""
        now = _now()
        with self.store.transaction():
            self.db.execute(
                """INSERT INTO batches (id, input_file_id, request_file, model, prompt_version, status,
                                        total, created_at, updated_at)
                   VALUES (?,?,?,?,?,?,?,?,?)""",
                (
                    batch.id,
                    batch.input_file_id,
                    request_file,
                    model,
                    prompt_version,
                    batch.status,
                    len(custom_ids),
                    now,
                    now,
                ),
            )
            self.db.executemany(
                """UPDATE batch_requests SET batch_id = ?, state = 'submitted', reason = NULL, updated_at = ?
                   WHERE custom_id = ? AND model = ? AND prompt_version = ?""",
                [(batch.id, now, cid, model, prompt_version) for cid in custom_ids],
            )

    def update_batch(self, batch: Any) -> None:
        """Copy what the API says now about a batch (status, counts, output and error files)."""
        counts = batch.request_counts
        with self.store.transaction():
            self.db.execute(
                """UPDATE batches SET status = ?, output_file_id = ?, error_file_id = ?,
                     total = COALESCE(?, total), completed = COALESCE(?, completed),
                     failed = COALESCE(?, failed), updated_at = ?
                   WHERE id = ?""",
                (
                    batch.status,
                    batch.output_file_id,
                    batch.error_file_id,
                    counts.total if counts else None,
                    counts.completed if counts else None,
                    counts.failed if counts else None,
                    _now(),
                    batch.id,
                ),
            )

    def collected(self, batch_id: str) -> None:
        with self.store.transaction():
            self.db.execute("UPDATE batches SET collected_at = ? WHERE id = ?", (_now(), batch_id))

    def batches(self, ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        rows = [dict(r) for r in self.db.execute("SELECT * FROM batches ORDER BY created_at, id")]
        if ids is None:
            return rows
        wanted = set(ids)
        return [r for r in rows if r["id"] in wanted]


def _request(row: Any) -> PreparedRequest:
    return PreparedRequest(
        custom_id=row["custom_id"],
        model=row["model"],
        prompt_version=row["prompt_version"],
        paper_id=row["paper_id"],
        cache_key=row["cache_key"],
        content_hash=row["content_hash"],
        previous_hash=row["previous_hash"],
        state=row["state"],
        batch_id=row["batch_id"],
        request_file=row["request_file"],
    )
