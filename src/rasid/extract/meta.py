"""Page metadata from the HTML tree: title, author, publication date, lede, related links.

Read before the main-content extractor runs, because it prunes exactly the parts (bylines, date
lines, related boxes) that carry this information. Sources are tried from the most explicit
(JSON-LD, meta tags) to the least (visible byline and date text).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import urljoin, urlsplit

from lxml import etree

from rasid.arabic.dates import date_from_url, find_dates, parse_published
from rasid.arabic.normalize import normalize
from rasid.extract.lexicon import boilerplate
from rasid.extract.lines import parse_byline
from rasid.model import Related

_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "backgroundnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "report",
    "liveblogposting",
}
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "dcterms.date",
    "date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "cxenseparse:recs:publishtime",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")
_TITLE_META = ("og:title", "twitter:title", "headline", "dc.title")
_DESCRIPTION_META = ("og:description", "description", "twitter:description")
_AUTHOR_CLASS = re.compile(r"author|byline|writer|kateb|katib|reporter|editor-name", re.I)
_BIO_CLASS = re.compile(r"author[-_ ]?(?:bio|desc|about|info|box)|about[-_]author|\bbio\b", re.I)
# Links to sections and tags sit in author-like boxes; their text is a category, not a name.
_SECTION_LINK = re.compile(r"/(?:category|categories|section|sections|tag|tags|topics?)/", re.I)
_TITLE_SUFFIX = re.compile(r"\s+[|–—\-:]\s+[^|–—\-:]{2,40}$")
_SPACE = re.compile(r"\s+")
_MAX_SCAN = 400  # elements checked for bylines/dates: keeps huge pages cheap


class _Marked:
    """Elements of some tags whose class, id or itemprop matches a pattern. libxml2 returns
    the attribute values as plain strings, and only the few that match become elements: a
    Python loop over every element of a page costs as much as trafilatura itself."""

    def __init__(self, tags: str, pattern: str) -> None:
        kinds = " or ".join(f"self::{tag}" for tag in tags.split())
        self._select = etree.XPath(
            f"//*[{kinds}]/@*[name()='class' or name()='id' or name()='itemprop']"
        )
        self._pattern = re.compile(pattern, re.IGNORECASE)

    def __call__(self, tree: etree._Element) -> Iterator[etree._Element]:
        seen: set[etree._Element] = set()
        for value in self._select(tree):
            if self._pattern.search(value):
                element = value.getparent()
                if element not in seen:
                    seen.add(element)
                    yield element


_AUTHOR_ELEMENTS = _Marked(
    "div span p a address section", r"author|byline|writer|kateb|katib|reporter|editor-name|bio"
)
_DATE_ELEMENTS = _Marked("div span p li small", r"date|time|stamp|tmstmp|publish|posted|meta")
# Short text nodes that could head a related-links box (chosen by libxml2), then a cheap
# substring test on the raw text, and only then the lexicon.
_SHORT_TEXTS = etree.XPath(
    "//*[self::h2 or self::h3 or self::h4 or self::h5 or self::div or self::span"
    " or self::strong or self::p]/text()[string-length(.) > 2][string-length(.) < 60]"
)
_RELATED_HINT = re.compile(r"صلة|صله|يضا|يعجبك|يهمك|ننصحك|المزيد|مشابه|[Rr]elated|RELATED|[Aa]lso")
# Substrings a page must contain for the author and related-links scans to find anything
# (str.__contains__ over the raw page costs microseconds; the scans cost milliseconds).
_AUTHOR_MARKS = ("uthor", "yline", "riter", "kateb", "katib", "eporter", "ditor-name", "bio")
_RELATED_MARKS = (
    "صلة", "صله", "يضا", "يضاً", "يعجبك", "يهمك", "ننصحك", "المزيد", "مشابه",
    "elated", "ELATED", "lso", "LSO", "ore",
)  # fmt: skip


@dataclass(slots=True)
class PageMeta:
    title: str | None = None
    author: str | None = None
    author_bio: str | None = None
    byline: str | None = None
    published: str | None = None
    published_source: str | None = None
    description: str | None = None
    url: str | None = None
    site_name: str | None = None
    lang: str | None = None
    related: list[Related] = field(default_factory=list)


def text_of(element: etree._Element) -> str:
    if not isinstance(element.tag, str):  # comments and processing instructions
        return ""
    return _SPACE.sub(" ", "".join(element.itertext())).strip()


def _class_id(element: etree._Element) -> str:
    return f"{element.get('class', '')} {element.get('id', '')} {element.get('itemprop', '')}"


def _json_ld_articles(tree: etree._Element) -> list[dict]:
    found: list[dict] = []
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (ValueError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                kinds = item.get("@type", "")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                if any(str(k).lower() in _ARTICLE_TYPES for k in kinds):
                    found.append(item)
    return found


def _ld_author(value: object) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_ld_author(v) for v in value) if n]
        return "، ".join(names) if names else None
    if isinstance(value, dict):
        # An organization as "author" is the publisher or the agency, not a writer.
        if str(value.get("@type", "")).lower() in ("organization", "newsmediaorganization"):
            return None
        value = value.get("name")
    if isinstance(value, str) and value.strip() and not value.startswith("http"):
        return value.strip()
    return None


def _meta_tags(tree: etree._Element) -> dict[str, str]:
    tags: dict[str, str] = {}
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = meta.get("content")
        if key and value and value.strip() and key not in tags:
            tags[key] = value.strip()
    return tags


def clean_title(title: str | None, site_name: str | None) -> str | None:
    """Drop the ``| Site name`` suffix that <title> and og:title often carry, and entities that
    were escaped twice."""
    if not title:
        return None
    title = _SPACE.sub(" ", html.unescape(title)).strip()
    if site_name and normalize(site_name) in normalize(title):
        stripped = _TITLE_SUFFIX.sub("", title)
        if stripped != title and len(stripped) > 10:
            return stripped
    return title


def _headline_element(tree: etree._Element) -> etree._Element | None:
    """The first <h1> that reads like a headline (logos are <h1> on many sites too)."""
    for h1 in tree.iterfind(".//h1"):
        if len(text_of(h1).split()) >= 3:
            return h1
    return None


def _bio_text(box: etree._Element) -> str:
    """An author box holds the name (often as a byline) and the biography: keep the longest
    paragraph, which is the biography."""
    paragraphs = [text_of(p) for p in box.iter("p")]
    longest = max(paragraphs, key=len, default="")
    return longest if len(longest.split()) >= 8 else text_of(box)


def _byline_from_elements(tree: etree._Element) -> tuple[str | None, str | None, str | None]:
    """(author name, the byline's text, the author's biography) from author-marked elements."""
    author = byline = bio = None
    for count, element in enumerate(_AUTHOR_ELEMENTS(tree)):
        if count > _MAX_SCAN or (author and bio):
            break
        marks = _class_id(element)
        if bio is None and _BIO_CLASS.search(marks):
            text = _bio_text(element)
            if len(text.split()) >= 8:
                bio = text
                continue
        if author is None and _AUTHOR_CLASS.search(marks):
            if any(_SECTION_LINK.search(a.get("href", "")) for a in element.iter("a")):
                continue
            text = text_of(element)
            name = parse_byline(text)
            if name is None and 1 <= len(text.split()) <= 5 and not boilerplate().match(text):
                name = text
            if name:
                author, byline = name, text
    return author, byline, bio


def _date_near_headline(h1: etree._Element | None) -> str | None:
    """The date line printed next to the headline (above or below it)."""
    if h1 is None:
        return None
    neighbours = [
        *islice(h1.itersiblings(), 4),
        *islice(h1.itersiblings(preceding=True), 2),
    ]
    parent = h1.getparent()
    if parent is not None:
        neighbours.extend(islice(parent.itersiblings(), 3))
    for element in neighbours:
        value = _date_in_text(text_of(element)[:200])
        if value:
            return value
    return None


def _date_from_elements(tree: etree._Element) -> str | None:
    for time in tree.iterfind(".//time"):
        value = parse_published(time.get("datetime") or "") or _date_in_text(text_of(time))
        if value:
            return value
    for count, element in enumerate(_DATE_ELEMENTS(tree)):
        if count > _MAX_SCAN:
            break
        value = _date_in_text(text_of(element)[:200])
        if value:
            return value
    return None


def _date_in_text(text: str) -> str | None:
    for match in find_dates(text):
        if match.precision in ("day", "minute", "second"):
            return match.value
    return None


def related_links(tree: etree._Element, base_url: str | None) -> list[Related]:
    """Headlines under a ``مقالات ذات صلة`` / ``اقرأ أيضا`` heading: the links that follow it
    inside the same container."""
    lexicon = boilerplate()
    related: list[Related] = []
    seen: set[str] = set()
    for text in _SHORT_TEXTS(tree):
        if not _RELATED_HINT.search(text) or not text.is_text:
            continue
        if len(text.strip()) > 40 or lexicon.match(text.strip()) != "related":
            continue
        element = text.getparent()
        container = element.getparent()
        while container is not None and len(container.findall(".//a")) < 1:
            container = container.getparent()
        if container is None:
            continue
        for link in container.iterfind(".//a"):
            title = text_of(link)
            key = normalize(title)
            if len(title.split()) < 3 or key in seen or lexicon.match(title):
                continue
            seen.add(key)
            related.append(Related(title=title, url=_joined(base_url, link.get("href"))))
    return related


def _mentions(source: str, needles: tuple[str, ...]) -> bool:
    return any(needle in source for needle in needles)


def _usable_url(value: str | None) -> str | None:
    """``value`` when it can be a page's address: a template bug can print a canonical link
    that no URL parser accepts (``http://[::1``) or a ``javascript:`` stub."""
    if not value or value.strip().lower().startswith("javascript:"):
        return None
    try:
        urlsplit(value)
    except ValueError:
        return None
    return value


def _joined(base_url: str | None, href: str | None) -> str | None:
    """``href`` made absolute against the page's address; a broken address on either side
    costs the link its URL (or leaves it relative), never the page."""
    href = _usable_url(href)
    if not href or not base_url:
        return href
    try:
        return urljoin(base_url, href)
    except ValueError:
        return href


def page_metadata(
    tree: etree._Element, url: str | None = None, html_source: str | None = None
) -> PageMeta:
    """Everything the page says about itself. ``html_source`` (the page as text), when given,
    lets plain substring tests skip the tree scans that cannot find anything on this page."""
    meta = PageMeta()
    tags = _meta_tags(tree)
    articles = _json_ld_articles(tree)
    root = tree.getroottree().getroot()
    meta.lang = (root.get("lang") or "").split("-")[0].lower() or None
    canonical = tree.find(".//link[@rel='canonical']")
    meta.url = (
        url
        or _usable_url(canonical.get("href") if canonical is not None else None)
        or _usable_url(tags.get("og:url"))
    )
    meta.site_name = tags.get("og:site_name")

    ld = articles[0] if articles else {}
    headline = _headline_element(tree)
    title_tag = tree.find(".//title")
    meta.title = clean_title(
        ld.get("headline")
        or next((tags[k] for k in _TITLE_META if k in tags), None)
        or (text_of(headline) if headline is not None else None)
        or (text_of(title_tag) if title_tag is not None else None),
        meta.site_name,
    )
    meta.description = ld.get("description") or next(
        (tags[k] for k in _DESCRIPTION_META if k in tags), None
    )

    for value in (ld.get("datePublished"), *(tags.get(k) for k in _PUBLISHED_META)):
        parsed = parse_published(value) if isinstance(value, str) else None
        if parsed:
            meta.published, meta.published_source = parsed, "meta"
            break

    if html_source is None or _mentions(html_source, _AUTHOR_MARKS):
        author, meta.byline, bio = _byline_from_elements(tree)
    else:
        author = bio = None
    meta.author = _ld_author(ld.get("author")) or author
    if meta.author is None:
        for key in _AUTHOR_META:
            value = tags.get(key)
            if value and not value.startswith("http") and len(value.split()) <= 6:
                meta.author = value
                break
    meta.author_bio = bio

    if meta.published is None:
        # The date line printed by the headline is the page's own statement; a full date in
        # the URL comes next, then other visible dates (which may be the site header's "today");
        # a year-month URL only fills in when the page shows no date at all.
        from_url = date_from_url(meta.url) if meta.url else None
        candidates = (
            (lambda: _date_near_headline(headline), "byline"),
            (lambda: from_url if from_url and len(from_url) >= 10 else None, "url"),
            (lambda: _date_from_elements(tree), "byline"),
            (lambda: from_url, "url"),
        )
        for find, source in candidates:
            value = find()
            if value:
                meta.published, meta.published_source = value, source
                break
    if html_source is None or _mentions(html_source, _RELATED_MARKS):
        meta.related = related_links(tree, meta.url)
    return meta
