"""The quote layer's lexicons (data files under ``lexicons/quotes/``), loaded once.

Every list the quote finder reasons with — reporting verbs and their forms, role nouns,
organization heads, affiliation hints, channels, attribution phrases and closed-class words — is
a TSV file; this module turns them into lookup tables keyed the way the tokenizer keys words
(``Token.norm`` for closed-class words and verb forms, ``Token.base`` for nouns, so the article
and attached prepositions do not matter).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from rasid.arabic.normalize import normalize
from rasid.arabic.tokenize import tokenize

Gender = str  # "m", "f", "pl"


@dataclass(frozen=True, slots=True)
class Verb:
    """One form of a reporting verb."""

    lemma: str
    gender: Gender
    tense: str  # past, present, hal (the circumstantial participle: مضيفا)
    complements: tuple[tuple[str, ...], ...]  # normalized word sequences; ("ان",) = any comp
    mode: str  # spoken, written, any
    kind: str  # say, report_via, statement_body


@dataclass(frozen=True, slots=True)
class QuoteLexicon:
    verbs: dict[str, Verb]
    roles: dict[str, tuple[Gender, str]]
    orgs: dict[str, str]
    sides: dict[tuple[str, ...], tuple[str, str]]
    channels: dict[tuple[str, ...], tuple[str, str]]
    attribution: dict[tuple[str, ...], str]
    attribution_first: frozenset[str]  # first words of attribution phrases, with و too
    words: dict[str, frozenset[str]]
    phrases: dict[str, frozenset[tuple[str, ...]]]  # multi-word entries of ``words``
    longest: int  # the longest multi-word entry of any table, in words

    def has(self, cls: str, key: str) -> bool:
        return key in self.words.get(cls, ())


def _rows(name: str) -> list[list[str]]:
    text = resources.files("rasid.annotate").joinpath("lexicons", "quotes", name).read_text("utf-8")
    return [
        line.rstrip("\n").split("\t")
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def bases(phrase: str) -> tuple[str, ...]:
    """The tokenizer's base forms of a written phrase (article and attached prepositions off)."""
    return tuple(t.base for t in tokenize(phrase) if t.is_word)


def _forms(cell: str) -> list[str]:
    return [normalize(f) for f in cell.split("|") if f.strip()]


@cache
def lexicon() -> QuoteLexicon:
    verbs: dict[str, Verb] = {}
    for row in _rows("verbs.tsv"):
        lemma, pm, pf, ppl, rm, rf, rpl, hal, comps, mode, kind = (row + [""] * 11)[:11]
        complements = tuple(
            tuple(normalize(c).split()) if c != "_" else ("_",) for c in comps.split("|") if c
        )
        cells = (
            (pm, "m", "past"), (pf, "f", "past"), (ppl, "pl", "past"),
            (rm, "m", "present"), (rf, "f", "present"), (rpl, "pl", "present"),
        )  # fmt: skip
        for cell, gender, tense in cells:
            for form in _forms(cell):
                verbs.setdefault(form, Verb(lemma, gender, tense, complements, mode, kind))
        for n, form in enumerate(_forms(hal)):
            gender = ("m", "f", "pl", "pl")[min(n, 3)]
            verbs.setdefault(form, Verb(lemma, gender, "hal", complements, mode, kind))
    roles = {}
    for form, gender, kind in _rows("roles.tsv"):
        key = bases(form)
        roles[" ".join(key)] = (gender, kind)
    orgs = {bases(form)[0]: kind for form, kind in _rows("orgs.tsv")}
    sides = {bases(form): (side, kind) for form, side, kind in _rows("sides.tsv")}
    channels = {bases(form): (kind, mode) for form, kind, mode in _rows("channels.tsv")}
    attribution = {}
    for phrase, kind in _rows("attribution.tsv"):
        attribution[tuple(normalize(phrase).split())] = kind
    words: dict[str, set[str]] = {}
    phrases: dict[str, set[tuple[str, ...]]] = {}
    for cls, word in _rows("words.tsv"):
        norm = normalize(word)
        if " " in norm:
            phrases.setdefault(cls, set()).add(tuple(norm.split()))
        else:
            words.setdefault(cls, set()).add(norm)
    longest = max(len(k) for table in (sides, channels, attribution) for k in table)
    return QuoteLexicon(
        verbs=verbs,
        roles=roles,
        orgs=orgs,
        sides=sides,
        channels=channels,
        attribution=attribution,
        attribution_first=frozenset(w for p in attribution for w in (p[0], "و" + p[0])),
        words={k: frozenset(v) for k, v in words.items()},
        phrases={k: frozenset(v) for k, v in phrases.items()},
        longest=longest,
    )
