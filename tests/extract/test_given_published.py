"""A publication date the container gives (a JSONL "published", --published) beats the page's."""

from __future__ import annotations

from rasid.extract import extract
from rasid.model import Page, Source

TEXT = (
    "أعلنت وزارة الصحة السعودية اليوم اكتمال استعداداتها لموسم الحج.\n\n"
    "وقال المتحدث إن الخطة تشمل المشاعر المقدسة."
)


def page(published: str) -> Page:
    return Page(
        source=Source(path="news.jsonl", format="jsonl"),
        kind="text",
        body=TEXT,
        given={"published": published},
    )


def test_a_given_day_is_the_publication_date_in_any_calendar() -> None:
    assert extract(page("2024-05-29T09:00:00+03:00")).published == "2024-05-29T09:00:00+03:00"
    article = extract(page("الأربعاء 21 ذو القعدة 1445 هـ"))
    assert (article.published, article.published_source) == ("2024-05-29", "given")


def test_a_year_of_another_calendar_is_no_publication_day() -> None:
    # 1445 AH is a span of days (2023-07-19/2024-07-06); the article cannot be published on it
    for value in ("عام 1445 هـ", "العام 1402 هجري شمسي"):
        article = extract(page(value))
        assert article.published is None
        assert f"unreadable publication date {value!r}" in article.errors
    assert extract(page("عام 2024")).published == "2024"
