"""``georeport serve``: run the reference GeoReport v2 server, or the federated front door.

    georeport serve [--db PATH] [--host HOST] [--port PORT] [--base-path PATH] [--jurisdiction ID ...]
                    [--api-key KEY | --create-key] [--federate CONFIG] [--sync full|normal]

The first line written is ``serving on URL`` (with the port the system chose
for ``--port 0``); ``--create-key`` writes ``api key: KEY`` before it. The
server stops on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType
from typing import TextIO

from georeport.cli._base import Subcommands

__all__ = ["add_parser", "run"]

DEFAULT_DB = "georeport-server.sqlite3"


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(arguments: argparse.Namespace, out: TextIO) -> int:
    """Open (or create) the database, register the key, and serve until stopped."""
    from georeport.errors import GeoReportError, ValidationError  # noqa: PLC0415 - keep --help fast
    from georeport.server import StoreError, demo_jurisdictions, open_store, reference_app, serve  # noqa: PLC0415

    try:
        seed = demo_jurisdictions(arguments.jurisdiction) if arguments.jurisdiction else None
        store = open_store(arguments.db, jurisdictions=seed, synchronous=arguments.sync)
    except (StoreError, ValidationError) as error:
        sys.stderr.write(f"georeport serve: {error}\n")
        return 1
    with store:
        if arguments.api_key:
            try:
                store.add_api_key(arguments.api_key, label="--api-key")
            except ValidationError as error:
                sys.stderr.write(f"georeport serve: {error}\n")
                return 2
        if arguments.create_key:
            out.write(f"api key: {store.create_api_key(label='--create-key')}\n")
        if arguments.federate:
            from georeport.server.federated import federated_app  # noqa: PLC0415

            try:
                app = federated_app(arguments.federate, api_keys=store.has_api_key, base_path=arguments.base_path)
            except (OSError, GeoReportError) as error:
                sys.stderr.write(f"georeport serve: --federate {arguments.federate}: {error}\n")
                return 1
        else:
            app = reference_app(store, base_path=arguments.base_path)
        signal.signal(signal.SIGTERM, _stop)

        def ready(url: str) -> None:
            out.write(f"serving on {url}{app.base_path}\n")
            out.flush()

        try:
            serve(app, arguments.host, arguments.port, ready=ready)
        except OSError as error:
            sys.stderr.write(f"georeport serve: cannot listen on {arguments.host}:{arguments.port}: {error}\n")
            return 1
    return 0


def add_parser(commands: Subcommands) -> None:
    """Register ``georeport serve``."""
    parser = commands.add_parser(
        "serve",
        help="run the reference GeoReport v2 server (SQLite), or a federated front door",
        description=(
            "Serve every GeoReport v2 method and discovery in XML and JSON from a SQLite database "
            "(created and seeded with the demo jurisdictions on first run), with an update endpoint "
            "for lifecycle events. POSTs need an API key. With --federate CONFIG, answer as the front "
            "door over the GeoReport endpoints the configuration names."
        ),
    )
    parser.add_argument("--db", default=DEFAULT_DB, help=f"the SQLite database file (default {DEFAULT_DB})")
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8311, help="the port (default 8311; 0: any free port)")
    parser.add_argument(
        "--jurisdiction",
        action="append",
        metavar="ID",
        help="seed a new database with only this demo jurisdiction (repeatable; default all of them)",
    )
    parser.add_argument("--base-path", default="", help="the path the endpoint answers under, e.g. /open311/v2")
    keys = parser.add_mutually_exclusive_group()
    keys.add_argument("--api-key", help="accept this API key for POSTs (stored hashed; at least 8 characters)")
    keys.add_argument("--create-key", action="store_true", help="create a random API key, print it once, accept it")
    parser.add_argument("--federate", metavar="CONFIG", help="be the front door over the endpoints this file names")
    parser.add_argument(
        "--sync",
        choices=("full", "normal"),
        default="full",
        help="SQLite synchronous mode: full survives power loss, normal only a killed process (default full)",
    )
    parser.set_defaults(run=run)
