"""The estimate of a province's land, on synthetic maps: a partition of each country's land
by its own towns, the TopoJSON country shapes it is clipped by, and the province shapes that
claim land first."""

from __future__ import annotations

import numpy as np
import pytest

from rasid.geo import haversine
from rasid.geo.provinces import (
    admin1_points,
    country_grid,
    decode_topojson,
    rasterise,
    shape_grid,
)

pytest.importorskip("scipy")  # installed with datasketch; the runtime never needs it


def square_island(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Land: the square 0–10° N, 0–10° E; everything else is sea."""
    return (lats > 0) & (lats < 10) & (lons > 0) & (lons < 10)


def no_borders(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    return np.full(np.shape(lats), "")


def west_and_east(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Two countries share the island: AA west of 5° E, BB east of it."""
    return np.where(np.asarray(lons) < 5, "AA", "BB")


def test_a_province_is_the_land_nearest_its_towns() -> None:
    towns = [
        (1.0, 1.0, "AA", "AA-1", 0),
        (1.5, 1.0, "AA", "AA-1", 0),
        (1.0, 1.5, "AA", "AA-1", 0),
        (9.0, 9.0, "AA", "AA-2", 0),
    ]
    points = admin1_points(towns, step=0.25, is_land=square_island, country_of=no_borders)
    assert set(points) == {"AA-1", "AA-2"}
    lat1, lon1, cells1 = points["AA-1"]
    lat2, lon2, cells2 = points["AA-2"]
    # The island splits along the diagonal: each half's centre is a third of the way in,
    # far from the corner where AA-1's towns cluster.
    assert 2.5 < lat1 < 4.5 and 2.5 < lon1 < 4.5
    assert 5.5 < lat2 < 7.5 and 5.5 < lon2 < 7.5
    assert haversine(1.17, 1.17, lat1, lon1) > 200
    assert cells1 > cells2  # the cluster sits nearer the middle, so AA-1 gets more land


def test_places_without_a_province_still_hold_their_land() -> None:
    towns = [(1.0, 1.0, "AA", "AA-1", 0), (9.0, 1.0, "AA", None, 0)]
    points = admin1_points(towns, step=0.25, is_land=square_island, country_of=no_borders)
    assert set(points) == {"AA-1"}
    lat, _, _ = points["AA-1"]
    assert lat < 5.0  # the northern half belongs to the unnamed place


def test_sea_belongs_to_no_province() -> None:
    points = admin1_points(
        [(5.0, 5.0, "AA", "AA-1", 0)], step=0.5, is_land=square_island, country_of=no_borders
    )
    lat, lon, cells = points["AA-1"]
    assert haversine(5.0, 5.0, lat, lon) < 30
    assert cells == 20 * 20  # the island's cells only


def test_a_border_keeps_a_desert_province_from_the_towns_across_it() -> None:
    # AA-1's only town is on the island's west coast; BB's town stands just across the
    # border. Without borders BB's town takes the eastern part of AA's desert too.
    towns = [(5.0, 0.5, "AA", "AA-1", 0), (5.0, 5.5, "BB", "BB-1", 0)]
    plain = admin1_points(towns, step=0.25, is_land=square_island, country_of=no_borders)
    clipped = admin1_points(towns, step=0.25, is_land=square_island, country_of=west_and_east)
    assert plain["AA-1"][1] < 2.0 and plain["AA-1"][2] == 12 * 40
    # With the border AA-1 is all of AA: 0–5° E, centred at 2.5° E.
    assert clipped["AA-1"][2] == 20 * 40
    assert clipped["AA-1"][1] == pytest.approx(2.5, abs=0.01)
    assert clipped["BB-1"][1] == pytest.approx(7.5, abs=0.01)


def test_a_town_in_a_disputed_area_keeps_the_land_around_it() -> None:
    # GeoNames files the town under AA, but it stands inside BB's shape: the BB land nearest
    # to it stays its own rather than going to BB's far town.
    towns = [(5.0, 2.0, "AA", "AA-1", 0), (5.0, 6.0, "AA", "AA-2", 0), (5.0, 9.5, "BB", "BB-1", 0)]
    points = admin1_points(towns, step=0.25, is_land=square_island, country_of=west_and_east)
    assert points["AA-2"][2] > 0
    assert 5.0 < points["AA-2"][1] < 7.75  # east of the border, west of the midpoint to BB


def test_a_province_without_a_shape_takes_only_the_land_no_shape_claims() -> None:
    # AA-1's town stands at 3° E, AA-2's at 8° E; AA-3 has no town but a shape, the strip
    # west of 2° E. Without the shape AA-1 would be 0–5.5° E, centred at 2.75° E.
    towns = [(5.0, 3.0, "AA", "AA-1", 0), (5.0, 8.0, "AA", "AA-2", 0)]

    def strip_of_aa3(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
        return np.where(np.asarray(lons) < 2, "AA-3", "")

    plain = admin1_points(towns, step=0.25, is_land=square_island, country_of=no_borders)
    claimed = admin1_points(
        towns, step=0.25, is_land=square_island, country_of=no_borders, claimed=strip_of_aa3
    )
    assert plain["AA-1"][1] == pytest.approx(2.75, abs=0.01)
    assert claimed["AA-1"][1] == pytest.approx(3.75, abs=0.01)  # 2–5.5° E
    assert claimed["AA-1"][2] == plain["AA-1"][2] == 40 * 22  # the land its town is given
    assert claimed["AA-2"] == plain["AA-2"]  # nothing of its land is claimed


def test_a_province_whose_land_is_all_claimed_keeps_all_of_it() -> None:
    towns = [(5.0, 3.0, "AA", "AA-1", 0), (5.0, 8.0, "AA", "AA-2", 0)]

    def west_claimed(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
        return np.where(np.asarray(lons) < 5.5, "AA-3", "")

    points = admin1_points(
        towns, step=0.25, is_land=square_island, country_of=no_borders, claimed=west_claimed
    )
    assert points["AA-1"][1] == pytest.approx(2.75, abs=0.01)  # its whole land, as before


# An old parent: AA-2's shape, the island west of 6° E, was drawn before AA-1 was split from
# it, and still holds AA-1's town (4.5° E). AA-1's land by its town is 3.25–6.25° E; AA-3's
# town stands at 8° E, in no shape.
SPLIT_TOWNS = [
    (5.0, 2.0, "AA", "AA-2", 0),
    (5.0, 4.5, "AA", "AA-1", 0),
    (5.0, 8.0, "AA", "AA-3", 0),
]


def west_of_6(code: str):
    def claimed(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
        return np.where(np.asarray(lons) < 6, code, "")

    return claimed


def test_an_old_parent_shape_does_not_take_the_land_of_a_province_split_from_it() -> None:
    points = admin1_points(
        SPLIT_TOWNS,
        step=0.25,
        is_land=square_island,
        country_of=no_borders,
        claimed=west_of_6("AA-2"),
    )
    before = admin1_points(
        SPLIT_TOWNS,
        step=0.25,
        is_land=square_island,
        country_of=no_borders,
        claimed=west_of_6("AA-2"),
        keep_parents=True,
    )
    # Every town of AA-1 stands in AA-2's shape: that shape is AA-1's parent, and its claim
    # leaves AA-1 the whole land its town is given, not the strip east of 6° E.
    assert points["AA-1"][1] == pytest.approx(4.75, abs=0.01)
    assert before["AA-1"][1] == pytest.approx(6.125, abs=0.01)  # only the strip
    assert points["AA-3"] == before["AA-3"]  # its town is in no shape: nothing changes


def test_a_shape_of_another_country_is_no_parent() -> None:
    # The same map, but the shape that holds AA-1's town is BB's (a border drawn differently
    # in two sources): it is not the shape AA-1 was split from, and its claim stands.
    points = admin1_points(
        SPLIT_TOWNS,
        step=0.25,
        is_land=square_island,
        country_of=no_borders,
        claimed=west_of_6("BB-2"),
    )
    assert points["AA-1"][1] == pytest.approx(6.125, abs=0.01)


def test_a_province_whose_towns_lie_in_two_shapes_has_no_parent() -> None:
    towns = [*SPLIT_TOWNS, (6.0, 6.5, "AA", "AA-1", 0)]  # a second town, east of the shape
    points = admin1_points(
        towns, step=0.25, is_land=square_island, country_of=no_borders, claimed=west_of_6("AA-2")
    )
    assert points["AA-1"][1] > 6.0  # only its unclaimed land counts, as before


def test_a_town_district_keeps_the_hole_drawn_for_it_in_its_parent() -> None:
    # AA-1 is a town district: Natural Earth draws it as a hole in AA-2 (4–5° N, 3.5–4.25° E)
    # with a shape of its own that was not kept, and the simplified shapes leave its town
    # just outside the hole, in AA-2. That hole, not all the land its town is given, is AA-1.
    def with_hole(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
        lats, lons = np.asarray(lats), np.asarray(lons)
        hole = (lats > 4) & (lats < 5) & (lons > 3.5) & (lons < 4.25)
        return np.where((lons < 6) & ~hole, "AA-2", "")

    def drawn(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
        return np.where(with_hole(lats, lons) == "", "AA-1", "")

    points = admin1_points(
        SPLIT_TOWNS,
        step=0.25,
        is_land=square_island,
        country_of=no_borders,
        claimed=with_hole,
        drawn=drawn,
    )
    lat, lon, _ = points["AA-1"]
    # The hole and the strip east of 6° E are its unclaimed land (12 cells and 40): the
    # parent's claim stands, since a shape was drawn for the district.
    assert lat == pytest.approx((12 * 4.5 + 40 * 5.0) / 52, abs=0.02) and lon == pytest.approx(
        (12 * 3.875 + 40 * 6.125) / 52, abs=0.02
    )


def test_a_large_town_reaches_further_than_a_village() -> None:
    towns = [(5.0, 2.0, "AA", "AA-1", 2_000_000), (5.0, 8.0, "AA", "AA-2", 500)]

    def partition(exponent: float) -> dict[str, tuple[float, float, int]]:
        return admin1_points(
            towns, step=0.25, is_land=square_island, country_of=no_borders, exponent=exponent
        )

    even, weighted = partition(0), partition(0.05)
    assert even["AA-1"][2] == even["AA-2"][2]  # the midpoint splits the island in two
    assert weighted["AA-1"][2] > even["AA-1"][2]
    assert weighted["AA-2"][2] > 0  # the village still holds the land around it


# A hand-written TopoJSON topology in the form world-atlas uses: quantized, delta-encoded
# arcs and a transform. Arc 0 is the 0–4 square's outline, arc 1 a hole (1–2 square) inside
# it, arc 2 the 4–6 × 0–4 strip east of it sharing no arc; "001" has no id and is skipped.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [0, 0]},
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "729", "arcs": [[0], [~1]]},
                {"type": "MultiPolygon", "id": "434", "arcs": [[[2]]]},
                {"type": "Polygon", "arcs": [[2]], "properties": {"name": "no id"}},
                {"type": "Point", "id": "999", "coordinates": [1, 1]},
            ],
        }
    },
    "arcs": [
        [[0, 0], [8, 0], [0, 8], [-8, 0], [0, -8]],
        [[2, 2], [0, 2], [2, 0], [0, -2], [-2, 0]],
        [[8, 0], [4, 0], [0, 8], [-4, 0], [0, -8]],
    ],
}


def test_topojson_arcs_are_decoded_into_rings() -> None:
    shapes = decode_topojson(TOPOLOGY)
    assert set(shapes) == {"729", "434"}
    outer, hole = shapes["729"]
    assert outer.tolist() == [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    # Arc 1 runs (1, 1) → (1, 2) → (2, 2) → (2, 1); ~1 walks it backwards.
    assert hole.tolist() == [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]
    assert shapes["434"][0][:, 0].min() == 4 and shapes["434"][0][:, 0].max() == 6


def test_consecutive_arcs_of_a_ring_share_their_joining_point() -> None:
    topology = {
        "objects": {"x": {"geometries": [{"type": "Polygon", "id": "AA", "arcs": [[0, 1]]}]}},
        "arcs": [[[0, 0], [3, 0], [3, 3]], [[3, 3], [0, 3], [0, 0]]],
    }
    (ring,) = decode_topojson(topology, "x")["AA"]
    assert ring.tolist() == [[0, 0], [3, 0], [3, 3], [0, 3], [0, 0]]


def test_rasterising_keeps_holes_holes() -> None:
    lats = lons = np.arange(0.25, 6, 0.5)  # cell centres 0.25 … 5.75
    inside = rasterise(decode_topojson(TOPOLOGY)["729"], lats, lons)
    assert inside.sum() == 8 * 8 - 2 * 2
    assert inside[0, 0] and inside[7, 7] and not inside[8, 0]
    assert not inside[2, 2] and not inside[3, 3]  # the hole, 1–2° on both axes


def test_polygons_of_one_feature_that_touch_merge() -> None:
    left = np.array([[0, 0], [2, 0], [2, 2], [0, 2]], dtype=float)
    right = np.array([[2, 0], [4, 0], [4, 2], [2, 2]], dtype=float)
    lats = lons = np.arange(0.5, 5, 1.0)
    inside = rasterise([left, right], lats, lons)
    assert inside[:2, :4].all() and inside.sum() == 8


def test_country_grid_maps_numeric_ids_to_alpha2() -> None:
    country_of = country_grid(decode_topojson(TOPOLOGY), step=0.5)
    lats = np.array([0.5, 1.5, 3.5, 2.0, 2.0, 5.0])
    lons = np.array([0.5, 1.5, 3.5, 5.0, 8.0, 0.5])
    assert country_of(lats, lons).tolist() == ["SD", "", "SD", "LY", "", ""]


def test_a_ring_across_the_antimeridian_fills_both_edges_of_the_map() -> None:
    # An island from 179° E to 179° W, written as rings jump: 180 and -180 are one meridian.
    ring = np.array([[179.0, -1.0], [-179.0, -1.0], [-179.0, 1.0], [179.0, 1.0]])
    country_of = country_grid({"FJ": [ring]}, step=0.5)
    lats = np.array([0.0, 0.0, 0.0, 0.0])
    lons = np.array([179.5, -179.5, 178.0, 0.0])
    assert country_of(lats, lons).tolist() == ["FJ", "FJ", "", ""]


def test_shape_grid_names_the_province_shape_a_point_is_in() -> None:
    west = np.array([[0, 0], [2, 0], [2, 2], [0, 2]], dtype=float)
    east = np.array([[1, 0], [4, 0], [4, 2], [1, 2]], dtype=float)  # overlaps west at 1–2° E
    shape_of = shape_grid([("AA-1", [west]), ("AA-2", [east])], step=0.5)
    lats = np.array([1.0, 1.0, 1.0, 3.0])
    lons = np.array([0.25, 1.75, 3.75, 0.25])
    assert shape_of(lats, lons).tolist() == ["AA-1", "AA-2", "AA-2", ""]  # the later one wins
