"""``georeport validate FILE...``: a conformance report, every strict-mode problem with its place."""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path
from typing import Any, TextIO

from georeport.cli._base import Subcommands
from georeport.cli._progress import Progress, add_progress_option
from georeport.wire.columns import MAPPINGS
from georeport.wire.dumps import DUMP_FORMATS

__all__ = ["add_parser", "validate", "validate_file"]

_WHOLE_LIMIT = 32 << 20
"""XML/JSON files up to this size are read whole (any document kind); larger ones are streamed."""

_EPILOG = """\
Each file is read in strict mode: everything the standard (or the Bulk
format) forbids is a problem, reported with its line and record path, and
reading goes on to find them all (up to 200 a file). A file that cannot be
parsed at all stops at the first error. XML and JSON may be any GeoReport
document (services, a service definition, requests, errors, discovery);
the other formats hold requests.

exit status: 0 when every file conforms, 1 when any has a problem, 2 on
usage errors.

examples:
  georeport validate requests.xml services.json
  georeport validate louisville.csv --from bulk-csv --json
"""


def _problem(error: Any) -> dict[str, Any]:
    return {"line": error.line, "path": error.path, "message": getattr(error, "reason", str(error))}


def validate_file(
    path: str,
    *,
    format: str | None = None,  # noqa: A002 - the option's name
    mapping: str | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Check one file; returns ``{file, format, kind, records, problems, problem_count}``.

    ``progress`` advances by the bytes read (streamed files) or the file's size (others).
    """
    from georeport.errors import InvalidDocumentError, ParseError  # noqa: PLC0415 - imported when run
    from georeport.models import RecordList  # noqa: PLC0415
    from georeport.wire import load  # noqa: PLC0415
    from georeport.wire.dumps import dump_format, iter_dump  # noqa: PLC0415

    chosen = format or dump_format(path, mapping=mapping is not None)
    result: dict[str, Any] = {"file": path, "format": chosen, "kind": "requests", "records": 0, "problems": []}
    try:
        size = Path(path).stat().st_size
        plain = chosen in ("xml", "json", None) and size <= _WHOLE_LIMIT and not path.lower().endswith((".gz", ".zip"))
        if plain:
            document = load(Path(path), format=chosen, strict=True)  # type: ignore[arg-type]
            if progress is not None:
                progress.advance(size)
            result["format"] = chosen or "auto"
            result["kind"] = getattr(document, "kind", type(document).__name__)
            result["kind"] = getattr(result["kind"], "value", result["kind"])
            result["records"] = len(document) if isinstance(document, RecordList) else 1
        else:
            with Path(path).open("rb") as handle:
                reader = iter_dump(
                    progress.reading(handle) if progress is not None else handle,
                    format=chosen,  # type: ignore[arg-type]
                    mapping=MAPPINGS[mapping] if mapping else None,
                    strict=True,
                )
                with reader:
                    for _ in reader:
                        pass
            result["format"] = reader.format
            result["records"] = reader.count
    except InvalidDocumentError as group:
        result["problems"] = [_problem(error) for error in group.exceptions]
        result["problem_count"] = _count(group)
        return result
    except ParseError as error:
        result["problems"] = [_problem(error)]
    except (OSError, ValueError) as error:
        result["problems"] = [{"line": None, "path": None, "message": str(error)}]
    result["problem_count"] = len(result["problems"])
    return result


def _count(group: Any) -> int:
    reason = str(getattr(group, "reason", ""))
    if "problems, the first" in reason:
        return int(reason.rsplit("(", 1)[1].split(maxsplit=1)[0])
    return len(group.exceptions)


def _write_text(results: list[dict[str, Any]], out: TextIO) -> None:
    for result in results:
        problems = result["problems"]
        if not problems:
            out.write(f"{result['file']}: ok: {result['records']:,} record(s) ({result['kind']}, {result['format']})\n")
            continue
        total = result["problem_count"]
        out.write(f"{result['file']}: {total} problem(s) ({result['format']})\n")
        for problem in problems:
            where = ", ".join(
                part
                for part in (
                    f"line {problem['line']}" if problem["line"] is not None else "",
                    problem["path"] or "",
                )
                if part
            )
            out.write(f"  {where}: {problem['message']}\n" if where else f"  {problem['message']}\n")
        if total > len(problems):
            out.write(f"  ... and {total - len(problems)} more\n")
    failing = sum(1 for result in results if result["problems"])
    out.write(f"{len(results)} file(s) checked, {failing} with problems\n")


def validate(arguments: argparse.Namespace, out: TextIO) -> int:
    """Run ``georeport validate``; 1 when any file has a problem."""
    results = []
    total = sum(Path(path).stat().st_size for path in arguments.files if Path(path).is_file())
    with Progress("validate", total=total, unit="bytes", force=arguments.progress) as bar:
        for path in arguments.files:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                results.append(
                    validate_file(path, format=arguments.source_format, mapping=arguments.mapping, progress=bar)
                )
    if arguments.json:
        json.dump(results, out, indent=2)
        out.write("\n")
    else:
        _write_text(results, out)
    return 1 if any(result["problems"] for result in results) else 0


def add_parser(commands: Subcommands) -> None:
    """Register ``georeport validate``."""
    parser = commands.add_parser(
        "validate",
        help="check documents and dumps against the standard, listing every problem with its line",
        description="Read each FILE in strict mode and report every departure from GeoReport v2 or the Bulk format.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", metavar="FILE", nargs="+", help="documents or dumps to check")
    parser.add_argument(
        "--from",
        dest="source_format",
        choices=DUMP_FORMATS,
        help="the files' format (default: from each name)",
    )
    parser.add_argument("--mapping", choices=tuple(MAPPINGS), help="check a city's CSV export")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    add_progress_option(parser)
    parser.set_defaults(run=validate)
