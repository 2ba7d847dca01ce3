"""What a router decided for one report, and why, in values and in words.

``Decision`` is cheap to make (``Router.route`` is on hot paths): it holds
the winner, the code of the rule that decided and the jurisdictions found
near the point; ``candidates`` and ``explanation`` are worked out when first
read. ``DecisionCode`` is what ``Router.route_many`` returns per point.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

import attrs

from georeport.routing.jurisdictions import Jurisdiction
from georeport.routing.rules import Prefer

if TYPE_CHECKING:
    from georeport.routing.router import Router

__all__ = ["Candidate", "CandidateStatus", "Decision", "DecisionCode"]


class DecisionCode(IntEnum):
    """Which step of the routing decided (``route_many`` returns these as ``uint8``).

    * ``LOCAL``: the most local jurisdiction covering the point that handles the service;
    * ``SERVICE``: no jurisdiction covering the point handles it; an agency
      without a boundary handles it wherever the report comes from;
    * ``RULE``: a ``Prefer`` rule gave the winner priority;
    * ``BORDER``: the point is on the shared border of equally ranked
      jurisdictions (or in an overlap allowed by ``overlaps="first"``); the
      one declared first wins;
    * ``FALLBACK``: nothing handles the service here; the router's declared fallback takes it.
    """

    LOCAL = 1
    SERVICE = 2
    RULE = 3
    BORDER = 4
    FALLBACK = 5

    @property
    def wire(self) -> str:
        """The lower-case name (``"local"``...), as the CLI writes it."""
        return self.name.lower()


class CandidateStatus(StrEnum):
    """Why a jurisdiction considered for a report was kept or dropped."""

    CHOSEN = "chosen"
    OUTRANKED = "outranked"
    """Covers the point (or answers anywhere) and handles the service, but another one ranks first."""
    NO_SERVICE = "no_service"
    """Covers the point but does not handle the service."""
    OUTSIDE = "outside"
    """Its bounding box holds the point, its boundary does not."""


@attrs.frozen
class Candidate:
    """One jurisdiction considered for a report, whether it was kept, and why in words."""

    jurisdiction: Jurisdiction
    index: int
    status: CandidateStatus
    reason: str

    @property
    def kept(self) -> bool:
        """Whether it survived the boundary and service steps (chosen or outranked)."""
        return self.status in {CandidateStatus.CHOSEN, CandidateStatus.OUTRANKED}


@attrs.frozen(slots=False, eq=False)
class Decision:
    """Where one report goes, which step decided, and why.

    Attributes:
        lat: the report's latitude (None when routed by service alone).
        long: the report's longitude.
        service_code: the service asked for.
        index: the winner's position in ``router.jurisdictions``.
        code: which step decided (a ``DecisionCode``).
        router: the router that decided.
    """

    lat: float | None
    long: float | None
    service_code: str
    index: int
    code: DecisionCode
    router: Router = attrs.field(repr=False)

    @cached_property
    def covering(self) -> tuple[int, ...]:
        """Indices of the jurisdictions whose boundary covers the point, whatever their services."""
        return self.router._around(self)[0]

    @cached_property
    def nearby(self) -> tuple[int, ...]:
        """Indices of the jurisdictions whose bounding box, not boundary, holds the point."""
        return self.router._around(self)[1]

    @property
    def jurisdiction(self) -> Jurisdiction:
        """The jurisdiction the report goes to."""
        return self.router.jurisdictions[self.index]

    @property
    def is_fallback(self) -> bool:
        """Whether nothing handled the report and the declared fallback took it."""
        return self.code is DecisionCode.FALLBACK

    @property
    def rule(self) -> Prefer | None:
        """The ``Prefer`` rule that gave the winner priority, if one did."""
        if self.is_fallback:
            return None
        return self.router.rule_for(self.index, self.service_code)

    @cached_property
    def candidates(self) -> tuple[Candidate, ...]:
        """Every jurisdiction considered: the winner first, then the outranked, then those dropped, each with why."""
        return self.router._candidates(self)

    @cached_property
    def explanation(self) -> str:
        """One line saying where the report goes and why."""
        return self.router._explain(self)

    def __eq__(self, other: object) -> bool:
        """Equal when the same report went to the same place by the same step."""
        if not isinstance(other, Decision):
            return NotImplemented
        return (self.lat, self.long, self.service_code, self.index, self.code) == (
            other.lat,
            other.long,
            other.service_code,
            other.index,
            other.code,
        )

    def __hash__(self) -> int:
        return hash((self.lat, self.long, self.service_code, self.index, self.code))
