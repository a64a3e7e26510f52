"""The neural tagger: numpy inference of the shipped network, and its combination with the CRF."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from rasid.annotate.ner import neural
from rasid.annotate.ner.model import Tagger, combine, decode_scores, neural_weight, tagger
from rasid.annotate.ner.neural import MAX_BATCH, NEURAL, Network, char_string, network
from rasid.arabic.tokenize import tokenize

from .test_model import well_formed

NEWS_2022 = "قال الرئيس الأوكراني فولوديمير زيلينسكي إن القوات الروسية قصفت باخموت"


@pytest.fixture(scope="module")
def shipped() -> Network:
    model = network()
    if model is None:
        pytest.skip("the network file is not built (make train-ner)")
    return model


def test_the_network_loads_and_tags_without_torch():
    # The runtime stays light: a process where importing torch fails still tags with both
    # models combined.
    if not NEURAL.exists():
        pytest.skip("the network file is not built (make train-ner)")
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "from rasid.annotate.ner.model import tagger\n"
        "from rasid.arabic.tokenize import tokenize\n"
        "model = tagger()\n"
        "assert model.network is not None\n"
        f"print(' '.join(model.tag(tokenize({NEWS_2022!r}))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "B-PER" in result.stdout.split()


def test_each_token_gets_a_probability_row_that_sums_to_one(shipped: Network):
    tokens = tokenize("وأعلنت وزارة الدفاع الروسية، الأحد، أن قواتها انسحبت من خيرسون.")
    probabilities = shipped.probabilities(tokens)
    assert probabilities.shape == (len(tokens), len(shipped.labels))
    assert np.all(probabilities >= 0)
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    row = dict(zip([t.text for t in tokens], probabilities.argmax(axis=1), strict=True))
    assert shipped.labels[row["خيرسون"]] == "B-LOC"
    assert shipped.labels[row["انسحبت"]] == "O"


def test_the_network_reads_a_word_by_its_characters_and_clitics():
    (token,) = tokenize("وبوتين")
    assert char_string(token) == "<و|بوتين>"
    (long,) = tokenize("و" + "ب" * 40)
    assert len(char_string(long)) == 24


def test_the_combined_tagger_tags_names_anercorp_never_saw(shipped: Network):
    model = tagger()
    assert model is not None
    if neural_weight() == 0:
        pytest.skip("the shipped settings do not combine the network with the CRF")
    tokens = tokenize(NEWS_2022)
    tags = model.tag(tokens)
    assert well_formed(tags)
    found = dict(zip([t.text for t in tokens], tags, strict=True))
    assert found["فولوديمير"] == "B-PER"
    assert found["زيلينسكي"] == "I-PER"
    assert found["باخموت"] == "B-LOC"
    assert found["الرئيس"] == "O"
    assert found["قصفت"] == "O"


def test_combined_decoding_is_always_well_formed(shipped: Network):
    model = Tagger(weight=0.5, network=shipped)
    texts = [
        NEWS_2022,
        "أكد الأمين العام لحلف شمال الأطلسي ينس ستولتنبرغ أن الحلف سيدعم كييف",
        "وصل وفد من صندوق النقد الدولي إلى القاهرة لبحث قرض جديد مع البنك المركزي المصري",
        "الاتحاد الأوروبي يفرض عقوبات على شركة غازبروم وبنك سبيربنك",
    ]
    for text in texts:
        tags = model.tag(tokenize(text))
        assert well_formed(tags), (text, tags)


def test_a_document_tagged_as_one_batch_gets_the_labels_of_its_sentences(shipped: Network):
    model = Tagger(weight=0.4, network=shipped)
    document = [
        tokenize("وقال المتحدث باسم الكرملين ديمتري بيسكوف إن المحادثات لم تبدأ"),
        [],
        tokenize("من جهته، رد وزير الخارجية الأوكراني دميترو كوليبا"),
        tokenize("انتهى"),
    ]
    assert model.tag_many(document) == [model.tag(tokens) for tokens in document]
    batched = shipped.probabilities_many(document)
    for tokens, probabilities in zip(document, batched, strict=True):
        assert np.allclose(probabilities, shipped.probabilities(tokens), atol=1e-6)


def test_the_fast_path_of_the_decoder_gives_the_full_decoder_s_answer():
    # When each token's best label already forms a well-formed sequence the decoder takes it
    # without the search; either way the answer is the search's.
    labels = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]
    rng = np.random.default_rng(3)
    for _ in range(300):
        scores = np.log(rng.dirichlet(np.full(len(labels), 0.3), size=rng.integers(1, 15)))
        bias = {"PER": float(rng.choice([0.0, 1.0])), "ORG": float(rng.choice([-1.0, 0.0]))}
        fast = decode_scores(scores, labels, bias)
        assert fast == decode_scores(scores.tolist(), labels, bias)
        assert well_formed(fast)


def test_the_mixture_weights_the_two_models():
    crf = np.array([[0.9, 0.1], [0.2, 0.8]])
    net = np.array([[0.1, 0.9], [0.3, 0.7]])
    labels = ["O", "B-PER"]
    assert decode_scores(combine(crf, net, 0.0).tolist(), labels, {}) == ["O", "B-PER"]
    assert decode_scores(combine(crf, net, 1.0).tolist(), labels, {}) == ["B-PER", "B-PER"]
    # Zeros and NaN are clipped, never a math error, and say nothing for a name.
    scores = combine(np.array([[0.0, np.nan]]), np.array([[1.0, 0.0]]), 0.5)
    assert np.isfinite(scores).all()
    assert decode_scores(scores.tolist(), labels, {}) == ["O"]


def test_the_shipped_settings_find_their_network():
    # ner.json asks for the network: its file must ship (a wheel once left it out, and
    # the tagger silently fell back to the CRF alone).
    if neural_weight() > 0:
        assert NEURAL.exists()
        assert network() is not None


def test_without_the_network_file_the_tagger_is_the_crf_alone(monkeypatch, tmp_path):
    monkeypatch.setattr(neural, "NEURAL", tmp_path / "missing.npz")
    network.cache_clear()
    try:
        assert network() is None
        tokens = tokenize(NEWS_2022)
        crf = Tagger()
        assert crf.network is None
        assert crf.tag(tokens) == crf.viterbi(tokens)
    finally:
        network.cache_clear()


def test_an_unreadable_network_file_warns_and_falls_back_to_the_crf(monkeypatch, tmp_path):
    pointer = tmp_path / "ner_neural.npz"
    pointer.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n")
    monkeypatch.setattr(neural, "NEURAL", pointer)
    network.cache_clear()
    try:
        with pytest.warns(UserWarning, match="unreadable"):
            assert network() is None
    finally:
        network.cache_clear()


def test_a_word_s_labels_do_not_depend_on_what_was_tagged_before(shipped: Network):
    # The network caches each word's input projection; what depends on the sentence (its
    # edges, gazetteer spans) must stay out of that cache.
    before = "موسكو تعلن انسحاب قواتها من خيرسون إلى الضفة الشرقية لنهر دنيبرو"
    after = "قالت وزارة الدفاع في موسكو إن قواتها انسحبت من خيرسون"
    fresh = Network().probabilities(tokenize(after))
    warmed = Network()
    warmed.probabilities(tokenize(before))
    assert np.array_equal(warmed.probabilities(tokenize(after)), fresh)


@pytest.mark.parametrize(
    "text",
    ["", "hello world, no Arabic here 2024", "... !!! ؟؟ ، ، . «» —", "\x00\x01\ufeff\u200f"],
)
def test_garbage_gives_no_names_and_no_error(shipped: Network, text: str):
    tokens = tokenize(text)
    probabilities = shipped.probabilities(tokens)
    assert probabilities.shape == (len(tokens), len(shipped.labels))
    tags = Tagger(weight=0.5, network=shipped).tag(tokens)
    assert len(tags) == len(tokens)
    assert not any(tag.endswith(("PER", "ORG")) for tag in tags)


def test_a_huge_page_runs_in_bounded_batches(shipped: Network, monkeypatch):
    sentence = tokenize("قال الرئيس الأوكراني فولوديمير زيلينسكي إن القوات قصفت باخموت")
    page = [sentence] * (3 * MAX_BATCH + 5)
    sizes: list[int] = []
    run = Network._batch

    def counted(self, sentences, features):
        sizes.append(len(sentences))
        return run(self, sentences, features)

    monkeypatch.setattr(Network, "_batch", counted)
    labels = Tagger(network=shipped).tag_many(page)
    assert max(sizes) <= MAX_BATCH
    assert sum(sizes) == len(page)
    assert labels == [labels[0]] * len(page)
    assert labels[0][3:5] == ["B-PER", "I-PER"]


def test_one_very_long_sentence_is_read_without_error(shipped: Network):
    sentence = "قال الرئيس الأوكراني فولوديمير زيلينسكي إن القوات قصفت باخموت "
    tokens = tokenize(sentence * (20_000 // len(sentence.split())))
    probabilities = shipped.probabilities(tokens)
    assert probabilities.shape == (len(tokens), len(shipped.labels))
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
