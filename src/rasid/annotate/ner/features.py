"""Token features for the NER model, shared by training and tagging.

Features are plain strings (crfsuite treats each as a binary feature). Everything that
depends on the word alone — its forms, affixes, shape, word clusters, trigger and
gazetteer-word membership, and the same features as seen from a neighbour — is computed once
per distinct word and cached, so tagging a text costs a dictionary lookup per token plus the
few sequence features (multi-word gazetteer matches, sentence edges).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from rasid.annotate.ner import lexicon
from rasid.arabic.tokenize import Token

MODELS = Path(__file__).resolve().parents[2] / "models"
CLUSTERS = MODELS / "ner_clusters.tsv.gz"
PROFILES = MODELS / "ner_profiles.tsv.gz"
NAMES = MODELS / "ner_names.tsv.gz"
_DIGITS = re.compile(r"\d")
_CACHE_LIMIT = 300_000


def cluster_key(norm: str) -> str:
    """The form a word is looked up under in the cluster table (digits written 0)."""
    return _DIGITS.sub("0", norm)


@cache
def clusters() -> dict[str, tuple[str, ...]]:
    """Word → its cluster ids, coarse to fine (empty when the table is absent)."""
    table: dict[str, tuple[str, ...]] = {}
    if not CLUSTERS.exists():
        return table
    with gzip.open(CLUSTERS, "rt", encoding="utf-8") as source:
        for line in source:
            word, *ids = line.rstrip("\n").split("\t")
            table[word] = tuple(ids)
    return table


@cache
def profiles() -> dict[str, str]:
    """Clitic-free word → its behaviour in unlabeled news, four share buckets: with the
    article, after a person title, after an organisation head, after a place head (see
    ``scripts/ner_clusters.py``). Empty when the table is absent."""
    table: dict[str, str] = {}
    if not PROFILES.exists():
        return table
    with gzip.open(PROFILES, "rt", encoding="utf-8") as source:
        for line in source:
            word, _, cells = line.rstrip("\n").partition("\t")
            table[word] = cells
    return table


@cache
def names() -> frozenset[str]:
    """Normalized words of personal names (``scripts/ner_names.py``); empty when absent."""
    if not NAMES.exists():
        return frozenset()
    with gzip.open(NAMES, "rt", encoding="utf-8") as source:
        return frozenset(line.rstrip("\n") for line in source if line.strip())


def _shape(token: Token) -> str:
    text = token.text
    if token.is_arabic:
        return "ar"
    if token.is_number:
        return "num"
    if not token.is_word:
        return "p" + text if len(text) == 1 else "punct"
    if text.isupper():
        return "LAT"
    if text[:1].isupper():
        return "Lat"
    return "lat"


class Featurizer:
    """Computes the feature lists of token sequences; caches per-word work."""

    def __init__(self) -> None:
        self.clusters = clusters()
        self.profiles = profiles()
        self.triggers = lexicon.triggers()
        self.nationalities = lexicon.nationalities()
        self.gazetteer = lexicon.gazetteer()
        self.names = names()
        self._cache: dict[str, tuple] = {}

    def _cluster(self, token: Token) -> tuple[str, ...] | None:
        table = self.clusters
        for form in (token.norm, token.base, "ال" + token.base):
            ids = table.get(cluster_key(form))
            if ids is not None:
                return ids
        return None

    def _word(self, token: Token) -> tuple:
        """(own features, as seen from the next token, from the previous one, ±2, the
        middle cluster id, the trigger kind)."""
        base, norm = token.base, token.norm
        shape = _shape(token)
        own = ["b=" + base, "w=" + norm, "sh=" + shape]
        if token.prefix:
            own.append("p=" + token.prefix)
            own.append("art" if token.prefix.endswith(("ال", "لل")) else "noart")
        if shape == "ar":
            own += ["s1=" + base[-1:], "s2=" + base[-2:], "s3=" + base[-3:], "f2=" + base[:2]]
            own.append("s4=" + base[-4:])
            own.append("f3=" + base[:3])
            own.append("len=" + str(min(len(base), 9)))
        ids = self._cluster(token)
        if ids is None:
            own.append("c=none")
            cl: list[str] = []
        else:
            cl = [f"c{level}={cid}" for level, cid in enumerate(ids)]
            own += cl
        # The clitic-free word's own clusters too: "وللرئيس" is rare, "رئيس" is not.
        if token.prefix:
            base_ids = self.clusters.get(cluster_key(base))
            if base_ids is not None and base_ids != ids:
                own += [f"cb{level}={cid}" for level, cid in enumerate(base_ids)]
        profile = self.profiles.get(cluster_key(base))
        if profile is not None and shape == "ar":
            own += ["pa=" + profile[0], "pp=" + profile[1], "po=" + profile[2]]
            own.append("pl=" + profile[3])
        trig = self.triggers.get(norm) or self.triggers.get(base)
        # Neighbours see the middle and fine levels of each clustering, ±2 the middle only.
        near = ["b=" + base, "sh=" + shape, *(c for i, c in enumerate(cl) if i % 3)]
        if trig:
            own.append("t=" + trig)
            near.append("t=" + trig)
        if norm in self.nationalities or base in self.nationalities:
            own.append("nat")
            near.append("nat")
        if base in self.names or norm in self.names:
            own.append("pn")
            near.append("pn")
        found = self.gazetteer.lookup([base]) or self.gazetteer.lookup([norm])
        if found:
            entry, strong = found
            tag = f"gw={entry.type}/{entry.source}" + ("" if strong else "?")
            own.append(tag)
            near.append(tag)
        far = ["b=" + base, *(c for i, c in enumerate(cl) if i % 3 == 1)]
        if trig:
            far.append("t=" + trig)
        return (
            own,
            ["-1" + f for f in near],
            ["+1" + f for f in near],
            ["-2" + f for f in far],
            ["+2" + f for f in far],
            cl[1] if len(cl) > 1 else "c1=none",
            trig or "",
        )

    def sequence(self, tokens: Sequence[Token]) -> list[list[str]]:
        """One feature list per token of a sentence."""
        cache = self._cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        words = []
        for token in tokens:
            info = cache.get(token.text)
            if info is None:
                info = cache[token.text] = self._word(token)
            words.append(info)
        n = len(tokens)
        gaz: list[str | None] = [None] * n
        for match in self.gazetteer.match(tokens):
            label = f"{match.entry.type}/{match.entry.source}" + ("" if match.strong else "?")
            gaz[match.first] = "gB=" + label
            for k in range(match.first + 1, match.last):
                gaz[k] = "gI=" + label
        out: list[list[str]] = []
        for i in range(n):
            feats = ["bias", *words[i][0]]
            if i > 0:
                feats += words[i - 1][1]
            else:
                feats.append("BOS")
            if i + 1 < n:
                feats += words[i + 1][2]
            else:
                feats.append("EOS")
            if i > 1:
                feats += words[i - 2][3]
            if i + 2 < n:
                feats += words[i + 2][4]
            # Word bigrams: "وزارة|الدفاع", "الرئيس|الفرنسي" — pairs a list of unigrams misses.
            if i > 0:
                feats.append("bb=" + tokens[i - 1].base + "|" + tokens[i].base)
                # Cluster bigram, and the trigger before this word's cluster ("وزير" + a
                # name-like cluster): the bigrams above, generalised.
                feats.append("cc=" + words[i - 1][5] + "|" + words[i][5])
                if words[i - 1][6]:
                    feats.append("tc=" + words[i - 1][6] + "|" + words[i][5])
            if i + 1 < n:
                feats.append("ba=" + tokens[i].base + "|" + tokens[i + 1].base)
            if gaz[i]:
                feats.append(gaz[i])
                if i > 0 and gaz[i - 1]:
                    feats.append("-1" + gaz[i - 1])
            out.append(feats)
        return out
