"""Scraped text dumps (one block per line, boilerplate still in: the seed page's format) and
bodies that are already clean."""

from __future__ import annotations

from rasid.extract.lines import lede_of, segment
from rasid.extract.result import assemble
from rasid.model import Article, Page


def page_lines(body: str) -> list[str]:
    return [stripped for line in body.splitlines() if (stripped := line.strip())]


def extract_text_dump(page: Page) -> Article:
    segmentation = segment(page_lines(page.body), title=page.given.get("title"))
    return assemble(page, segmentation, title=page.given.get("title"))


def extract_clean_text(page: Page) -> Article:
    """Corpus files and JSONL ``text`` bodies are already clean: keep every line, one paragraph
    per line."""
    paragraphs = page_lines(page.body)
    article = Article.from_paragraphs(page.source, [("paragraph", p) for p in paragraphs])
    article.title = page.given.get("title")
    article.lede = page.given.get("lede") or lede_of(paragraphs)
    return article
