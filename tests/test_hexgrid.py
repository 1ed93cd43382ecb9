"""Hex-grid maths: coordinates, neighbours, distances, point location, projection."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.map.hexgrid import (AXIAL_DIRECTIONS, HexGrid, Layout, Projection, axial_distance, axial_to_offset, cube_round,
                            great_circle_km, offset_to_axial, opposite)

GRID = HexGrid(ncols=67, nrows=59, size=5.5 / math.sqrt(3))
hex_ids = st.integers(0, GRID.count - 1)
directions = st.integers(0, 5)


@given(st.integers(-500, 500), st.integers(-500, 500))
def test_offset_axial_round_trip(col, row):
    assert axial_to_offset(*offset_to_axial(col, row)) == (col, row)
    assert offset_to_axial(*axial_to_offset(col, row)) == (col, row)


@given(hex_ids)
def test_hex_id_col_row_round_trip(h):
    assert GRID.hex_id(*GRID.col_row(h)) == h
    assert GRID.from_axial(*GRID.axial(h)) == h


@given(hex_ids, directions)
def test_neighbour_symmetry(h, d):
    n = GRID.neighbour(h, d)
    if n >= 0:
        assert GRID.neighbour(n, opposite(d)) == h
        assert GRID.distance(h, n) == 1


def test_opposite_directions_cancel():
    for d in range(6):
        (a, b), (c, e) = AXIAL_DIRECTIONS[d], AXIAL_DIRECTIONS[opposite(d)]
        assert (a + c, b + e) == (0, 0)


@given(hex_ids, hex_ids, hex_ids)
def test_distance_is_a_metric(a, b, c):
    assert GRID.distance(a, b) == GRID.distance(b, a)
    assert (GRID.distance(a, b) == 0) == (a == b)
    assert GRID.distance(a, c) <= GRID.distance(a, b) + GRID.distance(b, c)


@given(hex_ids, hex_ids)
def test_distance_matches_centre_spacing(a, b):
    """Hex steps never undercut the straight-line distance in hex widths."""
    (xa, ya), (xb, yb) = GRID.center(a), GRID.center(b)
    assert GRID.distance(a, b) >= math.hypot(xa - xb, ya - yb) / GRID.width - 1e-9


@settings(max_examples=50)
@given(hex_ids)
def test_distances_from_matches_distance(h):
    d = GRID.distances_from(h)
    for other in (0, GRID.count - 1, h, (h * 7919) % GRID.count):
        assert d[other] == GRID.distance(h, other)


def test_axial_distance_known_values():
    assert axial_distance(0, 0, 3, 0) == 3
    assert axial_distance(0, 0, 2, -1) == 2
    assert axial_distance(0, 0, -2, 4) == 4


@given(hex_ids)
def test_at_point_of_centre(h):
    assert GRID.at_point(*GRID.center(h)) == h


@given(hex_ids, st.floats(0, 2 * math.pi), st.floats(0, 0.99))
def test_at_point_inside_inscribed_circle(h, ang, frac):
    x, y = GRID.center(h)
    r = frac * GRID.width / 2
    assert GRID.at_point(x + r * math.cos(ang), y + r * math.sin(ang)) == h


@given(st.floats(-10, 10), st.floats(-10, 10))
def test_cube_round_picks_nearest_hex(qf, rf):
    q, r = cube_round(qf, rf)

    def xy(q_, r_):
        return math.sqrt(3) * (q_ + r_ / 2), 1.5 * r_

    x, y = xy(qf, rf)
    best = math.hypot(x - xy(q, r)[0], y - xy(q, r)[1])
    for dq, dr in AXIAL_DIRECTIONS:
        assert best <= math.hypot(x - xy(q + dq, r + dr)[0], y - xy(q + dq, r + dr)[1]) + 1e-9


def test_centers_match_center():
    x, y = GRID.centers()
    for h in (0, 1, GRID.ncols, GRID.ncols + 1, GRID.count - 1):
        assert (x[h], y[h]) == GRID.center(h)


def test_neighbour_spacing_is_hex_width():
    x, y = GRID.centers()
    nbr = GRID.neighbour_table()
    ok = nbr >= 0
    d = np.hypot(x[np.where(ok, nbr, 0)] - x[:, None], y[np.where(ok, nbr, 0)] - y[:, None])[ok]
    assert np.allclose(d, GRID.width)


def test_neighbour_table_matches_single_neighbour_steps():
    for g in (GRID, HexGrid(1, 1, 1.0), HexGrid(5, 4, 1.0), HexGrid(2, 7, 3.0)):
        table = g.neighbour_table()
        assert table.shape == (g.count, 6)
        for h in range(g.count):
            assert table[h].tolist() == [g.neighbour(h, d) for d in range(6)]


@given(st.floats(-300.0, 600.0), st.floats(-300.0, 600.0))
def test_vectorised_hex_lookup_matches_at_point(x, y):
    assert int(GRID.hex_ids_at(np.array([x]), np.array([y]))[0]) == GRID.at_point(x, y)


def test_layout_round_trips_centres_and_scales_with_origin():
    lay = Layout(10.0, (3.0, -4.0))
    q = np.arange(-5, 6)
    r = np.arange(3, 14)
    x, y = lay.to_pixel(q, r)
    q2, r2 = lay.from_pixel(x, y)
    assert q2.tolist() == q.tolist() and r2.tolist() == r.tolist()
    assert lay.to_pixel(0, 0) == (3.0, -4.0)


def test_layout_corners_lie_on_the_circumcircle_starting_at_the_top():
    lay = GRID.layout
    c = lay.corners(*GRID.center(5))
    x, y = GRID.center(5)
    assert np.allclose(np.hypot(c[:, 0] - x, c[:, 1] - y), GRID.size)
    assert np.isclose(c[0, 0], x) and np.isclose(c[0, 1], y - GRID.size)


def test_side_segment_is_shared_with_the_neighbour_across_it():
    x, y = GRID.centers()
    h = GRID.hex_id(10, 11)
    for d in range(6):
        n = GRID.neighbour(h, d)
        mine = GRID.layout.side_segments(x[h], y[h], d)
        theirs = GRID.layout.side_segments(x[n], y[n], opposite(d))
        assert np.allclose(mine, theirs[::-1])


def test_world_size_holds_every_corner():
    w, h = GRID.world_size
    c = GRID.layout.corners(*GRID.centers())
    assert c[..., 0].min() >= -1e-9 and c[..., 0].max() <= w + 1e-9
    assert c[..., 1].min() >= -1e-9 and np.isclose(c[..., 1].max(), h)


PROJ = Projection(lat0=27.45, lon_min=109.3, lat_max=28.7)


@given(st.floats(26.0, 29.0), st.floats(109.0, 113.5))
def test_projection_round_trip(lat, lon):
    la, lo = PROJ.to_latlon(*PROJ.to_km(lat, lon))
    assert math.isclose(la, lat, abs_tol=1e-9) and math.isclose(lo, lon, abs_tol=1e-9)


def test_projection_orientation():
    assert PROJ.to_km(28.7, 109.3) == (0.0, 0.0)
    x, y = PROJ.to_km(28.0, 110.0)
    assert x > 0 and y > 0


@settings(max_examples=200)
@given(st.floats(26.2, 28.7), st.floats(109.3, 113.0), st.floats(26.2, 28.7), st.floats(109.3, 113.0))
def test_projection_distance_error_small(lat1, lon1, lat2, lon2):
    gc = great_circle_km(lat1, lon1, lat2, lon2)
    (x1, y1), (x2, y2) = PROJ.to_km(lat1, lon1), PROJ.to_km(lat2, lon2)
    assert abs(math.hypot(x1 - x2, y1 - y2) - gc) <= 0.015 * gc + 1e-6


def test_projection_arrays():
    lat, lon = np.array([27.0, 28.0]), np.array([110.0, 112.0])
    x, y = PROJ.to_km(lat, lon)
    la, lo = PROJ.to_latlon(x, y)
    assert np.allclose(la, lat) and np.allclose(lo, lon)


def test_distance_rows_kept_stay_bounded(monkeypatch):
    from engine.map import hexgrid

    grid = hexgrid.HexGrid(ncols=20, nrows=15, size=1.0)
    monkeypatch.setattr(hexgrid, "DISTANCE_ROWS_CACHED", 4)
    for h in range(30):
        assert grid.distances_from(h)[h] == 0
    assert len(grid._distance_rows) == 4


def test_the_hexes_within_a_radius_are_those_at_most_that_many_steps_away():
    from engine.map.hexgrid import HexGrid

    g = HexGrid(9, 7, 1.0)
    for h in (0, 8, 31, 62):
        for r in (0, 1, 2, 5):
            assert g.within(h, r).tolist() == [b for b in range(g.count) if g.distance(h, b) <= r]
