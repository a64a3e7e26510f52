"""The search form of text and queries, and snippets over the original text.

Both backends index :func:`index_text` (the light-stemmed search keys of title and body, see
``rasid.arabic.stem``) and turn a user query into the same keys with :func:`parse_query`, so
«الاوكرانيه» finds «الأوكرانية» and «وبوتين» finds «بوتين». Snippets are cut from the
*original* text: the tokenizer's offsets point back at the words whose keys matched.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from rasid.arabic.normalize import normalize
from rasid.arabic.stem import light_stem, search_terms
from rasid.arabic.tokenize import Token, clitic_candidates, tokenize

__all__ = [
    "IndexForms",
    "ParsedQuery",
    "day_range_tags",
    "entity_tag",
    "filter_tags",
    "index_alternates",
    "index_forms",
    "index_text",
    "parse_query",
    "site_tag",
    "snippet",
    "type_tag",
]

# Words of context around the best window of matches.
SNIPPET_WORDS = 28
_PHRASE = re.compile(r'"([^"]+)"|«([^»]+)»|(\S+)')


def index_text(text: str) -> str:
    """The indexed form: search keys joined by spaces (the FTS tokenizer splits on them)."""
    return " ".join(search_terms(text))


def index_alternates(text: str, tokens: list[Token] | None = None) -> str:
    """The other readings of words whose first letter may be a proclitic the tokenizer kept
    (it splits precision-first: «لتحلية» stays whole, since «لبنان» must too). Indexed in
    their own column, as a set: a query for «تحلية» then finds «لتحلية», while phrases are
    still matched in the body's reading order."""
    seen: set[str] = set()
    for token in tokenize(text) if tokens is None else tokens:
        if token.prefix or len(token.norm) < 5 or not token.is_arabic:
            continue
        seen.update(_alternates(token.norm))
    return " ".join(sorted(seen))


@lru_cache(maxsize=100_000)
def _alternates(norm: str) -> tuple[str, ...]:
    """Search keys of the other clitic readings of a normalized word (cached: news text
    repeats its words)."""
    return tuple(
        light_stem(base) for _prefix, base in clitic_candidates(norm)[1:] if len(base) >= 4
    )


@dataclass(slots=True)
class IndexForms:
    """Everything the stores derive from one article's words, from one tokenization: the
    indexed title, body and alternates, and the word bases (for ``rasid.dedup``)."""

    title: str
    body: str
    alternates: str
    bases: list[str]


def index_forms(title: str | None, text: str) -> IndexForms:
    title_tokens = [t for t in tokenize(title or "") if t.is_word]
    tokens = [t for t in tokenize(text) if t.is_word]
    return IndexForms(
        title=" ".join(light_stem(t.base) for t in title_tokens),
        body=" ".join(light_stem(t.base) for t in tokens),
        alternates=index_alternates("", title_tokens + tokens),
        bases=[t.base for t in tokens],
    )


@dataclass(slots=True)
class ParsedQuery:
    """``groups`` are the query's words (one key each) and phrases (several keys in order); an
    article matches when it has every group. ``keys`` is the set of all keys, for highlights."""

    groups: list[list[str]] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def fts5(self) -> str:
        """An FTS5 MATCH expression: each group a quoted phrase, all required."""
        return " AND ".join('"' + " ".join(group).replace('"', "") + '"' for group in self.groups)


def parse_query(query: str) -> ParsedQuery:
    """Words and quoted phrases («…» or "…") of a user query, as search keys."""
    parsed = ParsedQuery()
    for match in _PHRASE.finditer(query or ""):
        part = next(group for group in match.groups() if group is not None)
        keys = search_terms(part)
        if keys:
            parsed.groups.append(keys)
            parsed.keys.update(keys)
    return parsed


def _matches(token: Token, keys: set[str]) -> bool:
    if light_stem(token.base) in keys:
        return True
    if token.prefix or not token.is_arabic or len(token.norm) < 5:
        return False
    # An alternate reading is the word minus its first letters: only worth computing when a
    # key occurs inside the word at all.
    if not any(key in token.norm for key in keys):
        return False
    return any(key in keys for key in _alternates(token.norm))


# Snippets tokenize the text a slice at a time and stop at the first slice with a match: the
# best hits of a ranked search match early, and a long article must not cost a full pass.
# Tokenizing is most of a search's time (20 snippets a page), so a slice is about a hundred
# words, read with a little more text after it so a match near its end still gets a full
# window of words.
_SLICE = 600
_LOOKAHEAD = 240


def _reach(text: str, end: int) -> int:
    """Where the text tokenized for a slice ending at ``end`` ends: a word boundary a little
    further on."""
    if end >= len(text):
        return end
    space = text.find(" ", end + _LOOKAHEAD)
    return len(text) if space < 0 else space


def _slices(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    while start < len(text):
        end = min(len(text), start + _SLICE)
        if end < len(text):
            space = text.rfind(" ", start + _SLICE // 2, end)
            end = space if space > start else end
        bounds.append((start, end))
        start = end
    return bounds


@lru_cache(maxsize=64)
def _key_finder(keys: frozenset[str]) -> Callable[[str], object]:
    """Whether a normalized string holds any of ``keys``: one regular expression, since a
    page's twenty snippets test every word of their passages."""
    if not keys:
        return lambda _text: None
    return re.compile("|".join(sorted(map(re.escape, keys), key=len, reverse=True))).search


def snippet(
    text: str, keys: set[str], words: int = SNIPPET_WORDS
) -> tuple[str, list[tuple[int, int]]]:
    """A passage of ``text`` around the densest run of words whose key is in ``keys``, and the
    spans of those words inside the passage. Without matches, the opening words."""
    tokens: list[Token] = []
    hits: list[int] = []
    offset = 0
    has_key = _key_finder(frozenset(keys))
    for lo, hi in _slices(text) if keys else []:
        # A key is always inside the normalized form of a word it matches (stems and
        # alternate readings only strip letters): a slice without any key as a substring is
        # skipped without tokenizing it. Hits that matched on the title cost no full pass.
        piece = normalize(text[lo:hi])
        if not has_key(piece):
            continue
        part = [t for t in tokenize(text[lo : _reach(text, hi)]) if t.is_word]
        found = [i for i, t in enumerate(part) if has_key(t.norm) and _matches(t, keys)]
        if found:
            tokens, hits, offset = part, found, lo
            break
    if not tokens and text:
        # No match in the text (the title matched): the text's opening words.
        lo, hi = _slices(text)[0]
        tokens, offset = [t for t in tokenize(text[lo : _reach(text, hi)]) if t.is_word], lo
    if not tokens:
        return text[:200], []
    first = 0
    if hits:
        # The window of `words` tokens holding the most distinct matched keys, earliest first.
        best, best_score = hits[0], -1
        stems = {i: light_stem(tokens[i].base) for i in hits}  # distinct words, roughly
        # Bounded: a text matching everywhere must not cost quadratic time.
        for n, h in enumerate(hits[:200]):
            window = {stems[i] for i in hits[n : n + words] if i < h + words}
            if len(window) > best_score:
                best, best_score = h, len(window)
        first = max(0, best - words // 4)
    last = min(len(tokens), first + words) - 1
    start, end = tokens[first].start + offset, tokens[last].end + offset
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text.rstrip()) else ""
    passage = prefix + text[start:end].replace("\n", " ") + suffix
    shift = len(prefix) - start + offset
    spans = [(tokens[i].start + shift, tokens[i].end + shift) for i in hits if first <= i <= last]
    return passage, spans


# ---- filters as index terms ----------------------------------------------------------------
# The SQLite store indexes an article's filter values (site, publication day, event types,
# entities) as terms of their own FTS column, so a filtered search is one full-text query
# whose doclists intersect, instead of a full-text match checked row by row against the
# articles table (seconds when a common word matches a third of a 1M base). A term is a
# private-use character, a letter and the value (a date's digits, or a 64-bit hash): one token
# for FTS5's tokenizer (it counts private-use characters as letters) that no query word can
# be, since rasid's own tokenizer never keeps that character in a word.
_MARK = "\ue000"


def _tag(kind: str, value: object) -> str:
    # str(): a record's event type may be any JSON value; the filter compares it as text.
    digest = hashlib.blake2b(str(value).encode("utf-8"), digest_size=8).hexdigest()
    return f"{_MARK}{kind}{digest}"


def site_tag(site: str) -> str:
    return _tag("s", site)


def type_tag(event_type: str) -> str:
    return _tag("t", event_type)


def entity_tag(entity: str) -> str:
    return _tag("e", entity)


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _parse_day(day: str | None) -> date | None:
    if not day or not _DAY.fullmatch(day):
        return None
    try:
        return date.fromisoformat(day)
    except ValueError:
        return None


def _day_terms(day: date) -> list[str]:
    return [f"{_MARK}d{day:%Y%m%d}", f"{_MARK}m{day:%Y%m}", f"{_MARK}y{day:%Y}"]


def filter_tags(
    site: str | None,
    day: str | None,
    types: Iterable[str] = (),
    entities: Iterable[str] = (),
) -> str:
    """The indexed filter terms of one article: its site, its publication day (as a day, a
    month and a year term, so a date range needs few terms), its event types and entities."""
    terms = [site_tag(site)] if site else []
    parsed = _parse_day(day)
    if parsed:
        terms += _day_terms(parsed)
    terms += sorted({type_tag(t) for t in types if t})
    terms += sorted({entity_tag(e) for e in entities if e})
    return " ".join(terms)


def day_range_tags(first: str, last: str, limit: int = 120) -> list[str] | None:
    """The fewest day, month and year terms covering the days ``first``..``last`` (inclusive,
    ISO dates), any of which an article must have to be in the range: whole years, then
    whole months, then single days. An empty list when the range is empty; None when a bound
    is not a date or more than ``limit`` terms would be needed (the caller filters in SQL)."""
    lo, hi = _parse_day(first), _parse_day(last)
    if lo is None or hi is None:
        return None
    terms: list[str] = []
    while lo <= hi:
        if len(terms) >= limit:
            return None
        year_end = date(lo.year, 12, 31)
        next_month = date(lo.year + lo.month // 12, lo.month % 12 + 1, 1)
        if lo.month == 1 and lo.day == 1 and year_end <= hi:
            terms.append(f"{_MARK}y{lo:%Y}")
            lo = year_end + timedelta(days=1)
        elif lo.day == 1 and next_month - timedelta(days=1) <= hi:
            terms.append(f"{_MARK}m{lo:%Y%m}")
            lo = next_month
        else:
            terms.append(f"{_MARK}d{lo:%Y%m%d}")
            lo += timedelta(days=1)
    return terms
