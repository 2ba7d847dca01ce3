"""The reference server's database: one SQLite file in WAL mode, safe under threads and processes.

Rules this file keeps:

* every write is one ``BEGIN IMMEDIATE`` transaction, so ids come from
  SQLite's ``AUTOINCREMENT`` and are unique across threads and processes,
  and a request is acknowledged only after its transaction committed;
* ``synchronous=FULL`` by default: a committed request survives the process
  being killed and the machine losing power; ``"normal"`` keeps it across a
  killed process only (WAL), and is faster;
* a connection is used by one thread at a time: each call takes one from a
  pool (opening one when none is idle) and gives it back;
* a case's truth is its request as received plus its events: the ``requests``
  row holds the first (lifecycle JSON), ``events`` the second, appended in
  order; the ``status``/``updated_at`` columns are the projection, updated in
  the same transaction, for SQL filters;
* what the client sent (contact details included) is kept as the urlencoded
  form ``parse_post`` reads back, apart from what is published;
* API keys are kept as SHA-256 hashes (keys are random, 128 bits or more),
  never as text.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Literal

import attrs

from georeport.errors import GeoReportError, ValidationError
from georeport.lifecycle import Case, Channel, Event, Workflow, from_json, to_json
from georeport.models import RequestSubmission, ServiceRequest, Status
from georeport.server._schema import MIGRATIONS, SCHEMA_VERSION
from georeport.server.jurisdictions import Jurisdiction
from georeport.wire.params import RequestsQuery, build_form

__all__ = ["NewRequest", "Store", "StoreError", "StoredCase", "hash_api_key"]

_TIMEOUT = 30.0


class StoreError(GeoReportError, OSError):
    """The database cannot be opened, or holds a schema newer than this georeport knows."""

    status_hint = 500


def hash_api_key(key: str) -> str:
    """The hex SHA-256 of an API key: what the store keeps instead of the key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _epoch(moment: datetime) -> float:
    return moment.timestamp()


@attrs.frozen
class NewRequest:
    """A request as the server accepted it, before the store gives it an id.

    Args:
        jurisdiction_id: where it was filed.
        request: the published fields known at intake (no id, no status).
        submission: what the client sent, contact details included (never published).
        channel: how it came in.
        with_token: also issue a token (``batch`` services answer with one).
    """

    jurisdiction_id: str
    request: ServiceRequest
    submission: RequestSubmission
    channel: Channel = Channel.OTHER
    with_token: bool = False


@attrs.frozen
class StoredCase:
    """A request as stored: its id, jurisdiction, token and case (request plus history)."""

    service_request_id: str
    jurisdiction_id: str
    case: Case
    token: str | None = None


class Store:
    """The SQLite database behind a reference server.

    Creates the file and its schema on first use, and applies newer
    migrations to an older file. Thread-safe; several processes may share
    the file.

    Args:
        path: the database file (``":memory:"`` is refused: threads need a shared file).
        synchronous: ``"full"`` (the default) or ``"normal"``; see the module rules.
        timeout: seconds a writer waits for another's lock before failing.

    Raises:
        StoreError: the file cannot be opened, or its schema is newer than this code.
        ValidationError: no file path (``:memory:``), or an unknown ``synchronous``.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        synchronous: Literal["full", "normal"] = "full",
        timeout: float = _TIMEOUT,
    ) -> None:
        self.path = os.fspath(path)
        if self.path == ":memory:" or not self.path:
            raise ValidationError("path", path, "a database file path (':memory:' is private to one connection)")
        if synchronous not in ("full", "normal"):
            raise ValidationError("synchronous", synchronous, "'full' or 'normal'")
        self.synchronous = synchronous
        self.timeout = timeout
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._writer = threading.Lock()
        self._workflows: dict[str, Workflow] = {}
        self._migrate()

    # --- connections ------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(f"PRAGMA synchronous={self.synchronous.upper()}")
            connection.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the database {self.path!r}: {error}") from error
        return connection

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = self._idle.get_nowait()
        except queue.Empty:
            connection = self._open()
        try:
            yield connection
        finally:
            if connection.in_transaction:  # an error left it open
                connection.rollback()
            self._idle.put(connection)

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any error.

        Writers of this process queue on a lock first: SQLite's own busy wait
        sleeps in growing steps, which gives a long tail under contention;
        other processes still meet SQLite's lock (``timeout``).
        """
        with self._connection() as connection, self._writer:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.rollback()
                raise
            connection.commit()

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every statement sees the same snapshot."""
        with self._connection() as connection:
            connection.execute("BEGIN")
            try:
                yield connection
            finally:
                connection.rollback()

    def close(self) -> None:
        """Close the idle connections (the store reopens one if used again)."""
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- schema -------------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._connection() as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        with self._write() as connection:
            current = connection.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"the database {self.path!r} has schema version {current}, newer than this georeport's "
                    f"{SCHEMA_VERSION}: upgrade georeport"
                )
            for version, name, statements in MIGRATIONS:
                if version <= current:
                    continue
                for statement in statements:
                    connection.execute(statement)
                connection.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    (version, name, datetime.now(UTC).isoformat(timespec="seconds")),
                )

    @property
    def schema_version(self) -> int:
        """The newest migration applied to the file."""
        with self._connection() as connection:
            version: int = connection.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
        return version

    # --- jurisdictions ------------------------------------------------------------------------
    def put_jurisdiction(self, jurisdiction: Jurisdiction) -> None:
        """Add a jurisdiction, or replace the one with its id (keeping its place)."""
        declaration = json.dumps(jurisdiction.to_dict(), ensure_ascii=False)
        with self._write() as connection:
            position = connection.execute("SELECT coalesce(max(position), 0) + 1 FROM jurisdictions").fetchone()[0]
            connection.execute(
                "INSERT INTO jurisdictions VALUES (?, ?, ?) "
                "ON CONFLICT (jurisdiction_id) DO UPDATE SET declaration = excluded.declaration",
                (jurisdiction.jurisdiction_id, position, declaration),
            )
        self._workflows[jurisdiction.jurisdiction_id] = jurisdiction.workflow

    def jurisdictions(self) -> list[Jurisdiction]:
        """Every jurisdiction, in the order added."""
        with self._connection() as connection:
            rows = connection.execute("SELECT declaration FROM jurisdictions ORDER BY position").fetchall()
        found = [Jurisdiction.from_dict(json.loads(row[0])) for row in rows]
        self._workflows.update((jurisdiction.jurisdiction_id, jurisdiction.workflow) for jurisdiction in found)
        return found

    def _workflow(self, jurisdiction_id: str) -> Workflow:
        workflow = self._workflows.get(jurisdiction_id)
        if workflow is None:
            self.jurisdictions()
            workflow = self._workflows[jurisdiction_id]
        return workflow

    # --- api keys -----------------------------------------------------------------------------
    def add_api_key(self, key: str, *, label: str | None = None) -> None:
        """Accept ``key`` for POSTs from now on (stored hashed; adding it again changes nothing).

        Raises:
            ValidationError: the key is shorter than 8 characters.
        """
        if len(key) < 8:  # noqa: PLR2004 - a floor, not a policy
            raise ValidationError("api_key", f"{len(key)} characters", "at least 8 characters")
        with self._write() as connection:
            connection.execute(
                "INSERT OR IGNORE INTO api_keys VALUES (?, ?, ?)",
                (hash_api_key(key), label, datetime.now(UTC).isoformat(timespec="seconds")),
            )

    def create_api_key(self, *, label: str | None = None) -> str:
        """A new random key (256 bits, URL-safe), accepted from now on; it is not kept, only its hash."""
        key = secrets.token_urlsafe(32)
        self.add_api_key(key, label=label)
        return key

    def has_api_key(self, key: str | None) -> bool:
        """Whether ``key`` is accepted."""
        if not key:
            return False
        with self._connection() as connection:
            row = connection.execute("SELECT 1 FROM api_keys WHERE key_hash = ?", (hash_api_key(key),)).fetchone()
        return row is not None

    def revoke_api_key(self, key: str) -> bool:
        """Stop accepting ``key``; whether it was accepted."""
        with self._write() as connection:
            cursor = connection.execute("DELETE FROM api_keys WHERE key_hash = ?", (hash_api_key(key),))
        return cursor.rowcount > 0

    # --- requests -----------------------------------------------------------------------------
    def add_request(self, new: NewRequest) -> StoredCase:
        """Store a new request; returns it with the id (and token) it was given.

        The id is SQLite's row id, unique for the file's life (``AUTOINCREMENT``
        never reuses one). The request must carry ``requested_datetime`` and no id.
        """
        request = new.request
        requested = request.requested_datetime
        if requested is None or request.service_request_id is not None or request.service_code is None:
            raise StoreError("a new request has a requested_datetime and a service_code, and no id yet")
        workflow = self._workflow(new.jurisdiction_id)
        initial = workflow.state(workflow.initial).status
        submission = build_form(new.submission).decode("ascii")
        with self._write() as connection:
            cursor = connection.execute(
                "INSERT INTO requests (jurisdiction_id, service_code, status, requested_at, lat, long, record, submission) "
                "VALUES (?, ?, ?, ?, ?, ?, '', ?)",
                (
                    new.jurisdiction_id,
                    request.service_code,
                    initial.value,
                    _epoch(requested),
                    request.lat,
                    request.long,
                    submission,
                ),
            )
            identifier = str(cursor.lastrowid)
            case = Case(attrs.evolve(request, service_request_id=identifier), new.channel, workflow=workflow)
            connection.execute("UPDATE requests SET record = ? WHERE id = ?", (to_json(case), cursor.lastrowid))
            token = None
            if new.with_token:
                token = secrets.token_urlsafe(12)
                connection.execute("INSERT INTO tokens VALUES (?, ?)", (token, cursor.lastrowid))
        return StoredCase(identifier, new.jurisdiction_id, case, token)

    def get(self, service_request_id: str) -> StoredCase | None:
        """The stored request with this id, with its whole history; None when there is none."""
        key = _row_id(service_request_id)
        if key is None:
            return None
        with self._read() as connection:
            found = self._load(connection, [key])
        return found[0] if found else None

    def get_many(self, service_request_ids: Sequence[str]) -> list[StoredCase]:
        """The stored requests with these ids (unknown ones left out), in the order asked."""
        keys = [key for key in map(_row_id, service_request_ids) if key is not None]
        with self._read() as connection:
            return self._load(connection, keys)

    def _load(self, connection: sqlite3.Connection, keys: Sequence[int]) -> list[StoredCase]:
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = connection.execute(
            f"SELECT r.id, r.jurisdiction_id, r.record, t.token FROM requests r "  # noqa: S608 - only '?' marks
            f"LEFT JOIN tokens t ON t.request_id = r.id WHERE r.id IN ({marks})",
            keys,
        ).fetchall()
        events: dict[int, list[str]] = {}
        for request_id, event in connection.execute(
            f"SELECT request_id, event FROM events WHERE request_id IN ({marks}) ORDER BY request_id, seq",  # noqa: S608
            keys,
        ):
            events.setdefault(request_id, []).append(event)
        by_key: dict[int, StoredCase] = {}
        for key, jurisdiction_id, record, token in rows:
            case = from_json(record, Case, workflow=self._workflow(jurisdiction_id))
            history = [from_json(text, Event) for text in events.get(key, ())]
            by_key[key] = StoredCase(str(key), jurisdiction_id, case.apply_many(history), token)
        return [by_key[key] for key in dict.fromkeys(keys) if key in by_key]

    def change(self, service_request_id: str, change: Callable[[Case], Case]) -> StoredCase | None:
        """Apply ``change`` to the stored case in one transaction; None when there is no such request.

        ``change`` gets the case and returns it with one or more events
        appended (``case.acknowledge(...)``...); the new events are stored and
        the projection updated, or nothing is when ``change`` raises (a
        ``TransitionError`` passes through).
        """
        key = _row_id(service_request_id)
        if key is None:
            return None
        with self._write() as connection:
            found = self._load(connection, [key])
            if not found:
                return None
            before = found[0].case
            after = change(before)
            added = after.events[len(before.events) :]
            if after.events[: len(before.events)] != before.events:
                raise StoreError("a change may only append events to the case's history")
            connection.executemany(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?)",
                [
                    (key, len(before.events) + index, _epoch(event.at), event.kind.value, to_json(event))
                    for index, event in enumerate(added)
                ],
            )
            updated = after.updated_datetime
            connection.execute(
                "UPDATE requests SET status = ?, updated_at = ? WHERE id = ?",
                (after.status.value, _epoch(updated) if updated else None, key),
            )
        return attrs.evolve(found[0], case=after)

    def token(self, token: str) -> str | None:
        """The ``service_request_id`` a token stands for; None for an unknown token."""
        with self._connection() as connection:
            row = connection.execute("SELECT request_id FROM tokens WHERE token = ?", (token,)).fetchone()
        return None if row is None else str(row[0])

    def select(self, jurisdiction_id: str, query: RequestsQuery, *, now: datetime) -> list[StoredCase]:
        """The stored requests a ``GET requests`` query may answer with: a superset of its page, newest first.

        Every filter runs in SQL, and at most ``page * limit`` rows come
        back; ``query.select`` then picks the exact page from the published
        records (so the rules stay those of ``georeport.wire.params``).
        """
        if query.service_request_id:
            return [
                found for found in self.get_many(query.service_request_id) if found.jurisdiction_id == jurisdiction_id
            ]
        window = query.window(now=now)
        assert window is not None  # noqa: S101 - no ids, so a window
        clauses = ["jurisdiction_id = ?", "requested_at >= ?", "requested_at <= ?"]
        values: list[object] = [jurisdiction_id, _epoch(window[0]), _epoch(window[1])]
        if query.service_code:
            clauses.append(f"service_code IN ({','.join('?' * len(query.service_code))})")
            values.extend(query.service_code)
        if query.status:
            clauses.append(f"status IN ({','.join('?' * len(query.status))})")
            values.extend(status.value for status in query.status)
        if query.updated_after is not None:
            clauses.append("updated_at >= ?")
            values.append(_epoch(query.updated_after))
        if query.updated_before is not None:
            clauses.append("updated_at <= ?")
            values.append(_epoch(query.updated_before))
        if query.bbox is not None:
            clauses.append("lat BETWEEN ? AND ? AND long BETWEEN ? AND ?")
            values.extend((query.bbox.min_lat, query.bbox.max_lat, query.bbox.min_long, query.bbox.max_long))
        limit = (query.limit or 1000) * max(query.page or 1, 1)
        sql = f"SELECT id FROM requests WHERE {' AND '.join(clauses)} ORDER BY requested_at DESC, id DESC LIMIT ?"  # noqa: S608 - only '?' marks
        with self._read() as connection:
            keys = [row[0] for row in connection.execute(sql, [*values, limit])]
            return self._load(connection, keys)

    def count(self, jurisdiction_id: str | None = None) -> int:
        """How many requests are stored (in one jurisdiction, or in all)."""
        with self._connection() as connection:
            if jurisdiction_id is None:
                row = connection.execute("SELECT count(*) FROM requests").fetchone()
            else:
                row = connection.execute(
                    "SELECT count(*) FROM requests WHERE jurisdiction_id = ?", (jurisdiction_id,)
                ).fetchone()
        total: int = row[0]
        return total

    def statuses(self) -> dict[Status, int]:
        """How many stored requests are open and closed."""
        with self._connection() as connection:
            rows = connection.execute("SELECT status, count(*) FROM requests GROUP BY status").fetchall()
        return {Status(status): count for status, count in rows}


def _row_id(service_request_id: str) -> int | None:
    """The row id an id names, or None when it cannot be one of ours (only canonical decimal ids)."""
    if not service_request_id.isascii() or not service_request_id.isdigit() or service_request_id.startswith("0"):
        return None
    value = int(service_request_id)
    return value if value < 2**63 else None
