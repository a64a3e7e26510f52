"""Normalization of Arabic news text into a *matching form*.

Arabic news text spells the same word many ways: with or without hamza on the alef
(أحمد/احمد), with ى or ي at the end (على/علي), with ة or ه (القوة/القوه), with harakat or
tatweel (بُوتِين، بـوتين), with Eastern or Western digits, with Arabic or Latin punctuation, and
with the " ،" spacing machine translation leaves behind. Lexicons, search and entity matching
only work when all of these meet in one form, so :func:`normalize` folds them together.

The matching form is for *comparing*, never for display: the source text is never modified
(every function here returns a new string) and :func:`normalize_with_offsets` gives, for each
character of the normalized string, the index of the original character it came from, so a
match found in normalized text points back at the exact original surface form.

What :func:`normalize` does, in order:

1. Character by character (one cached ``str.translate`` table, so it is fast):

   * NFKC compatibility folding *of each character* (presentation forms ﻻ → لا, ﷲ → الله,
     full-width Latin, ligatures ﬁ → fi, the ellipsis … → ...). Canonical composition across
     characters is not applied; it would only recompose letter + hamza mark pairs, which the
     next rules fold to the same bare letter anyway (ا + ٔ → ا, just like أ → ا).
   * Latin (and any cased script) case folding: ``str.casefold``.
   * alef forms أ إ آ ٱ ٲ ٳ ٵ → ا; alef maqsura ى → ي; ta marbuta ة → ه; hamza on a carrier
     ؤ → و and ئ → ي — the carrier letter, because that is how hamza-less spellings found online
     write them (مسؤول and مسوول meet, رئيس and رييس meet). A bare hamza ء is kept: dropping it
     would merge words such as سماء/سما. The rarer cross-carrier spelling مسئول (ئ for ؤ) still
     differs from مسؤول.
   * Persian/Urdu keyboard letters that Arabic sites often contain: ی → ي, ک → ك, ۀ ە ہ → ه.
   * harakat, shadda, sukun, superscript alef, Quranic marks and tatweel ـ are removed.
   * Eastern Arabic ٠-٩ and Persian ۰-۹ digits → 0-9; Arabic decimal/thousands separators
     ٫ ٬ → . , and the Arabic percent sign ٪ → %.
   * Arabic punctuation ، ؛ ؟ ۔ → , ; ? .
   * typographic quotes “ ” „ ‟ « » ″ → ", and ‘ ’ ‚ ‛ ′ ´ → '. (‹ › are left alone: on
     Arabic pages they are breadcrumb arrows far more often than quotes.)
   * dashes and minus signs (‐ ‑ ‒ – — ― − …) → -.
   * invisible format characters (ZWNJ, ZWJ, LRM/RLM, bidi embeddings, BOM, soft hyphen,
     variation selectors) are removed; control characters become spaces.

2. On the result, with precompiled regular expressions:

   * whitespace before , ; ? ! : is removed (the machine-translated "خيرسون ، لتغلق");
   * every run of whitespace, newlines included, becomes one space;
   * leading and trailing spaces are stripped.

Known limitation: normalization is lossy on purpose. ه/ة and ي/ى collisions (e.g. علي the
name vs على the preposition) are accepted for recall; callers needing the distinction use the
original text, which the offset map points back to.
"""

from __future__ import annotations

import re
import unicodedata

from rasid.arabic.script import ARABIC_MARKS, TATWEEL

__all__ = ["normalize", "normalize_with_offsets", "original_span", "strip_diacritics"]


def _expand(ranges: str) -> list[str]:
    """The characters of a regex class body made of single characters and ``a-b`` ranges."""
    chars: list[str] = []
    i = 0
    while i < len(ranges):
        if i + 2 < len(ranges) and ranges[i + 1] == "-":
            chars.extend(chr(c) for c in range(ord(ranges[i]), ord(ranges[i + 2]) + 1))
            i += 3
        else:
            chars.append(ranges[i])
            i += 1
    return chars


_MARKS = _expand(ARABIC_MARKS)
_FORMAT = _expand(
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufe00-\ufe0f"
)
_CONTROLS = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if not chr(c).isspace()]

# strip_diacritics: harakat and tatweel only.
_DIACRITICS_TABLE = {ord(c): None for c in [*_MARKS, TATWEEL]}

# Direct overrides for single characters; they win over NFKC (so ´ becomes ' instead of NFKC's
# space + combining acute). Values are the replacement strings ("" deletes).
_CHARMAP: dict[str, str] = {}
_CHARMAP.update(dict.fromkeys(_MARKS, ""))
_CHARMAP.update(dict.fromkeys(_FORMAT, ""))
_CHARMAP.update(dict.fromkeys(_CONTROLS, " "))
_CHARMAP[TATWEEL] = ""
_CHARMAP["\u0674"] = ""  # ARABIC LETTER HIGH HAMZA: a hamza mark written as a letter
_CHARMAP.update(dict.fromkeys("أإآٱٲٳٵ", "ا"))
_CHARMAP.update({"ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_CHARMAP.update({"ی": "ي", "ې": "ي", "ک": "ك", "ۀ": "ه", "ە": "ه", "ہ": "ه"})
_CHARMAP.update({chr(0x0660 + d): str(d) for d in range(10)})
_CHARMAP.update({chr(0x06F0 + d): str(d) for d in range(10)})
_CHARMAP.update({"٫": ".", "٬": ",", "٪": "%", "۔": "."})
_CHARMAP.update({"،": ",", "؍": ",", "⹁": ",", "؛": ";", "؟": "?", "⸮": "?"})
_CHARMAP.update(dict.fromkeys("“”„‟«»″‶〝〞〟＂❝❞", '"'))
_CHARMAP.update(dict.fromkeys("‘’‚‛′‵´＇❛❜", "'"))
_CHARMAP.update(dict.fromkeys("‐‑‒–—―−⁃﹘﹣－⸺⸻", "-"))

_CACHE_LIMIT = 60_000  # distinct code points remembered by the lazy table


def _map_char(ch: str) -> str:
    """The matching form of one character (may be empty or several characters)."""
    direct = _CHARMAP.get(ch)
    if direct is not None:
        return direct
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) > 1 and folded[0] == " " and all(unicodedata.combining(c) for c in folded[1:]):
        # Spacing forms of diacritics (¨, ﹰ …): NFKC turns them into space + mark.
        return ""
    folded = folded.casefold()
    if len(folded) == 1 and folded == ch:
        return ch
    return "".join(_CHARMAP.get(c, c) for c in folded)


class _Table(dict[int, str]):
    """``str.translate`` table computed lazily for each code point it meets, then cached.

    Precomputing all 1.1M code points would cost a second at import; news text uses a few
    hundred distinct characters, so the lazy table stays tiny and every lookup after the first
    is a plain dict hit.
    """

    def __missing__(self, key: int) -> str:
        value = _map_char(chr(key))
        if len(self) < _CACHE_LIMIT:
            self[key] = value
        return value


_TABLE = _Table()
for _c in [*map(chr, range(0x250)), *map(chr, range(0x600, 0x700)), *_CHARMAP]:
    _TABLE[ord(_c)] = _map_char(_c)

# Step 2 rewrites, applied in this order by both normalize() and normalize_with_offsets().
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[,;?!:])")
_SPACES = re.compile(r"\s+")


def strip_diacritics(text: str) -> str:
    """``text`` without harakat, shadda, sukun, Quranic marks and tatweel — nothing else changes.

    Useful when the original spelling (hamza, ة, digits, punctuation) must be kept but
    vocalization must not matter, e.g. for display-side deduplication. Same length as the
    input minus the removed marks; letters and spaces are untouched.
    """
    return text.translate(_DIACRITICS_TABLE)


def normalize(text: str) -> str:
    """The matching form of ``text`` (see the module docstring for every rule).

    Two spellings of the same Arabic word — with or without hamza, harakat, tatweel, ى/ي,
    ة/ه, Eastern digits, Arabic punctuation — give the same string, so lexicon lookups,
    deduplication and search can compare plain strings. Fast: one cached ``str.translate``
    pass and two precompiled regex substitutions.
    """
    text = text.translate(_TABLE)
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    text = _SPACES.sub(" ", text)
    return text.strip(" ")


def _sub_with_map(
    pattern: re.Pattern[str], repl: str, text: str, offsets: list[int]
) -> tuple[str, list[int]]:
    """``pattern.sub(repl, text)`` that carries the offset map along.

    ``repl`` is a literal of at most one character; it inherits the origin of the first
    character of the match it replaces.
    """
    pieces: list[str] = []
    new_offsets: list[int] = []
    pos = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        pieces.append(text[pos:start])
        new_offsets.extend(offsets[pos:start])
        if repl:
            pieces.append(repl)
            new_offsets.append(offsets[start])
        pos = end
    if pos == 0:
        return text, offsets
    pieces.append(text[pos:])
    new_offsets.extend(offsets[pos:])
    return "".join(pieces), new_offsets


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`normalize` plus, for each character of the result, its index in ``text``.

    ``result == normalize(text)`` and ``len(offsets) == len(result)``. A character produced by
    expanding one original character (ﻻ → لا) maps both output characters to that one index;
    removed characters (harakat, tatweel) have no entry; a collapsed run of whitespace maps to
    its first character. To turn a match ``result[a:b]`` back into original text use
    :func:`original_span`, which also takes in the harakat that trail the last letter.
    """
    table = _TABLE
    pieces: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        mapped = table[ord(ch)]
        if len(mapped) == 1:
            pieces.append(mapped)
            offsets.append(i)
        elif mapped:
            pieces.append(mapped)
            offsets.extend([i] * len(mapped))
    out = "".join(pieces)
    out, offsets = _sub_with_map(_SPACE_BEFORE_PUNCT, "", out, offsets)
    out, offsets = _sub_with_map(_SPACES, " ", out, offsets)
    stripped = out.strip(" ")
    if len(stripped) != len(out):
        lead = len(out) - len(out.lstrip(" "))
        offsets = offsets[lead : lead + len(stripped)]
    return stripped, offsets


def original_span(text: str, offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """Map the span ``[start, end)`` of a normalized string back onto the original ``text``.

    ``offsets`` is the map returned by ``normalize_with_offsets(text)``. The original span
    starts at the first character's origin and ends after the last character's origin,
    extended over the characters normalization deleted right after it (harakat, tatweel,
    invisible format marks), so "بوتين" found in normalized text covers "بُوتِينُ" entirely.
    An empty span maps to an empty span at the corresponding position.
    """
    if not offsets:
        return (0, 0)
    if start >= end:
        pos = offsets[start] if start < len(offsets) else len(text)
        return (pos, pos)
    begin = offsets[start]
    stop = offsets[end - 1] + 1
    while stop < len(text) and _TABLE[ord(text[stop])] == "":
        stop += 1
    return (begin, stop)
