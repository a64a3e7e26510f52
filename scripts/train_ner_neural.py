"""Train the neural NER tagger (``rasid.annotate.ner.neural``) on ANERcorp with torch.

    make train-ner                               # the whole chain (vectors, CRF, network)
    python scripts/train_ner_neural.py           # the folds and the shipped network
    python scripts/train_ner_neural.py --fold 4  # one development fold only (quick check)
    python scripts/train_ner_neural.py --fold 4 --hidden 96 --seed 29 --folds-out x.npz

Reads ``../shared/data/ner/anercorp`` and the word vectors ``build/ner/vectors.npz`` written
by ``scripts/ner_clusters.py`` (the same CBOW run as the clusters). Writes:

* ``build/ner/neural_folds.npz`` (not committed): the probabilities each of five networks,
  trained on four fifths of the ANERcorp training part, gives the fifth it did not see.
  ``scripts/train_ner.py`` tunes the CRF + network combination on them.
* ``src/rasid/models/ner_neural.npz``: the network trained on the whole training part, with
  its vocabularies; float16 weights, the word vectors reduced to ``DIMS`` dimensions by PCA
  and stored as int8 with one scale per word. It is written only after the numpy forward
  pass of ``rasid.annotate.ner.neural`` has been checked against torch's on real sentences.

Reproducible: fixed seeds, deterministic algorithms, a fixed thread count; the weights are
rounded to what is stored before the check, so the file is what torch computed with.
Torch is a training dependency only (``pip install -e .[train]``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from rasid.annotate.ner import corpus  # noqa: E402
from rasid.annotate.ner.features import Featurizer  # noqa: E402
from rasid.annotate.ner.neural import (  # noqa: E402
    NEURAL,
    Network,
    Vocabulary,
    char_string,
    cluster_ids,
    network_features,
)

ANERCORP = REPO.parent / "shared" / "data" / "ner" / "anercorp"
TRAIN = ANERCORP / "ANERCorp_camelstyle_train.txt"
VECTORS = REPO / "build" / "ner" / "vectors.npz"
FOLDS_OUT = REPO / "build" / "ner" / "neural_folds.npz"
FOLDS = 5  # the same folds as scripts/train_ner.py: contiguous fifths of the training part
SEED = 17
WORDS = 30_000  # most frequent words of news that keep a vector
DIMS = 64  # PCA dimensions of the shipped vectors
CHAR_DIM, FILTERS, WIDTH = 24, 48, 3
CLUSTER_DIM = 16
FEATURE_DIM = 32
HIDDEN = 64  # the numpy recurrence costs one (H × 4H) matmul per token and direction
DROPOUT = 0.5
EPOCHS = 14
BATCH = 16
LEARNING_RATE = 2e-3
THREADS = 1  # two threads on a shared, busy machine wait on each other (10x slower)
MIN_COUNT = 2  # characters and features seen fewer times in training are unknown
TOLERANCE = 1e-4  # numpy vs torch, max abs difference of a probability


def load_vectors(path: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The ``WORDS`` most frequent words, their vectors projected on the top ``DIMS``
    principal components, quantized to int8 with one float16 scale per word."""
    if not path.exists():
        sys.exit(f"{path} is missing: run `python scripts/ner_clusters.py vectors` first")
    with np.load(path) as data:
        words = [str(w) for w in data["words"][:WORDS]]
        vectors = data["vectors"][:WORDS].astype(np.float64)
    centered = vectors - vectors.mean(axis=0)
    # Sign of each component fixed (largest loading positive): SVD's signs are arbitrary.
    _, _, vt = np.linalg.svd(centered, full_matrices=False)
    components = vt[:DIMS]
    components *= np.sign(components[np.arange(DIMS), np.abs(components).argmax(axis=1)])[:, None]
    reduced = centered @ components.T
    scale = (np.abs(reduced).max(axis=1) / 127.0).astype(np.float16)
    safe = np.where(scale == 0, 1.0, scale.astype(np.float64))
    quantized = np.clip(np.round(reduced / safe[:, None]), -127, 127).astype(np.int8)
    return words, quantized, scale


def build_vocabulary(
    sentences: list[corpus.Sentence], features: list[list[list[str]]]
) -> tuple[str, list[str]]:
    chars: Counter = Counter()
    feats: Counter = Counter()
    for sentence, rows in zip(sentences, features, strict=True):
        for token, row in zip(sentence.tokens, rows, strict=True):
            chars.update(char_string(token))
            feats.update(network_features(row))
    keep_chars = "".join(sorted(c for c, n in chars.items() if n >= MIN_COUNT))
    keep_feats = sorted(f for f, n in feats.items() if n >= MIN_COUNT)
    return keep_chars, keep_feats


def encode(
    vocabulary: Vocabulary,
    featurizer: Featurizer,
    sentence: corpus.Sentence,
    rows: list[list[str]],
    labels: dict[str, int],
) -> dict:
    tokens = sentence.tokens
    feature_rows = [vocabulary.feature_ids(row) for row in rows]
    features = np.zeros((len(tokens), max([1] + [len(f) for f in feature_rows])), np.int64)
    for j, row in enumerate(feature_rows):
        features[j, : len(row)] = row
    return {
        "words": np.array([vocabulary.word_ids(t) for t in tokens], np.int64).reshape(-1, 2),
        "chars": [tuple(vocabulary.char_ids(t)) for t in tokens],
        "clusters": np.array([cluster_ids(featurizer, t) for t in tokens], np.int64),
        "features": features,
        "labels": np.array([labels[tag] for tag in sentence.token_labels], np.int64),
    }


def make_model(sizes: dict, vectors: np.ndarray, hidden: int):  # -> torch.nn.Module
    import torch
    from torch import nn

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.vectors = nn.Embedding.from_pretrained(torch.from_numpy(vectors), freeze=True)
            self.chars = nn.Embedding(sizes["chars"], CHAR_DIM, padding_idx=0)
            self.conv = nn.Conv1d(CHAR_DIM, FILTERS, WIDTH, padding=WIDTH // 2)
            self.clusters = nn.ModuleList(
                nn.Embedding(n, CLUSTER_DIM, padding_idx=0) for n in sizes["clusters"]
            )
            self.features = nn.Embedding(sizes["features"], FEATURE_DIM, padding_idx=0)
            size = 2 * vectors.shape[1] + FILTERS + 3 * CLUSTER_DIM + FEATURE_DIM
            self.lstm = nn.LSTM(size, hidden, batch_first=True, bidirectional=True)
            self.dropout = nn.Dropout(DROPOUT)
            self.out = nn.Linear(2 * hidden, sizes["labels"])

        def forward(self, batch: dict) -> torch.Tensor:
            t = batch["words"].shape[1]
            conv = self.conv(self.chars(batch["chars"]).transpose(1, 2))  # (words, filters, len)
            conv = conv.masked_fill((batch["chars"] == 0)[:, None, :], -1e4)
            char_vec = torch.tanh(conv.max(dim=2).values)[batch["which"]]
            parts = [
                self.vectors(batch["words"][..., 0]),
                self.vectors(batch["words"][..., 1]),
                char_vec,
                *(table(batch["clusters"][..., k]) for k, table in enumerate(self.clusters)),
                self.features(batch["features"]).sum(dim=2),
            ]
            x = self.dropout(torch.cat(parts, dim=2))
            packed = nn.utils.rnn.pack_padded_sequence(
                x, batch["lengths"], batch_first=True, enforce_sorted=False
            )
            hidden, _ = self.lstm(packed)
            hidden, _ = nn.utils.rnn.pad_packed_sequence(hidden, batch_first=True, total_length=t)
            return self.out(self.dropout(hidden))

    return Tagger()


def collate(items: list[dict]) -> dict:
    """Pads a batch; the character CNN runs once per distinct word of the batch."""
    import torch

    b = len(items)
    t = max(len(item["labels"]) for item in items)
    width = max(item["features"].shape[1] for item in items)
    words = np.zeros((b, t, 2), dtype=np.int64)
    clusters = np.zeros((b, t, 3), dtype=np.int64)
    features = np.zeros((b, t, width), dtype=np.int64)
    labels = np.full((b, t), -100, dtype=np.int64)
    which = np.zeros((b, t), dtype=np.int64)  # the row of each token's word in `chars`
    distinct: dict[tuple[int, ...], int] = {(): 0}
    for i, item in enumerate(items):
        n = len(item["labels"])
        words[i, :n] = item["words"]
        clusters[i, :n] = item["clusters"]
        labels[i, :n] = item["labels"]
        features[i, :n, : item["features"].shape[1]] = item["features"]
        for j, key in enumerate(item["chars"]):
            which[i, j] = distinct.setdefault(key, len(distinct))
    length = max(len(key) for key in distinct)
    chars = np.zeros((len(distinct), length), dtype=np.int64)
    for key, row in distinct.items():
        chars[row, : len(key)] = key
    tensor = torch.from_numpy
    return {
        "words": tensor(words),
        "chars": tensor(chars),
        "which": tensor(which),
        "clusters": tensor(clusters),
        "features": tensor(features),
        "labels": tensor(labels),
        "lengths": torch.tensor([len(item["labels"]) for item in items]),
    }


def batches(items: list[dict], generator) -> list[list[int]]:
    """Sentences of similar length together (little padding), batches in random order."""
    import torch

    order = torch.randperm(len(items), generator=generator).tolist()
    order.sort(key=lambda i: len(items[i]["labels"]))  # stable: ties stay shuffled
    chunks = [order[lo : lo + BATCH] for lo in range(0, len(order), BATCH)]
    return [chunks[i] for i in torch.randperm(len(chunks), generator=generator).tolist()]


def fit(
    items: list[dict],
    sizes: dict,
    vectors: np.ndarray,
    log: str,
    epochs: int = EPOCHS,
    hidden: int = HIDDEN,
    seed: int = SEED,
):
    import torch

    torch.manual_seed(seed)
    model = make_model(sizes, vectors, hidden)
    optimizer = torch.optim.Adam(
        [p for p in model.parameters() if p.requires_grad], lr=LEARNING_RATE
    )
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    generator = torch.Generator().manual_seed(seed)
    began = time.perf_counter()
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for chunk in batches(items, generator):
            batch = collate([items[i] for i in chunk])
            logits = model(batch)
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), batch["labels"].reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            total += float(loss.detach()) * len(chunk)
        print(
            f"  {log} epoch {epoch + 1}/{epochs}: loss {total / len(items):.4f} "
            f"({time.perf_counter() - began:.0f}s)",
            flush=True,
        )
    model.eval()
    # What is stored is float16: compute with exactly those weights from here on.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name != "vectors.weight":
                p.copy_(p.half().float())
    return model


def predict(model, items: list[dict]) -> list[np.ndarray]:
    import torch

    out = []
    with torch.no_grad():
        for lo in range(0, len(items), 64):
            chunk = items[lo : lo + 64]
            probabilities = torch.softmax(model(collate(chunk)), dim=-1).numpy()
            out += [probabilities[i, : len(item["labels"])] for i, item in enumerate(chunk)]
    return out


def _text(values: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(values).encode("utf-8"), dtype=np.uint8)


def save(model, path: Path, labels: list[str], words, chars, features, quantized, scale) -> None:
    state = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    half = np.float16
    lstm = [
        tuple(f"lstm.{name}_l0{s}" for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
        for s in ("", "_reverse")
    ]
    arrays = {
        "labels": _text(labels),
        "words": _text(words),
        "chars": _text(list(chars)),
        "features": _text(features),
        # Row 0: the unknown word's zero vector.
        "vectors": np.concatenate([np.zeros((1, quantized.shape[1]), np.int8), quantized]),
        "vector_scale": np.concatenate([np.zeros(1, half), scale]),
        "char_embedding": state["chars.weight"].astype(half),
        "conv_weight": state["conv.weight"].astype(half),
        "conv_bias": state["conv.bias"].astype(half),
        "feature_embedding": state["features.weight"].astype(half),
        "w_ih": np.stack([state[ih] for ih, _, _, _ in lstm]).astype(half),
        "w_hh": np.stack([state[hh] for _, hh, _, _ in lstm]).astype(half),
        # The two biases are summed in float32, as numpy will use them.
        "b": np.stack(
            [state[bi].astype(np.float32) + state[bh].astype(np.float32) for _, _, bi, bh in lstm]
        ),
        "out_weight": state["out.weight"].astype(half),
        "out_bias": state["out.bias"].astype(half),
    }
    for k in range(3):
        arrays[f"cluster{k}"] = state[f"clusters.{k}.weight"].astype(half)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as sink:  # np.savez_compressed stores no timestamps: same bytes
        np.savez_compressed(sink, **arrays)


def check(path: Path, model, items: list[dict], sentences: list[corpus.Sentence]) -> float:
    """Max abs difference between numpy's and torch's probabilities on these sentences."""
    network = Network(path)
    expected = predict(model, items)
    worst = 0.0
    for sentence, want in zip(sentences, expected, strict=True):
        got = network.probabilities(sentence.tokens)
        worst = max(worst, float(np.abs(got - want).max()))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the neural NER tagger on ANERcorp.")
    parser.add_argument("--fold", type=int, help="train and score this fold only")
    parser.add_argument("--out", type=Path, default=NEURAL)
    parser.add_argument("--folds-out", type=Path, help=f"default {FOLDS_OUT}")
    parser.add_argument("--no-folds", action="store_true", help="only the shipped network")
    parser.add_argument("--vectors", type=Path, default=VECTORS)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--hidden", type=int, default=HIDDEN, help="LSTM units per direction")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    if not TRAIN.exists():
        sys.exit(f"ANERcorp not found at {ANERCORP}: training needs ../shared/data")
    import torch

    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    words, quantized, scale = load_vectors(args.vectors)
    vectors = np.concatenate(
        [np.zeros((1, DIMS), np.float32), quantized.astype(np.float32) * scale[:, None]]
    ).astype(np.float32)
    sentences = corpus.read(TRAIN)
    featurizer = Featurizer()
    rows = [featurizer.sequence(s.tokens) for s in sentences]
    chars, features = build_vocabulary(sentences, rows)
    vocabulary = Vocabulary(words, chars, features)
    labels = sorted({tag for s in sentences for tag in s.token_labels})
    label_ids = {tag: i for i, tag in enumerate(labels)}
    items = [
        encode(vocabulary, featurizer, s, r, label_ids)
        for s, r in zip(sentences, rows, strict=True)
    ]
    sizes = {
        "chars": len(chars) + 2,
        # Sized by the shipped cluster table, not by what ANERcorp holds (id 0: no cluster).
        "clusters": [1 + n for n in _cluster_counts(featurizer)],
        "features": len(features) + 1,
        "labels": len(labels),
    }
    print(
        f"{len(sentences)} sentences; {len(words):,} word vectors x {DIMS}, {len(chars)} "
        f"characters, {len(features)} features, labels {labels}",
        flush=True,
    )
    n = len(sentences)
    shape = (args.epochs, args.hidden, args.seed)
    folds = range(FOLDS) if args.fold is None else [args.fold]
    if args.folds_out is None:  # one fold never overwrites the five train_ner.py reads
        single = args.fold is not None
        args.folds_out = FOLDS_OUT.with_name(f"neural_fold{args.fold}.npz") if single else FOLDS_OUT
    if not args.no_folds:
        held_out: dict[int, list[np.ndarray]] = {}
        for k in folds:
            lo, hi = n * k // FOLDS, n * (k + 1) // FOLDS
            model = fit(items[:lo] + items[hi:], sizes, vectors, f"fold {k}", *shape)
            held_out[k] = predict(model, items[lo:hi])
            predicted = [
                corpus.to_words(s, [labels[j] for j in p.argmax(axis=1)])
                for s, p in zip(sentences[lo:hi], held_out[k], strict=True)
            ]
            result = corpus.score([s.labels for s in sentences[lo:hi]], predicted)
            print(f"fold {k}: network alone (argmax) micro F1 {result.prf()[2]:.1%}", flush=True)
        args.folds_out.parent.mkdir(parents=True, exist_ok=True)
        order = sorted(held_out)
        np.savez_compressed(
            args.folds_out,
            labels=np.array(labels),
            folds=np.array(order),
            **{f"fold{k}": np.concatenate(held_out[k]) for k in order},
        )
        print(f"wrote held-out probabilities of folds {order} to {args.folds_out}")
    if args.fold is not None:
        return
    began = time.perf_counter()
    model = fit(items, sizes, vectors, "shipped", *shape)
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "ner_neural.npz"
        save(model, trial, labels, words, chars, features, quantized, scale)
        worst = check(trial, model, items[-300:], sentences[-300:])
        print(f"numpy vs torch on 300 training sentences: max abs difference {worst:.2e}")
        if worst > TOLERANCE:
            sys.exit(f"numpy disagrees with torch ({worst:.2e} > {TOLERANCE}): not written")
        args.out.write_bytes(trial.read_bytes())
    print(
        f"trained {args.out} in {time.perf_counter() - began:.0f}s "
        f"({args.out.stat().st_size / 1e6:.1f} MB)"
    )


def _cluster_counts(featurizer: Featurizer) -> list[int]:
    """How many clusters each level of the shipped table has (ids are 0-based)."""
    top = [0, 0, 0]
    for ids in featurizer.clusters.values():
        for k in range(3):
            top[k] = max(top[k], int(ids[k]) + 1)
    return top


if __name__ == "__main__":
    main()
