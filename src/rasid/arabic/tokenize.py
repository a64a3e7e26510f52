"""Tokens with exact offsets, and the proclitics of Arabic words.

Every later stage (entities, quotes, dedup, search) needs two things from a word: where it is
in the original text, and what it looks like once spelling variation and attached particles
are set aside. A :class:`Token` carries both: ``text``/``start``/``end`` point into the source
(``source[start:end] == text``), ``norm`` is its :func:`~rasid.arabic.normalize.normalize`
form, and ``prefix`` + ``base`` split ``norm`` into the attached proclitics and the rest.

Tokens are Arabic words (harakat, tatweel and ZWNJ stay inside the word), words of other
scripts (Latin letters and digits, with inner hyphens and apostrophes: ``Buk-M1``, ``F-16``,
``Putin's`` are one token), numbers (any script's digits, with inner ``.``/``,`` separators:
``2.5``, ``1,000``, ``١٬٠٠٠``) and single punctuation marks or symbols. Whitespace and
invisible characters (harakat outside a word, format marks, control characters) are not tokens.

Proclitics — the precision-first rules of :func:`split_clitics`
----------------------------------------------------------------
``base`` never keeps the definite article: ``الجيش``, ``والجيش``, ``للجيش`` all have base
``جيش``. Match lexicon entries by their own base (``split_clitics(normalize(name))[1]``), so a
gazetteer entry ``الكرملين`` and the text ``بالكرملين`` meet at ``كرملين``. ``prefix + base ==
norm`` always holds.

Without a lexicon, a letter that *may* be a proclitic is only removed when the evidence is
strong, because Arabic is full of words whose first letter merely looks like one (وزير، فرنسا،
بوتين، كييف، لبنان):

1. *Article forms* are reliable and always split: ``ال``, and a conjunction و/ف and/or a
   preposition ب/ك/ل before it (``وال``, ``بال``, ``فال``, ``كال``, ``وبال``, ``فبال``…), with
   ``لل`` for ل + ال (``للصحفيين`` → ``لل`` + ``صحفيين``). The base must keep at least 2
   letters after a bare ``ال`` and 3 after a longer prefix, which protects ``بالغة``,
   ``وكالات``, ``والدة``; a short list of words whose ``ال`` is not the article (``الذي``,
   ``التي``, ``الله``, ``الى``/``اليه``, ``الف``/``الاف``, ``المانيا``, form-VIII nouns such as
   ``التزام``) is never split.
2. The conjunction *و alone* is removed when the rest has at least 3 letters and the word
   does not start with a common و-initial stem (``وزير``, ``وزارة``, ``وكالة``, ``وضع``,
   ``وقت``, ``واشنطن``, ``واجه``…), so ``وبوتين`` → ``بوتين``, ``وكتب`` → ``كتب``,
   ``وأضاف`` → ``اضاف`` but ``وزير`` and ``ولادة`` stay whole. (``وكتب`` could also be the
   plural noun "and books"; either way the base is ``كتب``.)
3. و or ف before a *closed-class word* is removed even when the rest is short: ``وفي``,
   ``ومن``, ``وقد``, ``ولم``, ``فإن``, ``فلا``, ``وهو``…
4. Everything else stays whole: a lone ف (فرنسا، فريق), ب (بوتين، بريطانيا), ك (كييف), ل
   (لبنان), and the future س (سيارة، سياسة) — too many real words start with them. ``فقد``
   ("so he has" vs "he lost") is left whole.

When the caller has a vocabulary (a gazetteer, the record's entity names), passing it as
``known`` gives precise splits for every proclitic: ``split_clitics("بفرنسا", known={"فرنسا"})``
→ ``("ب", "فرنسا")``, and :func:`clitic_candidates` lists every grammatical reading for
lookups that want to try them all.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from rasid.arabic.normalize import normalize
from rasid.arabic.script import ARABIC_BLOCKS, ARABIC_LETTERS, ARABIC_MARKS, TATWEEL

__all__ = ["Token", "clitic_candidates", "split_clitics", "tokenize", "words"]


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a text, with its exact position and its matching forms.

    ``text == source[start:end]``; ``norm`` is ``normalize(text)``; ``prefix`` is the
    normalized proclitic string removed from an Arabic word ("وال", "ب", "لل", or "") and
    ``base`` the normalized word without it and without the article, so
    ``prefix + base == norm``. For non-Arabic tokens ``prefix == ""`` and ``base == norm``.
    """

    text: str
    start: int
    end: int
    norm: str
    prefix: str
    base: str

    @property
    def is_word(self) -> bool:
        """True for words and numbers, False for punctuation and symbols."""
        return self.norm[:1].isalnum()

    @property
    def is_arabic(self) -> bool:
        """True for Arabic-script words."""
        return bool(_ARABIC_START.match(self.text))

    @property
    def is_number(self) -> bool:
        """True for numbers (``2.5``, ``1,000``, ``٢٠٢٢``)."""
        return bool(_NUMBER.fullmatch(self.norm))


_LATIN_LETTER = f"[^\\W\\d_{ARABIC_BLOCKS}]"
_LATIN_CHAR = f"(?:[^\\W_{ARABIC_BLOCKS}]|[\\u0300-\\u036f])"
_INVISIBLE = (
    f"{ARABIC_MARKS}{TATWEEL}\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e"
    "\\u2060-\\u206f\\ufeff\\ufe00-\\ufe0f\\x00-\\x1f\\x7f-\\x9f"
)
_TOKEN = re.compile(
    # other-script word: optional leading digits (5G, 2S19), letters/digits, inner - ' ’
    f"(?P<latin>\\d*{_LATIN_LETTER}{_LATIN_CHAR}*(?:['’\\-]{_LATIN_CHAR}+)*)"
    # Arabic word: a letter, then letters, harakat, tatweel, ZWNJ/ZWJ
    f"|(?P<arabic>[{ARABIC_LETTERS}][{ARABIC_LETTERS}{ARABIC_MARKS}{TATWEEL}\\u200c\\u200d]*)"
    # number: digits of any script with inner decimal/thousands separators
    "|(?P<number>\\d+(?:[.,\\u066b\\u066c]\\d+)*)"
    # anything else visible: one punctuation mark or symbol per token
    f"|(?P<punct>[^\\s{_INVISIBLE}])"
)
_ARABIC_START = re.compile(f"[{ARABIC_LETTERS}]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_ARABIC_WORD = re.compile(f"[{ARABIC_LETTERS}]+")


def _wordset(words: str) -> frozenset[str]:
    """A set of whitespace-separated words: long word lists stay readable in the source."""
    return frozenset(words.split())


# Words (after any conjunction/preposition) whose initial ال is part of the word.
_AL_NOT_ARTICLE = _wordset("""
    الذي التي الذين اللذان اللتان اللذين اللتين اللاتي اللواتي اللايي
    الا الي اليه اليها اليهم اليهما اليهن اليك اليكم اليكما الينا اليكن الان
    الله اللهم اله الهه الهي
    الف الفا الفان الفين الفي الاف الوف
    المانيا الماني المانيه المانيون المانيين المان البانيا الباني البانيه
    اليات الياته
    التزام التزامات التزامه التزامها التزم التزمت التقي التقت التقاء التحق التحقت التحاق
    التفاف التماس التباس التهاب
    الغاء الحاق القاء الزام الزامي الزاميه الهام الحاح
    """)

# Whole words never split, whatever the rules below would say.
_NO_SPLIT = _wordset("""
    والد والده والدي والدين والدان والديه والدته والدتها والدتي والدتهم والدها والدهم
    والي واليا ولاه فقد
    """)

# Closed-class words that a conjunction may precede even when they are short.
_AFTER_WA = _wordset("""
    في من الي علي عن مع ما لا لم لن قد هو هي هم هما هن انا نحن انت ان انه انها انهم
    كان كانت كل بعد قبل ذلك هذا هذه تلك هولاء بين عند حتي منذ لكن اذا اذ ثم كما غير
    ليس لدي له لها لهم به بها فيه فيها منه منها عليه عليها
    """)
_AFTER_FA = _wordset("ان انه انها هو هي لم لن لا ما من كان كانت بعد اذا")

# Words starting with one of these keep their initial و: it is a root letter, not "and".
_WA_STEM_WORDS = """
    وزير وزار وزرا وزن وسط وسايل وسيل وسيط وساط وسع وصل وصول وصف وصي وضع وضوح وطن وظيف
    وظايف وعد وعي وفد وفود وفق وفاه وفر وفير وقت وقع وقايع وقف وقود وقاي وكال وكيل
    ولاي ولاد وليد ولاء وثيق وثايق وثق وجه وجوه وجود وجد وجب وحد وحيد وحش وراء ورق ورش
    ورد ورث وراي وسام وشك وعر وعود وفاق ولوج وهب ودي ودع ودايع وطيد وهران وهاب
    واحد واضح واسع واقع وارد واجه واجب واصل وافق والد والي وادي واشنطن وارسو واغنر ويلز
    ووهان ويكي ويليام وليام ويلسون وانغ واتساب
"""
_WA_STEMS = tuple(_WA_STEM_WORDS.split())

_MIN_BASE = 3  # letters left after removing a one-letter proclitic or a proclitic + ال
_MIN_BASE_AFTER_AL = 2  # letters left after removing a bare ال


def _article_split(word: str) -> tuple[str, str] | None:
    """(prefix, base) when ``word`` carries the article, possibly after و/ف and ب/ك/ل."""
    i = 1 if word[0] in ("و", "ف") else 0
    if word.startswith("لل", i):
        prefix_end = i + 2
        with_article = "ا" + word[i + 1 :]  # ل + ال drops the alef: للذين is ل + الذين
    else:
        j = i + 1 if word[i] in ("ب", "ك") and word.startswith("ال", i + 1) else i
        if not word.startswith("ال", j):
            return None
        prefix_end = j + 2
        with_article = word[j:]
    base = word[prefix_end:]
    minimum = _MIN_BASE_AFTER_AL if prefix_end == 2 else _MIN_BASE
    if len(base) < minimum or with_article in _AL_NOT_ARTICLE:
        return None
    return word[:prefix_end], base


def clitic_candidates(word: str) -> list[tuple[str, str]]:
    """Every grammatical (prefix, base) reading of a normalized Arabic word, least stripped first.

    Includes ``("", word)``. Readings combine an optional conjunction (و ف), an optional
    preposition (ب ك ل) or future marker (س), and an optional article (ال, written لل after
    ل); every base keeps at least 2 letters. Meant for lexicon lookups that try each reading —
    the lexicon decides, so the list may be generous.
    """
    readings = [("", word)]
    if not _ARABIC_WORD.fullmatch(word):
        return readings
    seen = {""}
    for c in ("", "و", "ف"):
        if c and not word.startswith(c):
            continue
        for p in ("", "ب", "ك", "ل", "س"):
            head = c + p
            if p and not word.startswith(head):
                continue
            options = [head]
            if p != "س":
                options.append(c + "لل" if p == "ل" else head + "ال")
            for prefix in options:
                if prefix in seen or not word.startswith(prefix):
                    continue
                if len(word) - len(prefix) >= 2:
                    seen.add(prefix)
                    readings.append((prefix, word[len(prefix) :]))
    readings.sort(key=lambda r: len(r[0]))
    return readings


def split_clitics(word: str, known: Container[str] | None = None) -> tuple[str, str]:
    """Split a normalized Arabic word into (proclitics, base); ``prefix + base == word``.

    Precision first (see the module docstring for the full rules): the article forms
    (ال، وال، بال، لل، وبال…) are always split; a lone و only when at least 3 letters remain
    and the word is not a known و-initial stem; و/ف before closed-class words (وفي، فإن);
    nothing else. ``base`` never keeps the article.

    With ``known`` (a set of base forms: gazetteer names, vocabulary), a word that is itself
    known stays whole, and otherwise the least-stripped reading whose base is known wins, so
    ``split_clitics("لبوتين", known={"بوتين"}) == ("ل", "بوتين")``; words with no known
    reading fall back to the rules.
    """
    if len(word) < 3 or not _ARABIC_WORD.fullmatch(word):
        return "", word
    if known is not None:
        if word in known:
            return "", word
        for prefix, base in clitic_candidates(word)[1:]:
            if base in known:
                return prefix, base
    if word in _NO_SPLIT:
        return "", word
    split = _article_split(word)
    if split is not None:
        return split
    first, rest = word[0], word[1:]
    if first == "و":
        if rest in _AFTER_WA:
            return first, rest
        if len(rest) >= _MIN_BASE and not word.startswith(_WA_STEMS):
            return first, rest
    elif first == "ف" and rest in _AFTER_FA:
        return first, rest
    return "", word


# Building a frozen dataclass through its __init__ costs six object.__setattr__ calls; setting
# the slots through their descriptors is twice as fast and tokenize() makes one per token.
_new_token = object.__new__
_SLOT_SETTERS = tuple(
    Token.__dict__[name].__set__ for name in ("text", "start", "end", "norm", "prefix", "base")
)


def _make_token(text: str, start: int, end: int, norm: str, prefix: str, base: str) -> Token:
    token = _new_token(Token)
    set_text, set_start, set_end, set_norm, set_prefix, set_base = _SLOT_SETTERS
    set_text(token, text)
    set_start(token, start)
    set_end(token, end)
    set_norm(token, norm)
    set_prefix(token, prefix)
    set_base(token, base)
    return token


_cache: dict[str, tuple[str, str, str]] = {}
_CACHE_LIMIT = 200_000


def _analyse(text: str, arabic: bool) -> tuple[str, str, str]:
    """(norm, prefix, base) of a token's text, cached: news vocabularies are small."""
    norm = normalize(text)
    prefix, base = split_clitics(norm) if arabic else ("", norm)
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    result = _cache[text] = (norm, prefix, base)
    return result


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into :class:`Token` objects in reading order, with original offsets.

    Never raises on odd input (empty strings, control characters, lone surrogates) and is
    linear in the length of the text.
    """
    tokens: list[Token] = []
    append = tokens.append
    cache = _cache
    make = _make_token
    for match in _TOKEN.finditer(text):
        surface = match.group()
        info = cache.get(surface)
        if info is None:
            info = _analyse(surface, match.lastgroup == "arabic")
        norm, prefix, base = info
        if norm:  # always true for what _TOKEN matches; kept as a guard for odd code points
            start, end = match.span()
            append(make(surface, start, end, norm, prefix, base))
    return tokens


def words(text: str) -> list[str]:
    """The normalized words and numbers of ``text`` (no punctuation), for overlap measures.

    These are ``norm`` values, with proclitics still attached; use ``tokenize`` and ``base``
    when "وبوتين" and "بوتين" must count as the same word.
    """
    out: list[str] = []
    append = out.append
    cache = _cache
    for match in _TOKEN.finditer(text):
        surface = match.group()
        info = cache.get(surface)
        if info is None:
            info = _analyse(surface, match.lastgroup == "arabic")
        norm = info[0]
        if norm[:1].isalnum():  # the same test as Token.is_word
            append(norm)
    return out
