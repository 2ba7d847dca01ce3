"""The reference server under load: concurrent clients, no lost or corrupted request, SIGKILL survived.

    python -m benchmarks.server_load [--clients 8] [--per-client 500] [--skip-kill]

Each client thread does ``--per-client`` rounds of ``POST requests.json``
(a unique description and address_id) then ``GET requests/{id}.json``,
against one ``georeport serve`` subprocess (threaded ``wsgiref``, SQLite in
WAL mode, one connection per thread). Every GET must return exactly what was
POSTed; afterwards every acknowledged id is read back in batches and the
database is counted: no request lost, duplicated or corrupted, ids unique.

Runs, side by side in one invocation:

* ``floor``: the same clients against a WSGI app on the same threaded
  ``wsgiref`` server that answers a fixed receipt and a fixed request (no
  parsing, no database): the HTTP stack's limit on this machine;
* ``server, sync=full``: the reference server as shipped (every commit
  fsynced: survives power loss);
* ``server, sync=normal``: WAL without the fsync per commit (survives a
  killed process, not power loss);
* ``server, sync=full, SIGKILL``: the server is killed (SIGKILL) when half
  the rounds are acknowledged and restarted on the same port and file; the
  clients retry through the outage. Every acknowledged request must be there
  afterwards; a POST whose answer was lost with the server is "in doubt" (it
  may or may not have been stored, and was retried).

Rates are round trips (a POST or a GET) per second, over the wall time of
the run; latencies are per call, in milliseconds. Nothing is asserted about
speed; a lost, duplicated or corrupted request makes the script exit 1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks._harness import Table, machine

JURISDICTION = "elk-falls"
_FLOOR = """
import sys
from georeport.server import serve
RECEIPT = b'[{"service_request_id":"1"}]'
def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)
    body = RECEIPT
    start_response("200 OK", [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
serve(app, "127.0.0.1", int(sys.argv[1]), ready=lambda url: print("serving on", url, flush=True))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """A server subprocess on a fixed port: ``georeport serve``, or the floor app."""

    def __init__(self, db: Path | None, port: int, *, sync: str = "full", api_key: str = "load-test-key-0001") -> None:
        if db is None:
            command = [sys.executable, "-c", _FLOOR, str(port)]
        else:
            command = [sys.executable, "-m", "georeport", "serve", "--db", str(db), "--port", str(port)]
            command += ["--jurisdiction", JURISDICTION, "--api-key", api_key, "--sync", sync]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("serving on"):
                return
        msg = f"the server did not start: {command}"
        raise RuntimeError(msg)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


@dataclass
class Outcome:
    """What the clients saw."""

    post_ms: list[float] = field(default_factory=list)
    get_ms: list[float] = field(default_factory=list)
    acknowledged: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (description, address_id)
    in_doubt: int = 0
    retries: int = 0
    corrupted: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _call(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        reply = connection.getresponse()
        return reply.status, reply.read()
    finally:
        connection.close()


def client(number: int, rounds: int, port: int, outcome: Outcome, *, floor: bool, deadline: float) -> None:
    for index in range(rounds):
        description = f"client {number} round {index}: swing chain broken"
        address_id = f"C{number}-R{index}"
        form = {
            "api_key": "load-test-key-0001",
            "jurisdiction_id": JURISDICTION,
            "service_code": "PK-101",
            "lat": "45.0",
            "long": "-120.0",
            "address_id": address_id,
            "attribute[EQUIPTYPE]": "201",
            "description": description,
        }
        body = urllib.parse.urlencode(form).encode()
        while True:  # POST until acknowledged; a lost answer leaves the request in doubt
            started = time.perf_counter()
            try:
                status, answer = _call(port, "POST", "/requests.json", body)
                identifier = str(json.loads(answer)[0]["service_request_id"]) if status == 200 else ""
            except (ConnectionError, http.client.HTTPException, OSError, ValueError):  # ValueError: a cut-off body
                with outcome.lock:
                    outcome.retries += 1
                    outcome.in_doubt += 1
                if time.monotonic() > deadline:
                    return
                time.sleep(0.05)
                continue
            if status != 200:
                msg = f"POST answered {status}: {answer[:200]!r}"
                raise RuntimeError(msg)
            elapsed = time.perf_counter() - started
            break
        with outcome.lock:
            outcome.post_ms.append(elapsed * 1000)
            if not floor:
                if identifier in outcome.acknowledged:
                    outcome.duplicated.append(identifier)
                outcome.acknowledged[identifier] = (description, address_id)
        while True:
            started = time.perf_counter()
            try:
                status, answer = _call(port, "GET", f"/requests/{identifier}.json")
                record = json.loads(answer)[0] if not floor else {}
            except (ConnectionError, http.client.HTTPException, OSError, ValueError):
                with outcome.lock:
                    outcome.retries += 1
                if time.monotonic() > deadline:
                    return
                time.sleep(0.05)
                continue
            elapsed = time.perf_counter() - started
            break
        with outcome.lock:
            outcome.get_ms.append(elapsed * 1000)
        if not floor and (status, record["description"], record["address_id"]) != (200, description, address_id):
            with outcome.lock:
                outcome.corrupted.append(identifier)


def check_stored(port: int, outcome: Outcome) -> list[str]:
    """Read every acknowledged id back in batches; the problems found (empty when none)."""
    problems: list[str] = []
    ids = sorted(outcome.acknowledged, key=int)
    for start in range(0, len(ids), 200):
        batch = ids[start : start + 200]
        query = urllib.parse.urlencode({"service_request_id": ",".join(batch), "jurisdiction_id": JURISDICTION})
        status, answer = _call(port, "GET", f"/requests.json?{query}")
        found = {record["service_request_id"]: record for record in json.loads(answer)} if status == 200 else {}
        for identifier in batch:
            record = found.get(identifier)
            if record is None:
                problems.append(f"lost: {identifier}")
            elif (record["description"], record["address_id"]) != outcome.acknowledged[identifier]:
                problems.append(f"corrupted: {identifier}")
    return problems


def count_rows(db: Path) -> tuple[int, int]:
    """Rows, and distinct submissions (a client's description is unique), in the database, read directly."""
    import sqlite3

    connection = sqlite3.connect(db)
    try:
        rows = connection.execute("SELECT count(*), count(DISTINCT submission) FROM requests").fetchone()
    finally:
        connection.close()
    return rows[0], rows[1]


def percentiles(values: list[float]) -> str:
    if not values:
        return "n/a"
    ordered = sorted(values)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return f"p50 {cut[49]:.1f}, p90 {cut[89]:.1f}, p99 {cut[98]:.1f}, max {ordered[-1]:.1f}"


def run_case(
    name: str, *, clients: int, rounds: int, directory: Path, sync: str | None, kill: bool = False
) -> tuple[float, Outcome, list[str]]:
    port = free_port()
    db = None if sync is None else directory / f"{name.replace(' ', '_').replace(',', '').replace('=', '-')}.sqlite3"
    server = Server(db, port, sync=sync or "full")
    outcome = Outcome()
    deadline = time.monotonic() + 600
    threads = [
        threading.Thread(
            target=client, args=(number, rounds, port, outcome), kwargs={"floor": db is None, "deadline": deadline}
        )
        for number in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    problems: list[str] = []
    if kill:
        half = clients * rounds // 2
        while len(outcome.post_ms) < half and any(thread.is_alive() for thread in threads):
            time.sleep(0.01)
        server.kill()
        problems.append(f"killed after {len(outcome.post_ms)} acknowledged POSTs")
        server = Server(db, port, sync=sync or "full")
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    try:
        if db is not None:
            problems += check_stored(port, outcome)
    finally:
        server.stop()
    if db is not None:
        rows, distinct = count_rows(db)
        acknowledged = len(outcome.acknowledged)
        if rows - distinct > outcome.in_doubt:
            problems.append(f"stored twice: {rows} rows hold {distinct} distinct submissions")
        if not acknowledged <= rows <= acknowledged + outcome.in_doubt:
            problems.append(f"stored {rows} rows for {acknowledged} acknowledged and {outcome.in_doubt} in doubt")
        problems += [f"corrupted on GET: {identifier}" for identifier in outcome.corrupted]
        problems += [f"id given twice: {identifier}" for identifier in outcome.duplicated]
        problems.append(f"{rows} rows stored for {acknowledged} acknowledged ({outcome.in_doubt} in doubt)")
    return seconds, outcome, problems


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    cli.add_argument("--per-client", type=int, default=500, help="POST+GET rounds per client (default 500)")
    cli.add_argument("--skip-kill", action="store_true", help="leave out the SIGKILL run")
    args = cli.parse_args(argv)
    print(f"georeport server load, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(machine())
    print(f"{args.clients} clients x {args.per_client} rounds of POST + GET, one server process", flush=True)
    cases: list[tuple[str, str | None, bool]] = [
        ("floor (wsgiref, fixed answers)", None, False),
        ("server, sync=full", "full", False),
        ("server, sync=normal", "normal", False),
    ]
    if not args.skip_kill:
        cases.append(("server, sync=full, SIGKILL mid-run", "full", True))
    table = Table("Reference server: round trips per second (8 threads of POST then GET)")
    latencies: list[str] = []
    failures = 0
    with tempfile.TemporaryDirectory(prefix="georeport-load-") as directory:
        for name, sync, kill in cases:
            seconds, outcome, notes = run_case(
                name, clients=args.clients, rounds=args.per_client, directory=Path(directory), sync=sync, kill=kill
            )
            calls = len(outcome.post_ms) + len(outcome.get_ms)
            bad = [note for note in notes if note.startswith(("lost", "corrupted", "stored ", "id given"))]
            failures += len(bad)
            verdict = "no loss" if sync is not None and not bad else ("PROBLEMS" if bad else "")
            table.add(
                name,
                seconds,
                records=calls,
                vs=None if sync is None else "floor (wsgiref, fixed answers)",
                note="; ".join(filter(None, [verdict, *[n for n in notes if not n.startswith(("lost", "corrupted"))]])),
            )
            latencies.append(
                f"| {name} | {percentiles(outcome.post_ms)} | {percentiles(outcome.get_ms)} | {outcome.retries} |"
            )
            for note in bad[:20]:
                print("  ", note)
            print(f"{name}: {calls} calls in {seconds:.1f} s", flush=True)
    table.print()
    print("### Latency per call (ms)\n")
    print("| case | POST | GET | retries (outage) |")
    print("|---|---|---|---|")
    for line in latencies:
        print(line)
    print()
    print("no request lost, duplicated or corrupted" if not failures else f"{failures} PROBLEM(S): see above")
    return 1 if failures else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main(sys.argv[1:]))
