"""The trained sequence model: a linear-chain CRF (python-crfsuite) over ``features``.

The model file ``rasid/models/ner.crfsuite`` is built by ``make train-ner``
(``scripts/train_ner.py``) from ANERcorp and the word clusters. Tagging needs only
python-crfsuite, no deep-learning runtime.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from rasid.annotate.ner.features import MODELS, Featurizer
from rasid.arabic.tokenize import Token

MODEL = MODELS / "ner.crfsuite"


class Tagger:
    """BIO labels (B-PER, I-LOC, …, O) for token sequences."""

    def __init__(self, path: Path = MODEL) -> None:
        import pycrfsuite

        self.featurizer = Featurizer()
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    def tag(self, tokens: Sequence[Token]) -> list[str]:
        if not tokens:
            return []
        return self._tagger.tag(self.featurizer.sequence(tokens))


@cache
def tagger() -> Tagger | None:
    """The shipped model, loaded once per process; None when the model file is missing."""
    if not MODEL.exists():
        return None
    return Tagger()


def propagate(sentences: Sequence[Sequence[Token]], labels: list[list[str]]) -> list[list[str]]:
    """One document, one reading of a name: a name the model tagged in one sentence is tagged
    where it recurs untagged (news repeats names — رامسفيلد in one sentence, bare in the next
    — and the model misses some repeats). A person's last name counts on its own.

    Only names that look like proper nouns are spread: a one-word name must rarely take the
    article in running news (the word profile says so), so "مدينة" or "رئيس" never spread.
    """
    from rasid.annotate.ner.features import cluster_key, profiles
    from rasid.annotate.ner.lexicon import triggers

    table = profiles()
    heads = triggers()
    votes: dict[tuple[str, ...], dict[str, int]] = {}
    surnames: set[str] = set()

    def vote(key: tuple[str, ...], kind: str) -> None:
        counts = votes.setdefault(key, {})
        counts[kind] = counts.get(kind, 0) + 1

    for tokens, tags in zip(sentences, labels, strict=True):
        for first, last, kind in _spans(tags):
            if kind == "MISC":
                continue
            key = tuple(t.base for t in tokens[first:last])
            vote(key, kind)
            if kind == "PER" and last - first > 1:
                vote(key[-1:], kind)
                surnames.add(key[-1])
            # "تنظيم القاعدة" → "القاعدة", "حركة حماس" → "حماس": the name without its head.
            if kind == "ORG" and last - first == 2 and heads.get(key[0]) == "org_head":
                vote(key[1:], kind)
                surnames.add(key[1])
    spread: dict[tuple[str, ...], str] = {}
    for key, counts in votes.items():
        if len(key) == 1:
            word = key[0]
            profile = table.get(cluster_key(word))
            if len(word) < 3 or not word.isalpha():
                continue
            # Arab family names take the article (الفاروقي), so a last name seen inside a
            # full name spreads whatever its profile says.
            if word not in surnames and profile is not None and profile[0] > "1":
                continue
        spread[key] = max(counts, key=counts.__getitem__)
    if not spread:
        return labels
    # Sizes of the spread names, by their first word: most tokens start none and cost one
    # dictionary lookup.
    sizes: dict[str, list[int]] = {}
    for key in spread:
        sizes.setdefault(key[0], []).append(len(key))
    for options in sizes.values():
        options.sort(reverse=True)
    out = []
    for tokens, tags in zip(sentences, labels, strict=True):
        tags = list(tags)
        keys = [t.base for t in tokens]
        n = len(tokens)
        i = 0
        while i < n:
            options = sizes.get(keys[i]) if tags[i] == "O" else None
            if options:
                for size in options:
                    if i + size > n or any(t != "O" for t in tags[i : i + size]):
                        continue
                    kind = spread.get(tuple(keys[i : i + size]))
                    if kind:
                        tags[i] = "B-" + kind
                        for k in range(i + 1, i + size):
                            tags[k] = "I-" + kind
                        i += size - 1
                        break
            i += 1
        out.append(tags)
    return out


def _spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, label in enumerate([*tags, "O"]):
        tag, _, typ = label.partition("-")
        if kind and (tag != "I" or typ != kind):
            found.append((start, i, kind))
            kind = ""
        if tag == "B" or (tag == "I" and not kind):
            start, kind = i, typ
    return found


def tag_document(tagger: Tagger, sentences: Sequence[Sequence[Token]]) -> list[list[str]]:
    """Labels for every sentence of one document: the CRF per sentence, then propagation."""
    return propagate(sentences, [tagger.tag(tokens) for tokens in sentences])
