"""Raw HTML pages: decode the bytes (see ``rasid.ingest.encoding``) and hand them on whole.

A truncated page is still a page (kind ``html``): lxml and the extractor cope with a missing
``</body>``, and half an article is better than none.
"""

from __future__ import annotations

from rasid.ingest.base import Where, text_page
from rasid.ingest.encoding import decode
from rasid.model import Page

__all__ = ["html_page"]


def html_page(
    data: bytes,
    where: Where,
    *,
    fmt: str = "html",
    declared: str | None = None,
    at: str | None = None,
    url: str | None = None,
    given: dict[str, str] | None = None,
) -> Page:
    """A ``kind="html"`` Page from the bytes of one page. ``declared`` is the HTTP charset
    label when there was an HTTP response (WARC); the page's own ``<meta charset>`` is read
    too."""
    decoded = decode(data, declared=declared, html=True)
    return text_page(decoded, where, "html", fmt, size=len(data), at=at, url=url, given=given)
