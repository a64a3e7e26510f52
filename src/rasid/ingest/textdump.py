"""Scraped text dumps: a page's text with its boilerplate still in, one block per line (like
``shared/seed/kherson.txt``). The reader only decodes them; the line classifier in
``rasid.extract.textdump`` decides what is article and what is menu. Line endings are
normalised to ``\\n``.
"""

from __future__ import annotations

from rasid.ingest.base import Where, text_page
from rasid.ingest.encoding import decode
from rasid.model import Page

__all__ = ["text_dump_page"]


def text_dump_page(
    data: bytes,
    where: Where,
    *,
    fmt: str = "text",
    declared: str | None = None,
    at: str | None = None,
    url: str | None = None,
    given: dict[str, str] | None = None,
) -> Page:
    """A ``kind="text"`` Page from the bytes of one text dump."""
    decoded = decode(data, declared=declared)
    return text_page(decoded, where, "text", fmt, size=len(data), at=at, url=url, given=given)
