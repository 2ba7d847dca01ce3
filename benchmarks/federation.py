"""Client and federation: fan-out concurrency, federated ids, harvest overhead.

    python -m benchmarks.federation [--n 20000] [--repeat 5] [--upstreams 8] [--latency 0.05]

* **Fan-out.** ``--upstreams`` real HTTP servers on loopback, each answering
  ``GET requests`` with 100 records after ``--latency`` seconds (a stand-in for
  a city's server across the internet). ``FrontDoor.requests()`` (concurrent,
  translated, merged) beside a loop of ``Client.requests()`` over the same
  upstreams, one after another (the baseline). Target: at least 4x with 8
  upstreams (the concurrency pays; translation and merging do not eat it).
* **Federated ids.** ``IdCodec.encode`` + ``decode`` of ``--n`` ids (BLAKE2b
  check, canonical base32) beside the plainest reversible encoding,
  ``base64.urlsafe_b64encode`` of ``upstream\\0id`` and back (no check at all).
  No target: the ratio shows what the check, the canonical-form test and
  the validation cost per id (an id is made per record a fan-out returns).
* **Harvest.** The sans-IO harvest of ``--n`` requests over 30 days from an
  in-process server capped at 1,000 per answer (adaptive windows, boundary
  filtering) beside parsing the same records as one JSON document (the floor:
  the harvest reads every window's JSON). Target: at least 0.3x.
"""

from __future__ import annotations

import base64
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import numpy as np

import georeport
from benchmarks._harness import Table, best_of, machine, parser
from georeport import ServiceRequest, ServiceRequestList, Status
from georeport.client import NO_RETRY, Batch, Calls, Client, EndpointDialect, HttpRequest, HttpResponse, UrllibTransport
from georeport.client import harvest as harvest_exchange
from georeport.federation import Crosswalk, FrontDoor, IdCodec, Registry

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def records(n: int, seed: int, *, prefix: str = "") -> list[ServiceRequest]:
    rng = np.random.default_rng(seed)
    seconds = np.sort(rng.integers(0, 30 * 86400, n))
    return [
        ServiceRequest(
            f"{prefix}{i}", Status.OPEN, service_code="PK-101", requested_datetime=EPOCH + timedelta(seconds=int(s))
        )
        for i, s in enumerate(seconds)
    ]


# --- fan-out ------------------------------------------------------------------------------------
@contextmanager
def upstream(body: bytes, latency: float) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            time.sleep(latency)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v2"
    finally:
        server.shutdown()
        server.server_close()


class _Nowhere:
    def route(self, lat: float, long: float, service_code: str) -> object:
        raise NotImplementedError

    def route_service(self, service_code: str) -> object:
        raise NotImplementedError


def fan_out(upstreams: int, latency: float, repeat: int, warmup: int) -> Table:
    body = georeport.dump(ServiceRequestList(records(100, 1)), "json")
    table = Table(f"Fan-out: GET requests over {upstreams} loopback upstreams, {latency * 1000:g} ms each")
    with ExitStack() as stack:
        urls = [stack.enter_context(upstream(body, latency)) for _ in range(upstreams)]
        registry = Registry.from_mapping(
            {"upstreams": [{"id": f"u{i}", "base_url": url} for i, url in enumerate(urls)]}
        )
        crosswalk = Crosswalk.from_mapping(
            {"services": {"pothole": "Pothole"}, "codes": {f"u{i}": {"PK-101": "pothole"} for i in range(upstreams)}}
        )
        transport = UrllibTransport(retry=NO_RETRY, proxies={})
        door = stack.enter_context(
            FrontDoor(registry, crosswalk, _Nowhere(), transport=transport, max_workers=upstreams)
        )  # type: ignore[arg-type]
        clients = [Client(url, transport=transport) for url in urls]

        def sequential() -> list[ServiceRequest]:
            merged: list[ServiceRequest] = []
            for client in clients:
                merged.extend(client.requests())
            return merged

        def concurrent() -> object:
            answer = door.requests()
            assert answer.complete
            return answer

        total = 100 * upstreams
        base = "Client.requests() per upstream, one after another"
        table.add(base, best_of(sequential, repeat=repeat, warmup=warmup).best, records=total)
        table.add(
            "FrontDoor.requests() (concurrent, translated, merged)",
            best_of(concurrent, repeat=repeat, warmup=warmup).best,
            records=total,
            vs=base,
            target=4.0 if upstreams >= 8 else None,
        )
    return table


# --- ids ----------------------------------------------------------------------------------------
def ids(n: int, repeat: int, warmup: int) -> Table:
    pairs = [(f"city-{i % 40}", str(4_100_000 + i)) for i in range(n)]
    codec = IdCodec(b"benchmark secret")
    table = Table(f"Federated ids: encode and decode {n:,}")

    def plain() -> None:
        for upstream_id, local in pairs:
            text = base64.urlsafe_b64encode(f"{upstream_id}\0{local}".encode()).decode()
            base64.urlsafe_b64decode(text).decode().split("\0", 1)

    def ours() -> None:
        for upstream_id, local in pairs:
            codec.decode(codec.encode(upstream_id, local))

    base = "base64 of upstream\\0id and back (no check)"
    table.add(base, best_of(plain, repeat=repeat, warmup=warmup).best, records=n)
    table.add(
        "IdCodec encode + decode (BLAKE2b check)", best_of(ours, repeat=repeat, warmup=warmup).best, records=n, vs=base
    )
    return table


# --- harvest ------------------------------------------------------------------------------------
def harvest(n: int, seed: int, repeat: int, warmup: int) -> Table:
    store = records(n, seed)
    stamps = np.array([r.requested_datetime.timestamp() for r in store])  # type: ignore[union-attr]
    everything = georeport.dump(ServiceRequestList(store), "json")
    limit = 1000

    def answer(request: HttpRequest) -> HttpResponse:
        query = dict(parse_qsl(urlsplit(request.url).query))
        low = datetime.fromisoformat(query["start_date"]).timestamp()
        high = datetime.fromisoformat(query["end_date"]).timestamp()
        first, last = np.searchsorted(stamps, [low, high], side="left")[0], np.searchsorted(stamps, high, side="right")
        chosen = store[first:last][::-1][:limit]
        return HttpResponse(200, body=georeport.dump(ServiceRequestList(chosen), "json"))

    bodies: dict[str, HttpResponse] = {}

    def cached(request: HttpRequest) -> HttpResponse:
        if request.url not in bodies:
            bodies[request.url] = answer(request)
        return bodies[request.url]

    def run() -> int:
        exchange = harvest_exchange(
            Calls("https://x.gov/v2", dialect=EndpointDialect(requests_limit=limit)), EPOCH, EPOCH + timedelta(days=30)
        )
        got, reply = 0, None
        try:
            while True:
                event = exchange.send(reply)
                if isinstance(event, HttpRequest):
                    reply = cached(event)
                else:
                    assert isinstance(event, Batch)
                    got += len(event.records)
                    reply = None
        except StopIteration:
            pass
        assert got == n, (got, n)
        return got

    run()  # fills the answers: the server's time is not the client's
    table = Table(f"Harvest: {n:,} requests over 30 days, {limit:,} per answer (in process)")
    base = "georeport.load of all records as one JSON document"
    table.add(
        base, best_of(lambda: georeport.load(everything, kind="requests"), repeat=repeat, warmup=warmup).best, records=n
    )
    table.add(
        f"harvest() in adaptive windows ({len(bodies)} answers)",
        best_of(run, repeat=repeat, warmup=warmup).best,
        records=n,
        vs=base,
        target=0.3,
    )
    return table


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.splitlines()[0], n=20_000)
    cli.add_argument("--upstreams", type=int, default=8, help="fan-out: loopback upstreams (default 8)")
    cli.add_argument("--latency", type=float, default=0.05, help="fan-out: seconds each upstream waits (default 0.05)")
    args = cli.parse_args(argv)
    print(machine())
    for table in (
        fan_out(args.upstreams, args.latency, args.repeat, args.warmup),
        ids(args.n, args.repeat, args.warmup),
        harvest(args.n, args.seed, args.repeat, args.warmup),
    ):
        table.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
