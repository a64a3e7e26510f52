"""HTML pages: trafilatura finds the main block, the Arabic layer cleans and completes it.

trafilatura is the best open main-content extractor, but on Arabic pages it keeps comment-form
headers, disclaimers and copyright lines, never finds Arabic bylines, and misreads Arabic dates.
We parse the page once with lxml, read the metadata first (trafilatura prunes the parts that carry
it), hand the same tree to trafilatura, then pass its blocks through the line classifier.
"""

from __future__ import annotations

import lxml.html
import trafilatura
from lxml import etree

from rasid.arabic.normalize import normalize
from rasid.extract.lines import segment
from rasid.extract.meta import PageMeta, page_metadata, text_of
from rasid.extract.result import assemble
from rasid.model import Article, Page

_BLOCK_TAGS = {"p", "head", "quote", "list", "table"}


class ExtractionError(ValueError):
    """The page could not be read as HTML at all."""


def parse_tree(html: str) -> etree._Element:
    if not html.strip():
        raise ExtractionError("empty document")
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as error:
        # lxml refuses strings with an encoding declaration and some fragments: retry as bytes.
        try:
            tree = lxml.html.document_fromstring(html.encode("utf-8"))
        except (etree.ParserError, ValueError):
            raise ExtractionError(f"not parseable as HTML: {error}") from error
    return tree


def _main_blocks(tree: etree._Element, url: str | None) -> tuple[list[str], list[bool], str | None]:
    """trafilatura's main content as (texts, is_heading flags), plus its own author guess."""
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )
    if document is None or document.body is None:
        return [], [], None
    texts: list[str] = []
    headings: list[bool] = []
    for element in document.body:
        if element.tag not in _BLOCK_TAGS:
            continue
        if element.tag in ("list", "table"):
            items = element.iterfind(".//item") if element.tag == "list" else element.iter("row")
            for item in items:
                text = text_of(item)
                if text:
                    texts.append(text)
                    headings.append(False)
            continue
        # Pages that separate paragraphs with <br> come out as one block with <lb/> marks.
        for piece in _split_at_line_breaks(element):
            texts.append(piece)
            headings.append(element.tag == "head")
    return texts, headings, getattr(document, "author", None)


def _split_at_line_breaks(element: etree._Element) -> list[str]:
    if element.find(".//lb") is None:
        text = text_of(element)
        return [text] if text else []
    pieces: list[str] = [element.text or ""]

    def walk(parent: etree._Element) -> None:
        for child in parent:
            if child.tag == "lb":
                pieces.append(child.tail or "")
                continue
            pieces[-1] += child.text or ""
            walk(child)
            pieces[-1] += child.tail or ""

    walk(element)
    return [text for piece in pieces if (text := " ".join(piece.split()))]


def _same_title(a: str, b: str) -> bool:
    a, b = normalize(a), normalize(b)
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) > 15 and shorter in longer and len(shorter) / len(longer) > 0.75


def extract_html(page: Page) -> Article:
    tree = parse_tree(page.body)
    meta: PageMeta = page_metadata(tree, page.source.url)
    texts, headings, _ = _main_blocks(tree, meta.url)
    title = page.given.get("title") or meta.title
    # The headline is often repeated at the top of the main block, sometimes with a suffix.
    if title and texts and _same_title(texts[0], title):
        title = texts[0] if len(texts[0]) >= len(title) else title
    segmentation = segment(texts, title=title, body_only=True, heading_hint=headings)
    article = assemble(
        page,
        segmentation,
        title=title,
        author=meta.author,
        author_bio=meta.author_bio,
        lede_hint=meta.description,
        related=meta.related,
    )
    if meta.published and not article.published:
        article.published, article.published_source = meta.published, meta.published_source
    if article.source.url is None and meta.url:
        article.source.url = meta.url
    article.lang = meta.lang if meta.lang and not article.text else article.lang
    return article
