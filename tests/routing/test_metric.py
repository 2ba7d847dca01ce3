"""Metres are real metres: the local projection against Vincenty's geodesics (and pyproj when installed)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString

from georeport.routing import LocalProjection, corridor
from georeport.routing._metric import WGS84_A, WGS84_F


def vincenty(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance on WGS 84 in metres (Vincenty's inverse formula, written out for the test)."""
    a, f = WGS84_A, WGS84_F
    b = a * (1 - f)
    u1, u2 = math.atan((1 - f) * math.tan(math.radians(lat1))), math.atan((1 - f) * math.tan(math.radians(lat2)))
    lam = big_l = math.radians(lon2 - lon1)
    for _ in range(200):
        sin_sigma = math.hypot(
            math.cos(u2) * math.sin(lam), math.cos(u1) * math.sin(u2) - math.sin(u1) * math.cos(u2) * math.cos(lam)
        )
        if sin_sigma == 0:
            return 0.0
        cos_sigma = math.sin(u1) * math.sin(u2) + math.cos(u1) * math.cos(u2) * math.cos(lam)
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = math.cos(u1) * math.cos(u2) * math.sin(lam) / sin_sigma
        cos2_alpha = 1 - sin_alpha**2
        cos_2sm = cos_sigma - 2 * math.sin(u1) * math.sin(u2) / cos2_alpha if cos2_alpha else 0.0
        c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        previous = lam
        lam = big_l + (1 - c) * f * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2))
        )
        if abs(lam - previous) < 1e-13:
            break
    u_sq = cos2_alpha * (a**2 - b**2) / b**2
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta = (
        big_b
        * sin_sigma
        * (
            cos_2sm
            + big_b
            / 4
            * (
                cos_sigma * (-1 + 2 * cos_2sm**2)
                - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2)
            )
        )
    )
    return b * big_a * (sigma - delta)


def test_vincenty_matches_a_known_distance() -> None:
    # one degree of latitude at the equator on WGS 84: 110,574.4 m
    assert vincenty(0.0, 0.0, 1.0, 0.0) == pytest.approx(110_574.4, abs=0.1)


@given(
    st.floats(-80, 80),
    st.floats(-179, 179),
    st.floats(-0.3, 0.3),
    st.floats(-0.3, 0.3),
    st.floats(-0.3, 0.3),
    st.floats(-0.3, 0.3),
)
def test_local_distances_are_within_a_ten_thousandth_of_geodesics(
    lat0: float, lon0: float, a: float, b: float, c: float, d: float
) -> None:
    projection = LocalProjection(lon0, lat0)
    lat1, lon1, lat2, lon2 = lat0 + a, lon0 + b, lat0 + c, lon0 + d
    x, y = projection.forward([lon1, lon2], [lat1, lat2])
    planar = math.hypot(x[1] - x[0], y[1] - y[0])
    geodesic = vincenty(lat1, lon1, lat2, lon2)
    assert planar == pytest.approx(geodesic, rel=2e-4, abs=1e-3)


@given(st.floats(-80, 80), st.floats(-179, 179), st.floats(-50_000, 50_000), st.floats(-50_000, 50_000))
def test_inverse_undoes_forward(lat0: float, lon0: float, x: float, y: float) -> None:
    projection = LocalProjection(lon0, lat0)
    lon, lat = projection.inverse([x], [y])
    x2, y2 = projection.forward(lon, lat)
    assert x2[0] == pytest.approx(x, abs=1e-6)
    assert y2[0] == pytest.approx(y, abs=1e-6)


def test_agrees_with_pyproj_geod_when_installed() -> None:
    pyproj = pytest.importorskip("pyproj")
    geod = pyproj.Geod(ellps="WGS84")
    rng = np.random.default_rng(1)
    projection = LocalProjection(-105.6, 40.3)
    lon, lat, _ = geod.fwd(
        np.full(500, -105.6), np.full(500, 40.3), rng.uniform(0, 360, 500), rng.uniform(0, 30_000, 500)
    )
    x, y = projection.forward(lon, lat)
    _, _, distance = geod.inv(np.full(500, -105.6), np.full(500, 40.3), lon, lat)
    assert np.allclose(np.hypot(x, y), distance, rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("latitude", [0.0, 40.0, 64.0])
@pytest.mark.parametrize("metres", [5.0, 30.0, 400.0])
def test_a_corridor_reaches_its_width_in_metres_and_no_further(latitude: float, metres: float) -> None:
    road = LineString([(10.0, latitude - 0.05), (10.0, latitude + 0.05)])
    area = corridor(road, metres)
    # east of the middle of the road along the parallel: N(phi) cos(phi) per radian of longitude
    phi = math.radians(latitude)
    per_radian = WGS84_A / math.sqrt(1 - WGS84_F * (2 - WGS84_F) * math.sin(phi) ** 2) * math.cos(phi)
    for share, inside in ((0.995, True), (1.005, False)):
        lon = 10.0 + math.degrees(metres * share / per_radian)
        assert vincenty(latitude, 10.0, latitude, lon) == pytest.approx(metres * share, rel=1e-6)
        assert bool(shapely.intersects_xy(area, lon, latitude)) is inside
        assert bool(shapely.intersects_xy(area, 20.0 - lon, latitude)) is inside


def test_corridor_refuses_a_bad_width_or_an_empty_line() -> None:
    with pytest.raises(ValueError, match="positive number of metres"):
        corridor(LineString([(0, 0), (0, 1)]), 0)
    with pytest.raises(ValueError, match="positive number of metres"):
        corridor(LineString([(0, 0), (0, 1)]), float("nan"))
    with pytest.raises(ValueError, match="non-empty line"):
        corridor(LineString(), 10)
