"""The JSON API over a base built from the demo corpus: what an analyst's script would ask."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from rasid.api import create_app
from rasid.store import StoreError, open_store, rows
from tests.api.conftest import Server


@pytest.fixture(scope="module")
def client(demo_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(demo_db), raise_server_exceptions=False) as c:
        yield c


def test_search_finds_every_spelling_of_a_word(client: TestClient) -> None:
    hamza = client.get("/api/search", params={"q": "أوكرانيا"}).json()
    bare = client.get("/api/search", params={"q": "اوكرانيا"}).json()
    assert hamza["total"] > 0
    assert hamza["total"] == bare["total"]
    assert [h["id"] for h in hamza["hits"]] == [h["id"] for h in bare["hits"]]
    for hit in hamza["hits"]:
        for start, end in hit["highlights"]:
            assert "كرانيا" in hit["snippet"][start:end]


def test_search_pages_and_facets(client: TestClient) -> None:
    first = client.get("/api/search", params={"q": "الأمم المتحدة", "limit": 3}).json()
    second = client.get("/api/search", params={"q": "الأمم المتحدة", "limit": 3, "page": 2}).json()
    assert first["total"] == second["total"] > 3
    assert second["offset"] == 3
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    assert {"site", "type", "entity"} <= set(first["facets"])
    assert first["facets_exact"]  # a small result: counted over every match
    site, count = first["facets"]["site"][0]
    narrowed = client.get("/api/search", params={"q": "الأمم المتحدة", "site": site}).json()
    assert narrowed["total"] == count
    assert all(h["site"] == site for h in narrowed["hits"])


def test_search_filters_by_date_and_event_type(client: TestClient) -> None:
    params = {"from": "2023-01-01", "to": "2023-12-31", "type": "ASSAULT"}
    result = client.get("/api/search", params=params).json()
    assert result["total"] > 0
    assert all("2023-01-01" <= h["published"][:10] <= "2023-12-31" for h in result["hits"])


def test_search_words_with_filters_are_the_unfiltered_hits_narrowed(client: TestClient) -> None:
    everything = client.get("/api/search", params={"q": "روسيا", "limit": 100}).json()["hits"]
    # both ends inclusive, partial months at both ends and whole months between
    params = {"q": "روسيا", "from": "2022-09-30", "to": "2023-06-06", "limit": 100}
    narrowed = client.get("/api/search", params=params).json()["hits"]
    expected = {
        h["id"] for h in everything if "2022-09-30" <= (h["published"] or "")[:10] <= "2023-06-06"
    }
    assert 0 < len(expected) < len(everything)
    assert {h["id"] for h in narrowed} == expected


def test_article_is_the_full_record_contract(client: TestClient) -> None:
    hit = client.get("/api/search", params={"q": "هدنة غزة"}).json()["hits"][0]
    record = client.get(f"/api/article/{hit['id']}").json()
    for name in ("id", "source", "title", "text", "blocks", "removed", "entities", "quotes"):
        assert name in record
    for name in ("events", "places", "dates", "story", "sources"):
        assert name in record
    text = record["text"]
    assert record["entities"]
    for mention in record["entities"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]


def test_entity_by_id_or_by_any_name(client: TestClient) -> None:
    by_name = client.get("/api/entity/بوتين").json()
    assert by_name["id"] == "per:vladimir-putin"
    assert by_name["en"] == "Vladimir Putin"
    by_id = client.get("/api/entity/per:vladimir-putin").json()
    assert by_id["mentions"] == by_name["mentions"] > 0
    assert by_id["aliases"] and by_id["timeline"] and by_id["co_mentioned"]
    assert sum(n for _, n in by_id["timeline"]) == by_id["mentions"]
    assert by_id["co_mentioned_exact"] is True


def test_co_mentions_of_a_very_common_entity_say_they_come_from_its_latest_articles(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rows, "CO_WINDOW", 1)
    detail = client.get("/api/entity/per:vladimir-putin").json()
    assert detail["articles"] and detail["co_mentioned_exact"] is False
    assert all(other["together"] == 1 for other in detail["co_mentioned"])
    page = client.get("/entity/per:vladimir-putin", params={"lang": "en"}).text
    assert "Counted over its latest articles" in page


def test_top_entities_of_one_type(client: TestClient) -> None:
    people = client.get("/api/entities", params={"type": "PER", "limit": 5}).json()
    assert len(people) == 5
    assert all(e["type"] == "PER" for e in people)
    assert [e["articles"] for e in people] == sorted((e["articles"] for e in people), reverse=True)


def test_quotes_by_speaker_entity_and_by_side(client: TestClient) -> None:
    said = client.get("/api/quotes", params={"entity": "per:volodymyr-zelensky"}).json()
    assert said
    assert all(q["speaker"]["entity"] == "per:volodymyr-zelensky" for q in said)
    side = client.get("/api/quotes", params={"side": "روسيا"}).json()
    assert side and all(q["side"] == "روسيا" for q in side)


def test_events_by_type_and_date_and_their_timeline(client: TestClient) -> None:
    rows = client.get("/api/events", params={"type": "ASSAULT", "limit": 100}).json()
    assert rows and all(e["type"] == "ASSAULT" for e in rows)
    timeline = client.get("/api/events/timeline", params={"type": "ASSAULT"}).json()
    assert list(timeline["series"]) == ["ASSAULT"]
    placed = sum(timeline["series"]["ASSAULT"])
    assert placed + timeline["undated"] == timeline["events"] == len(rows)
    assert placed > 0
    assert timeline["days"] == sorted(timeline["days"])
    dated = client.get("/api/events", params={"from": "2024-01-01", "to": "2024-12-31"}).json()
    assert dated and all((e.get("date") or e["published"])[:4] >= "2024" for e in dated)


def test_events_as_geojson(client: TestClient) -> None:
    response = client.get("/api/events.geojson")
    assert response.headers["content-type"].startswith("application/geo+json")
    data = response.json()
    assert data["type"] == "FeatureCollection"
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_stories_list_outlets_in_order_of_publication(client: TestClient) -> None:
    stories = client.get("/api/stories").json()
    assert stories and all(s["size"] >= 2 for s in stories)
    story = client.get(f"/api/story/{stories[0]['id']}").json()
    published = [m["published"] for m in story["members"]]
    assert published == sorted(published)
    assert len({m["site"] for m in story["members"]}) >= 2


def test_stats_count_the_base(client: TestClient, demo_db: str) -> None:
    with open_store(demo_db, create=False) as store:
        expected = store.stats().to_dict()
    assert client.get("/api/stats").json() == expected


def test_openapi_documents_the_api(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/search", "/api/article/{record_id}", "/api/events.geojson", "/api/ingest"):
        assert path in paths


BAD_REQUESTS = [
    ("/api/article/no-such-article", 404),
    ("/api/entity/no-such-entity", 404),
    ("/api/story/no-such-story", 404),
    ("/api/search?from=2023-02-30", 422),
    ("/api/search?from=yesterday", 422),
    ("/api/search?from=2024-01-01&to=2023-01-01", 422),
    ("/api/events?to=31/12/2023", 422),
    ("/api/search?q=" + "حرب " * 2500, 422),
    ("/api/search?page=-1", 422),
    ("/api/search?page=0", 422),
    ("/api/search?page=abc", 422),
    ("/api/search?limit=100000", 422),
    ("/api/search?page=99999", 422),
    ("/api/quotes?page=-5", 422),
    ("/api/no-such-endpoint", 404),
]


@pytest.mark.parametrize(("url", "status"), BAD_REQUESTS)
def test_bad_requests_get_a_clear_json_4xx(client: TestClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    body = response.json()
    assert body["status"] == status
    assert body["error"]


@pytest.mark.parametrize(
    "url",
    [
        "/article/no-such-article",
        "/search?page=-1",
        "/events?from=2023-13-01",
        "/search?q=" + "x" * 10_000,
    ],
)
def test_bad_page_requests_get_a_readable_4xx_page(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="error"' in response.text


def test_missing_base_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        create_app(str(tmp_path / "nothing-here.db"))


# ---- POST /api/ingest ------------------------------------------------------------------------

PAGE = """<html><head><meta charset="utf-8"><title>وزير خارجية نوردانيا يزور عمّان</title></head>
<body><article><h1>وزير خارجية نوردانيا يزور عمّان لبحث التعاون الإقليمي</h1>
<p>وصل وزير خارجية جمهورية نوردانيا سامر الحلواني إلى العاصمة الأردنية عمّان صباح اليوم الثلاثاء
في زيارة رسمية تستمر يومين، يبحث خلالها مع المسؤولين الأردنيين سبل تعزيز التعاون الاقتصادي.</p>
<p>وقال الحلواني في مؤتمر صحفي إن بلاده "تتطلع إلى شراكة طويلة الأمد مع الأردن في مجالات الطاقة
والمياه والنقل"، مضيفاً أن الجانبين سيوقعان عدة مذكرات تفاهم قبل نهاية الزيارة.</p>
</article></body></html>"""


@pytest.fixture
def ingest_client(tmp_path: Path) -> Iterator[TestClient]:
    path = str(tmp_path / "ingest.db")
    open_store(path).close()  # an empty base
    with TestClient(create_app(path, ingest_token="s3cret"), raise_server_exceptions=False) as c:
        yield c


def test_ingest_is_off_without_a_token(client: TestClient) -> None:
    response = client.post(
        "/api/ingest", content=PAGE.encode(), headers={"content-type": "text/html"}
    )
    assert response.status_code == 403
    assert "token" in response.json()["error"]


def test_ingest_requires_the_token(ingest_client: TestClient) -> None:
    headers = {"content-type": "text/html", "authorization": "Bearer wrong"}
    assert (
        ingest_client.post("/api/ingest", content=PAGE.encode(), headers=headers).status_code == 401
    )
    no_header = ingest_client.post("/api/ingest", content=PAGE.encode())
    assert no_header.status_code == 401


def test_ingest_returns_and_stores_the_record(ingest_client: TestClient) -> None:
    headers = {"content-type": "text/html", "authorization": "Bearer s3cret"}
    response = ingest_client.post("/api/ingest", content=PAGE.encode(), headers=headers)
    assert response.status_code == 201
    record = response.json()
    assert "نوردانيا" in record["title"]
    assert "سامر الحلواني" in record["text"]
    assert any(q["speaker"]["name"].endswith("الحلواني") for q in record["quotes"] if q["speaker"])
    stored = ingest_client.get(f"/api/article/{record['id']}").json()
    assert stored["text"] == record["text"]


def test_ingest_accepts_json_and_text(ingest_client: TestClient) -> None:
    headers = {"authorization": "Bearer s3cret"}
    body = json.dumps(
        {
            "title": "أمطار غزيرة في الساحل",
            "text": "هطلت أمطار غزيرة على مدن الساحل يوم الأحد وأغلقت السلطات المحلية عدداً "
            "من الطرق الفرعية احتياطاً.",
        },
        ensure_ascii=False,
    )
    as_json = ingest_client.post(
        "/api/ingest",
        content=body.encode(),
        headers={**headers, "content-type": "application/json"},
    )
    assert as_json.status_code == 201 and "أمطار" in as_json.json()["text"]
    text = "أعلنت بلدية المدينة افتتاح حديقة عامة جديدة في الحي الشمالي بعد عامين من العمل."
    as_text = ingest_client.post("/api/ingest", content=text.encode(), headers=headers)
    assert as_text.status_code == 201 and "حديقة" in as_text.json()["text"]


@pytest.mark.parametrize("body", [b"", b"   \n", b"\x00\x01\x02\x03binary"])
def test_ingest_of_nothing_usable_is_a_4xx(ingest_client: TestClient, body: bytes) -> None:
    response = ingest_client.post(
        "/api/ingest", content=body, headers={"authorization": "Bearer s3cret"}
    )
    assert 400 <= response.status_code < 500
    assert response.json()["error"]


def test_ingest_of_json_nested_too_deeply_is_a_4xx_that_says_why(
    ingest_client: TestClient,
) -> None:
    body = '{"title": "خبر عاجل", "text": "نص الخبر", "replies": ' + "[" * 5000 + "]" * 5000 + "}"
    response = ingest_client.post(
        "/api/ingest",
        content=body.encode(),
        headers={"authorization": "Bearer s3cret", "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "nested too deeply" in response.json()["error"]


def test_ingest_of_punctuation_stores_an_empty_record(ingest_client: TestClient) -> None:
    response = ingest_client.post(
        "/api/ingest",
        content="!!! ... ؟؟؟ ،،،".encode(),
        headers={"authorization": "Bearer s3cret"},
    )
    assert response.status_code == 201
    record = response.json()
    assert record["entities"] == record["quotes"] == record["events"] == []


# ---- over real HTTP on loopback --------------------------------------------------------------


def test_real_http_search_and_security_headers(server: Server) -> None:
    response = httpx.get(server.url + "/api/search", params={"q": "بوتين"}, timeout=30)
    assert response.status_code == 200
    assert response.json()["total"] > 0
    home = httpx.get(server.url + "/", timeout=30)
    assert home.status_code == 200
    csp = home.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert home.headers["x-content-type-options"] == "nosniff"
    assert server.url.startswith("http://127.0.0.1:")


def test_interface_language_switches_and_is_remembered(client: TestClient) -> None:
    client.cookies.clear()  # a first visit: other tests share this client
    arabic = client.get("/")
    assert '<html lang="ar" dir="rtl">' in arabic.text
    english = client.get("/?lang=en")
    assert '<html lang="en" dir="ltr">' in english.text
    assert "Search" in english.text
    assert english.cookies.get("rasid_lang") == "en"
    client.cookies.set("rasid_lang", "en")
    remembered = client.get("/search")
    assert '<html lang="en" dir="ltr">' in remembered.text
    client.cookies.clear()
    assert '<html lang="ar" dir="rtl">' in client.get("/search").text


def test_serve_refuses_a_missing_base(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from rasid.cli import app

    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "rasid ingest" in result.output


def test_facets_only_when_something_narrows_the_base(client: TestClient) -> None:
    assert client.get("/api/search").json()["facets"] == {}
    assert client.get("/api/search", params={"q": "روسيا"}).json()["facets"]["site"]
    assert client.get("/api/search", params={"type": "ASSAULT"}).json()["facets"]["type"]
    assert client.get("/api/search", params={"facets": "true"}).json()["facets"]["site"]
