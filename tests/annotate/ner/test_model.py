"""The NER model: biased posterior decoding, the document step, and the shipped tagger."""

from __future__ import annotations

import math
import random

import pytest

from rasid.annotate.ner.model import Tagger, decode, propagate, tagger
from rasid.arabic.tokenize import tokenize

LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]


def well_formed(tags: list[str]) -> bool:
    """Every I-X continues a B-X or I-X."""
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            return False
        previous = tag
    return True


def test_decoding_never_yields_an_inside_label_without_its_beginning():
    rng = random.Random(7)
    for _ in range(300):
        rows = []
        for _ in range(rng.randint(1, 12)):
            # Skewed towards I- labels, the ones a per-token argmax would leave dangling.
            weights = [rng.random() * (4 if label.startswith("I-") else 1) for label in LABELS]
            total = sum(weights)
            rows.append([w / total for w in weights])
        bias = {kind: rng.choice([-1.0, 0.0, 1.0, 3.0]) for kind in ("PER", "LOC", "ORG", "MISC")}
        tags = decode(rows, LABELS, bias)
        assert len(tags) == len(rows)
        assert well_formed(tags), tags


def test_a_bias_turns_a_near_miss_into_a_name_and_leaves_clear_words_alone():
    # Token 0: O by a small margin over B-PER; token 1: clearly O.
    near = [0.55, 0.40, 0.0, 0.01, 0.0, 0.02, 0.0, 0.02, 0.0]
    clear = [0.97, 0.01, 0.01, 0.0, 0.0, 0.01, 0.0, 0.0, 0.0]
    assert decode([near, clear], LABELS, {}) == ["O", "O"]
    assert decode([near, clear], LABELS, {"PER": 1.0}) == ["B-PER", "O"]
    # A bias for another type does not help this word.
    assert decode([near, clear], LABELS, {"ORG": 1.0}) == ["O", "O"]
    # Zero marginals are clipped, not a math domain error.
    assert decode([[1.0] + [0.0] * 8], LABELS, {"LOC": math.log(2)}) == ["O"]
    assert decode([], LABELS, {"PER": 1.0}) == []
    # Marginals that say nothing (all zero, or NaN) give no name.
    assert decode([[0.0] * 9, [math.nan] * 9], LABELS, {}) == ["O", "O"]


def test_an_inside_label_is_reached_through_its_beginning():
    # The best label of token 1 alone is I-LOC, but token 0 is PER: LOC cannot continue it,
    # so the decoder picks the best well-formed reading instead.
    first = [0.1, 0.8, 0.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0]
    second = [0.2, 0.0, 0.3, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0]
    tags = decode([first, second], LABELS, {})
    assert well_formed(tags)
    assert tags == ["B-PER", "I-PER"]


def sentences(*texts: str):
    return [tokenize(text) for text in texts]


def test_the_document_step_spreads_names_but_not_the_adjective_left_by_a_head():
    doc = sentences(
        "قالت حركة طالبان إن الجامعة العربية ستجتمع",
        "وردت طالبان على بيان اللغة العربية",
    )
    labels = [
        ["O", "B-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "O"],
        ["O", "O", "O", "O", "O", "O"],
    ]
    out = propagate(doc, labels)
    second = dict(zip([t.text for t in doc[1]], out[1], strict=True))
    # "طالبان" without its head "حركة" is a name (it rarely takes the article in news);
    # "العربية" without "الجامعة" is an adjective.
    assert second["طالبان"] == "B-ORG"
    assert second["العربية"] == "O"


def test_a_last_name_spreads_from_a_full_name():
    doc = sentences("أعلن ينس ستولتنبرغ أمس", "وأضاف ستولتنبرغ أن الحلف مستعد")
    out = propagate(doc, [["O", "B-PER", "I-PER", "O"], ["O"] * len(doc[1])])
    assert out[1][1] == "B-PER"


@pytest.fixture(scope="module")
def shipped() -> Tagger:
    model = tagger()
    if model is None:
        pytest.skip("the model file is not built (make train-ner)")
    return model


def test_the_shipped_model_tags_names_from_current_news(shipped: Tagger):
    # Names of 2022 news: none of them is in the 2007 ANERcorp text.
    text = (
        "وقال الرئيس الأوكراني فولوديمير زيلينسكي إن القائد العام فاليري زالوجني زار مدينة باخموت"
    )
    tokens = tokenize(text)
    tags = shipped.tag(tokens)
    assert well_formed(tags)
    found = {t.text: tag for t, tag in zip(tokens, tags, strict=True)}
    assert found["زيلينسكي"].endswith("PER")
    assert found["زالوجني"].endswith("PER")
    assert found["باخموت"].endswith("LOC")
    assert found["الرئيس"] == "O"


def test_the_shipped_model_survives_text_without_names(shipped: Tagger):
    assert shipped.tag([]) == []
    assert set(shipped.tag(tokenize("... !!! ؟؟ ، ، ."))) == {"O"}
    tags = shipped.tag(tokenize("hello world 2024 " * 200))
    assert len(tags) == 600 and well_formed(tags)


def test_a_bias_setting_is_served_as_it_was_scored(shipped: Tagger):
    # train_ner.py scores any bias setting, zeros included, with the posterior decoder: the
    # tagger serves it with the same decoder, and only an empty setting is plain Viterbi.
    tokens = tokenize("وقال الأمير تركي الفيصل إن الوفد وصل إلى الرياض مساء الأحد")
    zeros = Tagger(bias={"PER": 0.0, "LOC": 0.0, "ORG": 0.0}, weight=0.0)
    assert zeros.tag(tokens) == decode(zeros.marginals(tokens), zeros.labels, zeros.bias)
    assert Tagger(bias={}, weight=0.0).tag(tokens) == shipped.viterbi(tokens)


def test_biased_tagging_is_safe_across_threads(shipped: Tagger):
    # The API's worker threads share one tagger: a posterior decode reads the marginals of
    # the sentence it set, not another thread's.
    from concurrent.futures import ThreadPoolExecutor

    model = Tagger(bias={"PER": 1.0, "ORG": 1.0})
    sentences = [
        tokenize("وقال الرئيس الأوكراني فولوديمير زيلينسكي إن قواته دخلت خيرسون"),
        tokenize("أعلنت وزارة الدفاع الروسية انسحاب القوات"),
    ]
    expected = [model.tag(tokens) for tokens in sentences]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda i: model.tag(sentences[i % 2]), range(400)))
    assert all(tags == expected[i % 2] for i, tags in enumerate(results))
