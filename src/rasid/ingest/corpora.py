"""Published Arabic news corpora, recognised by their shape (never by their file names).

SaudiNewsNet
    zip files each holding one ``YYYY-MM-DD.json``: a JSON array of ``{source, url,
    date_extracted, title, author, content}``. ``content`` is a clean body (kind ``clean``);
    ``date_extracted`` → ``given["published"]`` (close to the publication date), ``source``
    (the outlet, e.g. ``aawsat``) → ``given["site"]``. Read by ``rasid.ingest.jsonl`` with the
    ``SAUDINEWSNET`` shape below; ``Source.format`` is ``saudinewsnet``.

ANT (Arabic News Texts, v1.1 and multi-source v2.1)
    TREC-style pseudo-XML, normally one ``<DOC>`` per file (several are handled too):
    ``<DOC><DOCNO>…<URL>…<SRC>…<CAT>…<TITLE>…<TIME>…<AUTHOR>…<ABSTRACT>…<TEXT>…</DOC>``. Not
    well-formed XML (nothing is escaped), so it is parsed with regular expressions. ``TEXT`` is
    a clean body (kind ``clean``); ``ABSTRACT`` → ``given["lede"]`` (in v2.1 it is often the
    first paragraph cut mid-sentence: the extractor decides whether to keep it), ``TIME`` →
    ``given["published"]`` as written (RFC 822 in v2.1, ISO 8601 in v1.1; the extractor parses
    it), ``SRC`` → ``given["site"]``, ``DOCNO`` → ``given["id"]`` prefixed ``ant:`` (so the
    record id is the corpus id, e.g. ``ant:BB-internationalNews-329-20180413``, which joins
    back to the corpus and cannot collide with ids from other sources). ``Source.format`` is
    ``ant``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rasid.ingest.base import Where, clean_given, unreadable
from rasid.ingest.encoding import decode
from rasid.ingest.jsonl import JsonShape
from rasid.model import Page

__all__ = ["ANT_FIELDS", "ANT_ID_PREFIX", "JSON_SHAPES", "SAUDINEWSNET", "read_ant"]

SAUDINEWSNET = JsonShape(
    name="saudinewsnet",
    required=frozenset({"source", "url", "date_extracted", "title", "content"}),
    bodies=(("content", "clean"),),
    given=(
        ("url", "url"),
        ("title", "title"),
        ("author", "author"),
        ("date_extracted", "published"),
        ("source", "site"),
    ),
    format="saudinewsnet",
)

# Corpus shapes first; rasid.ingest.jsonl.GENERIC is the fallback for any other object.
JSON_SHAPES: tuple[JsonShape, ...] = (SAUDINEWSNET,)

# ANT element → Page.given key.
ANT_FIELDS: tuple[tuple[str, str], ...] = (
    ("DOCNO", "id"),
    ("URL", "url"),
    ("SRC", "site"),
    ("TITLE", "title"),
    ("TIME", "published"),
    ("AUTHOR", "author"),
    ("ABSTRACT", "lede"),
)
ANT_ID_PREFIX = "ant:"
ANT_BODY = "TEXT"

_NEXT_ELEMENT = re.compile(
    r"<(?:DOCNO|URL|SRC|CAT|TITLE|TIME|AUTHOR|ABSTRACT|TEXT|/?DOC)>", re.IGNORECASE
)


def _find(text: str, needle: str, start: int = 0) -> int:
    """``str.find`` that also accepts lowercase tags (the corpora write them uppercase)."""
    found = text.find(needle, start)
    if found < 0:
        match = re.compile(re.escape(needle), re.IGNORECASE).search(text, start)
        found = match.start() if match else -1
    return found


def _documents(text: str) -> Iterator[tuple[str, bool]]:
    """Each ``<DOC>`` element's content, and whether it was closed by ``</DOC>``."""
    start = _find(text, "<DOC>")
    while start >= 0:
        start += len("<DOC>")
        following = _find(text, "<DOC>", start)
        end = _find(text, "</DOC>", start)
        if end >= 0 and (following < 0 or end < following):
            yield text[start:end], True
        else:
            yield text[start : following if following >= 0 else len(text)], False
        start = following


def _element(doc: str, tag: str) -> str | None:
    """The content of ``<tag>…</tag>``; without the closing tag, up to the next ANT element or
    the end of the document."""
    start = _find(doc, f"<{tag}>")
    if start < 0:
        return None
    start += len(tag) + 2
    end = _find(doc, f"</{tag}>", start)
    if end < 0:
        match = _NEXT_ELEMENT.search(doc, start)
        end = match.start() if match else len(doc)
    return doc[start:end]


def _body(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def read_ant(data: bytes, where: Where) -> Iterator[Page]:
    """Pages from one ANT file (its bytes; normally UTF-8)."""
    decoded = decode(data)
    text = decoded.text
    docs = list(_documents(text))
    if not docs:
        yield unreadable(where, "ant", "no <DOC> element in an ANT file")
        return
    several = len(docs) > 1
    for number, (doc, closed) in enumerate(docs, start=1):
        at = f"DOC {number}" if several else None
        position = f"{at}: " if at else ""
        values: dict[str, str | None] = {key: _element(doc, tag) for tag, key in ANT_FIELDS}
        if values.get("id"):
            values["id"] = ANT_ID_PREFIX + str(values["id"]).strip()
        given = clean_given(values)
        url = given.get("url")
        errors: list[str] = []
        if not closed:
            errors.append(f"{where.describe()}: {position}no </DOC> (truncated file?)")
        body = _element(doc, ANT_BODY)
        if body is None:
            problem = f"{position}no <{ANT_BODY}> element in the ANT document"
            yield unreadable(where, "ant", problem, at=at, url=url, given=given)
            continue
        body = _body(body)
        if not body:
            yield unreadable(where, "ant", f"{position}empty document", at=at, url=url, given=given)
            continue
        if decoded.lost:
            errors.append(
                f"{where.describe()}: encoding: {decoded.lost} undecodable bytes replaced "
                f"with U+FFFD (decoded as {decoded.encoding})"
            )
        yield Page(
            source=where.source("ant", url=url, at=at),
            kind="clean",
            body=body,
            encoding=decoded.encoding,
            given=given,
            errors=errors,
        )
