"""JSON Lines, JSON arrays and single JSON objects: one document per object."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasid.ingest import jsonl, read
from rasid.model import Page

from .samples import BODY, FIXTURES, SECOND_BODY, SECOND_TITLE, TITLE, html_page


def pages(*paths: Path | str, **options: object) -> list[Page]:
    return list(read([str(p) for p in paths], **options))  # type: ignore[arg-type]


def jsonl_text(*objects: object) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)


def test_each_line_is_a_document_of_the_kind_its_field_says() -> None:
    path = FIXTURES / "articles.jsonl"
    page_html, page_dump, page_clean = pages(path)

    assert page_html.kind == "html"
    assert TITLE in page_html.body
    assert page_html.given == {
        "id": "k-1",
        "url": "https://www.example-news.net/ar/news/1001?utm_source=rss",
        "title": TITLE,
        "author": "سامر الحلبي",
        "published": "2024-03-05T09:30:00+03:00",
        "site": "example-news",  # the "source" field names the outlet
    }
    assert page_html.source.path == str(path)
    assert page_html.source.format == "jsonl"
    assert page_html.source.locator == "line 1"
    assert page_html.source.url == "https://www.example-news.net/ar/news/1001?utm_source=rss"
    assert page_html.source.site == "example-news.net"

    assert page_dump.kind == "text"  # raw_text: boilerplate still in
    assert page_dump.body.startswith("الرئيسية\n")
    assert page_dump.source.locator == "line 2"

    assert page_clean.kind == "clean"  # text: already clean
    assert page_clean.body == BODY
    assert page_clean.given["published"] == "2024-03-06"
    assert all(p.errors == [] and p.encoding == "utf-8" for p in (page_html, page_dump, page_clean))


def test_a_malformed_line_between_two_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(
        jsonl_text({"text": BODY})
        + '{"text": "سطر مكسور\n'  # a line cut short by a crashed scraper
        + "\n"  # blank lines are passed over (but counted)
        + jsonl_text({"text": SECOND_BODY, "title": SECOND_TITLE}),
        encoding="utf-8",
    )
    first, broken, last = pages(path)
    assert first.kind == "clean" and first.source.locator == "line 1"
    assert broken.kind == "unreadable"
    assert broken.source.locator == "line 2"
    assert broken.errors == [
        f"{path}: line 2: invalid JSON: Unterminated string starting at (column 10)"
    ]
    assert last.kind == "clean" and last.source.locator == "line 4"
    assert last.given == {"title": SECOND_TITLE}


def test_a_lone_surrogate_escape_becomes_a_replacement_character(tmp_path: Path) -> None:
    # JSON may escape half of a UTF-16 pair ("\\ud800"): not a character, and nothing UTF-8
    # can store or print. The page keeps its text with U+FFFD there and says so.
    path = tmp_path / "scraped.jsonl"
    path.write_text(
        '{"text": "قصفت القوات الروسية \\ud800 مدينة خيرسون", "title": "خيرسون \\udc00"}\n'
        + jsonl_text({"text": SECOND_BODY}),
        encoding="utf-8",
    )
    odd, good = pages(path)
    assert odd.body == "قصفت القوات الروسية \ufffd مدينة خيرسون"
    assert odd.given == {"title": "خيرسون \ufffd"}
    assert odd.errors == [
        f"{path}: line 1: encoding: 1 lone surrogate escapes replaced with U+FFFD"
    ]
    odd.body.encode("utf-8")  # storable and printable
    assert good.body == SECOND_BODY and not good.errors


def test_objects_without_a_document(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(
        jsonl_text({"title": TITLE, "url": "https://x.net/1"}, {"text": "   "}, 42, "نص"),
        encoding="utf-8",
    )
    missing, empty, number, string = pages(path)
    assert missing.kind == "unreadable"
    assert "line 1: no document field (expected one of: html, raw_text, text)" in missing.errors[0]
    assert missing.given == {"title": TITLE, "url": "https://x.net/1"}
    assert "line 2: empty document" in empty.errors[0]
    assert "line 3: not a JSON object (a number)" in number.errors[0]
    assert "line 4: not a JSON object (a string)" in string.errors[0]


def test_a_json_array_of_documents(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    objects = [{"html": html_page(), "id": 7}, {"text": SECOND_BODY, "author": ["أ", "ب"]}]
    path.write_text(json.dumps(objects, ensure_ascii=False, indent=2), encoding="utf-8")
    first, second = pages(path)
    assert (first.kind, first.source.format, first.source.locator) == ("html", "json", "item 1")
    assert first.given == {"id": "7"}
    assert (second.kind, second.source.locator) == ("clean", "item 2")
    assert second.given == {"author": "أ, ب"}


def test_a_single_pretty_printed_object(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"text": BODY, "title": TITLE}, indent=2, ensure_ascii=False))
    [page] = pages(path)
    assert (page.kind, page.source.format, page.source.locator) == ("clean", "json", None)


def test_a_json_array_is_parsed_incrementally(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Tiny runs force every item, string and escape across run boundaries.
    monkeypatch.setattr(jsonl, "CHUNK_CHARS", 7)
    objects = [{"text": f'{BODY} \\"{i}\\" \u0628', "id": i, "n": 1.5e3} for i in range(25)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(objects, ensure_ascii=False, indent=1), encoding="utf-8")
    found = pages(path)
    assert [p.given["id"] for p in found] == [str(i) for i in range(25)]
    assert [p.body for p in found] == [o["text"] for o in objects]


def test_a_truncated_json_array_keeps_the_items_before_the_cut(tmp_path: Path) -> None:
    objects = [{"text": BODY, "id": i} for i in range(5)]
    data = json.dumps(objects, ensure_ascii=False).encode()
    path = tmp_path / "cut.json"
    path.write_bytes(data[: int(len(data) * 0.7)])
    found = pages(path)
    assert [p.kind for p in found] == ["clean", "clean", "clean", "unreadable"]
    assert found[-1].source.locator == "item 4"
    assert "item 4: invalid JSON" in found[-1].errors[0]
    assert "the rest of the array is skipped" in found[-1].errors[0]


def test_an_over_long_line_is_refused_and_the_next_one_read(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(jsonl_text({"text": BODY * 50}, {"text": BODY}), encoding="utf-8")
    big, small = pages(path, max_bytes=2000)
    assert big.kind == "unreadable"
    assert "line 1: document too large" in big.errors[0]
    assert small.kind == "clean" and small.source.locator == "line 2"


def test_a_line_in_another_encoding_is_decoded_and_flagged_only_if_text_was_lost(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        json.dumps({"text": BODY}, ensure_ascii=False).encode("cp1256")
        + b"\n"
        + json.dumps({"text": SECOND_BODY}, ensure_ascii=False).encode()
        + b"\n"
    )
    first, second = pages(path)
    assert first.body == BODY and first.errors == []
    assert second.body == SECOND_BODY


def test_a_line_nested_too_deeply_is_refused_and_the_next_one_read(tmp_path: Path) -> None:
    # A scraper that dumps a page's comment thread as nested replies can write JSON deeper than
    # any parser recurses; that line is lost, the lines after it are not.
    deep = f'{{"text": {json.dumps(BODY)}, "comments": {"[" * 5000}{"]" * 5000}}}\n'
    path = tmp_path / "batch.jsonl"
    path.write_text(
        jsonl_text({"text": BODY}) + deep + jsonl_text({"text": SECOND_BODY}), encoding="utf-8"
    )
    first, nested, last = pages(path)
    assert first.kind == "clean" and last.kind == "clean" and last.body == SECOND_BODY
    assert nested.kind == "unreadable" and nested.source.locator == "line 2"
    assert nested.errors == [f"{path}: line 2: invalid JSON: nested too deeply"]


def test_an_array_item_nested_too_deeply_keeps_the_items_before_it(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    item = f'{{"text": {json.dumps(SECOND_BODY)}, "tree": {"[" * 5000}{"]" * 5000}}}'
    path.write_text(f"[{json.dumps({'text': BODY}, ensure_ascii=False)}, {item}]", "utf-8")
    first, nested = pages(path)
    assert first.kind == "clean" and first.body == BODY
    assert nested.kind == "unreadable" and nested.source.locator == "item 2"
    assert "item 2: invalid JSON: nested too deeply" in nested.errors[0]


def test_a_single_object_nested_too_deeply_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(f'{{\n"text": {json.dumps(BODY)}, "tree": {"[" * 5000}{"]" * 5000}}}')
    [page] = pages(path)
    assert page.kind == "unreadable"
    assert page.errors == [f"{path}: invalid JSON: nested too deeply"]
