"""Events: PLOVER-coded "who did what to whom, where and when" from Arabic news sentences.

The layer reads triggers from data (``lexicons/events/triggers.tsv``: verbs with their generated
inflections, nominal masdars, multi-word phrases and support verbs such as شن/عقد/فرض), then
fills each event's slots from the sentence without a parser:

* actor — Arabic is often verb-first, so the noun phrase right after a verb trigger is the
  subject when it can act (an entity, a head such as قوات/وزارة/متظاهرون, a country, a proper
  name); else the phrase before the verb (``روسيا قد سلمت``, ``كانت قوات كييف قد أصابت``);
  for a masdar, its genitive when the lexicon says the genitive acts (``انسحاب القوات``), else
  the subject of a support verb before it, else the nearest acting phrase before it in the
  clause. An event inside reported speech whose actor is a pronoun (``قالت روسيا إن قواتها
  استكملت انسحابها``) takes the speaker.
* recipient and location — the object or genitive (by the trigger's ``obj`` column), the phrase
  after a recipient preposition, a place after a locative preposition; a generic ``المدينة``
  points back to the last place named.
* date — the record's date nearest the trigger in the same sentence; else, for an asserted
  present report, the publication date when the sentence says ``اليوم``/``الآن``.
* modality — cues from ``modality.tsv`` (negation, hypothesis, future, past background), a date
  well before publication (historical), reported speech or a quote (claimed, linked by
  ``claimed_by``). A future or announced RETREAT is coded CONCEDE (PLOVER: promised
  withdrawals are verbal concessions).

Entities, places, dates and quotes from earlier layers are used when present; with none of
them the layer still finds events, with surface texts and no ids.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from rasid.annotate.doc import Doc
from rasid.arabic.dates import find_dates
from rasid.arabic.normalize import normalize, strip_diacritics
from rasid.arabic.tokenize import Token, clitic_candidates, split_clitics

__all__ = ["MAX_TOKENS", "Lexicon", "annotate", "find_events", "lexicon"]

# Slots are looked for within these many tokens of the trigger: Arabic news clauses are
# short, and a bounded window keeps a 5,000-word "sentence" linear.
_AFTER = 10
_BACK = 20
_LIGHT_GAP = 6
_NEEDS_WINDOW = 6
_ABSORB_GAP = 4
# Verbal acts (PLOVER quads 1 and 3): saying them is doing them.
_VERBAL = frozenset(
    {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}
)
_LONG_SENTENCE = 120  # tokens: beyond this the evidence is clipped and confidence lowered
MAX_TOKENS = 20_000  # about 15,000 words: ten times a long news article
_MIN_CONFIDENCE = 0.45
_HISTORICAL_DAYS = 7

# "إذا لم تنسحب": a negation inside a condition is still a hypothesis.
_STRENGTH = {"hypothetical": 6, "negated": 5, "future": 3, "historical": 2}
_CLAUSE_BREAK = frozenset(",;:.!?()[]\"'-")
_PRONOUN_SUFFIXES = ("هما", "هم", "ها", "ه", "نا")
# "انسحبوا منها": a preposition with a pronoun points back to the last place named.
_PLACE_PRONOUNS = frozenset({"منها", "فيها", "اليها", "منه", "فيه", "اليه", "عليها"})


# ---------------------------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: str  # verb | noun | phrase | light
    type: str
    mode: str | None
    obj: str | None
    rprep: frozenset[str]
    needs: frozenset[str]
    context: str | None
    conf: float


@dataclass(frozen=True, slots=True)
class Form:
    """One inflected form of a trigger: its tense (verbs) and whether it carries a pronoun."""

    trigger: Trigger
    tense: str | None  # past | imperfect | None (nouns)
    suffix: bool


@dataclass
class Lexicon:
    forms: dict[str, list[Form]] = field(default_factory=dict)
    phrases: dict[str, list[tuple[tuple[frozenset[str], ...], Trigger]]] = field(
        default_factory=dict
    )
    light: set[str] = field(default_factory=set)
    mode_cues: list[tuple[str, str, int, tuple[frozenset[str], ...]]] = field(default_factory=list)
    modality: list[tuple[str, str, str | None, tuple[frozenset[str] | None, ...]]] = field(
        default_factory=list
    )
    absorb: list[tuple[str, str, str, str, str | None]] = field(default_factory=list)
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    countries: frozenset[str] = frozenset()
    form_keys: frozenset[str] = frozenset()

    def country_len(self, keys: list[frozenset[str]], i: int) -> int:
        """How many tokens from i spell a country name (0 when none)."""
        for n in (3, 2, 1):
            if i + n > len(keys):
                continue
            for combo in _combos(keys[i : i + n]):
                if combo in self.countries:
                    return n
        return 0

    def add(self, form: str, entry: Form) -> None:
        self.forms.setdefault(form, []).append(entry)


def _combos(keys: list[frozenset[str]]) -> list[str]:
    out = [""]
    for k in keys:
        out = [f"{o} {w}".strip() for o in out for w in k][:16]
    return out


def _rows(name: str) -> list[list[str]]:
    text = files("rasid.annotate").joinpath(f"lexicons/events/{name}").read_text("utf-8")
    return [
        line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


def _key(word: str) -> str:
    """The article-less normalized form lexicon words are compared in."""
    return split_clitics(normalize(word))[1]


def _alternatives(word: str) -> frozenset[str]:
    return frozenset(_key(w) for w in word.split("|") if w)


def _sequence(words: str) -> tuple[frozenset[str] | None, ...]:
    return tuple(None if w == "*" else _alternatives(w) for w in words.split())


def _none(value: str) -> str | None:
    return None if value in ("-", "") else value


def _verb_forms(spec: str) -> list[tuple[str, str, bool]]:
    """(form, tense, has object suffix) for a ``past|imperfect;extra;…`` specification."""
    head, *extra = spec.split(";")
    past, _, imperfect = head.partition("|")
    bare = not past.startswith("!")
    past, imperfect = normalize(past.lstrip("!")), normalize(imperfect)
    out: list[tuple[str, str, bool]] = []
    past_forms = [past + s for s in ("ت", "وا", "ا", "تا", "نا", "تم")]
    if bare:
        past_forms.insert(0, past)
    past_forms += [normalize(e) for e in extra]
    out += [(f, "past", False) for f in past_forms]
    stems = [past, past + "ت", past + "و"] if bare else [past + "ت", past + "و"]
    out += [(s + p, "past", True) for s in stems for p in _PRONOUN_SUFFIXES if p != "نا"]
    if imperfect and imperfect != "-":
        for prefix in ("ي", "ت", "ن", "ا"):
            stem = prefix + imperfect
            out += [(stem + s, "imperfect", False) for s in ("", "ون", "ان", "وا", "ين")]
            out += [(stem + p, "imperfect", True) for p in _PRONOUN_SUFFIXES if p != "نا"]
    return out


def _noun_forms(spec: str) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for word in spec.split("|"):
        form = _key(word)
        out.append((form, False))
        if not form.endswith("ا"):
            out.append((form + "ا", False))
        stem = form[:-1] + "ت" if form.endswith("ه") else form
        out += [(stem + p, True) for p in _PRONOUN_SUFFIXES]
    return out


def _countries() -> frozenset[str]:
    """Arabic country names from CLDR (babel), as article-less keys."""
    try:
        from babel import Locale

        names = Locale("ar").territories.values()
    except Exception:  # babel missing or its data unreadable: the lexicon heads still work
        return frozenset()
    return frozenset(" ".join(_key(w) for w in name.split()) for name in names if name)


@cache
def lexicon() -> Lexicon:
    lex = Lexicon()
    for kind, form, type_, mode, obj, rprep, needs, context, conf in _rows("triggers.tsv"):
        trigger = Trigger(
            kind, type_, _none(mode), _none(obj),
            _alternatives(rprep) if rprep != "-" else frozenset(),
            _alternatives(needs) if needs != "-" else frozenset(),
            _none(context), float(conf),
        )  # fmt: skip
        if kind == "verb":
            for f, tense, suffix in _verb_forms(form):
                lex.add(f, Form(trigger, tense, suffix))
        elif kind == "noun":
            for f, suffix in _noun_forms(form):
                lex.add(f, Form(trigger, None, suffix))
        elif kind == "phrase":
            seq = tuple(_alternatives(w) for w in form.split())
            for first in seq[0]:
                lex.phrases.setdefault(first, []).append((seq, trigger))
        elif kind == "light":
            lex.light.update(f for f, _, suffix in _verb_forms(form) if not suffix)
    for type_, mode, rank, words in _rows("mode_cues.tsv"):
        lex.mode_cues.append((type_, mode, int(rank), _sequence(words)))  # type: ignore[arg-type]
    for modality, scope, tense, words in _rows("modality.tsv"):
        lex.modality.append((modality, scope, _none(tense), _sequence(words)))
    for gov, gov_mode, comp, comp_mode, result in _rows("absorb.tsv"):
        lex.absorb.append((gov, gov_mode, comp, comp_mode, _none(result)))
    classes: dict[str, set[str]] = {}
    for name, words in _rows("words.tsv"):
        for w in words.split("|"):
            classes.setdefault(name, set()).update({_key(w), normalize(w)})
    lex.words = {name: frozenset(ws) for name, ws in classes.items()}
    lex.countries = _countries()
    lex.form_keys = frozenset(lex.forms)
    return lex


# ---------------------------------------------------------------------------------------------
# Sentence view
# ---------------------------------------------------------------------------------------------


@dataclass
class _Sentence:
    start: int
    end: int
    toks: list[Token]
    keys: list[frozenset[str]]  # every article-less reading of each token
    phrases: dict[tuple[int, int], Any] = field(default_factory=dict)  # noun phrases read
    countries: dict[int, int] = field(default_factory=dict)
    index: dict[str, list[int]] | None = None  # word → positions, built when cues are sought

    def text(self, doc_text: str, i: int, j: int) -> str:
        return doc_text[self.toks[i].start : self.toks[j - 1].end]


@lru_cache(maxsize=100_000)
def _candidates(norm: str) -> tuple[tuple[str, str], ...]:
    """clitic_candidates, cached: a news vocabulary is small and every slot asks again."""
    return tuple(clitic_candidates(norm))


def _readings(token: Token) -> frozenset[str]:
    return _readings_of(token.norm, token.base)


@lru_cache(maxsize=100_000)
def _readings_of(norm: str, base: str) -> frozenset[str]:
    return frozenset(b for _, b in _candidates(norm)) | {base}


@lru_cache(maxsize=100_000)
def _classes_of(keys: frozenset[str], norm: str) -> frozenset[str]:
    """The word classes (words.tsv) a token belongs to: they depend on its spelling alone."""
    words = lexicon().words
    return frozenset(name for name, ws in words.items() if norm in ws or keys & ws)


@dataclass
class _Phrase:
    """A noun phrase: token indices [i, j) in the sentence and what kind of thing it names."""

    i: int
    j: int
    entity: dict[str, Any] | None = None
    acts: bool = False  # an entity, an actor head or a country
    proper: bool = False  # only looks like a name (no article, no known word)
    place: bool = False


@dataclass
class _Context:
    doc: Doc
    lex: Lexicon
    entities: list[dict[str, Any]]
    entity_starts: list[int]
    places: dict[str, dict[str, Any]]
    place_names: dict[str, dict[str, Any]]
    quotes: list[dict[str, Any]]
    dates: list[dict[str, Any]]
    published: str | None
    last_place: tuple[str, dict[str, Any] | None] | None = None


def _is(ctx: _Context, s: _Sentence, i: int, name: str) -> bool:
    return name in _classes_of(s.keys[i], s.toks[i].norm)


def _is_word(token: Token) -> bool:
    return token.norm[:1].isalnum()


def _entity_at(ctx: _Context, start: int, end: int) -> dict[str, Any] | None:
    k = bisect.bisect_left(ctx.entity_starts, start)
    for e in ctx.entities[max(0, k - 1) : k + 4]:
        if e["start"] < end and e["end"] > start:
            return e
    return None


def _function(ctx: _Context, s: _Sentence, i: int) -> bool:
    return any(_is(ctx, s, i, c) for c in ("prep", "particle", "time", "report"))


def _phrase(ctx: _Context, s: _Sentence, i: int, limit: int = 4) -> _Phrase | None:
    """The noun phrase starting at token i, or None when a function word or mark is there."""
    key = (i, limit)
    if key not in s.phrases:
        s.phrases[key] = _read_phrase(ctx, s, i, limit)
    found = s.phrases[key]
    # Callers may extend a phrase (بمدينة خيرسون): hand out a copy.
    return None if found is None else _Phrase(**vars(found))


def _read_phrase(ctx: _Context, s: _Sentence, i: int, limit: int) -> _Phrase | None:
    n = len(s.toks)
    if i >= n or not _is_word(s.toks[i]) or s.toks[i].norm[0].isdigit():
        return None
    first = s.toks[i]
    entity = _entity_at(ctx, first.start, first.end)
    if entity is not None:
        j = i + 1
        while j < n and s.toks[j].start < entity["end"]:
            j += 1
        # "القوات الروسية" keeps its adjective; an entity span already covers its name.
        while (
            j < n
            and j - i < limit
            and s.toks[j].prefix.endswith("ال")
            and s.toks[j].prefix in ("ال",)
        ):
            if _function(ctx, s, j) or _trigger_at(ctx, s, j):
                break
            j += 1
        acts = entity.get("type") in ("PER", "ORG", "LOC")
        return _Phrase(i, j, entity, acts=acts, place=entity.get("type") == "LOC")
    if _function(ctx, s, i) and not _is(ctx, s, i, "object"):
        return None
    definite = "ال" in first.prefix
    prepositional = not definite or "ل" in first.prefix.replace("ال", "")
    if first.prefix and prepositional and first.prefix not in ("و", "ف", "ال", "وال", "فال"):
        return None  # بالكرملين، للجيش: a prepositional phrase, not a noun phrase
    if _prepositional(ctx, first):
        return None
    head_actor = _is(ctx, s, i, "actor")
    clen = s.countries.get(i)
    if clen is None:
        clen = s.countries[i] = ctx.lex.country_len(s.keys, i)
    country = clen > 0
    place = _is(ctx, s, i, "placehead") or country
    proper = (
        not definite
        and not head_actor
        and not place
        and not _is(ctx, s, i, "object")
        and len(first.base) >= 3
        and not _trigger_at(ctx, s, i)
        and not country
        and not _looks_verbal(first.base)
    )
    j = i + max(1, clen)
    all_indefinite = not definite
    while j < n and j - i < limit and not country:
        t = s.toks[j]
        if not _is_word(t) or t.norm[0].isdigit() or t.prefix in ("و", "ف"):
            break
        if _function(ctx, s, j) or _trigger_at(ctx, s, j):
            break
        if t.prefix and t.prefix != "ال":  # بالمدفعية، للجيش، والقوات end the phrase
            break
        t_def = "ال" in t.prefix
        if not t_def and not all_indefinite:
            break  # a definite noun takes no indefinite genitive after it
        all_indefinite = all_indefinite and not t_def
        if _entity_at(ctx, t.start, t.end) is not None and j > i:
            entity = _entity_at(ctx, t.start, t.end)
            while j < n and s.toks[j].start < entity["end"]:
                j += 1
            break
        j += 1
    acts = (
        head_actor
        or country
        or (entity is not None and entity.get("type") in ("PER", "ORG", "LOC"))
    )
    if entity is not None and entity.get("type") == "LOC":
        place = True
    return _Phrase(i, j, entity, acts=acts, proper=proper, place=place)


def _looks_verbal(base: str) -> bool:
    """اكتملت، استكملت، انسحبوا: derived-form verbs, which names almost never look like."""
    return len(base) >= 5 and base[0] == "ا" and base.endswith(("ت", "وا"))


def _prepositional(ctx: _Context, tok: Token) -> bool:
    """باستخدام، لاستعادة: ب/ل written on a masdar or a trigger, not a name."""
    for prefix, base in _candidates(tok.norm)[1:]:
        if prefix[-1:] in ("ب", "ل") and (
            base in ctx.lex.words.get("masdar", ()) or base in ctx.lex.forms
        ):
            return True
    return False


def _phrase_ending(ctx: _Context, s: _Sentence, k: int) -> _Phrase | None:
    """The noun phrase that ends at token k-1 (for subjects written before the verb)."""
    best = None
    for i in range(k - 1, max(-1, k - 5), -1):
        if not _is_word(s.toks[i]) or _function(ctx, s, i):
            break
        p = _phrase(ctx, s, i)
        if p is not None and p.j == k:
            best = p
    return best


# ---------------------------------------------------------------------------------------------
# Triggers in a sentence
# ---------------------------------------------------------------------------------------------


@dataclass
class _Hit:
    i: int
    j: int
    trigger: Trigger
    tense: str | None
    suffix: bool
    verbal: bool
    future: bool = False
    gap: tuple[int, int] | None = None  # phrase words split by the subject (أطلق مسلحون النار)


def _trigger_at(ctx: _Context, s: _Sentence, i: int) -> bool:
    return bool(s.keys[i] & ctx.lex.form_keys)


def _needs_met(ctx: _Context, s: _Sentence, i: int, trigger: Trigger) -> bool:
    if not trigger.needs:
        return True
    for k in range(i + 1, min(len(s.toks), i + 1 + _NEEDS_WINDOW)):
        if s.keys[k] & trigger.needs or s.toks[k].norm in trigger.needs:
            return True
    return False


def _starts_clause(ctx: _Context, s: _Sentence, i: int) -> bool:
    if i == 0:
        return True
    prev = s.toks[i - 1]
    return not _is_word(prev) or _is(ctx, s, i - 1, "particle") or _is(ctx, s, i - 1, "report")


def _match_phrase(ctx: _Context, s: _Sentence, i: int) -> _Hit | None:
    lex = ctx.lex
    best: _Hit | None = None
    for key in s.keys[i]:
        for seq, trigger in lex.phrases.get(key, ()):
            k, gap = i + 1, None
            ok = True
            for n, word in enumerate(seq[1:]):
                limit = k + (4 if n == 0 else 1)
                while k < min(limit, len(s.toks)) and not (s.keys[k] & word):
                    if not _is_word(s.toks[k]):
                        k = limit
                        break
                    k += 1
                if k >= min(limit, len(s.toks)):
                    ok = False
                    break
                if n == 0 and k > i + 1:
                    gap = (i + 1, k)
                k += 1
            if not ok or (best is not None and k - i <= best.j - best.i):
                continue
            first = s.toks[i]
            nominal = (
                "ال" in first.prefix
                or first.prefix[-1:] in ("ب", "ل")
                or (_masdar(ctx, s, i) and not _starts_clause(ctx, s, i))
            )
            best = _Hit(i, k, trigger, "past", False, verbal=not nominal, gap=gap)
    return best


def _masdar(ctx: _Context, s: _Sentence, i: int) -> bool:
    """A verbal noun, with or without its accusative ending (اتصالا، حكما)."""
    base = s.toks[i].base
    return _is(ctx, s, i, "masdar") or base[:-1] in ctx.lex.words.get("masdar", ())


def _match(ctx: _Context, s: _Sentence, i: int) -> _Hit | None:
    tok = s.toks[i]
    if not _is_word(tok) or tok.norm[0].isdigit():
        return None
    if tok.norm in ctx.lex.words.get("adverbial", ()):
        return None  # "احتجاجا على": the reason for an act, not a protest
    phrase = _match_phrase(ctx, s, i)
    if phrase is not None:
        return phrase
    for prefix, base in _candidates(tok.norm):
        forms = ctx.lex.forms.get(base)
        if not forms:
            continue
        if prefix in ("و", "ف") and tok.prefix != prefix and len(base) > 2:
            continue  # وزارة is not و + زاره: trust the tokenizer's و-stems
        article = "ال" in prefix or prefix.endswith("لل")
        preposition = any(c in prefix for c in "بلك") and not article
        future = prefix.endswith("س")
        verbs = [f for f in forms if f.tense is not None]
        nouns = [f for f in forms if f.tense is None]
        if future:
            verbs, nouns = [f for f in verbs if f.tense == "imperfect"], []
        if article or preposition:
            verbs = []
        elif verbs and nouns and not (_starts_clause(ctx, s, i) or prefix in ("و", "ف")):
            verbs = []  # "إعلان بوتين ضم خيرسون": a bare form after a noun is a masdar
        for f in [*verbs, *nouns]:
            if _needs_met(ctx, s, i, f.trigger):
                return _Hit(i, i + 1, f.trigger, f.tense, f.suffix, f.tense is not None, future)
    return None


def _light_before(ctx: _Context, s: _Sentence, i: int) -> int | None:
    for k in range(i - 1, max(-1, i - 1 - _LIGHT_GAP), -1):
        tok = s.toks[k]
        if not _is_word(tok):
            return None
        if any(base in ctx.lex.light for _, base in _candidates(tok.norm)):
            return k
    return None


# ---------------------------------------------------------------------------------------------
# Slots
# ---------------------------------------------------------------------------------------------


def _acting_before(ctx: _Context, s: _Sentence, i: int) -> _Phrase | None:
    """The nearest phrase that can act before token i, within the clause."""
    for k in range(i - 1, max(-1, i - 1 - _BACK), -1):
        tok = s.toks[k]
        if tok.norm in _CLAUSE_BREAK:
            return None
        if not _is_word(tok) or (_has_pronoun(tok) and _is(ctx, s, k, "actor")):
            continue
        p = _phrase(ctx, s, k)
        if p is not None and p.acts and p.j <= i and not _possessive(s, p):
            return p
    return None


def _possessive(s: _Sentence, p: _Phrase) -> bool:
    """قواتها: an actor head carrying a pronoun ("its forces") needs its owner resolved."""
    return p.entity is None and _has_pronoun(s.toks[p.i]) and p.j - p.i == 1


def _has_pronoun(tok: Token) -> bool:
    """قواتها، جنوده: a pronoun suffix, read on the original letters (ة is not ه)."""
    return strip_diacritics(tok.text).endswith(_PRONOUN_SUFFIXES)


def _speaker(ctx: _Context, s: _Sentence, i: int) -> tuple[_Phrase | None, int | None, bool]:
    """Reported speech around token i: (the speaker's phrase, the quote index, reported).

    A quote from the quotes layer that covers the trigger wins; otherwise a reporting verb
    before the trigger followed by إن/أن (or a colon) within the sentence.
    """
    tok = s.toks[i]
    for n, q in enumerate(ctx.quotes):
        if q.get("start", -1) <= tok.start and tok.end <= q.get("end", -1):
            speaker = q.get("speaker") or {}
            if speaker.get("start") is not None and speaker.get("end") is not None:
                for k, t in enumerate(s.toks):
                    if t.start >= speaker["start"]:
                        p = _phrase(ctx, s, k)
                        if p is not None:
                            return p, n, True
                        break
            return None, n, True
    for k in range(i - 1, max(-1, i - 25), -1):
        if s.toks[k].norm == '"':
            return None, None, False
        if not _is(ctx, s, k, "report"):
            continue
        for m in range(k + 1, min(i, k + 8)):
            if s.toks[m].norm in ("ان", ":", "بان", "انه", "انها"):
                subject = _phrase(ctx, s, k + 1)
                if subject is None or (not subject.acts and not subject.proper):
                    subject = _phrase_ending(ctx, s, k)
                return subject, None, True
        return None, None, False
    return None, None, False


def _object_after(ctx: _Context, s: _Sentence, k: int) -> _Phrase | None:
    """The phrase starting at token k, skipping words of time (سلمت الآن عاصمة المقاطعة)."""
    while k < len(s.toks) and _is(ctx, s, k, "time"):
        k += 1
    if k < len(s.toks) and _is(ctx, s, k, "prep"):
        return None
    return _phrase(ctx, s, k)


def _after_prep(ctx: _Context, s: _Sentence, start: int, preps: frozenset[str]) -> _Phrase | None:
    for k in range(start, min(len(s.toks), start + _AFTER)):
        tok = s.toks[k]
        if tok.norm in _CLAUSE_BREAK:
            return None
        if tok.norm in preps or tok.base in preps:
            return _phrase(ctx, s, k + 1)
        # ب/ل written on the word: "بالمدينة", "لأوكرانيا"
        if tok.prefix[-1:] in ("ب", "ل") or tok.prefix in ("بال", "وبال", "لل", "ولل"):
            short = tok.prefix.replace("و", "").replace("ال", "")[:1] or "ل"
            if short in preps:
                return _phrase(ctx, s, k)
    return None


def _place_after(ctx: _Context, s: _Sentence, start: int) -> _Phrase | None:
    """A place after a locative preposition, within the clause."""
    fallback: _Phrase | None = None
    for k in range(start, min(len(s.toks), start + _AFTER)):
        tok = s.toks[k]
        if tok.norm in _CLAUSE_BREAK:
            return fallback
        if tok.norm in _PLACE_PRONOUNS:
            return _Phrase(k, k + 1, place=True)
        if k > start and _is(ctx, s, k, "placehead") and not tok.prefix:
            p = _phrase(ctx, s, k)  # "دخلت القوات مدينة الريان": a place as direct object
            if p is not None and p.j > k + 1:
                return p
        prefixed = tok.prefix[:1] in ("ب",) or tok.prefix in ("بال", "وب", "وبال")
        if _is(ctx, s, k, "locprep") and not prefixed:
            p = _phrase(ctx, s, k + 1)
        elif prefixed:
            p = _phrase_from_prefixed(ctx, s, k)
        else:
            continue
        if p is not None and p.place:
            return p
        if p is not None and p.proper and fallback is None:
            fallback = p  # a bare name after في/من: kept unless a real place follows
    return fallback


def _placeref(s: _Sentence, p: _Phrase) -> bool:
    """المدينة، البلدة: a definite generic place noun points back to the last place named."""
    return "ال" in s.toks[p.i].prefix and p.place and p.entity is None


def _phrase_from_prefixed(ctx: _Context, s: _Sentence, k: int) -> _Phrase | None:
    """بمدينة خيرسون / بالمدينة: the word itself starts the phrase once its ب is set aside."""
    tok = s.toks[k]
    p = _Phrase(k, k + 1)
    p.place = _is(ctx, s, k, "placehead") or bool(s.keys[k] & ctx.lex.countries)
    if p.place and k + 1 < len(s.toks):
        rest = _phrase(ctx, s, k + 1)
        if rest is not None:
            p.j = rest.j
            p.entity = rest.entity
    entity = _entity_at(ctx, tok.start, tok.end)
    if entity is not None:
        p.entity, p.place = entity, entity.get("type") == "LOC"
    return p


def _place_name(ctx: _Context, s: _Sentence, p: _Phrase) -> tuple[str, dict[str, Any] | None]:
    """The place a phrase names: (surface text, place record or None), without مدينة/بلدة."""
    text = ctx.doc.text
    if p.entity is not None:
        surface = text[p.entity["start"] : p.entity["end"]]
        place = ctx.places.get(p.entity.get("entity", "")) or ctx.place_names.get(_key(surface))
        return surface, place
    i = p.i
    while i < p.j - 1 and _is(ctx, s, i, "placehead") and "ال" not in s.toks[i].prefix:
        i += 1
    tok = s.toks[i]
    if "ال" in tok.prefix and _is(ctx, s, i, "placehead"):
        # "عاصمة الإقليم", "المناطق": a generic description, not a name.
        return s.text(text, p.i, p.j), None
    surface = s.text(text, i, p.j)
    if tok.prefix and i == p.i:
        # بمدينة → مدينة: drop the preposition or conjunction, keep the article.
        cut = len(tok.prefix) - (2 if tok.prefix.endswith("ال") else 0)
        surface = text[tok.start + cut : s.toks[p.j - 1].end]
    return surface, ctx.place_names.get(_key(surface))


def _mode_from_cues(ctx: _Context, s: _Sentence, hit: _Hit) -> str | None:
    best: tuple[int, str] | None = None
    lo, hi = max(0, hit.i - _AFTER), min(len(s.toks), hit.j + _AFTER)
    for type_, mode, rank, seq in ctx.lex.mode_cues:
        if type_ != hit.trigger.type or (best is not None and rank >= best[0]):
            continue
        if _find(s, seq, lo, hi) is not None:
            best = (rank, mode)
    return best[1] if best else None


def _find(s: _Sentence, seq: tuple[frozenset[str] | None, ...], lo: int, hi: int) -> int | None:
    """End index of the first occurrence of a cue sequence in tokens [lo, hi)."""
    if seq[0] is None:
        return None
    if s.index is None:
        s.index = {}
        for n, keys in enumerate(s.keys):
            for key in keys | {s.toks[n].norm}:
                s.index.setdefault(key, []).append(n)
    starts = sorted({n for w in seq[0] for n in s.index.get(w, ()) if lo <= n < hi})
    for i in starts:
        k, ok = i + 1, True
        for word in seq[1:]:
            if word is None:
                continue
            limit = k + (5 if seq[seq.index(word) - 1] is None else 1)
            while k < min(limit, hi) and not (s.keys[k] & word or s.toks[k].norm in word):
                k += 1
            if k >= min(limit, hi):
                ok = False
                break
            k += 1
        if ok:
            return k
    return None


def _modality(ctx: _Context, s: _Sentence, hit: _Hit, anchor: int) -> str | None:
    found: str | None = None
    lo = max(0, anchor - 40)
    clause = _clause_start(s, anchor)
    for modality, scope, tense, seq in ctx.lex.modality:
        if found is not None and _STRENGTH[found] >= _STRENGTH[modality]:
            continue
        if tense is not None and (not hit.verbal or hit.tense != tense):
            continue
        if scope == "any":
            end = _find(s, seq, lo, min(len(s.toks), hit.j + 40))
            ok = end is not None
        else:
            window = anchor - lo if scope == "before" else int(scope) + len(seq)
            start = max(lo, anchor - window)
            if scope != "before":
                start = max(start, clause)
            end = _find(s, seq, start, anchor)
            ok = end is not None and end <= anchor
        if ok:
            found = modality
    if found is None and hit.future:
        found = "future"
    return found


def _clause_start(s: _Sentence, k: int) -> int:
    """The first token after the last comma or colon before token k."""
    for m in range(k - 1, max(-1, k - 12), -1):
        if s.toks[m].norm in (",", ";", ":"):
            return m + 1
    return 0


def _date(ctx: _Context, s: _Sentence, hit: _Hit) -> tuple[str | None, str | None]:
    where = s.toks[hit.i].start
    inside = [d for d in ctx.dates if s.start <= d.get("start", -1) and d.get("end", 0) <= s.end]
    if inside:
        best = min(inside, key=lambda d: abs(d["start"] - where))
        return best.get("value"), best.get("text")
    return None, None


def _historical_by_date(value: str | None, published: str | None) -> bool:
    """A date clearly before the publication date makes the event past background. A span
    (a Hijri or Persian year: ``2023-07-19/2024-07-06``) is before only if its end is."""
    if not value or not published or len(published) < 10:
        return False
    value = value.rpartition("/")[2]
    try:
        pub = [int(published[:4]), int(published[5:7]), int(published[8:10])]
        parts = [int(x) for x in value[:10].split("-")]
    except ValueError:
        return False
    if len(parts) == 1:
        return parts[0] < pub[0]
    if len(parts) == 2:
        return (parts[0], parts[1]) < (pub[0], pub[1])
    from datetime import date

    try:
        return (date(*pub) - date(*parts[:3])).days > _HISTORICAL_DAYS
    except ValueError:
        return False


def _absorbed(ctx: _Context, governor: dict[str, Any], hit_type: str, hit_mode: str | None):
    for gov, gov_mode, comp, comp_mode, result in ctx.lex.absorb:
        if gov != governor["type"] or gov_mode not in ("*", governor["mode"]):
            continue
        if comp not in ("*", hit_type) or comp_mode not in ("*", hit_mode):
            continue
        return True, result
    return False, None


# ---------------------------------------------------------------------------------------------
# The layer
# ---------------------------------------------------------------------------------------------


def _slot(ctx: _Context, s: _Sentence, p: _Phrase | None) -> tuple[str | None, str | None]:
    """(entity id, surface text) of a phrase."""
    if p is None:
        return None, None
    text = s.text(ctx.doc.text, p.i, p.j)
    if p.entity is not None:
        return p.entity.get("entity"), text
    return None, text


def _sentence_events(ctx: _Context, s: _Sentence) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    hits: list[_Hit] = []
    i = 0
    while i < len(s.toks):
        hit = _match(ctx, s, i)
        if hit is not None:
            hits.append(hit)
            i = hit.j
        else:
            i += 1
    text = ctx.doc.text
    seen = 0
    long = len(s.toks) > _LONG_SENTENCE
    for hit in hits:
        trig = hit.trigger
        tok = s.toks[hit.i]
        while seen < hit.i:
            _remember_place(ctx, s, seen)
            seen += 1
        light = None if hit.verbal else _light_before(ctx, s, hit.i)
        anchor = light if light is not None else hit.i
        if light is not None:
            hit.future = hit.future or any(
                p.endswith("س") and b in ctx.lex.light
                for p, b in _candidates(s.toks[light].norm)[1:]
            )
        conf = trig.conf
        actor: _Phrase | None = None
        after = hit.j
        # Actor.
        if hit.gap is not None:
            actor = _phrase(ctx, s, hit.gap[0])
        elif hit.verbal or light is not None:
            start = hit.i + 1 if light is None else light + 1
            cand = _phrase(ctx, s, start)
            before = _subject_before(ctx, s, anchor)
            if light is not None and cand is not None and cand.j > hit.i:
                cand = None  # "فرضت حالة الطوارئ": the light verb's object is the trigger
            if before is not None and (before.acts or before.proper) and _svo(s, before):
                actor = before  # "أن الدفاعات الجوية أسقطت", "الجيش يقصف": subject first
            elif (
                cand is not None and (cand.acts or cand.proper) and cand.j <= max(hit.i, start + 4)
            ):
                actor = cand
                if light is None:
                    after = cand.j
            elif before is not None and (before.acts or before.proper):
                actor = before
        elif trig.obj == "actor" and not hit.suffix:
            cand = _phrase(ctx, s, hit.j)
            if cand is not None and (cand.acts or cand.proper):
                actor, after = cand, cand.j
        if actor is None and not hit.verbal and light is None and hit.i > 0 and not hit.suffix:
            # "إعلان بوتين ضم": the name right before a masdar is the genitive of the act.
            prev = _phrase(ctx, s, hit.i - 1, limit=1)
            announced = hit.i > 1 and (
                _is(ctx, s, hit.i - 2, "report") or _is(ctx, s, hit.i - 2, "masdar")
            )
            if prev is not None and prev.j == hit.i and (prev.acts or (prev.proper and announced)):
                actor = prev
        speaker, quote, reported = _speaker(ctx, s, hit.i)
        if actor is not None and _possessive(s, actor):
            actor = None
        if actor is None and speaker is not None and (hit.suffix or _pronoun_subject(s, hit)):
            actor = speaker
        if actor is None:
            actor = _acting_before(ctx, s, anchor)
            conf -= 0.1
        else:
            conf += 0.05 if actor.acts else 0.0
        # Recipient and location.
        recipient: _Phrase | None = None
        location: tuple[str, dict[str, Any] | None] | None = None
        obj = None
        if trig.obj in ("recipient", "location") and not hit.suffix:
            obj = _object_after(ctx, s, after if hit.verbal else hit.j)
        if trig.obj == "recipient" and obj is not None and not obj.place:
            recipient = obj
        if trig.obj == "location" or (obj is not None and obj.place and trig.obj == "recipient"):
            if obj is not None and (obj.place or obj.proper):
                location = _place_name(ctx, s, obj)
            elif hit.suffix and ctx.last_place is not None:
                location = ctx.last_place
        if recipient is None and trig.rprep:
            p = _after_prep(ctx, s, hit.j, trig.rprep)
            if p is not None and not p.place:
                recipient = p
        if location is None:
            p = _place_after(ctx, s, max(hit.j, after))
            if p is not None:
                if p.entity is None and (_placeref(s, p) or s.toks[p.i].norm in _PLACE_PRONOUNS):
                    location = ctx.last_place if ctx.last_place else None
                else:
                    location = _place_name(ctx, s, p)
        # Mode, modality, date.
        mode = trig.mode or _mode_from_cues(ctx, s, hit)
        modality = _modality(ctx, s, hit, anchor)
        date_value, date_text = _date(ctx, s, hit)
        if modality is None and _historical_by_date(date_value, ctx.published):
            modality = "historical"
        if date_value is not None and "/" in date_value:
            # A Hijri or Persian year is a span of days, not the event's day: the event is
            # undated by its own date (the store indexes and PLOVER exports one day).
            date_value = date_text = None
        type_ = trig.type
        if type_ == "RETREAT" and modality == "future":
            type_, modality = "CONCEDE", None  # a promised withdrawal is a verbal concession
        # A verbal act a speaker announces of itself ("أعلنت الحكومة أنها ستسحب قواتها") is
        # the act itself, not a claim about it.
        own_word = speaker is not None and actor is speaker and type_ in _VERBAL
        if modality is None and reported and not own_word:
            modality = "claimed"
        modality = modality or "asserted"
        if date_value is None and modality in ("asserted", "claimed") and ctx.published:
            today = _today_cue(ctx, s)
            if today is not None:
                date_value, date_text = ctx.published[:10], today
        if modality in ("negated", "hypothetical"):
            conf -= 0.05
        if long:
            conf -= 0.15
        actor_id, actor_text = _slot(ctx, s, actor)
        recipient_id, recipient_text = _slot(ctx, s, recipient)
        ev_start, ev_end = s.start, s.end
        if long:
            lo, hi = max(0, hit.i - 30), min(len(s.toks), hit.j + 30)
            ev_start, ev_end = s.toks[lo].start, s.toks[hi - 1].end
        location_id = None
        location_text = None
        if location is not None:
            location_text, place = location
            if place is not None:
                location_id = place.get("entity") or place.get("name")
        events.append(
            {
                "type": type_,
                "mode": mode,
                "context": trig.context,
                "actor": actor_id,
                "recipient": recipient_id,
                "location": location_id,
                "date": date_value,
                "date_text": date_text,
                "modality": modality,
                "start": ev_start,
                "end": ev_end,
                "confidence": round(max(0.05, min(0.95, conf)), 2),
                "trigger": {"text": text[tok.start : s.toks[hit.j - 1].end], "start": tok.start,
                            "end": s.toks[hit.j - 1].end},
                "actor_text": actor_text,
                "recipient_text": recipient_text,
                "location_text": location_text,
                "claimed_by": quote,
                "_i": hit.i,
                "_verbal": hit.verbal,
                "_coordinated": tok.prefix[:1] in ("و", "ف") or tok.norm[:1] == "و",
            }
        )  # fmt: skip
    while seen < len(s.toks):
        _remember_place(ctx, s, seen)
        seen += 1
    return _merge(ctx, events)


def _subject_before(ctx: _Context, s: _Sentence, k: int) -> _Phrase | None:
    """The phrase before a verb, over particles: "روسيا قد سلمت", "كانت قوات كييف قد أصابت"."""
    stop = k - 4
    while k > max(0, stop) and _is(ctx, s, k - 1, "particle"):
        if s.toks[k - 1].norm in ("ان", "انه", "انها", "بان"):
            break
        k -= 1
    return _phrase_ending(ctx, s, k)


def _svo(s: _Sentence, p: _Phrase) -> bool:
    """Subject-first clauses: after إن/أن, and at the start of a sentence or headline."""
    if p.i == 0:
        return True
    prev = s.toks[p.i - 1]
    return prev.norm in ("ان", "بان", "لان", "وان") or not _is_word(prev)


def _pronoun_subject(s: _Sentence, hit: _Hit) -> bool:
    return hit.verbal


def _today_cue(ctx: _Context, s: _Sentence) -> str | None:
    for tok in s.toks:
        if tok.norm in ctx.lex.words.get("today", ()) or (
            tok.base in ("يوم",) and "ال" in tok.prefix
        ):
            return tok.text
    return None


def _remember_place(ctx: _Context, s: _Sentence, i: int) -> None:
    """Keep the last place named so far, for المدينة and pronoun objects (ضمها)."""
    if i < 0 or i >= len(s.toks):
        return
    tok = s.toks[i]
    entity = _entity_at(ctx, tok.start, tok.end)
    if entity is not None and entity.get("type") == "LOC" and entity["end"] <= tok.end:
        if entity["start"] == tok.start and ctx.lex.country_len(s.keys, i):
            return  # a country is not what "المدينة" points back to
        surface = ctx.doc.text[entity["start"] : entity["end"]]
        place = ctx.places.get(entity.get("entity", "")) or ctx.place_names.get(_key(surface))
        ctx.last_place = (surface, place)
        return
    if _is(ctx, s, i, "placehead") and "ال" not in tok.prefix:
        p = _phrase_from_prefixed(ctx, s, i) if tok.prefix else _phrase(ctx, s, i)
        if p is not None and p.j > i + 1:
            generic = "ال" in s.toks[i + 1].prefix and _is(ctx, s, i + 1, "placehead")
            if not generic:  # "عاصمة الإقليم" names no place to point back to
                ctx.last_place = _place_name(ctx, s, p)


def _merge(ctx: _Context, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fold acts about other acts (هدد بقصف) and near-duplicate triggers of one event."""
    out: list[dict[str, Any]] = []
    for ev in events:
        prev = out[-1] if out else None
        if prev is not None and 0 < ev["_i"] - prev["_i"] <= _ABSORB_GAP + 2:
            absorbed, mode = _absorbed(ctx, prev, ev["type"], ev["mode"])
            if (absorbed and not ev["_verbal"]) or (absorbed and ev["_i"] - prev["_i"] <= 2):
                if mode is not None:
                    prev["mode"] = mode
                prev["location"] = prev["location"] or ev["location"]
                prev["location_text"] = prev["location_text"] or ev["location_text"]
                continue
            # One act named twice in a clause ("قتل ثلاثة جنود في هجوم"): a following noun that
            # is not coordinated (و) is the same event, not another one.
            if ev["type"] == prev["type"] and not ev["_verbal"] and not ev["_coordinated"]:
                prev["mode"] = prev["mode"] or ev["mode"]
                for slot in ("actor", "recipient", "location"):
                    if prev[slot + "_text"] is None:
                        prev[slot], prev[slot + "_text"] = ev[slot], ev[slot + "_text"]
                continue
        out.append(ev)
    kept = []
    for ev in out:
        del ev["_i"], ev["_verbal"], ev["_coordinated"]
        if ev["confidence"] >= _MIN_CONFIDENCE:
            kept.append(ev)
    return kept


def _context(doc: Doc) -> _Context:
    record = doc.record
    entities = sorted(
        (e for e in record.entities if isinstance(e.get("start"), int) and isinstance(
            e.get("end"), int)),
        key=lambda e: e["start"],
    )  # fmt: skip
    places = {p["entity"]: p for p in record.places if p.get("entity")}
    names: dict[str, dict[str, Any]] = {}
    for p in record.places:
        if p.get("name"):
            names.setdefault(_key(p["name"]), p)
    for e in entities:
        place = places.get(e.get("entity", ""))
        if place is not None:
            names.setdefault(_key(doc.text[e["start"] : e["end"]]), place)
    dates = [d for d in record.dates if isinstance(d.get("start"), int)]
    if not record.dates:
        # No dates layer: absolute dates are still readable from the text.
        dates = [
            {"text": d.text, "start": d.start, "end": d.end, "value": d.value}
            for d in find_dates(doc.text)
        ]
    published = record.published[:10] if record.published else None
    return _Context(
        doc, lexicon(), entities, [e["start"] for e in entities], places, names,
        list(record.quotes), dates, published,
    )  # fmt: skip


def find_events(doc: Doc) -> list[dict[str, Any]]:
    """The PLOVER events of a document, in reading order (see the module docstring).

    Only the first :data:`MAX_TOKENS` tokens are read: a longer text is not a news article,
    and the layer's cost must stay bounded (the record's ``errors`` says so).
    """
    if not doc.text:
        return []
    ctx = _context(doc)
    tokens = doc.tokens
    if len(tokens) > MAX_TOKENS:
        doc.record.errors.append(
            f"annotate.events: {len(tokens)} tokens; events read from the first {MAX_TOKENS}"
        )
        tokens = tokens[:MAX_TOKENS]
    starts = [t.start for t in tokens]
    limit = tokens[-1].end if tokens else 0
    events: list[dict[str, Any]] = []
    for start, end in doc.sentences:
        if start >= limit:
            break
        lo = bisect.bisect_left(starts, start)
        hi = bisect.bisect_left(starts, end, lo)
        toks = tokens[lo:hi]
        if not toks:
            continue
        s = _Sentence(start, end, toks, [_readings(t) for t in toks])
        events.extend(_sentence_events(ctx, s))
    return events


def annotate(doc: Doc) -> None:
    doc.record.events = find_events(doc)
