"""Consonant skeletons: where an Arabic spelling and a Latin one of the same place meet.

Arabic news transliterates foreign places by ear (باخموت، فوفتشانسك، أفدييفكا) and GeoNames
often has no Arabic name for them, only Latin ones (Bakhmut, Vovchansk, Avdiivka). Vowels are
where the two scripts disagree most (Arabic writes long vowels only, and not always), so both
sides are reduced to the consonants they share, in classes wide enough for the usual
correspondences: p→ب, v→ف, g/j/zh→ج/غ/ژ, kh→خ, sh→ش, ch→تش, q/k→ق/ك, th→ث/س, dh→ذ/ز.
``skeleton_ar("باخموت") == skeleton_latin("Bakhmut") == "bxmt"``.

The Arabic article and Latin article forms (al-, ar-, ash-, el-) are dropped; doubled
consonants collapse. An Arabic ta marbuta is silent at the end of a name but pronounced ``t``
inside a construct (معرة النعمان = Maarrat an-Numan), so :func:`skeleton_ar` may return two
variants.
"""

from __future__ import annotations

import re

from unidecode import unidecode

from rasid.arabic.normalize import normalize

__all__ = ["skeleton_ar", "skeleton_latin"]

# After rasid's normalize (hamza forms → bare letters, ة → ه, ى → ي).
_AR = {
    "ب": "b", "پ": "b", "ت": "t", "ث": "s", "ج": "g", "چ": "tS", "ح": "h", "خ": "x",
    "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "g", "س": "s", "ش": "S", "ص": "s",
    "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "f", "ڤ": "f", "ق": "k", "ك": "k",
    "گ": "g", "ل": "l", "م": "m", "ن": "n", "ه": "h",
}  # fmt: skip
# Vowel letters and hamza/ayn carry no consonant both scripts agree on.
_AR_SILENT = set("اويءع")

# Latin digraphs and context-dependent letters, longest first, replaced in one regex pass.
_LATIN_DIGRAPHS = {
    "shch": "S", "sch": "S", "sh": "S", "ch": "tS", "kh": "x", "zh": "g", "gh": "g",
    "th": "s", "dh": "z", "ph": "f", "ck": "k", "qu": "k", "tz": "ts", "x": "ks",
    "ce": "s", "ci": "s", "cy": "s", "c": "k",
}  # fmt: skip
_DIGRAPH_RE = re.compile("|".join(sorted(_LATIN_DIGRAPHS, key=len, reverse=True)))
# Single letters after the digraph pass (digraph outputs are already in the skeleton alphabet,
# so they map to themselves); vowels, y, w and everything else disappear.
_LATIN_TABLE = str.maketrans(
    {
        **{ch: None for ch in map(chr, range(0x250))},
        **dict(zip("bptdgjkqszfvhlmnrSx", "bbtdggkkszffhlmnrSx", strict=True)),
    }
)
_LATIN_ARTICLE_RE = re.compile(
    r"\b(?:al|el|ad|adh|ar|as|ash|at|ath|az|an|ed|es|er|et|en)[\s\-]+(?=[a-z])"
)
_FINAL_TA_RE = re.compile(r"(?<=[a-z][aeiou])h\b")  # Raqqah, Hamah: a ta marbuta
_REPEATS = re.compile(r"(.)\1+")
_AR_WORDS = re.compile(r"[\u0621-\u06ff]+")


def _collapse(text: str) -> str:
    return _REPEATS.sub(r"\1", text)


def skeleton_latin(name: str) -> str:
    """The consonant skeleton of a Latin-script name (diacritics folded by unidecode)."""
    text = name if name.isascii() else unidecode(name)
    text = text.lower().replace("'", "")
    text = _LATIN_ARTICLE_RE.sub("", text)
    text = _FINAL_TA_RE.sub("", text)
    text = _DIGRAPH_RE.sub(lambda m: _LATIN_DIGRAPHS[m.group()], text)
    return _collapse(text.translate(_LATIN_TABLE))


def skeleton_ar(name: str) -> list[str]:
    """The consonant skeleton(s) of an Arabic-script name: one, or two when a construct's ta
    marbuta may be read as ``t``."""
    words = _AR_WORDS.findall(normalize(name))
    plain: list[str] = []
    construct: list[str] = []
    for i, word in enumerate(words):
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        last = i == len(words) - 1
        ends_in_ta = word.endswith("ه") and len(word) > 2
        body = word[:-1] if ends_in_ta else word
        consonants = "".join(_AR.get(ch, "") for ch in body if ch not in _AR_SILENT)
        plain.append(consonants)
        construct.append(consonants + ("t" if ends_in_ta and not last else ""))
    first = _collapse("".join(plain))
    second = _collapse("".join(construct))
    return [first] if first == second else [first, second]
