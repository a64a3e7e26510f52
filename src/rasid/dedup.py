"""Duplicates and story clusters: what every store backend computes the same way.

The same wire story is republished by many outlets under new headlines with small edits.

* **Exact duplicates** share :func:`text_key`, the hash of the normalized text: the store keeps
  the article once and lists every source.
* **Near-duplicates** are found with MinHash (datasketch) over word shingles of the normalized
  text (clitics off, so «والقوات» and «القوات» count as one word). LSH banding turns each
  signature into :data:`BANDS` integer keys; articles sharing a key are *candidates*, and
  :func:`same_story` decides each candidate pair from the estimated Jaccard similarity and
  containment (a short rewrite of a longer wire story has a low Jaccard but most of its
  shingles inside the other). The store keeps the band keys in a table, so clustering is
  incremental and survives restarts: a new article only looks up its own keys.

Thresholds were chosen on a labelled sample of candidate pairs (``bench/dedup.py``); the
formulaic "the leadership congratulates the president of X" items are the hard negatives
that keep them high.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from rasid.arabic.normalize import normalize
from rasid.arabic.tokenize import tokenize

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "SHINGLE",
    "Fingerprint",
    "band_keys",
    "estimate",
    "fingerprint",
    "same_story",
    "shingles",
    "text_key",
]

SHINGLE = 5  # words per shingle
BANDS, ROWS = 32, 4  # LSH: 32 bands of 4 rows; P(candidate) is 0.87 at Jaccard 0.5, 0.98 at 0.6
NUM_PERM = BANDS * ROWS
SEED = 1

# The pair decision (bench/dedup.py measures it on hand-labelled pairs and sweeps these):
# enough of the whole text shared (Jaccard, or containment of the shorter text), and the
# openings not unrelated. The opening test is what separates one story from another that
# only shares background paragraphs, and templated items ("the leadership congratulates the
# president of X") from each other: their shared template keeps Jaccard near 0.5.
MIN_JACCARD = 0.6
MIN_CONTAINMENT = 0.75
MIN_CONTAINED_SHINGLES = 20  # containment alone needs a shorter text at least this long
LEDE_WORDS = 50  # the opening compared: its first words, as word pairs
MIN_LEDE_JACCARD = 0.1
# Texts with fewer shingles than this get no near-duplicate keys (too short to tell apart).
MIN_SHINGLES = 8

_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED)
_PERMUTATIONS, _SCHEME = _TEMPLATE.permutations, _TEMPLATE.scheme


def text_key(text: str) -> str:
    """The exact-duplicate key: a hash of the normalized text (spelling, spacing and
    punctuation variants collapse; any change of words does not)."""
    return hashlib.sha1(normalize(text).encode("utf-8")).hexdigest()[:20]


def _bases(text: str) -> list[str]:
    return [token.base for token in tokenize(text) if token.is_word]


def shingles(text: str, size: int = SHINGLE, bases: list[str] | None = None) -> set[bytes]:
    """Word ``size``-grams of the normalized text, clitics off, punctuation dropped."""
    if bases is None:
        bases = _bases(text)
    if len(bases) < size:
        return {" ".join(bases).encode("utf-8")} if bases else set()
    return {" ".join(bases[i : i + size]).encode("utf-8") for i in range(len(bases) - size + 1)}


def _crc(value: bytes) -> int:
    # crc32 is deterministic across processes (unlike hash()) and runs in C.
    return zlib.crc32(value)


@dataclass(slots=True)
class Fingerprint:
    """A MinHash signature (``NUM_PERM`` unsigned ints), the number of distinct shingles, and
    the sorted hashes of the opening's word pairs (``lede``)."""

    signature: np.ndarray
    size: int
    lede: np.ndarray

    def to_bytes(self) -> bytes:
        return self.signature.astype("<u4").tobytes() + self.lede.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, size: int) -> Fingerprint:
        values = np.frombuffer(data, dtype="<u4")
        return cls(values[:NUM_PERM], size, values[NUM_PERM:])

    def hex(self) -> str:
        """A short printable form for the record's ``fingerprint`` field."""
        return hashlib.sha1(self.signature.astype("<u4").tobytes()).hexdigest()[:16]


def fingerprint(text: str, bases: list[str] | None = None) -> Fingerprint | None:
    """The MinHash of ``text``, or None when it is too short to compare. ``bases`` (the
    ``Token.base`` of its words, when the caller has tokenized it already) saves a pass."""
    if bases is None:
        bases = _bases(text)
    grams = shingles(text, bases=bases)
    if len(grams) < MIN_SHINGLES:
        return None
    # Reusing the template's permutations skips regenerating them for every document.
    minhash = MinHash(
        num_perm=NUM_PERM, seed=SEED, hashfunc=_crc, permutations=_PERMUTATIONS, scheme=_SCHEME
    )
    minhash.update_batch(grams)
    lede = {_crc(g) for g in shingles(text, 2, bases=bases[:LEDE_WORDS])}
    return Fingerprint(
        np.asarray(minhash.hashvalues, dtype=np.uint32),
        len(grams),
        np.array(sorted(lede), dtype=np.uint32),
    )


def band_keys(fp: Fingerprint) -> list[int]:
    """One signed 64-bit key per LSH band (the band number is part of the key, so equal rows
    in different bands never collide)."""
    keys = []
    sig = fp.signature.astype("<u4")
    for band in range(BANDS):
        chunk = struct.pack("<B", band) + sig[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append(struct.unpack("<q", digest)[0])
    return keys


def estimate(a: Fingerprint, b: Fingerprint) -> tuple[float, float, float]:
    """(Jaccard, containment of the smaller in the larger) estimated from the signatures, and
    the exact Jaccard of the openings."""
    jaccard = float(np.mean(a.signature == b.signature))
    # |A∩B| = J(|A|+|B|)/(1+J)
    inter = jaccard * (a.size + b.size) / (1.0 + jaccard)
    containment = min(1.0, inter / max(1, min(a.size, b.size)))
    shared = len(np.intersect1d(a.lede, b.lede, assume_unique=True))
    union = len(a.lede) + len(b.lede) - shared
    return jaccard, containment, (shared / union if union else 0.0)


def same_story(
    a: Fingerprint,
    b: Fingerprint,
    *,
    min_jaccard: float = MIN_JACCARD,
    min_containment: float = MIN_CONTAINMENT,
    min_contained: int = MIN_CONTAINED_SHINGLES,
    min_lede: float = MIN_LEDE_JACCARD,
) -> bool:
    """The pair decision: near-duplicates of one story, or not."""
    jaccard, containment, lede = estimate(a, b)
    if lede < min_lede:
        return False
    if jaccard >= min_jaccard:
        return True
    return containment >= min_containment and min(a.size, b.size) >= min_contained
