"""Turning a labelled page into an Article: one place for both HTML and text dumps."""

from __future__ import annotations

import re

from rasid.arabic.dates import find_dates
from rasid.arabic.normalize import normalize
from rasid.extract.lines import Segmentation, lede_of
from rasid.model import Article, Author, BlockKind, Page, Related, Removed

_DAY_PRECISIONS = ("day", "minute", "second")
# Link lists print each headline's date after it: "عنوان الخبر (28/09/2022)".
_DATE_SUFFIX = re.compile(r"\s*[(\[]\s*\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}\s*[)\]]\s*$")
_BULLET = re.compile(r"^[•·▪◦●■\-–—*]+\s*")


def _first_day_date(texts: list[str]) -> str | None:
    for text in texts:
        for match in find_dates(text[:300]):
            if match.precision in _DAY_PRECISIONS:
                return match.value
    return None


def assemble(
    page: Page,
    segmentation: Segmentation,
    *,
    title: str | None = None,
    author: str | None = None,
    author_bio: str | None = None,
    lede_hint: str | None = None,
    related: list[Related] | None = None,
) -> Article:
    parts: list[tuple[BlockKind, str]] = []
    removed: list[Removed] = []
    found_related: list[Related] = list(related or [])
    seen_related = {normalize(r.title) for r in found_related}
    furniture: list[str] = []
    standfirst: str | None = None
    for line in segmentation.lines:
        if line.label in ("content", "lede"):
            parts.append(("paragraph", line.text))
            if line.label == "lede" and standfirst is None:
                standfirst = line.text
        elif line.label == "heading":
            parts.append(("heading", line.text))
        elif line.label == "title":
            continue
        else:
            removed.append(Removed(kind=line.kind or "other", text=line.text))
            furniture.append(line.text)
            # A bare "مقالات ذات صلة" header (fixed by the lexicon) announces links; it is not one.
            if line.label == "related" and (line.related_title or not line.fixed):
                headline = _BULLET.sub("", _DATE_SUFFIX.sub("", line.related_title or line.text))
                key = normalize(headline)
                if key not in seen_related:
                    seen_related.add(key)
                    found_related.append(Related(title=headline))

    article = Article.from_paragraphs(page.source, parts)
    paragraphs = [article.text[b.start : b.end] for b in article.blocks if b.kind == "paragraph"]
    article.title = title or segmentation.title
    name = author or segmentation.author
    if name:
        article.author = Author(name=name, bio=author_bio or segmentation.author_bio)
    article.lede = standfirst or _lede_from_hint(lede_hint, paragraphs) or lede_of(paragraphs)
    article.related = found_related
    article.removed = removed
    published = _first_day_date(furniture)
    if published:
        article.published, article.published_source = published, "byline"
    return article


def _lede_from_hint(hint: str | None, paragraphs: list[str]) -> str | None:
    """The page's own summary (meta description) when the text opens with it."""
    if not hint or not paragraphs:
        return None
    hint_norm = normalize(hint).rstrip(" .…")
    first = normalize(paragraphs[0])
    if len(hint_norm) > 20 and first.startswith(hint_norm[: max(20, len(hint_norm) - 5)]):
        return paragraphs[0]
    return None
