"""The ``georeport`` command line (the top layer, the edges: files are read and written here).

Each subcommand is a module of this package, named for it, that defines
``add_parser(commands)``; the parser it registers sets ``run`` to a function
``(arguments, out) -> exit status``. ``main`` finds the modules itself, so
adding a subcommand is adding a module. Modules import heavy or optional
dependencies inside ``run``, so ``georeport --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import georeport

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, every subcommand module registered in name order."""
    parser = argparse.ArgumentParser(
        prog="georeport",
        description="Open311 GeoReport v2: read, check, convert, route and measure service requests.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {georeport.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda found: found.name):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}").add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    run = getattr(arguments, "run", None)
    if run is None:
        parser.print_help()
        return 2
    status: int = run(arguments, sys.stdout)
    return status
