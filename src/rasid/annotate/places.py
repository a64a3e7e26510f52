"""The places layer: the record's LOC entities resolved to points, countries and provinces.

Fills ``record.places`` with one entry per distinct LOC entity (the first mention's name):
``{name, entity, lat, lon, country, admin1, geonames_id, resolution, kind, confidence,
gazetteer_name}``. ``resolution`` says how the place was found — ``project-list``,
``country``, ``admin1``, ``geonames-arabic``, ``skeleton`` (a sound-alike of a GeoNames Latin
name; low confidence) or ``unresolved`` — and ``lat``/``lon`` are null for features without
one point (rivers, seas, straits) and for unresolved names.

Resolution runs twice: first each name alone, to learn which countries the article is about
and where its unambiguous places are; then each name again with that context, so that
``طرابلس`` next to ``بنغازي`` is the Libyan city and next to ``صيدا`` the Lebanese one.
The source's country (its site's country-code domain) counts as context too.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from rasid.annotate.doc import Doc
from rasid.geo import Context, Resolution, gazetteer, resolve

__all__ = ["annotate", "source_country"]

# A GeoNames place this large is one news means when it names it: it may set the context.
_CONTEXT_POPULATION = 50_000
# Country-code domains whose code is not the ISO one.
_TLD_TO_ISO = {"uk": "GB"}


def source_country(site: str | None, url: str | None = None) -> str | None:
    """ISO code of a site's country-code top-level domain (``alwatan.sy`` → ``SY``), if any."""
    host = site or (urlsplit(url).hostname if url else None)
    if not host:
        return None
    tld = host.rstrip(".").rsplit(".", 1)[-1].lower()
    if len(tld) != 2 or not tld.isalpha():
        return None
    code = _TLD_TO_ISO.get(tld, tld.upper())
    return code if code in gazetteer().country_feature else None


def _mentions(entities: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Entity id -> the names its LOC mentions use, first mention first."""
    groups: dict[str, list[str]] = {}
    for entity in sorted(entities, key=lambda e: e.get("start") or 0):
        if entity.get("type") != "LOC":
            continue
        text = entity.get("name") or entity.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        eid = str(entity.get("entity") or text)
        names = groups.setdefault(eid, [])
        for candidate in (text, entity.get("text")):
            if isinstance(candidate, str) and candidate.strip() and candidate not in names:
                names.append(candidate)
    return groups


def _first(names: list[str], context: Context) -> Resolution | None:
    for name in names:
        found = resolve(name, context)
        if found is not None:
            return found
    return None


def annotate(doc: Doc) -> None:
    record = doc.record
    groups = _mentions(record.entities)
    if not groups:
        record.places = []
        return
    g = gazetteer()
    source = record.source
    context = Context(source_country=source_country(source.site, source.url))
    first_pass = {eid: _first(names, context) for eid, names in groups.items()}
    for found in first_pass.values():
        if found is None:
            continue
        country = g.country[found.feature]
        # Only what is certain becomes context: an ambiguous name (طرابلس) must not vote
        # for the country of its default reading, nor a village that merely shares a name
        # (GeoNames' Persian spelling of a hamlet in Iran) for its country.
        if g.kind[found.feature] == "country" or (
            not found.ambiguous
            and (
                found.resolution in {"project-list", "admin1"}
                or g.population[found.feature] >= _CONTEXT_POPULATION
            )
        ):
            if country:
                context.countries.add(country)
            point = g.feature(found.feature)
            if point.lat is not None and point.lon is not None and not found.ambiguous:
                context.points.append((point.lat, point.lon))
    places = []
    for eid, names in groups.items():
        places.append(_place(names[0], eid, _first(names, context)))
    record.places = places


def _place(name: str, eid: str, found: Resolution | None) -> dict[str, Any]:
    if found is None:
        return {
            "name": name, "entity": eid, "lat": None, "lon": None, "country": None,
            "admin1": None, "geonames_id": None, "resolution": "unresolved", "kind": None,
            "confidence": 0.0, "gazetteer_name": None,
        }  # fmt: skip
    f = gazetteer().feature(found.feature)
    return {
        "name": name,
        "entity": eid,
        "lat": None if f.lat is None else round(f.lat, 5),
        "lon": None if f.lon is None else round(f.lon, 5),
        "country": f.country,
        "admin1": f.admin1,
        "geonames_id": f.geonames_id,
        "resolution": found.resolution,
        "kind": f.kind,
        "confidence": found.confidence,
        "gazetteer_name": f.name,
    }
