"""Publication dates in the stores' story decision: an outlet's reprint under the agency's
headline joins the agency's story the next day, and the same headline a week later does not
(a weekly bulletin, the next step of an affair); `rasid.dedup.cluster` over the same articles
and dates makes the same stories. Runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from rasid import dedup
from rasid.model import Record
from rasid.store import open_store
from tests.store import records as r
from tests.test_dedup import AGENCY, HEADLINE, _with_word_added


def _article(id: str, text: str, published: str) -> Record:
    return r.make_record(id, text, title=HEADLINE, url=f"https://news.example/{id}",
                         published=published)  # fmt: skip


def test_a_week_old_headline_does_not_join_a_story_the_next_day_s_does(store_url: str) -> None:
    records = [
        _article("agency", AGENCY, "2024-03-10T09:30:00+03:00"),
        _article("next-day", _with_word_added(AGENCY, "كذلك"), "2024-03-11T07:00:00+03:00"),
        # a day without a time: 5 days and 14.5 hours after the agency's moment at the least
        _article("next-week", _with_word_added(AGENCY, "مجددا"), "2024-03-17"),
    ]
    with open_store(store_url) as store:
        store.put_batch(records)
        stored = [store.get(record.id)["story"] for record in records]

    assert stored == ["agency", "agency", "next-week"]

    table = dedup.fingerprint_table([record.text for record in records])
    titles = [record.title for record in records]
    dated = dedup.cluster(table, titles=titles, published=[rec.published for rec in records])
    assert [records[root].id for root in dated.story.tolist()] == stored
    # without the dates the week-old reprint joins through the headline
    assert dedup.cluster(table, titles=titles).story.tolist() == [0, 0, 0]
