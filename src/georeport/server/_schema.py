"""The reference server's SQLite schema, as numbered migrations (private; used by ``store``).

Rules: a migration is never edited once released, only followed by a new
one; each runs in one ``BEGIN IMMEDIATE`` transaction together with its row
in ``schema_migrations``, so two processes opening a new database at once
apply it once. Times are stored twice where SQL filters on them: as the
request's own W3C text inside the JSON, and as UTC seconds since the epoch
(``*_at`` columns, REAL) for indexes and ranges.
"""

from __future__ import annotations

__all__ = ["MIGRATIONS", "SCHEMA_VERSION"]

MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "jurisdictions, requests, events, tokens, api keys",
        (
            """CREATE TABLE jurisdictions (
                jurisdiction_id TEXT PRIMARY KEY,
                position INTEGER NOT NULL,
                declaration TEXT NOT NULL
            )""",
            """CREATE TABLE requests (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions (jurisdiction_id),
                service_code TEXT NOT NULL,
                status TEXT NOT NULL,
                requested_at REAL NOT NULL,
                updated_at REAL,
                lat REAL,
                long REAL,
                record TEXT NOT NULL,
                submission TEXT NOT NULL
            )""",
            "CREATE INDEX requests_by_time ON requests (jurisdiction_id, requested_at DESC, id DESC)",
            "CREATE INDEX requests_by_code ON requests (jurisdiction_id, service_code, requested_at DESC)",
            """CREATE TABLE events (
                request_id INTEGER NOT NULL REFERENCES requests (id),
                seq INTEGER NOT NULL,
                at REAL NOT NULL,
                kind TEXT NOT NULL,
                event TEXT NOT NULL,
                PRIMARY KEY (request_id, seq)
            ) WITHOUT ROWID""",
            """CREATE TABLE tokens (
                token TEXT PRIMARY KEY,
                request_id INTEGER NOT NULL UNIQUE REFERENCES requests (id)
            ) WITHOUT ROWID""",
            """CREATE TABLE api_keys (
                key_hash TEXT PRIMARY KEY,
                label TEXT,
                created_at TEXT NOT NULL
            ) WITHOUT ROWID""",
        ),
    ),
)
"""(version, what it adds, statements), oldest first."""

SCHEMA_VERSION = MIGRATIONS[-1][0]
"""The version a database has once every migration ran."""
