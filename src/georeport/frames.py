"""Service requests as Arrow tables and pandas data frames (the ``frames`` extra).

One row per request, one typed column per field: text as strings,
``lat``/``long`` as float64, and every datetime (``requested_datetime``,
``updated_datetime``, ``expected_datetime`` and the Bulk ``closed_datetime``)
as a timestamp with a zone: the same instants whatever offsets the records
carried, shown in ``tz`` (UTC unless you name a zone). The Bulk fields
``status_description``, ``source`` and ``service_subtype`` get columns of
their own; every other extension is kept as JSON text in ``extensions``.

pandas and pyarrow are imported when first needed (``pip install
"open311-georeport[frames]"``). Records are converted a batch at a time, so
``record_batches`` streams a dump of any size into Arrow.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import TYPE_CHECKING, Any, Final

import attrs

from georeport.models import ServiceRequest

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["COLUMNS", "record_batches", "schema", "to_arrow", "to_pandas"]

_FIELDS: Final = tuple(field.name for field in attrs.fields(ServiceRequest) if field.name != "extensions")
_TIMES: Final = ("requested_datetime", "updated_datetime", "expected_datetime")
_FLOATS: Final = ("lat", "long")
_TEXT: Final = tuple(name for name in _FIELDS if name not in _TIMES and name not in _FLOATS)  # string columns
_BULK_TEXT: Final = ("status_description", "source", "service_subtype")
_BULK: Final = frozenset(("closed_datetime", *_BULK_TEXT))

COLUMNS: Final = (*_FIELDS, "closed_datetime", *_BULK_TEXT, "extensions")
"""The columns, in order: ``ServiceRequest``'s fields, the Bulk ones, then ``extensions``."""

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)
_BATCH: Final = 65536


def _extra(module: str, *, extra: str, user: str) -> Any:
    """Import ``module`` (an optional extra's) and return its top-level package.

    Raises:
        ImportError: it is not installed; the message names the extra that installs it.
    """
    package = module.partition(".")[0]
    try:
        importlib.import_module(module)
    except ImportError as error:
        msg = f'{user} needs {package}: pip install "open311-georeport[{extra}]"'
        raise ImportError(msg) from error
    return importlib.import_module(package)


def _pyarrow() -> Any:
    return _extra("pyarrow", extra="frames", user="georeport.frames")


def schema(*, tz: str = "UTC") -> pa.Schema:
    """The Arrow schema of ``to_arrow``'s tables, timestamps shown in ``tz``."""
    pa = _pyarrow()
    stamp = pa.timestamp("us", tz=tz)
    stamps = {*_TIMES, "closed_datetime"}
    return pa.schema(
        pa.field(name, stamp if name in stamps else pa.float64() if name in _FLOATS else pa.string())
        for name in COLUMNS
    )


def _instant(value: datetime) -> int:
    # Integer microseconds since the epoch: exact, and UTC whatever the offset.
    return (value - _EPOCH) // _MICROSECOND


def _micros(value: datetime | None) -> int | None:
    return None if value is None else _instant(value)


def _closed(value: object) -> int | None:
    # A Bulk closed_datetime extension: a datetime, its ISO text, or nothing usable.
    if isinstance(value, str):
        return _instant(datetime.fromisoformat(value))
    return _instant(value) if isinstance(value, datetime) else None


def _batch(requests: list[ServiceRequest], arrow_schema: pa.Schema) -> pa.RecordBatch:
    pa = _pyarrow()
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for name in _FIELDS:
        if name in _TIMES:
            columns[name] = [_micros(getattr(r, name)) for r in requests]
        elif name == "status":
            columns[name] = [None if r.status is None else r.status.value for r in requests]
        else:
            columns[name] = [getattr(r, name) for r in requests]
    columns["closed_datetime"] = [_closed(r.extensions.get("closed_datetime")) for r in requests]
    for name in _BULK_TEXT:
        columns[name] = [_text(r.extensions.get(name)) for r in requests]
    columns["extensions"] = [_rest(r.extensions) for r in requests]
    arrays = [pa.array(columns[field.name], type=field.type) for field in arrow_schema]
    return pa.RecordBatch.from_arrays(arrays, schema=arrow_schema)


def _text(value: object) -> str | None:
    return value if value is None or isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _rest(extensions: dict[str, Any]) -> str | None:
    rest = {key: value for key, value in extensions.items() if key not in _BULK}
    return json.dumps(rest, ensure_ascii=False) if rest else None


def record_batches(
    requests: Iterable[ServiceRequest], *, tz: str = "UTC", batch_size: int = _BATCH
) -> Iterator[pa.RecordBatch]:
    """Arrow record batches of ``batch_size`` requests each, lazily (constant memory).

    Raises:
        ImportError: pyarrow is not installed (the ``frames`` extra).
    """
    arrow_schema = schema(tz=tz)
    iterator = iter(requests)
    while batch := list(islice(iterator, batch_size)):
        yield _batch(batch, arrow_schema)


def to_arrow(requests: Iterable[ServiceRequest], *, tz: str = "UTC") -> pa.Table:
    """An Arrow table of the requests, one typed column per field (see ``COLUMNS``).

    Args:
        requests: any iterable of requests (a reader streams straight in).
        tz: the zone the timestamp columns are shown in (the instants are
            the same in any zone).

    Raises:
        ImportError: pyarrow is not installed (the ``frames`` extra).

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from georeport import ServiceRequest
        >>> summer = timezone(timedelta(hours=-4))
        >>> table = to_arrow([ServiceRequest("1", "open", requested_datetime=datetime(2024, 7, 1, 9, tzinfo=summer))], tz="America/New_York")
        >>> table.schema.field("requested_datetime").type
        TimestampType(timestamp[us, tz=America/New_York])
        >>> table.column("requested_datetime")[0].as_py().isoformat()
        '2024-07-01T09:00:00-04:00'
    """
    pa = _pyarrow()
    arrow_schema = schema(tz=tz)
    batches = list(record_batches(requests, tz=tz))
    return pa.Table.from_batches(batches, schema=arrow_schema)


def to_pandas(requests: Iterable[ServiceRequest], *, tz: str = "UTC") -> pd.DataFrame:
    """A pandas data frame of the requests: ``to_arrow`` converted, zone-aware timestamps kept.

    Raises:
        ImportError: pandas or pyarrow is not installed (the ``frames`` extra).

    Examples:
        >>> from georeport import ServiceRequest
        >>> frame = to_pandas([ServiceRequest("1", lat=41.9, long=-87.7), ServiceRequest("2")])
        >>> list(frame["service_request_id"]), str(frame["lat"].dtype), str(frame["requested_datetime"].dtype)
        (['1', '2'], 'float64', 'datetime64[us, UTC]')
    """
    _extra("pandas", extra="frames", user="georeport.frames.to_pandas")
    frame: pd.DataFrame = to_arrow(requests, tz=tz).to_pandas()
    return frame
