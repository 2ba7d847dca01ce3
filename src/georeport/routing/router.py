"""The router: rules applied in order to find who answers a report at a point, for one or a million.

The steps, for a point and a service code:

1. **Boundary.** The candidates are the jurisdictions whose boundary covers
   the point; the boundary itself counts as inside, so a point exactly on a
   shared border is covered by both sides.
2. **Service.** Of those, the ones that handle the service are kept.
3. **Precedence.** Each kept jurisdiction has a rank for the service: first
   the position of the first ``Prefer`` rule that lifts it (rules in the
   order given; none counts as after them all), then its level, most local
   first, then its position in the router. The lowest rank wins. Two kept
   jurisdictions that tie on rule and level (a point on the border they
   share) are decided by declaration order: **the one declared first wins**,
   and the decision's code is ``BORDER``.
4. **Service alone.** Agencies without a boundary handle their services
   wherever the report comes from; they rank after every jurisdiction with a
   boundary at the point, unless a rule lifts them.
5. **Fallback.** When nothing handles the service, the declared ``fallback``
   takes it and ``is_fallback`` is True; without a fallback,
   ``NoJurisdictionError``. Never a silent None.

Ranks are precomputed as one ``int64`` per jurisdiction and service,
``(rule rank * 10 + level rank) * n + index``, so resolving a batch is a
gather and a segmented minimum over (point, candidate) pairs. The candidates
come from a grid built with the STRtree on first use (``_grid.py``; about
half a second for 3,500 county-sized boundaries): a boundary that covers a
point's whole cell needs no point-in-polygon test, and a candidate that
cannot win is never tested. ``route`` and ``route_many`` test the same
candidates with the same predicate (``shapely.intersects_xy``: the boundary
line is inside), so they agree on every point.

Input checks: NaN or infinite coordinates, a latitude outside -90..90 or a
longitude outside -180..180 raise ``InvalidPointError`` (naming a likely swap
of lat and long); a service code no jurisdiction declares raises
``UnknownServiceError`` (or goes to the fallback with
``unknown_services="fallback"``). At construction, duplicate ids, rules naming
unknown jurisdictions or services raise ``RoutingConfigurationError``, and
jurisdictions of the same level whose interiors overlap and that handle a
common service with no rule to choose raise ``OverlapError`` (or the one
declared first wins everywhere in the overlap, with ``overlaps="first"``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Literal, NamedTuple

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from georeport.routing import _explain
from georeport.routing._grid import Grid
from georeport.routing._ranks import LEVELS, NONE
from georeport.routing.decisions import Candidate, Decision, DecisionCode
from georeport.routing.errors import (
    InvalidPointError,
    NoJurisdictionError,
    OverlapError,
    RoutingConfigurationError,
    UnknownServiceError,
)
from georeport.routing.jurisdictions import Jurisdiction
from georeport.routing.rules import Prefer

__all__ = ["RoutedMany", "Router"]


class RoutedMany(NamedTuple):
    """What ``Router.route_many`` returns: per point, the winner's index in ``router.jurisdictions`` and the ``DecisionCode``."""

    indices: NDArray[np.intp]
    codes: NDArray[np.uint8]


def _check_point(lat: object, long: object) -> tuple[float, float]:
    try:
        y = float(lat)  # type: ignore[arg-type]
        x = float(long)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidPointError("lat, long", (lat, long), "two numbers") from None
    if not (math.isfinite(y) and math.isfinite(x)):
        raise InvalidPointError("lat, long", (lat, long), "finite numbers (not NaN or infinite)")
    if not -90.0 <= y <= 90.0:  # noqa: PLR2004
        swapped = " (lat and long swapped?)" if -90.0 <= x <= 90.0 else ""  # noqa: PLR2004
        raise InvalidPointError("lat", lat, f"between -90 and 90 degrees{swapped}")
    if not -180.0 <= x <= 180.0:  # noqa: PLR2004
        raise InvalidPointError("long", long, "between -180 and 180 degrees")
    return y, x


class Router:
    """Routes reports to jurisdictions by boundary, service and declared precedence.

    Args:
        jurisdictions: the jurisdictions, in declaration order (which breaks ties on shared borders).
        rules: ``Prefer`` rules, tried in order.
        fallback: the jurisdiction (or the id of one given) that takes what
            nothing else handles; added to ``jurisdictions`` if not among them.
            None: such reports raise ``NoJurisdictionError``.
        overlaps: ``"raise"`` (default) refuses same-level overlaps no rule
            decides; ``"first"`` lets the one declared first win in them.
        unknown_services: ``"raise"`` (default) refuses a service code no
            jurisdiction declares; ``"fallback"`` sends it to the fallback.

    Raises:
        RoutingConfigurationError: duplicate ids, a rule or fallback naming
            an unknown jurisdiction or service, a bad option.
        OverlapError: same-level overlaps with no rule (``overlaps="raise"``).

    Examples:
        >>> from shapely.geometry import box
        >>> county = Jurisdiction("county", "Big County", "county", boundary=box(-1, -1, 1, 1), services="ST-214,PK-101")
        >>> town = Jurisdiction("town", "Smallville", "municipal", boundary=box(0, 0, 1, 1), services="ST-214")
        >>> centre = Jurisdiction("usa", "Federal contact centre", "federal")
        >>> router = Router([county, town], fallback=centre)
        >>> router.route(0.5, 0.5, "ST-214").jurisdiction.id
        'town'
        >>> router.route(0.5, 0.5, "PK-101").explanation
        "Big County (county) takes 'PK-101' here: of the 2 jurisdictions covering the point, Big County is the most local that handles it."
        >>> d = router.route(5.0, 5.0, "ST-214"); (d.jurisdiction.id, d.is_fallback)
        ('usa', True)
        >>> router.route(float("nan"), 0.5, "ST-214")
        Traceback (most recent call last):
        ...
        georeport.routing.errors.InvalidPointError: 'lat, long' must be finite numbers (not NaN or infinite) (got (nan, 0.5))
    """

    def __init__(  # noqa: C901, PLR0912, PLR0915 - each check is one clear step
        self,
        jurisdictions: Iterable[Jurisdiction],
        *,
        rules: Iterable[Prefer] = (),
        fallback: Jurisdiction | str | None = None,
        overlaps: Literal["raise", "first"] = "raise",
        unknown_services: Literal["raise", "fallback"] = "raise",
    ) -> None:
        members = list(jurisdictions)
        for member in members:
            if not isinstance(member, Jurisdiction):
                msg = f"jurisdictions must be Jurisdiction values (got {member!r})"
                raise RoutingConfigurationError(msg)
        if overlaps not in {"raise", "first"}:
            msg = f"overlaps must be 'raise' or 'first' (got {overlaps!r})"
            raise RoutingConfigurationError(msg)
        if unknown_services not in {"raise", "fallback"}:
            msg = f"unknown_services must be 'raise' or 'fallback' (got {unknown_services!r})"
            raise RoutingConfigurationError(msg)
        by_id: dict[str, int] = {}
        for index, member in enumerate(members):
            if member.id in by_id:
                msg = f"two jurisdictions have the id {member.id!r} (positions {by_id[member.id]} and {index})"
                raise RoutingConfigurationError(msg)
            by_id[member.id] = index
        self.fallback_index: int | None = None
        if isinstance(fallback, str):
            if fallback not in by_id:
                msg = f"the fallback {fallback!r} is not among the jurisdictions"
                raise RoutingConfigurationError(msg)
            self.fallback_index = by_id[fallback]
        elif isinstance(fallback, Jurisdiction):
            if fallback.id in by_id:
                if members[by_id[fallback.id]] != fallback:
                    msg = f"the fallback differs from the jurisdiction with the same id {fallback.id!r}"
                    raise RoutingConfigurationError(msg)
            else:
                by_id[fallback.id] = len(members)
                members.append(fallback)
            self.fallback_index = by_id[fallback.id]
        elif fallback is not None:
            msg = f"fallback must be a Jurisdiction, an id or None (got {fallback!r})"
            raise RoutingConfigurationError(msg)
        if unknown_services == "fallback" and self.fallback_index is None:
            msg = "unknown_services='fallback' needs a fallback"
            raise RoutingConfigurationError(msg)
        self.jurisdictions: tuple[Jurisdiction, ...] = tuple(members)
        """Every jurisdiction, the fallback included, in declaration order."""
        self.rules: tuple[Prefer, ...] = tuple(rules)
        self.overlaps = overlaps
        self.unknown_services = unknown_services
        self._by_id = by_id
        self.services: tuple[str, ...] = tuple(sorted(set().union(*(j.services for j in members))))
        """Every service code some jurisdiction declares, sorted."""
        self._service_index = {code: index for index, code in enumerate(self.services)}
        for rule in self.rules:
            if not isinstance(rule, Prefer):
                msg = f"rules must be Prefer values (got {rule!r})"
                raise RoutingConfigurationError(msg)
            if rule.jurisdiction is not None and rule.jurisdiction not in by_id:
                msg = f"rule {rule.label!r} names the jurisdiction {rule.jurisdiction!r}, which is not among them"
                raise RoutingConfigurationError(msg)
            unknown = sorted((rule.services or frozenset()) - set(self.services))
            if unknown:
                msg = f"rule {rule.label!r} names service codes no jurisdiction declares: {unknown}"
                raise RoutingConfigurationError(msg)
        self._build()
        if overlaps == "raise":
            problems = self.ambiguities()
            if problems:
                raise OverlapError(problems)

    def __repr__(self) -> str:
        """Say how many jurisdictions and rules, and which fallback."""
        fallback = self.fallback.id if self.fallback is not None else None
        return (
            f"Router({len(self.jurisdictions)} jurisdictions, {len(self.rules)} rule(s), "
            f"{len(self.services)} service(s), fallback={fallback!r})"
        )

    # --- precomputation ------------------------------------------------------------------------
    def _rule_rank(self, member: Jurisdiction, service_code: str) -> int:
        for rank, rule in enumerate(self.rules):
            if rule.applies(member, service_code):
                return rank
        return len(self.rules)

    def _build(self) -> None:
        n = len(self.jurisdictions)
        services = len(self.services)
        # one extra column, never handled by anyone: unknown codes routed to the fallback
        keys = np.full((n, services + 1), NONE, dtype=np.int64)
        for index, member in enumerate(self.jurisdictions):
            level_rank = LEVELS - member.level
            if member.boundary is None:
                level_rank += LEVELS
            for code in member.services:
                rank = self._rule_rank(member, code)
                keys[index, self._service_index[code]] = (rank * 2 * LEVELS + level_rank) * n + index
        self._n = n
        self._keys = keys
        placed = [index for index, member in enumerate(self.jurisdictions) if member.boundary is not None]
        self._placed = np.asarray(placed, dtype=np.intp)
        self._geoms = np.asarray([self.jurisdictions[index].boundary for index in placed], dtype=object)
        shapely.prepare(self._geoms)
        self._tree = shapely.STRtree(self._geoms)
        self._grid: Grid | None = None
        self._placed_keys = np.ascontiguousarray(keys[self._placed]) if placed else keys[:0]
        free = [index for index, member in enumerate(self.jurisdictions) if member.boundary is None]
        self._free = np.asarray(free, dtype=np.intp)
        free_keys = keys[self._free] if free else np.full((1, services + 1), NONE, dtype=np.int64)
        self._free_best = free_keys.min(axis=0)
        tiers = np.where(free_keys == NONE, -1, free_keys // n)
        self._free_tier = np.where(self._free_best == NONE, -2, self._free_best // n)
        # how many agencies without a boundary share the best rank: more than one is a tie
        self._free_count = (tiers == self._free_tier).sum(axis=0)
        self._free_best_list: list[int] = self._free_best.tolist()
        self._free_tier_list: list[int] = self._free_tier.tolist()
        self._free_count_list: list[int] = self._free_count.tolist()
        self._is_free = np.zeros(n, dtype=bool)
        self._is_free[self._free] = True
        self._ids = np.asarray([member.id for member in self.jurisdictions], dtype=object)

    def _build_grid(self) -> Grid | None:
        """The grid ``route`` and ``route_many`` search (None without boundaries), built on first use."""
        if self._grid is None and len(self._placed):
            self._grid = Grid(self._geoms, self._tree)
        return self._grid

    def ambiguities(self) -> list[tuple[str, str, str]]:
        """Same-rank overlaps: ``(first id, second id, service)`` where two jurisdictions tie inside both.

        Two jurisdictions tie for a service when they handle it with the same
        rule rank and level; they are ambiguous when, moreover, their
        interiors overlap (touching borders are fine: see the border rule), or
        both have no boundary. ``overlaps="raise"`` refuses a router with any.
        """
        n = self._n
        tiers = np.where(self._keys == NONE, -1, self._keys // n)
        found: list[tuple[str, str, str]] = []
        if len(self._placed):
            left, right = self._tree.query(self._geoms, predicate="intersects")
            keep = left < right
            left, right = left[keep], right[keep]
            a, b = self._placed[left], self._placed[right]
            same = (tiers[a] == tiers[b]) & (tiers[a] >= 0)
            clash = same.any(axis=1)
            left, right, a, b, same = left[clash], right[clash], a[clash], b[clash], same[clash]
            if len(left):
                inner = shapely.relate_pattern(self._geoms[left], self._geoms[right], "T********")
                for i, j, row in zip(a[inner], b[inner], same[inner], strict=True):
                    found.extend(
                        (self.jurisdictions[i].id, self.jurisdictions[j].id, self.services[s])
                        for s in np.flatnonzero(row)
                    )
        free = self._free
        for x, i in enumerate(free):
            for j in free[x + 1 :]:
                shared = np.flatnonzero((tiers[i] == tiers[j]) & (tiers[i] >= 0))
                found.extend((self.jurisdictions[i].id, self.jurisdictions[j].id, self.services[s]) for s in shared)
        return sorted(found)

    # --- lookups -------------------------------------------------------------------------------
    def index_of(self, jurisdiction_id: str) -> int:
        """The position of the jurisdiction with this id in ``jurisdictions``.

        Raises:
            KeyError: no jurisdiction has this id.
        """
        return self._by_id[jurisdiction_id]

    def ids(self, indices: ArrayLike) -> NDArray[np.object_]:
        """The ids of the jurisdictions at ``indices`` (as ``route_many`` returns them)."""
        return self._ids[np.asarray(indices, dtype=np.intp)]

    @property
    def fallback(self) -> Jurisdiction | None:
        """The jurisdiction that takes what nothing else handles, if declared."""
        return None if self.fallback_index is None else self.jurisdictions[self.fallback_index]

    def rule_for(self, index: int, service_code: str) -> Prefer | None:
        """The rule that lifts jurisdiction ``index`` for ``service_code``, if any."""
        column = self._service_index.get(service_code)
        if column is None:
            return None
        key = int(self._keys[index, column])
        if key == NONE:
            return None
        rank = key // self._n // (2 * LEVELS)
        return self.rules[rank] if rank < len(self.rules) else None

    def _column(self, service_code: object, index: int | None = None) -> int:
        column = self._service_index.get(service_code) if isinstance(service_code, str) else None
        if column is not None:
            return column
        if self.unknown_services == "fallback" and isinstance(service_code, str):
            return len(self.services)
        raise UnknownServiceError(service_code, self.services, index=index)

    def _code(self, best: int, tie: bool) -> DecisionCode:
        if tie:
            return DecisionCode.BORDER
        if best // self._n // (2 * LEVELS) < len(self.rules):
            return DecisionCode.RULE
        if self._is_free[best % self._n]:
            return DecisionCode.SERVICE
        return DecisionCode.LOCAL

    def _fallback(self, point: tuple[float, float] | None, service_code: str) -> int:
        if self.fallback_index is None:
            where = f"at {point}" if point else "without a location"
            msg = f"no jurisdiction handles {service_code!r} {where}, and the router has no fallback"
            raise NoJurisdictionError(msg, point=point, service_code=service_code)
        return self.fallback_index

    # --- one report ----------------------------------------------------------------------------
    def route(self, lat: float, long: float, service_code: str) -> Decision:
        """Where a report of ``service_code`` at ``(lat, long)`` goes, and why.

        Raises:
            InvalidPointError: NaN or infinite coordinates, out of range (a likely swap is named).
            UnknownServiceError: no jurisdiction declares ``service_code`` (``unknown_services="raise"``).
            NoJurisdictionError: nothing handles it and there is no fallback.
            Anything else is a bug.
        """
        y, x = _check_point(lat, long)
        column = self._column(service_code)
        n = self._n
        best = free = self._free_best_list[column]
        keys: list[int] = []
        grid = self._grid if self._grid is not None else self._build_grid()
        if grid is not None and grid.x0 <= x <= grid.x1 and grid.y0 <= y <= grid.y1:
            cell = min(int((y - grid.y0) / grid.dy), grid.ny - 1) * grid.nx + min(
                int((x - grid.x0) / grid.dx), grid.nx - 1
            )
            first, last = int(grid.starts[cell]), int(grid.starts[cell + 1])
            if first < last:
                found = grid.candidates[first:last]
                ranks = self._placed_keys[found, column].tolist()
                covered = grid.covered[first:last].tolist()
                geoms = self._geoms
                intersects_xy = shapely.intersects_xy
                for candidate, key, whole in zip(found.tolist(), ranks, covered, strict=True):
                    if key < free and (whole or intersects_xy(geoms[candidate], x, y)):
                        keys.append(key)
                if keys:
                    best = min(keys)
        if best == NONE:
            index, code = self._fallback((y, x), service_code), DecisionCode.FALLBACK
        else:
            tier = best // n
            count = sum(key // n == tier for key in keys)
            if self._free_tier_list[column] == tier:
                count += self._free_count_list[column]
            index, code = best % n, self._code(best, count > 1)
        return Decision(y, x, service_code, index, code, self)

    def _around(self, decision: Decision) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The jurisdictions covering a decision's point, and those only whose bounding box holds it."""
        if decision.lat is None or decision.long is None or not len(self._placed):
            return (), ()
        x, y = decision.long, decision.lat
        near = self._tree.query(shapely.points(x, y))
        inside = shapely.intersects_xy(self._geoms[near], x, y)
        return tuple(self._placed[near[inside]].tolist()), tuple(self._placed[near[~inside]].tolist())

    def route_service(self, service_code: str) -> Decision:
        """Where a report without a location goes: an agency without a boundary, or the fallback.

        Raises:
            UnknownServiceError: no jurisdiction declares ``service_code`` (``unknown_services="raise"``).
            NoJurisdictionError: no agency without a boundary handles it and there is no fallback.
        """
        column = self._column(service_code)
        best = int(self._free_best[column])
        if best == NONE:
            index, code = self._fallback(None, service_code), DecisionCode.FALLBACK
        else:
            index, code = best % self._n, self._code(best, int(self._free_count[column]) > 1)
        return Decision(None, None, service_code, index, code, self)

    # --- many reports --------------------------------------------------------------------------
    def route_many(self, lats: ArrayLike, longs: ArrayLike, service_codes: ArrayLike | str) -> RoutedMany:
        """Route many reports at once; the same answer as ``route`` for every point.

        Args:
            lats: latitudes, degrees (any shape; flattened).
            longs: longitudes, degrees, as many as ``lats``.
            service_codes: one service code for every point, or one per point.

        Returns:
            ``RoutedMany(indices, codes)``: per point, the winner's index in
            ``jurisdictions`` (``intp``) and its ``DecisionCode`` (``uint8``).

        Raises:
            InvalidPointError: any bad point (the first one's index and the count are given).
            UnknownServiceError: any unknown service code (``unknown_services="raise"``).
            NoJurisdictionError: a report nothing handles and no fallback.
        """
        y = np.ascontiguousarray(lats, dtype=np.float64).ravel()
        x = np.ascontiguousarray(longs, dtype=np.float64).ravel()
        if y.shape != x.shape:
            msg = f"lats and longs must have the same length (got {y.size} and {x.size})"
            raise ValueError(msg)
        self._check_many(y, x)
        columns = self._columns_many(service_codes, y.size)
        n = self._n
        best = self._free_best[columns]
        count = np.where(
            self._free_tier[columns] == np.where(best == NONE, -2, best // n), self._free_count[columns], 0
        )
        if len(self._placed):
            point, keys = self._covering_keys(x, y, columns, best)
            if len(point):
                # pairs come in point order: one segment per point
                starts = np.flatnonzero(np.concatenate(([True], point[1:] != point[:-1])))
                owners = point[starts]
                best[owners] = np.minimum(best[owners], np.minimum.reduceat(keys, starts))
                tier = np.where(best == NONE, -2, best // n)
                count = np.where(self._free_tier[columns] == tier, self._free_count[columns], 0)
                count += np.bincount(point[keys // n == tier[point]], minlength=y.size)
        ties = count > 1
        missing = best == NONE
        indices = (best % n).astype(np.intp)
        codes = np.full(y.size, DecisionCode.LOCAL, dtype=np.uint8)
        codes[self._is_free[indices]] = DecisionCode.SERVICE
        codes[best // n // (2 * LEVELS) < len(self.rules)] = DecisionCode.RULE
        codes[ties] = DecisionCode.BORDER
        if missing.any():
            first = int(np.argmax(missing))
            fallback = self._fallback((float(y[first]), float(x[first])), self._code_name(service_codes, first))
            indices[missing] = fallback
            codes[missing] = DecisionCode.FALLBACK
        return RoutedMany(indices, codes)

    def _covering_keys(
        self,
        x: NDArray[np.float64],
        y: NDArray[np.float64],
        columns: NDArray[np.intp],
        free_best: NDArray[np.int64],
    ) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
        """``(point, rank)`` for every boundary covering a point that handles its service and could win.

        Candidates come from the grid (built on first use); those that do not
        handle the service, or rank after an agency without a boundary, are
        dropped untested; a candidate covering the point's whole cell needs no
        test; the others are tested only if they could still win or tie.
        """
        grid = self._grid if self._grid is not None else self._build_grid()
        assert grid is not None  # there are boundaries  # noqa: S101
        point, tree, covered = grid.pairs(x, y)
        keys = self._placed_keys[tree, columns[point]]
        useful = keys < free_best[point]
        point, tree, covered, keys = point[useful], tree[useful], covered[useful], keys[useful]
        if not len(point):
            return point, keys
        starts = np.flatnonzero(np.concatenate(([True], point[1:] != point[:-1])))
        sure = np.minimum.reduceat(np.where(covered, keys, NONE), starts)
        lengths = np.diff(np.append(starts, len(point)))
        sure_tier = np.where(sure == NONE, NONE, sure // self._n)
        px, py = x[point], y[point]
        box = grid.bounds[tree]
        test = (
            ~covered
            & (keys // self._n <= np.repeat(sure_tier, lengths))
            & (px >= box[:, 0])
            & (px <= box[:, 2])
            & (py >= box[:, 1])
            & (py <= box[:, 3])
        )
        hit = covered.copy()
        tested = np.flatnonzero(test)
        hit[tested] = shapely.intersects_xy(self._geoms[tree[tested]], px[tested], py[tested])
        return point[hit], keys[hit]

    def _check_many(self, y: NDArray[np.float64], x: NDArray[np.float64]) -> None:
        bad_number = ~(np.isfinite(y) & np.isfinite(x))
        bad_lat = ~bad_number & ((y < -90.0) | (y > 90.0))  # noqa: PLR2004
        bad_long = ~bad_number & ((x < -180.0) | (x > 180.0))  # noqa: PLR2004
        bad = bad_number | bad_lat | bad_long
        if not bad.any():
            return
        first = int(np.argmax(bad))
        count = int(bad.sum())
        value = (float(y[first]), float(x[first]))
        if bad_number[first]:
            raise InvalidPointError(
                "lat, long", value, "finite numbers (not NaN or infinite)", index=first, count=count
            )
        if bad_lat[first]:
            swapped = " (lat and long swapped?)" if -90.0 <= x[first] <= 90.0 else ""  # noqa: PLR2004
            raise InvalidPointError("lat", value[0], f"between -90 and 90 degrees{swapped}", index=first, count=count)
        raise InvalidPointError("long", value[1], "between -180 and 180 degrees", index=first, count=count)

    def _columns_many(self, service_codes: ArrayLike | str, size: int) -> NDArray[np.intp]:
        if isinstance(service_codes, str):
            return np.full(size, self._column(service_codes), dtype=np.intp)
        codes = np.asarray(service_codes, dtype=object).ravel()
        if codes.size != size:
            msg = f"service_codes must be one code or one per point (got {codes.size} for {size} points)"
            raise ValueError(msg)
        unknown = -1 if self.unknown_services == "raise" else len(self.services)
        lookup = self._service_index.get
        columns = np.fromiter((lookup(code, unknown) for code in codes.tolist()), dtype=np.intp, count=size)
        if unknown == -1 and (columns < 0).any():
            first = int(np.argmax(columns < 0))
            raise UnknownServiceError(codes[first], self.services, index=first)
        return columns

    @staticmethod
    def _code_name(service_codes: Any, index: int) -> str:
        if isinstance(service_codes, str):
            return service_codes
        return str(np.asarray(service_codes, dtype=object).ravel()[index])

    # --- explanations (read lazily by Decision; the wording lives in _explain.py) ---------------
    def _candidates(self, decision: Decision) -> tuple[Candidate, ...]:
        return _explain.candidates(self, decision)

    def _explain(self, decision: Decision) -> str:
        return _explain.explain(self, decision)
