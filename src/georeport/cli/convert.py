"""``georeport convert IN OUT``: a dump from one format to another, streamed."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path
from typing import IO, TYPE_CHECKING, TextIO

from georeport.cli._base import Subcommands, output_file
from georeport.cli._progress import add_progress_option
from georeport.wire.columns import MAPPINGS
from georeport.wire.dumps import DUMP_FORMATS, WRITE_FORMATS

if TYPE_CHECKING:
    from georeport.wire.columns import ColumnMapping

__all__ = ["add_parser", "convert"]


_EPILOG = """\
formats (told from the file names when --from/--to are not given):
  xml         GeoReport v2 XML (.xml)
  json        GeoReport v2 JSON: an array, pages appended, a wrapper (.json)
  jsonl       JSON Lines, one request a line (.jsonl, .ndjson)
  bulk-csv    GeoReport Bulk CSV (.csv)
  bulk-json   GeoReport Bulk JSON (.bulk.json)
  bulk-xml    GeoReport Bulk XML (.bulk.xml)
  geojson     a GeoJSON FeatureCollection (.geojson)
  csv         a city's CSV export, read through --mapping (read only)

Compressed input (.gz, .zip) is read directly; an OUT ending in .gz is
written compressed. IN or OUT may be - for standard input or output.

examples:
  georeport convert harvest.json.gz harvest.geojson
  georeport convert 311_Service_Requests.csv nyc.bulk.json --mapping nyc
  georeport convert pages.json latest.csv --dedupe
"""


def _mapping(name: str | None) -> ColumnMapping | None:
    if name is None:
        return None
    return MAPPINGS[name]


def _error(message: str) -> None:
    sys.stderr.write(message + "\n")


def _open_input(path: str) -> tuple[IO[bytes], int | None]:
    if path == "-":
        return sys.stdin.buffer, None
    handle = Path(path).open("rb")  # noqa: SIM115 - closed by the caller
    return handle, os.fstat(handle.fileno()).st_size


def convert(arguments: argparse.Namespace, out: TextIO) -> int:
    """Run ``georeport convert``; 0 when done, 1 when the input cannot be read."""
    from georeport.cli._progress import Progress  # noqa: PLC0415
    from georeport.errors import GeoReportError  # noqa: PLC0415 - imported when run
    from georeport.wire.dumps import Deduplicator, dump_format, iter_dump, write_dump  # noqa: PLC0415

    mapping = _mapping(arguments.mapping)
    source = arguments.input
    read_format = arguments.source_format or (
        None if source == "-" else dump_format(source, mapping=mapping is not None)
    )
    write_format = arguments.target_format or (None if arguments.output == "-" else dump_format(arguments.output))
    if write_format is None:
        _error(f"georeport convert: cannot tell the output format of {arguments.output!r}; give --to")
        return 2
    if write_format not in WRITE_FORMATS:
        _error(
            f"georeport convert: cannot write {write_format!r} (a city CSV is read only; write bulk-csv)",
        )
        return 2
    report = sys.stderr if arguments.output == "-" else out
    try:
        handle, size = _open_input(source)
    except OSError as error:
        _error(f"georeport convert: cannot read {source}: {error.strerror or error}")
        return 1
    try:
        with (
            Progress("convert", total=size, unit="bytes", force=arguments.progress) as bar,
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            reader = iter_dump(
                bar.reading(handle),
                format=read_format,
                mapping=mapping,
                strict=arguments.strict,
                default_timezone=arguments.default_timezone,
                member=arguments.member,
            )
            with reader, output_file(arguments.output, gzip_suffix=True) as sink:
                if arguments.dedupe:
                    keeper = Deduplicator()
                    keeper.add_many(reader)
                    written = write_dump(keeper.records(), sink, format=write_format)
                else:
                    written = write_dump(reader, sink, format=write_format)
    except GeoReportError as error:
        _error(f"georeport convert: {source}: {error}")
        return 1
    except OSError as error:
        _error(f"georeport convert: {error}")
        return 1
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()
    report.write(f"{written:,} requests: {source} ({reader.format}) -> {arguments.output} ({write_format})\n")
    if arguments.dedupe:
        counts = keeper.counts
        report.write(
            f"de-duplicated: read {counts.read:,}, kept {counts.kept:,} "
            f"({counts.duplicates:,} duplicates dropped, {counts.replaced:,} replaced by a later update, "
            f"{counts.without_id:,} without an id)\n"
        )
    for warning in reader.warnings:
        report.write(f"repaired: {warning}\n")
    return 0


def add_parser(commands: Subcommands) -> None:
    """Register ``georeport convert``."""
    parser = commands.add_parser(
        "convert",
        help="convert a dump between GeoReport XML/JSON, JSON Lines, the Bulk format, city CSV and GeoJSON",
        description=(
            "Read service requests from IN and write them to OUT in another format, one batch at a time, "
            "so files of any size convert in constant memory (except with --dedupe)."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", metavar="IN", help="the dump to read (- for standard input)")
    parser.add_argument("output", metavar="OUT", help="the file to write (- for standard output)")
    parser.add_argument("--from", dest="source_format", choices=DUMP_FORMATS, help="the input format")
    parser.add_argument("--to", dest="target_format", choices=WRITE_FORMATS, help="the output format")
    parser.add_argument(
        "--mapping", choices=tuple(MAPPINGS), help="read a city's CSV export through its shipped column mapping"
    )
    parser.add_argument("--member", help="the file to read inside a zip archive holding several")
    parser.add_argument(
        "--dedupe",
        action="store_true",
        help="keep one record per request id, the latest updated_datetime winning (holds one record per id)",
    )
    parser.add_argument("--strict", action="store_true", help="refuse anything the format forbids")
    parser.add_argument(
        "--default-timezone", metavar="ZONE", help="IANA zone of datetimes sent without one (default UTC)"
    )
    add_progress_option(parser)
    parser.set_defaults(run=convert)
