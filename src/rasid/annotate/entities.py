"""The entity layer: who and what a record mentions, one entity per real-world thing.

Fills ``record.entities`` with one dict per mention::

    {"text", "type", "start", "end", "entity", "name", "en"}

``type`` is PER, LOC, ORG or WEAPON; ``text == record.text[start:end]`` and never includes an
attached conjunction or preposition (``وبوتين`` → ``بوتين``; the article stays: ``بالكرملين``
→ ``الكرملين``). Mentions never overlap.

How mentions are found, per sentence:

1. the CRF (``rasid.annotate.ner``) tags PER/LOC/ORG, and a name it tagged once is tagged
   where it recurs in the record;
2. the gazetteers add names the 2007 training text never saw (current actors, armed groups,
   platforms, countries); an ambiguous variant (``?كيف`` in the lexicon) only names the span
   the model tagged;
3. weapon systems come from ``lexicons/weapons.tsv`` and need the context their entry asks
   for (``لانسيت`` needs a military sentence, ``شاهد`` a head noun such as ``طائرات``);
4. organisation spans take a following nationality adjective (``وزارة الدفاع`` +
   ``الروسية``), and place spans the head that is part of their name (``نهر`` ``دنيبرو``).

One entity per thing — the ``entity`` id, stable across records:

* a gazetteer entry gives ``<type>:<key>`` (``per:vladimir-putin``, ``loc:country-ua``,
  ``loc:geonames-706448``, ``weapon:zala``), a display ``name`` and an English label ``en``;
  every alias of the entry (``بوتين``, ``فلاديمير بوتين``; ``ZALA``, ``زالا``) shares it;
* any other name gets ``<type>:<skeleton>``, where the skeleton is the normalized name
  without the article and without the long vowels ا و ي after each word's first letter, so
  spelling variants meet (``الكرملين``/``الكريملين`` → ``كرملن``,
  ``كوناشينكوف``/``كوناشنكوف`` → ``كنشنكف``) in every record;
* a person's bare last name joins the one full name in the record that ends with it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass

from rasid.annotate.doc import Doc
from rasid.annotate.ner import features, lexicon
from rasid.annotate.ner.lexicon import Entry, token_forms
from rasid.annotate.ner.model import propagate, tagger
from rasid.arabic.normalize import normalize_with_offsets
from rasid.arabic.tokenize import Token

__all__ = ["annotate", "find_entities", "skeleton"]

# Long sentences are tagged in windows: the CRF's cost stays linear and bounded per call.
MAX_WINDOW = 200
_TYPES = ("PER", "LOC", "ORG")
_VOWELS = re.compile(r"(?<=.)[اوي]")
# Priority between overlapping lexicon names of the same length.
_RANK = {"weapon": 2, "gazetteer": 1}


@dataclass(slots=True)
class _Mention:
    first: int  # token indices into the document's tokens, [first, last)
    last: int
    type: str
    source: str  # model, gazetteer, weapon
    prefix: str | None = None  # normalized proclitics stripped from the first token
    entry: Entry | None = None


def skeleton(words: Sequence[str]) -> str:
    """The spelling-insensitive key of a normalized name (see the module docstring)."""
    out = []
    for word in words:
        if word.startswith("ال") and len(word) > 4:
            word = word[2:]
        out.append(_VOWELS.sub("", word))
    return " ".join(out)


def _windows(tokens: Sequence[Token], sentences: Sequence[tuple[int, int]]) -> list[range]:
    """Token index ranges, one per sentence (split further when longer than MAX_WINDOW)."""
    out: list[range] = []
    i, n = 0, len(tokens)
    for _, end in sentences:
        j = i
        while j < n and tokens[j].start < end:
            j += 1
        for lo in range(i, j, MAX_WINDOW):
            out.append(range(lo, min(j, lo + MAX_WINDOW)))
        i = j
    if i < n:
        out.append(range(i, n))
    return out


def _model_mentions(tokens: Sequence[Token], windows: list[range]) -> list[_Mention]:
    model = tagger()
    if model is None:
        return []
    sequences = [tokens[w.start : w.stop] for w in windows]
    labels = propagate(sequences, model.tag_many(sequences))
    edges = lexicon.name_edges()

    def edge(k: int) -> bool:
        token = tokens[k]
        return not token.is_word or token.norm in edges or token.base in edges

    found = []
    for window, tags in zip(windows, labels, strict=True):
        start, kind = -1, ""
        for i, label in enumerate([*tags, "O"]):
            tag, _, typ = label.partition("-")
            if kind and (tag != "I" or typ != kind):
                first, last = window.start + start, window.start + i
                while first < last and edge(first):
                    first += 1
                while last > first and edge(last - 1):
                    last -= 1
                if kind in _TYPES and first < last:
                    found.append(_Mention(first, last, kind, "model"))
                kind = ""
            if tag == "B" or (tag == "I" and not kind):
                start, kind = i, typ
    return found


def _weapon_ok(entry: Entry, tokens: Sequence[Token], window: range, first: int, last: int) -> bool:
    if entry.context == "none":
        return True
    heads, context = lexicon.military_words()
    if entry.context == "adjacent":
        if any(ch.isdigit() for t in tokens[first:last] for ch in t.norm):
            return True
        before = [tokens[k] for k in range(max(window.start, first - 2), first)]
        if any(t.base in heads or t.norm in heads for t in before):
            return True
        after = tokens[last] if last < window.stop else None
        return after is not None and after.is_number
    words = [tokens[k] for k in window if not first <= k < last]
    return any(t.base in context or t.norm in context for t in words)


def _lexicon_mentions(tokens: Sequence[Token], windows: list[range]) -> list[_Mention]:
    gaz, arms = lexicon.gazetteer(), lexicon.weapons()
    found = []
    for window in windows:
        seq = tokens[window.start : window.stop]
        for m in gaz.match(seq):
            source = "gazetteer" if m.strong else "hint"
            found.append(
                _Mention(
                    window.start + m.first, window.start + m.last, m.entry.type, source,
                    m.prefix, m.entry,
                )
            )  # fmt: skip
        for m in arms.match(seq):
            first, last = window.start + m.first, window.start + m.last
            if _weapon_ok(m.entry, tokens, window, first, last):
                found.append(_Mention(first, last, "WEAPON", "weapon", m.prefix, m.entry))
    return found


def _resolve(
    tokens: Sequence[Token], model: list[_Mention], found: list[_Mention]
) -> list[_Mention]:
    """Non-overlapping mentions. Lexicon names first (longest first, weapons before
    gazetteer names); a model span is kept where it overlaps none of them — the model's
    "بوتين ضم خيرسون" loses to the gazetteer's بوتين and خيرسون. An ambiguous gazetteer name
    only lends its entry to a model span it matches exactly."""
    hints = {(m.first, m.last): m for m in found if m.source == "hint"}
    lexical = [m for m in found if m.source != "hint"]
    lexical.sort(key=lambda m: (-(m.last - m.first), -_RANK[m.source], m.first))
    taken: set[int] = set()
    kept = []
    for m in lexical:
        span = range(m.first, m.last)
        if not any(k in taken for k in span):
            taken.update(span)
            kept.append(m)
    kinds = lexicon.triggers()
    for m in model:
        span = range(m.first, m.last)
        if any(k in taken for k in span):
            continue
        # A span made only of head words ("شبه الجزيرة", "الوزارة") names nothing; one word
        # that is a place head may still be a name (الجزيرة the channel, القاعدة).
        heads = [kinds.get(tokens[k].base) or kinds.get(tokens[k].norm) for k in span]
        if all(heads) and (len(heads) > 1 or heads[0] in ("per_title", "org_head")):
            continue
        # A lone definite place noun as a place ("المدينة", "المنطقة", "العاصمة") is the
        # story's own city or region, not a name; gazetteer names like المدينة المنورة are
        # longer and were matched above.
        lone_place_noun = len(heads) == 1 and heads[0] in ("loc_head", "loc_part")
        if m.type == "LOC" and lone_place_noun and tokens[m.first].prefix.endswith("ال"):
            continue
        hint = hints.get((m.first, m.last))
        if hint is not None and hint.entry is not None and hint.entry.type == m.type:
            m.entry, m.prefix = hint.entry, hint.prefix
        taken.update(span)
        kept.append(m)
    kept.sort(key=lambda m: m.first)
    return kept


def _extend(mentions: list[_Mention], tokens: Sequence[Token], windows: list[range]) -> None:
    """ORG + nationality adjective; LOC + the head that belongs to its name."""
    nationalities = lexicon.nationalities()
    kinds = lexicon.triggers()
    taken = {k for m in mentions for k in range(m.first, m.last)}
    window_of = {}
    for w in windows:
        for k in w:
            window_of[k] = w
    for m in mentions:
        window = window_of.get(m.first)
        if window is None:
            continue
        if m.type == "ORG" and m.last < window.stop and m.last not in taken:
            nxt = tokens[m.last]
            if nxt.prefix in ("ال",) and (nxt.norm in nationalities or nxt.base in nationalities):
                taken.add(m.last)
                m.last += 1
        if m.type == "LOC" and m.source == "model":
            while (
                m.first - 1 >= window.start
                and m.first - 1 not in taken
                and kinds.get(tokens[m.first - 1].base) == "loc_part"
            ):
                m.first -= 1
                m.prefix = None
                taken.add(m.first)


def _choose_prefix(token: Token, listed: Container[str], known: set[str]) -> str:
    """The proclitics to leave out of a model span: the least-stripped reading of the first
    word whose base is a known name (gazetteer, another mention in the record, or a personal
    name: لياسر → ل + ياسر), else the tokenizer's precision-first split."""
    given = features.names()
    for prefix, base in token_forms(token.norm):
        if base in known or base in listed or base in given:
            return prefix
    vocabulary = features.clusters()
    if (
        token.prefix
        and features.cluster_key(token.norm) in vocabulary
        and features.cluster_key(token.base) not in vocabulary
    ):
        # News writes the whole word and never its remainder: the "proclitics" are the
        # name's own letters (كاليفورنيا is not ك + الـ + يفورنيا).
        return ""
    return token.prefix


def _cut(prefix: str) -> int:
    """How many normalized letters of the prefix leave the span: the article stays."""
    if prefix.endswith("ال") and not prefix.endswith("لل"):
        return len(prefix) - 2
    return len(prefix)


def _start_after(token: Token, letters: int) -> int:
    if letters <= 0:
        return token.start
    _norm, offsets = normalize_with_offsets(token.text)
    if letters >= len(offsets):
        return token.start
    return token.start + offsets[letters]


def find_entities(
    text: str, tokens: Sequence[Token], sentences: Sequence[tuple[int, int]]
) -> list[dict]:
    """Entity mentions of a text (see the module docstring)."""
    if not any(t.is_word and not t.is_number for t in tokens):
        return []
    windows = _windows(tokens, sentences)
    mentions = _resolve(
        tokens, _model_mentions(tokens, windows), _lexicon_mentions(tokens, windows)
    )
    _extend(mentions, tokens, windows)
    gaz = lexicon.gazetteer()

    # Bases that name things in this record help strip clitics from model spans (بخيرسون).
    known: set[str] = set()
    for m in mentions:
        if m.prefix is not None:
            known.add(tokens[m.first].norm[len(m.prefix) :])
    rows = []
    for m in mentions:
        first = tokens[m.first]
        prefix = m.prefix if m.prefix is not None else _choose_prefix(first, gaz.index, known)
        cut = _cut(prefix)
        start = _start_after(first, cut)
        end = tokens[m.last - 1].end
        words = [first.norm[cut:], *(t.norm for t in tokens[m.first + 1 : m.last])]
        if not words[0]:
            continue
        if m.entry is None and m.type != "WEAPON":
            # "للأمم المتحدة" lost its article with the ل: look the name up with it too.
            found = gaz.lookup(words) or gaz.lookup(["ال" + words[0], *words[1:]])
            if found is not None and found[0].type == m.type:
                m.entry = found[0]
        rows.append((m, start, end, words))
    return _link(text, tokens, rows, {w.start for w in windows})


# Words of personal names too short for the name list (بن غفير، آل ثاني، أبو مازن).
_NAME_PARTICLES = frozenset({"بن", "ابن", "بنت", "ال", "ابو", "ام"})


def _settled_type(
    tokens: Sequence[Token], m: _Mention, words: list[str], starts: Container[int]
) -> str | None:
    """The type a head in construct right before an unlisted name settles ("ولاية ميزوري"),
    or None. Not with the article ("واستخلف على المدينة سهل بن حنيف"), not across a sentence,
    not after a word that makes the head another noun ("خلال ولاية بولسونارو"), not for a
    name holding a personal name (قرية إبراهيم says nothing of the record's other إبراهيم,
    "ولاية كنتاكي راند بول" is a state and a senator) or a head word of its own (محافظة البنك
    المركزي is the bank's governor)."""
    if m.first in starts or not tokens[m.first - 1].is_word:
        return None
    given = features.names()
    kinds = lexicon.triggers()
    if any(word in given or word in _NAME_PARTICLES for word in words) or any(
        kinds.get(tokens[k].base) for k in range(m.first, m.last)
    ):
        return None
    heads = lexicon.type_heads()
    for prefix, base in token_forms(tokens[m.first - 1].norm):
        if base not in heads:
            continue
        if prefix.endswith(("ال", "لل")):
            return None
        kind, blockers = heads[base]
        if m.first >= 2 and m.first - 1 not in starts:
            earlier = tokens[m.first - 2]
            if earlier.norm in blockers or earlier.base in blockers:
                return None
        return kind
    return None


def _link(
    text: str,
    tokens: Sequence[Token],
    rows: list[tuple[_Mention, int, int, list[str]]],
    starts: Container[int],
) -> list[dict]:
    """Give every mention its entity id, display name and English label. ``starts``: the
    first token of each sentence window."""
    keys: list[str] = []
    for m, _, _, words in rows:
        keys.append(m.entry.id if m.entry is not None else "?" + skeleton(words))
    # One type per unlisted name: the model's majority reading in this record, unless a
    # mention follows a head that settles it ("ولاية ميزوري", see _settled_type).
    votes: dict[str, Counter] = {}
    settled: dict[str, str] = {}
    for (m, _, _, words), key in zip(rows, keys, strict=True):
        if key.startswith("?"):
            votes.setdefault(key, Counter())[m.type] += 1
            kind = _settled_type(tokens, m, words, starts)
            if kind is not None:
                settled.setdefault(key, kind)
    types = {key: counts.most_common(1)[0][0] for key, counts in votes.items()}
    types.update(settled)
    # A bare last name joins the one full person name in the record that ends with it.
    full: dict[str, set[str]] = {}
    for (m, _, _, words), key in zip(rows, keys, strict=True):
        kind = m.entry.type if m.entry else types.get(key, m.type)
        if kind == "PER" and len(words) > 1:
            full.setdefault(skeleton(words[-1:]), set()).add(key)
    for i, ((_, _, _, words), key) in enumerate(zip(rows, keys, strict=True)):
        if key.startswith("?") and len(words) == 1 and types.get(key) == "PER":
            owners = full.get(skeleton(words), set()) - {key}
            if len(owners) == 1:
                keys[i] = next(iter(owners))
    # Display names: the entry's, else the longest surface form of the group. GeoNames lists
    # a city's Arabic names unordered and with strays (``د مشق`` for Damascus, ``ااالخرطوم``
    # for Khartoum, Uyghur ``ئاممان`` for Amman): a city takes the article's own spelling.
    names: dict[str, str] = {}
    for (m, start, end, _), key in zip(rows, keys, strict=True):
        if m.entry is not None and m.entry.source != "city":
            names[key] = m.entry.name
        elif len(text[start:end]) > len(names.get(key, "")) and (
            key.startswith("?") or m.entry is not None
        ):
            names[key] = text[start:end]
    entries = {key: m.entry for (m, *_), key in zip(rows, keys, strict=True) if m.entry}
    out = []
    for (m, start, end, _), key in zip(rows, keys, strict=True):
        entry = entries.get(key)
        kind = entry.type if entry else types.get(key, m.type)
        entity = f"{kind.lower()}:{key[1:]}" if key.startswith("?") else key
        out.append(
            {
                "text": text[start:end],
                "type": kind,
                "start": start,
                "end": end,
                "entity": entity,
                "name": names.get(key, text[start:end]),
                "en": entry.en if entry else None,
            }
        )
    return out


def annotate(doc: Doc) -> None:
    """Fill ``doc.record.entities``; later layers find the same list in ``doc.shared``."""
    entities = find_entities(doc.text, doc.tokens, doc.sentences)
    doc.record.entities = entities
    index: dict[str, list[int]] = {}
    for i, mention in enumerate(entities):
        index.setdefault(mention["entity"], []).append(i)
    doc.shared["entities"] = index
