"""The dates layer fills record.dates with every date expression, resolved against published."""

from __future__ import annotations

from rasid.annotate import annotate_record
from rasid.annotate.dates import annotate
from rasid.annotate.doc import Doc
from rasid.ingest import read
from rasid.model import Record, Source
from rasid.pipeline import process

TEXT = (
    "دخلت وحدات من الجيش الأوكراني مدينة خيرسون اليوم الجمعة، بعد يوم من إعلان موسكو "
    "انسحابها. وكانت روسيا قد أعلنت ضم المنطقة في سبتمبر، بعد أن ضمت شبه جزيرة القرم في عام 2014. "
    "وقال المتحدث سامر الحلبي إن الاجتماع المقبل سيعقد في 20 نوفمبر."
)


def record(text: str, published: str | None) -> Record:
    return Record(
        id="r1", source=Source(path="x"), title=None, lede=None, author=None,
        published=published, published_source="given", text=text, blocks=[], related=[],
        removed=[], lang="ar", errors=[],
    )  # fmt: skip


def test_dates_resolved_against_the_publication_date() -> None:
    rec = record(TEXT, "2022-11-11T15:42:18+00:00")
    annotate(Doc(rec))
    assert [(d["text"], d["value"], d["precision"], d["relative"]) for d in rec.dates] == [
        ("اليوم الجمعة", "2022-11-11", "day", True),
        ("في سبتمبر", "2022-09", "month", True),
        ("في عام 2014", "2014", "year", False),
        ("في 20 نوفمبر", "2022-11-20", "day", True),
    ]
    for d in rec.dates:
        assert rec.text[d["start"] : d["end"]] == d["text"]


def test_without_publication_date_relative_values_are_null() -> None:
    rec = record(TEXT, None)
    annotate(Doc(rec))
    assert [(d["text"], d["value"]) for d in rec.dates] == [
        ("اليوم الجمعة", None),
        ("في سبتمبر", None),
        ("في عام 2014", "2014"),
        ("في 20 نوفمبر", None),
    ]


def test_runs_in_the_pipeline_and_never_breaks_it() -> None:
    for text in ["", "!!! ... ؟؟؟", "Kherson " * 5000, "اليوم " * 5000]:
        rec = annotate_record(record(text, "2022-11-11"))
        assert not [e for e in rec.errors if "dates" in e]
        assert isinstance(rec.dates, list)


def test_seed_page_dates(seed_page, seed_gold) -> None:
    gold = {(d["text"], d["value"]) for d in seed_gold["dates"]}
    (page,) = list(read([str(seed_page)]))
    rec = process(page, published=seed_gold["published_given"])
    assert gold <= {(d["text"], d["value"]) for d in rec.dates}


def test_the_publication_date_tells_a_hijri_year_from_a_gregorian_one() -> None:
    text = "أعلنت وزارة الحج اكتمال خطة موسم حج العام 1445، في ذكرى فتح القسطنطينية عام 1453."
    rec = record(text, "2024-05-29T09:00:00+03:00")
    annotate(Doc(rec))
    assert [(d["text"], d["value"], d["precision"]) for d in rec.dates] == [
        ("العام 1445", "2023-07-19/2024-07-06", "year"),
        ("عام 1453", "1453", "year"),
    ]
    # without the publication date neither year can be told: no value is guessed
    rec = record(text, None)
    annotate(Doc(rec))
    assert [(d["text"], d["value"]) for d in rec.dates] == [
        ("العام 1445", None),
        ("عام 1453", None),
    ]
