"""Quotes: who said what — direct and reported speech, with resolved speakers.

Fills ``record.quotes`` with one dict per statement the article attributes to someone::

    {"text", "start", "end", "direct", "cue", "channel",
     "speaker": {"name", "role", "entity", "start", "end"}, "side"}

``text == record.text[start:end]``. The finder reads the syntax of Arabic news reporting, not a
model, with every word list in ``lexicons/quotes/`` (see :mod:`rasid.annotate.quotes_lexicon`):

* a reporting verb (قال، أكد، أشار، حذر، نفى، كتب … in every gender, number and tense, with
  و/ف attached) followed by its subject — a name, a name with its role in apposition
  (``إيغور كوناشينكوف ، المتحدث باسم وزارة الدفاع الروسية ،``), a role alone, an organization
  or a country — or preceded by it (``روسيا تقول إن``); then, after at most a few words of
  channel and time (``للصحفيين اليوم الجمعة``), either a complementizer (إن/أن/بأن, إلى أن …:
  reported speech, the statement runs to where the speaker's clause ends) or a colon or quote
  mark (direct speech, the words inside the marks, across sentences);
* a verb with no subject (``وكتب:``، ``وأضاف أن``) takes the speaker of the context: the
  latest person, organization or quoted speaker of the same or previous paragraph whose gender
  and number agree with the verb;
* a quote that opens a sentence and is followed by its cue (``“…”، قال بيسكوف``);
* attribution phrases (``بحسب X``، ``وفقا لـX``، ``نقلا عن X``، ``حسبما أفاد X``،
  ``على حد تعبيره``);
* ``نقلت وكالة X عن Y قوله إن`` (the speaker is Y, the channel the outlet) and ``جاء في بيان
  لـX``.

Quote marks without a cue are not quotes: scare quotes inside a statement (``“إعادة
الانتشار”``), titles of books and operations, and sign text without a speaker.

Speakers are found by syntax alone; when the entity layer ran before, ``speaker.entity`` is
the id of the entity whose span overlaps the speaker's name, and entity spans refine where a
name ends. ``side`` is the speaker's affiliation (a country such as ``روسيا`` or an
organization) read from the name, the role and the linked entity, so claims about one event
from opposite sides can be set side by side.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from rasid.annotate.doc import Doc
from rasid.annotate.quotes_lexicon import QuoteLexicon, Verb, lexicon
from rasid.arabic.sentences import _quote_regions  # the splitter's own pairing of quote marks
from rasid.arabic.tokenize import Token, tokenize

__all__ = ["annotate", "find_quotes"]
# How many earlier speakers a bare role or organization ("الوزارة") is matched against: the
# latest ones, so that linking costs the same on every page, however long.
_RECENT = 200

# A statement's subject, channel and time fit in this many words between verb and إن/أن.
_GAP = 14
_MAX_NAME = 5
_MAX_ROLE = 12
_MAX_UNLISTED_ROLE = 4  # مصفف الشعر اللندني: words of a role no lexicon lists, before a name
# A verb without subject looks this many sentences back for its speaker.
_CARRY_SENTENCES = 4
_PURPOSE = re.compile(r"^ل[تي]\w{3,}$")  # لتغلق، ليؤكد: the writer's clause of result
_OPEN_MARKS = '“„‟"«'
_QUOTE_MARKS = '“„‟"«»”'
_END_PUNCT = ".!?؟…;؛"


@dataclass(slots=True)
class Speaker:
    name: str | None
    role: str | None
    start: int
    end: int
    kind: str  # person, role, group, org, country
    gender: str | None = None
    entity: str | None = None
    side: str | None = None
    # the sentence (token range) that introduced the speaker: its written channel (على تويتر)
    # goes to a later subject-less written cue (وكتب:)
    origin: tuple[int, int] | None = None
    weak: bool = False  # found by shape alone (an unknown name, a definite noun)
    sentence: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "entity": self.entity,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class _NP:
    speaker: Speaker
    end: int  # token index after the phrase


def annotate(doc: Doc) -> None:
    """Fill ``doc.record.quotes``."""
    doc.record.quotes = find_quotes(doc)


def find_quotes(doc: Doc) -> list[dict[str, Any]]:
    text = doc.text
    if not text:
        return []
    return _Finder(doc, lexicon()).run()


_HEADS: dict[int, frozenset[str]] = {}  # first words of the lexicon's multi-word tables


def _verb(lex: QuoteLexicon, tok: Token) -> Verb | None:
    norm = tok.norm
    verb = lex.verbs.get(norm)
    if verb is None and len(norm) > 3 and norm[0] in "وف":
        verb = lex.verbs.get(norm[1:])
    return verb


def _stems(tok: Token) -> tuple[str, ...]:
    """Lookup keys of a noun: its base, and its base without an attached ل/ب (لوزارة)."""
    base = tok.base
    if len(base) > 3 and base[0] in "لب":
        return (base, base[1:])
    return (base,)


class _Finder:
    def __init__(self, doc: Doc, lex: QuoteLexicon) -> None:
        self.doc = doc
        self.text = doc.text
        self.lex = lex
        self.toks = doc.tokens
        self.starts = [t.start for t in self.toks]
        self.sentences = doc.sentences
        self.sentence_starts = [s for s, _ in self.sentences]
        self.sent_tok = [
            (bisect_left(self.starts, s), bisect_left(self.starts, e)) for s, e in self.sentences
        ]
        self.paragraph = self._paragraphs()
        # Per-token facts every rule asks for, computed once.
        self.puncts = [None if t.norm[:1].isalnum() else t.norm for t in self.toks]
        self.verbs = [_verb(lex, t) for t in self.toks]
        first = lex.attribution_first
        self.cues = [
            i for i, t in enumerate(self.toks) if self.verbs[i] is not None or t.norm in first
        ]
        # Sentences worth reading closely: those with a cue, and the few before one (they
        # introduce the speakers that subject-less cues refer back to).
        near: set[int] = set()
        for i in self.cues:
            si = bisect_right(self.sentence_starts, self.toks[i].start) - 1
            near.update(range(max(0, si - _CARRY_SENTENCES), si + 1))
        self.near_cue = near
        opens: list[int] = []
        closes: list[int] = []
        for line in re.finditer(r"[^\n]+", self.text):
            o, c = _quote_regions(self.text, line.start(), line.end())
            opens += o
            closes += c
        self.regions = sorted(zip(opens, closes, strict=True))
        self.region_at = {o: c for o, c in self.regions}
        self.region_close = {c: o for o, c in self.regions}
        self.claimed: set[int] = set()
        self.stops: dict[int, bool] = {}
        self.heads: dict[int, frozenset[str]] = _HEADS
        self.table_cache: dict[tuple[int, int, int], tuple[int, Any]] = {}
        self.written: dict[tuple[int, int], str | None] = {}
        self.quotes: list[dict[str, Any]] = []
        self.quote_starts: set[int] = set()
        self.agents: list[Speaker] = []
        self.agent_starts: set[int] = set()
        self.people: dict[str, Speaker] = {}
        self.entities = sorted(
            (e for e in doc.record.entities if isinstance(e.get("start"), int)),
            key=lambda e: e["start"],
        )
        self.entity_starts = [e["start"] for e in self.entities]
        self.entity_ends = {
            e["end"]: e for e in self.entities if e.get("type") in ("PER", "ORG", "LOC")
        }

    # -- setup ---------------------------------------------------------------------------

    def _paragraphs(self) -> list[int]:
        out, para, prev_end = [], 0, 0
        for start, end in self.sentences:
            if "\n" in self.text[prev_end:start]:
                para += 1
            out.append(para)
            prev_end = end
        return out

    # -- classification of tokens --------------------------------------------------------

    def is_(self, cls: str, i: int) -> bool:
        t = self.toks[i]
        if self.lex.has(cls, t.norm):
            return True
        # وفي، فإن: a conjunction before a closed-class word; never the article (العلي ≠ على)
        return t.prefix in ("و", "ف") and self.lex.has(cls, t.base)

    def phrase_at(self, cls: str, i: int, end: int) -> int:
        """Length of a multi-word ``words.tsv`` entry of class ``cls`` starting at token i."""
        best = 1 if self.is_(cls, i) else 0
        for phrase in self.lex.phrases.get(cls, ()):
            n = len(phrase)
            if i + n <= end and all(self._norm_eq(i + k, w) for k, w in enumerate(phrase)):
                best = max(best, n)
        return best

    def _norm_eq(self, i: int, word: str) -> bool:
        t = self.toks[i]
        return t.norm == word or t.base == word or (t.norm[:1] == "و" and t.norm[1:] == word)

    def table_at(self, table: dict[tuple[str, ...], Any], i: int, end: int) -> tuple[int, Any]:
        """Longest entry of a base-keyed table (sides, channels) starting at token i."""
        if i >= end:
            return 0, None
        heads = self.heads.get(id(table))
        if heads is None:
            heads = self.heads[id(table)] = frozenset(k[0] for k in table)
        first = self.toks[i]
        if first.base not in heads and (len(first.base) <= 3 or first.base[1:] not in heads):
            return 0, None  # most words start no entry: one set lookup decides
        key = (id(table), i, end)
        hit = self.table_cache.get(key)
        if hit is None:
            hit = self.table_cache[key] = self._table_at(table, i, end)
        return hit

    def _table_at(self, table: dict[tuple[str, ...], Any], i: int, end: int) -> tuple[int, Any]:
        for n in range(min(self.lex.longest, end - i), 0, -1):
            window = self.toks[i : i + n]
            if not all(t.is_word for t in window):
                continue
            heads = _stems(window[0])
            rest = tuple(t.base for t in window[1:])
            for head in heads:
                hit = table.get((head, *rest))
                if hit is not None:
                    return n, hit
        return 0, None

    def role(self, i: int) -> tuple[str, str] | None:
        for key in _stems(self.toks[i]):
            hit = self.lex.roles.get(key)
            if hit:
                return hit
        # والدتها، شقيقه: a role noun with a possessive pronoun (ة is written ت before it)
        base = self.toks[i].base
        if not self.possessive(i):
            return None
        for suffix in ("هما", "هم", "ها", "ه"):
            if base.endswith(suffix) and len(base) - len(suffix) >= 2:
                stem = base[: -len(suffix)]
                hit = self.lex.roles.get(stem[:-1] + "ه" if stem.endswith("ت") else stem)
                return hit or self.lex.roles.get(stem)
        return None

    def org(self, i: int) -> str | None:
        for key in _stems(self.toks[i]):
            hit = self.lex.orgs.get(key)
            if hit:
                return hit
        return None

    def punct(self, i: int) -> str | None:
        return self.puncts[i]

    def is_quote_open(self, i: int) -> bool:
        return self.toks[i].start in self.region_at

    def channel_at(self, i: int, end: int) -> tuple[int, str, str] | None:
        """A channel starting at token i: (length, kind, mode)."""
        n, hit = self.table_at(self.lex.channels, i, end)
        if not n:
            return None
        kind, mode = hit
        t = self.toks[i]
        if kind == "outlet":
            # وكالة / صحيفة are channels when addressed (لوكالة) or after a preposition;
            # "قالت وكالة رويترز" makes the outlet the speaker.
            addressed = t.base != _stems(t)[-1] or (
                t.prefix.endswith("ل") and not t.prefix.endswith("ال")
            )
            after_prep = i > 0 and self.is_("prep", i - 1)
            if not (addressed or after_prep):
                return None
            j = i + n
            while j < end and j - i < 6 and self.toks[j].is_word and not self.stop(j):
                j += 1
            n = j - i
        return n, kind, mode

    def channel_value(self, i: int, n: int) -> str:
        return self.text[self.toks[i].start : self.toks[i + n - 1].end]

    def stop(self, i: int) -> bool:
        """A word that ends a speaker phrase."""
        hit = self.stops.get(i)
        if hit is None:
            hit = self.stops[i] = self._stop(i)
        return hit

    def _stop(self, i: int) -> bool:
        t = self.toks[i]
        if not t.is_word or t.is_number:
            return True
        if i > 0 and self.is_("link", i) and (self.role(i - 1) or self.org(i - 1)):
            return False  # الأمين العام: "العام" is no time word here
        if self.is_("in", i) and self.inner_pp(i):
            return False
        lex = self.lex
        return bool(
            lex.has("comp", t.norm)
            or self.is_("prep", i)
            or self.is_("time", i)
            or self.verbs[i] is not None
            or self.is_attribution(i)
        )

    def is_attribution(self, i: int) -> bool:
        if self.toks[i].norm not in self.lex.attribution_first:
            return False
        return self.attribution_at(i, len(self.toks))[0] > 0

    def attribution_at(self, i: int, end: int) -> tuple[int, str | None]:
        """Longest attribution phrase at token i: (length in tokens, kind)."""
        best: tuple[int, str | None] = (0, None)
        norm = self.toks[i].norm
        for phrase, kind in self.lex.attribution.items():
            if phrase[0] != norm and "و" + phrase[0] != norm:
                continue
            n = len(phrase)
            last_l = phrase[-1] == "ل"
            m = n - 1 if last_l else n
            if i + m > end:
                continue
            ok = True
            for k in range(m):
                t = self.toks[i + k]
                w = phrase[k]
                if not (t.norm == w or (k == 0 and t.norm == "و" + w)):
                    ok = False
                    break
            if not ok:
                continue
            length = m
            if last_l:
                # وفقا لـX: the ل is its own token (لـ) or glued to the next word (للجيش).
                if i + m >= end:
                    continue
                nxt = self.toks[i + m]
                if nxt.norm == "ل":
                    length = m + 1
                elif not nxt.norm.startswith("ل"):
                    continue
            if length > best[0]:
                best = (length, kind)
        return best

    # -- speaker phrases -----------------------------------------------------------------

    def side_of(self, i: int, end: int) -> str | None:
        """The first affiliation hint in tokens [i, end)."""
        j = i
        while j < end:
            if self.toks[j].is_word:
                n, hit = self.table_at(self.lex.sides, j, end)
                if n:
                    return hit[0]
            j += 1
        return None

    def parse_np(self, i: int, end: int) -> _NP | None:
        """The speaker phrase starting at token i (after a verb or an attribution phrase)."""
        if i >= end or self.stop(i) or self.channel_at(i, end):
            return None
        j = i
        while j < end and j - i < _MAX_ROLE and not self.channel_at(j, end):
            if self.stop(j):
                named = self.quoted_name(j, end)
                if named == j:
                    break
                j = named
                continue
            t = self.toks[j]
            if j > i and t.prefix.startswith("و") and len(t.base) > 3:
                break  # a second subject or a new clause (ونظيره …); وائل، وليد are names
            j += 1
        seg_end = j
        sp = self.analyse(i, seg_end)
        if sp is None:
            return None
        sp, used = sp
        k = used
        # Apposition of a name to a role: "مدير المطار، هشام عبد الكريم، إن"
        if k == seg_end and k + 1 < end and self.punct(k) == "," and sp.kind == "role":
            a = b = k + 1
            while b < end and b - a < _MAX_NAME and self.name_word(b, first=b == a):
                b += 1
            if b > a and (
                b >= end or self.punct(b) == "," or self.lex.has("comp", self.toks[b].norm)
            ):
                named = self.make(a, b, None, None, "person", gender=sp.gender)
                named.role, named.side = sp.role, sp.side or named.side
                sp = named
                k = b + 1 if b < end and self.punct(b) == "," else b
                return _NP(sp, k)
        # Apposition: "X ، المتحدث باسم … ،"
        if (
            k == seg_end
            and k + 1 < end
            and self.punct(k) == ","
            and (self.role(k + 1) or self.org(k + 1))
        ):
            a = k + 1
            b = a
            while b < end and b - a < _MAX_ROLE and not self.stop(b):
                if self.channel_at(b, end):
                    break
                b += 1
            if b > a and sp.kind == "person":
                sp.role = self.text[self.toks[a].start : self.toks[b - 1].end]
                sp.gender = sp.gender or (self.role(a) or (None,))[0]
                sp.side = sp.side or self.side_of(a, b)
                k = b
                if k < end and self.punct(k) == ",":
                    k += 1
        return _NP(sp, k)

    def analyse(self, i: int, end: int) -> tuple[Speaker, int] | None:
        """Split the words [i, end) into name and role: (speaker, index after what it used)."""
        if i >= end or any(self.lex.has("nonsource", k) for k in _stems(self.toks[i])):
            return None
        toks = self.toks
        ent = self.entity_in(toks[i].start, toks[end - 1].end, ("PER",))
        n_side, side_hit = self.table_at(self.lex.sides, i, end)
        if n_side and side_hit[1] in ("country", "org"):
            # روسيا، الكرملين، حماس: the party itself speaks.
            j = i + n_side
            kind = "country" if side_hit[1] == "country" else "org"
            return self.make(i, j, None, None, kind, side=side_hit[0]), j
        role = self.role(i)
        if role and role[1] == "kin" and ent and ent["start"] <= toks[i].start:
            role = None  # ابن كيران، أم كلثوم: the entity layer found a name that starts so
        if role:
            gender, kind = role
            # والدة الطفل سامر الخطيب: a relation in construct names the other person; the
            # relative is unnamed. شقيقه محمد، الشقيق محمد: the name is the relative's own.
            related = kind == "kin" and not self.definite(i) and not self.possessive(i)
            kind = "person" if kind == "kin" else kind
            # The role's words: its complements (definite nouns, organizations, countries,
            # باسم/لدى). Once the chain is definite (المتحدث باسم الكرملين), a word outside
            # the lexicons starts the name; while it is indefinite (مسؤول أمريكي كبير، مصادر
            # مطلعة) such words are adjectives of an anonymous source.
            definite = self.definite(i)
            at = self.token_at(ent["start"], i, end) if ent else i
            if ent and at > i and self.org(at - 1) == "place" and not self.definite(at - 1):
                # رئيس الوزراء في جمهورية نوران كريم الزين: a "person" right after جمهورية is
                # the place's name; the speaker is the next one
                ent = self.entity_in(ent["end"], toks[end - 1].end, ("PER",))
            j = i + 1
            while j < end:
                if ent and toks[j].start >= ent["start"]:
                    break
                named = self.quoted_name(j, end)
                if named > j:
                    j, definite = named, True  # رئيس نادي "الشروق"
                    continue
                n_side, hit = self.table_at(self.lex.sides, j, end)
                if self.is_("in", j) and self.inner_pp(j):
                    j += 1
                    continue
                if self.definite(j) or n_side or self.role(j) or self.org(j) or self.is_("link", j):
                    definite = definite or self.definite(j) or (n_side and hit[1] != "adjective")
                    if (
                        self.org(j) == "place"
                        and not self.definite(j)
                        and j + 1 < end
                        and self.name_word(j + 1)
                    ):
                        j += 1  # حاكم مقاطعة كورسك: the place's own name belongs to the role
                    j += max(n_side, 1)
                    continue
                if not definite and not self.is_("particle", j) and self.adjective(j, i, kind):
                    j += 1
                    continue
                if (
                    not self.definite(j - 1)
                    and not self.possessive(j - 1)  # شقيقه محمد: no genitive after a pronoun
                    and (self.role(j - 1) or self.org(j - 1))
                    and self.name_word(j)
                ):
                    j += 1  # حاكم كورسك: an indefinite noun in construct takes its genitive
                    definite = True
                    continue
                break
            role_end = name_end = j
            if kind == "group":
                pass  # أحد سكان حي القصبة: an anonymous source has no name after it
            elif ent:
                name_end = max(role_end, self.token_after(ent["end"], end))
            else:
                name_end = self.name_end(j, end)
            if name_end > role_end and related:
                return self.make(i, name_end, i, name_end, "role", gender=gender), name_end
            if name_end > role_end:
                sp = self.make(role_end, name_end, i, role_end, "person", gender=gender)
                return sp, name_end
            kind_out = "group" if kind == "group" else "role"
            return self.make(i, role_end, i, role_end, kind_out, gender=gender), role_end
        if self.org(i):
            # وزارة الدفاع الروسية، شركة الريان للطيران، الاتحاد الأوروبي: a construct chain
            # (indefinite word + genitive), then adjectives of relation; a definite noun after
            # a definite one is the verb's object (نفى الاتحاد الشائعات), not the name.
            j = i + 1
            while j < end:
                named = self.quoted_name(j, end)
                if named > j:
                    j = named  # حركة "النهوض"، شركة «الواحة للإسمنت»: the name is in marks
                    continue
                t = toks[j]
                prev_indef = (
                    toks[j - 1].is_word  # after a quoted name only adjectives (المحلية) follow
                    and not self.definite(j - 1)
                    and not self.table_at(self.lex.sides, j - 1, j)[0]
                )
                if (self.is_("in", j) and self.inner_pp(j)) or (
                    self.definite(j) and (prev_indef or self.nisba(t) or t.prefix.endswith("لل"))
                ):
                    j += 1
                elif self.table_at(self.lex.sides, j, end)[0]:
                    j += self.table_at(self.lex.sides, j, end)[0]
                elif (
                    prev_indef and (self.name_word(j) or self.org(j) or self.role(j))
                ) or self.is_("link", j):
                    j += 1
                else:
                    break
            return self.make(i, j, None, None, "org"), j
        if ent:
            a = self.token_at(ent["start"], i, end)
            if a == i:
                j = self.token_after(ent["end"], end)
                return self.finish_name(i, j, end)
            if self.unlisted_role(i, a):
                # مصفف الشعر اللندني غوستاف فوشيه: a description the lexicon does not list,
                # closed by the person the entity layer found
                j = self.token_after(ent["end"], end)
                return self.make(a, j, i, a, "person"), j
        if (
            self.definite(i)
            and toks[i].prefix in ("ال", "وال", "فال")
            and not self.lex.has("nonsource", toks[i].base)
        ):
            # المعارضة السورية، المتمردون: a definite noun phrase that is no role or
            # organization of the lexicons still names a collective speaker.
            j = i + 1
            while (
                j < end
                and j - i < 4
                and (self.definite(j) or self.table_at(self.lex.sides, j, end)[0])
            ):
                j += 1
            name_end = j
            while name_end < end and name_end - j < _MAX_NAME and self.name_word(name_end):
                name_end += 1
            if name_end > j:
                # المهندسة هالة منصور، اللاعب زياد كرم: a title, then the name
                return self.make(j, name_end, i, j, "person"), name_end
            generic = self.make(i, j, None, None, "org")
            generic.weak = True  # no lexicon knows it: it must be followed by its statement
            return generic, j
        if self.name_word(i, first=True):
            j = i + 1
            known = self.people.get(_key(toks[i].norm))
            if known is not None:
                # a person named before (نفى بيسكوف وجود صلة): the name is what we know of it
                names = {_key(w) for w in (known.name or "").split()}
                while j < end and _key(toks[j].norm) in names:
                    j += 1
            else:
                j = self.name_end(i, end)
                role_end = i + 1
                while role_end < end and self.definite(role_end):
                    role_end += 1
                if (
                    role_end > i + 1
                    and not self.is_("particle", i)
                    and self.name_end(role_end, end) - role_end >= 2
                    and self.name_end(role_end, end) == end
                ):
                    # مخرج المسرحية وائل يونس: a noun in construct, then a two-word name
                    # that ends the phrase: a role the lexicon does not list
                    name_end = self.name_end(role_end, end)
                    return self.make(role_end, name_end, i, role_end, "person"), name_end
            return self.finish_name(i, j, end)
        return None

    def unlisted_role(self, i: int, a: int) -> bool:
        """Are the words [i, a) before a name a role phrase: an indefinite noun, then its
        definite genitive and adjectives (مصفف الشعر اللندني، مدرب المنتخب الوطني)?"""
        if not 1 < a - i <= _MAX_UNLISTED_ROLE or self.definite(i):
            return False
        if self.is_("particle", i) or self.accusative(i) or not self.definite(a - 1):
            return False
        return all(
            self.toks[j].is_word and not self.stop(j) and not self.channel_at(j, a)
            for j in range(i, a)
        )

    def quoted_name(self, j: int, end: int) -> int:
        """حركة "النهوض"، شركة «الواحة للإسمنت»: a short quoted span right after an indefinite
        organization word is its name (the word needs one). The token after the closing mark,
        else j."""
        if not 0 < j < end or not self.is_quote_open(j):
            return j
        head = j - 1
        if not self.toks[head].is_word or self.definite(head) or not self.org(head):
            return j
        k = self.token_after(self.region_at[self.toks[j].start] + 1, len(self.toks))
        if k > end or k - j < 3 or not self.short_quote(j, _MAX_NAME - 1):
            return j
        # وقالت حركة "لن نتراجع": words said, not a name — a name is no sentence of its own
        # and opens with no negation, pronoun or verb
        if k >= len(self.toks) or (self.punct(k) or " ")[0] in _END_PUNCT:
            return j
        if self.is_("unnamed", j + 1) or self.verbs[j + 1] is not None:
            return j
        return k

    def quoted_name_before(self, c: int, a: int) -> int:
        """The opening mark of the quoted name whose closing mark is token c (see
        ``quoted_name``), else c."""
        o = self.region_close.get(self.toks[c].start)
        if o is None:
            return c
        q = self.token_at(o, a, c)
        return q if q < c and self.quoted_name(q, c + 1) == c + 1 else c

    def finish_name(self, i: int, j: int, end: int) -> tuple[Speaker, int]:
        """A name [i, j), with a role right after it (ديمتري بيسكوف المتحدث باسم الكريملين)."""
        if j < end and self.role(j):
            r = j + 1
            while r < end and (
                self.definite(r)
                or self.role(r)
                or self.org(r)
                or self.is_("link", r)
                or self.table_at(self.lex.sides, r, end)[0]
            ):
                r += 1
            gender = (self.role(j) or (None,))[0]
            return self.make(i, j, j, r, "person", gender=gender), r
        return self.make(i, j, None, None, "person"), j

    def inner_pp(self, i: int) -> bool:
        """في inside a description (مصدر في وزارة النقل، وزير التربية في إقليم الساحل): after
        a role or organization word, before a word that is no channel, time or number."""
        if i == 0 or i + 1 >= len(self.toks):
            return False
        before = self.toks[i - 1]
        if not before.is_word or not (self.role(i - 1) or self.org(i - 1) or self.definite(i - 1)):
            return False
        nxt = i + 1
        t = self.toks[nxt]
        if not t.is_word or t.is_number or self.is_("time", nxt) or self.is_("prep", nxt):
            return False
        if self.channel_at(nxt, len(self.toks)):
            return False
        if self.org(nxt) or self.role(nxt) or self.table_at(self.lex.sides, nxt, nxt + 1)[0]:
            return True
        # a construct chain (شؤون المدن): an indefinite word, then a definite one
        return not self.definite(nxt) and nxt + 1 < len(self.toks) and self.definite(nxt + 1)

    def adjective(self, j: int, head: int, kind: str) -> bool:
        """Can the unknown word j describe the indefinite role at ``head``? A person's role
        takes adjectives of relation (جندي أوكراني، مسؤول عسكري); a group noun up to two
        words of any kind (مصادر مطلعة، شهود عيان)."""
        if self.nisba(self.toks[j]) or self.toks[j].base in ("كبير", "رفيع", "بارز", "سابق"):
            return True
        return kind == "group" and j - head <= 2 and not self.accusative(j)

    def possessive(self, j: int) -> bool:
        """تصريحه، عزمه، قواتها: a noun with a possessive pronoun is no name (the letter is ه,
        not the ة that ends names such as فاطمة)."""
        surface = self.toks[j].text.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652")
        if self.lex.has("particle", self.toks[j].norm):
            return False
        if len(surface) < 4:
            # عمه، أمه، جده: a two-letter relation takes the pronoun too; other short words
            # ending in ه (الله، منه) are no possessives
            base = self.toks[j].base
            return base[-1:] == "ه" and self.lex.roles.get(base[:-1], ("", ""))[1] == "kin"
        return surface.endswith(("ه", "ها", "هم", "هما"))

    def accusative(self, j: int) -> bool:
        """A word with tanwin fatha (مفهوماً) is an object or an adverb, never a name."""
        return "\u064b" in self.toks[j].text

    @staticmethod
    def nisba(tok: Token) -> bool:
        """An adjective of relation (الروسية، الدولي، المدني) or a feminine adjective
        (المسلحة، العامة) can follow a definite noun; a plural (الشائعات) is its object."""
        return tok.base.endswith(("ي", "يه", "يون", "يين", "ه"))

    def definite(self, i: int) -> bool:
        t = self.toks[i]
        if not (t.prefix.endswith("ال") or t.prefix.endswith("لل")):
            return False
        # أليكسي، إلياس: a hamza on the alef marks a name, the article is written ال
        return t.text.lstrip("وفبكل")[:2] not in ("أل", "إل", "آل")

    def name_end(self, i: int, end: int) -> int:
        """End of a personal name starting at token i. Past two words a name only goes on with
        a family name (العباسي) or a particle (عبد الكريم، بن سلمان): "نفى هشام عبد الكريم وجود
        أي تأخير" ends at الكريم."""
        j = i
        while j < end and j - i < _MAX_NAME and self.name_word(j, first=j == i):
            family = self.toks[j].prefix == "ال" and self.definite(j)  # العباسي, not بالإعلان
            if j > i and self.definite(j) and not family:
                break
            if j - i >= 2 and not (
                family or self.is_("particle", j) or self.is_("particle", j - 1)
            ):
                break
            j += 1
        return j

    def name_word(self, i: int, first: bool = False) -> bool:
        """A word that can be part of a personal name: not a lexicon word of any kind."""
        t = self.toks[i]
        if not t.is_word or t.is_number:
            return False
        if self.is_("particle", i):
            return True
        if (
            self.role(i)
            or self.org(i)
            or self.stop(i)
            or self.is_("link", i)
            or self.is_("follow", i)
        ):
            return False
        if self.table_at(self.lex.sides, i, i + 1)[0]:
            return False
        if self.lex.has("nonsource", t.base) or self.lex.has("title", t.norm):
            return False
        if self.accusative(i) or self.possessive(i):
            return False
        if first and self.definite(i):
            return False  # a name does not start with the article; a definite noun is no name
        return not (t.prefix.startswith("ل") and self.definite(i))

    def make(
        self,
        a: int,
        b: int,
        ra: int | None,
        rb: int | None,
        kind: str,
        gender: str | None = None,
        side: str | None = None,
    ) -> Speaker:
        toks, text = self.toks, self.text
        start, end = toks[a].start, toks[b - 1].end
        if (
            toks[a].prefix[:1] in ("و", "ف")
            and text[start] in "وف"
            and (
                self.definite(a)
                or self.role(a)
                or self.org(a)
                or self.table_at(self.lex.sides, a, b)[0]
            )
        ):
            start += 1  # والبلدية تقول: the conjunction is not part of the speaker (ويندي is)
        role = (
            text[toks[ra].start : toks[rb - 1].end] if ra is not None and rb and rb > ra else None
        )
        name = text[start:end]
        if any(c in name for c in _QUOTE_MARKS):
            name = _unquote(name)  # حركة "النهوض" → حركة النهوض
        if role and any(c in role for c in _QUOTE_MARKS):
            role = _unquote(role)
        if kind in ("role", "group") and role is None:
            role = name
        if side is None:
            side = self.side_of(a, b)
            if side is None and ra is not None and rb:
                side = self.side_of(ra, rb)
        return Speaker(name, role, start, end, kind, gender, None, side)

    # -- entities ------------------------------------------------------------------------

    def entity_in(self, start: int, end: int, types: tuple[str, ...]) -> dict[str, Any] | None:
        if not self.entities:
            return None
        for e in self.entities[bisect_left(self.entity_starts, start) :]:
            if e["start"] >= end:
                break
            if e["end"] > start and e["start"] >= start and e.get("type") in types:
                return e
        return None

    def entity_over(self, start: int, end: int) -> dict[str, Any] | None:
        best = None
        lo = max(0, bisect_left(self.entity_starts, start) - 8)  # entities are short
        for e in self.entities[lo:]:
            if e["start"] >= end:
                break
            if e["end"] > start:
                overlap = min(end, e["end"]) - max(start, e["start"])
                if best is None or overlap > best[0]:
                    best = (overlap, e)
        return best[1] if best else None

    def token_at(self, offset: int, lo: int, hi: int) -> int:
        return bisect_left(self.starts, offset, lo, hi)

    def token_after(self, offset: int, hi: int) -> int:
        """Index of the first token starting at or after ``offset`` (at most ``hi``)."""
        return min(bisect_left(self.starts, offset), hi)

    def link(self, sp: Speaker) -> Speaker:
        """Set the entity id (and the side it implies) from the entity layer, and merge what
        earlier mentions of the same person said about them (full name, role, side)."""
        e = self.entity_over(sp.start, sp.end) if self.entities else None
        if e is not None and sp.kind == "role" and e.get("type") == "PER" and e["start"] > sp.start:
            e = None  # والدة الطفل سامر الخطيب: the person in a role phrase is someone else
        if e is not None:
            sp.entity = e.get("entity")
            if sp.side is None and e.get("type") in ("LOC", "ORG"):
                n_text = e.get("text") or self.text[e["start"] : e["end"]]
                lo = self.token_after(e["start"], len(self.toks))
                hi = self.token_after(e["end"], len(self.toks))
                sp.side = self.side_of(lo, hi) or e.get("name") or n_text
        if sp.kind == "person":
            key = self.person_key(sp)
            known = self.people.get(key) if key else None
            if known is None and sp.entity:
                known = next((p for p in self.people.values() if p.entity == sp.entity), None)
            if known is not None:
                if len(known.name or "") > len(sp.name or ""):
                    sp.name = known.name
                sp.role = sp.role or known.role
                sp.side = sp.side or known.side
                sp.gender = sp.gender or known.gender
                sp.entity = sp.entity or known.entity
            if key:
                self.people[key] = sp
                for part in (sp.name or "").split()[1:]:
                    self.people.setdefault(_key(part), sp)
        elif sp.kind == "role" and sp.role:
            # "المتحدث باسم الكرملين" after "ديمتري بيسكوف المتحدث باسم الكرملين"; "الوزير"
            # after "وزير التربية نبيل عيسى": the latest person whose role this one names.
            mine = words_of(sp.role)
            for p in list(self.people.values())[-_RECENT:][::-1]:
                theirs = words_of(p.role or "")
                if theirs and (mine == theirs or (len(mine) == 1 and theirs[0] == mine[0])):
                    sp.name, sp.entity, sp.kind = p.name, p.entity, "person"
                    sp.side = sp.side or p.side
                    sp.gender = sp.gender or p.gender
                    break
        elif sp.kind == "org" and sp.name and len(mine := words_of(sp.name)) == 1:
            # "الوزارة" after "وزارة الدفاع الروسية": the organization named before
            for p in self.agents[-_RECENT:][::-1]:
                theirs = words_of(p.name or "")
                if p.kind == "org" and len(theirs) > 1 and theirs[0] == mine[0]:
                    sp.name, sp.entity = p.name, sp.entity or p.entity
                    sp.side = sp.side or p.side
                    break
            else:
                return sp  # a bare common noun (الجيش، السلطات) says nothing of a side
        if sp.side is None and sp.kind in ("org", "country"):
            sp.side = sp.name
        return sp

    @staticmethod
    def person_key(sp: Speaker) -> str | None:
        words = (sp.name or "").split()
        return _key(words[-1]) if words else None

    # -- context -------------------------------------------------------------------------

    def carried(self, offset: int, si: int, gender: str | None) -> Speaker | None:
        """The speaker a subject-less verb at ``offset`` refers to."""
        para = self.paragraph[si]
        for sp in reversed(self.agents):
            if sp.start >= offset:
                continue
            if si - sp.sentence > _CARRY_SENTENCES or para - self.paragraph[sp.sentence] > 1:
                return None
            if _agrees(gender, sp):
                return replace(sp)
        return None

    def remember(self, sp: Speaker, si: int) -> None:
        sp.sentence = si
        self.agent_starts.add(sp.start)
        if not self.agents or self.agents[-1].start <= sp.start:
            self.agents.append(sp)
        else:  # a speaker carried from earlier text: keep the list in text order
            keys = [a.start for a in self.agents[-64:]]
            self.agents.insert(len(self.agents) - len(keys) + bisect_right(keys, sp.start), sp)

    def register_appositions(self, a: int, b: int, si: int) -> None:
        """People introduced as "NAME ، ROLE ،" become the context for later verbs."""
        toks = self.toks
        puncts = self.puncts
        for c in range(a + 1, b - 1):
            if puncts[c] != "," or not self.role(c + 1):
                continue
            ent = self.entity_ends.get(toks[c - 1].end)
            if ent is not None and ent.get("type") == "PER":
                j = self.token_at(ent["start"], a, c)
            else:
                j = c
                while j > a and c - j < _MAX_NAME and self.name_word(j - 1):
                    j -= 1
                if j == a and c - j >= 3:
                    j += 1  # "نشر أنطون جيراشينكو ،": a sentence opens with its verb
            if j == c:
                continue
            if toks[j].start in self.agent_starts:
                continue
            r = c + 1
            while r < b and r - c < _MAX_ROLE and not self.stop(r) and not self.channel_at(r, b):
                r += 1
            gender = (self.role(c + 1) or (None,))[0]
            sp = self.make(j, c, c + 1, r, "person", gender=gender)
            sp.origin = (a, b)
            self.remember(self.link(sp), si)

    def register_subject(self, a: int, b: int, si: int) -> None:
        """The subject of a sentence that opens with a verb which is no cue (نشرت الفنانة ميار
        سالم صورة على فيسبوك، وكتبت: …) is the context for the cues that follow. Only a
        described person counts: a name with a role is strong evidence of a subject."""
        if b - a < 3 or self.verbs[a] is not None or not self.toks[a].is_word:
            return
        if self.toks[a].start in self.agent_starts or self.stop(a):
            return
        np = self.parse_np(a + 1, b)
        if np is None:
            return
        at = np.end + 1 if np.end + 1 < b and self.is_("prep", np.end) else np.end
        ch = self.channel_at(at, b) if at < b else None
        if ch is not None and ch[1] == "venue" and np.speaker.kind in ("org", "country"):
            pass  # ودعا الاتحاد في بيان …: the issuer of a statement the next cues quote
        elif not any(self.role(j) for j in range(a + 1, min(b, a + 5)) if self.toks[j].is_word):
            return  # no role in sight: a described person does not open this sentence
        elif np.speaker.role is None or np.speaker.kind not in ("person", "role"):
            return  # a described person is strong evidence of a subject; a bare name is not
        sp = np.speaker
        sp.origin = (a, b)
        self.remember(self.link(sp), si)

    def written_channel(self, a: int, b: int) -> str | None:
        if (a, b) not in self.written:
            self.written[a, b] = self._written_channel(a, b)
        return self.written[a, b]

    def _written_channel(self, a: int, b: int) -> str | None:
        for i in range(a, b):
            ch = self.channel_at(i, b)
            if ch and ch[2] == "written" and ch[1] == "platform":
                return self.channel_value(i, ch[0])
        return None

    # -- the main pass -------------------------------------------------------------------

    def run(self) -> list[dict[str, Any]]:
        cues = self.cues
        if not cues:
            return []
        for si, (a, b) in enumerate(self.sent_tok):
            if si not in self.near_cue:
                continue
            self.register_subject(a, b, si)
            c = bisect_left(cues, a)
            while c < len(cues) and cues[c] < b:
                i = cues[c]
                verb = self.verbs[i]
                if verb is not None:
                    nxt = self.from_verb(i, verb, si, a, b)
                else:
                    nxt = self.from_attribution(i, si, a, b)
                c = bisect_left(cues, nxt, c + 1) if nxt else c + 1
            self.postposed(si)
            self.register_appositions(a, b, si)
        self.quotes.sort(key=lambda q: q["start"])
        return self.quotes

    def emit(
        self,
        start: int,
        end: int,
        direct: bool,
        cue: str,
        channel: str | None,
        sp: Speaker,
    ) -> None:
        text = self.text[start:end]
        if not text.strip():
            return
        if start in self.quote_starts:
            return
        self.quote_starts.add(start)
        self.quotes.append(
            {
                "text": text,
                "start": start,
                "end": end,
                "direct": direct,
                "cue": cue,
                "channel": channel,
                "speaker": sp.as_dict(),
                "side": sp.side,
            }
        )
        lo = bisect_left(self.regions, (start - 1, -1))
        for o, _ in self.regions[lo:]:
            if o >= end:
                break
            self.claimed.add(o)

    def cue_text(self, i: int) -> str:
        t = self.toks[i]
        if self.lex.verbs.get(t.norm) is None and t.norm[:1] in "وف":
            return t.text[1:]
        return t.text

    def clause_initial(self, i: int, a: int) -> bool:
        t = self.toks[i]
        if t.norm[:1] in "وف" and self.lex.verbs.get(t.norm) is None:
            return True
        if i == a:
            return True
        prev = self.toks[i - 1]
        return not prev.is_word or self.is_("opener", i - 1)

    def in_relative(self, i: int, a: int) -> bool:
        """Is the word before token i (past لا يزال/ما زال) a relative pronoun (التي، الذي)?"""
        j = i - 1
        while j >= a:
            n = 0
            for phrase in self.lex.phrases.get("still", ()):
                if j - len(phrase) + 1 >= a and all(
                    self._norm_eq(j - len(phrase) + 1 + k, w) for k, w in enumerate(phrase)
                ):
                    n = len(phrase)
            if not n:
                break
            j -= n
        return j >= a and self.is_("relative", j)

    def subject_before(self, i: int, a: int) -> tuple[Speaker, int] | None:
        """SVO order: روسيا تقول إن، المتحدث باسم الجيش قال إن. (speaker, first token)."""
        if i - 1 > a and self.is_("perfect", i - 1):
            # وكانت الوزارة قد أكدت أن: the subject is all the words between كان and قد
            q = i - 1
            s = q - 1
            while s >= max(a, q - _MAX_ROLE):
                if self.is_("kana", s):
                    if self.thing(s + 1, q):
                        return None
                    got = self.analyse(s + 1, q)
                    return (got[0], s + 1) if got and got[1] == q else None
                if not self.toks[s].is_word:
                    opened = self.quoted_name_before(s, a)  # وكانت شركة «الواحة» قد أعلنت
                    if opened == s:
                        return None
                    s = opened
                s -= 1
            return None
        return self._subject_ending(i, a)

    def thing(self, lo: int, hi: int) -> bool:
        """A phrase with a noun that shows but never speaks (الواقع، كل الدلائل)."""
        return any(self.lex.has("nonspeaker", k) for t in self.toks[lo:hi] for k in _stems(t))

    def _subject_ending(self, i: int, a: int) -> tuple[Speaker, int] | None:
        """The speaker phrase that ends right before token i: (speaker, first token)."""
        if i == a:
            return None
        toks = self.toks
        prev_end = toks[i - 1].end
        ent = self.entity_ends.get(prev_end)
        if ent is not None:
            j = self.token_at(ent["start"], a, i)
            kind = {"PER": "person", "ORG": "org", "LOC": "country"}[ent["type"]]
            return self.make(j, i, None, None, kind), j
        for n in range(min(self.lex.longest, i - a), 0, -1):
            m, hit = self.table_at(self.lex.sides, i - n, i)
            if m == n and hit[1] in ("country", "org"):
                return self.make(i - n, i, None, None, "country", side=hit[0]), i - n
        # a role or organization phrase: walk back over its words to its head
        j = i - 1
        head = None
        while j >= a and i - j <= _MAX_ROLE:
            t = toks[j]
            if not t.is_word and (opened := self.quoted_name_before(j, a)) < j:
                j = opened - 1  # لكن حركة "النهوض" قالت: the name in marks, then its head
                continue
            if not t.is_word or self.stop(j):
                break
            if self.role(j) or self.org(j):
                head = j
            j -= 1
        starts_clause = head is not None and (
            head == a
            or not toks[head - 1].is_word
            or toks[head].prefix[:1] == "و"
            or self.is_("opener", head - 1)
            or self.is_("relative", head - 1)
            or self.is_("kana", head - 1)
        )
        if head is not None and starts_clause:
            got = self.analyse(head, i)
            if got and got[1] == i:
                return got[0], head
        # لكن الأوساط العسكرية الروسية شددت على أن: a definite noun phrase no lexicon lists
        # that opens the clause
        c = i - 1
        while c > a and i - c < 4 and toks[c - 1].is_word and not self.stop(c - 1):
            if self.is_("opener", c - 1) or self.is_("kana", c - 1):
                break
            c -= 1
        # only after لكن، بينما …: at a sentence start such a phrase is too often a thing
        # (الحراك الحاصل يؤكد أن …)
        opens = c > a and (self.is_("opener", c - 1) or self.is_("kana", c - 1))
        if c < i and opens and toks[c].prefix in ("ال", "وال") and not self.thing(c, i):
            got = self.analyse(c, i)
            if got and got[1] == i and got[0].kind != "person":
                return got[0], c
        key = _key(toks[i - 1].norm)
        if key in self.people:
            return replace(self.people[key], start=toks[i - 1].start, end=toks[i - 1].end), i - 1
        return None

    def from_verb(self, i: int, verb: Verb, si: int, a: int, b: int) -> int | None:
        if verb.kind == "report_via":
            return self.report_via(i, verb, si, a, b)
        if verb.kind == "statement_body":
            return self.statement_body(i, verb, si, a, b)
        if self.in_relative(i, a) or self.masdar(i):
            return None
        np = self.parse_np(i + 1, b)
        weak = False
        if np is not None:
            sp, k = np.speaker, np.end
            sp.gender = sp.gender or verb.gender
            sp.origin = (a, b)
            # a name the lexicons, the entity layer and the text so far know nothing about
            weak = sp.weak or (
                sp.kind == "person" and sp.role is None and not self.known_person(sp)
            )
            sp = self.link(sp)
        else:
            k = i + 1
            doc = self.document_subject(i + 1, si, b)
            if doc is not None:
                sp, k, channel = doc
                return self.statement(i, k, verb, sp, si, a, b, channel=channel)
            got = self.subject_before(i, a)
            if got is not None:
                sp, first = got
                if self.in_relative(first, a):
                    return None
                sp.gender = sp.gender or verb.gender
                sp = self.link(sp)
            elif verb.tense == "hal":
                sp = self.last_in_sentence(si) or self.carried(self.toks[i].start, si, verb.gender)
            elif self.clause_initial(i, a):
                sp = self.carried(self.toks[i].start, si, verb.gender)
                if sp is not None and verb.mode != "written":
                    sp.origin = None  # only a written cue inherits a written channel
            else:
                return None
            if sp is None:
                return None
        return self.statement(i, k, verb, sp, si, a, b, weak=weak)

    def document_subject(self, j: int, si: int, b: int) -> tuple[Speaker, int, str] | None:
        """وأضاف البيان أن، وأوضح بيان الإليزيه أن، وذكر بيان عسكري أن: a statement as the
        subject speaks for its issuer — the name after it, else the speaker in context,
        else the statement itself. (speaker, token after the subject, channel)."""
        got = self.statement_issuer(j, b)
        if got is None:
            return None
        issuer, m, channel = got
        if issuer is not None:
            return self.link(issuer.speaker), issuer.end, channel
        if self.channel_at(j, b)[2] != "written":
            return None  # وكشف حديث الشارع: a spoken word speaks only for a speaker it names
        sp = self.carried(self.toks[j].start, si, None)
        if sp is None or sp.kind not in ("org", "country"):
            sp = self.make(j, m, None, None, "org")  # a person speaks; a body issues
        return sp, m, channel

    def statement_issuer(self, j: int, b: int) -> tuple[_NP | None, int, str] | None:
        """A statement noun at token j (بيان، تصريح، رسالة) and the issuer in construct after
        it: بيان وزارة الخارجية، بيان لوزارة الصحة، بيان صادر عن الوزارة، تصريح وزير النقل.
        (issuer or None, token after the statement noun, channel); None when j is no
        statement."""
        ch = self.channel_at(j, b)
        if ch is None or ch[1] != "venue":
            return None
        m = j + ch[0]
        # بيان، البيان، لبيان: the statement noun as written, without its article or an
        # attached ل (channel_at matched the word without it; it filled the heads cache)
        words = self.channel_value(j, ch[0]).split()
        if self.toks[j].prefix.endswith("لل"):
            words[0] = words[0][len(self.toks[j].prefix) :]  # للبيان، وللبيان
        elif self.toks[j].base not in self.heads[id(self.lex.channels)]:
            words[0] = words[0][1:]
        channel = " ".join(w[2:] if w[:2] == "ال" else w for w in words)
        while m < b and self.statement_adjective(m):
            m += 1  # بيان عسكري، بيان رسمي
        start = m + self.phrase_at("issued", m, b) if m < b else m
        if start >= b or not (self.definite(start) or self.org(start) or self.role(start)):
            return None, m, channel
        issuer = self.parse_np(start, b)
        if issuer is None or issuer.speaker.kind not in ("org", "country", "role", "person"):
            return None, m, channel
        if issuer.speaker.weak:
            # بحسب رسالة الاستقالة، خطاب الكراهية، حديث الشارع: a definite noun no lexicon
            # knows is what the statement is about, not who issued it
            return None, m, channel
        _drop_lam(issuer.speaker, self.toks[start], self.lex)
        return issuer, m, channel

    def opens_statement(self, p: int) -> bool:
        """A comma or فإن between an attribution phrase and its statement."""
        return bool(self.punct(p)) or self.toks[p].norm in ("فان", "فانه", "فانها", "ان")

    def statement_adjective(self, m: int) -> bool:
        """بيان عسكري: an indefinite adjective of relation; وزارة, هيئة (also ending in ة)
        head the issuer instead."""
        if self.definite(m) or not self.nisba(self.toks[m]) or self.stop(m):
            return False
        return not (self.org(m) or self.role(m))

    def masdar(self, i: int) -> bool:
        """عدم كشف اسمه: a verb form after عدم/دون is a verbal noun."""
        return i > 0 and self.is_("masdar", i - 1)

    def last_in_sentence(self, si: int) -> Speaker | None:
        for sp in reversed(self.agents):
            if sp.sentence == si:
                return replace(sp, origin=None)
            if sp.sentence < si:
                break
        return None

    def statement(
        self,
        i: int,
        k: int,
        verb: Verb,
        sp: Speaker,
        si: int,
        a: int,
        b: int,
        channel: str | None = None,
        weak: bool = False,
    ) -> int | None:
        """After the verb and its subject (token k): channel, time, then إن/أن or a colon."""
        inherited = (
            self.written_channel(*sp.origin) if verb.mode == "written" and sp.origin else None
        )
        m = k
        limit = min(b, k + _GAP)
        line_end = self.line_end(b)
        cue = self.cue_text(i)
        clean = True  # only channel, time and punctuation so far
        while m < limit:
            t = self.toks[m]
            p = self.punct(m)
            if p is None:
                ch = self.channel_at(m, b)
                if ch:
                    channel = channel or self.channel_value(m, ch[0])
                    m += ch[0]
                    continue
            if p == ":":
                q = m + 1
                if q < line_end and self.is_quote_open(q):
                    return self.direct(q, cue, channel or inherited, sp, si)
                if q < b and p == ":":
                    end = self.statement_end(q, b)
                    if end > self.toks[q].start:
                        self.done(sp, si)
                        self.emit(self.toks[q].start, end, True, cue, channel or inherited, sp)
                        return self.token_after(end, b)
                return None
            if p is not None and p in _OPEN_MARKS and self.is_quote_open(m):
                o = self.toks[m].start
                if self.names_next(m - 1) and (m > k or self.short_quote(m)):
                    # لصحيفة «ذا غريت هول»، لشركة "إيه أند بي": a name in quote marks
                    close, before = self.region_at[o], self.toks[m - 1].end
                    if channel and self.text[before - len(channel) : before] == channel:
                        channel = self.text[before - len(channel) : close + 1]
                    m = self.token_after(close + 1, b)
                    clean = False
                    continue
                if not self.short_quote(m):
                    return self.direct(m, cue, channel or inherited, sp, si)
                if m == k:
                    return None  # قال "نعم": too short to be a statement of its own
                # في خطاب إلى أمين عام الحلف "ناتو"، إن: a name or term in quote marks
                m = self.token_after(self.region_at[o] + 1, b)
                clean = False
                continue
            if p is not None and p in _END_PUNCT:
                return None
            if p is None:
                if self.lex.has("comp", t.norm):
                    if m > k and self.blocks_comp(m - 1, verb):
                        return None
                    if verb.complements == (("بان",),) and not t.norm.startswith("ب"):
                        return None  # أقر/اعترف بأن; أقر البرلمان … أن is another sense
                    if weak and not clean:
                        return None  # أقرت مفهوما جديدا يصف روسيا بأنها …: no subject
                    return self.reported(m + 1, b, cue, channel or inherited, sp, si)
                other = self.verbs[m]
                if (
                    other is not None
                    and not self.masdar(m)
                    and not (other.tense == "hal" and other.lemma == "قال")
                ):
                    return None  # another reporting verb: its own statement
                bare = self.bare_complement(m, verb, b, k) if clean else None
                if bare is not None:
                    return self.reported(bare, b, cue, channel or inherited, sp, si)
                if not (
                    self.is_("time", m)
                    or self.is_("prep", m)
                    or (m > k and self.is_("prep", m - 1))
                ):
                    clean = False
            m += 1
        return None

    def names_next(self, j: int) -> bool:
        """Does word j introduce a name (an organization, an outlet, a title word)?"""
        t = self.toks[j]
        if not t.is_word:
            return False
        ch = self.channel_at(j, j + 1)
        # لصحيفة «…»، على منصة "…" name a medium; في بيان "…"، للصحفيين "…" open the words said
        named_medium = ch is not None and ch[1] in ("outlet", "platform")
        return bool(self.org(j) or self.is_("title", j) or named_medium)

    def blocks_comp(self, j: int, verb: Verb) -> bool:
        """بعد أن، رغم أن، إلا أن … are not the verb's complement; إلى أن only after أشار."""
        t = self.toks[j]
        if t.norm in ("بعد", "قبل", "منذ", "رغم", "برغم", "الا", "غير", "حتي", "مع", "دون", "لولا"):
            return True
        if self.lex.has("prep", t.norm) and t.norm in ("الي", "من", "علي", "عن"):
            return not any(c[:1] == (t.norm,) for c in verb.complements)
        return False

    def bare_complement(self, m: int, verb: Verb, b: int, k: int = -1) -> int | None:
        """حذر من …، أكد على …، أعرب عن …: the statement starts after the preposition;
        نفى X الشائعات: a bare object right after the subject."""
        t = self.toks[m]
        if m == k and ("_",) in verb.complements and t.is_word and not self.stop(m):
            nxt = m + 1 < b and self.toks[m + 1].is_word
            return m if nxt else None  # نفى ذلك: one word is no statement
        for comp in verb.complements:
            if comp == (t.norm,) and m + 1 < b and not self.lex.has("comp", self.toks[m + 1].norm):
                return m + 1
        return None

    def line_end(self, b: int) -> int:
        """Token index of the end of the line that sentence-end ``b`` is on."""
        if b == 0:
            return 0
        stop = self.text.find("\n", self.toks[b - 1].end)
        stop = len(self.text) if stop < 0 else stop
        return bisect_left(self.starts, stop)

    def done(self, sp: Speaker, si: int) -> None:
        self.remember(replace(sp), si)

    def direct(self, q: int, cue: str, channel: str | None, sp: Speaker, si: int) -> int | None:
        o = self.toks[q].start
        c = self.region_at[o]
        start, end = o + 1, c
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start >= end:
            return None
        self.done(sp, si)
        self.emit(start, end, True, cue, channel, sp)
        return self.token_after(c + 1, len(self.toks))

    def reported(
        self, p: int, b: int, cue: str, channel: str | None, sp: Speaker, si: int
    ) -> int | None:
        if p >= b:
            return None
        first = self.toks[p]
        # قال إن «…»: the whole statement is quoted → direct speech.
        if self.is_quote_open(p):
            c = self.region_at[first.start]
            after = self.token_after(c + 1, len(self.toks))
            end_tok = after
            while (
                end_tok < len(self.toks)
                and self.punct(end_tok)
                and self.punct(end_tok) not in _OPEN_MARKS
            ):
                end_tok += 1
            closes_statement = (
                end_tok >= len(self.toks)
                or self.toks[end_tok].start >= (self.sentences[self.sentence_of(c)][1])
                or self.is_boundary(end_tok)
            )
            if closes_statement and len(self.text[first.start + 1 : c].split()) >= 3:
                return self.direct(p, cue, channel, sp, si)
        end = self.statement_end(p, b)
        start = first.start
        if end <= start:
            return None
        self.done(sp, si)
        self.emit(start, end, False, cue, channel, sp)
        return self.token_after(end, b)

    def sentence_of(self, offset: int) -> int:
        return max(0, bisect_right(self.sentence_starts, offset) - 1)

    def is_boundary(self, j: int) -> bool:
        """Does a new statement or the writer's own clause start at token j?"""
        t = self.toks[j]
        verb = self.verbs[j]
        if verb is not None and (t.norm[:1] in "وف" or verb.tense == "hal"):
            return True
        return self.is_attribution(j) or bool(self.phrase_at("narrator", j, len(self.toks)))

    def statement_end(self, p: int, b: int) -> int:
        """Where a statement starting at token p ends: the sentence end, or before a new cue
        (وأضاف، مضيفا، بحسب) or the writer's clause after a comma (، لتغلق، مما، في حين)."""
        toks = self.toks
        j = p
        end_tok = b
        while j < b:
            t = toks[j]
            if self.is_quote_open(j):
                c = self.region_at[t.start]
                j = self.token_after(c + 1, len(toks))
                end_tok = max(end_tok, j) if j > b else end_tok
                continue
            if (
                j > p
                and self.punct(j - 1) == ","
                and (self.is_boundary(j) or _PURPOSE.match(t.norm))
            ):
                end_tok = j - 1
                break
            if j > p and self.verbs[j] and t.norm[:1] in "وف" and self.is_cue_clause(j, b):
                end_tok = j
                break
            j += 1
        end = toks[end_tok - 1].end if end_tok > p else toks[p].start
        # trim closing punctuation, keeping a closing quote mark whose opener is inside
        while end > toks[p].start and self.text[end - 1] in ".،,؛;:!?؟…-–— ":
            end -= 1
        return end

    def is_cue_clause(self, j: int, b: int) -> bool:
        """وأضاف أن / وتابع: … — a new statement by a (possibly new) speaker."""
        for m in range(j + 1, min(b, j + _GAP)):
            p = self.punct(m)
            if p == ":" or (p is None and self.lex.has("comp", self.toks[m].norm)):
                return True
            if p is not None and p in _END_PUNCT:
                return False
        return False

    # -- other forms ---------------------------------------------------------------------

    def report_via(self, i: int, verb: Verb, si: int, a: int, b: int) -> int | None:
        """نقلت وكالة X عن Y قوله إن …: speaker Y, channel the outlet."""
        outlet = self.parse_np(i + 1, b)
        k = outlet.end if outlet else i + 1
        # the outlet as written: a name in quote marks keeps them in the channel
        channel = self.text[outlet.speaker.start : outlet.speaker.end] if outlet else None
        # نقلت قناة "سي إن بي سي" الأميركية عن …: the outlet's name in quote marks, then
        # its adjectives, before عن
        n = k
        while n < b and n - k < _GAP and self.toks[n].norm != "عن":
            if self.is_quote_open(n) and self.short_quote(n, _MAX_NAME):
                n = self.token_after(self.region_at[self.toks[n].start] + 1, b)
            elif self.toks[n].is_word and not self.stop(n):
                n += 1
            else:
                break
        if outlet and n > k:
            channel = self.text[outlet.speaker.start : self.toks[n - 1].end]
        k = n
        if k >= b or self.toks[k].norm != "عن":
            return None
        if k + 1 < b and self.is_quote_open(k + 1) and self.short_quote(k + 1, _MAX_NAME):
            # عن "مسؤول أميركي رفيع"، قوله: the source in quote marks
            close = self.region_at[self.toks[k + 1].start]
            np = self.parse_np(k + 2, self.token_after(close, b))
            m = self.token_after(close + 1, b)
        else:
            np = self.parse_np(k + 1, b)
            m = np.end if np else k
        if np is None:
            return None
        if m < b and self.punct(m) == "," and m + 1 < b and self.is_("follow", m + 1):
            m += 1
        if m < b and self.is_("follow", m):
            m += 1
        return self.statement(i, m, verb, np.speaker, si, a, b, channel=channel)

    def short_quote(self, q: int, words: int = 2) -> bool:
        """Is the quoted region opening at token q a name or a term (at most ``words``
        words), not words said?"""
        o = self.toks[q].start
        return len(self.text[o + 1 : self.region_at[o]].split()) <= words

    def statement_body(self, i: int, verb: Verb, si: int, a: int, b: int) -> int | None:
        """وجاء في بيان لوزارة الدفاع: «…» — the issuer of the statement speaks."""
        k = i + 1
        if k >= b or self.toks[k].norm != "في":
            return None
        ch = self.channel_at(k + 1, b)
        if not ch or ch[1] not in ("venue", "platform"):
            return None
        channel = self.channel_value(k + 1, ch[0])
        m = k + 1 + ch[0]
        sp = None
        if m < b:
            m += self.phrase_at("issued", m, b)  # جاء في بيان صادر عن الوزارة
        if m < b and not self.stop(m):
            np = self.parse_np(m, b)
            if np is not None:
                sp, first, m = np.speaker, self.toks[m], np.end
                _drop_lam(sp, first, self.lex)
        if sp is None:
            sp = self.carried(self.toks[i].start, si, None)
        if sp is None:
            return None
        return self.statement(i, m, verb, self.link(sp), si, a, b, channel=channel)

    def from_attribution(self, i: int, si: int, a: int, b: int) -> int | None:
        n, kind = self.attribution_at(i, b)
        if not n:
            return None
        cue = self.text[self.toks[i].start : self.toks[i + n - 1].end]
        if cue[:1] == "و" and self.toks[i].norm[1:] in {p[0] for p in self.lex.attribution}:
            cue = cue[1:]
        j = i + n
        if kind == "verb":
            if j >= b or self.verbs[j] is None:
                return None
            cue = self.text[self.toks[i].start : self.toks[j].end]
            j += 1
        channel = None
        issued = self.statement_issuer(j, b) if kind == "source" else None
        if kind == "pronoun":
            sp = self.last_in_sentence(si) or self.carried(self.toks[i].start, si, None)
            end_np = j
        elif issued is not None and issued[0] is not None:
            # بحسب بيان وزارة الصحة: the issuer is the source, the statement the channel
            sp, end_np, channel = issued[0].speaker, issued[0].end, issued[2]
        else:
            np = self.parse_np(j, b)
            if np is None:
                return None
            sp, end_np = np.speaker, np.end
            if not self.source_like(sp, j):
                return None
            if kind == "verb" and end_np < b and self.lex.has("comp", self.toks[end_np].norm):
                return None  # حسبما قال X إن …: the verb pass reads it
            if sp.kind == "person" and sp.role is None and not self.known_person(sp):
                return None  # وفق إجراءات معجلة: unknown words are no source
        if sp is None:
            return None
        sp = self.link(sp)
        if (
            sp.name
            and self.toks[j].norm[:1] == "ل"
            and kind == "source"
            and sp.kind != "person"
            and sp.start == self.toks[j].start  # not an issuer after لبيان
        ):
            t = self.toks[j]
            stripped = t.text[1:] if not t.norm.startswith("لل") else "ا" + t.text[1:]
            if sp.role == sp.name:
                sp.role = stripped + sp.role[len(t.text) :]
            sp.name = stripped + sp.name[len(t.text) :]
        # the statement: the clause after the phrase when it opens the sentence, else before
        at_start = i == a or (i == a + 1 and not self.toks[a].is_word)
        if at_start:
            p = end_np
            if channel is not None and p < b and not self.opens_statement(p):
                # وبحسب مقابلة الرئيس مع قناة الجزيرة، فإن …: words about the statement follow
                # its issuer; the statement starts after the comma or فإن that closes them
                p = next(
                    (k for k in range(p + 1, min(b, p + _MAX_ROLE)) if self.opens_statement(k)), b
                )
            while p < b and self.opens_statement(p):
                p += 1
            if p >= b:
                return None
            start, end = self.toks[p].start, self.statement_end(p, b)
        else:
            region = self.region_ending_before(i, a)
            if region is not None and self.short_quote(self.token_at(region[0], a, i)):
                # شبهوا لونه بـ"حلوى القطن"، وفق ما نقل …: a term in marks ends the clause the
                # source reports; the whole clause is the statement
                region = None
            if region is not None:
                if region[0] in self.claimed:
                    return end_np
                start, end = region[0] + 1, region[1]
                self.done(sp, si)
                self.emit(start, end, True, cue, channel, sp)
                return end_np
            first = a
            if self.toks[first].norm in ("و",) and first + 1 < i:
                first += 1
            start = self.toks[first].start
            end = self.toks[i - 1].end
            while end > start and self.text[end - 1] in ".،,؛;:!?؟…-–— ":
                end -= 1
            if any(q["start"] < end and start < q["end"] for q in self.quotes[-8:]):
                return end_np  # the statement before the phrase is already a quote
        if end - start < 3 or len(self.text[start:end].split()) < 2:
            return None
        self.done(sp, si)
        self.emit(start, end, False, cue, channel, sp)
        return end_np

    def known_person(self, sp: Speaker) -> bool:
        if self.entity_over(sp.start, sp.end) is not None:
            return True
        key = self.person_key(sp)
        return bool(key and key in self.people)

    def region_ending_before(self, i: int, a: int) -> tuple[int, int] | None:
        j = i - 1
        while j >= a and self.punct(j) in (",", "-", "–", "—"):
            j -= 1
        if j < a:
            return None
        end = self.toks[j].end
        lo = bisect_left(self.regions, (self.toks[a].start, -1))
        for o, c in self.regions[lo:]:
            if o >= end:
                break
            if c == end - 1:
                return o, c
        return None

    def source_like(self, sp: Speaker, j: int) -> bool:
        """بحسب الخطة is no source; بحسب وزارة الصحة، بحسب مصادر، بحسب رويترز are."""
        t = self.toks[j]
        if any(self.lex.has("nonsource", k) for k in _stems(t)):
            return False
        return sp.kind in ("person", "role", "group", "org", "country") and bool(sp.name)

    def postposed(self, si: int) -> None:
        """“…”، قال بيسكوف: a quote that opens sentence ``si``, with its cue after it."""
        n = len(self.toks)
        s_start, s_end = self.sentences[si]
        lo = bisect_left(self.regions, (s_start, -1))
        for o, c in self.regions[lo:]:
            if o >= s_end:
                break
            if o in self.claimed:
                continue
            if self.text[s_start:o].strip(" و-–—"):
                continue
            if len(self.text[o + 1 : c].split()) < 2:
                continue
            j = self.token_after(c + 1, n)
            while j < n and self.punct(j) in (",", "-", "–", "—"):
                j += 1
            if j >= n:
                continue
            verb = self.verbs[j]
            if verb is None or verb.kind != "say":
                continue
            np = self.parse_np(j + 1, n)
            if np is not None:
                sp = self.link(np.speaker)
                k = np.end
            else:
                sp = self.carried(o, si, verb.gender)
                k = j + 1
                if sp is None:
                    continue
            channel = None
            while k < n and self.punct(k) is None and k - j < _GAP:
                ch = self.channel_at(k, n)
                if ch:
                    channel = self.channel_value(k, ch[0])
                    break
                k += 1
            start, end = o + 1, c
            self.remember(replace(sp), si)
            self.emit(start, end, True, self.cue_text(j), channel, sp)


@lru_cache(maxsize=8192)
def words_of(text: str) -> tuple[str, ...]:
    """Base forms of a phrase's words: "المتحدث باسم" and "متحدث باسم" compare equal.
    Cached: linking compares a speaker with the earlier ones, whose names recur."""
    return tuple(t.base for t in tokenize(text) if t.is_word)


def _key(word: str) -> str:
    from rasid.arabic.normalize import normalize

    return normalize(word)


def _drop_lam(sp: Speaker, first: Token, lex: QuoteLexicon) -> None:
    """بيان لوزارة الصحة، بيان لرئيس الوزراء: the issuer without the preposition ل attached
    to it (لجنة keeps its letter: the lexicon knows the word only with it)."""
    text = first.text
    if first.prefix == "لل":
        bare = "ا" + text[1:]
    elif (
        text[:1] == "ل"
        and first.base not in lex.orgs
        and first.base not in lex.roles
        and (first.base[1:] in lex.orgs or first.base[1:] in lex.roles)
    ):
        bare = text[1:]
    else:
        return
    if sp.name and sp.start == first.start:
        sp.name = bare + sp.name[len(text) :]
    if sp.role and sp.role.startswith(text):
        sp.role = bare + sp.role[len(text) :]


def _unquote(phrase: str) -> str:
    return " ".join(phrase.translate({ord(c): " " for c in _QUOTE_MARKS}).split())


def _agrees(gender: str | None, sp: Speaker) -> bool:
    """Does a verb of this gender/number fit the speaker? Countries and organizations take
    feminine verbs (قالت روسيا، قالت الوزارة) as well as masculine ones (قال الجيش)."""
    if gender is None or sp.gender is None:
        return gender != "pl" or sp.kind == "group" or sp.gender == "pl" or sp.gender is None
    if sp.kind in ("org", "country") and gender in ("m", "f"):
        return True
    return gender == sp.gender
