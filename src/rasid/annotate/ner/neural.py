"""A character-aware BiLSTM tagger, run in numpy, whose label probabilities join the CRF's.

The CRF sees words through sparse string features; this network adds dense information: a
word vector learned from 18M words of news (``scripts/ner_clusters.py``), a character CNN
over the word's normalized form (so ``زيلينسكي`` looks like ``بوروشينكو`` even when neither
vector nor cluster knows it), embeddings of the word's three cluster ids, and the CRF's own
small categorical features (shape, article, word profile, trigger, nationality, person-name
and gazetteer membership). A one-layer BiLSTM reads the sentence and a softmax gives each
token a distribution over the CRF's BIO labels.

The weights (``rasid/models/ner_neural.npz``) are trained with torch by
``scripts/train_ner_neural.py``, which checks that this module's probabilities match
torch's before writing them. Tagging needs numpy only.

Speed: everything before the LSTM depends on the word alone, so a word's input projection
(both directions, ``x @ W_ih + b``) is computed once and cached; a sentence then costs a
lookup per token plus the recurrence, both directions stacked in one batched matmul per step.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from rasid.annotate.ner.features import MODELS, Featurizer, cluster_key
from rasid.arabic.tokenize import Token

NEURAL = MODELS / "ner_neural.npz"
# The CRF features the network reads (its own token's only: the LSTM supplies the context).
# Everything else (the word itself, affixes, bigrams) is left to the word vector and the CNN.
FEATURE_PREFIXES = (
    "sh=", "art", "noart", "p=", "pa=", "pp=", "po=", "pl=", "t=", "nat", "pn", "gw=",
    "gB=", "gI=", "-1gB=", "-1gI=", "c=none", "len=", "BOS", "EOS",
)  # fmt: skip
MAX_CHARS = 24  # a longer word's characters are cut (its ends carry the affixes: keep both)
# Words whose input projection is kept (about 2 KB each): news vocabulary is skewed enough
# that 50,000 keep the hit rate high, at about 100 MB (review, 2026-11-26: 300,000 reached
# 620 MB on a SaudiNewsNet-sized ingest).
_CACHE_LIMIT = 50_000
# Sentences run through the recurrence at once: a document's batch is cut here, so that the
# memory of a huge page grows with this, not with the page (review, 2026-11-26: 2.4 KB a
# token uncut).
MAX_BATCH = 128


def char_string(token: Token) -> str:
    """What the character CNN reads: the word with its proclitics marked off (``و|بوتين``),
    between boundary marks, cut in the middle when very long."""
    text = f"<{token.prefix}|{token.base}>" if token.prefix else f"<{token.norm}>"
    if len(text) > MAX_CHARS:
        half = MAX_CHARS // 2
        text = text[:half] + text[-half:]
    return text


def network_features(features: Sequence[str]) -> list[str]:
    """The subset of a token's CRF feature strings the network reads."""
    return [f for f in features if f.startswith(FEATURE_PREFIXES)]


class Vocabulary:
    """Maps tokens to the network's input ids; built by training, stored with the weights."""

    def __init__(self, words: Sequence[str], chars: str, features: Sequence[str]) -> None:
        # Id 0 means unknown (a zero word vector, an unknown character, no feature).
        self.words = {w: i + 1 for i, w in enumerate(words)}
        self.chars = {c: i + 2 for i, c in enumerate(chars)}  # 0 padding, 1 unknown
        self.features = {f: i + 1 for i, f in enumerate(features)}

    def word_ids(self, token: Token) -> tuple[int, int]:
        """The vector of the word as written (or its clitic-free form), and of its base."""
        table = self.words
        first = 0
        for form in (token.norm, token.base, "ال" + token.base):
            first = table.get(cluster_key(form), 0)
            if first:
                break
        return first, table.get(cluster_key(token.base), 0)

    def char_ids(self, token: Token) -> list[int]:
        return [self.chars.get(c, 1) for c in char_string(token)]

    def feature_ids(self, features: Sequence[str]) -> list[int]:
        table = self.features
        return [i for i in (table.get(f, 0) for f in network_features(features)) if i]


def cluster_ids(featurizer: Featurizer, token: Token) -> tuple[int, int, int]:
    """The word's three cluster ids, each +1 (0: the word has no cluster)."""
    ids = featurizer._cluster(token)
    if ids is None:
        return (0, 0, 0)
    return tuple(int(c) + 1 for c in ids[:3])  # type: ignore[return-value]


class Network:
    """The shipped network's weights and its numpy forward pass."""

    def __init__(self, path: Path = NEURAL, featurizer: Featurizer | None = None) -> None:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        f32 = np.float32

        def text_list(name: str) -> list[str]:
            raw = arrays[name].tobytes().decode("utf-8")
            return raw.split("\n") if raw else []

        self.labels = text_list("labels")
        self.vocabulary = Vocabulary(
            text_list("words"), "".join(text_list("chars")), text_list("features")
        )
        scale = arrays["vector_scale"].astype(f32)
        self.vectors = arrays["vectors"].astype(f32) * scale[:, None]
        self.char_embedding = arrays["char_embedding"].astype(f32)
        self.conv_weight = arrays["conv_weight"].astype(f32)  # (filters, char dim, width)
        self.conv_bias = arrays["conv_bias"].astype(f32)
        self.cluster_embeddings = [arrays[f"cluster{k}"].astype(f32) for k in range(3)]
        self.feature_embedding = arrays["feature_embedding"].astype(f32)
        # LSTM weights come in torch's layout (gates i, f, g, o). They are stored here as
        # (i, f, o, g) with the sigmoid gates' columns halved, so that one tanh per step
        # serves all four gates: sigmoid(x) = (tanh(x / 2) + 1) / 2.
        size = arrays["w_hh"].shape[2]
        order = np.r_[0 : 2 * size, 3 * size : 4 * size, 2 * size : 3 * size]
        half = np.r_[np.full(3 * size, 0.5), np.ones(size)].astype(f32)
        w_ih = arrays["w_ih"].astype(f32).transpose(0, 2, 1)[..., order] * half  # (2, D, 4H)
        w_hh = arrays["w_hh"].astype(f32).transpose(0, 2, 1)[..., order] * half  # (2, H, 4H)
        self.w_ih = w_ih
        self.b = arrays["b"].astype(f32)[:, order] * half  # (2, 4H): b_ih + b_hh
        self.w_hh = np.ascontiguousarray(w_hh)  # both directions in one batched matmul
        self.out_weight = arrays["out_weight"].astype(f32).T  # (2H, labels)
        self.out_bias = arrays["out_bias"].astype(f32)
        self.hidden = size
        self.featurizer = featurizer or Featurizer()
        # Input projection of each feature row, for the features that depend on the
        # sentence (gazetteer spans, sentence edges): added to the word's cached projection.
        offset = self.vectors.shape[1] * 2 + self.conv_weight.shape[0]
        offset += sum(e.shape[1] for e in self.cluster_embeddings)
        self._feature_projection = np.einsum(
            "fd,zdg->zfg",
            self.feature_embedding,
            self.w_ih[:, offset : offset + self.feature_embedding.shape[1]],
        )
        self._cache: dict[str, np.ndarray] = {}

    def _char_vector(self, ids: list[int]) -> np.ndarray:
        emb = self.char_embedding[ids]  # (n, c)
        width = self.conv_weight.shape[2]
        pad = width // 2
        padded = np.zeros((len(ids) + 2 * pad, emb.shape[1]), dtype=np.float32)
        padded[pad : pad + len(ids)] = emb
        windows = np.stack([padded[k : k + len(ids)] for k in range(width)], axis=2)  # (n,c,w)
        conv = np.einsum("ncw,fcw->nf", windows, self.conv_weight) + self.conv_bias
        return np.tanh(conv.max(axis=0))

    def _word(self, token: Token, own: Sequence[str]) -> np.ndarray:
        """A word's input projection for both directions, without the sentence features."""
        vocabulary = self.vocabulary
        first, base = vocabulary.word_ids(token)
        clusters = cluster_ids(self.featurizer, token)
        feature_ids = vocabulary.feature_ids(own)
        x = np.concatenate(
            [
                self.vectors[first],
                self.vectors[base],
                self._char_vector(vocabulary.char_ids(token)),
                *(table[c] for table, c in zip(self.cluster_embeddings, clusters, strict=True)),
                self.feature_embedding[feature_ids].sum(axis=0),
            ]
        )
        return np.einsum("d,zdg->zg", x, self.w_ih) + self.b

    def probabilities(
        self, tokens: Sequence[Token], features: Sequence[Sequence[str]] | None = None
    ) -> np.ndarray:
        """P(label | sentence) per token, rows in the order of ``labels``. ``features`` are
        the CRF's feature lists of the same tokens (computed here when not given)."""
        return self.probabilities_many([tokens], None if features is None else [features])[0]

    def probabilities_many(
        self,
        sentences: Sequence[Sequence[Token]],
        features: Sequence[Sequence[Sequence[str]]] | None = None,
    ) -> list[np.ndarray]:
        """``probabilities`` of several sentences (one document), run in batches of
        sentences of similar length: a batch's recurrence costs one step per token of its
        longest sentence, not of all of them."""
        if features is None:
            features = [self.featurizer.sequence(tokens) for tokens in sentences]
        out = [np.zeros((0, len(self.labels)), dtype=np.float32)] * len(sentences)
        order = sorted(
            (k for k, tokens in enumerate(sentences) if tokens), key=lambda k: -len(sentences[k])
        )
        while order:
            # The longest sentence left and those at least half its length: padding stays
            # under half of each batch.
            longest = len(sentences[order[0]])
            size = 1
            while size < min(len(order), MAX_BATCH) and 2 * len(sentences[order[size]]) >= longest:
                size += 1
            batch, order = order[:size], order[size:]
            results = self._batch([sentences[k] for k in batch], [features[k] for k in batch])
            for k, result in zip(batch, results, strict=True):
                out[k] = result
        return out

    def _batch(
        self, sentences: list[Sequence[Token]], features: list[Sequence[Sequence[str]]]
    ) -> list[np.ndarray]:
        lengths = [len(tokens) for tokens in sentences]
        # (step, direction, sentence, 4H); direction 1 reads each sentence backwards, so its
        # inputs are reversed within the sentence. Padding comes after every sentence's end,
        # where it cannot reach the states that are read.
        inputs = np.zeros((max(lengths), 2, len(sentences), self.b.shape[1]), dtype=np.float32)
        for k, (tokens, feats) in enumerate(zip(sentences, features, strict=True)):
            projections = self._inputs(tokens, feats)
            inputs[: len(tokens), 0, k] = projections[:, 0]
            inputs[: len(tokens), 1, k] = projections[::-1, 1]
        hidden = self._recur(inputs)  # (step, direction, sentence, H)
        out = []
        for k, n in enumerate(lengths):
            both = np.concatenate([hidden[:n, 0, k], hidden[n - 1 :: -1, 1, k]], axis=1)
            logits = both @ self.out_weight + self.out_bias
            logits -= logits.max(axis=1, keepdims=True)
            exp = np.exp(logits)
            out.append(exp / exp.sum(axis=1, keepdims=True))
        return out

    def _inputs(self, tokens: Sequence[Token], features: Sequence[Sequence[str]]) -> np.ndarray:
        """Each token's input projection, (n, 2, 4H): the word's cached part plus the
        sentence features."""
        cache = self._cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        table = self.vocabulary.features
        rows = []
        extra: list[tuple[int, int]] = []  # (token, feature id) of the sentence features
        for i, (token, feats) in enumerate(zip(tokens, features, strict=True)):
            projection = cache.get(token.text)
            if projection is None:
                own = [f for f in network_features(feats) if not f.startswith(_SENTENCE)]
                projection = cache[token.text] = self._word(token, own)
            rows.append(projection)
            # Gazetteer spans depend on the sentence; Featurizer.sequence appends them last.
            for f in feats[-2:]:
                if f.startswith(_GAZETTEER) and f in table:
                    extra.append((i, table[f]))
        inputs = np.stack(rows)
        for i, name in ((0, "BOS"), (len(tokens) - 1, "EOS")):
            if name in table:
                extra.append((i, table[name]))
        for i, k in extra:
            inputs[i] += self._feature_projection[:, k]
        return inputs

    def _recur(self, inputs: np.ndarray) -> np.ndarray:
        """Both directions' LSTM over (steps, 2, batch, 4H) input projections → (steps, 2,
        batch, H) hidden states. In-place operations on views: the cost of a step is mostly
        numpy's call overhead, whatever the batch."""
        size = self.hidden
        steps, _, batch, _ = inputs.shape
        w_hh = self.w_hh
        out = np.empty((steps, 2, batch, size), dtype=np.float32)
        c = np.zeros((2, batch, size), dtype=np.float32)
        tanh_c = np.empty((2, batch, size), dtype=np.float32)
        gates = np.empty((2, batch, 4 * size), dtype=np.float32)
        sigmoids = gates[..., : 3 * size]
        i, f = gates[..., :size], gates[..., size : 2 * size]
        o, g = gates[..., 2 * size : 3 * size], gates[..., 3 * size :]
        h = np.zeros((2, batch, size), dtype=np.float32)
        for t in range(steps):
            np.matmul(h, w_hh, out=gates)
            gates += inputs[t]
            np.tanh(gates, out=gates)
            sigmoids *= 0.5  # the halved columns: sigmoid = (tanh + 1) / 2
            sigmoids += 0.5
            c *= f
            i *= g
            c += i
            np.tanh(c, out=tanh_c)
            h = out[t]
            np.multiply(o, tanh_c, out=h)
        return out


_GAZETTEER = ("gB=", "gI=", "-1gB=", "-1gI=")
_SENTENCE = (*_GAZETTEER, "BOS", "EOS")


@cache
def network() -> Network | None:
    """The shipped network, loaded once per process; None when its file is missing or
    unreadable (a truncated download, a Git LFS pointer): the tagger is then the CRF alone,
    and a warning says why."""
    if not NEURAL.exists():
        return None
    try:
        return Network(NEURAL)
    except (OSError, ValueError, KeyError, EOFError) as error:
        warnings.warn(f"{NEURAL}: unreadable ({error}); tagging with the CRF alone", stacklevel=2)
        return None
