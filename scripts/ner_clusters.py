"""Word clusters for the NER model, learned from the unlabeled news corpora in ``../shared``.

ANERcorp has 125k training words; the corpora have tens of millions. Words that appear in the
same contexts (two spellings of a Ukrainian town, two first names) land in the same cluster,
so the CRF can generalise from a name it saw in training to one it never saw. Steps:

1. ``corpus``: stream every article of the corpora through ``rasid.ingest.read`` and write one
   line of normalized words per paragraph (``build/ner/corpus.txt``; never committed).
2. ``clusters``: word2vec (gensim, CBOW, one worker and a fixed seed, so the run is
   reproducible) over that file, then k-means in numpy at three granularities over the most
   frequent words; writes ``src/rasid/models/ner_clusters.tsv.gz`` (word, three cluster ids).
3. ``profiles``: how each word behaves in running text (``ner_profiles.tsv.gz``).

Run through ``make train-ner`` (see ``scripts/train_ner.py``).
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
WORK = REPO / "build" / "ner"
CORPORA = [
    SHARED / "corpora" / "saudinewsnet" / "dataset",
    SHARED / "corpora" / "ant_multisource_v2.1",
    SHARED / "corpora" / "ant_v1.1_jawharafm",
]
ANERCORP = SHARED / "ner" / "anercorp"
CLUSTERS_OUT = REPO / "src" / "rasid" / "models" / "ner_clusters.tsv.gz"
PROFILES_OUT = REPO / "src" / "rasid" / "models" / "ner_profiles.tsv.gz"
# The CBOW vectors the clusters come from, kept for the neural tagger's training
# (scripts/train_ner_neural.py); large, never committed.
VECTORS_OUT = WORK / "vectors.npz"
PROFILE_VOCAB = 150_000
PROFILE_MIN_COUNT = 5

SEED = 13
VOCAB = 120_000  # words kept in the table (most frequent first)
GRANULARITIES = (64, 320, 1600)  # clusters per level: coarse to fine
_DIGITS = re.compile(r"\d")


def cluster_key(norm: str) -> str:
    """The form a word is looked up under: normalized, every digit written 0."""
    return _DIGITS.sub("0", norm)


def write_corpus(out: Path) -> int:
    from rasid.arabic.tokenize import words
    from rasid.ingest import read

    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8") as sink:
        # ANERcorp's own words first (train and test text, no labels) so every word of the
        # labelled corpus has a vector: this is unlabeled use of the text, as in any
        # semi-supervised NER setup.
        for name in ("ANERCorp_camelstyle_train.txt", "ANERCorp_camelstyle_test.txt"):
            line: list[str] = []
            for row in (ANERCORP / name).read_text(encoding="utf-8").splitlines():
                if not row.strip():
                    if line:
                        sink.write(" ".join(line) + "\n")
                        count += len(line)
                    line = []
                    continue
                line.extend(cluster_key(w) for w in words(row.rsplit(" ", 1)[0]))
            if line:
                sink.write(" ".join(line) + "\n")
        existing = [str(p) for p in CORPORA if p.exists()]
        for n, page in enumerate(read(existing)):
            for paragraph in page.body.split("\n"):
                tokens = [cluster_key(w) for w in words(paragraph)]
                if len(tokens) >= 3:
                    sink.write(" ".join(tokens) + "\n")
                    count += len(tokens)
            if n % 5000 == 0:
                print(f"  {n} documents, {count:,} words", file=sys.stderr)
    return count


def kmeans(vectors: np.ndarray, k: int, seed: int, iterations: int = 25) -> np.ndarray:
    """Spherical k-means (cosine) with k-means++-style seeding from a fixed generator."""
    rng = np.random.default_rng(seed)
    n = len(vectors)
    # Seed from the frequent words: they are the best estimated vectors.
    centers = vectors[rng.choice(min(n, k * 20), size=k, replace=False)].copy()
    labels = np.zeros(n, dtype=np.int32)
    for _ in range(iterations):
        for lo in range(0, n, 20_000):
            labels[lo : lo + 20_000] = np.argmax(vectors[lo : lo + 20_000] @ centers.T, axis=1)
        sums = np.zeros_like(centers)
        np.add.at(sums, labels, vectors)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        empty = norms[:, 0] == 0
        sums[empty] = vectors[rng.choice(n, size=int(empty.sum()), replace=False)]
        norms[empty] = 1.0
        centers = sums / norms
    return labels


def _embed(corpus: Path, skipgram: bool) -> tuple[list[str], np.ndarray]:
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence

    model = Word2Vec(
        LineSentence(str(corpus)),
        vector_size=100,
        window=5,
        min_count=5,
        sg=int(skipgram),
        negative=5,
        epochs=5,
        workers=1,  # one worker: the only way gensim's training is exactly reproducible
        seed=SEED,
    )
    words = model.wv.index_to_key[:VOCAB]
    vectors = np.asarray(model.wv[words], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-8
    return words, vectors


def save_vectors(words: list[str], vectors: np.ndarray, out: Path) -> None:
    """The unit-length CBOW vectors of the ``VOCAB`` most frequent words, most frequent first."""
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, words=np.array(words), vectors=vectors)
    print(f"wrote {len(words):,} word vectors x {vectors.shape[1]} to {out}")


def train_clusters(corpus: Path, out: Path) -> None:
    """CBOW embeddings clustered at three granularities; a word's cluster ids are one line.
    The embeddings are saved too (``VECTORS_OUT``)."""
    words, vectors = _embed(corpus, skipgram=False)
    save_vectors(words, vectors, VECTORS_OUT)
    levels = [kmeans(vectors, k, SEED + i) for i, k in enumerate(GRANULARITIES)]
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as sink:
        for i, word in enumerate(words):
            sink.write(word + "\t" + "\t".join(str(level[i]) for level in levels) + "\n")
    print(f"wrote {len(words):,} words x {len(levels)} cluster levels to {out}")


def _bucket(part: int, total: int) -> str:
    """A coarse share: 0, <2%, <10%, <30%, >=30% (shares of rare words are noisy)."""
    if part == 0:
        return "0"
    share = part / total
    return "1" if share < 0.02 else "2" if share < 0.10 else "3" if share < 0.30 else "4"


def train_profiles(corpus: Path, out: Path) -> None:
    """How each word (clitic-free base) behaves in running news text: how often it takes the
    article (names rarely do) and how often a person title, an organisation head or a place
    head stands right before it. A distant-supervision signal the 125k labelled words of
    ANERcorp cannot give for names they never saw."""
    from collections import Counter

    from rasid.annotate.ner.lexicon import triggers
    from rasid.arabic.tokenize import split_clitics

    kinds = triggers()
    split_cache: dict[str, tuple[str, str]] = {}
    total: Counter = Counter()
    article: Counter = Counter()
    after = {kind: Counter() for kind in ("per_title", "org_head", "loc_head")}
    with corpus.open(encoding="utf-8") as source:
        for line in source:
            previous = None
            for word in line.split():
                parts = split_cache.get(word)
                if parts is None:
                    parts = split_cache[word] = split_clitics(word)
                prefix, base = parts
                total[base] += 1
                if prefix.endswith(("ال", "لل")):
                    article[base] += 1
                if previous is not None:
                    kind = kinds.get(previous) or kinds.get(split_cache[previous][1])
                    if kind in after:
                        after[kind][base] += 1
                previous = word
    out.parent.mkdir(parents=True, exist_ok=True)
    kept = 0
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as sink:
        for base, count in total.most_common(PROFILE_VOCAB):
            if count < PROFILE_MIN_COUNT:
                break
            cells = [_bucket(article[base], count)]
            cells += [_bucket(after[kind][base], count) for kind in after]
            sink.write(base + "\t" + "".join(cells) + "\n")
            kept += 1
    print(f"wrote {kept:,} word profiles to {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["corpus", "clusters", "vectors", "profiles", "all"])
    args = parser.parse_args()
    corpus = WORK / "corpus.txt"
    if args.step in ("corpus", "all"):
        print(f"wrote {write_corpus(corpus):,} words to {corpus}")
    if args.step in ("clusters", "all"):
        train_clusters(corpus, CLUSTERS_OUT)
    if args.step == "vectors":  # the embeddings alone, without rewriting the clusters
        save_vectors(*_embed(corpus, skipgram=False), VECTORS_OUT)
    if args.step in ("profiles", "all"):
        train_profiles(corpus, PROFILES_OUT)


if __name__ == "__main__":
    main()
