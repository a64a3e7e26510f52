"""A light stemmer for Arabic search: the word without its proclitics and one suffix.

Search must find «الأوكرانية» for «الاوكرانيه», «القوات» for «قوات» and «بوتين» for «وبوتين».
Normalization (rasid.arabic.normalize) folds the spelling variants, ``split_clitics`` removes
و/ب/ل/ال, and :func:`light_stem` removes one pronoun suffix and one inflectional suffix (the
light10 idea: no root extraction, which merges unrelated words). The suffix list is data:
``rasid/arabic/data/stem_suffixes.tsv``.

Light stemming over-merges a little (بوتين and بوت share a stem) and that is accepted: the
stem is only a search key, never shown; snippets and display use the original text.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from rasid.arabic.normalize import normalize
from rasid.arabic.tokenize import split_clitics, tokenize

__all__ = ["light_stem", "search_terms", "stem_word"]


def _load_suffixes() -> tuple[tuple[tuple[str, int], ...], ...]:
    passes: dict[str, list[tuple[str, int]]] = {"pronoun": [], "inflection": []}
    text = resources.files("rasid.arabic").joinpath("data/stem_suffixes.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        suffix, kind, min_stem = line.split("\t")[:3]
        passes[kind].append((suffix, int(min_stem)))
    # Longest first within a pass, so هما wins over ها.
    return tuple(tuple(sorted(rows, key=lambda row: -len(row[0]))) for rows in passes.values())


_PASSES = _load_suffixes()


@lru_cache(maxsize=200_000)
def light_stem(base: str) -> str:
    """Remove a pronoun suffix, then an inflection suffix, from a normalized, clitic-free
    Arabic word (``Token.base``).

    Non-Arabic words and short words come back unchanged.
    """
    if len(base) < 4 or not ("\u0621" <= base[0] <= "\u064a"):
        return base
    for suffixes in _PASSES:
        for suffix, min_stem in suffixes:
            if base.endswith(suffix) and len(base) - len(suffix) >= min_stem:
                base = base[: -len(suffix)]
                break
    return base


def stem_word(word: str) -> str:
    """The search key of one word as written: normalized, proclitics off, light-stemmed."""
    norm = normalize(word)
    if not norm:
        return ""
    return light_stem(split_clitics(norm)[1])


def search_terms(text: str) -> list[str]:
    """The search keys of every word and number of ``text``, in order (punctuation dropped)."""
    return [light_stem(token.base) for token in tokenize(text) if token.is_word]
