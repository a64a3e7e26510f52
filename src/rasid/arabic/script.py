"""Which script a text is written in, and which language it probably is.

The character classes defined here are the single source of truth for "what is an Arabic
letter" and "what is an Arabic mark" in :mod:`rasid.arabic`; the tokenizer, the sentence
splitter and the normalizer all build their regular expressions from them, so a letter the
tokenizer keeps inside a word is never one the script detector ignores.

Language detection is deliberately tiny: rasid reads Arabic news, and the only question the
pipeline asks is "is this page Arabic, and if not, is it one of the languages Arabic outlets
also publish in (English, French)?". Function-word counts answer that reliably for anything
longer than a headline without shipping a model.
"""

from __future__ import annotations

import re

# Regex class bodies (to be put inside [...]).
# Arabic letters: the Arabic block without punctuation, digits and marks; Arabic Supplement and
# Extended-A/B; the presentation forms (ligatures such as ﻻ and ﷲ, contextual letter forms).
ARABIC_LETTERS = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06e5\u06e6\u06ee\u06ef"
    "\u06fa-\u06fc\u06ff\u0750-\u077f\u0870-\u0887\u0889-\u088e\u08a0-\u08c9"
    "\ufb50-\ufbb1\ufbd3-\ufd3d\ufd50-\ufd8f\ufd92-\ufdc7\ufdf0-\ufdfb\ufe80-\ufefc"
)
# Harakat (fatha, damma, kasra, tanwin, shadda, sukun, hamza/madda above and below…), the
# superscript alef, Quranic annotation marks, and the isolated/medial harakat presentation forms.
ARABIC_MARKS = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u0898-\u089f\u08ca-\u08e1\u08e3-\u08ff\ufe70-\ufe7f"
)
TATWEEL = "\u0640"
# Every code point of the Arabic-script blocks (used to tell Arabic from "other" letters).
ARABIC_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff"

_NON_LETTERS = re.compile(r"[\W\d_]+")
_NON_ARABIC = re.compile(f"[^{ARABIC_BLOCKS}]+")
_NON_LATIN = re.compile(r"[^A-Za-z\u00c0-\u024f\u1e00-\u1eff]+")
_LATIN_WORD = re.compile(r"[a-z\u00df-\u00f6\u00f8-\u00ff\u0153]+")

# Frequent function words, chosen to be distinctive: words shared by the languages compared
# here ("a", "on", "en" …) are left out so they cannot tip the balance.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split(" "))
    for lang, words in {
        "en": "the of and to in is that for with as was by at from it this be are has have had "
        "said not will which were its an or but been would after who they their he she",
        "fr": "le la les des du et un une est que qui dans pour sur pas au aux par avec ce cette "
        "il elle sont ont été plus mais ses leur l d qu selon",
        # Distractors: a Spanish, German or Italian page must not come out as French or English.
        "es": "el los las del y por con una para su se lo como es al fue",
        "de": "der die das und ist nicht zu den mit von sich dem ein eine auf wird",
        "it": "il di che della delle degli gli nel nella per con una sono è",
    }.items()
}
_REPORTED = frozenset({"en", "fr"})


def _letters(text: str) -> str:
    return _NON_LETTERS.sub("", text)


def arabic_ratio(text: str) -> float:
    """Share of the letters of ``text`` that are Arabic script (0.0 when there are no letters).

    Digits, punctuation, harakat and whitespace are not letters, so a line of numbers or a
    fully vocalized verse is judged by its letters alone. Persian and Urdu letters count as
    Arabic script: this measures script, not language.
    """
    letters = _letters(text)
    if not letters:
        return 0.0
    arabic = len(_NON_ARABIC.sub("", letters))
    return arabic / len(letters)


def detect_lang(text: str) -> str | None:
    """Guess the language of ``text``: ``"ar"``, ``"en"``, ``"fr"``, ``"und"``, or None.

    * None when the text has no letters at all (nothing to judge);
    * ``"ar"`` when at least half of the letters are Arabic script;
    * ``"en"`` / ``"fr"`` when Latin letters dominate and that language's function words win
      (at least one hit, and at least 1 in 10 words for longer texts);
    * ``"und"`` otherwise (other scripts, other Latin languages, or too little evidence — a
      bare product name such as "Buk-M1" has no function words).
    """
    letters = _letters(text)
    if not letters:
        return None
    arabic = len(_NON_ARABIC.sub("", letters))
    if arabic * 2 >= len(letters):
        return "ar"
    latin = len(_NON_LATIN.sub("", letters))
    if latin * 2 < len(letters):
        return "und"
    tokens = _LATIN_WORD.findall(text.lower())
    if not tokens:
        return "und"
    scores = {lang: 0 for lang in _FUNCTION_WORDS}
    for token in tokens:
        for lang, vocabulary in _FUNCTION_WORDS.items():
            if token in vocabulary:
                scores[lang] += 1
    best = max(scores, key=lambda lang: scores[lang])
    hits = scores[best]
    runner_up = max(score for lang, score in scores.items() if lang != best)
    if best not in _REPORTED or hits == runner_up or hits * 10 < len(tokens):
        return "und"
    return best
