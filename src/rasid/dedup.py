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

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

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
    "ROWS",
    "SAMPLE",
    "SHINGLE",
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
    "opening_keys",
    "same_story",
    "sampled",
    "text_key",
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
FORMAT = b"rfp4"

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


@dataclass(slots=True)
class Fingerprint:
    """A MinHash signature (``NUM_PERM`` unsigned ints), the number of distinct shingles, the
    sorted hashes of the opening's word pairs (``lede``), and the sample: the sorted smallest
    ``SAMPLE`` shingle hashes, with ``opening[i]`` true when ``sample[i]`` is a shingle of
    the text's opening."""

    signature: np.ndarray
    size: int
    lede: np.ndarray
    sample: np.ndarray
    opening: np.ndarray

    def to_bytes(self) -> bytes:
        flags = np.packbits(self.opening.astype(bool))
        flags = np.concatenate([flags, np.zeros(-len(flags) % 4, dtype=np.uint8)])
        return b"".join(
            [
                FORMAT,
                np.array([len(self.sample)], dtype="<u4").tobytes(),
                self.signature.astype("<u4").tobytes(),
                self.sample.astype("<u4").tobytes(),
                flags.tobytes(),
                self.lede.astype("<u4").tobytes(),
            ]
        )

    @classmethod
    def from_bytes(cls, data: bytes, size: int) -> Fingerprint | None:
        """The stored fingerprint, or None when it is of another :data:`FORMAT` (or cut)."""
        if not data.startswith(FORMAT) or (len(data) - len(FORMAT)) % 4:
            return None
        values = np.frombuffer(data, dtype="<u4", offset=len(FORMAT))
        if len(values) < 1 + NUM_PERM:
            return None
        n = int(values[0])
        flag_words = (n + 31) // 32
        if n != min(size, SAMPLE) or len(values) < 1 + NUM_PERM + n + flag_words:
            return None
        at = 1 + NUM_PERM
        flags = values[at + n : at + n + flag_words].view(np.uint8)
        return cls(
            values[1:at],
            size,
            values[at + n + flag_words :],
            values[at : at + n],
            np.unpackbits(flags, count=n).astype(bool),
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


def _lede_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    # both sorted and distinct: look each of a up in b
    shared = (
        int(np.count_nonzero(b[np.searchsorted(b, a).clip(max=len(b) - 1)] == a)) if len(b) else 0
    )
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
    found = large.sample[np.searchsorted(large.sample, checked).clip(max=len(large.sample) - 1)]
    found = found == checked
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
    shared = int(
        np.count_nonzero(theirs[np.searchsorted(theirs, mine).clip(max=len(theirs) - 1)] == mine)
    )
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


def same_story(
    a: Fingerprint,
    b: Fingerprint,
    thresholds: Thresholds = DECISION,
    headlines: tuple[np.ndarray, np.ndarray] | None = None,
) -> bool:
    """The pair decision: near-duplicates of one story, or not. ``headlines`` (of a and b,
    :func:`headline`) are the second signal, when the caller has them.

    One story when the openings overlap and the texts share enough: a Jaccard of
    ``jaccard``, or of ``long_jaccard`` for long texts, or of ``title_jaccard`` under the
    same headline; or the smaller text mostly inside the larger (``containment``, read from
    the samples) with its opening inside too (``opening``: a report that shares only a
    background paragraph with another has its own opening). The same headline with
    ``title_containment`` of the smaller inside needs no overlap of the openings (an outlet
    that rewrote the opening of a wire story but kept its headline). Near-identical
    openings (``strong_lede``) need only ``strong_lede_jaccard`` of the whole (an outlet that
    kept the agency's opening and cut or rewrote the rest)."""
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
    if lede and (jaccard >= t.jaccard or (jaccard >= t.long_jaccard and small >= t.long_shingles)):
        return True
    if lede_jaccard >= t.strong_lede and jaccard >= t.strong_lede_jaccard:
        return True
    same_title = headlines is not None and _same_headline(*headlines, t)
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
        lede
        and inside.containment >= t.containment
        and inside.opening_checked >= t.checked
        and inside.opening >= t.opening
    )


@dataclass(slots=True)
class FingerprintTable:
    """Fingerprints of many texts as columns: row ``i`` of ``signatures`` and ``sizes[i]``,
    ``lede[lede_offsets[i]:lede_offsets[i + 1]]``, and ``samples`` / ``opening`` between
    ``sample_offsets[i]`` and ``sample_offsets[i + 1]``; ``sizes[i] == 0`` when text ``i`` has
    no fingerprint (too short). Compact and cheap to pass between processes."""

    signatures: np.ndarray
    sizes: np.ndarray
    lede: np.ndarray
    lede_offsets: np.ndarray
    samples: np.ndarray
    opening: np.ndarray
    sample_offsets: np.ndarray

    def __len__(self) -> int:
        return len(self.sizes)

    def get(self, i: int) -> Fingerprint | None:
        if not self.sizes[i]:
            return None
        lede = self.lede[self.lede_offsets[i] : self.lede_offsets[i + 1]]
        start, end = self.sample_offsets[i], self.sample_offsets[i + 1]
        return Fingerprint(
            self.signatures[i],
            int(self.sizes[i]),
            lede,
            self.samples[start:end],
            self.opening[start:end],
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
    sizes = np.where(keep, sizes, 0).astype(np.int32)
    return FingerprintTable(
        signatures, sizes, lede, lede_offsets, shingles[chosen], opening[chosen], sample_offsets
    )


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
) -> ClusterResult:
    """Story clusters of a whole base, article by article in order, exactly as the stores
    build them incrementally: each article's candidates are the ``max_candidates`` most
    recent earlier articles that share an LSH key with it (a band, an opening key, or with
    ``titles`` the headline's key: :func:`article_keys`), and it joins the story of every
    candidate that :func:`same_story` accepts (merging those stories); ``titles`` are the
    articles' headlines, the decision's second signal, as the stores have them."""
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
            if same_story(mine_fp, other_fp, thresholds, heads_pair):
                # the earliest article stays the root, as the oldest story absorbs the others
                parent_list[max(root, mine)] = min(root, mine)
                joins += 1
    story = np.array([find(x) for x in range(n)], dtype=np.int64)
    return ClusterResult(story, candidates_seen, decisions, joins)
