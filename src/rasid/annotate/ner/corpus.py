"""ANERcorp reading and entity-level scoring (used by training, the benchmark and tests).

ANERcorp writes one ``token TAG`` per line, with clitics attached to words and punctuation
sometimes glued to them (``(د``). rasid tags its own tokens, so each corpus token is split by
``rasid.arabic.tokenize`` and its label spread over the pieces (the first word piece keeps
``B-``, later ones get ``I-``, punctuation pieces ``O``). Scores are computed back on the
corpus tokens (each takes the label of its first word piece), so they are comparable with
published ANERcorp figures: exact-span, entity-level precision, recall and F1 as conlleval
computes them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rasid.arabic.tokenize import Token, tokenize

# ANERcorp's tags → rasid's types. MISC is learned (it keeps nationalities and events out of
# the other types) but not reported.
TYPES = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}
SCORED = ("PER", "LOC", "ORG")


@dataclass(slots=True)
class Sentence:
    words: list[str]  # corpus tokens
    labels: list[str]  # their gold labels (B-PER …)
    tokens: list[Token]  # rasid tokens of the sentence, in order
    owner: list[int]  # for each rasid token, the index of the corpus token it came from
    token_labels: list[str]  # gold labels spread over rasid tokens


def _label(tag: str) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, kind = tag.split("-", 1)
    return f"{prefix}-{TYPES.get(kind, kind)}"


def read(path: Path) -> list[Sentence]:
    sentences: list[Sentence] = []
    words: list[str] = []
    labels: list[str] = []

    def flush() -> None:
        if words:
            sentences.append(_build(list(words), list(labels)))
        words.clear()
        labels.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            continue
        word, _, tag = line.rpartition(" ")
        if not word:
            continue
        words.append(word)
        labels.append(_label(tag))
    flush()
    return sentences


# A proclitic the tokenizer leaves standing alone when a Latin word follows it ("وDell").
_CLITIC_PIECES = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "لل", "ال", "وال", "بال"})


def _is_clitic_piece(pieces: Sequence[Token], i: int) -> bool:
    return i + 1 < len(pieces) and pieces[i].norm in _CLITIC_PIECES and pieces[i].is_arabic


def _build(words: list[str], labels: list[str]) -> Sentence:
    tokens: list[Token] = []
    owner: list[int] = []
    token_labels: list[str] = []
    for index, (word, label) in enumerate(zip(words, labels, strict=True)):
        pieces = tokenize(word)
        seen_word = False
        for k, piece in enumerate(pieces):
            if label == "O" or not piece.is_word or _is_clitic_piece(pieces, k):
                piece_label = "O"
            elif not seen_word:
                piece_label = label
            else:
                piece_label = "I-" + label[2:]
            seen_word = seen_word or piece_label != "O"
            tokens.append(piece)
            owner.append(index)
            token_labels.append(piece_label)
    return Sentence(words, labels, tokens, owner, token_labels)


def to_words(sentence: Sentence, predicted: Sequence[str]) -> list[str]:
    """Labels of the corpus tokens from labels of rasid tokens (first word piece decides)."""
    out = ["O"] * len(sentence.words)
    decided = [False] * len(sentence.words)
    tokens, owner = sentence.tokens, sentence.owner
    for i, (token, index, label) in enumerate(zip(tokens, owner, predicted, strict=True)):
        if decided[index]:
            continue
        clitic = i + 1 < len(tokens) and owner[i + 1] == index and token.norm in _CLITIC_PIECES
        if token.is_word and not clitic:
            out[index] = label
            decided[index] = True
    return out


def spans(labels: Sequence[str]) -> set[tuple[int, int, str]]:
    """Entity spans (start, end, type) of a BIO sequence, conlleval style (an I- after O or
    after another type opens a new entity)."""
    found: set[tuple[int, int, str]] = set()
    start, kind = -1, ""
    for i, label in enumerate([*labels, "O"]):
        tag, _, typ = label.partition("-")
        if kind and (tag != "I" or typ != kind):
            found.add((start, i, kind))
            kind = ""
        if tag == "B" or (tag == "I" and not kind):
            start, kind = i, typ
    return found


@dataclass(slots=True)
class Score:
    tp: Counter
    fp: Counter
    fn: Counter

    def prf(self, kind: str | None = None) -> tuple[float, float, float]:
        kinds = SCORED if kind is None else (kind,)
        tp = sum(self.tp[k] for k in kinds)
        fp = sum(self.fp[k] for k in kinds)
        fn = sum(self.fn[k] for k in kinds)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def score(gold: Iterable[Sequence[str]], predicted: Iterable[Sequence[str]]) -> Score:
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    for g, p in zip(gold, predicted, strict=True):
        gs, ps = spans(g), spans(p)
        for span in gs & ps:
            tp[span[2]] += 1
        for span in ps - gs:
            fp[span[2]] += 1
        for span in gs - ps:
            fn[span[2]] += 1
    return Score(tp, fp, fn)


def report(result: Score) -> str:
    lines = [f"{'type':<6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}"]
    for kind in SCORED:
        p, r, f = result.prf(kind)
        gold = result.tp[kind] + result.fn[kind]
        lines.append(f"{kind:<6} {p:6.1%} {r:6.1%} {f:6.1%} {gold:6d}")
    p, r, f = result.prf()
    gold = sum(result.tp[k] + result.fn[k] for k in SCORED)
    lines.append(f"{'micro':<6} {p:6.1%} {r:6.1%} {f:6.1%} {gold:6d}")
    return "\n".join(lines)
