"""``route_many`` equals ``route`` point by point: on borders, corners, inside and outside everything."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from georeport.routing import DecisionCode, InvalidPointError, Router, UnknownServiceError, demo_router
from tests.routing.strategies import SERVICES, grid_points, grid_routers

DEMO = demo_router()
LENIENT = Router(DEMO.jurisdictions, rules=DEMO.rules, fallback="usa-contact-centre", unknown_services="fallback")
# every vertex of every boundary: exactly on borders (and corners shared by neighbours)
VERTICES = [
    (float(y), float(x))
    for member in DEMO.jurisdictions
    if member.boundary is not None
    for x, y in shapely.get_coordinates(member.boundary)
]

demo_points = st.one_of(
    st.sampled_from(VERTICES),
    st.tuples(st.floats(43.8, 46.2), st.floats(-121.2, -118.8)),  # the scenario and a margin around it
    st.tuples(st.floats(44.6, 45.4), st.just(-119.8)),  # on the Aspen / Cedar county line
    st.tuples(st.floats(44.97, 45.03), st.just(-120.05)),  # on the border of the town and the park
    st.tuples(st.floats(-90, 90), st.floats(-180, 180)),  # anywhere, mostly outside everything
)


def agree(router: Router, points: list[tuple[float, float]], services: list[str]) -> None:
    lats = np.array([p[0] for p in points])
    longs = np.array([p[1] for p in points])
    indices, codes = router.route_many(lats, longs, np.array(services, dtype=object))
    for i, (lat, long) in enumerate(points):
        decision = router.route(lat, long, services[i])
        assert (decision.index, int(decision.code)) == (int(indices[i]), int(codes[i])), (lat, long, services[i])
        if services[i] in router.services:
            assert (decision.index, decision.code) == naive(router, lat, long, services[i])


@given(st.lists(st.tuples(demo_points, st.sampled_from([*DEMO.services, "NOPE-1"])), min_size=1, max_size=40))
def test_route_many_equals_route_on_the_demo_scenario(reports: list[tuple[tuple[float, float], str]]) -> None:
    # unknown codes go to the fallback in this router; the strict one refuses them (test_router.py)
    agree(LENIENT, [point for point, _ in reports], [service for _, service in reports])


def naive(router: Router, lat: float, long: float, service: str) -> tuple[int, DecisionCode]:
    """The steps as the docs state them, one jurisdiction at a time."""
    point = shapely.Point(long, lat)
    ranks = []
    for index, member in enumerate(router.jurisdictions):
        if not member.handles(service) or (member.boundary is not None and not member.boundary.covers(point)):
            continue
        rule = next((r for r, prefer in enumerate(router.rules) if prefer.applies(member, service)), len(router.rules))
        ranks.append((rule, member.boundary is None, -member.level, index))
    if not ranks:
        assert router.fallback_index is not None
        return router.fallback_index, DecisionCode.FALLBACK
    best = min(ranks)
    if sum(rank[:3] == best[:3] for rank in ranks) > 1:
        return best[3], DecisionCode.BORDER
    if best[0] < len(router.rules):
        return best[3], DecisionCode.RULE
    return best[3], DecisionCode.SERVICE if best[1] else DecisionCode.LOCAL


@settings(max_examples=max(10, settings().max_examples // 2))  # a router per example: the costly part
@given(
    grid_routers(), st.lists(st.tuples(grid_points, st.sampled_from([*SERVICES, "NOPE-1"])), min_size=1, max_size=20)
)
def test_route_many_equals_route_and_the_stated_steps_on_random_routers_over_touching_boxes(
    router: Router, reports: list[tuple[tuple[float, float], str]]
) -> None:
    points = [point for point, _ in reports]
    agree(router, points, [service for _, service in reports])
    for point, service in reports:
        decision = router.route(*point, service)
        winner = decision.jurisdiction
        if decision.is_fallback:
            assert all(not router.jurisdictions[i].handles(service) for i in decision.covering)
            continue
        assert winner.handles(service)
        if winner.boundary is not None:
            assert winner.boundary.covers(shapely.Point(point[1], point[0]))
        chosen = [c for c in decision.candidates if c.status.value == "chosen"]
        assert [c.index for c in chosen] == [decision.index]
        assert decision.explanation.startswith(winner.describe())


@given(
    st.lists(st.tuples(st.floats(), st.floats()), min_size=1, max_size=10), st.sampled_from([*DEMO.services, "NOPE-1"])
)
def test_any_numbers_give_decisions_or_typed_errors_and_the_twins_agree(
    points: list[tuple[float, float]], service: str
) -> None:
    outcomes: list[object] = []
    for lat, long in points:
        try:
            decision = DEMO.route(lat, long, service)
        except (InvalidPointError, UnknownServiceError) as error:
            outcomes.append(type(error))
        else:
            outcomes.append((decision.index, decision.code))
    lats, longs = np.array([p[0] for p in points]), np.array([p[1] for p in points])
    errors = [outcome for outcome in outcomes if isinstance(outcome, type)]
    if errors:
        with pytest.raises((InvalidPointError, UnknownServiceError)) as raised:
            DEMO.route_many(lats, longs, service)
        assert type(raised.value) in errors
        if isinstance(raised.value, InvalidPointError):
            assert raised.value.index == outcomes.index(InvalidPointError)
    else:
        indices, codes = DEMO.route_many(lats, longs, service)
        assert outcomes == list(zip(indices.tolist(), [DecisionCode(c) for c in codes.tolist()], strict=True))
