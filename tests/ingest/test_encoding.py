from __future__ import annotations

import codecs
import os

import pytest

from rasid.ingest.encoding import decode, decode_bytes

from .samples import BODY, TITLE, html_page

ARABIC_CODECS = [("cp1256", "windows-1256"), ("iso8859_6", "iso-8859-6")]


@pytest.mark.parametrize(("codec", "name"), ARABIC_CODECS)
def test_arabic_single_byte_page_without_charset_meta(codec: str, name: str) -> None:
    page = html_page()
    text, used = decode_bytes(page.encode(codec), html=True)
    assert text == page
    assert used == name


@pytest.mark.parametrize(("codec", "name"), ARABIC_CODECS)
def test_arabic_single_byte_page_with_its_charset_meta(codec: str, name: str) -> None:
    page = html_page(meta=f'<meta http-equiv="Content-Type" content="text/html; charset={name}">')
    assert decode_bytes(page.encode(codec), html=True) == (page, name)


@pytest.mark.parametrize(("codec", "name"), ARABIC_CODECS)
@pytest.mark.parametrize("label", ["utf-8", "iso-8859-1", "windows-1256", "iso-8859-6"])
def test_arabic_evidence_beats_a_wrong_label(codec: str, name: str, label: str) -> None:
    # Servers and templates lie about the charset; the article "ال" does not.
    page = html_page(meta=f'<meta charset="{label}">')
    text, used = decode_bytes(page.encode(codec), declared=label, html=True)
    assert text == page
    assert used == name


def test_utf8_page_with_a_stale_windows_1256_meta_stays_utf8() -> None:
    page = html_page(meta='<meta charset="windows-1256">')
    assert decode_bytes(page.encode("utf-8"), html=True) == (page, "utf-8")


def test_declared_http_charset_decides_a_short_ambiguous_text() -> None:
    # Nine letters without "ال" cannot be told apart by their bytes: the label decides.
    short = "كتب: محمد"
    assert decode_bytes(short.encode("iso8859_6"), declared="ISO-8859-6") == (short, "iso-8859-6")


def test_byte_order_marks() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + TITLE.encode()) == (TITLE, "utf-8")
    assert decode_bytes(codecs.BOM_UTF16_LE + TITLE.encode("utf-16-le")) == (TITLE, "utf-16-le")


def test_french_windows_1252_text_stays_french() -> None:
    text = "Le président a déclaré à la presse que l'été sera chaud. Très bien, ça va."
    assert decode_bytes(text.encode("cp1252")) == (text, "windows-1252")


def test_a_cut_utf8_character_loses_only_itself() -> None:
    data = BODY.encode()
    broken = data[:41] + data[42:]  # drop one byte of a two-byte letter
    result = decode(broken)
    assert result.encoding == "utf-8"
    assert result.lost == 1
    assert result.text.count("\ufffd") == 1
    assert "الوحدات العسكرية" in result.text


@pytest.mark.parametrize("label", ["x-nonsense", "base64", "", "utf-16"])
def test_unknown_or_absurd_labels_are_ignored(label: str) -> None:
    assert decode_bytes(BODY.encode("cp1256"), declared=label) == (BODY, "windows-1256")


def test_random_bytes_never_raise_and_report_the_loss() -> None:
    data = os.urandom(4096)
    result = decode(data, declared="utf-8", html=True)
    assert isinstance(result.text, str)
    assert result.lost > 0


def test_empty_and_ascii() -> None:
    assert decode_bytes(b"") == ("", "utf-8")
    assert decode_bytes(b"<p>hello</p>", html=True) == ("<p>hello</p>", "utf-8")
    declared = decode_bytes(b'<meta charset="windows-1256"><p>hi</p>', html=True)
    assert declared[1] == "windows-1256"
