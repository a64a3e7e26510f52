"""The NER features: the person-name word list behind the `pn` feature."""

from __future__ import annotations

import pytest

from rasid.annotate.ner.features import Featurizer, names
from rasid.arabic.normalize import normalize
from rasid.arabic.tokenize import tokenize


@pytest.fixture(scope="module")
def name_words() -> frozenset[str]:
    words = names()
    if not words:
        pytest.skip("the person-name list is not built (make train-ner)")
    return words


def test_the_name_list_holds_arab_and_foreign_names(name_words: frozenset[str]):
    for word in ("زيلينسكي", "محمد", "فلاديمير", "أحمد", "خالد"):
        assert normalize(word) in name_words, word


def test_a_name_word_carries_the_name_feature_and_its_neighbours_see_it(
    name_words: frozenset[str],
):
    tokens = tokenize("وقال الرئيس الأوكراني زيلينسكي إن الهجوم فشل")
    features = Featurizer().sequence(tokens)
    at = [t.text for t in tokens].index("زيلينسكي")
    assert "pn" in features[at]
    assert "-1pn" in features[at + 1] and "+1pn" in features[at - 1]
    assert "pn" not in features[at - 1]
