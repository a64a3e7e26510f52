"""From an Arabic place name (and what else the article mentions) to one place.

:func:`candidates` finds every place a name may mean, trying in turn the name as written,
the name without a generic word (``مدينة``، ``محافظة``، ``أوبلاست``), without a one-letter
proclitic (``بخيرسون``), and last the consonant skeleton against GeoNames' Latin names.
:func:`resolve` then picks one with the article as evidence:

* the project's list (curated for Arabic news) first, then a country of that name
  (``الجزائر`` the country, not the city) unless a generic word says city or province;
* a generic word decides between a city and a province of the same name (``محافظة إدلب``);
* a candidate in a country the article mentions, or in the source's country, scores higher,
  and so does one near the other places the article names (``طرابلس`` with ``بنغازي`` is in
  Libya, with ``بيروت`` in Lebanon);
* otherwise the populous one wins.

Skeleton matches are accepted only in a country the article mentions or for towns of
10,000+ people, and carry a low confidence: they are guesses a reader should be able to see.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from rasid.geo.index import Gazetteer, gazetteer, haversine, name_key
from rasid.geo.skeleton import skeleton_ar

__all__ = ["Context", "Resolution", "candidates", "resolve"]

_PROCLITICS = ("و", "ب", "ل", "ف")
_SKELETON_MIN_POPULATION = 10_000
_LISTED_POPULATION = 100_000
_UNRECORDED_POPULATION = 1_000
# Kinds of the project list that are places a point stands for (a river has no one point).
_CITY_KINDS = frozenset({"city", "town", "camp", "district"})
# A place this large with a written Arabic name is a reading of its own, even outside the
# article's countries: برلين in an article on Syria and France is Berlin, not Barlin (France).
_MAJOR_POPULATION = 100_000


@dataclass(slots=True)
class Context:
    """What the article says about where it is: countries it names (ISO codes), the source's
    country, and points of places already resolved without doubt."""

    countries: set[str] = field(default_factory=set)
    source_country: str | None = None
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Resolution:
    feature: int  # index into the gazetteer
    resolution: str  # project-list | country | admin1 | geonames-arabic | skeleton
    confidence: float
    ambiguous: bool  # the name also fits another place (not just another entry for this one)


def _generic_split(g: Gazetteer, key: str) -> tuple[str, str | None]:
    """The name without the generic words before or after it (``ناحية مركز الرستن``), and the
    kind the first of them says."""
    words = key.split()
    hint = None
    while len(words) > 1:
        first = g.generic.get(words[0])
        last = g.generic.get(words[-1])
        if first is not None and first[0] in {"prefix", "both"}:
            words = words[1:]
            hint = hint or first[1]
        elif last is not None and last[0] in {"suffix", "both"}:
            words = words[:-1]
            hint = hint or last[1]
        else:
            break
    return " ".join(words), hint


def candidates(name: str, g: Gazetteer | None = None) -> tuple[list[int], str | None, str | None]:
    """Gazetteer indexes a name may mean, the kind a generic word asks for, and — when they
    came from the skeleton (sound-alike) index rather than a written name — what was sounded
    out (the name without its generic word)."""
    return _candidates(g or gazetteer(), name_key(name))


def _candidates(g: Gazetteer, key: str) -> tuple[list[int], str | None, str | None]:
    if not key:
        return [], None, None
    stripped, hint = _generic_split(g, key)
    found = g.names(key)
    if hint is not None:
        # The generic word says what kind of place is meant even when the whole name is
        # known (GeoNames files "شعبية المرج" under the town too), and the bare name may mean
        # places the whole one does not ("محافظة البيضاء" is Yemen's province, "البيضاء"
        # Libya's city).
        found = list(dict.fromkeys([*found, *g.names(stripped)]))
    if found:
        return found, hint, None
    for clitic in _PROCLITICS:
        if key.startswith(clitic) and len(key) > 3:
            found = g.names(name_key(key[1:]))
            if found:
                return found, hint, None
    # "رام الله والبيرة", "تاجوراء والنواحي الأربع": a province named after two places, or a
    # place and its surroundings, is found by the first.
    words = stripped.split()
    for k in range(1, len(words)):
        if words[k].startswith("و") and len(words[k]) > 2:
            found = g.names(" ".join(words[:k]))
            if found:
                return found, hint, None
            break
    # Compounds are written with and without the space: "دار فور" / "دارفور", "بور سودان".
    for k in range(len(words) - 1):
        found = g.names(" ".join([*words[:k], words[k] + words[k + 1], *words[k + 2 :]]))
        if found:
            return found, hint, None
    return g.skeletons(stripped), hint, stripped


def _score(g: Gazetteer, i: int, hint: str | None, context: Context) -> float:
    kind, source, country = g.kind[i], g.source[i], g.country[i]
    score = 0.0
    if source == "project-list":
        score += 1.5  # curated for Arabic news, but context still outweighs it
    if kind == "country":
        score += 2.5 if hint is None else -2.0
    elif kind == "admin1":
        score += 2.0 if hint in {"admin1", "region"} else -0.5
    elif hint == "city" and (kind == "city" or kind in _CITY_KINDS):
        score += 1.0
    elif hint in {"admin1", "region"}:
        score -= 1.0
    population = g.population[i]
    if not population and (source == "project-list" or kind == "admin1"):
        # Places the project lists and provinces are ones news writes about: as prominent as
        # a large town (a province in the article's country beats a city of its name abroad).
        population = _LISTED_POPULATION
    elif not population and source == "geonames":
        # GeoNames lists only places of 500+ people here; 0 means "not recorded" (Jiblah).
        population = _UNRECORDED_POPULATION
    score += 0.4 * math.log10(population + 1)
    if country is not None:
        if country in context.countries:
            score += 3.0
        if country == context.source_country:
            score += 2.0
    lat, lon = g.lat[i], g.lon[i]
    if context.points and not math.isnan(lat):
        nearest = min(haversine(lat, lon, plat, plon) for plat, plon in context.points[:20])
        if nearest < 300:
            score += 2.0
        elif nearest < 1000:
            score += 1.0
    return score


def _in_context(g: Gazetteer, i: int, context: Context) -> bool:
    return g.country[i] in context.countries or g.country[i] == context.source_country


def _plausible_sound_alike(g: Gazetteer, i: int, name: str, context: Context) -> bool:
    """A skeleton match is kept in a country the article is about or for a sizeable town;
    three-consonant skeletons (فولين، ريفنا) only for provinces and cities in such a country."""
    in_context = _in_context(g, i, context)
    if min(len(s) for s in skeleton_ar(name)) < 4:
        return in_context and (g.kind[i] == "admin1" or g.population[i] >= 50_000)
    if context.countries or context.source_country:
        # The article says where it is: a sound-alike elsewhere is more likely a wrong guess
        # (موكاجيفا in an article on Ukraine is not Moquegua, Peru).
        return in_context
    return g.population[i] >= _SKELETON_MIN_POPULATION


def _label(g: Gazetteer, i: int, skeleton: bool) -> str:
    if skeleton:
        return "skeleton"
    if g.source[i] == "project-list":
        return "project-list"
    if g.kind[i] in {"country", "admin1"}:
        return g.kind[i]
    if g.source[i] == "babel":
        return "region"
    return "geonames-arabic"


def resolve(name: str, context: Context | None = None) -> Resolution | None:
    """The place ``name`` most likely means in this article, or None when no gazetteer has it
    (never raises; a 5,000-word "name" just finds nothing)."""
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        return None
    g = gazetteer()
    context = context or Context()
    key = name_key(name)
    if not g.names(key):  # "المملكة العربية السعودية" is a name, not a qualified one
        key, context = _qualified(g, key, context)
    ids, hint, sounded = _candidates(g, key)
    if sounded is not None:
        ids = [i for i in ids if _plausible_sound_alike(g, i, sounded, context)]
    elif (
        ids
        and (context.countries or context.source_country)
        and all(
            g.source[i] == "geonames"
            and not _in_context(g, i, context)
            and g.population[i] < _MAJOR_POPULATION
            for i in ids
        )
    ):
        # GeoNames' Arabic-script names mix in Persian and Urdu ones (فولين is a village in
        # Iran): when only such names match, all outside the article's countries, a
        # sound-alike inside them is the better reading.
        bare = _generic_split(g, key)[0]
        local = [i for i in g.skeletons(bare) if _plausible_sound_alike(g, i, bare, context)]
        if local:
            ids, sounded = local, bare
    skeleton = sounded is not None
    if not ids:
        return None
    scored = sorted(((_score(g, i, hint, context), i) for i in ids), reverse=True)
    best_score, best = scored[0]
    if hint == "admin1" and g.kind[best] != "admin1" and g.admin1[best]:
        # "زابوريجيا أوبلاست", "محافظة حلب": a province named after its city.
        province = g.admin1_feature.get(g.admin1[best])
        if province is not None:
            best = province
    # Confidence: high for a single or clearly best reading, lower when the runner-up is
    # close, low for every sound-alike match.
    margin = best_score - scored[1][0] if len(scored) > 1 else 3.0
    same_place = len(scored) > 1 and _same_place(g, best, scored[1][1])
    if same_place:
        margin = 3.0
    confidence = 0.5 + 0.45 * min(1.0, max(0.0, margin) / 3.0)
    if skeleton:
        confidence = min(confidence, 0.5)
    ambiguous = any(i != best and not _same_place(g, best, i) for i in ids)
    return Resolution(best, _label(g, best, skeleton), round(confidence, 2), ambiguous)


def _qualified(g: Gazetteer, key: str, context: Context) -> tuple[str, Context]:
    """``رفح الفلسطينية``، ``طرابلس اللبنانية``: a nationality adjective after a name says the
    country; the name (a lookup key) is looked up without it, with that country as context."""
    head, _, last = key.rpartition(" ")
    country = g.qualifier.get(last) if head else None
    if country is None or all(word in g.generic for word in head.split()):
        # "العاصمة السورية" names no place by a name: it is left to the generic word.
        return key, context
    qualified = Context(
        countries={*context.countries, country},
        source_country=context.source_country,
        points=context.points,
    )
    return head, qualified


def _same_place(g: Gazetteer, a: int, b: int) -> bool:
    """Two entries for one place (the project list and GeoNames both know كييف)."""
    if g.country[a] != g.country[b]:
        return False
    if math.isnan(g.lat[a]) or math.isnan(g.lat[b]):
        return g.kind[a] == g.kind[b]
    return haversine(g.lat[a], g.lon[a], g.lat[b], g.lon[b]) < 30
