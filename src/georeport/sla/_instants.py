"""Instants as int64 nanoseconds since the Unix epoch, UTC (private).

Every computation of the SLA engine runs on int64 UTC nanoseconds: scalar
``datetime`` values and numpy ``datetime64`` arrays are converted here, once,
and never subtracted as wall-clock times. ``NAT`` (the int64 minimum) is
numpy's not-a-time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import numpy as np
import numpy.typing as npt

from georeport.errors import ValidationError
from georeport.sla.errors import CalendarError

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "NAT",
    "Int64Array",
    "bounds",
    "check_range",
    "from_ns",
    "ns_array",
    "ns_duration",
    "pause_list",
    "pause_matrix",
    "to_datetime64",
    "to_ns",
    "to_timedelta64",
]

Int64Array = npt.NDArray[np.int64]

NAT = np.iinfo(np.int64).min
FIRST_YEAR = 1900
"""The first year a calendar covers."""
LAST_YEAR = 2100
"""The last year a calendar covers: 201 years of nanoseconds fit int64 even for a 24x7 clock."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_LOWEST = (datetime(FIRST_YEAR, 1, 1, tzinfo=UTC) - _EPOCH) // _US * 1000 - 2 * 86_400 * 10**9
_HIGHEST = (datetime(LAST_YEAR, 12, 31, tzinfo=UTC) - _EPOCH) // _US * 1000 + 3 * 86_400 * 10**9


def to_ns(value: object, name: str) -> int:
    """An aware ``datetime`` as UTC nanoseconds; naive or non-datetimes raise ``ValidationError``."""
    if not isinstance(value, datetime):
        raise ValidationError(name, value, "a timezone-aware datetime")
    if value.utcoffset() is None:
        raise ValidationError(name, value, "a timezone-aware datetime (it has no zone)")
    ns = (value - _EPOCH) // _US * 1000
    check_range(ns, name)
    return ns


def check_range(ns: int, name: str) -> None:
    """Refuse an instant outside the years calendars support."""
    if not _LOWEST <= ns <= _HIGHEST:
        raise CalendarError(
            f"{name} {from_ns(ns, UTC).isoformat()} is outside the supported years {FIRST_YEAR}-{LAST_YEAR}"
        )


def from_ns(ns: int, zone: tzinfo) -> datetime:
    """UTC nanoseconds (whole microseconds) as an aware ``datetime`` in ``zone``."""
    return (_EPOCH + timedelta(microseconds=int(ns) // 1000)).astimezone(zone)


def ns_duration(value: timedelta) -> int:
    """A ``timedelta`` as integer nanoseconds."""
    return value // _US * 1000


def ns_array(values: object, name: str) -> Int64Array:
    """A ``datetime64`` array (UTC) as an int64 nanosecond view; NaT stays ``NAT``.

    Raises:
        georeport.ValidationError: not a numpy ``datetime64`` array.
        CalendarError: an instant outside the supported years.
    """
    array = np.asarray(values)
    if array.dtype.kind != "M":
        raise ValidationError(name, f"<array of {array.dtype}>", "a numpy datetime64 array of UTC instants")
    ints = array.astype("datetime64[ns]", copy=False).view(np.int64)
    low, high = bounds(ints)
    if low is not None and high is not None and (low < _LOWEST or high > _HIGHEST):
        check_range(low if low < _LOWEST else high, name)
    return ints


def bounds(ints: Int64Array) -> tuple[int | None, int | None]:
    """The earliest and latest instants present (NAT ignored); ``(None, None)`` when there are none."""
    if ints.size == 0:
        return None, None
    low = int(ints.min())
    if low != NAT:
        return low, int(ints.max())
    present = ints[ints != NAT]
    if present.size == 0:
        return None, None
    return int(present.min()), int(present.max())


def to_datetime64(ints: Int64Array) -> npt.NDArray[np.datetime64]:
    """int64 nanoseconds (``NAT`` kept) as ``datetime64[ns]``."""
    return ints.view("datetime64[ns]")


def to_timedelta64(ints: Int64Array) -> npt.NDArray[np.timedelta64]:
    """int64 nanoseconds (``NAT`` kept) as ``timedelta64[ns]``."""
    return ints.view("timedelta64[ns]")


def pause_matrix(starts: object, ends: object, rows: int) -> tuple[Int64Array, Int64Array]:
    """Check and normalise the pauses of many cases: two (rows, k) int64 arrays, sorted by start in each row.

    A 1-d array is one pause per case. A pause with a NaT start is no pause; a
    NaT end with a start is a pause still running.

    Raises:
        georeport.ValidationError: shapes disagree, a NaT start has an end, or an end precedes its start.
    """
    pause_starts = ns_array(starts, "pause_starts")
    pause_ends = ns_array(ends, "pause_ends")
    if pause_starts.ndim == 1:
        pause_starts, pause_ends = pause_starts.reshape(-1, 1), pause_ends.reshape(-1, 1)
    if pause_starts.shape != pause_ends.shape or pause_starts.ndim != 2 or pause_starts.shape[0] != rows:  # noqa: PLR2004 - a matrix
        raise ValidationError(
            "pause_starts",
            f"<arrays of shapes {pause_starts.shape} and {pause_ends.shape}>",
            f"two arrays of one shape, (cases,) or (cases, pauses), with {rows} cases",
        )
    missing = pause_starts == NAT
    if np.any(missing & (pause_ends != NAT)):
        row = int(np.argwhere(missing & (pause_ends != NAT))[0][0])
        raise ValidationError(f"pause_starts[{row}]", "NaT", "an instant where the pause has an end")
    backwards = (pause_ends != NAT) & (pause_ends < pause_starts)
    if np.any(backwards):
        row = int(np.argwhere(backwards)[0][0])
        raise ValidationError(f"pause_ends[{row}]", "an end before its start", "no earlier than the pause's start")
    if pause_starts.shape[1] > 1:
        order = np.argsort(np.where(missing, np.iinfo(np.int64).max, pause_starts), axis=1, kind="stable")
        pause_starts = np.take_along_axis(pause_starts, order, axis=1)
        pause_ends = np.take_along_axis(pause_ends, order, axis=1)
    return np.ascontiguousarray(pause_starts), np.ascontiguousarray(pause_ends)


def pause_list(pauses: Sequence[Any], *, as_of: int | None) -> list[tuple[int, int | None]]:
    """Pauses given one by one (``Pause`` objects or ``(start, end)`` pairs) as sorted UTC ns pairs.

    A running pause (end None) ends at ``as_of`` when given, else stays open (None).

    Raises:
        georeport.ValidationError: a naive datetime, or an end before its start.
    """
    found: list[tuple[int, int | None]] = []
    for index, pause in enumerate(pauses):
        start, end = (pause.start, pause.end) if hasattr(pause, "start") else pause
        start_ns = to_ns(start, f"pauses[{index}].start")
        end_ns = None if end is None else to_ns(end, f"pauses[{index}].end")
        if end_ns is None and as_of is not None:
            end_ns = max(as_of, start_ns)
        if end_ns is not None and end_ns < start_ns:
            raise ValidationError(f"pauses[{index}].end", end, f"no earlier than the start {start.isoformat()}")
        found.append((start_ns, end_ns))
    found.sort(key=lambda pair: pair[0])
    return found
