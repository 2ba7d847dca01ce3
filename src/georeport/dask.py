"""Dumps beyond one machine: Dask bags and data frames of service requests, and statistics on a cluster.

The files are split into partitions at record boundaries
(``georeport.wire.partitions``); each Dask task reads its partitions with
the same streaming readers a single process uses, so a cluster reads exactly
what ``georeport.wire.iter_dump`` reads, in the same order::

    from dask.distributed import Client
    import georeport.dask

    client = Client("scheduler:8786")
    requests = georeport.dask.read_bag(["nyc-2023.csv.gz", "nyc-2024.csv.gz"], mapping=NYC_311)
    frame = georeport.dask.read_frame(paths)            # a dask.dataframe, frames' typed columns
    table = georeport.dask.summarize(paths, by=["agency_responsible"], period="month")

``report`` computes the full transparency statistics of ``georeport.stats``
(the same ``Report`` as ``build_report`` on one process): each task reads
its partitions and builds their columnar ``CaseTable``, the tables are
joined in order, and the report is computed from the joined table.

``summarize`` computes per group the volume, the closed and open counts, the
closed share and the median hours from request to close (from the Bulk
``closed_datetime``), exactly: each task reduces its partitions to counts and
the durations of its closed requests, and the partial results are merged in
a tree, so the result is identical to ``summarize_requests`` on one process.

Dask is imported when first needed (``pip install "open311-georeport[dask]"``).
This module is an edge: it reads files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
import numpy as np

from georeport.errors import ValidationError
from georeport.frames import _TEXT, _closed, _extra, _instant, to_pandas
from georeport.models import ServiceRequest, Status
from georeport.wire.bulk import DEFAULT_STATUSES, StatusMapping
from georeport.wire.columns import ColumnMapping
from georeport.wire.dumps import DEFAULT_PARTITION_BYTES, DumpFormat, Partition, iter_partition, partitions

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe
    import pandas as pd

    from georeport.stats import CaseTable, Report, StatsOptions

__all__ = ["Period", "concat_case_tables", "read_bag", "read_frame", "report", "summarize", "summarize_requests"]

Period = Literal["day", "week", "month", "year"]

_HOUR_US: Final = 3_600_000_000
_Key = tuple[str | None, ...]
_Partial = dict[_Key, tuple[int, int, int, list[np.ndarray]]]


def _dask() -> Any:
    return _extra("dask.bag", extra="dask", user="georeport.dask")


def _plan(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    format: DumpFormat | None,  # noqa: A002
    mapping: ColumnMapping | None,
    size: int,
) -> list[Partition]:
    names = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    return partitions(names, format=format, mapping=mapping is not None, size=size)


def _read(
    parts: Iterable[Partition],
    mapping: ColumnMapping | None,
    strict: bool,
    statuses: StatusMapping,
) -> Iterator[ServiceRequest]:
    for part in parts:
        with iter_partition(part, mapping=mapping, strict=strict, statuses=statuses) as reader:
            yield from reader


def _read_list(
    parts: Iterable[Partition],
    mapping: ColumnMapping | None,
    strict: bool,
    statuses: StatusMapping,
) -> list[ServiceRequest]:
    return list(_read(parts, mapping, strict, statuses))


def read_bag(  # noqa: PLR0913 - each option is the caller's to set
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    format: DumpFormat | None = None,  # noqa: A002
    mapping: ColumnMapping | None = None,
    strict: bool = False,
    statuses: StatusMapping = DEFAULT_STATUSES,
    size: int = DEFAULT_PARTITION_BYTES,
) -> dask.bag.Bag:
    """A Dask bag of the ``ServiceRequest`` records of ``paths``, one bag partition per file part.

    Args:
        paths: a file or files (any format ``iter_dump`` reads; ``.gz``/``.zip``
            files are one partition each).
        format: their format; told from each name when None.
        mapping: the column mapping of city CSV exports.
        strict: refuse what the format forbids (raised from the task).
        statuses: how Bulk ``status_description`` maps onto open/closed.
        size: about how many bytes each partition reads.

    Raises:
        ImportError: dask is not installed (the ``dask`` extra).
        ParseError: a file's format cannot be told (at once); a record
            cannot be read (when computed).
    """
    bags = _dask().bag
    parts = _plan(paths, format, mapping, size)
    bag = bags.from_sequence(parts, npartitions=max(1, len(parts)))
    requests: dask.bag.Bag = bag.map_partitions(_read_list, mapping, strict, statuses)
    return requests


def _frame(part: Partition, mapping: ColumnMapping | None, statuses: StatusMapping, tz: str) -> pd.DataFrame:
    return to_pandas(_read([part], mapping, False, statuses), tz=tz)  # noqa: FBT003


def read_frame(  # noqa: PLR0913
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    format: DumpFormat | None = None,  # noqa: A002
    mapping: ColumnMapping | None = None,
    statuses: StatusMapping = DEFAULT_STATUSES,
    tz: str = "UTC",
    size: int = DEFAULT_PARTITION_BYTES,
) -> dask.dataframe.DataFrame:
    """A Dask data frame of the requests of ``paths``: ``georeport.frames`` columns, one partition per file part.

    Raises:
        ImportError: dask is not installed (the ``dask`` extra).
    """
    _dask()
    import dask.dataframe  # noqa: PLC0415 - an optional extra

    parts = _plan(paths, format, mapping, size)
    meta = to_pandas([], tz=tz)
    frame: dask.dataframe.DataFrame = dask.dataframe.from_map(  # type: ignore[no-untyped-call]
        _frame, parts, mapping=mapping, statuses=statuses, tz=tz, meta=meta
    )
    return frame


# --- statistics ------------------------------------------------------------------------------
def _period_label(moment: datetime | None, period: Period | None, zone: Any) -> str | None:
    if period is None:
        return None
    if moment is None:
        return None
    local = moment.astimezone(zone)
    if period == "day":
        return local.strftime("%Y-%m-%d")
    if period == "week":
        year, week, _day = local.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return local.strftime("%Y-%m")
    return local.strftime("%Y")


def _field(request: ServiceRequest, name: str) -> str | None:
    value = getattr(request, name) if name in _MODEL_FIELDS else request.extensions.get(name)
    if value is None:
        return None
    return value.value if isinstance(value, Status) else str(value)


_MODEL_FIELDS: Final = frozenset(_TEXT)  # the request's text fields, grouped by as they are
_UNGROUPABLE: Final = frozenset(field.name for field in attrs.fields(ServiceRequest)) - _MODEL_FIELDS


def _checked_by(by: Sequence[str]) -> tuple[str, ...]:
    """The grouping fields, refusing the request fields that are not text (numbers, datetimes, mappings)."""
    for name in by:
        if name in _UNGROUPABLE:
            raise ValidationError(
                "by", name, f"a text field of the request or an extension (not one of {sorted(_UNGROUPABLE)})"
            )
    return tuple(by)


def _partial(requests: Iterable[ServiceRequest], by: Sequence[str], period: Period | None, tz: str) -> _Partial:
    """Counts and close durations (microseconds) per group, for one part of the data."""
    from zoneinfo import ZoneInfo  # noqa: PLC0415 - the standard library, cheap

    zone = ZoneInfo(tz)
    volumes: dict[_Key, list[int]] = {}
    durations: dict[_Key, list[int]] = {}
    for request in requests:
        key: _Key = tuple(_field(request, name) for name in by)
        if period is not None:
            key = (*key, _period_label(request.requested_datetime, period, zone))
        counts = volumes.get(key)
        if counts is None:
            counts = volumes[key] = [0, 0, 0]
            durations[key] = []
        counts[0] += 1
        if request.status is Status.CLOSED:
            counts[1] += 1
        elif request.status is Status.OPEN:
            counts[2] += 1
        closed = _closed(request.extensions.get("closed_datetime"))
        if closed is not None and request.requested_datetime is not None:
            durations[key].append(closed - _instant(request.requested_datetime))
    return {
        key: (counts[0], counts[1], counts[2], [np.asarray(durations[key], dtype=np.int64)])
        for key, counts in volumes.items()
    }


def _merge(partials: Iterable[_Partial]) -> _Partial:
    merged: _Partial = {}
    for partial in partials:
        for key, (volume, closed, opened, arrays) in partial.items():
            found = merged.get(key)
            if found is None:
                merged[key] = (volume, closed, opened, list(arrays))
            else:
                merged[key] = (found[0] + volume, found[1] + closed, found[2] + opened, [*found[3], *arrays])
    return merged


def _table(merged: _Partial, by: Sequence[str], period: Period | None) -> pd.DataFrame:
    import pandas as pd  # noqa: PLC0415 - an optional extra

    names = [*by, "period"] if period is not None else list(by)
    rows = []
    for key in sorted(merged, key=lambda k: tuple((v is None, v or "") for v in k)):
        volume, closed, opened, arrays = merged[key]
        durations = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)
        median = float(np.median(durations)) / _HOUR_US if durations.size else float("nan")
        rows.append(
            (*key, volume, closed, opened, closed / volume if volume else float("nan"), int(durations.size), median)
        )
    columns = [*names, "volume", "closed", "open", "closed_share", "with_close_time", "median_hours_to_close"]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for name in ("volume", "closed", "open", "with_close_time"):
        frame[name] = frame[name].astype("int64")
    return frame


def summarize_requests(
    requests: Iterable[ServiceRequest],
    *,
    by: Sequence[str] = (),
    period: Period | None = None,
    tz: str = "UTC",
) -> pd.DataFrame:
    """Volume, closed/open counts, closed share and median hours to close, per group, in one process.

    Args:
        requests: the requests.
        by: fields to group by: a request field (``agency_responsible``,
            ``service_name``, ``status``...) or an extension (``source``,
            ``service_subtype``...); missing values form their own group.
        period: also group by the day, ISO week, month or year the request
            was made, in ``tz``.
        tz: the zone periods are cut in.

    Returns:
        A pandas data frame, one row per group (sorted, missing last):
        the ``by`` columns (and ``period``), ``volume``, ``closed``, ``open``,
        ``closed_share``, ``with_close_time`` (requests with a Bulk
        ``closed_datetime``) and ``median_hours_to_close`` over those.

    Raises:
        ValidationError: a ``by`` field that is not text (``lat``, a datetime...),
            which would otherwise put every request in one group.

    Examples:
        >>> from georeport import ServiceRequest
        >>> from datetime import datetime, UTC
        >>> opened = datetime(2024, 1, 1, tzinfo=UTC)
        >>> table = summarize_requests([
        ...     ServiceRequest("1", "closed", agency_responsible="DOT", requested_datetime=opened,
        ...                    extensions={"closed_datetime": "2024-01-01T06:00:00Z"}),
        ...     ServiceRequest("2", "open", agency_responsible="DOT", requested_datetime=opened),
        ... ], by=["agency_responsible"])
        >>> table.to_dict("records")[0]
        {'agency_responsible': 'DOT', 'volume': 2, 'closed': 1, 'open': 1, 'closed_share': 0.5, 'with_close_time': 1, 'median_hours_to_close': 6.0}
    """
    by = _checked_by(by)
    return _table(_partial(requests, by, period, tz), by, period)


def _partial_of_parts(  # noqa: PLR0913 - positional for Dask
    parts: Iterable[Partition],
    mapping: ColumnMapping | None,
    statuses: StatusMapping,
    by: Sequence[str],
    period: Period | None,
    tz: str,
) -> _Partial:
    return _partial(_read(parts, mapping, False, statuses), by, period, tz)  # noqa: FBT003


def summarize(  # noqa: PLR0913 - each option is the caller's to set
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    by: Sequence[str] = (),
    period: Period | None = None,
    tz: str = "UTC",
    format: DumpFormat | None = None,  # noqa: A002
    mapping: ColumnMapping | None = None,
    statuses: StatusMapping = DEFAULT_STATUSES,
    size: int = DEFAULT_PARTITION_BYTES,
    scheduler: Any = None,
) -> pd.DataFrame:
    """``summarize_requests`` over dumps of any size, computed by Dask (on a cluster when a client is active).

    Each task reads its partitions and reduces them to per-group counts and
    close durations; the partial results are merged in a tree. The result is
    identical to ``summarize_requests(iter_dump(...))`` over the same files.

    Args:
        paths: the files.
        by: as ``summarize_requests``.
        period: as ``summarize_requests``.
        tz: as ``summarize_requests``.
        format: the files' format; told from each name when None.
        mapping: the column mapping of city CSV exports.
        statuses: how Bulk ``status_description`` maps onto open/closed.
        size: about how many bytes each partition reads.
        scheduler: passed to ``compute`` (None: the active client, else Dask's default).

    Raises:
        ValidationError: a ``by`` field that is not text (``lat``, a datetime...).
        ImportError: dask is not installed (the ``dask`` extra).
    """
    by = _checked_by(by)
    bags = _dask().bag
    parts = _plan(paths, format, mapping, size)
    if not parts:
        return summarize_requests([], by=by, period=period, tz=tz)
    bag = bags.from_sequence(parts, npartitions=len(parts))
    merged = bag.reduction(
        lambda chunk: _partial_of_parts(chunk, mapping, statuses, by, period, tz),
        _merge,
        split_every=8,
    ).compute(scheduler=scheduler)
    return _table(merged, by, period)


# --- the full statistics (georeport.stats) ---------------------------------------------------
_ROW_INDEXES: Final = ("span_case", "pause_case")
"""Case-table columns that hold row numbers (shifted when tables are joined)."""


def _joined_flag(name: str, values: list[Any]) -> Any:
    """A whole-table value of joined tables: True if any is (``responses_recorded``), else the common value."""
    if all(isinstance(value, bool) for value in values):
        return any(values)
    if all(value == values[0] for value in values):
        return values[0]
    msg = f"the case tables differ in {name!r}: {values[:3]}"
    raise ValueError(msg)


def concat_case_tables(tables: Sequence[CaseTable]) -> CaseTable:
    """One ``CaseTable`` of the rows of ``tables``, in order (as if built from all their requests at once).

    Text dimensions are re-encoded over the union of their labels (sorted,
    as ``Categories.of`` does), and the row numbers of open intervals and
    pauses are shifted, so the result equals the table built in one go.
    """
    import attrs  # noqa: PLC0415 - cheap, and only needed here

    from georeport.stats import CaseTable, Categories  # noqa: PLC0415 - the statistics, when asked for

    if len(tables) == 1:
        return tables[0]
    if not tables:
        return CaseTable.from_requests([])
    offsets = np.cumsum([0, *(len(table) for table in tables[:-1])])
    columns: dict[str, Any] = {}
    for field in attrs.fields(CaseTable):
        name = field.name
        if name == "dimensions":
            continue
        parts = [getattr(table, name) for table in tables]
        if not isinstance(parts[0], np.ndarray):  # a flag about the whole table
            columns[name] = _joined_flag(name, parts)
            continue
        if name in _ROW_INDEXES:
            parts = [part + offset for part, offset in zip(parts, offsets, strict=True)]
        columns[name] = np.concatenate(parts)
    dimensions: dict[str, Categories] = {}
    for key in dict.fromkeys(key for table in tables for key in table.dimensions):
        size = [len(table) for table in tables]
        found = [table.dimensions.get(key, Categories.missing(rows)) for table, rows in zip(tables, size, strict=True)]
        labels = tuple(sorted({label for column in found for label in column.labels}))
        index = {label: code for code, label in enumerate(labels)}
        codes = []
        for column in found:
            remap = np.array([index[label] for label in column.labels] + [-1], dtype=np.int32)
            codes.append(remap[column.codes])  # -1 indexes the appended -1: missing stays missing
        dimensions[key] = Categories(np.concatenate(codes) if codes else np.zeros(0, dtype=np.int32), labels)
    return CaseTable(dimensions=dimensions, **columns)


def _case_table(parts: Iterable[Partition], mapping: ColumnMapping | None, statuses: StatusMapping, zone: str) -> Any:
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from georeport.stats import CaseTable  # noqa: PLC0415 - the statistics, when asked for

    return CaseTable.from_requests(_read(parts, mapping, False, statuses), timezone=ZoneInfo(zone))  # noqa: FBT003


def report(  # noqa: PLR0913 - each option is the caller's to set
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    options: StatsOptions,
    *,
    format: DumpFormat | None = None,  # noqa: A002
    mapping: ColumnMapping | None = None,
    statuses: StatusMapping = DEFAULT_STATUSES,
    timezone: str = "UTC",
    size: int = DEFAULT_PARTITION_BYTES,
    scheduler: Any = None,
) -> Report:
    """The ``georeport.stats`` report of dumps of any size, their reading and case tables built by Dask.

    Equal to ``build_report(CaseTable.from_requests(iter_dump(...)), options)``
    over the same files: tasks read their partitions and build their case
    tables (the per-record work); the joined table (a few numpy arrays) is
    then reduced to the report.

    Args:
        paths: the files.
        options: what to compute (``georeport.stats.StatsOptions``).
        format: the files' format; told from each name when None.
        mapping: the column mapping of city CSV exports.
        statuses: how Bulk ``status_description`` maps onto open/closed.
        timezone: the zone of zone-less close times (``CaseTable.from_requests``).
        size: about how many bytes each partition reads.
        scheduler: passed to ``compute`` (None: the active client, else Dask's default).

    Raises:
        ImportError: dask is not installed (the ``dask`` extra).
        ValidationError: a request without ``requested_datetime`` (the statistics start there).
    """
    from georeport.stats import build_report  # noqa: PLC0415 - the statistics, when asked for

    bags = _dask().bag
    parts = _plan(paths, format, mapping, size)
    if not parts:
        return build_report(concat_case_tables([]), options)
    bag = bags.from_sequence(parts, npartitions=len(parts))
    tables = bag.map_partitions(lambda chunk: [_case_table(chunk, mapping, statuses, timezone)]).compute(
        scheduler=scheduler
    )
    return build_report(concat_case_tables(tables), options)
