"""Sentence spans over the original text of Arabic news articles.

Quotes, events and their evidence are reported per sentence, so a sentence boundary in the
wrong place splits a speaker from what they said, and a missing one glues two events
together. The splitter works on the original text (never a normalized copy) and returns
``(start, end)`` spans: ``text[start:end]`` is the sentence with surrounding whitespace
trimmed, and together the spans cover every non-whitespace character, in order.

Where sentences end:

* at every line break (paragraphs, headings and list items are never merged);
* after ``.`` ``!`` ``?`` ``؟`` ``…`` ``۔`` and their runs (``..``, ``...``, ``؟!``) when
  whitespace or the end of the line follows — including the Arabic headline style
  "نكسة كبيرة للرئيس فلاديمير بوتين.. روسيا تنسحب";
* after such a mark glued to the next Arabic word ("الروسي.هذا"), a common scraping artefact.

Where they do not:

* inside numbers (2.5), URLs and e-mail addresses (no whitespace follows their dots);
* after a single letter — Latin initials ("J. Smith") and the Arabic abbreviations "د."
  (doctor), "م." (AD year), "هـ." (Hijri year), "ق.م." …; after dotted abbreviations
  (U.S., e.g.) and common Latin ones (Mr., Dr., Gen., Inc. …);
* after a list number at the start of a line ("1. …");
* before a lowercase Latin word (an English ellipsis or abbreviation mid-sentence);
* where the text so far has no letter or digit ("… وقال" — a sentence never consists of
  punctuation alone, and never ends right after an opening quote mark).

Quotes (“…” «…» "…"): closing quote marks, brackets and a period after them stick to the
sentence they close (``ويكرسه”.`` ends one sentence). A *short* quote (at most
:data:`SHORT_QUOTE_WORDS` words) is never split inside, and a short quote whose own last
mark ends it (“…!”, “…?”, “….”) does not end the sentence unless the quote was introduced by
a colon ("قال: “لن نتراجع!” وأضاف…") or an uppercase Latin word follows (English
'"Go home." Then…'); so ``تقول أن “روسيا هنا إلى الأبد!” – هي الأحدث`` is one sentence. Any
quote followed by a dash, comma, colon or semicolon continues its sentence. A *long* quote
may be split inside, so ``وقال: “إنها منطقة تابعة للاتحاد الروسي. هذا الوضع يحدده القانون
ويكرسه”.`` gives two spans, the first starting at the speaker and the opening mark, the
second ending with ``”.``. Quote extraction should therefore look for the closing mark of a
quote in the following spans rather than assume one quote fits in one sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from rasid.arabic.script import ARABIC_LETTERS, ARABIC_MARKS

__all__ = ["SHORT_QUOTE_WORDS", "split_sentences"]

SHORT_QUOTE_WORDS = 8

_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_TERMINATORS = ".!?؟…۔‼⁇⁈⁉"
_CLOSERS = "”’»›\"')]}"
_QUOTES = '“”„‟"«»'
_LINE = re.compile(f"[^{_LINE_BREAKS}]+")
_NON_SPACE = re.compile(r"\S")
_CLUSTER = re.compile(f"[{re.escape(_TERMINATORS)}]+[{re.escape(_TERMINATORS + _CLOSERS)}]*")
_QUOTE_MARK = re.compile(f"[{_QUOTES}]")
_ALNUM = re.compile(r"[^\W_]")
_WORD = re.compile(r"[^\W_]+")
_ARABIC_LETTER = re.compile(f"[{ARABIC_LETTERS}{ARABIC_MARKS}]")
_LOWER_LATIN = re.compile(r"[a-z\u00df-\u00f6\u00f8-\u00ff]")
_UPPER_LATIN = re.compile(r"[A-Z\u00c0-\u00d6\u00d8-\u00de]")
_OPENERS = "“„‟\"«‹‘'([{"
_CONTINUATION = frozenset("-–—‐,،:;؛")

_ABBREVIATION_WORDS = """
    mr mrs ms dr prof st gen lt col maj capt cpt sgt adm sen rep gov pres jr sr inc ltd co
    corp bros vs etc al approx dept univ mt ft jan feb mar apr jun jul aug sep sept oct nov
    dec ph.d
"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())


def _is_abbreviation(word: str) -> bool:
    """True for the word before a period that does not end a sentence (see module doc)."""
    word = word.replace("\u0640", "").lstrip(_OPENERS)
    if not word:
        return False
    if len(word) == 1:
        return word.isalpha()
    if "." in word and all(len(part) == 1 and part.isalpha() for part in word.split(".")):
        return True
    return word.lower() in _ABBREVIATIONS


def _quote_regions(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """Paired quote marks in ``text[start:end]``: sorted opening and closing indices.

    “ ” „ ‟ and " form one family, « and » another; within a family marks pair up in order
    (so right-to-left texts that swap “ and ” still pair), which keeps each family's regions
    disjoint. A mark opens when a non-space character follows it and closes when one
    precedes it; a quote left open at the end of the line is ignored.
    """
    families: dict[bool, list[tuple[int, int]]] = {False: [], True: []}
    pending: dict[bool, int] = {}
    for match in _QUOTE_MARK.finditer(text, start, end):
        i = match.start()
        family = text[i] in "«»"
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        opened = pending.get(family)
        if opened is not None and not before.isspace():
            families[family].append((opened, i))
            del pending[family]
        elif not after.isspace():
            pending[family] = i
    regions = sorted(families[False] + families[True])
    return [o for o, _ in regions], [c for _, c in regions]


def _innermost(opens: list[int], closes: list[int], k: int) -> tuple[int, int] | None:
    """The innermost quote region (open, close) with open < k <= close, if any.

    Regions of one family never overlap and there are two families, so only the last two
    regions opening before ``k`` can contain it.
    """
    i = bisect_left(opens, k)
    for j in (i - 1, i - 2):
        if j >= 0 and k <= closes[j]:
            return opens[j], closes[j]
    return None


def _split_line(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append the sentence spans of the line ``text[start:end]`` to ``spans``."""
    first = _NON_SPACE.search(text, start, end)
    if first is None:
        return
    seg = first.start()
    seen_upto, seg_has_alnum = seg, False
    has_quotes = _QUOTE_MARK.search(text, seg, end) is not None
    regions: tuple[list[int], list[int]] | None = None
    quote_words: dict[int, int] = {}

    for match in _CLUSTER.finditer(text, seg, end):
        k, cluster_end = match.span()
        if k < seg:
            continue
        # The text before the mark must contain a letter or digit.
        if not seg_has_alnum:
            seg_has_alnum = _ALNUM.search(text, seen_upto, k) is not None
            seen_upto = k
            if not seg_has_alnum:
                continue
        glued = cluster_end < end and not text[cluster_end].isspace()
        if glued:
            # Only "word.word" in Arabic script counts: 2.5, example.com, U.S. never split.
            if not (
                k > start
                and _ARABIC_LETTER.match(text[k - 1])
                and _ARABIC_LETTER.match(text[cluster_end])
                and all(c in _TERMINATORS for c in match.group())
            ):
                continue
            nxt = cluster_end
        else:
            following = _NON_SPACE.search(text, cluster_end, end)
            nxt = following.start() if following else end

        marks = match.group()
        if marks[0] == "." and (len(marks) == 1 or marks[1] not in _TERMINATORS):
            j = k
            while j > seg and not text[j - 1].isspace() and k - j < 40:
                j -= 1
            word = text[j:k]
            if _is_abbreviation(word):
                continue
            if j == seg and word.isdigit() and len(word) <= 3:
                continue  # "1. " list numbering
        if nxt < end and _LOWER_LATIN.match(text[nxt]):
            continue

        if has_quotes:
            if regions is None:
                regions = _quote_regions(text, start, end)
            region = _innermost(*regions, k)
            if region and _quote_holds(text, start, end, region, quote_words, cluster_end, nxt):
                continue

        spans.append((seg, cluster_end))
        seg = nxt
        seen_upto, seg_has_alnum = seg, False
        if seg >= end:
            return
    last = end
    while last > seg and text[last - 1].isspace():
        last -= 1
    if last > seg:
        spans.append((seg, last))


def _quote_holds(
    text: str,
    line_start: int,
    end: int,
    region: tuple[int, int],
    quote_words: dict[int, int],
    cluster_end: int,
    nxt: int,
) -> bool:
    """True when a mark inside or closing the quote ``region`` ends no sentence.

    See the module docstring: short quotes are never split inside and do not end the
    sentence unless introduced by a colon; a quote followed by continuation punctuation
    never ends it; long quotes may be split anywhere.
    """
    opened, closed = region
    n_words = quote_words.get(opened)
    if n_words is None:
        n_words = quote_words[opened] = len(_WORD.findall(text, opened + 1, closed))
    short = n_words <= SHORT_QUOTE_WORDS
    if closed >= cluster_end:
        return short  # the mark is inside the quote, which goes on after it
    # The mark ends the quote (“…!”).
    if nxt < end and text[nxt] in _CONTINUATION:
        return True
    if not short or (nxt < end and _UPPER_LATIN.match(text[nxt])):
        return False  # long quote, or an English-style new sentence ('"Go home." Then …')
    j = opened
    while j > line_start and text[j - 1].isspace():
        j -= 1
    introduced_by_colon = j > line_start and text[j - 1] in ":："
    return not introduced_by_colon


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of ``text``, in order, over the original string.

    Spans are whitespace-trimmed, never empty, never overlap, and cover every
    non-whitespace character. See the module docstring for where sentences end and how
    quotes are handled. Linear in the length of the text; never raises.
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        _split_line(text, line.start(), line.end(), spans)
    return spans
