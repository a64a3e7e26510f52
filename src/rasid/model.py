"""The data that flows through rasid: Page → Article → Record.

Every stage is a plain function of one of these. Offsets are Python string indices into
``Article.text`` (end-exclusive), so ``text[start:end]`` is always the surface form.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from rasid.arabic.normalize import normalize
from rasid.urls import canonical_url

# What a reader hands to the extractor: a raw HTML page, a scraped text dump that still
# carries its boilerplate, a body that is already clean, or nothing usable at all.
PageKind = Literal["html", "text", "clean", "unreadable"]

BlockKind = Literal["paragraph", "heading"]

# Why a line or block was dropped from the article text (the record's ``removed`` list).
RemovedKind = Literal[
    "share",
    "nav",
    "related",
    "byline",
    "author_bio",
    "comment_form",
    "ad",
    "embed",
    "copyright",
    "title",
    "other",
]


@dataclass(slots=True)
class Source:
    """Where a document came from. ``path`` names the file, and ``locator`` the place inside it
    (``line 12`` of a JSONL file, a zip member, a WARC record offset) so errors can point at it."""

    path: str | None = None
    url: str | None = None
    site: str | None = None
    format: str = "text"
    locator: str | None = None

    def describe(self) -> str:
        where = self.path or self.url or "<unknown>"
        return f"{where} ({self.locator})" if self.locator else where


@dataclass(slots=True)
class Page:
    """One document as a reader found it, before any cleaning.

    ``body`` is always text: readers decode bytes (declared charset, then detection) and say
    which encoding they used in ``encoding``. ``given`` holds
    metadata the container already knows (title, author, published, id, url from a JSONL line,
    a corpus file or a WARC header); the extractor prefers it to what it infers.
    """

    source: Source
    kind: PageKind
    body: str = ""
    encoding: str | None = None
    given: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Block:
    kind: BlockKind
    start: int
    end: int


@dataclass(slots=True)
class Removed:
    kind: str
    text: str


@dataclass(slots=True)
class Related:
    title: str
    url: str | None = None


@dataclass(slots=True)
class Author:
    name: str
    bio: str | None = None


@dataclass(slots=True)
class Article:
    """The clean article: text without boilerplate, its blocks, and its metadata."""

    source: Source
    text: str = ""
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    lede: str | None = None
    author: Author | None = None
    published: str | None = None
    published_source: str | None = None
    related: list[Related] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    lang: str | None = None
    given_id: str | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_paragraphs(
        cls, source: Source, parts: list[tuple[BlockKind, str]], **metadata: Any
    ) -> Article:
        """Join (kind, text) parts with blank lines and record each one as a block."""
        pieces: list[str] = []
        blocks: list[Block] = []
        offset = 0
        for kind, part in parts:
            if not part:
                continue
            if pieces:
                offset += 2
            pieces.append(part)
            blocks.append(Block(kind, offset, offset + len(part)))
            offset += len(part)
        return cls(source=source, text="\n\n".join(pieces), blocks=blocks, **metadata)


@dataclass(slots=True)
class Record:
    """The public record contract (see DESIGN.md). Annotation layers start empty and are
    filled by the annotate stage."""

    id: str
    source: Source
    title: str | None
    lede: str | None
    author: Author | None
    published: str | None
    published_source: str | None
    text: str
    blocks: list[Block]
    related: list[Related]
    removed: list[Removed]
    lang: str | None
    errors: list[str]
    entities: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    dates: list[dict[str, Any]] = field(default_factory=list)
    fingerprint: str | None = None

    @classmethod
    def from_article(cls, article: Article) -> Record:
        return cls(
            id=article.given_id or record_id(article),
            source=article.source,
            title=article.title,
            lede=article.lede,
            author=article.author,
            published=article.published,
            published_source=article.published_source,
            text=article.text,
            blocks=article.blocks,
            related=article.related,
            removed=article.removed,
            lang=article.lang,
            errors=article.errors,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def record_id(article: Article) -> str:
    """A stable id: the hash of the canonical URL when there is one, else of the normalized text
    (so the same page read twice, from any container, gets the same id)."""
    if article.source.url:
        key = "url:" + canonical_url(article.source.url)
    elif article.text:
        key = "text:" + normalize(article.text)
    else:
        # Nothing to hash but where it came from: failed documents still need a stable id.
        key = "source:" + article.source.describe()
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
