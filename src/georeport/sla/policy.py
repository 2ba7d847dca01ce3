"""SLA policies: a response and a resolution target on a calendar, chosen per service and jurisdiction.

A case's *response* clock runs from ``requested_datetime`` to its first
response (``Case.first_response_datetime``); its *resolution* clock runs to
its resolution (``Case.resolved_datetime``, or ``closed_datetime`` for a case
closed without one, e.g. as a duplicate). The lifecycle's pauses
(``Case.pauses``) stop both clocks.

A ``PolicyBook`` picks the policy for a request: the policy of its service in
its jurisdiction, else of its service anywhere, else of its jurisdiction,
else the default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from georeport.errors import ValidationError
from georeport.lifecycle import Case
from georeport.models import ServiceRequest
from georeport.sla._declared import Declared
from georeport.sla._instants import NAT, ns_array, to_datetime64
from georeport.sla.calendar import BusinessCalendar
from georeport.sla.states import DEFAULT_AT_RISK, TargetStatus, TargetStatusArrays, _check_share, status, status_many
from georeport.sla.targets import Target

__all__ = ["CaseStatus", "CaseStatusArrays", "PolicyBook", "SlaPolicy"]


def _target(value: object) -> Target | None:
    return None if value is None else Target.parse(value)


@attrs.frozen(kw_only=True)
class CaseStatus:
    """A case against both targets of its policy at one instant; a target the policy lacks is None."""

    response: TargetStatus | None
    resolution: TargetStatus | None


@attrs.frozen(kw_only=True, eq=False)
class CaseStatusArrays:
    """``CaseStatus`` for many cases: a ``TargetStatusArrays`` per target (None for a target the policy lacks)."""

    response: TargetStatusArrays | None
    resolution: TargetStatusArrays | None


@attrs.frozen(kw_only=True)
class SlaPolicy:
    """A response target and a resolution target (either may be None) on a business calendar.

    Args:
        calendar: when the clocks run.
        response: the time allowed until a first response.
        resolution: the time allowed until resolution.
        at_risk: the share of the allowed time after which an open case is at risk (0 < share <= 1).
        name: an optional label (shown in reports).

    Examples:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> panama = ZoneInfo("America/Panama")
        >>> policy = SlaPolicy(
        ...     calendar=BusinessCalendar(zone=panama, hours={"weekdays": "08:00-16:00"}),
        ...     response=Target.business_days(2),
        ...     resolution=Target.calendar(timedelta(days=30)),
        ... )
        >>> request = ServiceRequest(service_code="001", requested_datetime=datetime(2024, 5, 3, 15, tzinfo=panama))
        >>> policy.expected_datetime(request).isoformat()
        '2024-06-02T15:00:00-05:00'
        >>> policy.response_due(request.requested_datetime).isoformat()
        '2024-05-07T16:00:00-05:00'
    """

    calendar: BusinessCalendar
    response: Target | None = attrs.field(default=None, converter=_target)
    resolution: Target | None = attrs.field(default=None, converter=_target)
    at_risk: float = attrs.field(default=DEFAULT_AT_RISK, converter=_check_share)
    name: str | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.calendar, BusinessCalendar):
            raise ValidationError("calendar", self.calendar, "a BusinessCalendar")
        if self.response is None and self.resolution is None:
            raise ValidationError("resolution", None, "a Target: a policy has a response or a resolution target")

    def _required(self, which: str) -> Target:
        target = self.response if which == "response" else self.resolution
        if target is None:
            raise ValidationError(which, None, f"a Target: this policy has no {which} target")
        return target

    def response_due(self, start: datetime, *, pauses: Any = (), as_of: datetime | None = None) -> datetime:
        """When a first response is due for a case started at ``start`` (see ``Target.due``).

        Raises:
            georeport.ValidationError: the policy has no response target, or a bad instant.
        """
        return self._required("response").due(start, self.calendar, pauses=pauses, as_of=as_of)

    def resolution_due(self, start: datetime, *, pauses: Any = (), as_of: datetime | None = None) -> datetime:
        """When resolution is due for a case started at ``start`` (see ``Target.due``).

        Raises:
            georeport.ValidationError: the policy has no resolution target, or a bad instant.
        """
        return self._required("resolution").due(start, self.calendar, pauses=pauses, as_of=as_of)

    def expected_datetime(self, item: ServiceRequest | Case, *, as_of: datetime | None = None) -> datetime | None:
        """The Open311 ``expected_datetime``: when resolution is due.

        For a ``ServiceRequest``: ``requested_datetime`` plus the resolution target (no pauses
        are known). For a lifecycle ``Case``: the same, pushed by the case's pauses; a pause
        still running is taken to end at ``as_of``.
        None when there is no ``requested_datetime`` or no resolution target.

        Raises:
            PausedClockError: the case is paused now and no ``as_of`` was given.
        """
        if self.resolution is None:
            return None
        if isinstance(item, Case):
            return self.resolution.due(item.request.requested_datetime, self.calendar, pauses=item.pauses, as_of=as_of)  # type: ignore[arg-type]
        if item.requested_datetime is None:
            return None
        return self.resolution.due(item.requested_datetime, self.calendar)

    def with_expected_datetime(self, request: ServiceRequest) -> ServiceRequest:
        """The request with ``expected_datetime`` set from this policy (unchanged when it cannot be told)."""
        expected = self.expected_datetime(request)
        return request if expected is None else attrs.evolve(request, expected_datetime=expected)

    def status(self, case: Case, *, as_of: datetime) -> CaseStatus:
        """Where a case stands against both targets at ``as_of`` (see ``georeport.sla.status``)."""
        start = case.request.requested_datetime
        assert start is not None  # noqa: S101 - a Case always has one
        resolved = case.resolved_datetime or case.closed_datetime

        def one(target: Target | None, completed: datetime | None) -> TargetStatus | None:
            if target is None:
                return None
            return status(
                target,
                start,
                self.calendar,
                as_of=as_of,
                completed=completed,
                pauses=case.pauses,
                at_risk=self.at_risk,
            )

        return CaseStatus(
            response=one(self.response, case.first_response_datetime), resolution=one(self.resolution, resolved)
        )

    def due_many(
        self,
        starts: npt.ArrayLike,
        *,
        target: str = "resolution",
        pause_starts: npt.ArrayLike | None = None,
        pause_ends: npt.ArrayLike | None = None,
    ) -> npt.NDArray[np.datetime64]:
        """``Target.due_many`` for the policy's ``"response"`` or ``"resolution"`` target.

        Raises:
            georeport.ValidationError: the policy has no such target.
        """
        if target not in {"response", "resolution"}:
            raise ValidationError("target", target, "'response' or 'resolution'")
        return self._required(target).due_many(starts, self.calendar, pause_starts=pause_starts, pause_ends=pause_ends)

    def status_many(  # noqa: PLR0913 - the cases' coordinates
        self,
        requested: npt.ArrayLike,
        *,
        as_of: datetime | npt.ArrayLike,
        responded: npt.ArrayLike | None = None,
        resolved: npt.ArrayLike | None = None,
        pause_starts: npt.ArrayLike | None = None,
        pause_ends: npt.ArrayLike | None = None,
    ) -> CaseStatusArrays:
        """``status`` for many cases: ``datetime64`` UTC arrays in (NaT where a case has not responded or resolved).

        Args:
            requested: when each case was requested.
            as_of: now, one aware datetime or an array.
            responded: each case's first response (``Case.first_response_datetime``), NaT while none.
            resolved: each case's resolution (or close), NaT while open.
            pause_starts: the cases' pauses, as in ``Target.due_many``.
            pause_ends: their ends (NaT: still paused; it ends at the completion or ``as_of``).
        """

        def one(target: Target | None, completed: npt.ArrayLike | None) -> TargetStatusArrays | None:
            if target is None:
                return None
            return status_many(
                target,
                requested,
                self.calendar,
                as_of=as_of,
                completed=completed,
                pause_starts=pause_starts,
                pause_ends=pause_ends,
                at_risk=self.at_risk,
            )

        return CaseStatusArrays(response=one(self.response, responded), resolution=one(self.resolution, resolved))

    @classmethod
    def from_dict(cls, data: object, *, calendars: Mapping[str, BusinessCalendar] | None = None) -> SlaPolicy:
        """A policy from its declaration (see ``docs/sla.md``); ``calendar`` names one of ``calendars`` or is a table.

        Raises:
            CalendarError: every problem found, with its place.
        """
        from georeport.sla._declaration import policy_from_dict  # noqa: PLC0415 - a cycle otherwise

        return policy_from_dict(data, calendars or {}, ())

    def to_dict(self) -> dict[str, Any]:
        """The policy's declaration, its calendar inline."""
        data: dict[str, Any] = {"calendar": self.calendar.to_dict()}
        if self.name is not None:
            data["name"] = self.name
        if self.response is not None:
            data["response"] = self.response.to_dict()
        if self.resolution is not None:
            data["resolution"] = self.resolution.to_dict()
        if self.at_risk != DEFAULT_AT_RISK:
            data["at_risk"] = self.at_risk
        return data


_Key = tuple[str | None, str | None]


def _entries(
    value: Mapping[_Key, SlaPolicy] | tuple[tuple[_Key, SlaPolicy], ...],
) -> tuple[tuple[_Key, SlaPolicy], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    result = []
    for key, policy in items:
        candidate: object = key
        if not (
            isinstance(candidate, tuple)
            and len(candidate) == 2  # noqa: PLR2004 - a pair
            and all(k is None or isinstance(k, str) for k in candidate)
        ):
            raise ValidationError("policies", key, "keys (jurisdiction, service_code), each a string or None")
        if not isinstance(policy, SlaPolicy):
            raise ValidationError("policies", policy, "SlaPolicy values")
        result.append((key, policy))
    return tuple(result)


def _labels(
    values: Sequence[str | None] | npt.NDArray[Any] | None, size: int, name: str
) -> tuple[list[str | None], npt.NDArray[np.intp]]:
    """The distinct labels (None for None or "") and each row's index into them."""
    if values is None:
        return [None], np.zeros(size, np.intp)
    array = np.asarray(values, dtype=object).ravel()
    if array.size != size:
        raise ValidationError(name, f"<array of {array.size}>", f"one per start ({size})")
    text = np.array(["" if value is None else str(value) for value in array.tolist()], dtype=str)
    keys, inverse = np.unique(text, return_inverse=True)
    return [key or None for key in keys.tolist()], inverse.ravel()


@attrs.frozen(kw_only=True)
class PolicyBook(Declared):
    """The policies of a programme: per (jurisdiction, service_code), with a default.

    A key's jurisdiction or service code may be None: ``(None, "POTHOLE")`` is the pothole
    policy everywhere, ``("springfield", None)`` every service in Springfield.

    Examples:
        >>> from datetime import timedelta
        >>> calendar = BusinessCalendar.always("America/Chicago")
        >>> book = PolicyBook(
        ...     default=SlaPolicy(calendar=calendar, resolution=Target.calendar(timedelta(days=30))),
        ...     policies={(None, "POTHOLE"): SlaPolicy(calendar=calendar, resolution=Target.business_hours(48))},
        ... )
        >>> str(book.policy_for("POTHOLE").resolution), str(book.policy_for("GRAFFITI").resolution)
        ('48 business hours', '30 days')
    """

    default: SlaPolicy | None = None
    policies: tuple[tuple[_Key, SlaPolicy], ...] = attrs.field(default=(), converter=_entries)
    _index: dict[_Key, SlaPolicy] = attrs.field(init=False, eq=False, repr=False, hash=False)

    @_index.default
    def _build_index(self) -> dict[_Key, SlaPolicy]:
        index: dict[_Key, SlaPolicy] = {}
        for key, policy in self.policies:
            if key in index:
                raise ValidationError("policies", key, "each (jurisdiction, service_code) once")
            index[key] = policy
        return index

    def policy_for(self, service_code: str | None, *, jurisdiction: str | None = None) -> SlaPolicy | None:
        """The policy of a service in a jurisdiction: the most specific one declared, else the default."""
        index = self._index
        candidates: list[_Key] = []
        if service_code is not None:
            candidates += [(jurisdiction, service_code)] if jurisdiction is not None else []
            candidates.append((None, service_code))
        if jurisdiction is not None:
            candidates.append((jurisdiction, None))
        for key in candidates:
            if key in index:
                return index[key]
        return self.default

    def expected_datetime(
        self, item: ServiceRequest | Case, *, jurisdiction: str | None = None, as_of: datetime | None = None
    ) -> datetime | None:
        """``SlaPolicy.expected_datetime`` under the request's policy (None when no policy applies)."""
        request = item.request if isinstance(item, Case) else item
        policy = self.policy_for(request.service_code, jurisdiction=jurisdiction)
        return None if policy is None else policy.expected_datetime(item, as_of=as_of)

    def due_many(
        self,
        starts: npt.ArrayLike,
        service_codes: Sequence[str | None] | npt.NDArray[Any],
        *,
        jurisdictions: Sequence[str | None] | npt.NDArray[Any] | None = None,
        target: str = "resolution",
    ) -> npt.NDArray[np.datetime64]:
        """Due times of many requests, each under its own policy: NaT where no policy (or target) applies.

        Args:
            starts: ``datetime64`` UTC instants.
            service_codes: the service code of each (strings; None or "" for none).
            jurisdictions: the jurisdiction of each, or None for all.
            target: ``"response"`` or ``"resolution"``.
        """
        ints = ns_array(starts, "starts").ravel()
        code_keys, code_of = _labels(service_codes, ints.size, "service_codes")
        place_keys, place_of = _labels(jurisdictions, ints.size, "jurisdictions")
        if target not in {"response", "resolution"}:
            raise ValidationError("target", target, "'response' or 'resolution'")
        group = code_of * len(place_keys) + place_of
        order = np.argsort(group, kind="stable")
        groups, first = np.unique(group[order], return_index=True)
        bounds = [*first.tolist(), ints.size]
        result = np.full(ints.size, NAT, np.int64)
        for number, value in enumerate(groups.tolist()):
            code, place = code_keys[value // len(place_keys)], place_keys[value % len(place_keys)]
            policy = self.policy_for(code, jurisdiction=place)
            chosen = None if policy is None else policy.response if target == "response" else policy.resolution
            if policy is None or chosen is None:
                continue
            rows = order[bounds[number] : bounds[number + 1]]
            result[rows] = chosen.due_many(ints[rows].view("datetime64[ns]"), policy.calendar).view(np.int64)
        return to_datetime64(result)

    @classmethod
    def from_dict(cls, data: object) -> PolicyBook:
        """A book from its declaration (see ``docs/sla.md``).

        Raises:
            CalendarError: every problem found, with its place.
        """
        from georeport.sla._declaration import book_from_dict  # noqa: PLC0415 - a cycle otherwise

        return book_from_dict(data)
