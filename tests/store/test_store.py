"""The store contract, run against every backend (see conftest.BACKENDS)."""

from __future__ import annotations

import dataclasses

from rasid.model import Record, Source
from rasid.store import EventQuery, QuoteQuery, SearchQuery, Store, open_store
from tests.store import records as r


def test_a_batch_is_stored_and_counted(store: Store) -> None:
    result = store.put_batch(r.corpus())

    # the exact copy with harakat and tatweel is the wire story again: a source, not an article
    assert (result.stored, result.duplicates, result.failed, result.skipped) == (6, 1, 0, 0)
    stats = store.stats()
    assert stats.articles == 6
    assert stats.sources == 7
    assert stats.quotes == 2
    assert stats.events == 2
    assert stats.places == 1
    assert stats.failures == 0


def test_storing_the_same_records_again_stores_nothing(store: Store) -> None:
    store.put_batch(r.corpus())
    again = store.put_batch(r.corpus())

    assert (again.stored, again.duplicates, again.skipped) == (0, 0, 7)
    assert store.stats().articles == 6


def test_get_returns_the_contract_with_story_and_sources(store: Store) -> None:
    wire = r.wire()
    store.put_batch([wire, r.exact_copy(), r.rewrite()])

    record = store.get("wire-alpha")

    assert record is not None
    for field in dataclasses.fields(Record):
        assert field.name in record
    assert record["text"] == wire.text
    assert record["entities"] == wire.entities
    assert record["quotes"] == wire.quotes
    assert record["fingerprint"]
    # every outlet that carried the same text, in publication order
    assert [s["id"] for s in record["sources"]] == ["wire-alpha", "wire-gamma"]
    assert record["sources"][1]["site"] == "gamma-daily.example"
    # the rewrite is a near-duplicate: same story, its own article
    assert store.get("wire-beta")["story"] == record["story"]
    # the exact copy's id leads to the article it duplicates
    assert store.get("wire-gamma")["id"] == "wire-alpha"
    assert store.get("no-such-id") is None


def test_near_duplicates_share_a_story_and_templated_items_do_not(store: Store) -> None:
    store.put_batch(r.corpus())

    stories = store.stories(top=10)

    assert len(stories) == 1
    [story] = stories
    assert story.size == 3  # the wire story, its exact copy and the rewrite
    assert story.sites == ["alpha-news.example", "gamma-daily.example", "beta-press.example"]
    assert story.first_published == "2024-03-10T09:30:00+03:00"
    detail = store.story(story.id)
    assert [m["id"] for m in detail.members] == ["wire-alpha", "wire-gamma", "wire-beta"]
    # "congratulates the president of X" for two different X: two stories
    assert store.get("congrats-1")["story"] != store.get("congrats-2")["story"]


def test_clusters_grow_incrementally_across_batches(store: Store) -> None:
    store.put_batch([r.wire()])
    store.put_batch([r.harvest()])
    store.put_batch([r.rewrite()])

    assert store.get("wire-beta")["story"] == store.get("wire-alpha")["story"]
    assert store.get("harvest-1")["story"] != store.get("wire-alpha")["story"]


def test_clustering_survives_reopening_the_base(store_url: str) -> None:
    with open_store(store_url) as first:
        first.put_batch([r.wire()])
    with open_store(store_url) as second:
        second.put_batch([r.rewrite()])
        assert second.get("wire-beta")["story"] == second.get("wire-alpha")["story"]


def test_search_matches_across_spelling_variants(store: Store) -> None:
    store.put_batch(r.corpus())

    def ids(text: str) -> set[str]:
        return {hit.id for hit in store.search(SearchQuery(text=text)).hits}

    # ta marbuta and hamza: «الاوكرانيه» finds «الأوكرانية»
    assert ids("الاوكرانيه") == {"annex-1"}
    # clitics: «وبوتين» and «بوتين» find the same articles
    assert ids("وبوتين") == ids("بوتين") == {"annex-1"}
    # a plural with the article finds the word without it
    assert "wire-alpha" in ids("محطه تحليه")
    assert ids("بالمزارعين") == {"harvest-1"}
    # harakat in the query do not matter
    assert ids("الزِّراعة") == ids("الزراعة")
    assert ids("كلمة-لا-توجد-في-أي-نص") == set()


def test_search_hits_highlight_the_original_text(store: Store) -> None:
    store.put_batch(r.corpus())

    page = store.search(SearchQuery(text="الاوكرانيه"))

    [hit] = page.hits
    assert page.total == 1
    assert hit.title == "بوتين يوقع وثائق ضم أربع مناطق أوكرانية"
    marked = [hit.snippet[a:b] for a, b in hit.highlights]
    assert "الأوكرانية" in marked
    assert "<mark>الأوكرانية</mark>" in hit.marked()
    assert hit.site == "alpha-news.example"
    assert hit.published.startswith("2022-09-30")


def test_search_phrases_and_ranking(store: Store) -> None:
    store.put_batch(r.corpus())

    page = store.search(SearchQuery(text="«مياه البحر»"))

    assert {h.id for h in page.hits} == {"wire-alpha", "wire-beta"}
    assert page.hits[0].score >= page.hits[-1].score
    # the same words in another order are not the phrase
    assert store.search(SearchQuery(text="«البحر مياه»")).total == 0
    assert store.search(SearchQuery(text="البحر مياه")).total == 2


def test_search_filters(store: Store) -> None:
    store.put_batch(r.corpus())

    def ids(**filters: object) -> set[str]:
        return {hit.id for hit in store.search(SearchQuery(**filters)).hits}

    assert ids(text="الحداد", site="beta-press.example") == {"wire-beta"}
    assert ids(text="الحداد", date_from="2024-03-10", date_to="2024-03-10") == {
        "wire-alpha", "wire-beta"}  # fmt: skip
    assert ids(text="الحداد", date_to="2023-12-31") == set()
    # an entity by id, by its name, or by another spelling of an alias
    assert ids(entity="per:putin") == {"annex-1"}
    assert ids(entity="فلاديمير بوتين") == {"annex-1"}
    assert ids(text="المياه", entity="سامر الحداد") == {"wire-alpha", "wire-beta"}
    assert ids(type="REJECT") == {"annex-1"}
    # without words, filters alone select, newest first
    newest = store.search(SearchQuery(site="alpha-news.example"))
    assert [h.id for h in newest.hits] == ["wire-alpha", "annex-1"]


def test_filters_select_exactly_the_matches_that_fit(store: Store) -> None:
    # SQLite indexes the filters as terms next to the words (dates as day, month and year
    # terms): whatever the range, a filtered search is the unfiltered one narrowed.
    store.put_batch(r.corpus())
    everything = store.search(SearchQuery(text="الى", limit=100)).hits
    assert len(everything) == 5
    cases = [
        {"site": "alpha-news.example"},
        {"date_from": "2023-01-15"},
        {"date_to": "2023-02-15"},
        {"date_from": "2022-09-30", "date_to": "2023-01-15"},
        {"date_from": "2022-09-01", "date_to": "2023-12-31"},  # whole months and a year
        {"date_from": "2023-01-16", "date_to": "2024-03-09"},
        {"date_from": "2020-01-01", "date_to": "2030-12-31"},
        {"date_from": "2023-01-01", "date_to": "2023-12-31", "site": "official-gazette.example"},
        {"date_from": "2024-03-11"},
        {"date_from": "2023-03-01", "date_to": "2023-02-01"},
        {"site": "nowhere.example"},
    ]
    for filters in cases:
        first, last = filters.get("date_from", "0000"), filters.get("date_to", "9999")
        expected = {
            hit.id
            for hit in everything
            if first <= (hit.published or "")[:10] <= last
            and filters.get("site", hit.site) == hit.site
        }
        page = store.search(SearchQuery(text="الى", limit=100, **filters))
        assert {hit.id for hit in page.hits} == expected, filters
        assert page.total == len(expected)
    story = store.get("wire-alpha")["story"]

    def ids(**filters: object) -> set[str]:
        return {hit.id for hit in store.search(SearchQuery(text="الى", **filters)).hits}

    assert ids(type="REJECT") == {"annex-1"}
    assert ids(type="REJECT", date_from="2023-01-01") == set()
    assert ids(entity="الحداد") == {"wire-alpha", "wire-beta"}
    assert ids(entity="no such person") == set()
    assert ids(story=story, site="beta-press.example") == {"wire-beta"}


def test_search_pages_and_facets(store: Store) -> None:
    store.put_batch(r.corpus())

    first = store.search(SearchQuery(text="المياه", limit=1, facets=True))
    second = store.search(SearchQuery(text="المياه", limit=1, offset=1))

    assert first.total == second.total == 2
    assert first.hits[0].id != second.hits[0].id
    assert dict(first.facets["site"]) == {"alpha-news.example": 1, "beta-press.example": 1}
    assert dict(first.facets["type"]) == {"AID": 1}
    assert dict(first.facets["entity"])["سامر الحداد"] == 2


def test_search_on_bad_queries_returns_nothing(store: Store) -> None:
    store.put_batch(r.corpus())

    for query in ["", "؟!،...", '"', "«»", "AND OR NOT", "*", "NEAR(", "a" * 5000]:
        page = store.search(SearchQuery(text=query))
        assert page.total >= 0


def test_entities_are_canonical_with_aliases(store: Store) -> None:
    store.put_batch(r.corpus())

    people = store.entities(type="PER")

    assert people[0].id == "per:samer-haddad"
    assert people[0].articles == 2
    assert people[0].mentions == 3
    assert {e.type for e in people} == {"PER"}
    detail = store.entity("الحداد")
    assert detail.entity.id == "per:samer-haddad"
    assert dict(detail.aliases) == {"سامر الحداد": 2, "الحداد": 1}
    assert detail.timeline == [("2024-03-10", 3)]
    assert {e.id for e, _ in detail.co_mentioned} == {"loc:zahraa", "org:ndf"}
    assert {a["id"] for a in detail.articles} == {"wire-alpha", "wire-beta"}
    assert store.entity("لا أحد") is None


def test_quotes_by_speaker_entity_and_story(store: Store) -> None:
    store.put_batch(r.corpus())

    by_name = store.quotes(QuoteQuery(speaker="سامر الحداد"))
    by_alias = store.quotes(QuoteQuery(speaker="الحداد"))
    by_entity = store.quotes(QuoteQuery(entity="per:layla-mansouri"))

    assert [q["text"] for q in by_name] == ["إن المحطة ستغطي احتياجات نحو مليون نسمة"]
    assert by_alias == by_name
    assert by_name[0]["article"] == "wire-alpha"
    assert by_name[0]["site"] == "alpha-news.example"
    assert by_entity[0]["speaker"]["name"] == "ليلى المنصوري"
    story = store.get("wire-alpha")["story"]
    assert len(store.quotes(QuoteQuery(story=story))) == 1
    assert len(store.quotes(QuoteQuery(article="harvest-1"))) == 1


def test_events_with_filters(store: Store) -> None:
    store.put_batch(r.corpus())

    aid = store.events(EventQuery(type="AID"))
    by_actor = store.events(EventQuery(actor="سامر الحداد"))
    by_place = store.events(EventQuery(location="الزهراء"))
    dated = store.events(EventQuery(date_from="2022-01-01", date_to="2022-12-31"))

    assert [e["article"] for e in aid] == ["wire-alpha"]
    assert by_actor == aid == by_place
    assert [e["type"] for e in dated] == ["REJECT"]
    assert store.events(EventQuery(type="ASSAULT")) == []


def test_a_failed_document_is_recorded_not_dropped(store: Store) -> None:
    broken = r.make_record("broken-1", "", title="", url="https://x.example/1",
                           published="2024-01-01")  # fmt: skip
    broken.errors.append("extract: no text found")
    result = store.put_batch([broken, r.harvest()])

    assert (result.stored, result.failed) == (1, 1)
    [failure] = store.failures()
    assert failure.stage == "extract"
    assert "no text found" in failure.error
    assert store.has("broken-1")  # resume does not retry it forever
    store.put_failure("corpus.zip (member 7)", "ingest", "truncated zip member")
    assert store.stats().failures == 2


def test_has_and_known_ids(store: Store) -> None:
    store.put_batch([r.wire(), r.exact_copy()])

    assert store.has("wire-alpha")
    assert store.has("wire-gamma")  # a source of a stored article counts
    assert not store.has("wire-beta")
    assert store.known_ids(["wire-alpha", "wire-beta", "wire-gamma"]) == {
        "wire-alpha", "wire-gamma"}  # fmt: skip


def test_export_streams_every_record_or_a_selection(store: Store) -> None:
    store.put_batch(r.corpus())

    everything = list(store.export_records())
    selected = list(store.export_records(SearchQuery(text="الحداد")))

    assert len(everything) == 6
    assert {rec["id"] for rec in selected} == {"wire-alpha", "wire-beta"}
    assert all("story" in rec and "sources" in rec for rec in everything)


def test_odd_records_do_not_break_a_batch(store: Store) -> None:
    no_arabic = r.make_record(
        "latin-1",
        "Only English text here, nothing else at all.",
        title="English",
        url="https://e.example/1",
        published="2024-01-01",
    )
    punctuation = r.make_record("punct-1", "!!! ... ؟؟؟ ،،، ---", title=None,
                                url="https://e.example/2", published=None)  # fmt: skip
    huge = r.make_record("huge-1", " ".join([r.HARVEST] * 3000), title="طويل",
                         url="https://e.example/3", published="2024-01-02")  # fmt: skip
    odd = Record(**{**dataclasses.asdict(r.harvest()), "id": "odd-1",
                    "source": Source(url=None, site=None), "blocks": [],
                    "entities": [{"text": "x"}], "events": [{"actor": 5}], "published": None,
                    "text": r.HARVEST + " إضافة"})  # fmt: skip

    result = store.put_batch([no_arabic, punctuation, huge, odd])

    assert result.stored == 4
    assert store.search(SearchQuery(text="english")).hits[0].id == "latin-1"
    assert store.search(SearchQuery(text="حصاد", limit=50)).total == 2


def _stored_in_order(store: Store) -> list[dict]:
    """Every stored article as its record, in the order the base stored them."""
    return list(store.export_records())


def _newest_first(items: list[tuple[str | None, int, int, dict]]) -> list[dict]:
    """``(day, stored position, n, item)`` listed as the desk lists them: newest day first
    (undated last), then the latest stored article, then the item's order in its article."""
    by_position = sorted(items, key=lambda x: -x[1])
    return [x[3] for x in sorted(by_position, key=lambda x: x[0] or "", reverse=True)]


def _desk_base(store: Store) -> None:
    store.put_batch(r.corpus())
    undated = r.harvest()
    undated = dataclasses.replace(
        undated, id="harvest-undated", published=None, text=undated.text + " وأضاف البيان تفاصيل."
    )
    # a second batch: new articles, one without a date, and records already stored
    store.put_batch([r.congratulations(3, "سالم العمري", "جمهورية الواحة"), undated, r.wire()])
    store.put_batch([r.exact_copy(), r.congratulations(4, "نادر الشامي", "جمهورية الجبل")])


def test_events_and_quotes_are_listed_newest_first_page_by_page(store: Store) -> None:
    _desk_base(store)
    records = _stored_in_order(store)
    for kind, listing, query in (
        ("events", store.events, EventQuery),
        ("quotes", store.quotes, QuoteQuery),
    ):
        want = _newest_first(
            [
                ((rec.get("published") or "")[:10] or None, i, n, (rec["id"], item.get("start")))
                for i, rec in enumerate(records)
                for n, item in enumerate(rec.get(kind) or [])
            ]
        )
        assert want, kind
        listed = [(x["article"], x.get("start")) for x in listing(query(limit=1000))]
        assert listed == want, kind
        # pages of two follow each other without a gap or a repeat
        paged = [
            (x["article"], x.get("start"))
            for offset in range(0, len(want), 2)
            for x in listing(query(limit=2, offset=offset))
        ]
        assert paged == want, kind


def test_entity_page_counts_match_the_stored_records(store: Store) -> None:
    _desk_base(store)
    records = _stored_in_order(store)
    for summary in store.entities(top=100):
        detail = store.entity(summary.id)
        assert detail is not None
        per_day: dict[str, int] = {}
        together: dict[str, int] = {}
        mine = []
        for i, rec in enumerate(records):
            ids = [m.get("entity") for m in rec.get("entities") or []]
            if summary.id not in ids:
                continue
            day = (rec.get("published") or "")[:10] or None
            mine.append((day, i, 0, rec["id"]))
            if day:
                per_day[day] = per_day.get(day, 0) + ids.count(summary.id)
            for other in set(ids) - {summary.id, None}:
                together[other] = together.get(other, 0) + 1
        # mentions per day, kept in step with every insert, exact after re-ingested batches
        assert detail.timeline == sorted(per_day.items()), summary.id
        assert sum(n for _, n in detail.timeline) <= summary.mentions
        assert [a["id"] for a in detail.articles] == _newest_first(mine)[:20], summary.id
        assert detail.co_mentioned_exact
        best = sorted(together.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
        assert [(e.id, n) for e, n in detail.co_mentioned] == best, summary.id
