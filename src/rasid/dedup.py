"""Duplicates and story clusters: what every store backend computes the same way.

The same wire story is republished by many outlets under new headlines with small edits.

* **Exact duplicates** share :func:`text_key`, the hash of the normalized text: the store keeps
  the article once and lists every source.
* **Near-duplicates** are found with MinHash over word shingles of the normalized text
  (clitics off, so «والقوات» and «القوات» count as one word). LSH banding turns each signature
  into :data:`BANDS` integer keys; articles sharing a key are *candidates*, and
  :func:`same_story` decides each candidate pair from the Jaccard similarity and the
  containment of the shorter text in the longer (a short rewrite of a longer wire story has a
  low Jaccard but most of its shingles inside the other), and the overlap of the two
  openings. Each fingerprint keeps a sample of its shingle hashes (the :data:`SAMPLE`
  smallest): two samples give the containment directly (:func:`sampled`), and how much of
  the shorter text's own opening is inside the longer, and halve the error of the
  signature's Jaccard estimate. The headline is a second
  signal: two articles with the same headline words (:func:`headline`) need less of their text
  in common, and share one more LSH key (:func:`headline_key`), so a reprint whose wording
  changed throughout is still looked at; and two articles with near-identical openings share
  an opening key (:func:`opening_keys`) with high probability, so an outlet that kept the
  agency's opening and cut or rewrote the rest is looked at too. The store keeps the keys in
  a table, so clustering is incremental and survives restarts: a new article only looks up
  its own keys.
  :func:`cluster` does the same over a whole base at once.
* Two more signals keep the next step of a story out of the earlier report's story. Each
  fingerprint keeps a *vocabulary* (the content words of its first words): when two openings
  share few word pairs, the text joins them only if the longer one's opening is told in the
  shorter's words (:func:`told`; a rewrite of the lead is, a reaction or the next day's
  development is not). And articles published days apart (:func:`hours_apart`) are joined only
  on their text, not on a shared headline or opening, which periodic items share too.

Speed (a 1,000,000-article base must cluster in minutes): words are hashed once per distinct
whitespace-separated run of the text (news vocabularies repeat massively, so the tokenizer
runs on each new run only, and a run is tokenized exactly as inside the text, since no token
spans whitespace); shingles are hashed from the word hashes with numpy, many texts at a time,
and the MinHash is one permutation hashing with densification (each shingle lands in one of
NUM_PERM bins, instead of NUM_PERM hash functions per shingle); :func:`cluster` keeps the
LSH buckets as sorted numpy arrays and decides a candidate pair only when the two articles
are not already in one story. The fingerprint is the same whichever path computes it (the
store's, from the tokens it already has, or the bulk one, from the text).

Thresholds were chosen on a labelled sample of candidate pairs (``bench/dedup.py``, its
``dev`` set only); the formulaic "the leadership congratulates the president of X" items
are the hard negatives that keep them high.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import numpy as np

from rasid.arabic.dates import parse_published
from rasid.arabic.normalize import normalize
from rasid.arabic.tokenize import tokenize

__all__ = [
    "BANDS",
    "DECISION",
    "FORMAT",
    "NUM_PERM",
    "OPENING",
    "OPENING_KEYS",
    "OPENING_ROWS",
    "OPENING_WORDS",
    "ROWS",
    "SAMPLE",
    "SHINGLE",
    "VOCABULARY_WORDS",
    "Fingerprint",
    "FingerprintTable",
    "Sampled",
    "Thresholds",
    "article_keys",
    "band_keys",
    "cluster",
    "estimate",
    "fingerprint",
    "fingerprint_table",
    "headline",
    "headline_key",
    "hours_apart",
    "opening_keys",
    "published_span",
    "same_story",
    "sampled",
    "text_key",
    "told",
]

SHINGLE = 5  # words per shingle
BANDS, ROWS = 32, 4  # LSH: 32 bands of 4 rows; P(candidate) is 0.87 at Jaccard 0.5, 0.98 at 0.6
NUM_PERM = BANDS * ROWS
# Each fingerprint also keeps the SAMPLE smallest of its shingle hashes (all of them for a
# text of SAMPLE shingles or fewer), each flagged when the shingle first occurs in the text's
# opening (its first OPENING share of shingles): two samples tell how much of the shorter
# text is inside the longer, and how much of its opening, directly (the signature only gives
# the Jaccard, from which a containment estimate is poor when the sizes differ a lot). The
# opening is a third: a text 80 % inside another has at least 40 % of its first third
# inside, so asking for more than that says something the containment does not.
SAMPLE = 128
OPENING = 0.33
# The stored signature format. Signatures of another format cannot be compared with these
# (other hash functions, or no sample): Fingerprint.from_bytes returns None for them, and a
# base written before this format needs its fingerprints and band keys recomputed
# (rasid.store migrations). rfp2 had no sample; rfp3 adds it (the signature is unchanged);
# rfp4 has rfp3's bytes, and says that the stored LSH keys include the opening keys
# (OPENING_KEYS): a base of rfp3 fingerprints lacks them, and its migration recomputes both.
# rfp5 adds the vocabulary (below) and writes the lengths of its parts.
FORMAT = b"rfp5"
# The vocabulary (2026-11-26): the distinct content words (those not in
# rasid/arabic/data/function_words.txt) of a text's first VOCABULARY_WORDS words, as 16-bit
# hashes, each flagged when it occurs in the first OPENING_WORDS words. When two openings
# share few word pairs, it tells an outlet's rewrite of the lead (its opening is made of the
# other text's words: the same facts) from a later step of the story that reprints the
# earlier item below a new opening (which says what the earlier item did not). 16 bits: a
# word of the opening is wrongly found in a vocabulary of 100 words 0.15 % of the time; the
# vocabulary and its flags add about 220 bytes to a stored fingerprint (dev texts: 98 words).
VOCABULARY_WORDS = 200
OPENING_WORDS = 40

# The pair decision (bench/dedup.py measures it on hand-labelled pairs and sweeps these; they
# were chosen on its "dev" labels only): enough of the whole text shared, and the openings
# not unrelated. "Enough" is a Jaccard of 0.6, or the shorter text mostly inside the
# longer (a short rewrite of a long wire story), or — when both texts have 150 shingles or
# more — a lower Jaccard: two long texts do not share 45 % of their word 5-grams by chance, while
# short formulaic items ("the leadership congratulates the president of X", weather and
# market bulletins) share about 55 % with each other by construction. The opening test is
# what separates one story from another that only shares background paragraphs, and
# templated items from each other. With the samples (2026-11-25) the Jaccard is the mean of
# two estimates (a weather bulletin of another day no longer passes 0.6 by the signature's
# error alone) and the containment is read, not inferred: on dev, P 0.957 R 0.918 became
# P 0.965 R 0.946 (the short rewrites of longer texts the inferred containment missed).
# With 120 more dev labels (2026-11-26) a third route, near-identical openings, was chosen by
# cross-validation (bench/dedup.py --cv): a logistic regression over these same signals did
# worse there (recall 0.90 against 0.95 at precision 0.95), so the decision stays rules.
LEDE_WORDS = 50  # the opening compared: its first words, as word pairs
# Opening keys (2026-11-26): OPENING_KEYS more LSH keys per article, each a MinHash of
# OPENING_ROWS rows over the opening's word pairs (the LEDE_WORDS pairs above), so that the
# near-identical openings the ``strong_lede`` route joins at a low Jaccard of the whole are
# candidates: two openings of word-pair Jaccard J share a key with probability
# 1 - (1 - J^2)^2, 0.81 at 0.75 and 0.96 at 0.9 (the bands give 0.38 at a text Jaccard of
# 0.35). Single-row keys (1 - (1 - J)^2, 0.94 at 0.75) put every article whose opening holds
# a frequent word pair that hashes low into one bucket (up to 684 articles on SaudiNewsNet,
# against 34 for a band): 26 times the candidate pairs and half again the clustering time;
# two rows keep the largest bucket at 99 (bench/dedup.py --corpus, docs/store.md).
OPENING_KEYS, OPENING_ROWS = 2, 2


@dataclass(frozen=True, slots=True)
class Thresholds:
    jaccard: float = 0.6
    containment: float = 0.8  # read from the samples (Sampled.containment)
    contained_shingles: int = 20  # containment alone needs a shorter text at least this long
    # The samples are read only when the coarse containment implied by the Jaccard and the
    # sizes reaches ``coarse`` (the bulk clustering then reads them for few pairs), and are
    # trusted when at least ``checked`` hashes could be compared.
    coarse: float = 0.5
    checked: int = 8
    opening: float = 0.6  # the smaller text's opening inside the larger, for a containment join
    long_jaccard: float = 0.45
    long_shingles: int = 150
    lede: float = 0.1
    # Near-identical openings (word-pair Jaccard of at least ``strong_lede`` over the first
    # LEDE_WORDS words) let a Jaccard of ``strong_lede_jaccard`` through: an outlet that kept
    # the agency's opening and cut or rewrote the rest. Templated items share their formula
    # but name another country or leader in the opening (0.54–0.70 on the dev labels; two
    # weather bulletins of different days 0.72), and a follow-up has an opening of its own.
    # Chosen by cross-validation on dev (2026-11-26).
    strong_lede: float = 0.75
    strong_lede_jaccard: float = 0.35
    # The same headline (word Jaccard of at least ``title``: the same words up to a respelling,
    # each at least ``title_words`` words) lets a lower Jaccard through: wire reprints keep the
    # agency's headline while the outlet respells numbers and punctuation throughout, and
    # templated items differ in it. 0.8 also let through a next-day weather bulletin and a
    # preview of an event, whose headlines differ from the other's by one word (dev labels).
    title: float = 0.9
    title_words: int = 3
    title_jaccard: float = 0.3
    title_containment: float = 0.7
    # Two articles published more than ``apart_hours`` apart are one story only on the
    # text's own evidence: a Jaccard of ``jaccard``, or the smaller mostly inside the larger
    # with its opening. The lenient routes (long texts, near-identical openings, the same
    # headline) trade text overlap for a sign that holds for a same-day rewrite, and that
    # days later is what a templated item, a weekly bulletin under one headline or the next
    # step of an affair that reprints the first report also shows. Chosen on dev (2026-11-26):
    # 10 false joins became 6 and no join was lost (36 and 48 hours the same; 24 hours cost
    # 4 joins, SaudiNewsNet's papers run the agency's items the next day).
    apart_hours: float = 48.0
    # Openings that share less than ``told_lede`` of their word pairs: the pair is one story
    # on its text (the Jaccard, long-text and containment routes; not the headline's) only
    # when at least ``told`` of the content words of the larger text's opening are in the
    # smaller text's vocabulary (:func:`told`). ``told`` chosen by cross-validation on dev
    # (2026-11-26), ``told_lede`` on dev (0.2, 0.3 and 0.4 gave the same dev figures).
    told_lede: float = 0.2
    told: float = 0.35


DECISION = Thresholds()
# Texts with fewer shingles than this get no near-duplicate keys (too short to tell apart).
MIN_SHINGLES = 8
# Candidates examined per article (the most recent ones): a band key shared by thousands of
# templated items must not make one insert slow. The stores use the same cap.
MAX_CANDIDATES = 200
# Articles whose candidates cluster() gathers and screens at once (bounds its memory: at most
# this many times max_candidates pairs of signatures compared at a time).
_CLUSTER_BLOCK = 1024


def _constants(name: str, n: int) -> np.ndarray:
    """``n`` fixed pseudo-random odd 64-bit integers: the same on every machine and version
    (derived from a hash of ``name``, not from a random generator whose stream may change)."""
    data = hashlib.shake_128(f"rasid.dedup.{name}".encode()).digest(8 * n)
    return np.frombuffer(data, dtype="<u8").astype(np.uint64) | np.uint64(1)


# Shingle hash: a weighted sum of its word hashes (order matters), top 32 bits; band key: a
# weighted sum of the band's rows plus a per-band constant (equal rows in different bands
# never collide).
_WORD_WEIGHTS = _constants("shingle", SHINGLE)
_ROW_WEIGHTS = _constants("band-rows", ROWS)
_BAND_OFFSETS = _constants("band-offsets", BANDS)
_OPENING_MULTIPLIERS = _constants("opening-multipliers", OPENING_KEYS * OPENING_ROWS)
_OPENING_ADDENDS = _constants("opening-addends", OPENING_KEYS * OPENING_ROWS)
_OPENING_ROW_WEIGHTS = _constants("opening-rows", OPENING_ROWS)
_OPENING_OFFSETS = _constants("opening-offsets", OPENING_KEYS)
_SHIFT = np.uint64(32)
_EMPTY = np.zeros(0, dtype=np.uint32)


def text_key(text: str) -> str:
    """The exact-duplicate key: a hash of the normalized text (spelling, spacing and
    punctuation variants collapse; any change of words does not)."""
    return hashlib.sha1(normalize(text).encode("utf-8", "surrogatepass")).hexdigest()[:20]


# Word hashes are kept as packed little-endian 64-bit bytes: joining the bytes of a text's
# runs and reading them with one np.frombuffer is much faster than building an array from
# Python integers.
_base_hashes: dict[str, bytes] = {}
_run_hashes: dict[str, bytes] = {}
_CACHE_LIMIT = 500_000  # entries per cache (about 100 MB at most)


def _base_hash(base: str) -> bytes:
    value = _base_hashes.get(base)
    if value is None:
        if len(_base_hashes) >= _CACHE_LIMIT:
            _base_hashes.clear()
        data = base.encode("utf-8", "surrogatepass")
        value = _base_hashes[base] = hashlib.blake2b(data, digest_size=8).digest()
    return value


# Punctuation that is always a token of its own (never part of a word, a number or a
# Latin word such as «F-16» or «Putin's» at the edge of a run): stripping it off a run's
# edges leaves the same word tokens, and folds «الجيش،» and «(الجيش» into «الجيش».
_EDGE_PUNCTUATION = "،,.:؛;\"()«»!؟?'-[]{}/…“”"


def _run(run: str) -> bytes:
    """Hashes of the word bases (``Token.base`` of word tokens) of one whitespace-free run."""
    if len(_run_hashes) >= _CACHE_LIMIT:
        _run_hashes.clear()
    core = run.strip(_EDGE_PUNCTUATION)
    value = _run_hashes.get(core) if core != run else None
    if value is None:
        value = b"".join([_base_hash(t.base) for t in tokenize(core) if t.is_word])
        _run_hashes[core] = value
    _run_hashes[run] = value
    return value


def _word_bytes(text: str, bases: Sequence[str] | None = None) -> bytes:
    if bases is not None:
        return b"".join([_base_hash(b) for b in bases])
    runs = text.split()
    parts = list(map(_run_hashes.get, runs))
    if None in parts:  # runs never seen before: tokenize them once
        parts = [_run(run) if part is None else part for run, part in zip(runs, parts, strict=True)]
    return b"".join(parts)


def word_hashes(text: str, bases: Sequence[str] | None = None) -> np.ndarray:
    """64-bit hashes of the word bases of ``text`` in reading order (clitics off, punctuation
    dropped). ``bases`` (``Token.base`` of its words, when the caller has tokenized the text
    already) gives the same hashes."""
    return np.frombuffer(_word_bytes(text, bases), dtype="<u8").astype(np.uint64)


def _packed(flags: np.ndarray) -> bytes:
    """Flags as bits, padded to whole 32-bit words."""
    bits = np.packbits(flags.astype(bool))
    return np.concatenate([bits, np.zeros(-len(bits) % 4, dtype=np.uint8)]).tobytes()


@dataclass(slots=True)
class Fingerprint:
    """A MinHash signature (``NUM_PERM`` unsigned ints), the number of distinct shingles, the
    sorted hashes of the opening's word pairs (``lede``), the sample: the sorted smallest
    ``SAMPLE`` shingle hashes, with ``opening[i]`` true when ``sample[i]`` is a shingle of
    the text's opening, and the vocabulary: the sorted 16-bit hashes of its content ``words``
    (:data:`VOCABULARY_WORDS`), with ``word_opening[i]`` true when ``words[i]`` is in its
    first :data:`OPENING_WORDS` words."""

    signature: np.ndarray
    size: int
    lede: np.ndarray
    sample: np.ndarray
    opening: np.ndarray
    words: np.ndarray
    word_opening: np.ndarray

    def to_bytes(self) -> bytes:
        words = self.words.astype("<u2").tobytes()
        return b"".join(
            [
                FORMAT,
                np.array(
                    [len(self.sample), len(self.lede), len(self.words)], dtype="<u4"
                ).tobytes(),
                self.signature.astype("<u4").tobytes(),
                self.sample.astype("<u4").tobytes(),
                _packed(self.opening),
                self.lede.astype("<u4").tobytes(),
                words + bytes(-len(words) % 4),
                _packed(self.word_opening),
            ]
        )

    @classmethod
    def from_bytes(cls, data: bytes, size: int) -> Fingerprint | None:
        """The stored fingerprint, or None when it is of another :data:`FORMAT` (or cut)."""
        if not data.startswith(FORMAT) or (len(data) - len(FORMAT)) % 4:
            return None
        values = np.frombuffer(data, dtype="<u4", offset=len(FORMAT))
        if len(values) < 3 + NUM_PERM:
            return None
        n, n_lede, n_words = (int(v) for v in values[:3])
        parts = [NUM_PERM, n, (n + 31) // 32, n_lede, (n_words + 1) // 2, (n_words + 31) // 32]
        if n != min(size, SAMPLE) or len(values) != 3 + sum(parts):
            return None
        signature, sample, flags, lede, words, word_flags = np.split(
            values[3:], np.cumsum(parts)[:-1]
        )
        return cls(
            signature,
            size,
            lede,
            sample,
            np.unpackbits(flags.view(np.uint8), count=n).astype(bool),
            words.view("<u2")[:n_words],
            np.unpackbits(word_flags.view(np.uint8), count=n_words).astype(bool),
        )

    def hex(self) -> str:
        """A short printable form for the record's ``fingerprint`` field."""
        return hashlib.sha1(self.signature.astype("<u4").tobytes()).hexdigest()[:16]


def fingerprint(text: str, bases: Sequence[str] | None = None) -> Fingerprint | None:
    """The MinHash of ``text``, or None when it is too short to compare. ``bases`` (the
    ``Token.base`` of its words, when the caller has tokenized it already) saves a pass and
    gives the same fingerprint."""
    return _table([_word_bytes(text, bases)]).get(0)


def band_keys(fp: Fingerprint) -> list[int]:
    """One signed 64-bit key per LSH band."""
    return _band_matrix(fp.signature[None, :])[0].tolist()


def _band_matrix(signatures: np.ndarray) -> np.ndarray:
    rows = signatures.astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    keys = (rows * _ROW_WEIGHTS).sum(axis=2, dtype=np.uint64) + _BAND_OFFSETS
    return keys.view(np.int64)


def headline(title: str | None) -> np.ndarray:
    """The sorted distinct 32-bit hashes of a headline's word bases (empty without one): the
    second signal of :func:`same_story`, computed like the text's words."""
    if not title:
        return _EMPTY
    return np.unique((word_hashes(title) >> _SHIFT).astype(np.uint32))


def headline_key(words: np.ndarray) -> int | None:
    """One more LSH key, shared by articles whose headlines have the same words (a reprint
    changed throughout may share no band of its text), or None for a headline shorter than
    ``DECISION.title_words`` words."""
    if len(words) < DECISION.title_words:
        return None
    digest = hashlib.blake2b(words.astype("<u4").tobytes(), digest_size=8, person=b"rasid-title")
    return int.from_bytes(digest.digest(), "little", signed=True)


def opening_keys(fp: Fingerprint) -> list[int]:
    """:data:`OPENING_KEYS` more LSH keys, each a MinHash of :data:`OPENING_ROWS` rows over
    the opening's word pairs (``fp.lede``, what the decision's ``strong_lede`` reads), so that
    two articles with near-identical openings are candidates even when the rest differs."""
    if not len(fp.lede):
        return []
    return _opening_matrix(fp.lede, np.array([0, len(fp.lede)]))[0].tolist()


def _opening_matrix(lede: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The opening keys of many articles: ``lede[offsets[i]:offsets[i + 1]]`` is article
    ``i``'s (an article without word pairs gets zeros, for the caller to replace)."""
    n = len(offsets) - 1
    counts = np.diff(offsets)
    keys = np.zeros((n, OPENING_KEYS), dtype=np.uint64)
    has = counts > 0
    if not has.any() or not OPENING_KEYS:
        return keys.view(np.int64)
    # One universal hash per row (multiply-add, top 32 bits) of each pair hash, and the
    # minimum of each article's run. One row at a time, in one reused buffer: all rows at once
    # take a (pairs, OPENING_KEYS * OPENING_ROWS) uint64 array and its shifted copy, about
    # 1.5 GB each at a million articles.
    starts = offsets[:-1][has]
    pairs = lede.astype(np.uint64)
    values = np.empty_like(pairs)
    sums = np.zeros((len(starts), OPENING_KEYS), dtype=np.uint64)
    for column in range(OPENING_KEYS * OPENING_ROWS):
        key, row = divmod(column, OPENING_ROWS)
        np.multiply(pairs, _OPENING_MULTIPLIERS[column], out=values)
        np.add(values, _OPENING_ADDENDS[column], out=values)
        np.right_shift(values, _SHIFT, out=values)
        sums[:, key] += np.minimum.reduceat(values, starts) * _OPENING_ROW_WEIGHTS[row]
    keys[has] = sums + _OPENING_OFFSETS
    return keys.view(np.int64)


def article_keys(fp: Fingerprint, words: np.ndarray) -> list[int]:
    """An article's LSH keys, as the stores keep them: the bands of its signature, the keys of
    its opening (:func:`opening_keys`), and the key of its headline's ``words``
    (:func:`headline`) when it has one."""
    keys = [*band_keys(fp), *opening_keys(fp)]
    key = headline_key(words)
    return keys if key is None else [*keys, key]


def _same_headline(a: np.ndarray, b: np.ndarray, t: Thresholds) -> bool:
    return min(len(a), len(b)) >= t.title_words and _lede_jaccard(a, b) >= t.title


def _found(sorted_values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each of ``wanted``, whether it is among ``sorted_values`` (sorted ascending)."""
    if not len(sorted_values):
        return np.zeros(len(wanted), dtype=bool)
    at = np.searchsorted(sorted_values, wanted).clip(max=len(sorted_values) - 1)
    return sorted_values[at] == wanted


def _lede_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    # both sorted and distinct: look each of a up in b
    shared = int(np.count_nonzero(_found(b, a)))
    union = len(a) + len(b) - shared
    return shared / union if union else 0.0


def _containment(jaccard: Any, size_a: Any, size_b: Any) -> Any:
    """The containment of the smaller set in the larger implied by their Jaccard and sizes
    (|A∩B| = J(|A|+|B|)/(1+J)), for numbers or numpy arrays: coarse when the sizes differ
    a lot, since a small error of J is then multiplied by the ratio of the sizes."""
    inter = jaccard * (size_a + size_b) / (1.0 + jaccard)
    if isinstance(inter, float):  # one pair (the stores): the same arithmetic, without numpy
        return min(1.0, inter / max(1, min(size_a, size_b)))
    return np.minimum(1.0, inter / np.maximum(1, np.minimum(size_a, size_b)))


def _comparable(a: Fingerprint, b: Fingerprint) -> tuple[np.ndarray, np.ndarray]:
    """The two samples up to the smaller of their cuts (the largest hash a sample vouches
    for: every shingle hash of its text up to it is in it), where they can be compared."""
    full_a, full_b = a.size <= len(a.sample), b.size <= len(b.sample)
    if full_a and full_b:
        return a.sample, b.sample
    if full_b or (not full_a and a.sample[-1] <= b.sample[-1]):
        return a.sample, b.sample[: np.searchsorted(b.sample, a.sample[-1], "right")]
    return a.sample[: np.searchsorted(a.sample, b.sample[-1], "right")], b.sample


@dataclass(frozen=True, slots=True)
class Sampled:
    """What two samples say about the smaller text (by shingles) of a pair: the share of its
    comparable hashes found in the larger (``containment``, of ``checked`` hashes) and the
    same for the hashes of its opening (``opening``, of ``opening_checked``)."""

    containment: float
    checked: int
    opening: float
    opening_checked: int


def sampled(a: Fingerprint, b: Fingerprint) -> Sampled:
    """Containment of the smaller of ``a`` and ``b`` (the first on a tie) in the other, from
    their samples: its hashes up to the smaller of the two samples' cuts are exactly the ones
    whose presence in the other can be read from the other's sample."""
    small, large = (a, b) if a.size <= b.size else (b, a)
    checked = _comparable(small, large)[0]
    if not len(checked) or not len(large.sample):
        return Sampled(0.0, 0, 0.0, 0)
    found = _found(large.sample, checked)
    opening = small.opening[: len(checked)]
    n_opening = int(np.count_nonzero(opening))
    return Sampled(
        float(np.count_nonzero(found)) / len(checked),
        len(checked),
        float(np.count_nonzero(found & opening)) / n_opening if n_opening else 0.0,
        n_opening,
    )


def _jaccard(a: Fingerprint, b: Fingerprint, signature_jaccard: float) -> float:
    """The Jaccard of two texts: the samples' value (the share of shared hashes among both
    samples' hashes up to the smaller cut) when both texts have at most SAMPLE shingles, since
    it is then exact; otherwise the mean of the signatures' estimate and the samples'. The two
    err independently enough that their mean errs about half as much as the signature alone
    (measured on the dev pairs)."""
    mine, theirs = _comparable(a, b)
    if not len(mine) or not len(theirs):
        return signature_jaccard
    shared = int(np.count_nonzero(_found(theirs, mine)))
    from_samples = shared / (len(mine) + len(theirs) - shared)
    if a.size <= len(a.sample) and b.size <= len(b.sample):
        return from_samples  # every shingle of both texts: exact
    return (signature_jaccard + from_samples) / 2


def estimate(a: Fingerprint, b: Fingerprint) -> tuple[float, float, float]:
    """(Jaccard, containment of the smaller in the larger read from the samples, the exact
    Jaccard of the openings' word pairs)."""
    jaccard = int(np.count_nonzero(a.signature == b.signature)) / NUM_PERM
    return _jaccard(a, b, jaccard), sampled(a, b).containment, _lede_jaccard(a.lede, b.lede)


def _worth_deciding(jaccard: Any, size_a: Any, size_b: Any, t: Thresholds) -> Any:
    """What :func:`same_story` needs before it looks further, for numbers or numpy arrays
    (the stores decide one pair at a time, :func:`cluster` many at once: the same test):
    enough Jaccard for one of its routes, or a coarse containment worth reading from the
    samples."""
    if isinstance(jaccard, float):  # one pair (the stores): the same test, without numpy
        small = min(size_a, size_b)
        return (
            jaccard >= min(t.jaccard, t.title_jaccard, t.strong_lede_jaccard)
            or (jaccard >= t.long_jaccard and small >= t.long_shingles)
            or (small >= t.contained_shingles and _containment(jaccard, size_a, size_b) >= t.coarse)
        )
    small = np.minimum(size_a, size_b)
    return (
        (jaccard >= min(t.jaccard, t.title_jaccard, t.strong_lede_jaccard))
        | ((jaccard >= t.long_jaccard) & (small >= t.long_shingles))
        | ((small >= t.contained_shingles) & (_containment(jaccard, size_a, size_b) >= t.coarse))
    )


_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?")


# Publication years a news date can have: a year outside is a misreading (a Hijri date read
# as Gregorian, «1445/09/10»), which must not set the articles centuries apart.
_NEWS_YEARS = range(1900, 2101)


def published_span(value: str | None) -> tuple[float, float] | None:
    """What a publication date says, as hours since 1970-01-01 UTC: the moment twice, or the
    first and last hour of the day, month or year a date without a time names (read as UTC,
    like a time without a zone). None when there is no readable date of a plausible year."""
    return _span(value) if isinstance(value, str) and value else None


@functools.lru_cache(maxsize=65536)
def _span(value: str) -> tuple[float, float] | None:
    iso = parse_published(value)
    if iso is None or not iso[:4].isdigit() or int(iso[:4]) not in _NEWS_YEARS:
        return None
    partial = _PARTIAL_DATE.fullmatch(iso)
    if partial is not None:  # a month or a year
        year, month = int(partial.group(1)), int(partial.group(2) or 0)
        start = datetime(year, month or 1, 1, tzinfo=UTC)
        after = month + 1 if month else 13
        end = datetime(year + (after > 12), (after - 1) % 12 + 1, 1, tzinfo=UTC)
        return start.timestamp() / 3600, end.timestamp() / 3600
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    hours = moment.timestamp() / 3600
    return (hours, hours + 24) if len(iso) == 10 else (hours, hours)


def hours_apart(a: str | None, b: str | None) -> float | None:
    """The least number of hours between two publication dates (0 when a date without a
    time could be the other's moment), or None when either is missing or unreadable."""
    return _between(published_span(a), published_span(b))


def _between(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float | None:
    if a is None or b is None:
        return None
    return max(0.0, max(a[0], b[0]) - min(a[1], b[1]))


def told(a: Fingerprint, b: Fingerprint) -> float:
    """The share of the content words of the larger text's opening (by shingles) that are in
    the smaller text's vocabulary: near 1 when an outlet rewrote the lead of the other's report
    (the same facts, in other word pairs), lower when the larger opens with what the smaller
    does not say (the next step of the story, another item). Two texts of one size: the
    higher of the two readings, so the order of the pair does not matter."""
    if a.size == b.size:
        return max(_told(a, b), _told(b, a))
    return _told(a, b) if a.size < b.size else _told(b, a)


def _told(small: Fingerprint, large: Fingerprint) -> float:
    """How much of ``large``'s opening is in ``small``'s vocabulary: 1.0 when the opening has
    no content words (nothing to tell)."""
    opening = large.words[large.word_opening]
    if not len(opening):
        return 1.0
    return float(np.count_nonzero(_found(small.words, opening))) / len(opening)


def same_story(
    a: Fingerprint,
    b: Fingerprint,
    thresholds: Thresholds = DECISION,
    headlines: tuple[np.ndarray, np.ndarray] | None = None,
    apart: float | None = None,
) -> bool:
    """The pair decision: near-duplicates of one story, or not. ``headlines`` (of a and b,
    :func:`headline`) are the second signal, when the caller has them; ``apart`` is the
    number of hours between their publications (:func:`hours_apart`), when both are known.

    One story when the openings overlap and the texts share enough: a Jaccard of
    ``jaccard``, or of ``long_jaccard`` for long texts, or of ``title_jaccard`` under the
    same headline; or the smaller text mostly inside the larger (``containment``, read from
    the samples) with its opening inside too (``opening``: a report that shares only a
    background paragraph with another has its own opening). The same headline with
    ``title_containment`` of the smaller inside needs no overlap of the openings (an outlet
    that rewrote the opening of a wire story but kept its headline). Near-identical
    openings (``strong_lede``) need only ``strong_lede_jaccard`` of the whole (an outlet that
    kept the agency's opening and cut or rewrote the rest). More than ``apart_hours`` apart,
    only the first route and the containment with the opening are taken. Openings that share
    few word pairs (``told_lede``) must be told in the same words (``told``: :func:`told`)
    for a join on the text alone."""
    t = thresholds
    coarse = int(np.count_nonzero(a.signature == b.signature)) / NUM_PERM
    size_a, size_b = int(a.size), int(b.size)
    if not _worth_deciding(coarse, size_a, size_b, t):
        return False
    jaccard = _jaccard(a, b, coarse)
    small = min(size_a, size_b)
    # the cheap tests first: most pairs that reach here are settled by the Jaccard
    lede_jaccard = _lede_jaccard(a.lede, b.lede)
    lede = lede_jaccard >= t.lede
    # the text alone joins openings that overlap only when they are alike, or told in the
    # same words
    text = lede and (lede_jaccard >= t.told_lede or told(a, b) >= t.told)
    if text and jaccard >= t.jaccard:
        return True
    lenient = apart is None or apart <= t.apart_hours
    if lenient and text and jaccard >= t.long_jaccard and small >= t.long_shingles:
        return True
    if lenient and lede_jaccard >= t.strong_lede and jaccard >= t.strong_lede_jaccard:
        return True
    same_title = lenient and headlines is not None and _same_headline(*headlines, t)
    if lede and same_title and jaccard >= t.title_jaccard:
        return True
    if small < t.contained_shingles or _containment(coarse, size_a, size_b) < t.coarse:
        return False
    inside = sampled(a, b)
    if inside.checked < t.checked:
        return False
    if same_title and inside.containment >= t.title_containment:
        return True
    # An opening too little of which can be compared (the larger text many times the smaller)
    # vouches for nothing: no join on containment without it.
    return (
        text
        and inside.containment >= t.containment
        and inside.opening_checked >= t.checked
        and inside.opening >= t.opening
    )


@dataclass(slots=True)
class FingerprintTable:
    """Fingerprints of many texts as columns: row ``i`` of ``signatures`` and ``sizes[i]``,
    ``lede[lede_offsets[i]:lede_offsets[i + 1]]``, ``samples`` / ``opening`` between
    ``sample_offsets[i]`` and ``sample_offsets[i + 1]``, and ``words`` / ``word_opening``
    between ``word_offsets[i]`` and ``word_offsets[i + 1]``; ``sizes[i] == 0`` when text ``i``
    has no fingerprint (too short). Compact and cheap to pass between processes."""

    signatures: np.ndarray
    sizes: np.ndarray
    lede: np.ndarray
    lede_offsets: np.ndarray
    samples: np.ndarray
    opening: np.ndarray
    sample_offsets: np.ndarray
    words: np.ndarray
    word_opening: np.ndarray
    word_offsets: np.ndarray

    def __len__(self) -> int:
        return len(self.sizes)

    def get(self, i: int) -> Fingerprint | None:
        if not self.sizes[i]:
            return None
        lede = self.lede[self.lede_offsets[i] : self.lede_offsets[i + 1]]
        start, end = self.sample_offsets[i], self.sample_offsets[i + 1]
        first, last = self.word_offsets[i], self.word_offsets[i + 1]
        return Fingerprint(
            self.signatures[i],
            int(self.sizes[i]),
            lede,
            self.samples[start:end],
            self.opening[start:end],
            self.words[first:last],
            self.word_opening[first:last],
        )

    @classmethod
    def concat(cls, tables: Sequence[FingerprintTable]) -> FingerprintTable:
        if not tables:
            return _table([])
        return cls(
            np.concatenate([t.signatures for t in tables]),
            np.concatenate([t.sizes for t in tables]),
            np.concatenate([t.lede for t in tables]),
            _joined_offsets([t.lede_offsets for t in tables]),
            np.concatenate([t.samples for t in tables]),
            np.concatenate([t.opening for t in tables]),
            _joined_offsets([t.sample_offsets for t in tables]),
            np.concatenate([t.words for t in tables]),
            np.concatenate([t.word_opening for t in tables]),
            _joined_offsets([t.word_offsets for t in tables]),
        )


def _joined_offsets(parts: Sequence[np.ndarray]) -> np.ndarray:
    offsets = [np.zeros(1, dtype=np.int64)]
    base = 0
    for part in parts:
        offsets.append(part[1:] + base)
        base += int(part[-1])
    return np.concatenate(offsets)


def _signatures(n: int) -> np.ndarray:
    return np.zeros((n, NUM_PERM), dtype=np.uint32)


@functools.cache
def _function_words() -> np.ndarray:
    """The word hashes of ``rasid/arabic/data/function_words.txt``, sorted."""
    text = resources.files("rasid.arabic").joinpath("data/function_words.txt").read_text("utf-8")
    listed = [line.strip() for line in text.splitlines() if line.strip()[:1] not in ("", "#")]
    return np.unique(word_hashes(" ".join(listed)))


def fingerprint_table(texts: Iterable[str], block: int = 64) -> FingerprintTable:
    """The fingerprints of many texts, each identical to :func:`fingerprint` of the text:
    the texts are shingled and MinHashed ``block`` at a time in one numpy pass."""
    tables, pending = [], []
    for text in texts:
        pending.append(_word_bytes(text))
        if len(pending) >= block:
            tables.append(_table(pending))
            pending = []
    if pending or not tables:
        tables.append(_table(pending))
    return tables[0] if len(tables) == 1 else FingerprintTable.concat(tables)


def _grams(
    words: np.ndarray, doc: np.ndarray, size: int, limit: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """32-bit hashes of the word ``size``-grams of concatenated documents (``doc[i]`` is the
    document of word ``i``; no gram crosses a boundary), the document of each and the index
    of its first word in the concatenation. With ``limit``, only grams starting before word
    ``limit[doc]`` of the concatenation."""
    n = len(words) - size + 1
    if n <= 0:
        return _EMPTY, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    total = words[:n] * _WORD_WEIGHTS[0]
    for j in range(1, size):
        total += words[j : j + n] * _WORD_WEIGHTS[j]
    valid = doc[:n] == doc[size - 1 :]
    if limit is not None:
        valid &= np.arange(n) < limit[doc[:n]]
    return (total[valid] >> _SHIFT).astype(np.uint32), doc[:n][valid], np.flatnonzero(valid)


def _distinct(
    hashes: np.ndarray, docs: np.ndarray, n: int, at: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct hashes of each document, sorted by document then hash, their number per
    document, and where each first occurs (its ``at``: grams are given in reading order, and
    a stable sort keeps the first of equal keys first)."""
    keys = (docs.astype(np.uint64) << _SHIFT) | hashes.astype(np.uint64)
    if at is None:
        keys, first = np.unique(keys), None
    else:
        keys, first = np.unique(keys, return_index=True)
    counts = np.bincount((keys >> _SHIFT).astype(np.int64), minlength=n)
    firsts = at[first] if at is not None and first is not None else np.zeros(0, dtype=np.int64)
    return (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32), counts, firsts


_BIN_SHIFT = 32 - 7  # NUM_PERM = 128 bins: the top 7 bits of a shingle hash pick its bin
_BORROWED = np.uint32(0x9E3779B1)  # odd: marks a value borrowed from a bin further on


def _one_permutation(shingles: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """MinHash signatures by one permutation hashing: each shingle hash falls in one of
    NUM_PERM bins (its top bits) and a bin keeps its smallest hash; an empty bin borrows the
    value of the next non-empty one (rotation densification), marked with the distance, so
    the share of equal bins still estimates Jaccard. One pass over the shingles instead of
    NUM_PERM hash functions per shingle. ``shingles`` are sorted by document then hash, so
    the first of each (document, bin) run is its minimum."""
    n = len(sizes)
    cell = np.repeat(np.arange(n) * NUM_PERM, sizes) + (shingles >> _BIN_SHIFT)
    first = np.ones(len(cell), dtype=bool)
    first[1:] = cell[1:] != cell[:-1]
    flat = np.zeros(n * NUM_PERM, dtype=np.uint32)
    flat[cell[first]] = shingles[first]
    filled = np.zeros(n * NUM_PERM, dtype=bool)
    filled[cell[first]] = True
    signatures, filled = flat.reshape(n, NUM_PERM), filled.reshape(n, NUM_PERM)
    # For each bin, the next filled bin at or after it (wrapping around): a reverse running
    # minimum over the row written twice.
    positions = np.arange(2 * NUM_PERM)
    ahead = np.where(np.concatenate([filled, filled], axis=1), positions, 2 * NUM_PERM)
    ahead = np.minimum.accumulate(ahead[:, ::-1], axis=1)[:, ::-1][:, :NUM_PERM]
    source = np.take_along_axis(signatures, ahead % NUM_PERM, axis=1)
    distance = (ahead - positions[:NUM_PERM]).astype(np.uint32)
    return np.where(filled, signatures, source + distance * _BORROWED)


def _table(word_bytes: list[bytes]) -> FingerprintTable:
    """Fingerprints of documents given as their packed word hashes, all in one pass."""
    n = len(word_bytes)
    counts = np.fromiter((len(b) // 8 for b in word_bytes), dtype=np.int64, count=n)
    words = np.frombuffer(b"".join(word_bytes), dtype="<u8").astype(np.uint64)
    doc = np.repeat(np.arange(n), counts)
    starts = np.cumsum(counts) - counts
    hashes, owners, at = _grams(words, doc, SHINGLE)
    shingles, sizes, first = _distinct(hashes, owners, n, at)
    keep = sizes >= MIN_SHINGLES
    signatures = _one_permutation(shingles, sizes)
    signatures[~keep] = 0
    # The sample: the first SAMPLE of each document's sorted shingles, flagged when the
    # shingle first occurs among the document's first OPENING share of shingles.
    owner = np.repeat(np.arange(n), sizes)
    rank = np.arange(len(shingles)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    grams = np.maximum(counts - SHINGLE + 1, 0)
    opening = (first - starts[owner]) < OPENING * grams[owner]
    chosen = (rank < SAMPLE) & keep[owner]
    sample_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.where(keep, np.minimum(sizes, SAMPLE), 0), out=sample_offsets[1:])
    # The opening: word pairs starting in the first LEDE_WORDS - 1 words.
    pairs, pair_owners, _ = _grams(words, doc, 2, starts + LEDE_WORDS - 1)
    lede, lede_counts, _ = _distinct(pairs, pair_owners, n)
    lede = lede[np.repeat(keep, lede_counts)]
    lede_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.where(keep, lede_counts, 0), out=lede_offsets[1:])
    # The vocabulary: the content words among the first VOCABULARY_WORDS words, flagged
    # when they first occur among the first OPENING_WORDS.
    position = np.arange(len(words)) - starts[doc]
    early = np.flatnonzero(position < VOCABULARY_WORDS)
    content = early[~_found(_function_words(), words[early])]
    short = (words[content] >> np.uint64(48)).astype(np.uint32)
    vocabulary, word_counts, word_first = _distinct(short, doc[content], n, position[content])
    vocabulary = vocabulary[np.repeat(keep, word_counts)].astype(np.uint16)
    word_opening = (word_first < OPENING_WORDS)[np.repeat(keep, word_counts)]
    word_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.where(keep, word_counts, 0), out=word_offsets[1:])
    sizes = np.where(keep, sizes, 0).astype(np.int32)
    return FingerprintTable(
        signatures, sizes, lede, lede_offsets, shingles[chosen], opening[chosen],
        sample_offsets, vocabulary, word_opening, word_offsets,
    )  # fmt: skip


@dataclass(slots=True)
class ClusterResult:
    """``story[i]``: the index of the first article of article ``i``'s story; and what it
    took (candidate pairs looked at, pairs that needed the full decision, joins)."""

    story: np.ndarray
    candidates: int
    decisions: int
    joins: int


def cluster(
    table: FingerprintTable,
    max_candidates: int = MAX_CANDIDATES,
    thresholds: Thresholds = DECISION,
    titles: Sequence[str | None] | None = None,
    published: Sequence[str | None] | None = None,
) -> ClusterResult:
    """Story clusters of a whole base, article by article in order, exactly as the stores
    build them incrementally: each article's candidates are the ``max_candidates`` most
    recent earlier articles that share an LSH key with it (a band, an opening key, or with
    ``titles`` the headline's key: :func:`article_keys`), and it joins the story of every
    candidate that :func:`same_story` accepts (merging those stories); ``titles`` are the
    articles' headlines, the decision's second signal, and ``published`` their publication
    dates (:func:`hours_apart`), as the stores have them."""
    n = len(table)
    parent = np.arange(n, dtype=np.int64)
    has = table.sizes > 0
    ids = np.flatnonzero(has)
    keys = _band_matrix(table.signatures[ids])
    if OPENING_KEYS:
        opening = _opening_matrix(table.lede, table.lede_offsets)[ids]
        # an article without word pairs gets keys of its own, as one without a headline
        bare = table.lede_offsets[ids + 1] == table.lede_offsets[ids]
        opening[bare] = np.arange(len(ids))[bare, None]
        keys = np.column_stack([keys, opening])
    heads: dict[int, np.ndarray] = {}
    if titles is not None:
        # the headline key as one more band; an article without one gets a key of its own
        heads = {i: headline(titles[i]) for i in ids.tolist()}
        extra = [headline_key(heads[i]) for i in ids.tolist()]
        own = [k if x is None else x for k, x in enumerate(extra)]
        keys = np.column_stack([keys, np.array(own, dtype=np.int64)])
    bands = keys.shape[1]
    # Per band: the fingerprinted articles sorted by (key, article), and for each article its
    # position there and the start of its key's run — its earlier bucket mates are the slice
    # between the two.
    order = np.empty((bands, len(ids)), dtype=np.int32)
    position = np.empty((bands, len(ids)), dtype=np.int32)
    run_start = np.empty((bands, len(ids)), dtype=np.int32)
    for band in range(bands):
        o = np.argsort(keys[:, band], kind="stable")
        sorted_keys = keys[o, band]
        new_run = np.ones(len(o), dtype=bool)
        new_run[1:] = sorted_keys[1:] != sorted_keys[:-1]
        starts = np.maximum.accumulate(np.where(new_run, np.arange(len(o)), 0))
        order[band] = ids[o]
        position[band, o] = np.arange(len(o))
        run_start[band, o] = starts
    # Article-major copies (one row of BANDS values per article) and the bands laid end to
    # end: an article's candidates are then gathered with a few numpy calls, not a loop.
    flat_order = order.ravel()
    band_base = (np.arange(bands, dtype=np.int64) * len(ids))[None, :]
    hi_all = position.T.astype(np.int64)
    lo_all = np.maximum(run_start.T.astype(np.int64), hi_all - max_candidates)
    del order, position, run_start, keys
    with_candidates = np.flatnonzero((hi_all > lo_all).any(axis=1))

    parent_list = parent.tolist()

    def find(x: int) -> int:
        root = x
        while parent_list[root] != root:
            root = parent_list[root]
        while parent_list[x] != root:  # path compression
            parent_list[x], x = root, parent_list[x]
        return root

    sig, sizes = table.signatures, table.sizes

    # each article's publication span, read when first needed (NaN: not read yet; inf: none)
    spans = np.full((n, 2), np.nan) if published is not None else None

    def apart(x: int, y: int) -> float | None:
        if spans is None or published is None:
            return None
        for i in (x, y):
            if np.isnan(spans[i, 0]):
                spans[i] = published_span(published[i]) or (np.inf, np.inf)
        if np.isinf(spans[x, 0]) or np.isinf(spans[y, 0]):
            return None
        return _between((spans[x, 0], spans[x, 1]), (spans[y, 0], spans[y, 1]))

    candidates_seen = decisions = joins = 0
    mine_fp, mine_id = None, -1
    # The candidates of a block of articles are gathered and screened at once (what each
    # article's candidates are does not depend on the stories built so far); only the pairs
    # worth deciding reach the loop, in the order the stores meet them.
    for block in range(0, len(with_candidates), _CLUSTER_BLOCK):
        rows = with_candidates[block : block + _CLUSTER_BLOCK]
        counts = (hi_all[rows] - lo_all[rows]).ravel()
        starts = (band_base + lo_all[rows]).ravel() - (np.cumsum(counts) - counts)
        at = np.arange(int(counts.sum())) + np.repeat(starts, counts)
        owner = np.repeat(ids[rows], (hi_all[rows] - lo_all[rows]).sum(axis=1))
        # each article's distinct candidates, the most recent first, at most max_candidates
        pair = np.unique(owner * n + (n - 1 - flat_order[at].astype(np.int64)))
        mine_all, others = pair // n, n - 1 - pair % n
        first = np.ones(len(pair), dtype=bool)
        first[1:] = mine_all[1:] != mine_all[:-1]
        group_start = np.maximum.accumulate(np.where(first, np.arange(len(pair)), 0))
        kept = np.arange(len(pair)) - group_start < max_candidates
        mine_all, others = mine_all[kept], others[kept]
        candidates_seen += len(others)
        jaccard = np.count_nonzero(sig[others] == sig[mine_all], axis=1) / NUM_PERM
        worth = _worth_deciding(jaccard, sizes[others], sizes[mine_all], thresholds)
        for me, other in zip(mine_all[worth].tolist(), others[worth].tolist(), strict=True):
            root, mine = find(other), find(me)
            if root == mine:  # already joined through another candidate
                continue
            decisions += 1
            if me != mine_id:
                mine_fp, mine_id = table.get(me), me
            other_fp = table.get(other)
            assert mine_fp is not None and other_fp is not None
            heads_pair = (heads[me], heads[other]) if titles is not None else None
            if same_story(mine_fp, other_fp, thresholds, heads_pair, apart(me, other)):
                # the earliest article stays the root, as the oldest story absorbs the others
                parent_list[max(root, mine)] = min(root, mine)
                joins += 1
    story = np.array([find(x) for x in range(n)], dtype=np.int64)
    return ClusterResult(story, candidates_seen, decisions, joins)
