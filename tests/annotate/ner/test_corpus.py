"""ANERcorp reading and conlleval-style entity scoring."""

from __future__ import annotations

from pathlib import Path

from rasid.annotate.ner import corpus


def write(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "sample.txt"
    path.write_text(rows, encoding="utf-8")
    return path


def test_corpus_tokens_are_split_like_rasid_and_labels_follow_the_pieces(tmp_path: Path):
    sample = (
        "قال O\n(وزير O\nالخارجية O\nو وDell B-ORG\nجون B-PERS\nكيري I-PERS\n\nفي O\nباريس B-LOC\n"
    )
    sentences = corpus.read(write(tmp_path, sample.replace("و وDell", "وDell")))
    assert len(sentences) == 2
    first = sentences[0]
    assert first.words == ["قال", "(وزير", "الخارجية", "وDell", "جون", "كيري"]
    pieces = [(t.text, label) for t, label in zip(first.tokens, first.token_labels, strict=True)]
    # "(" and the proclitic "و" stand alone and stay outside the entity.
    assert ("(", "O") in pieces
    assert ("و", "O") in pieces
    assert ("Dell", "B-ORG") in pieces
    assert ("جون", "B-PER") in pieces
    assert ("كيري", "I-PER") in pieces
    # Scores are computed back on corpus tokens: the first word piece decides.
    back = corpus.to_words(first, first.token_labels)
    assert back == ["O", "O", "O", "B-ORG", "B-PER", "I-PER"]


def test_spans_follow_conlleval():
    labels = ["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG", "I-PER"]
    assert corpus.spans(labels) == {
        (0, 2, "PER"),
        (3, 4, "LOC"),  # an I- after O opens an entity
        (4, 5, "ORG"),
        (5, 6, "ORG"),
        (6, 7, "PER"),  # an I- of another type opens one too
    }


def test_scores_count_exact_spans_only():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    predicted = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "O"]]
    result = corpus.score(gold, predicted)
    assert result.prf("LOC") == (1.0, 1.0, 1.0)
    assert result.prf("PER") == (0.0, 0.0, 0.0)  # a partial name is a miss and a false alarm
    p, r, _f = result.prf()
    assert (p, r) == (2 / 3, 2 / 3)
    assert "micro" in corpus.report(result)
