"""The extract stage: ``extract(Page) -> Article``.

One function for every kind of page. It never raises: a page that cannot be read becomes an
Article whose ``errors`` say why, so a batch always goes on and nothing is lost silently.
"""

from __future__ import annotations

from collections.abc import Callable

from rasid.arabic.dates import date_from_url, parse_date, parse_published
from rasid.arabic.script import detect_lang
from rasid.extract.html import ExtractionError, extract_html
from rasid.extract.textdump import extract_clean_text, extract_text_dump
from rasid.model import Article, Author, Page
from rasid.urls import site_of

__all__ = ["extract"]

_LANG_SAMPLE_CHARS = 3000
_EXTRACTORS: dict[str, Callable[[Page], Article]] = {
    "html": extract_html,
    "text": extract_text_dump,
    "clean": extract_clean_text,
}


def _parse_any_date(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    parsed = parse_published(value)
    if parsed:
        return parsed
    match = parse_date(value)
    # A year of another calendar is a span of days (2023-07-19/2024-07-06): no day to publish on
    if match is None or match.value is None or "/" in match.value:
        return None
    return match.value


def _apply_given(article: Article, page: Page, published: str | None) -> None:
    """Metadata the container or the user states beats what the extractor inferred."""
    given = page.given
    if given.get("title"):
        article.title = given["title"]
    if given.get("author"):
        bio = article.author.bio if article.author else None
        article.author = Author(name=given["author"], bio=bio)
    if given.get("lede") and not article.lede:
        article.lede = given["lede"]
    if given.get("id"):
        article.given_id = str(given["id"])
    if given.get("url") and not article.source.url:
        article.source.url = given["url"]
    if given.get("site") and not article.source.site:
        article.source.site = given["site"]
    value = _parse_any_date(given.get("published"))
    if value:
        article.published, article.published_source = value, "given"
    elif given.get("published"):
        article.errors.append(f"unreadable publication date {given['published']!r}")
    if published:
        value = _parse_any_date(published)
        if value:
            article.published, article.published_source = value, "given"
        else:
            article.errors.append(f"unreadable --published date {published!r}")


def extract(page: Page, *, published: str | None = None) -> Article:
    """Extract the clean article from a page. ``published`` (from the user) overrides any date
    found on the page."""
    try:
        extractor = _EXTRACTORS.get(page.kind)
        article = extractor(page) if extractor else Article(source=page.source)
    except ExtractionError as error:
        article = Article(source=page.source, errors=[f"extract: {error}"])
    except Exception as error:
        article = Article(source=page.source, errors=[f"extract: {type(error).__name__}: {error}"])
    article.errors = [*page.errors, *article.errors]
    if page.kind != "unreadable" and not article.text and not article.errors:
        article.errors.append("no article text found")
    _apply_given(article, page, published)
    if article.published is None and article.source.url:
        from_url = date_from_url(article.source.url)
        if from_url:
            article.published, article.published_source = from_url, "url"
    if article.lang is None and article.text:
        # The opening of the text says which language it is in; the whole of it costs more.
        article.lang = detect_lang(article.text[:_LANG_SAMPLE_CHARS])
    if article.source.site is None and article.source.url:
        article.source.site = site_of(article.source.url)
    return article
