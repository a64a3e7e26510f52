"""JSON documents: JSON Lines, JSON arrays, and single JSON objects.

Each object is one document. Which field holds the body, and which fields are metadata, is
described by a ``JsonShape`` (data, not code): the first shape whose ``required`` keys an object
has decides. The generic shape reads

* ``html`` → a raw page (kind ``html``), ``raw_text`` → a text dump with boilerplate (kind
  ``text``), ``text`` → an already clean body (kind ``clean``); the first present one wins;
* ``id``, ``url``, ``title``, ``author``, ``published``, ``lede``, ``lang``, ``site`` →
  ``Page.given`` (``source`` is the outlet's name: it goes to ``given["site"]``).

Corpus shapes (SaudiNewsNet) live in ``rasid.ingest.corpora``.

How a file is read (never decided by the file's name; 2026-11-26):

* a file whose first value (its first line that is not blank) opens an array or an object
  that does not close on that line is one JSON text, read from its start as it always was:
  an array wrapped with its items or keys on lines of their own (``[{…},`` / `` {…},`` /
  `` {…}]``, ``[{"title": …,`` / ``  "text": …}]``) gives ``item 3``, an object no locator.
  A first line that is a whole value (JSON Lines, a batch line) does not, nor one broken
  within it (a string cut at the line's end); whatever follows that first text is read as
  below. Everything else is decided line by line:
* a line that is a whole JSON value is a line of JSON Lines: an object is a document
  (``line 7``), a string, number or ``null`` is an error naming the line;
* a line that starts with ``[`` is an array, read item by item: one batch per line or a
  one-line array of any size ends on its line; a bare ``[`` (or ``[{``) line opens a
  pretty-printed array that spans many lines (rasid's own ``extract --format json`` output,
  SaudiNewsNet day files, PowerShell). Its items are ``line 7, item 3``; the items of the
  file's first array are ``item 3``, as they have always been;
* a bare ``{`` line opens a pretty-printed object that goes on in the next lines
  (``json.dumps(indent=…)``, ``jq .``; ``line 7``; a file that is only this object has no
  locator, as a single document never has). After the file's first line only bare openers
  carry a value onto the next lines: a line cut after ``:``, ``,`` or ``[`` is a broken
  line, and the next line is read;
* values back to back (``cat a.json b.json``, ``{…}{…}`` or ``][`` on one line) are each
  read; values that share a line continue that line's item numbers (an array's items one by
  one). A byte-order mark at the start of any line
  (``cat`` of files saved on Windows) is dropped; a UTF-16 file is read as such;
* a line that is a value and a comma (``{…},``: an item line of an array whose brackets are
  cut off or elsewhere) is read as that value.

Bad input costs only itself. A broken line is one error naming the line and column, and the
next line is read. A broken array item ends that array (``item 4: … the rest of the array is
skipped``); a broken value that spans lines ends there too, and its remaining lines are
passed over quietly until a line that holds a whole object or array (``{…},`` item lines of
the broken array included: they are read), or starts one at its first column; a line of
closing brackets after it (the broken array's ``]``) is no error of its own. An integer too
long for Python to convert (over 4,300 digits) is an error naming its line or item. A file in
which no line parses (text with a bracketed tag, named ``.jsonl``) is one error, ``not JSON:
…``, instead of one per line; after ``HELD_BROKEN`` broken lines with none good yet, one error
sums them up and reading goes on (good lines after a long damaged stretch are read).

Streaming: nothing is ever held whole but one line or one array item (each within
``max_bytes``); a value that spans lines is read in runs that start at ``FIRST_RUN`` and
double up to ``CHUNK_CHARS``, so a short pretty-printed object costs about its own size.
Lines are decoded one by one (UTF-8, else detected), values that span lines as UTF-8 or, when
their bytes are plainly windows-1256 / ISO-8859-6, in that codec.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from rasid.ingest.base import (
    Where,
    clean_given,
    read_head,
    too_large,
    unreadable,
    without_surrogates,
)
from rasid.ingest.encoding import ARABIC_CODECS, decode, utf16_without_bom
from rasid.ingest.sniff import guess_format
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

# How much of a value that spans lines is read and decoded at a time, at most. Runs start at
# FIRST_RUN and double: a short pretty-printed object (``jq .`` output) costs only itself, not a
# megabyte read, decoded and handed back per object.
CHUNK_CHARS = 1024 * 1024
FIRST_RUN = 4096
_BOM = b"\xef\xbb\xbf"
_NOT_SPACE = re.compile(rb"[^ \t\r\n\f\v]")
_CLOSING = re.compile(r"\s*[\]}][\s\]},]*")
_SPACE = " \t\r\n\ufeff"
# The first lines of a pretty-printed value (json.dumps(indent=…), jq, PowerShell's
# ConvertTo-Json): only these carry a value onto the next lines. Any other line that does not
# close what it opens is a broken line.
_BARE_OBJECT = re.compile(r"[ \t\r\n\ufeff]*\{[ \t\r\n]*")
_BARE_ARRAY = re.compile(rb"[ \t\r\n]*\[[ \t]*(?:\{[ \t]*)?\r?\n?")
_DECODER = json.JSONDecoder()  # holds no state between calls: one serves every reading
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
        kind = _json_type(obj)
        return unreadable(
            where, container, f"{position}not a JSON object ({kind}), not a document", at=at
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


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


_JSON_TYPES: dict[type, str] = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


class _Broken(Exception):
    """A value that cannot be read: what is wrong, and where in the reader's buffer."""

    def __init__(self, problem: str, pos: int, *, located: bool = True) -> None:
        super().__init__(problem)
        self.problem, self.pos, self.located = problem, pos, located


class _Bytes:
    """The file's bytes as lines (for JSON Lines) or as runs (for a value that spans lines),
    with what a reader took past a value's end given back, and a count of the newlines handed
    out: the line number of the next byte is ``newlines + 1``."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._back = b""
        self._at = 0
        self.newlines = 0
        head = read_head(stream, len(_BOM))
        if head != _BOM:
            self._back = head

    def _taken(self, end: int) -> bytes:
        data = self._back[self._at : end]
        self._at = end
        if self._at >= len(self._back):
            self._back, self._at = b"", 0
        return data

    def readline(self, limit: int) -> bytes:
        if self._back:
            cut = self._back.find(b"\n", self._at, self._at + limit)
            line = self._taken(cut + 1 if cut >= 0 else min(len(self._back), self._at + limit))
            if cut < 0 and len(line) < limit:  # the line goes on in the stream
                line += self._stream.readline(limit - len(line))
        else:
            line = self._stream.readline(limit)
        if line.endswith(b"\n"):
            self.newlines += 1
        return line

    def read(self, size: int) -> bytes:
        if self._back:
            data = self._taken(min(len(self._back), self._at + size))
        else:
            data = self._stream.read(size)
        self.newlines += data.count(b"\n")
        return data

    def give_back(self, data: bytes) -> None:
        if not data:
            return
        self.newlines -= data.count(b"\n")
        size = len(data)
        if size <= self._at and self._back[self._at - size : self._at] == data:
            self._at -= size  # the bytes just taken: step back rather than copy the rest
            return
        self._back = data + self._back[self._at :]
        self._at = 0

    def skip_line(self) -> int:
        """Read past the end of the current line; how many bytes that was."""
        size = 0
        while True:
            piece = self.readline(CHUNK_CHARS)
            size += len(piece)
            if not piece or piece.endswith(b"\n"):
                return size


class _Text:
    """The text of a value that spans lines. UTF-8, unless the first run with non-ASCII bytes
    is not: then the encoding detected there (a pretty-printed windows-1256 export)."""

    def __init__(self, source: _Bytes) -> None:
        self._source = source
        self._codec = "utf-8"
        self._decoder: codecs.IncrementalDecoder | None = None

    def read(self, size: int) -> str:
        while True:
            data = self._source.read(size)
            if self._decoder is None:
                if data.isascii():
                    return data.decode("ascii")
                self._codec = _codec_of(data)
                self._decoder = codecs.getincrementaldecoder(self._codec)(errors="replace")
            text = self._decoder.decode(data, final=not data)
            if text or not data:  # (a run that only starts a character gives no text yet)
                return text

    def give_back(self, text: str) -> None:
        """Hand the unread rest of the buffer (and any half-decoded character) back."""
        pending = b""
        if self._decoder is not None:
            pending = self._decoder.getstate()[0]
            self._decoder.reset()
        self._source.give_back(text.encode(self._codec, "replace") + pending)

    def drop_pending(self) -> None:
        if self._decoder is not None:
            self._decoder.reset()


def _codec_of(data: bytes) -> str:
    """UTF-8, or an Arabic single-byte codec when the bytes are plainly one: a run of a few
    broken bytes is damaged UTF-8, not a reason to read the rest as Latin-1."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data)  # a cut last character is fine
        return "utf-8"
    except UnicodeDecodeError:
        pass
    name = codecs.lookup(decode(data).encoding).name
    return name if name in ARABIC_CODECS else "utf-8"


class _Values:
    """JSON read incrementally from where a value starts: the value, or an array's items one
    at a time, so that neither is ever held whole. Knows the line and column of every
    position, and gives back what it read past the end."""

    def __init__(
        self, text: _Text, source: _Bytes, start: str, max_chars: int, *, one_line: bool = False
    ) -> None:
        self._text = text
        self._source = source
        self._buf = start
        self._pos = 0
        self._eof = False
        self._max = max_chars
        self._run = min(FIRST_RUN, CHUNK_CHARS)
        # A value that must end on its line: runs stop at the line's end, which is given back.
        self._one_line = one_line
        self._column0 = 0  # the column of _buf[0]: a run may start in the middle of a line

    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = self._text.read(self._run)
        self._run = min(self._run * 2, CHUNK_CHARS)
        if self._one_line:
            end = chunk.find("\n")
            if end >= 0:
                self._text.give_back(chunk[end:])
                chunk, self._eof = chunk[:end], True
        if not chunk:
            self._eof = True
            return False
        newline = self._buf.rfind("\n", 0, self._pos)
        self._column0 = self._pos - newline - 1 if newline >= 0 else self._column0 + self._pos
        self._buf = self._buf[self._pos :] + chunk
        self._pos = 0
        return True

    def peek(self) -> str | None:
        """The next character that is not white space (``None``: the end of the file)."""
        while True:
            buf, pos = self._buf, self._pos
            while pos < len(buf) and buf[pos] in _SPACE:
                pos += 1
            self._pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self._fill():
                return None

    def value(self) -> Any:
        self.peek()  # skip the white space before the value
        while True:
            try:
                obj, end = _DECODER.raw_decode(self._buf, self._pos)
            except RecursionError:
                raise _Broken(f"invalid JSON: {TOO_DEEP}", self._pos, located=False) from None
            except json.JSONDecodeError as exc:
                # Only an error at the end of the buffer (or an unfinished string) may just
                # mean the value goes on in the next run; a control character is in the
                # buffer already (a line break inside a string: a cut line).
                incomplete = exc.msg.startswith("Unterminated") or (
                    exc.pos >= len(self._buf) - 64 and not exc.msg.startswith("Invalid control")
                )
                size = len(self._buf) - self._pos
                if incomplete and size > self._max:
                    raise _Broken(
                        too_large(size, self._max), len(self._buf), located=False
                    ) from None
                if incomplete and self._fill():
                    continue
                raise _Broken(f"invalid JSON: {exc.msg}", exc.pos) from None
            except ValueError as exc:  # an integer of more digits than Python converts
                raise _Broken(f"invalid JSON: {exc}", self._pos, located=False) from None
            if end >= len(self._buf) and self._fill():
                continue  # a number or literal may go on in the next run
            self._pos = end
            return obj

    def items(self) -> Iterator[Any]:
        """The items of the array that starts here."""
        self.peek()
        self._pos += 1  # the "[" the caller saw
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            yield self.value()
            char = self.peek()
            if char == ",":
                self._pos += 1
                continue
            if char == "]":
                self._pos += 1
                return
            if char is None:
                raise _Broken("the array ends without ']' (truncated file?)", len(self._buf))
            raise _Broken(f"expected ',' or ']' between items, found {char!r}", self._pos)

    def line_of(self, pos: int) -> int:
        return self._source.newlines + 1 - self._buf.count("\n", pos)

    def position(self, pos: int) -> tuple[int, int]:
        """The line and column of ``pos``."""
        newline = self._buf.rfind("\n", 0, pos)
        column = pos - newline if newline >= 0 else self._column0 + pos + 1
        return self.line_of(pos), column

    def finish(self) -> int:
        """Give back what was read past the value's end; the line it ended on."""
        line = self.line_of(self._pos)
        self._text.give_back(self._buf[self._pos :])
        return line

    def resume(self, pos: int, start_line: int) -> None:
        """After a failure at ``pos``, give back the file from where reading goes on: the
        failure's line when the failure is its first token on a later line than the value's
        start (a new value may start there: ``[`` after a cut batch), else the line after."""
        pos = min(pos, len(self._buf))
        start = self._buf.rfind("\n", 0, pos) + 1
        at_start = (start > 0 or self._column0 == 0) and not self._buf[start:pos].strip(_SPACE)
        if at_start and pos < len(self._buf) and self.line_of(pos) > start_line:
            self._text.give_back(self._buf[start:])
            return
        newline = self._buf.find("\n", pos)
        if newline >= 0:
            self._text.give_back(self._buf[newline + 1 :])
        else:  # the failure's line goes on past the buffer
            self._text.drop_pending()
            self._source.skip_line()


def _place(line: int, column: int, start_line: int) -> str:
    """`` (column 7)`` on the value's first line, else `` (line 9, column 7)``."""
    return f" (column {column})" if line == start_line else f" (line {line}, column {column})"


def _opens(line: str) -> bool:
    """Whether the first value on ``line`` goes on past it: what is there parses up to the
    line's end and wants more (``[{"title": "…",``, ``[{…},``), rather than being whole or
    broken within the line (a string cut at the line's end is broken: no JSON string spans
    lines)."""
    end = len(line.rstrip(_SPACE))
    start = len(line) - len(line.lstrip(_SPACE))
    try:
        _DECODER.raw_decode(line[:end], start)
    except json.JSONDecodeError as exc:
        return exc.pos >= end
    except (RecursionError, ValueError):  # too deep, or an integer too long: broken here
        return False
    return False


def _loads_line(line: str) -> Any:
    """The value a line holds. A value and a comma is read as the value: an item line of an
    array whose brackets are elsewhere (cut off, or stripped by the exporter)."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data" or line[exc.pos :].strip() != ",":
            raise
        return json.loads(line[: exc.pos])


class _JsonFile:
    """The values of one JSON file, decided line by line (see the module docstring)."""

    def __init__(self, stream: BinaryIO, where: Where, shapes: tuple[JsonShape, ...]) -> None:
        self.where = where
        self.shapes = shapes
        self.source = _Bytes(stream)
        self.text = _Text(self.source)
        self.first = True  # no value met yet: the first array's items are "item K"
        # After a value broken across lines, its remaining lines are passed over until a line
        # that holds a whole object or array, or starts a new one at its first column.
        self.skipping = False
        # Once a value broke across lines, a line of closing brackets is the end of it (the
        # broken array's "]"), not one more broken line.
        self.damaged = False
        # Values that share a line are numbered as one batch: (line, prefix, next item).
        self.batch: tuple[int, str | None, int] = (0, None, 1)
        # The line a value spanning lines ended on: what is broken after it there is more of
        # a damaged text, not a line of JSON Lines.
        self.spanned_to = 0
        # The last error page for broken JSON, and a short note of what and where.
        self.broken: tuple[Page, str] | None = None
        # No line that is not blank met yet: a first line that opens a value and does not
        # close it starts one JSON text (a wrapped array or object), read across lines.
        self.first_line = True

    def _page(self, obj: Any, fmt: str, at: str | None) -> Page:
        return page_from_object(obj, self.where, container=fmt, at=at, shapes=self.shapes)

    def _failed(self, fmt: str, at: str | None, problem: str, note: str) -> Page:
        """An error page for broken JSON; ``note`` (``line 3: …``) tells ``_judged`` what broke."""
        page = unreadable(self.where, fmt, f"{at}: {problem}" if at else problem, at=at)
        self.broken = (page, note)
        return page

    def pages(self) -> Iterator[Page]:
        limit = self.where.max_bytes
        while True:
            number = self.source.newlines + 1
            raw = self.source.readline(limit + 1)
            if not raw:
                return
            if raw.startswith(_BOM):  # the start of a file joined on (`cat a.jsonl b.jsonl`)
                raw = raw[len(_BOM) :]
            start = _NOT_SPACE.search(raw)
            if start is None:
                continue
            over_long = len(raw) > limit and not raw.endswith(b"\n")
            opener = raw[start.start() : start.start() + 1]
            first_line, self.first_line = self.first_line, False
            if first_line and not over_long and opener in (b"[", b"{"):
                text = _decode_line(raw)[0]
                if _opens(text):  # a wrapped array or object: one JSON text from here
                    if opener == b"[":
                        yield from self._array(raw, number, over_long, spans=True)
                    else:
                        yield from self._spanning(text, number)
                    continue
            if opener == b"[" and (not self.skipping or raw.startswith(b"[")):
                self.skipping = False
                yield from self._array(raw, number, over_long)
            elif over_long:
                size = len(raw) + self.source.skip_line()
                if not self.skipping:
                    at = f"line {number}"
                    yield unreadable(self.where, "jsonl", f"{at}: {too_large(size, limit)}", at=at)
            else:
                yield from self._line(raw, number)

    def _line(self, raw: bytes, number: int) -> Iterator[Page]:
        at = f"line {number}"
        text, lost = _decode_line(raw)
        line = text.rstrip("\r\n")
        if _BARE_OBJECT.fullmatch(line):  # (before json.loads: its error is costly to build)
            if not self.skipping or raw.startswith(b"{"):
                self.skipping = False
                yield from self._spanning(text, number)
            return  # an inner "{" of a broken value is passed over with the rest of it
        try:
            obj = _loads_line(line)
        except RecursionError:
            if not self.skipping:
                problem = f"invalid JSON: {TOO_DEEP}"
                yield self._failed("jsonl", at, problem, f"{at}: {problem}")
            return
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data":  # values back to back: `cat a.json b.json`, `{…}{…}`
                yield from self._several(line, number, lost)
            elif not self.skipping and not (self.damaged and _CLOSING.fullmatch(line)):
                problem = f"invalid JSON: {exc.msg} (column {exc.colno})"
                yield self._failed("jsonl", at, problem, f"{at}: {problem}")
                self.skipping = number == self.spanned_to
                self.damaged |= self.skipping
            return
        except ValueError as exc:  # an integer of more digits than Python converts
            if not self.skipping:
                problem = f"invalid JSON: {exc}"
                yield self._failed("jsonl", at, problem, f"{at}: {problem}")
            return
        if self.skipping and not isinstance(obj, dict):
            return
        self.skipping = False
        self.first = False
        line_number, prefix, item = self.batch
        if line_number == number:  # after an array that ended on this line
            at = f"{prefix}, item {item}" if prefix else f"item {item}"
            self.batch = (number, prefix, item + 1)
        yield self._noting_lost(self._page(obj, "jsonl", at), at, lost)

    def _noting_lost(self, page: Page, at: str, lost: int) -> Page:
        if lost:
            page.errors.append(
                f"{self.where.describe()}: {at}: encoding: {lost} undecodable bytes replaced "
                "with U+FFFD"
            )
        return page

    def _next_item(self, number: int) -> str:
        """The locator of the next value on line ``number``, continuing its item numbers."""
        line_number, prefix, item = self.batch
        if line_number != number:
            prefix, item = (None if self.first else f"line {number}"), 1
        self.first = False
        self.batch = (number, prefix, item + 1)
        return f"{prefix}, item {item}" if prefix else f"item {item}"

    def _several(self, line: str, number: int, lost: int) -> Iterator[Page]:
        """Values back to back on one line (``{…}{…}``): each is read, an array's items one by
        one; a broken one is an error naming its column, and ends the line."""
        pos, size = 0, len(line)
        while True:
            while pos < size and line[pos] in _SPACE:
                pos += 1
            if pos < size and line[pos] == "," and pos > 0:  # `{…},{…}`: item lines joined
                pos += 1
                continue
            if pos >= size:
                return
            if self.damaged and _CLOSING.fullmatch(line, pos):
                return  # `{…}]`: the last item line of a broken array, and its end
            try:
                obj, pos = _DECODER.raw_decode(line, pos)
            except json.JSONDecodeError as exc:
                problem = f"invalid JSON: {exc.msg} (column {exc.colno})"
            except RecursionError:
                problem = f"invalid JSON: {TOO_DEEP}"
            except ValueError as exc:  # an integer of more digits than Python converts
                problem = f"invalid JSON: {exc}"
            else:
                if self.skipping and not isinstance(obj, dict):
                    return
                self.skipping = False
                for value in obj if isinstance(obj, list) else [obj]:
                    at = self._next_item(number)
                    yield self._noting_lost(self._page(value, "jsonl", at), at, lost)
                continue
            if not self.skipping:
                at = self._next_item(number)
                yield self._failed("jsonl", at, problem, f"line {number}: {problem}")
            return

    def _array(
        self, raw: bytes, number: int, over_long: bool, *, spans: bool = False
    ) -> Iterator[Page]:
        # Only a bare "[" (or "[{") line, or the file's first line when it opens an array it
        # does not close (``spans``), opens an array that goes on in the next lines; any
        # other array ends on its line, so a cut batch line costs only itself.
        one_line = over_long or not (spans or _BARE_ARRAY.fullmatch(raw))
        if over_long:  # a one-line array larger than a document may be: read it in runs
            self.source.give_back(raw)
            start = ""
        else:
            start = _decode_line(raw)[0]
            if one_line and start.endswith("\n"):  # the line's end is read as the end of runs
                start = start[:-1]
                self.source.give_back(b"\n")
        values = _Values(self.text, self.source, start, self.where.max_bytes, one_line=one_line)
        line_number, prefix, item = self.batch
        if line_number != number:
            prefix, item = (None if self.first else f"line {number}"), 1
        self.first = False
        items = values.items()
        while True:
            at = f"{prefix}, item {item}" if prefix else f"item {item}"
            try:
                obj = next(items)
            except StopIteration:
                break
            except _Broken as exc:
                line, column = values.position(exc.pos)
                place = _place(line, column, number) if exc.located else ""
                values.resume(exc.pos, number)
                self.skipping = line > number  # an array broken across lines: skip its rest
                self.damaged |= self.skipping
                self.batch = (0, None, 1)
                problem = f"{exc.problem}{place}; the rest of the array is skipped"
                note = f"line {line}: {exc.problem}{_place(line, column, line)}"
                yield self._failed("json", at, problem, note)
                return
            yield self._page(obj, "json", at)
            item += 1
        end = values.finish()
        self.batch = (number, prefix, item)
        self.spanned_to = end if end > number else 0

    def _spanning(self, start: str, number: int) -> Iterator[Page]:
        """An object whose first line does not close it (pretty-printed JSON, or the file's
        first line wrapped: ``{"title": …,`` / ``  "text": …}``)."""
        first, self.first = self.first, False
        values = _Values(self.text, self.source, start, self.where.max_bytes)
        try:
            obj = values.value()
        except _Broken as exc:
            line, column = values.position(exc.pos)
            # A single document's error names the line (as json.loads of the whole file did).
            place = _place(line, column, 0 if first else number) if exc.located else ""
            # The object goes on past its first line: what follows the failure is its rest.
            values.resume(exc.pos, number)
            self.skipping = self.damaged = True
            at = None if first else f"line {number}"
            note = f"line {line}: {exc.problem}{_place(line, column, line)}"
            yield self._failed("json", at, exc.problem + place, note)
            return
        # A file that is this one object has no locator (as a single document never has).
        alone = first and values.peek() is None
        self.spanned_to = values.finish()
        self.batch = (0, None, 1)
        yield self._page(obj, "json", None if alone else f"line {number}")


# Broken readings held back, before the first good one, to tell a file that is not JSON.
HELD_BROKEN = 1000


def _judged(reader: _JsonFile) -> Iterator[Page]:
    """The pages, unless nothing in the file parses (text named ``.json`` that starts with a
    bracket): then one error says so instead of one per line. The broken readings before the
    first good one are held back to tell. At ``HELD_BROKEN`` of them one error sums them up
    and reading goes on (a long damaged stretch may come before good lines), only counting
    the broken ones after it until a good one or the end of the file."""
    pages = reader.pages()
    held: list[tuple[Page, str]] = []
    capped = False
    passed, last = 0, ""  # broken readings after the cap: how many, and the last one's line
    for page in pages:
        if reader.broken is None or reader.broken[0] is not page:
            yield from (h[0] for h in held)
            if passed:
                problem = f"{passed} more broken lines, up to {last}, are passed over"
                yield _unparsed(reader.where, problem)
            yield page
            yield from pages
            return
        if capped:
            passed += 1
            last = reader.broken[1].partition(":")[0]
            continue
        held.append(reader.broken)
        if len(held) == HELD_BROKEN:
            notes = "; ".join(note for _, note in held[:2])
            yield _unparsed(
                reader.where,
                f"not JSON so far: none of its first {HELD_BROKEN} lines parses ({notes}); "
                "reading on",
            )
            held, capped = [], True
    if capped:
        total = HELD_BROKEN + passed
        problem = f"not JSON: no line parses ({total} broken lines); the file is not read"
        yield _unparsed(reader.where, problem)
    elif len(held) == 1:
        yield held[0][0]
    elif held:
        yield _unparsed(
            reader.where,
            f"not JSON: no line parses ({held[0][1]}; {held[1][1]}; {len(held)} broken "
            "lines); the file is not read",
        )


def _unparsed(where: Where, problem: str) -> Page:
    """One error for many lines of the file that do not parse."""
    fmt = guess_format(where.name)
    return unreadable(where, fmt if fmt in ("json", "jsonl") else "json", problem)


class _Utf8(io.RawIOBase):
    """A UTF-16 file as UTF-8 bytes: JSON from Windows tools (PowerShell's ``Out-File``)
    would otherwise break into lines between the two bytes of its line breaks."""

    def __init__(self, stream: BinaryIO, codec: str) -> None:
        self._text = io.TextIOWrapper(stream, encoding=codec, errors="replace", newline="")
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = self._text.read(CHUNK_CHARS)
            if not chunk:
                return 0
            self._pending = chunk.encode("utf-8", "replace")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _utf16(stream: BinaryIO) -> str | None:
    peek = getattr(stream, "peek", None)
    if peek is None:
        return None
    head = bytes(peek(4096)[:4096])
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"  # the byte-order mark says which, and is dropped
    return utf16_without_bom(head)


def read_json(
    stream: BinaryIO, where: Where, shapes: Iterable[JsonShape] = (GENERIC,)
) -> Iterator[Page]:
    """Pages from a JSON file: JSON Lines, an array (on one line or many), a single
    pretty-printed object, or any of these back to back (see the module docstring).
    ``stream`` is read once, front to back (``read`` and ``readline``); when it has ``peek``
    (what ``rasid.ingest.base.prefixed`` gives), UTF-16 is recognised and read too."""
    codec = _utf16(stream)
    if codec is not None:
        stream = io.BufferedReader(_Utf8(stream, codec))  # type: ignore[assignment]
    yield from _judged(_JsonFile(stream, where, tuple(shapes)))
