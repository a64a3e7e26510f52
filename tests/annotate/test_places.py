"""The places layer: LOC entities of a record resolved to points, countries and provinces."""

from __future__ import annotations

from typing import Any

import pytest

from rasid.annotate import annotate_record
from rasid.annotate.doc import Doc
from rasid.annotate.places import annotate, source_country
from rasid.geo import haversine
from rasid.model import Record, Source


def loc(text: str, start: int, entity: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "text": text, "type": "LOC", "start": start, "end": start + len(text),
        "entity": entity or text, "name": text, **extra,
    }  # fmt: skip


def record_with(
    text: str, names: list[str], site: str | None = None, entities: list | None = None
) -> Record:
    """A record whose LOC entities are the given names, at their first place in the text."""
    if entities is None:
        entities = [loc(name, text.index(name)) for name in names]
    return Record(
        id="r1", source=Source(path="x", site=site), title=None, lede=None, author=None,
        published="2022-11-11", published_source="given", text=text, blocks=[], related=[],
        removed=[], lang="ar", errors=[], entities=entities,
    )  # fmt: skip


def places_of(rec: Record) -> dict[str, dict[str, Any]]:
    annotate(Doc(rec))
    return {p["name"]: p for p in rec.places}


KHERSON = (
    "دخلت القوات الأوكرانية مدينة خيرسون اليوم الجمعة بعد انسحاب القوات الروسية إلى الضفة "
    "الشرقية لنهر دنيبرو، فيما قالت كييف إن موسكو تسعى لحماية شبه جزيرة القرم."
)


def test_the_seed_places() -> None:
    rec = record_with(KHERSON, ["خيرسون", "نهر دنيبرو", "كييف", "موسكو", "شبه جزيرة القرم"])
    places = places_of(rec)
    expected = {
        "خيرسون": ("UA", 46.64, 32.61),
        "كييف": ("UA", 50.45, 30.52),
        "موسكو": ("RU", 55.75, 37.62),
        "شبه جزيرة القرم": ("UA", 45.3, 34.4),
    }
    for name, (country, lat, lon) in expected.items():
        place = places[name]
        assert place["country"] == country
        assert haversine(lat, lon, place["lat"], place["lon"]) < 10, name
    river = places["نهر دنيبرو"]
    assert (river["country"], river["lat"], river["lon"]) == ("UA", None, None)
    assert river["kind"] == "river"
    assert places["خيرسون"]["admin1"] == "UA-65"
    assert places["خيرسون"]["geonames_id"] == 706448


def test_one_place_per_entity_first_mention_names_it() -> None:
    text = "قصفت القوات الروسية خاركيف. وقال رئيس بلدية خاركوف إن الكهرباء انقطعت."
    entities = [
        loc("خاركيف", text.index("خاركيف"), entity="kharkiv"),
        loc("خاركوف", text.index("خاركوف"), entity="kharkiv"),
    ]
    rec = record_with(text, [], entities=entities)
    annotate(Doc(rec))
    assert len(rec.places) == 1
    (place,) = rec.places
    assert (place["name"], place["entity"], place["country"]) == ("خاركيف", "kharkiv", "UA")


def test_other_places_in_the_article_disambiguate() -> None:
    libya = "اندلعت اشتباكات في طرابلس بعد أيام من معارك في بنغازي ومصراتة."
    lebanon = "اندلعت اشتباكات في طرابلس شمال لبنان، وامتدت إلى صيدا وبيروت."
    assert (
        places_of(record_with(libya, ["طرابلس", "بنغازي", "مصراتة"]))["طرابلس"]["country"] == "LY"
    )
    tripoli = places_of(record_with(lebanon, ["طرابلس", "لبنان", "صيدا", "بيروت"]))["طرابلس"]
    assert tripoli["country"] == "LB"
    assert haversine(34.43, 35.84, tripoli["lat"], tripoli["lon"]) < 20


def test_the_sources_country_disambiguates() -> None:
    text = "عاد الهدوء إلى البيضاء بعد ليلة من القصف."
    assert (
        places_of(record_with(text, ["البيضاء"], site="news.example.ye"))["البيضاء"]["country"]
        == "YE"
    )
    assert (
        places_of(record_with(text, ["البيضاء"], site="news.example.ly"))["البيضاء"]["country"]
        == "LY"
    )


def test_generic_words_choose_province_or_city() -> None:
    text = "سقطت قذائف على محافظة إدلب ثم على مدينة الرقة."
    places = places_of(record_with(text, ["محافظة إدلب", "مدينة الرقة"]))
    assert (places["محافظة إدلب"]["resolution"], places["محافظة إدلب"]["admin1"]) == (
        "admin1",
        "SY-ID",
    )
    raqqa = places["مدينة الرقة"]
    assert raqqa["kind"] == "city"
    assert haversine(35.95, 39.01, raqqa["lat"], raqqa["lon"]) < 10


def test_provinces_of_the_war_zones() -> None:
    text = (
        "نزح آلاف السكان من ولاية الخرطوم إلى ولاية الجزيرة، فيما تواصلت المعارك في ولاية شمال "
        "دارفور. وفي اليمن ضربت السيول محافظة حضرموت، وفي ليبيا أعلنت شعبية الكفرة حالة الطوارئ، "
        "بينما قصفت روسيا أوبلاست خاركيف."
    )
    names = [
        "ولاية الخرطوم", "ولاية الجزيرة", "ولاية شمال دارفور", "اليمن", "محافظة حضرموت",
        "ليبيا", "شعبية الكفرة", "روسيا", "أوبلاست خاركيف",
    ]  # fmt: skip
    places = places_of(record_with(text, names))
    expected = {
        "ولاية الخرطوم": "SD-KH",
        "ولاية الجزيرة": "SD-GZ",
        "ولاية شمال دارفور": "SD-DN",
        "محافظة حضرموت": "YE-HD",
        "شعبية الكفرة": "LY-KF",
        "أوبلاست خاركيف": "UA-63",
    }
    for name, code in expected.items():
        place = places[name]
        assert (place["resolution"], place["kind"], place["admin1"]) == ("admin1", "admin1", code)
    # A province's point is the middle of its land: Hadramawt's is inland, far from Mukalla.
    hadramawt = places["محافظة حضرموت"]
    assert hadramawt["lat"] > 16.0
    kharkiv = places["أوبلاست خاركيف"]
    assert haversine(49.6, 36.5, kharkiv["lat"], kharkiv["lon"]) < 60


def test_a_nationality_adjective_names_the_country() -> None:
    text = "وصلت المساعدات إلى رفح الفلسطينية، وعقد اجتماع في طرابلس اللبنانية."
    places = places_of(record_with(text, ["رفح الفلسطينية", "طرابلس اللبنانية"]))
    rafah, tripoli = places["رفح الفلسطينية"], places["طرابلس اللبنانية"]
    assert rafah["country"] == "PS"
    assert haversine(31.29, 34.25, rafah["lat"], rafah["lon"]) < 10
    assert tripoli["country"] == "LB"
    assert haversine(34.43, 35.84, tripoli["lat"], tripoli["lon"]) < 20


def test_a_province_named_after_two_places_is_found_by_the_first() -> None:
    text = "داهمت القوات الإسرائيلية بلدات في محافظة رام الله والبيرة فجر اليوم."
    place = places_of(record_with(text, ["محافظة رام الله والبيرة"]))["محافظة رام الله والبيرة"]
    assert place["country"] == "PS"
    assert haversine(31.90, 35.20, place["lat"], place["lon"]) < 15


def test_towns_of_the_war_news() -> None:
    text = (
        "سيطرت قوات الدعم السريع على كتم وكبكابية في شمال دارفور، وقصفت مسيرات مدينة "
        "بيلا تسيركفا قرب كييف، واشتبكت فصائل قرب هجين في ريف دير الزور."
    )
    names = ["كتم", "كبكابية", "دارفور", "بيلا تسيركفا", "كييف", "هجين", "دير الزور"]
    places = places_of(record_with(text, names))
    expected = {
        "كتم": ("SD", 14.20, 24.67),
        "كبكابية": ("SD", 13.65, 24.08),
        "بيلا تسيركفا": ("UA", 49.80, 30.12),
        "هجين": ("SY", 34.70, 40.83),
    }
    for name, (country, lat, lon) in expected.items():
        place = places[name]
        assert place["country"] == country, name
        assert haversine(lat, lon, place["lat"], place["lon"]) < 10, name


def test_countries_resolve_as_countries() -> None:
    text = "وقعت سوريا والعراق اتفاقا أمنيا بحضور ممثلين عن الجزائر."
    places = places_of(record_with(text, ["سوريا", "العراق", "الجزائر"]))
    assert {(p["country"], p["resolution"]) for p in places.values()} == {
        ("SY", "country"),
        ("IQ", "country"),
        ("DZ", "country"),
    }


def test_a_frontline_town_no_list_has_is_sounded_out() -> None:
    # GeoNames has no Arabic name for Siversk: its Latin name is matched by consonants.
    text = "تقدمت القوات الروسية نحو سيفيرسك في شرق أوكرانيا."
    place = places_of(record_with(text, ["سيفيرسك", "أوكرانيا"]))["سيفيرسك"]
    assert (place["resolution"], place["country"], place["admin1"]) == ("skeleton", "UA", "UA-14")
    assert place["confidence"] <= 0.5
    assert haversine(48.86, 38.10, place["lat"], place["lon"]) < 10


def test_unknown_places_stay_unresolved() -> None:
    text = "وصلت القافلة إلى وادي القمر الفضي مساء أمس."
    (place,) = places_of(record_with(text, ["وادي القمر الفضي"])).values()
    assert place["resolution"] == "unresolved"
    assert place["lat"] is None and place["country"] is None and place["confidence"] == 0.0


def test_only_loc_entities_become_places() -> None:
    text = "قال فلاديمير بوتين في موسكو إن وزارة الدفاع أنهت الانسحاب."
    entities = [
        {"text": "فلاديمير بوتين", "type": "PER", "start": 4, "end": 18, "entity": "p1"},
        loc("موسكو", text.index("موسكو")),
        {"text": "وزارة الدفاع", "type": "ORG", "start": 27, "end": 39, "entity": "o1"},
    ]
    rec = record_with(text, [], entities=entities)
    annotate(Doc(rec))
    assert [p["name"] for p in rec.places] == ["موسكو"]


@pytest.mark.parametrize(
    "entities",
    [
        [],
        [loc("كلمة " * 5000, 0)],
        [loc("!!!", 0)],
        [loc("", 0)],
        [{"type": "LOC"}],
        [loc("Kherson", 0)],
    ],
)
def test_bad_entities_never_raise(entities: list) -> None:
    rec = record_with("نص قصير عن الحرب.", [], entities=entities)
    annotate_record(rec)
    assert not [e for e in rec.errors if "places" in e]
    assert all(p["resolution"] in {"unresolved", "skeleton"} for p in rec.places)


def test_source_country() -> None:
    assert source_country("www.alwatan.sy") == "SY"
    assert source_country("bbc.co.uk") == "GB"
    assert source_country("aljazeera.net") is None
    assert source_country(None, "https://www.sabanews.ye/news/1") == "YE"
    assert source_country(None, None) is None


def test_a_short_sound_alike_needs_the_articles_country() -> None:
    # "فولين" (Volyn) has three consonants: sounded out only once Ukraine is in the article.
    text = "سقطت مسيرات في منطقة فولين غرب أوكرانيا."
    places = places_of(record_with(text, ["فولين", "أوكرانيا"]))
    assert (places["فولين"]["country"], places["فولين"]["resolution"]) == ("UA", "skeleton")
    alone = places_of(record_with("سقطت مسيرات في فولين.", ["فولين"]))
    assert alone["فولين"]["country"] != "UA"
