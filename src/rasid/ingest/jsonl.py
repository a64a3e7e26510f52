"""JSON documents: JSON Lines, JSON arrays, and single JSON objects.

Each object is one document. Which field holds the body, and which fields are metadata, is
described by a ``JsonShape`` (data, not code): the first shape whose ``required`` keys an object
has decides. The generic shape reads

* ``html`` → a raw page (kind ``html``), ``raw_text`` → a text dump with boilerplate (kind
  ``text``), ``text`` → an already clean body (kind ``clean``); the first present one wins;
* ``id``, ``url``, ``title``, ``author``, ``published``, ``lede``, ``lang``, ``site`` →
  ``Page.given`` (``source`` is the outlet's name: it goes to ``given["site"]``).

Corpus shapes (SaudiNewsNet) live in ``rasid.ingest.corpora``.

Streaming: JSON Lines are read line by line; a JSON array is parsed item by item with an
incremental decoder, so neither is ever held in memory as a whole. A malformed line becomes an
unreadable Page (``"line 7: invalid JSON: …"``) and the reader goes on with the next line; a
malformed array item ends that array (JSON has no line to resynchronise on).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from rasid.ingest.base import (
    Where,
    clean_given,
    read_head,
    read_limited,
    too_large,
    unreadable,
    without_surrogates,
)
from rasid.ingest.encoding import decode
from rasid.model import Page, PageKind

__all__ = ["GENERIC", "JsonShape", "page_from_object", "read_json"]


@dataclass(frozen=True, slots=True)
class JsonShape:
    """How to read one kind of JSON document object.

    ``format`` is the ``Source.format`` of its pages (``None``: the container's, ``jsonl`` or
    ``json``); ``bodies`` are (field, kind) pairs tried in order; ``given`` maps object fields
    to ``Page.given`` keys; ``constant`` adds fixed ``given`` values."""

    name: str
    required: frozenset[str]
    bodies: tuple[tuple[str, PageKind], ...]
    given: tuple[tuple[str, str], ...]
    format: str | None = None
    constant: dict[str, str] = field(default_factory=dict)

    def matches(self, obj: dict[str, Any]) -> bool:
        return self.required.issubset(obj)


GENERIC = JsonShape(
    name="generic",
    required=frozenset(),
    bodies=(("html", "html"), ("raw_text", "text"), ("text", "clean")),
    given=(
        ("id", "id"),
        ("url", "url"),
        ("title", "title"),
        ("author", "author"),
        ("published", "published"),
        ("lede", "lede"),
        ("lang", "lang"),
        ("site", "site"),
        ("source", "site"),
    ),
)

# How much of a JSON array is decoded at a time.
CHUNK_CHARS = 1024 * 1024
# JSON nested deeper than Python's recursion limit (about 1,000 levels) cannot be parsed; such
# a document is refused by name and the ones after it are read.
TOO_DEEP = "nested too deeply"


def _shape_for(obj: dict[str, Any], shapes: Iterable[JsonShape]) -> JsonShape:
    for shape in shapes:
        if shape.matches(obj):
            return shape
    return GENERIC


def page_from_object(
    obj: Any,
    where: Where,
    *,
    container: str,
    at: str | None,
    shapes: Iterable[JsonShape] = (GENERIC,),
) -> Page:
    """One Page from one decoded JSON value (``at``: ``"line 3"``, ``"item 3"`` or ``None``)."""
    position = f"{at}: " if at else ""
    if not isinstance(obj, dict):
        kind = type(obj).__name__
        return unreadable(
            where, container, f"{position}not a JSON object (a {kind}), not a document", at=at
        )
    shape = _shape_for(obj, shapes)
    fmt = shape.format or container
    given_values: dict[str, Any] = dict(shape.constant)
    for source_key, given_key in shape.given:
        if source_key in obj and given_key not in given_values:
            given_values[given_key] = obj[source_key]
    given = clean_given(given_values)
    url = given.get("url")
    for body_key, kind in shape.bodies:
        if body_key not in obj:
            continue
        body = obj[body_key]
        if not isinstance(body, str) or not body.strip():
            text_like = body is None or isinstance(body, str)
            why = "is empty" if text_like else f"is a {type(body).__name__}, not text"
            problem = f"{position}empty document ({body_key!r} {why})"
            return unreadable(where, fmt, problem, at=at, url=url, given=given)
        # JSON text is already decoded: an "html" field is the page as it was, whatever its
        # <meta charset> says.
        text = body if kind == "html" else body.replace("\r\n", "\n").replace("\r", "\n")
        text, lone = without_surrogates(text)
        page = Page(
            source=where.source(fmt, url=url, at=at),
            kind=kind,
            body=text,
            encoding="utf-8",
            given=given,
        )
        if lone:
            page.errors.append(
                f"{where.describe()}: {position}encoding: {lone} lone surrogate escapes "
                "replaced with U+FFFD"
            )
        return page
    wanted = ", ".join(key for key, _ in shape.bodies)
    problem = f"{position}no document field (expected one of: {wanted})"
    return unreadable(where, fmt, problem, at=at, url=url, given=given)


def _decode_line(raw: bytes) -> tuple[str, int]:
    try:
        return raw.decode("utf-8"), 0
    except UnicodeDecodeError:
        decoded = decode(raw)
        return decoded.text, decoded.lost


def _read_lines(stream: BinaryIO, where: Where, shapes: tuple[JsonShape, ...]) -> Iterator[Page]:
    limit = where.max_bytes
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        at = f"line {number}"
        if len(raw) > limit and not raw.endswith(b"\n"):
            size = len(raw)
            while True:  # drop the rest of the over-long line
                more = stream.readline(1024 * 1024)
                size += len(more)
                if not more or more.endswith(b"\n"):
                    break
            yield unreadable(where, "jsonl", f"{at}: {too_large(size, limit)}", at=at)
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        text, lost = _decode_line(raw.rstrip(b"\r\n"))
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield unreadable(
                where, "jsonl", f"{at}: invalid JSON: {exc.msg} (column {exc.colno})", at=at
            )
            continue
        except RecursionError:
            yield unreadable(where, "jsonl", f"{at}: invalid JSON: {TOO_DEEP}", at=at)
            continue
        page = page_from_object(obj, where, container="jsonl", at=at, shapes=shapes)
        if lost:
            page.errors.append(
                f"{where.describe()}: {at}: encoding: {lost} undecodable bytes replaced with U+FFFD"
            )
        yield page


class _ArrayItems:
    """Items of a JSON array read incrementally from a text stream."""

    def __init__(self, stream: io.TextIOBase, max_item_chars: int) -> None:
        self._stream = stream
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._max = max_item_chars
        self._decoder = json.JSONDecoder()

    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = self._stream.read(CHUNK_CHARS)
        if not chunk:
            self._eof = True
            return False
        self._buf = self._buf[self._pos :] + chunk
        self._pos = 0
        return True

    def _peek(self) -> str | None:
        while True:
            buf, pos = self._buf, self._pos
            while pos < len(buf) and buf[pos] in " \t\r\n\ufeff":
                pos += 1
            self._pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self._fill():
                return None

    def _value(self) -> Any:
        self._peek()  # skip the whitespace before the value
        while True:
            try:
                obj, end = self._decoder.raw_decode(self._buf, self._pos)
            except RecursionError:
                raise ValueError(f"invalid JSON: {TOO_DEEP}") from None
            except json.JSONDecodeError as exc:
                # Only an error at the end of the buffer (or an unfinished string) may just
                # mean the item goes on in the next chunk.
                incomplete = exc.pos >= len(self._buf) - 64 or exc.msg.startswith("Unterminated")
                if incomplete and len(self._buf) - self._pos > self._max:
                    raise ValueError(too_large(len(self._buf) - self._pos, self._max)) from None
                if incomplete and self._fill():
                    continue
                raise
            if end >= len(self._buf) and self._fill():
                continue  # a number or literal may go on in the next chunk
            self._pos = end
            return obj

    def __iter__(self) -> Iterator[Any]:
        if self._peek() != "[":
            raise ValueError("expected '[' at the start of a JSON array")
        self._pos += 1
        if self._peek() == "]":
            self._pos += 1
            return
        while True:
            yield self._value()
            char = self._peek()
            if char == ",":
                self._pos += 1
                continue
            if char == "]":
                self._pos += 1
                return
            if char is None:
                raise ValueError("the array ends without ']' (truncated file?)")
            raise ValueError(f"expected ',' or ']' between items, found {char!r}")


def _read_array(stream: BinaryIO, where: Where, shapes: tuple[JsonShape, ...]) -> Iterator[Page]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace")
    items = iter(_ArrayItems(text, where.max_bytes))
    number = 0
    while True:
        at = f"item {number + 1}"
        try:
            obj = next(items)
        except StopIteration:
            return
        except json.JSONDecodeError as exc:
            problem = f"{at}: invalid JSON: {exc.msg}; the rest of the array is skipped"
            yield unreadable(where, "json", problem, at=at)
            return
        except ValueError as exc:
            problem = f"{at}: {exc}; the rest of the array is skipped"
            yield unreadable(where, "json", problem, at=at)
            return
        number += 1
        yield page_from_object(obj, where, container="json", at=at, shapes=shapes)


def _read_object(stream: BinaryIO, where: Where, shapes: tuple[JsonShape, ...]) -> Iterator[Page]:
    data, size = read_limited(stream, where.max_bytes)
    if data is None:
        yield unreadable(where, "json", too_large(size, where.max_bytes))
        return
    decoded = decode(data)
    try:
        obj = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        yield unreadable(
            where, "json", f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        )
        return
    except RecursionError:
        yield unreadable(where, "json", f"invalid JSON: {TOO_DEEP}")
        return
    if isinstance(obj, list):  # a small array the sniffer took for an object
        for number, item in enumerate(obj, start=1):
            at = f"item {number}"
            yield page_from_object(item, where, container="json", at=at, shapes=shapes)
        return
    yield page_from_object(obj, where, container="json", at=None, shapes=shapes)


def read_json(
    stream: BinaryIO, where: Where, shapes: Iterable[JsonShape] = (GENERIC,)
) -> Iterator[Page]:
    """Pages from a JSON file: an array (``[`` first), JSON Lines (one object per line), or a
    single pretty-printed object (a first line that is only ``{``). ``stream`` must support
    ``peek`` or be re-readable from its start: pass what ``rasid.ingest.base.prefixed`` gives."""
    shapes = tuple(shapes)
    head = _peek(stream)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"["):
        yield from _read_array(stream, where, shapes)
        return
    first_line = start.split(b"\n", 1)[0].strip()
    if first_line == b"{":
        yield from _read_object(stream, where, shapes)
        return
    yield from _read_lines(stream, where, shapes)


def _peek(stream: BinaryIO) -> bytes:
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return bytes(peek(4096)[:4096])
    head = read_head(stream, 4096)
    stream.seek(0)
    return head
