"""Bytes → text for pages whose encoding nobody promised.

The order (first that applies wins):

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. strict UTF-8, when the bytes are valid UTF-8 and contain non-ASCII text — a mislabelled
   ``<meta charset="windows-1256">`` on a UTF-8 page is common, the reverse is practically
   impossible (windows-1256 Arabic is never valid UTF-8);
3. the declared charsets — the HTTP ``Content-Type`` charset (``declared``, e.g. from a WARC
   record), then for HTML the ``<meta charset>`` / ``<meta http-equiv="Content-Type">`` /
   ``<?xml encoding?>`` label — refereed by the Arabic evidence: when the bytes decode as
   windows-1256 or ISO-8859-6 into real Arabic (the article ``ال`` is the give-away: the wrong
   one of the two codecs turns it into ``اف`` or ``ان``), the Arabic reading beats a Latin
   label and the better of the two Arabic codecs beats the other;
4. UTF-8 with a few broken sequences (mostly valid multi-byte text, a cut character here and
   there) is decoded as UTF-8 with replacement characters;
5. charset-normalizer, restricted to ``DETECTION_CANDIDATES``;
6. UTF-8 with replacement characters.

Nothing here raises. ``decode`` also says how many bytes were lost (replaced with U+FFFD); the
readers put a warning into ``Page.errors`` only in that case (text was lost), and treat a
document that loses more than ``BINARY_LOSS_SHARE`` of its bytes as a binary file.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = [
    "ARABIC_CODECS",
    "BINARY_LOSS_SHARE",
    "DETECTION_CANDIDATES",
    "Decoded",
    "charset_from_content_type",
    "charset_from_markup",
    "decode",
    "decode_bytes",
    "normalize_label",
    "utf16_without_bom",
]

# The Arabic single-byte codecs the referee weighs against each other (codecs.lookup names).
ARABIC_CODECS: tuple[str, ...] = ("cp1256", "iso8859-6")
DETECTION_CANDIDATES: tuple[str, ...] = (
    "utf_8",
    "cp1256",
    "iso8859_6",
    "cp1252",
    "iso8859_15",
    "cp720",
    "cp864",
    "mac_arabic",
)
# A document that loses more than this share of its bytes to decoding errors is not text.
BINARY_LOSS_SHARE = 0.05
# How much of a document the UTF-16 test looks at.
HEAD_SAMPLE = 4096

# WHATWG encoding labels that Python spells differently or maps elsewhere (a page labelled
# ISO-8859-1 or US-ASCII is decoded as windows-1252 by every browser).
_LABELS: dict[str, str] = {
    "utf8": "utf_8",
    "utf-8": "utf_8",
    "unicode-1-1-utf-8": "utf_8",
    "x-unicode20utf8": "utf_8",
    "windows-1256": "cp1256",
    "cp1256": "cp1256",
    "x-cp1256": "cp1256",
    "arabic": "iso8859_6",
    "asmo-708": "iso8859_6",
    "csiso88596e": "iso8859_6",
    "csiso88596i": "iso8859_6",
    "csisolatinarabic": "iso8859_6",
    "ecma-114": "iso8859_6",
    "iso-8859-6": "iso8859_6",
    "iso-8859-6-e": "iso8859_6",
    "iso-8859-6-i": "iso8859_6",
    "iso-ir-127": "iso8859_6",
    "iso8859-6": "iso8859_6",
    "iso88596": "iso8859_6",
    "iso_8859-6": "iso8859_6",
    "iso_8859-6:1987": "iso8859_6",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "windows-1252": "cp1252",
}

# Names we report in Page.encoding (WHATWG spelling; all are valid Python codec names too).
_REPORTED: dict[str, str] = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8",
    "cp1256": "windows-1256",
    "iso8859-6": "iso-8859-6",
    "cp1252": "windows-1252",
    "cp1250": "windows-1250",
    "cp1251": "windows-1251",
    "iso8859-15": "iso-8859-15",
    "latin-1": "iso-8859-1",
    "cp720": "cp720",
    "cp864": "cp864",
    "mac-arabic": "mac-arabic",
    "utf-16-le": "utf-16-le",
    "utf-16-be": "utf-16-be",
    "utf-32-le": "utf-32-le",
    "utf-32-be": "utf-32-be",
}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf_32_le"),
    (codecs.BOM_UTF32_BE, "utf_32_be"),
    (codecs.BOM_UTF8, "utf_8"),
    (codecs.BOM_UTF16_LE, "utf_16_le"),
    (codecs.BOM_UTF16_BE, "utf_16_be"),
)

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")
_CONTENT_TYPE_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
# How far into an HTML page we look for the charset label.
META_SCAN_BYTES = 16 * 1024

_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """The result of decoding: the text, the encoding used (a WHATWG-style name that Python
    also accepts), and how many bytes could not be decoded (replaced with U+FFFD)."""

    text: str
    encoding: str
    lost: int = 0
    how: str = "detected"


def normalize_label(label: str | None) -> str | None:
    """The Python codec name (as ``codecs.lookup`` spells it: ``cp1256``, ``iso8859-6``,
    ``utf-8``) for an encoding label, or ``None`` when it is unknown or not a text encoding
    (``charset=base64`` must not be honoured)."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    if not key:
        return None
    try:
        info = codecs.lookup(_LABELS.get(key, key))
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def _reported(codec: str) -> str:
    name = codecs.lookup(codec).name
    return _REPORTED.get(name, name)


def charset_from_content_type(value: str | None) -> str | None:
    """``text/html; charset=windows-1256`` → ``windows-1256`` (the label, not normalised)."""
    if not value:
        return None
    match = _CONTENT_TYPE_CHARSET.search(value)
    return match.group(1) if match else None


def charset_from_markup(data: bytes) -> str | None:
    """The charset label an HTML/XML page declares near its start, if any."""
    head = data[:META_SCAN_BYTES]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


def arabic_score(text: str) -> float:
    """How much ``text`` reads like Arabic: Arabic letters, the article ``ال`` counted many
    times over, minus every other non-ASCII character (mojibake shows up as Latin accents)."""
    non_ascii = _non_ascii(text)
    if not non_ascii:
        return 0.0
    letters = len(_ARABIC_LETTER.findall(text))
    return letters + 10 * text.count("ال") - 3 * (non_ascii - letters)


# The Arabic referee scores this much of a document (enough evidence, bounded cost).
SCORE_SAMPLE_BYTES = 256 * 1024


def _arabic_reading(data: bytes, declared: list[str]) -> tuple[str, str] | None:
    """The best Arabic single-byte reading of ``data`` when the evidence is convincing.

    A declared Arabic codec is kept unless the other one reads clearly better *and* shows the
    article ``ال``; without an Arabic label, an Arabic reading needs ``ال`` and a majority of
    Arabic letters among the non-ASCII characters (French text read as ISO-8859-6 is all
    Arabic letters, but never ``ال``)."""
    labelled = next((c for c in declared if c in ARABIC_CODECS), None)
    order = ([labelled] if labelled else []) + [c for c in ARABIC_CODECS if c != labelled]
    sample = data[:SCORE_SAMPLE_BYTES]
    scored: list[tuple[float, int, str]] = []
    for rank, codec in enumerate(order):
        text = sample.decode(codec, "replace")
        if "\ufffd" in text:
            continue
        letters = len(_ARABIC_LETTER.findall(text))
        if letters * 2 < _non_ascii(text):
            continue
        if codec != labelled and "ال" not in text:
            continue
        scored.append((arabic_score(text), -rank, codec))
    for _score, _rank, codec in sorted(scored, reverse=True):
        text = _strict(data, codec)
        if text is not None:
            return text, codec
    return None


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few broken sequences: decode with replacement characters."""
    text = data.decode("utf-8", "replace")
    lost = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    multibyte = _non_ascii(text) - text.count("\ufffd")
    if lost > 0 and multibyte >= 10 * lost:
        return Decoded(text, "utf-8", lost, "utf-8 with broken sequences")
    return None


def _detect(data: bytes) -> Decoded | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        best = from_bytes(data, cp_isolation=list(DETECTION_CANDIDATES)).best()
    except Exception:  # charset-normalizer must never take a batch down
        return None
    if best is None:
        return None
    text = _strict(data, best.encoding)
    if text is None:
        return None
    return Decoded(text, _reported(best.encoding), 0, "detected")


def utf16_without_bom(data: bytes) -> str | None:
    """``"utf_16_le"`` or ``"utf_16_be"`` when ``data`` reads as UTF-16 text saved without a
    byte-order mark: the NULs of its ASCII characters (markup, spaces, digits) all fall on one
    side of each byte pair and the pairs decode cleanly."""
    sample = data[:HEAD_SAMPLE]
    nuls = sample.count(0)
    if nuls < 2:
        return None
    odd = sample[1::2].count(0)
    codec = "utf_16_le" if odd >= nuls * 0.95 else "utf_16_be" if odd <= nuls * 0.05 else None
    if codec is None:
        return None
    try:  # incremental: the sample may end inside a character
        text = codecs.getincrementaldecoder(codec)().decode(sample, final=False)
    except UnicodeDecodeError:
        return None
    if "\x00" in text or not text.strip():
        return None
    controls = sum(1 for char in text if char < " " and char not in "\t\n\r\f")
    return codec if controls <= 0.01 * len(text) else None


def decode(data: bytes, *, declared: str | None = None, html: bool = False) -> Decoded:
    """Decode ``data`` (see the module docstring for the order). Never raises."""
    if not data:
        return Decoded("", "utf-8", 0, "empty")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            text = body.decode(codec, "replace")
            lost = text.count("\ufffd") - body.decode(codec, "ignore").count("\ufffd")
            return Decoded(text, _reported(codec), max(lost, 0), "byte-order mark")

    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        text = data[: len(data) - len(data) % 2].decode(utf16, "replace")
        return Decoded(text, _reported(utf16), text.count("\ufffd"), "utf-16 without a BOM")

    utf8 = _strict(data, "utf-8")
    labels = [declared]
    if html:
        labels.append(charset_from_markup(data))
    codecs_declared: list[str] = []
    for label in labels:
        codec = normalize_label(label)
        if codec and codec not in codecs_declared:
            codecs_declared.append(codec)

    if utf8 is not None:
        if utf8.isascii() and codecs_declared:
            # Pure ASCII reads the same in any ASCII-compatible codec: report the label.
            first = codecs_declared[0]
            if _strict(data, first) == utf8:
                return Decoded(utf8, _reported(first), 0, "declared")
        return Decoded(utf8, "utf-8", 0, "utf-8")

    arabic = _arabic_reading(data, codecs_declared)
    if arabic is not None:
        text, codec = arabic
        how = "declared" if codecs_declared and codec == codecs_declared[0] else "arabic evidence"
        return Decoded(text, _reported(codec), 0, how)

    for codec in codecs_declared:
        if codec.startswith("utf-"):
            continue  # already failed, or a UTF-16 label on a page without a BOM
        text = _strict(data, codec)
        if text is not None:
            return Decoded(text, _reported(codec), 0, "declared")

    return _mostly_utf8(data) or _detect(data) or _lossy_utf8(data)


def _lossy_utf8(data: bytes) -> Decoded:
    text = data.decode("utf-8", "replace")
    lost = max(text.count("\ufffd") - data.count(b"\xef\xbf\xbd"), 0)
    return Decoded(text, "utf-8", lost, "utf-8 with replacement")


def decode_bytes(
    data: bytes, *, declared: str | None = None, html: bool = False
) -> tuple[str, str]:
    """Decode ``data`` → ``(text, encoding used)``. ``declared`` is an HTTP charset label (e.g.
    from a WARC record); ``html=True`` also honours the page's own ``<meta charset>``. Never
    raises; see ``decode`` for how much was lost."""
    result = decode(data, declared=declared, html=html)
    return result.text, result.encoding
