"""The web UI in a real browser (Debian's chromium via Playwright), as an analyst uses it:
search, open an article, see the highlights, open an entity, filter events, the map draws,
switch to English. Every page is saved under out/screenshots/."""

from __future__ import annotations

import re
from typing import Any

from tests.api.conftest import Server, screenshot


def settle(tab: Any) -> None:
    tab.wait_for_load_state("networkidle")


def test_search_then_article_with_highlights(server: Server, page: Any) -> None:
    page.goto(server.url + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    screenshot(page, "01-home")
    page.fill("input[name=q]", "اوكرانيا")  # no hamza: the base spells it أوكرانيا
    page.press("input[name=q]", "Enter")
    settle(page)
    assert re.search(r"\d", page.locator("#result-count").inner_text())
    marks = page.locator(".hit mark")
    assert marks.count() > 0
    assert "كرانيا" in marks.first.inner_text()
    screenshot(page, "02-search")

    page.locator(".hit h3 a").first.click()
    settle(page)
    assert page.url.startswith(server.url + "/article/")
    body = page.locator("#article .body")
    assert body.locator("a.ent").count() > 0
    assert body.locator(".event").count() > 0
    entity = body.locator("a.ent").first
    assert entity.get_attribute("title")  # the hover names the entity
    assert page.locator("#removed").count() == 1
    assert page.locator("#removed[open]").count() == 0  # collapsed until asked
    page.wait_for_selector("figure.map[data-drawn]")
    assert int(page.locator("figure.map").first.get_attribute("data-drawn")) > 100
    screenshot(page, "03-article")
    assert page.problems == []


def test_article_shows_speakers_and_other_outlets(server: Server, page: Any) -> None:
    page.goto(server.url + "/search?q=" + "تمديد الهدنة")
    page.locator(".hit h3 a").first.click()
    settle(page)
    assert page.locator("#speakers li").count() > 0
    assert page.locator("#others li").count() >= 1
    assert page.locator(".body .quote").count() > 0
    assert page.locator(".body .date").count() > 0


def test_entity_page(server: Server, page: Any) -> None:
    page.goto(server.url + "/entity/per:vladimir-putin")
    settle(page)
    assert "بوتين" in page.locator("h1").inner_text()
    assert page.locator(".aliases .chip").count() >= 1
    assert page.locator("#co-mentioned li").count() > 0
    page.wait_for_selector("#sparkline[data-drawn]")
    assert page.locator("#sparkline canvas").count() >= 1
    screenshot(page, "04-entity")
    page.locator("#co-mentioned a").first.click()
    settle(page)
    assert "/entity/" in page.url
    assert page.problems == []


def test_events_filter_timeline_and_map(server: Server, page: Any) -> None:
    page.goto(server.url + "/events")
    settle(page)
    everything = page.locator("#event-list tbody tr").count()
    page.select_option("select[name=type]", "ASSAULT")
    page.click("#event-filter button[type=submit]")
    settle(page)
    assert "type=ASSAULT" in page.url
    rows = page.locator("#event-list tbody tr")
    assert 0 < rows.count() <= everything
    types = {rows.nth(i).locator("a.plover").get_attribute("title") for i in range(rows.count())}
    assert types == {"PLOVER ASSAULT"}
    page.wait_for_selector("#timeline[data-drawn]")
    assert page.locator("#timeline canvas").count() >= 1
    page.wait_for_selector("figure.map[data-drawn]")
    assert page.locator("figure.map svg path.country").count() > 100
    screenshot(page, "05-events")
    assert page.problems == []


def test_quotes_side_by_side_and_stories(server: Server, page: Any) -> None:
    page.goto(server.url + "/stories")
    settle(page)
    assert page.locator(".story").count() >= 1
    assert page.locator(".story .outlets li").count() >= 2
    screenshot(page, "06-stories")
    page.locator(".story .meta a").first.click()  # the story's quotes
    settle(page)
    assert "/quotes?story=" in page.url
    assert page.locator(".quote-card").count() > 0
    screenshot(page, "07-quotes-story")
    page.goto(server.url + "/quotes?speaker=" + "زيلينسكي")
    settle(page)
    cards = page.locator(".quote-card")
    assert cards.count() > 0
    assert "زيلينسكي" in cards.first.locator("footer").inner_text()


def test_english_toggle(server: Server, page: Any) -> None:
    page.goto(server.url + "/events")
    settle(page)
    page.click("#lang-toggle")
    settle(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("h1").inner_text() == "Events"
    screenshot(page, "08-events-en")
    page.goto(server.url + "/")  # the choice is remembered
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("#lang-toggle")
    settle(page)
    assert page.locator("html").get_attribute("dir") == "rtl"
