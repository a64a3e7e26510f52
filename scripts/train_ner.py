"""Train the entity model from ANERcorp and print its score on the ANERcorp test split.

    make train-ner                 # clusters (word2vec + k-means) then the CRF
    python scripts/train_ner.py    # the CRF only, with the committed cluster table

Reads ``../shared/data/ner/anercorp`` (the CAMeL-style train/test split) and writes
``src/rasid/models/ner.crfsuite``. crfsuite's L-BFGS is deterministic, so the same data,
clusters and lexicons give the same model.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from rasid.annotate.ner import corpus  # noqa: E402
from rasid.annotate.ner.features import Featurizer  # noqa: E402
from rasid.annotate.ner.model import MODEL, Tagger, tag_document  # noqa: E402

ANERCORP = REPO.parent / "shared" / "data" / "ner" / "anercorp"
TRAIN = ANERCORP / "ANERCorp_camelstyle_train.txt"
TEST = ANERCORP / "ANERCorp_camelstyle_test.txt"
# ANERcorp has no document boundaries; runs of consecutive sentences stand in for the
# articles rasid tags one at a time (the document-level step needs a document).
DOCUMENT_SENTENCES = 20


def train(out: Path, c1: float, c2: float, iterations: int) -> None:
    import pycrfsuite

    featurizer = Featurizer()
    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in corpus.read(TRAIN):
        trainer.append(featurizer.sequence(sentence.tokens), sentence.token_labels)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": 1,
        }
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))


def evaluate(model: Path) -> corpus.Score:
    tagger = Tagger(model)
    sentences = corpus.read(TEST)
    predicted = []
    for lo in range(0, len(sentences), DOCUMENT_SENTENCES):
        chunk = sentences[lo : lo + DOCUMENT_SENTENCES]
        labels = tag_document(tagger, [s.tokens for s in chunk])
        predicted += [corpus.to_words(s, tags) for s, tags in zip(chunk, labels, strict=True)]
    return corpus.score([s.labels for s in sentences], predicted)


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the NER CRF on ANERcorp.")
    parser.add_argument("--out", type=Path, default=MODEL)
    parser.add_argument("--c1", type=float, default=0.05)
    parser.add_argument("--c2", type=float, default=0.02)
    parser.add_argument("--iterations", type=int, default=60)
    parser.add_argument("--eval-only", action="store_true", help="score an existing model")
    args = parser.parse_args()
    if not TRAIN.exists():
        sys.exit(f"ANERcorp not found at {ANERCORP}: training needs ../shared/data")
    began = time.perf_counter()
    if not args.eval_only:
        train(args.out, args.c1, args.c2, args.iterations)
    print(
        f"trained {args.out} in {time.perf_counter() - began:.0f}s "
        f"({args.out.stat().st_size / 1e6:.1f} MB)"
    )
    print("ANERcorp test split, entity level (exact spans):")
    print(corpus.report(evaluate(args.out)))


if __name__ == "__main__":
    main()
