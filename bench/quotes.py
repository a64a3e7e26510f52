"""Quotes: precision and recall on the project's labelled passages, and the stage's speed.

    .venv/bin/python bench/quotes.py              # quality + speed
    .venv/bin/python bench/quotes.py --show       # also list every miss and false alarm
    .venv/bin/python bench/quotes.py --repeat 0   # quality only

Data: ``bench/data/quotes_passages.jsonl`` — passages the project wrote for this purpose
(fictional people and places; one plainly factual public act), each with its attributed
statements labelled ``{speaker, text, direct}``. ``split`` is ``dev`` for the passages the
lexicons were tuned on and ``heldout`` for passages written afterwards and scored once before
any further change; both are printed, and the total. A predicted quote matches a gold one when the
speaker is the same (the words of one name are all in the other's name or role, article and
prepositions aside) and the quote texts overlap on at least half their words both ways
(|common| / max(|gold|, |predicted|) >= 0.5). Each gold quote matches at most one prediction.

Speed: the quote stage over the same passages (and, when ``../shared/data`` has SaudiNewsNet,
over 300 of its articles), and the entity stage on the same texts when
``rasid.annotate.entities`` exists: the ratio quote time / entity time must stay below 1.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from rasid.annotate import Doc  # noqa: E402
from rasid.arabic.tokenize import tokenize  # noqa: E402
from rasid.model import Record, Source  # noqa: E402

DATA = REPO / "bench" / "data" / "quotes_passages.jsonl"
SHARED = REPO.parent / "shared" / "data"
OVERLAP = 0.5


def record(text: str) -> Record:
    return Record(
        id="b", source=Source(path="bench"), title=None, lede=None, author=None, published=None,
        published_source=None, text=text, blocks=[], related=[], removed=[], lang="ar", errors=[],
    )  # fmt: skip


def words(text: str | None) -> list[str]:
    return [t.base for t in tokenize(text or "") if t.is_word]


def same_speaker(gold: str, speaker: dict) -> bool:
    g = set(words(gold))
    names = set(words(speaker.get("name")))
    described = names | set(words(speaker.get("role")))
    return bool(g) and bool(names) and (g <= described or names <= g)


def overlap(a: str, b: str) -> float:
    wa, wb = Counter(words(a)), Counter(words(b))
    common = sum((wa & wb).values())
    return common / max(sum(wa.values()), sum(wb.values()), 1)


def layers() -> dict[str, object]:
    found = {}
    for name in ("entities", "quotes"):
        with contextlib.suppress(ModuleNotFoundError):
            found[name] = importlib.import_module(f"rasid.annotate.{name}").annotate
    return found


def evaluate(passages: list[dict], show: bool) -> dict[str, float]:
    run = layers()
    tp = fp = fn = 0
    for p in passages:
        rec = record(p["text"])
        doc = Doc(rec)
        if "entities" in run:
            run["entities"](doc)
        run["quotes"](doc)
        used: set[int] = set()
        for q in rec.quotes:
            hit = next(
                (
                    n
                    for n, g in enumerate(p["quotes"])
                    if n not in used
                    and same_speaker(g["speaker"], q["speaker"])
                    and overlap(g["text"], q["text"]) >= OVERLAP
                ),
                None,
            )
            if hit is None:
                fp += 1
                if show:
                    print(f"  FALSE {p['id']}: [{q['speaker']['name']}] {q['text']}")
            else:
                used.add(hit)
                tp += 1
        for n, g in enumerate(p["quotes"]):
            if n not in used:
                fn += 1
                if show:
                    print(f"  MISS  {p['id']}: [{g['speaker']}] {g['text']}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def saudi_texts(limit: int) -> list[str]:
    folder = SHARED / "corpora" / "saudinewsnet" / "dataset"
    texts: list[str] = []
    for path in sorted(folder.glob("*.zip")) if folder.exists() else []:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if not name.endswith(".json"):
                    continue
                for item in json.loads(z.read(name)):
                    if item.get("content"):
                        texts.append(item["content"])
                    if len(texts) >= limit:
                        return texts
    return texts


def timed(stage, texts: list[str], before=None, min_seconds: float = 2.0) -> float:
    """Seconds per text for ``stage`` (the layers in ``before`` run first, untimed)."""
    total, count = 0.0, 0
    while total < min_seconds:
        for text in texts:
            doc = Doc(record(text))
            doc.tokens  # noqa: B018 - tokens and sentences are shared; build them untimed
            doc.sentences  # noqa: B018
            if before:
                before(doc)
            t0 = time.perf_counter()
            stage(doc)
            total += time.perf_counter() - t0
            count += 1
    return total / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list misses and false alarms")
    parser.add_argument("--repeat", type=int, default=1, help="speed rounds (0: no speed)")
    parser.add_argument("--articles", type=int, default=300, help="SaudiNewsNet articles")
    args = parser.parse_args()

    passages = [json.loads(line) for line in DATA.read_text("utf-8").splitlines() if line]
    n_gold = sum(len(p["quotes"]) for p in passages)
    print(f"quotes: {len(passages)} passages, {n_gold} labelled statements ({DATA.name})")
    run = layers()
    if "entities" not in run:
        print("  (rasid.annotate.entities is not installed: speakers found by syntax alone)")
    splits = sorted({p.get("split", "dev") for p in passages})
    for split in [*splits, "all"]:
        part = [p for p in passages if split in ("all", p.get("split", "dev"))]
        m = evaluate(part, args.show and split != "all")
        n = sum(len(p["quotes"]) for p in part)
        print(
            f"  {split:8} ({len(part):2} passages, {n:3} statements)"
            f"  precision {m['precision']:.3f}  recall {m['recall']:.3f}  F1 {m['f1']:.3f}"
            f"   (tp {m['tp']}, fp {m['fp']}, fn {m['fn']})"
        )
    print("  targets: precision >= 0.90, recall >= 0.80")
    if args.repeat <= 0:
        return 0
    sets = [("labelled passages", [p["text"] for p in passages])]
    articles = saudi_texts(args.articles)
    if articles:
        sets.append((f"SaudiNewsNet ({len(articles)} articles)", articles))
    else:
        print("  (../shared/data/corpora/saudinewsnet absent: speed on the passages only)")
    for label, texts in sets:
        chars = sum(map(len, texts)) / len(texts)
        for _ in range(args.repeat):
            q = timed(run["quotes"], texts, before=run.get("entities"))
            line = f"  speed on {label}, {chars:.0f} chars/text: quotes {1 / q:,.0f} texts/s"
            if "entities" in run:
                e = timed(run["entities"], texts)
                line += f", entities {1 / e:,.0f} texts/s, quote/entity time ratio {q / e:.2f}"
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
