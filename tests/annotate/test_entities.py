"""The entity layer: PER/LOC/ORG/WEAPON mentions with exact spans, one entity id per thing."""

from __future__ import annotations

import json

import pytest

from rasid.annotate import Doc
from rasid.annotate.entities import annotate, skeleton
from rasid.arabic.normalize import normalize
from rasid.model import Record, Source
from tests.shared import shared_path


def record(text: str) -> Record:
    return Record(
        id="r1", source=Source(path="x"), title=None, lede=None, author=None, published=None,
        published_source=None, text=text, blocks=[], related=[], removed=[], lang="ar", errors=[],
    )  # fmt: skip


def entities(text: str) -> list[dict]:
    doc = Doc(record(text))
    annotate(doc)
    return doc.record.entities


def by_text(found: list[dict]) -> dict[str, dict]:
    return {e["text"]: e for e in found}


def assert_well_formed(text: str, found: list[dict]) -> None:
    last_end = -1
    for e in found:
        assert text[e["start"] : e["end"]] == e["text"]
        assert e["start"] >= last_end, "mentions overlap or are out of order"
        assert e["type"] in {"PER", "LOC", "ORG", "WEAPON"}
        assert e["entity"].startswith(e["type"].lower() + ":")
        last_end = e["end"]


def test_people_places_and_organisations_in_a_news_sentence():
    text = (
        "وقال المتحدث باسم الكرملين ديمتري بيسكوف للصحفيين في موسكو إن روسيا لن تتنازل "
        "عن مطالبها في خيرسون، فيما أعلنت وزارة الدفاع الروسية انسحاب قواتها."
    )
    found = entities(text)
    assert_well_formed(text, found)
    kinds = {e["text"]: e["type"] for e in found}
    assert kinds["الكرملين"] == "ORG"
    assert kinds["ديمتري بيسكوف"] == "PER"
    assert kinds["موسكو"] == "LOC"
    assert kinds["روسيا"] == "LOC"
    assert kinds["خيرسون"] == "LOC"
    assert kinds["وزارة الدفاع الروسية"] == "ORG"


def test_a_bare_definite_place_noun_is_not_a_place_name():
    text = (
        "دخلت القوات الأوكرانية مدينة خيرسون يوم الجمعة، ورفع السكان العلم في وسط المدينة "
        "بعد انسحاب القوات الروسية من المنطقة، فيما زار المدينة المنورة وفد من الحجاج."
    )
    found = entities(text)
    assert_well_formed(text, found)
    places = [e["text"] for e in found if e["type"] == "LOC"]
    assert "خيرسون" in places
    assert "المدينة" not in places and "المنطقة" not in places


def test_aliases_of_one_person_share_one_entity_with_a_display_name():
    text = (
        "استقبل الرئيس الروسي فلاديمير بوتين وفدا أفريقيا في الكرملين. "
        "وقال بوتين إن المحادثات كانت مثمرة، وأضاف وبوتين يبتسم إن الاتفاق قريب."
    )
    found = entities(text)
    assert_well_formed(text, found)
    putin = [e for e in found if e["type"] == "PER"]
    assert [e["text"] for e in putin] == ["فلاديمير بوتين", "بوتين", "بوتين"]
    assert {e["entity"] for e in putin} == {"per:vladimir-putin"}
    assert {e["name"] for e in putin} == {"فلاديمير بوتين"}
    assert {e["en"] for e in putin} == {"Vladimir Putin"}


def test_a_city_known_only_to_geonames_is_named_as_the_article_spells_it():
    # GeoNames' first Arabic names for these are "د مشق" and "ااالخرطوم".
    text = "وصل الوفد إلى دمشق صباح الأحد قادما من الخرطوم، ثم عاد إلى دمشق مساء."
    found = entities(text)
    assert_well_formed(text, found)
    names = {e["entity"]: e["name"] for e in found}
    assert names["loc:geonames-170654"] == "دمشق"
    assert names["loc:geonames-379252"] == "الخرطوم"
    assert by_text(found)["الخرطوم"]["en"] == "Khartoum"


class _ReadsMissouriAsAPerson:
    """The model as it read one long real page: ميزوري a person throughout."""

    def tag_many(self, sentences):
        return [["B-PER" if t.norm.endswith("ميزوري") else "O" for t in s] for s in sentences]


def test_a_name_after_a_place_head_is_a_place_in_the_whole_record(monkeypatch):
    monkeypatch.setattr("rasid.annotate.entities.tagger", _ReadsMissouriAsAPerson)
    text = (
        "زار الوفد ولاية ميزوري الأميركية الأسبوع الماضي. "
        "وقالت لجنة بمجلس نواب ميزوري إن الزيارة انتهت، ثم غادر الوفد ميزوري إلى واشنطن."
    )
    found = entities(text)
    assert_well_formed(text, found)
    missouri = [e for e in found if e["text"] == "ميزوري"]
    assert len(missouri) == 3
    assert {(e["type"], e["entity"]) for e in missouri} == {("LOC", "loc:مزر")}


def test_a_head_with_the_article_or_before_a_given_name_settles_nothing():
    # With the article, المدينة is a noun of its own, not "the city of …".
    text = "وزار المدينة غرايتنز أمس، وقال غرايتنز إن الزيارة كانت ناجحة."
    assert {e["type"] for e in entities(text)} == {"PER"}
    # A village called after a given name says nothing of the speaker of that name.
    text = "وعاد الوفد من قرية إبراهيم، وقال إبراهيم إن الطريق مفتوح."
    speaker = [e for e in entities(text) if e["start"] > text.index("وقال")]
    assert [(e["text"], e["type"]) for e in speaker] == [("إبراهيم", "PER")]


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        # ولاية as a term of office, before a person.
        ("تراجع الاقتصاد خلال ولاية بولسونارو، وقال بولسونارو إن الأرقام مضللة.",
         "بولسونارو", "PER"),
        # محافظة as a (female) governor, before an organisation.
        ("قالت محافظة البنك المركزي الأوروبي كريستين لاغارد إن التضخم يتراجع.",
         "البنك المركزي الأوروبي", "ORG"),
        # The article with ل: للمدينة is "to the city", no head.
        ("وأهدى للمدينة غرايتنز تمثالا، وقال غرايتنز إن التمثال هدية.", "غرايتنز", "PER"),
    ],
)  # fmt: skip
def test_a_head_that_is_another_noun_here_settles_nothing(text: str, name: str, kind: str):
    found = entities(text)
    assert_well_formed(text, found)
    assert {e["type"] for e in found if e["text"] == name} == {kind}


def test_the_islamic_state_s_long_names_are_one_organisation():
    for text in (
        "وقال تنظيم الدولة الإسلامية في العراق وسوريا إنه نفذ الهجوم.",
        'وقاتلت الفصائل ما يعرف بـ"الدولة الإسلامية في العراق والشام" قرب الحسكة.',
    ):
        orgs = [e for e in entities(text) if e["type"] == "ORG"]
        assert [e["entity"] for e in orgs] == ["org:islamic-state"], text


def test_adverbs_the_model_glues_to_a_name_stay_outside_it():
    text = (
        "وبحث وزير الخارجية آنذاك سامر الحداد هاتفيا مع نظيره الأزمة، "
        "ثم اتصل الحداد مجددا بالمبعوث."
    )
    found = entities(text)
    assert_well_formed(text, found)
    assert [e["text"] for e in found if e["type"] == "PER"] == ["سامر الحداد", "الحداد"]


def test_a_client_noun_and_an_attached_preposition_stay_outside_a_name():
    text = "وقال محامي كوهن إن موكله بريء. وقدم النادي التهنئة لياسر أحمد على فوزه."
    found = entities(text)
    assert_well_formed(text, found)
    assert [e["text"] for e in found if e["type"] == "PER"] == ["كوهن", "ياسر أحمد"]


def test_a_name_that_starts_like_a_proclitic_keeps_its_letters():
    # كاليفورنيا read as ك + الـ + يفورنيا lost its first letter.
    text = "وقال حاكم ولاية كاليفورنيا إن الحرائق تراجعت، ووصلت السفينة إلى كالينينغراد."
    found = entities(text)
    assert_well_formed(text, found)
    assert [e["text"] for e in found] == ["كاليفورنيا", "كالينينغراد"]


def test_a_country_whose_cldr_name_holds_an_aside_is_listed_by_each_name():
    text = "عبر آلاف اللاجئين من ميانمار إلى بنغلاديش، وتقول الأمم المتحدة إن بورما لم ترد."
    found = entities(text)
    ids = {e["text"]: (e["entity"], e["name"]) for e in found}
    assert ids["ميانمار"] == ids["بورما"] == ("loc:country-mm", "ميانمار")


def test_spelling_variants_meet_in_one_entity():
    text = (
        "أعلن الكرملين أمس استعداده للحوار، لكن الكريملين عاد وأكد شروطه. "
        "وقال كوناشينكوف إن القوات تقدمت، ثم نفى كوناشنكوف ذلك."
    )
    found = entities(text)
    assert_well_formed(text, found)
    ids = {e["text"]: e["entity"] for e in found}
    assert ids["الكرملين"] == ids["الكريملين"]
    assert ids["كوناشينكوف"] == ids["كوناشنكوف"]


def test_the_skeleton_key_ignores_long_vowels_and_the_article():
    assert skeleton([normalize("الكرملين")]) == skeleton([normalize("الكريملين")])
    assert skeleton([normalize("كوناشينكوف")]) == skeleton([normalize("كوناشنكوف")])
    assert skeleton([normalize("خيرسون")]) != skeleton([normalize("خاركيف")])


def test_attached_clitics_stay_outside_the_span_and_the_article_stays_inside():
    text = "وصل الوفد إلى بخيرسون ولروسيا وبالكرملين، ثم التقى وزيلينسكي."
    found = by_text(entities(text))
    assert found["خيرسون"]["entity"] == "loc:kherson"
    assert found["روسيا"]["entity"] == "loc:country-ru"
    assert found["الكرملين"]["entity"] == "org:kremlin"
    assert found["زيلينسكي"]["entity"] == "per:volodymyr-zelensky"
    for mention in found.values():
        assert text[mention["start"] : mention["end"]] == mention["text"]


def test_entity_ids_are_stable_across_records():
    first = by_text(entities("زار الرئيس الأوكراني فولوديمير زيلينسكي مدينة خاركيف."))
    second = by_text(entities("قال زيلينسكي إن خاركيف صمدت."))
    assert first["فولوديمير زيلينسكي"]["entity"] == second["زيلينسكي"]["entity"]
    assert first["خاركيف"]["entity"] == second["خاركيف"]["entity"]


def test_weapons_in_a_military_context_with_arabic_and_latin_aliases_merged():
    text = (
        "دمرت طائرة زالا ZALA الانتحارية بدون طيار منظومة دفاع جوي من طراز Buk-M1، "
        "كما استهدفت طائرة لانسيت الروسية مدفعا أوكرانيا."
    )
    found = entities(text)
    assert_well_formed(text, found)
    weapons = {e["text"]: e["entity"] for e in found if e["type"] == "WEAPON"}
    assert weapons["زالا"] == weapons["ZALA"] == "weapon:zala"
    assert weapons["Buk-M1"] == "weapon:buk"
    assert weapons["لانسيت"] == "weapon:lancet"


def test_ambiguous_weapon_names_need_a_military_context():
    medical = "نشرت مجلة لانسيت الطبية دراسة جديدة عن مرض السكري لدى الأطفال."
    assert not [e for e in entities(medical) if e["type"] == "WEAPON"]
    watch = "شاهد الفيديو الكامل للمباراة على موقعنا."
    assert not [e for e in entities(watch) if e["type"] == "WEAPON"]
    drones = "أطلقت القوات الروسية طائرات شاهد على منشآت الطاقة في أوديسا."
    shahed = [e for e in entities(drones) if e["type"] == "WEAPON"]
    assert [(e["text"], e["entity"]) for e in shahed] == [("شاهد", "weapon:shahed-136")]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The quick brown fox jumps over the lazy dog. Nothing Arabic here.",
        "!!! ... ؟؟ ،،، — ««»» ((( )))",
        "١٢٣ 456 ٧٨٩",
        "\x00\x01\ufeff\u200f",
    ],
)
def test_garbage_input_gives_an_empty_or_partial_list(text: str):
    found = entities(text)
    assert isinstance(found, list)
    assert_well_formed(text, found)


def test_a_very_long_text_is_tagged_without_error():
    sentence = "وقال زيلينسكي إن القوات الأوكرانية صدت هجوما روسيا قرب باخموت "
    text = sentence * (200_000 // len(sentence.split()))
    found = entities(text)
    assert_well_formed(text, found)
    assert {e["entity"] for e in found} >= {"per:volodymyr-zelensky", "loc:bakhmut"}


def test_the_seed_page_finds_every_gold_name_with_aliases_merged():
    from rasid.extract import extract
    from rasid.ingest import read

    seed = shared_path("seed", "kherson.txt")
    gold = json.loads(shared_path("seed", "kherson.expected.json").read_text(encoding="utf-8"))
    page = next(read([str(seed)]))
    doc = Doc(Record.from_article(extract(page, published=gold["published_given"])))
    annotate(doc)
    found = doc.record.entities
    assert_well_formed(doc.text, found)
    seen = {(e["type"], e["text"]) for e in found}
    for kind, names in gold["entities"].items():
        for name in names:
            assert (kind, name) in seen, f"{kind} {name} not found"
    ids = {e["text"]: e["entity"] for e in found}
    for group in gold["aliases"]:
        assert len({ids[name] for name in group}) == 1, group


def test_later_layers_find_each_entity_s_mentions_in_doc_shared():
    doc = Doc(record("قال بوتين في الكرملين إن فلاديمير بوتين لن يتراجع."))
    annotate(doc)
    index = doc.shared["entities"]
    mentions = [doc.record.entities[i]["text"] for i in index["per:vladimir-putin"]]
    assert mentions == ["بوتين", "فلاديمير بوتين"]
    assert [doc.record.entities[i]["text"] for i in index["org:kremlin"]] == ["الكرملين"]
