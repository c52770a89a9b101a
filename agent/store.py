"""The local SQLite store: every paper, its latest summary per engine/model/prompt, failures, and runs.

It is what makes reruns free (an LLM summary is looked up by its cache key before any request) and
interrupted runs resumable (each paper is saved in its own transaction, so a killed run loses at most the
papers in flight). It knows nothing about HTTP or engines: it stores Papers and Records.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.errors import InputError
from agent.models import Paper, Provenance, Record, Summary, normalise_title

_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS papers (
    id TEXT PRIMARY KEY,
    norm_title TEXT NOT NULL,
    title TEXT NOT NULL,
    abstract TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]',
    published TEXT,
    url TEXT,
    source TEXT NOT NULL,
    version TEXT,
    source_extras TEXT NOT NULL DEFAULT '{}',
    content_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS papers_norm_title ON papers(norm_title);
CREATE TABLE IF NOT EXISTS summaries (
    paper_id TEXT NOT NULL REFERENCES papers(id) ON UPDATE CASCADE,
    engine TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '',
    prompt_version TEXT NOT NULL DEFAULT '',
    cache_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    summary TEXT NOT NULL,
    provenance TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (paper_id, engine, model, prompt_version)
);
CREATE INDEX IF NOT EXISTS summaries_cache_key ON summaries(cache_key);
CREATE TABLE IF NOT EXISTS failures (
    paper_id TEXT NOT NULL REFERENCES papers(id) ON UPDATE CASCADE,
    engine TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '',
    cache_key TEXT NOT NULL,
    reason TEXT NOT NULL,
    run_id INTEGER,
    created_at TEXT NOT NULL,
    PRIMARY KEY (paper_id, engine, model)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    command TEXT NOT NULL,
    engine TEXT,
    model TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    counts TEXT NOT NULL DEFAULT '{}'
);
"""


def _m001_initial(db: sqlite3.Connection) -> None:
    """The schema of release 0.1.0 (which did not number its schema: its stores open at user_version 0)."""
    for statement in _SCHEMA_V1.split(";"):
        if statement.strip():
            db.execute(statement)  # not executescript: it would commit the migration's transaction


def _m002_source_ids(db: sqlite3.Connection) -> None:
    """The id the source gave a paper (an OpenReview id, say), kept beside ours so `show` finds it."""
    db.execute("ALTER TABLE papers ADD COLUMN source_id TEXT")
    db.execute("CREATE INDEX papers_source_id ON papers(source_id)")


def _m003_fts(db: sqlite3.Connection) -> None:
    """Full-text search over what the store holds (SQLite FTS5).

    `paper_search` has one row per paper: its title, abstract, and latest TL;DR and claims, stemmed.
    `search_rows` says which row is which paper's (found by key: a lookup by an unindexed FTS column would
    scan the table; it follows a paper whose id moves, ON UPDATE CASCADE) and what it was made from
    (`indexed`: the abstract's hash and the summary's time). Runs do not touch the index, so they pay
    nothing for it; a search first brings it up to date (`Store.refresh_search`), one transaction."""
    db.execute(
        "CREATE VIRTUAL TABLE paper_search USING fts5(title, abstract, tldr, claims, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    db.execute("""CREATE TABLE search_rows (
        paper_id TEXT PRIMARY KEY REFERENCES papers(id) ON UPDATE CASCADE ON DELETE CASCADE,
        fts_rowid INTEGER NOT NULL UNIQUE,
        indexed TEXT NOT NULL)""")


def _m004_bookmarks(db: sqlite3.Connection) -> None:
    """Which papers were exported under which name (`export --new NAME`), so each is sent once."""
    db.execute("""CREATE TABLE exported (
        name TEXT NOT NULL,
        paper_id TEXT NOT NULL REFERENCES papers(id) ON UPDATE CASCADE ON DELETE CASCADE,
        exported_at TEXT NOT NULL,
        PRIMARY KEY (name, paper_id))""")


def _m005_relevance(db: sqlite3.Connection) -> None:
    """Ranking to a reader's interests: each paper's embedding per model (computed once, valid while the
    abstract's content hash is the same), and each paper's latest score against each named profile."""
    db.execute("""CREATE TABLE IF NOT EXISTS embeddings (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON UPDATE CASCADE,
        model TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        vector BLOB NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (paper_id, model))""")
    db.execute("""CREATE TABLE IF NOT EXISTS relevance (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON UPDATE CASCADE,
        profile TEXT NOT NULL,
        profile_digest TEXT NOT NULL,
        backend TEXT NOT NULL,
        score REAL NOT NULL,
        explanation TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (paper_id, profile))""")


# Numbered migrations, oldest first: migration N brings a store from user_version N-1 to N. Never edit
# or reorder one that has shipped; add the next. Each runs in the transaction that records its number.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _m001_initial,
    _m002_source_ids,
    _m003_fts,
    _m004_bookmarks,
    _m005_relevance,
]


# Each paper's search key: what its search row must have been made from to be current.
_SEARCH_KEYS = """
    SELECT p.id, p.title, p.abstract, p.content_hash || '|' || COALESCE(
        (SELECT MAX(s.created_at) FROM summaries s WHERE s.paper_id = p.id AND s.content_hash = p.content_hash),
        '') AS key
    FROM papers p LEFT JOIN search_rows m ON m.paper_id = p.id
    WHERE m.indexed IS NOT key"""


def _refresh_search(db: sqlite3.Connection) -> int:
    """Rewrite the search rows of the papers whose row is missing or was made from an older abstract or
    summary; returns how many. The caller holds the transaction."""
    stale = db.execute(_SEARCH_KEYS).fetchall()
    for paper_id, title, abstract, key in stale:
        row = db.execute(
            "SELECT summary FROM summaries WHERE paper_id = ? AND content_hash = ? ORDER BY created_at DESC LIMIT 1",
            (paper_id, key.split("|", 1)[0]),
        ).fetchone()
        saved = json.loads(row[0]) if row else {}
        claims = " ".join(c.get("text", "") for c in saved.get("claims", []))
        old = db.execute("SELECT fts_rowid FROM search_rows WHERE paper_id = ?", (paper_id,)).fetchone()
        if old is not None:
            db.execute("DELETE FROM paper_search WHERE rowid = ?", (old[0],))
        cur = db.execute(
            "INSERT INTO paper_search (title, abstract, tldr, claims) VALUES (?,?,?,?)",
            (title, abstract, saved.get("tldr", ""), claims),
        )
        db.execute(
            "INSERT OR REPLACE INTO search_rows (paper_id, fts_rowid, indexed) VALUES (?,?,?)",
            (paper_id, cur.lastrowid, key),
        )
    return len(stale)


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query that cannot be a syntax error: every word must match (stemmed);
    a word ending in * matches as a prefix. Quotes and FTS operators in the words are taken literally."""
    terms = []
    for word in text.split():
        prefix = word.endswith("*") and len(word) > 1
        word = word.rstrip("*") if prefix else word
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms)


def migrate(db: sqlite3.Connection, migrations: list[Callable[[sqlite3.Connection], None]] | None = None) -> int:
    """Apply the migrations a store has not had yet; returns the store's schema version after."""
    migrations = MIGRATIONS if migrations is None else migrations
    current = int(db.execute("PRAGMA user_version").fetchone()[0])
    if current > len(migrations):
        raise InputError(
            f"the store's schema is version {current}, newer than this release knows ({len(migrations)}); "
            "upgrade summarize"
        )
    for number, step in enumerate(migrations[current:], start=current + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            step(db)
            db.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return len(migrations)


def store_problem(path: str | Path, exc: sqlite3.Error) -> str:
    """One line for a store SQLite could not use: what is wrong, in SQLite's words, and what to do."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    said = str(exc) or name or type(exc).__name__
    if name.startswith("SQLITE_READONLY"):
        return f"{path}: the store is read-only ({said}); make it writable, or pass --db PATH to use another store"
    if name.startswith("SQLITE_FULL") or "disk is full" in said:
        return (
            f"{path}: the disk is full ({said}); papers finished before this are saved: free some space and "
            "run the same command again to resume"
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return (
            f"{path}: the store is damaged ({said}); move it aside (restore a backup if you have one) and "
            "run again to start a new store"
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return f"{path}: the store is locked by another process ({said}); run again when that one has finished"
    if name.startswith("SQLITE_IOERR"):
        return f"{path}: the store could not be read or written ({said}); check the disk and its free space"
    return f"{path}: the store failed ({said})"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _is_title_id(paper_id: str) -> bool:
    return paper_id.startswith("title:")


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None)  # we open transactions ourselves
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            migrate(self.db)
        except sqlite3.Error as exc:
            raise InputError(store_problem(self.path, exc)) from None
        except OSError as exc:
            raise InputError(f"{self.path}: cannot open the store ({exc})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.db.in_transaction:  # SQLite has already rolled back after some errors (a full disk)
                self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # -- papers ---------------------------------------------------------------------------------

    def _resolve_id(self, paper: Paper) -> str:
        """One paper, one row: arXiv id first, then the normalised title.

        A paper first seen without an arXiv id (a saved page) and later with one is moved to the arXiv
        id, its summaries and failures with it (ON UPDATE CASCADE).
        """
        norm = normalise_title(paper.title)
        row = self.db.execute("SELECT id FROM papers WHERE id = ?", (paper.id,)).fetchone()
        if row:
            return paper.id
        same_title = [r["id"] for r in self.db.execute("SELECT id FROM papers WHERE norm_title = ?", (norm,))]
        if not same_title:
            return paper.id
        if _is_title_id(paper.id):
            return same_title[0]
        title_only = [i for i in same_title if _is_title_id(i)]
        if title_only:
            self.db.execute("UPDATE papers SET id = ? WHERE id = ?", (paper.id, title_only[0]))
        return paper.id

    def upsert_paper(self, paper: Paper) -> Paper:
        """Insert or refresh a paper; returns it under its store identity."""
        with self.transaction():
            return self._upsert_paper(paper)

    def _upsert_paper(self, paper: Paper) -> Paper:
        pid = self._resolve_id(paper)
        if pid != paper.id:
            paper = paper.model_copy(update={"id": pid})
        now = _now()
        self.db.execute(
            """INSERT INTO papers (id, norm_title, title, abstract, authors, published, url, source,
                                   version, source_extras, content_hash, first_seen, last_seen, source_id)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(id) DO UPDATE SET
                 title=excluded.title, abstract=excluded.abstract,
                 authors=CASE WHEN excluded.authors != '[]' THEN excluded.authors ELSE papers.authors END,
                 published=COALESCE(excluded.published, papers.published),
                 url=COALESCE(excluded.url, papers.url), source=excluded.source,
                 version=COALESCE(excluded.version, papers.version),
                 source_extras=CASE WHEN excluded.source_extras != '{}' THEN excluded.source_extras
                                    ELSE papers.source_extras END,
                 content_hash=excluded.content_hash, norm_title=excluded.norm_title,
                 last_seen=excluded.last_seen, source_id=COALESCE(excluded.source_id, papers.source_id)""",
            (
                paper.id,
                normalise_title(paper.title),
                paper.title,
                paper.abstract,
                json.dumps(paper.authors, ensure_ascii=False),
                paper.published.isoformat() if paper.published else None,
                paper.url,
                paper.source,
                paper.version,
                json.dumps(paper.source_extras, ensure_ascii=False, default=str),
                paper.content_hash(),
                now,
                now,
                paper.source_id,
            ),
        )
        return paper

    def get_paper(self, paper_id: str) -> Paper | None:
        row = self.db.execute("SELECT * FROM papers WHERE id = ?", (paper_id,)).fetchone()
        return _paper_from_row(row) if row else None

    def find_papers(self, query: str) -> list[Paper]:
        """Papers whose id or source id is `query`, or whose id or title contains it."""
        like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self.db.execute(
            "SELECT * FROM papers WHERE id = ? OR source_id = ? OR id LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\' "
            "ORDER BY id LIMIT 20",
            (query, query, like, like),
        ).fetchall()
        return [_paper_from_row(r) for r in rows]

    def papers_with_source_id(self, source_id: str) -> list[Paper]:
        rows = self.db.execute("SELECT * FROM papers WHERE source_id = ? ORDER BY id", (source_id,)).fetchall()
        return [_paper_from_row(r) for r in rows]

    # -- search and bookmarks --------------------------------------------------------------------

    def search(self, query: str, limit: int | None = None) -> list[str]:
        """Ids of the papers whose title, abstract, latest TL;DR or claims hold every word of `query`
        (stemmed: "serve" finds "serving"), best match first (BM25, a title match weighing most)."""
        match = fts_query(query)
        if not match:
            return []
        self.refresh_search()
        rows = self.db.execute(
            "SELECT m.paper_id FROM paper_search f JOIN search_rows m ON m.fts_rowid = f.rowid "
            "WHERE paper_search MATCH ? ORDER BY bm25(paper_search, 10.0, 1.0, 4.0, 2.0), m.paper_id LIMIT ?",
            (match, -1 if limit is None else limit),
        )
        return [r[0] for r in rows]

    def refresh_search(self) -> int:
        """Bring the search index up to date with the papers and summaries (see _m003_fts)."""
        with self.transaction():
            return _refresh_search(self.db)

    def exported_ids(self, name: str) -> set[str]:
        """The papers already exported under bookmark `name`."""
        return {r[0] for r in self.db.execute("SELECT paper_id FROM exported WHERE name = ?", (name,))}

    def mark_exported(self, name: str, paper_ids: list[str]) -> None:
        now = _now()
        with self.transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO exported (name, paper_id, exported_at) VALUES (?,?,?)",
                [(name, pid, now) for pid in paper_ids],
            )

    def bookmarks(self) -> dict[str, int]:
        """Each bookmark name and how many papers were exported under it."""
        rows = self.db.execute("SELECT name, COUNT(*) FROM exported GROUP BY name ORDER BY name")
        return {r[0]: r[1] for r in rows}

    # -- summaries (the cache) ---------------------------------------------------------------------

    def save_result(self, paper: Paper, summary: Summary, provenance: Provenance, cache_key: str) -> Record:
        """Save a paper and its summary in one transaction; clears an earlier failure of the same work."""
        with self.transaction():
            paper = self._upsert_paper(paper)
            self.db.execute(
                """INSERT INTO summaries (paper_id, engine, model, prompt_version, cache_key, content_hash,
                                          summary, provenance, created_at)
                   VALUES (?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(paper_id, engine, model, prompt_version) DO UPDATE SET
                     cache_key=excluded.cache_key, content_hash=excluded.content_hash,
                     summary=excluded.summary, provenance=excluded.provenance,
                     created_at=excluded.created_at""",
                (
                    paper.id,
                    provenance.engine,
                    provenance.model or "",
                    provenance.prompt_version or "",
                    cache_key,
                    paper.content_hash(),
                    summary.model_dump_json(),
                    provenance.model_dump_json(),
                    provenance.created_at.isoformat(),
                ),
            )
            self.db.execute(
                "DELETE FROM failures WHERE paper_id = ? AND engine = ? AND model = ?",
                (paper.id, provenance.engine, provenance.model or ""),
            )
        return Record.of(paper, summary, provenance)

    def cached(self, cache_key: str) -> Record | None:
        row = self.db.execute(
            """SELECT p.*, s.summary AS s_summary, s.provenance AS s_provenance
               FROM summaries s JOIN papers p ON p.id = s.paper_id
               WHERE s.cache_key = ? ORDER BY s.created_at DESC LIMIT 1""",
            (cache_key,),
        ).fetchone()
        return _record_from_row(row) if row else None

    def records(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        tag: str | None = None,
        engine: str | None = None,
        match: str | None = None,
    ) -> Iterator[Record]:
        """The latest summary of each paper's current abstract (any engine unless named), newest papers
        first. A summary of an earlier version of the abstract is never paired with the current one."""
        where, args = ["s.content_hash = p.content_hash"], []
        if engine:
            where.append("s.engine = ?")
            args.append(engine)
        if match is not None:  # only papers whose search row holds every word of `match` (see search)
            self.refresh_search()
            where.append(
                "p.id IN (SELECT m.paper_id FROM paper_search f JOIN search_rows m ON m.fts_rowid = f.rowid "
                "WHERE paper_search MATCH ?)"
            )
            args.append(fts_query(match) or '""')
        if since:
            where.append("COALESCE(p.published, substr(p.first_seen, 1, 10)) >= ?")
            args.append(since)
        if until:
            where.append("COALESCE(p.published, substr(p.first_seen, 1, 10)) <= ?")
            args.append(until)
        sql = f"""
            SELECT p.*, s.summary AS s_summary, s.provenance AS s_provenance FROM papers p
            JOIN summaries s ON s.paper_id = p.id
            WHERE {' AND '.join(where)}
              AND s.created_at = (SELECT MAX(s2.created_at) FROM summaries s2
                                  WHERE s2.paper_id = p.id AND s2.content_hash = p.content_hash
                                  {'AND s2.engine = s.engine' if engine else ''})
            GROUP BY p.id
            ORDER BY COALESCE(p.published, substr(p.first_seen, 1, 10)) DESC, p.id"""
        for row in self.db.execute(sql, args):
            record = _record_from_row(row)
            if tag is None or tag in record.summary.tags:
                yield record

    # -- failures and runs -------------------------------------------------------------------------

    def record_failure(
        self, paper: Paper, engine: str, model: str | None, cache_key: str, reason: str, run_id: int | None = None
    ) -> None:
        with self.transaction():
            paper = self._upsert_paper(paper)
            self.db.execute(
                """INSERT INTO failures (paper_id, engine, model, cache_key, reason, run_id, created_at)
                   VALUES (?,?,?,?,?,?,?)
                   ON CONFLICT(paper_id, engine, model) DO UPDATE SET
                     cache_key=excluded.cache_key, reason=excluded.reason, run_id=excluded.run_id,
                     created_at=excluded.created_at""",
                (paper.id, engine, model or "", cache_key, reason, run_id, _now()),
            )

    def failures(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM failures ORDER BY created_at")]

    def start_run(self, command: str, engine: str | None, model: str | None) -> int:
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO runs (command, engine, model, started_at) VALUES (?,?,?,?)",
                (command, engine, model, _now()),
            )
        assert cur.lastrowid is not None  # set by every INSERT
        return cur.lastrowid

    def finish_run(self, run_id: int, status: str, counts: dict[str, Any]) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
                (_now(), status, json.dumps(counts), run_id),
            )

    def runs(self) -> list[dict[str, Any]]:
        out = []
        for r in self.db.execute("SELECT * FROM runs ORDER BY id"):
            row = dict(r)
            row["counts"] = json.loads(row["counts"])
            out.append(row)
        return out

    # -- queries for show and stats --------------------------------------------------------------

    def record(self, paper_id: str) -> Record | None:
        """The latest summary of one paper's current abstract (any engine), or None when it has none yet."""
        row = self.db.execute(
            """SELECT p.*, s.summary AS s_summary, s.provenance AS s_provenance
               FROM papers p JOIN summaries s ON s.paper_id = p.id AND s.content_hash = p.content_hash
               WHERE p.id = ? ORDER BY s.created_at DESC LIMIT 1""",
            (paper_id,),
        ).fetchone()
        return _record_from_row(row) if row else None

    def failures_of(self, paper_id: str) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT * FROM failures WHERE paper_id = ? ORDER BY created_at", (paper_id,))
        return [dict(r) for r in rows]

    def papers_by_day(self) -> dict[str, int]:
        """Papers per publication day (the day first seen when the source gave no date), oldest first."""
        rows = self.db.execute(
            """SELECT COALESCE(published, substr(first_seen, 1, 10)) AS day, COUNT(*) AS n
               FROM papers GROUP BY day ORDER BY day"""
        )
        return {r["day"]: r["n"] for r in rows}

    # -- relevance: embeddings and scores (agent.relevance) -----------------------------------------

    def vectors(self, model: str, papers: list[Paper]) -> dict[str, bytes]:
        """The stored embeddings of `model` for those of `papers` whose abstract has not changed since."""
        out: dict[str, bytes] = {}
        wanted = {p.id: p.content_hash() for p in papers}
        ids = list(wanted)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.db.execute(
                f"SELECT paper_id, content_hash, vector FROM embeddings WHERE model = ? "
                f"AND paper_id IN ({','.join('?' * len(chunk))})",
                (model, *chunk),
            )
            out.update({r["paper_id"]: r["vector"] for r in rows if wanted[r["paper_id"]] == r["content_hash"]})
        return out

    def save_vectors(self, model: str, rows: list[tuple[Paper, bytes]]) -> None:
        """Cache embeddings of papers that are in the store (others are skipped)."""
        now = _now()
        with self.transaction():
            for paper, blob in rows:
                self.db.execute(
                    """INSERT INTO embeddings (paper_id, model, content_hash, vector, created_at)
                       SELECT ?,?,?,?,? WHERE EXISTS (SELECT 1 FROM papers WHERE id = ?)
                       ON CONFLICT(paper_id, model) DO UPDATE SET content_hash=excluded.content_hash,
                         vector=excluded.vector, created_at=excluded.created_at""",
                    (paper.id, model, paper.content_hash(), blob, now, paper.id),
                )

    def save_relevance(self, profile: str, digest: str, backend: str, scores: list[tuple[str, float, str]]) -> None:
        """Each (paper id, score, explanation) against a named profile; a paper not in the store is skipped."""
        now = _now()
        with self.transaction():
            for paper_id, score, explanation in scores:
                self.db.execute(
                    """INSERT INTO relevance (paper_id, profile, profile_digest, backend, score, explanation,
                                              created_at)
                       SELECT ?,?,?,?,?,?,? WHERE EXISTS (SELECT 1 FROM papers WHERE id = ?)
                       ON CONFLICT(paper_id, profile) DO UPDATE SET profile_digest=excluded.profile_digest,
                         backend=excluded.backend, score=excluded.score, explanation=excluded.explanation,
                         created_at=excluded.created_at""",
                    (paper_id, profile, digest, backend, score, explanation, now, paper_id),
                )

    def papers_seen_since(self, when: str) -> list[Paper]:
        """Papers the store met (first or again) on or after `when` (an ISO date or time)."""
        return [_paper_from_row(r) for r in self.db.execute("SELECT * FROM papers WHERE last_seen >= ?", (when,))]

    def relevance_of(self, paper_id: str) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT * FROM relevance WHERE paper_id = ? ORDER BY profile", (paper_id,))
        return [dict(r) for r in rows]

    def relevance(self, profile: str) -> dict[str, dict[str, Any]]:
        rows = self.db.execute("SELECT * FROM relevance WHERE profile = ?", (profile,))
        return {r["paper_id"]: dict(r) for r in rows}

    def count(self, table: str) -> int:
        if table not in {"papers", "summaries", "failures", "runs", "embeddings", "relevance"}:
            raise ValueError(table)
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _damaged(row: sqlite3.Row, exc: Exception) -> sqlite3.DatabaseError:
    """A row SQLite reads but we cannot (its JSON cut or altered): reported as a damaged store, naming the paper."""
    detail = (str(exc).splitlines() or [type(exc).__name__])[0]
    damaged = sqlite3.DatabaseError(f"the row of paper {row['id']!r} does not read back: {detail}")
    damaged.sqlite_errorname = "SQLITE_CORRUPT"  # type: ignore[attr-defined]
    return damaged


def _paper_from_row(row: sqlite3.Row) -> Paper:
    try:
        return Paper(
            id=row["id"],
            title=row["title"],
            abstract=row["abstract"],
            authors=json.loads(row["authors"]),
            published=row["published"],
            url=row["url"],
            source=row["source"],
            version=row["version"],
            source_extras=json.loads(row["source_extras"]),
            source_id=row["source_id"],
        )
    except (ValueError, TypeError, RecursionError) as exc:  # pydantic's ValidationError is a ValueError
        raise _damaged(row, ValueError(str(exc))) from None


def _record_from_row(row: sqlite3.Row) -> Record:
    paper = _paper_from_row(row)
    try:
        return Record.of(
            paper,
            Summary.model_validate_json(row["s_summary"]),
            Provenance.model_validate_json(row["s_provenance"]),
        )
    except (ValueError, TypeError) as exc:
        raise _damaged(row, exc) from None
