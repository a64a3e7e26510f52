"""The annotation pipeline runs components in order; a failing one leaves an error, not a crash."""

from __future__ import annotations

from rasid.annotate import Doc, annotate_record
from rasid.model import Record, Source


def record(text: str) -> Record:
    return Record(
        id="r1", source=Source(path="x"), title=None, lede=None, author=None, published=None,
        published_source=None, text=text, blocks=[], related=[], removed=[], lang="ar", errors=[],
    )  # fmt: skip


def test_components_run_in_order_and_share_the_doc():
    seen: list[str] = []

    def first(doc: Doc) -> None:
        doc.shared["first"] = len(doc.sentences)
        seen.append("first")

    def second(doc: Doc) -> None:
        doc.record.dates.append({"text": "اليوم", "sentences": doc.shared["first"]})
        seen.append("second")

    result = annotate_record(
        record("تقدمت القوات إلى خيرسون. وقال المتحدث إن الانسحاب اكتمل."),
        [("first", first), ("second", second)],
    )
    assert seen == ["first", "second"]
    assert result.dates == [{"text": "اليوم", "sentences": 2}]


def test_a_failing_component_names_itself_and_the_rest_still_run():
    def broken(doc: Doc) -> None:
        raise ValueError("lexicon missing")

    def fine(doc: Doc) -> None:
        doc.record.places.append({"name": "خيرسون"})

    result = annotate_record(
        record("خيرسون مدينة أوكرانية."), [("entities", broken), ("places", fine)]
    )
    assert result.errors == ["annotate.entities: ValueError: lexicon missing"]
    assert result.places == [{"name": "خيرسون"}]


def test_a_text_too_long_for_an_article_is_annotated_up_to_the_limit(monkeypatch):
    monkeypatch.setattr("rasid.annotate.doc.MAX_CHARS", 40)
    text = "وصل الوفد إلى خيرسون صباح الأحد. " + "ثم عاد الوفد إلى كييف مساء. " * 20
    result = annotate_record(record(text))
    assert result.text == text  # the record keeps all of it
    assert result.errors == [
        f"annotate: text of {len(text):,} characters; only the first 40 were annotated"
    ]
    assert {e["text"] for e in result.entities} == {"خيرسون"}
    assert all(e["end"] <= 40 for e in result.entities)
