"""The trained sequence model: a linear-chain CRF (python-crfsuite) over ``features``.

The model file ``rasid/models/ner.crfsuite`` is built by ``make train-ner``
(``scripts/train_ner.py``) from ANERcorp and the word clusters; ``ner.json`` holds the
decoding biases, tuned by 5-fold cross-validation over the ANERcorp training part (empty when
they do not beat plain Viterbi there). Tagging needs only python-crfsuite, no deep-learning
runtime.

Decoding. The CRF's most likely sequence (Viterbi) is precise but misses names: a rare name
whose best label is O by a small margin is lost. With biases set, ``Tagger.tag`` instead
reads each token's label marginals, adds a per-type bias to the log-probability of the
entity labels, and takes the best valid BIO sequence over these scores (an ``I-X`` only
after ``B-X`` or ``I-X``).

With the neural tagger (``neural.py``, ``ner_neural.npz``) shipped and ``ner.json``'s
``neural`` weight w above 0, each token's score is the weighted geometric mean of the two
models' label probabilities, ``(1 − w)·log P_crf + w·log P_net``, decoded the same way. Without
the network file the tagger is the CRF alone.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np

from rasid.annotate.ner import neural
from rasid.annotate.ner.features import MODELS, Featurizer
from rasid.annotate.ner.neural import MAX_BATCH, Network
from rasid.arabic.tokenize import Token

MODEL = MODELS / "ner.crfsuite"
SETTINGS = MODELS / "ner.json"
# Marginals are clipped before the log: crfsuite can return exact zeros.
_FLOOR = 1e-12


@cache
def settings() -> dict:
    """``ner.json``: decoding biases and the network's weight (empty without the file)."""
    if not SETTINGS.exists():
        return {}
    return dict(json.loads(SETTINGS.read_text(encoding="utf-8")))


def biases() -> dict[str, float]:
    """The shipped per-type decoding biases (``ner.json``); none (plain Viterbi) without it."""
    return dict(settings().get("bias", {}))


def neural_weight() -> float:
    """The shipped weight of the network in the combination (0: the CRF alone)."""
    return float(settings().get("neural", 0.0))


class Tagger:
    """BIO labels (B-PER, I-LOC, …, O) for token sequences."""

    def __init__(
        self,
        path: Path = MODEL,
        bias: Mapping[str, float] | None = None,
        weight: float | None = None,
        network: Network | None = None,
    ) -> None:
        """``bias`` and ``weight`` default to the shipped settings; ``network`` to the
        shipped network when the weight is above 0 (None when its file is missing)."""
        import pycrfsuite

        self.featurizer = Featurizer()
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self.labels: list[str] = list(self._tagger.labels())
        self.bias = dict(biases() if bias is None else bias)
        self.weight = neural_weight() if weight is None else weight
        if self.weight > 0 and network is None:
            network = neural.network()
        self.network = network if self.weight > 0 else None
        if self.network is not None:
            # The network's label order, as rows of the CRF's.
            self._order = [self.network.labels.index(label) for label in self.labels]
        # set() then marginal() reads are two steps on one crfsuite tagger, which the API's
        # worker threads share (tag() is one call and needs no lock).
        self._lock = threading.Lock()

    def tag(self, tokens: Sequence[Token]) -> list[str]:
        """The shipped decoding: the CRF and the network combined when the network is
        there, else biased posterior decoding (plain Viterbi when no bias is set)."""
        if not tokens:
            return []
        if self.network is not None:
            return self.tag_many([tokens])[0]
        features = self.featurizer.sequence(tokens)
        if not self.bias:  # what train_ner.py scored with decode() is served with it
            return self._tagger.tag(features)
        return decode(self._marginals(features), self.labels, self.bias)

    def tag_many(self, sentences: Sequence[Sequence[Token]]) -> list[list[str]]:
        """``tag`` for every sentence of one document: the same labels, but the network
        runs the sentences in batches (1.35× the speed of one ``tag`` call per sentence)."""
        if self.network is None:
            return [self.tag(tokens) for tokens in sentences]
        out = []
        # A few batches' worth of sentences at a time: a huge page's features and network
        # states are never all held at once.
        for start in range(0, len(sentences), 2 * MAX_BATCH):
            chunk = sentences[start : start + 2 * MAX_BATCH]
            features = [self.featurizer.sequence(tokens) if tokens else [] for tokens in chunk]
            networks = self.network.probabilities_many(chunk, features)
            for tokens, feats, net in zip(chunk, features, networks, strict=True):
                if not tokens:
                    out.append([])
                    continue
                scores = combine(self._marginal_array(feats), net[:, self._order], self.weight)
                out.append(decode_scores(scores, self.labels, self.bias))
        return out

    def network_probabilities(self, tokens: Sequence[Token]) -> np.ndarray:
        """The network's P(label | sentence) per token, columns in the order of ``labels``.
        Without the network (weight 0 or no file), uniform rows: they decode to O."""
        if self.network is None:
            return np.full((len(tokens), len(self.labels)), 1.0 / len(self.labels))
        return self.network.probabilities(tokens)[:, self._order]

    def viterbi(self, tokens: Sequence[Token]) -> list[str]:
        """The CRF's most likely sequence, without bias."""
        if not tokens:
            return []
        return self._tagger.tag(self.featurizer.sequence(tokens))

    def marginals(self, tokens: Sequence[Token]) -> list[list[float]]:
        """P(label | sentence) per token, in the order of ``labels``."""
        if not tokens:
            return []
        return self._marginals(self.featurizer.sequence(tokens))

    def _marginals(self, features: list[list[str]]) -> list[list[float]]:
        return self._marginal_array(features).tolist()

    def _marginal_array(self, features: list[list[str]]) -> np.ndarray:
        """The CRF's marginals, (tokens, labels)."""
        model, labels = self._tagger, self.labels
        with self._lock:
            model.set(features)
            marginal = model.marginal
            # crfsuite computes forward-backward once per set(); each call reads one cell.
            flat = [marginal(label, t) for t in range(len(features)) for label in labels]
        return np.array(flat, dtype=np.float64).reshape(len(features), len(labels))


def combine(crf: np.ndarray, net: np.ndarray, weight: float) -> np.ndarray:
    """Per-token log-scores of the weighted geometric mean of two models' label
    probabilities, ``(1 − w)·log P_crf + w·log P_net`` (for ``decode_scores``). Probabilities
    are clipped like ``decode`` clips them; a NaN counts as impossible."""
    with np.errstate(invalid="ignore"):
        log = (1.0 - weight) * np.log(np.clip(crf, _FLOOR, 1.0))
        log += weight * np.log(np.clip(net, _FLOOR, 1.0))
    return np.nan_to_num(log, nan=math.log(_FLOOR))


def decode(
    marginals: Sequence[Sequence[float]], labels: Sequence[str], bias: Mapping[str, float]
) -> list[str]:
    """The best valid BIO sequence under per-token log-marginals plus a per-type bias.

    ``bias["PER"] = 1.0`` adds 1 to the log-score of B-PER and I-PER at every token: a name
    is chosen where P(name) > P(O)·e⁻¹. An ``I-X`` may only follow ``B-X`` or ``I-X``, so the
    result is always well formed.
    """
    return decode_scores([[_log(p) for p in row] for row in marginals], labels, bias)


def decode_scores(
    scores: Sequence[Sequence[float]] | np.ndarray,
    labels: Sequence[str],
    bias: Mapping[str, float],
) -> list[str]:
    """``decode`` on log-scores (log-marginals, or ``combine``'s mixture)."""
    if len(scores) == 0:
        return []
    size = len(labels)
    # O wins an exact tie (all-zero or NaN marginals): no name without evidence for one.
    extra = [bias.get(label.partition("-")[2], 0.0) if label != "O" else 1e-9 for label in labels]
    if isinstance(scores, np.ndarray):
        # The scores have no transition term, so when every token's best label already
        # makes a well-formed sequence (most sentences), it is the best well-formed one.
        best = (scores + np.array(extra)).argmax(axis=1)
        allowed = _transitions(tuple(labels))
        if allowed[-1, best[0]] and allowed[best[:-1], best[1:]].all():
            return [labels[j] for j in best]
        scores = scores.tolist()
    index = {label: j for j, label in enumerate(labels)}
    # For an I- label, the labels it may continue; None: it may follow anything.
    inside: list[tuple[int, int] | None] = []
    for j, label in enumerate(labels):
        tag, _, kind = label.partition("-")
        inside.append((index.get("B-" + kind, j), j) if tag == "I" else None)
    score = [-math.inf if inside[j] else p + extra[j] for j, p in enumerate(scores[0])]
    back: list[list[int]] = []
    for row in scores[1:]:
        best = max(range(size), key=score.__getitem__)
        top = score[best]
        new = [0.0] * size
        pointers = [best] * size
        for j in range(size):
            gain = row[j] + extra[j]
            allowed = inside[j]
            if allowed is None:
                new[j] = top + gain
            else:
                b, i = allowed
                k = b if score[b] >= score[i] else i
                new[j] = score[k] + gain
                pointers[j] = k
        back.append(pointers)
        score = new
    j = max(range(size), key=score.__getitem__)
    path = [j]
    for pointers in reversed(back):
        j = pointers[j]
        path.append(j)
    return [labels[j] for j in reversed(path)]


@cache
def _transitions(labels: tuple[str, ...]) -> np.ndarray:
    """allowed[a, b]: label b may follow label a (the last row: may start a sentence)."""
    size = len(labels)
    allowed = np.ones((size + 1, size), dtype=bool)
    for b, label in enumerate(labels):
        tag, _, kind = label.partition("-")
        if tag == "I":
            allowed[:, b] = [
                a < size and labels[a] in ("B-" + kind, label) for a in range(size + 1)
            ]
    return allowed


def _log(p: float) -> float:
    # Clipped: crfsuite can return exact zeros; a NaN counts as impossible, not as certain.
    return math.log(p) if p > _FLOOR else math.log(_FLOOR)


@cache
def tagger() -> Tagger | None:
    """The shipped model, loaded once per process; None when the model file is missing."""
    if not MODEL.exists():
        return None
    return Tagger()


def propagate(sentences: Sequence[Sequence[Token]], labels: list[list[str]]) -> list[list[str]]:
    """One document, one reading of a name: a name the model tagged in one sentence is tagged
    where it recurs untagged (news repeats names — رامسفيلد in one sentence, bare in the next
    — and the model misses some repeats). A person's last name counts on its own.

    Only names that look like proper nouns are spread: a one-word name must rarely take the
    article in running news (the word profile says so), so "مدينة" or "رئيس" never spread.
    """
    from rasid.annotate.ner.features import cluster_key, profiles
    from rasid.annotate.ner.lexicon import triggers

    table = profiles()
    heads = triggers()
    votes: dict[tuple[str, ...], dict[str, int]] = {}
    surnames: set[str] = set()

    def vote(key: tuple[str, ...], kind: str) -> None:
        counts = votes.setdefault(key, {})
        counts[kind] = counts.get(kind, 0) + 1

    for tokens, tags in zip(sentences, labels, strict=True):
        for first, last, kind in _spans(tags):
            if kind == "MISC":
                continue
            key = tuple(t.base for t in tokens[first:last])
            vote(key, kind)
            if kind == "PER" and last - first > 1:
                vote(key[-1:], kind)
                surnames.add(key[-1])
            # "حركة طالبان" → "طالبان": the name without its head. It must pass the proper-noun
            # test below like any one-word name — "الجامعة العربية" and "مجلس الأمن" would
            # otherwise spread "العربية" and "الأمن" (measured on the training folds).
            if kind == "ORG" and last - first == 2 and heads.get(key[0]) == "org_head":
                vote(key[1:], kind)
    spread: dict[tuple[str, ...], str] = {}
    for key, counts in votes.items():
        if len(key) == 1:
            word = key[0]
            profile = table.get(cluster_key(word))
            if len(word) < 3 or not word.isalpha():
                continue
            # Arab family names take the article (الفاروقي), so a last name seen inside a
            # full name spreads whatever its profile says.
            if word not in surnames and profile is not None and profile[0] > "1":
                continue
        spread[key] = max(counts, key=counts.__getitem__)
    if not spread:
        return labels
    # Sizes of the spread names, by their first word: most tokens start none and cost one
    # dictionary lookup.
    sizes: dict[str, list[int]] = {}
    for key in spread:
        sizes.setdefault(key[0], []).append(len(key))
    for options in sizes.values():
        options.sort(reverse=True)
    out = []
    for tokens, tags in zip(sentences, labels, strict=True):
        tags = list(tags)
        keys = [t.base for t in tokens]
        n = len(tokens)
        i = 0
        while i < n:
            options = sizes.get(keys[i]) if tags[i] == "O" else None
            if options:
                for size in options:
                    if i + size > n or any(t != "O" for t in tags[i : i + size]):
                        continue
                    kind = spread.get(tuple(keys[i : i + size]))
                    if kind:
                        tags[i] = "B-" + kind
                        for k in range(i + 1, i + size):
                            tags[k] = "I-" + kind
                        i += size - 1
                        break
            i += 1
        out.append(tags)
    return out


def _spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, label in enumerate([*tags, "O"]):
        tag, _, typ = label.partition("-")
        if kind and (tag != "I" or typ != kind):
            found.append((start, i, kind))
            kind = ""
        if tag == "B" or (tag == "I" and not kind):
            start, kind = i, typ
    return found


def tag_document(tagger: Tagger, sentences: Sequence[Sequence[Token]]) -> list[list[str]]:
    """Labels for every sentence of one document: the tagger (the network batched over the
    document's sentences), then propagation."""
    return propagate(sentences, tagger.tag_many(sentences))
