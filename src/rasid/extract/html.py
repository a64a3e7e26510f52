"""HTML pages: trafilatura finds the main block, the Arabic layer cleans and completes it.

trafilatura is the best open main-content extractor, but on Arabic pages it keeps comment-form
headers, disclaimers and copyright lines, never finds Arabic bylines, and misreads Arabic dates.
We parse the page once with lxml, read the metadata first (trafilatura prunes the parts that carry
it), hand the same tree to trafilatura, then pass its blocks through the line classifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import lxml.html
import trafilatura
from lxml import etree

from rasid.arabic.normalize import normalize
from rasid.extract.lines import segment
from rasid.extract.meta import PageMeta, page_metadata, text_of
from rasid.extract.result import assemble
from rasid.model import Article, Page, Removed

# In trafilatura's XML these tags start a new line of text; the others are inline.
_BREAKING_TAGS = {"p", "head", "quote", "list", "item", "table", "row", "cell", "lb", "div"}
# When most of the main block sits in tables, trafilatura has taken a table layout for the
# article: its output is the whole page, and the line classifier has to find the article in it.
LAYOUT_TABLE_SHARE = 0.5
LAYOUT_CELL_WORDS = 25


# Comments and processing instructions go at parse time, as trafilatura's own loader does:
# server-rendered pages put "<!-- -->" between text nodes, and left in they cost text.
# huge_tree: without it libxml2 drops everything below 255 levels of nesting (templates that
# never close a <div> get there) and caps text nodes; ingest already bounds a page at 20 MB.
_PARSER = lxml.html.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, huge_tree=True
)


class ExtractionError(ValueError):
    """The page could not be read as HTML at all."""


def parse_tree(html: str) -> etree._Element:
    if not html.strip():
        raise ExtractionError("empty document")
    try:
        tree = lxml.html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError) as error:
        # lxml refuses strings with an encoding declaration and some fragments: retry as bytes.
        try:
            tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=_PARSER)
        except (etree.ParserError, ValueError):
            raise ExtractionError(f"not parseable as HTML: {error}") from error
    return tree


@dataclass(slots=True)
class MainBlock:
    texts: list[str] = field(default_factory=list)
    headings: list[bool] = field(default_factory=list)
    table_chars: int = 0

    @property
    def is_layout_table(self) -> bool:
        total = sum(map(len, self.texts))
        return total > 0 and self.table_chars / total > LAYOUT_TABLE_SHARE


def _is_layout_table(table: etree._Element) -> bool:
    """A table used to lay out a page holds paragraphs; a data table holds short cells."""
    if table.find(".//cell//p") is not None or table.find(".//cell//head") is not None:
        return True
    return any(len(text_of(cell).split()) >= LAYOUT_CELL_WORDS for cell in table.iter("cell"))


class _Flattener:
    """trafilatura's XML body → lines of text, each marked heading or not."""

    def __init__(self) -> None:
        self.block = MainBlock()
        self.buffer: list[str] = []
        self.heading = False
        self.layout_depth = 0

    def add_line(self, text: str) -> None:
        text = " ".join(text.split())
        # Lines with no letter or digit (stray BOMs, separators) carry nothing to keep or audit.
        if any(ch.isalnum() for ch in text):
            self.block.texts.append(text)
            self.block.headings.append(self.heading)
            if self.layout_depth:
                self.block.table_chars += len(text)

    def flush(self) -> None:
        self.add_line("".join(self.buffer))
        self.buffer.clear()

    def walk(self, element: etree._Element) -> None:
        if element.tag == "table" and not _is_layout_table(element):
            self.flush()
            for row in element.iter("row"):
                self.add_line(" | ".join(t for cell in row.iter("cell") if (t := text_of(cell))))
            self.buffer.append(element.tail or "")
            return
        breaking = element.tag in _BREAKING_TAGS
        if breaking:
            self.flush()
        outer_heading = self.heading
        self.heading = self.heading or element.tag == "head"
        self.layout_depth += element.tag == "table"
        self.buffer.append(element.text or "")
        for child in element:
            self.walk(child)
        if breaking:
            self.flush()
        self.layout_depth -= element.tag == "table"
        self.heading = outer_heading
        self.buffer.append(element.tail or "")


def _main_block(tree: etree._Element, url: str | None) -> MainBlock:
    """trafilatura's main content as lines of text, each marked heading or not."""
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )
    flattener = _Flattener()
    if document is None or document.body is None:
        return flattener.block
    for element in document.body:
        flattener.walk(element)
    flattener.flush()
    return flattener.block


def _same_title(a: str, b: str) -> bool:
    a, b = normalize(a), normalize(b)
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) > 15 and shorter in longer and len(shorter) / len(longer) > 0.75


def _note_furniture(article: Article, meta: PageMeta) -> None:
    """Furniture found outside the main block (the byline box, the author box, related links)
    joins the ``removed`` audit list, so a reader sees what the page carried besides the text.
    """
    seen = {normalize(r.text) for r in article.removed}
    found = [("byline", meta.byline), ("author_bio", meta.author_bio)]
    found += [("related", related.title) for related in meta.related]
    for kind, text in found:
        key = normalize(text) if text else ""
        if key and key not in seen and text not in article.text:
            seen.add(key)
            article.removed.append(Removed(kind=kind, text=text))


def extract_html(page: Page) -> Article:
    tree = parse_tree(page.body)
    meta: PageMeta = page_metadata(tree, page.source.url, page.body)
    main = _main_block(tree, meta.url)
    texts = main.texts
    title = page.given.get("title") or meta.title
    # The headline is often repeated at the top of the main block, sometimes with a suffix.
    if title and texts and _same_title(texts[0], title):
        title = texts[0] if len(texts[0]) >= len(title) else title
    if main.is_layout_table:
        segmentation = segment(texts, title=title)
    else:
        segmentation = segment(texts, title=title, body_only=True, heading_hint=main.headings)
    article = assemble(
        page,
        segmentation,
        title=title,
        author=meta.author,
        author_bio=meta.author_bio,
        lede_hint=meta.description,
        related=meta.related,
    )
    _note_furniture(article, meta)
    if meta.published and not article.published:
        article.published, article.published_source = meta.published, meta.published_source
    if article.source.url is None and meta.url:
        article.source.url = meta.url
    article.lang = meta.lang if meta.lang and not article.text else article.lang
    return article
