"""JSON files in the shapes exporters really write: one batch (array) per line, a pretty-printed
array saved as ``.jsonl``, files joined with ``cat``, values of every type on lines, and text
that only looks like JSON. Nothing readable is lost, and a broken part is one error that names
the file and the line."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasid.cli import app
from rasid.ingest import jsonl, read
from rasid.ingest.base import Where
from rasid.model import Page

from .samples import BODY, PARAGRAPHS, SECOND_BODY, SECOND_TITLE, TITLE, html_page

FIRST = {"text": BODY, "title": TITLE, "url": "https://www.example-news.net/ar/news/1001"}
SECOND = {"text": SECOND_BODY, "title": SECOND_TITLE}
THIRD = {"text": PARAGRAPHS[2], "title": "وزارة الدفاع تعزز المراقبة الجوية"}


def pages(path: Path, **options: object) -> list[Page]:
    return list(read([str(path)], **options))  # type: ignore[arg-type]


def line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) + "\n"


def pretty(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def found(path: Path, **options: object) -> list[tuple[str | None, str]]:
    return [(p.source.locator, p.kind) for p in pages(path, **options)]


# --- one batch per line ---------------------------------------------------------------------


def test_every_item_of_every_batch_line_is_a_page(tmp_path: Path) -> None:
    # Some exporters write one array per line, one line per crawl batch; a crash cut line 2.
    path = tmp_path / "batches.jsonl"
    path.write_text(
        line([FIRST, SECOND]) + '[{"text": "قطعت الدفعة هنا\n' + line([THIRD]) + line(SECOND),
        encoding="utf-8",
    )
    read_pages = pages(path)
    assert [(p.source.locator, p.kind) for p in read_pages] == [
        ("item 1", "clean"),  # the first array's items keep the locators they always had
        ("item 2", "clean"),
        ("line 2, item 1", "unreadable"),
        ("line 3, item 1", "clean"),
        ("line 4", "clean"),
    ]
    first, second, broken, third, last = read_pages
    assert (first.body, second.body, third.body, last.body) == (
        BODY,
        SECOND_BODY,
        THIRD["text"],
        SECOND_BODY,
    )
    assert first.given["url"] == FIRST["url"] and third.given == {"title": THIRD["title"]}
    assert broken.errors == [
        # The array ends on its line: the string cut there is what is wrong with it.
        f"{path}: line 2, item 1: invalid JSON: Unterminated string starting at (column 11); "
        "the rest of the array is skipped"
    ]


def test_a_broken_item_keeps_the_items_of_its_batch_before_it(tmp_path: Path) -> None:
    path = tmp_path / "batches.jsonl"
    path.write_text(
        line(FIRST)
        + f'[{{"text": "{PARAGRAPHS[0]}"}}, {{"text": "نص" "title": "فاصلة"}}, {{"text": "ضاع"}}]\n'
        + line(THIRD),
        encoding="utf-8",
    )
    assert found(path) == [
        ("line 1", "clean"),
        ("line 2, item 1", "clean"),
        ("line 2, item 2", "unreadable"),
        ("line 3", "clean"),
    ]
    error = pages(path)[2].errors[0]
    assert error.startswith(f"{path}: line 2, item 2: invalid JSON: Expecting ',' delimiter")


def test_an_array_of_scalars_on_a_line_names_each_item(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(line(FIRST) + line(["نص", 7]) + line([]) + line(SECOND), encoding="utf-8")
    first, text_item, number_item, last = pages(path)
    assert "line 2, item 1: not a JSON object (a string), not a document" in text_item.errors[0]
    assert "line 2, item 2: not a JSON object (a number), not a document" in number_item.errors[0]
    assert (first.body, last.body) == (BODY, SECOND_BODY)  # an empty batch holds nothing


# --- a JSON text under a .jsonl name ----------------------------------------------------------


def test_a_pretty_printed_array_saved_as_jsonl_is_one_array(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(pretty([FIRST, SECOND, THIRD]), encoding="utf-8")
    read_pages = pages(path)
    assert [(p.source.locator, p.source.format) for p in read_pages] == [
        ("item 1", "json"),
        ("item 2", "json"),
        ("item 3", "json"),
    ]
    assert [p.body for p in read_pages] == [BODY, SECOND_BODY, THIRD["text"]]


def test_rasid_json_output_saved_as_jsonl_reads_back_whole(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text(html_page(), encoding="utf-8")
    (tmp_path / "pages" / "b.html").write_text(
        html_page(SECOND_TITLE, SECOND_BODY.split("\n")), encoding="utf-8"
    )
    result = CliRunner().invoke(
        app, ["extract", str(tmp_path / "pages"), "--format", "json", "--no-progress"]
    )
    assert result.exit_code == 0
    saved = tmp_path / "records.jsonl"
    saved.write_text(result.stdout, encoding="utf-8")
    records = json.loads(result.stdout)

    read_pages = pages(saved)
    assert [p.source.locator for p in read_pages] == ["item 1", "item 2"]
    assert [p.body for p in read_pages] == [r["text"] for r in records]
    assert [p.given["title"] for p in read_pages] == [TITLE, SECOND_TITLE]
    assert all(p.kind == "clean" and not p.errors for p in read_pages)


def test_a_pretty_printed_object_followed_by_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(pretty(FIRST) + "\n" + line(SECOND) + line(THIRD), encoding="utf-8")
    assert found(path) == [("line 1", "clean"), ("line 6", "clean"), ("line 7", "clean")]


def test_a_pretty_printed_object_in_windows_1256_is_still_decoded(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_bytes(pretty(FIRST).encode("cp1256"))
    [page] = pages(path)
    assert (page.source.locator, page.body, page.given["title"]) == (None, BODY, TITLE)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        # Windows PowerShell 5 `ConvertTo-Json | Out-File`: UTF-16 LE, a BOM, CRLF line breaks.
        (
            "export.json",
            ("\ufeff" + pretty([FIRST, SECOND]).replace("\n", "\r\n")).encode("utf-16-le"),
        ),
        ("export.jsonl", (line(FIRST) + line(SECOND)).encode("utf-16-le")),  # and no BOM
    ],
)
def test_utf16_json_from_windows_tools(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    read_pages = pages(path)
    assert [p.body for p in read_pages] == [BODY, SECOND_BODY]
    assert [p.given["title"] for p in read_pages] == [TITLE, SECOND_TITLE]
    assert all(p.kind == "clean" and not p.errors for p in read_pages)


# --- a JSON text wrapped with its items or keys on lines of their own ------------------------


def wrapped_items(*values: object) -> str:
    """``[{…},`` / `` {…},`` / `` {…}]``: an array with one item per line, its brackets on the
    first and last item lines (not on lines of their own)."""
    items = [json.dumps(v, ensure_ascii=False) for v in values]
    return "[" + ",\n ".join(items) + "]\n"


@pytest.mark.parametrize("name", ["wrapped.json", "wrapped.jsonl"])
def test_an_array_wrapped_one_item_per_line_is_one_array(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(wrapped_items(FIRST, SECOND, THIRD), encoding="utf-8")
    read_pages = pages(path)
    assert [(p.source.locator, p.kind, p.source.format) for p in read_pages] == [
        ("item 1", "clean", "json"),
        ("item 2", "clean", "json"),
        ("item 3", "clean", "json"),
    ]
    assert [p.body for p in read_pages] == [BODY, SECOND_BODY, THIRD["text"]]
    assert read_pages[0].given["url"] == FIRST["url"]
    assert all(not p.errors for p in read_pages)


def test_an_array_wrapped_one_key_per_line_is_one_array(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(
        '[{"title": ' + json.dumps(TITLE, ensure_ascii=False) + ",\n"
        '  "text": ' + json.dumps(BODY, ensure_ascii=False) + ",\n"
        '  "url": "' + FIRST["url"] + '"}]\n',
        encoding="utf-8",
    )
    (page,) = pages(path)
    assert (page.source.locator, page.kind, page.body) == ("item 1", "clean", BODY)
    assert page.given == {"title": TITLE, "url": FIRST["url"]}
    assert not page.errors


def test_an_object_wrapped_one_key_per_line_is_one_document(tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    path.write_text(
        '\n{"title": ' + json.dumps(SECOND_TITLE, ensure_ascii=False) + ",\n"
        ' "text": ' + json.dumps(SECOND_BODY, ensure_ascii=False) + "}\n",
        encoding="utf-8",
    )
    (page,) = pages(path)
    # A single document has no locator, as a pretty-printed object alone never had.
    assert (page.source.locator, page.kind, page.body) == (None, "clean", SECOND_BODY)
    assert page.given == {"title": SECOND_TITLE}


def test_json_lines_after_a_wrapped_array_are_read(tmp_path: Path) -> None:
    path = tmp_path / "joined.jsonl"
    path.write_text(wrapped_items(FIRST, SECOND) + line(THIRD), encoding="utf-8")
    read_pages = pages(path)
    assert [(p.source.locator, p.kind) for p in read_pages] == [
        ("item 1", "clean"),
        ("item 2", "clean"),
        ("line 3", "clean"),
    ]
    assert read_pages[2].body == THIRD["text"]


def test_a_broken_item_of_a_wrapped_array_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.json"
    broken = '{"title": "' + SECOND_TITLE + '", "text": }'
    text = wrapped_items(FIRST, THIRD)
    text = text.replace(",\n", ",\n " + broken + ",\n", 1)
    path.write_text(text, encoding="utf-8")
    read_pages = pages(path)
    assert [(p.source.locator, p.kind) for p in read_pages] == [
        ("item 1", "clean"),
        ("item 2", "unreadable"),
        ("line 3, item 1", "clean"),  # its last item line is read; its "]" is no error
    ]
    assert read_pages[1].errors == [
        # (the item line starts with a space: its "}" is one column further)
        f"{path}: item 2: invalid JSON: Expecting value (line 2, column {len(broken) + 1}); "
        "the rest of the array is skipped"
    ]
    assert read_pages[2].body == THIRD["text"]


def test_a_whole_first_line_keeps_the_file_json_lines(tmp_path: Path) -> None:
    # A first line that closes what it opens is JSON Lines: a later wrapped line is a cut
    # batch line, read as one, and does not turn the file into one JSON text.
    path = tmp_path / "feed.jsonl"
    path.write_text(line(FIRST) + wrapped_items(SECOND, THIRD) + line(FIRST), encoding="utf-8")
    assert found(path) == [
        ("line 1", "clean"),
        ("line 2, item 1", "clean"),
        ("line 2, item 2", "unreadable"),
        ("line 3, item 1", "clean"),
        ("line 3, item 2", "unreadable"),
        ("line 4", "clean"),
    ]


def test_a_first_line_cut_inside_a_string_is_a_broken_line(tmp_path: Path) -> None:
    # No JSON string goes on past its line: this first line is broken, not wrapped.
    path = tmp_path / "feed.jsonl"
    cut = '{"id": 7, "text": "' + PARAGRAPHS[0][:20] + "\n"
    path.write_text(cut + line(SECOND) + line(THIRD), encoding="utf-8")
    assert found(path) == [("line 1", "unreadable"), ("line 2", "clean"), ("line 3", "clean")]


# --- files joined with cat ------------------------------------------------------------------


def test_two_pretty_arrays_back_to_back(tmp_path: Path) -> None:
    # `cat a.json b.json`: json.dump writes no final newline, so "]" and "[" share a line.
    path = tmp_path / "all.json"
    path.write_text(pretty([FIRST]) + pretty([SECOND, THIRD]), encoding="utf-8")
    read_pages = pages(path)
    assert [p.body for p in read_pages] == [BODY, SECOND_BODY, THIRD["text"]]
    assert [p.source.locator for p in read_pages] == ["item 1", "line 7, item 1", "line 7, item 2"]


def test_two_one_line_arrays_back_to_back(tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    compact = json.dumps([FIRST], ensure_ascii=False) + json.dumps([SECOND, THIRD])
    path.write_text(compact, encoding="utf-8")
    assert found(path) == [("item 1", "clean"), ("item 2", "clean"), ("item 3", "clean")]


def test_an_array_followed_by_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    path.write_text(pretty([FIRST]) + "\n" + line(SECOND) + line(THIRD), encoding="utf-8")
    assert found(path) == [("item 1", "clean"), ("line 8", "clean"), ("line 9", "clean")]


def test_a_cut_array_followed_by_a_whole_one(tmp_path: Path) -> None:
    # `cat cut.json good.json`: the cut file's remaining lines are not one error each.
    cut = pretty([FIRST, SECOND])
    cut = cut[: cut.index(SECOND_TITLE[:10])] + "\n"
    path = tmp_path / "all.json"
    path.write_text(cut + pretty([THIRD]) + "\n", encoding="utf-8")
    read_pages = pages(path)
    assert [(p.source.locator, p.kind) for p in read_pages] == [
        ("item 1", "clean"),
        ("item 2", "unreadable"),
        ("line 10, item 1", "clean"),
    ]
    assert read_pages[1].errors == [
        f"{path}: item 2: invalid JSON: Invalid control character at (line 9, column 15); "
        "the rest of the array is skipped"
    ]
    assert read_pages[2].body == THIRD["text"]


def test_a_cut_item_of_one_object_per_line_output_costs_only_that_item(tmp_path: Path) -> None:
    # rasid's --format json writes one record per line; a crash cut the second one short.
    path = tmp_path / "records.json"
    path.write_text(
        "[\n" + line(FIRST).replace("\n", ",\n") + '{"text": "سجل مقطوع\n' + line(THIRD) + "]\n",
        encoding="utf-8",
    )
    assert found(path) == [("item 1", "clean"), ("item 2", "unreadable"), ("line 4", "clean")]


# --- a line cut short costs only itself ---------------------------------------------------


def test_a_json_line_cut_after_a_colon_does_not_swallow_the_next_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    cut = '{"id": 7, "title": "' + TITLE + '", "text":\n'
    path.write_text(line(FIRST) + cut + line(SECOND) + line(THIRD), encoding="utf-8")
    read_pages = pages(path)
    assert [(p.source.locator, p.kind) for p in read_pages] == [
        ("line 1", "clean"),
        ("line 2", "unreadable"),
        ("line 3", "clean"),
        ("line 4", "clean"),
    ]
    assert read_pages[1].errors == [
        f"{path}: line 2: invalid JSON: Expecting value (column {len(cut)})"
    ]
    assert [p.body for p in read_pages[2:]] == [SECOND_BODY, THIRD["text"]]


@pytest.mark.parametrize("cut_after", [",", "["])
def test_a_json_line_cut_after_a_comma_or_bracket_costs_only_itself(
    tmp_path: Path, cut_after: str
) -> None:
    path = tmp_path / "feed.jsonl"
    whole = json.dumps({"title": TITLE, "tags": ["دفاع", "حدود"], "text": BODY}, ensure_ascii=False)
    cut = whole[: whole.index(cut_after) + 1] + "\n"
    path.write_text(line(FIRST) + cut + line(SECOND), encoding="utf-8")
    assert found(path) == [("line 1", "clean"), ("line 2", "unreadable"), ("line 3", "clean")]


def test_a_batch_line_cut_after_a_comma_keeps_its_items_and_the_next_line(tmp_path: Path) -> None:
    path = tmp_path / "batches.jsonl"
    cut = "[" + json.dumps(SECOND, ensure_ascii=False) + ",\n"
    path.write_text(line(FIRST) + cut + line(THIRD) + line([FIRST]), encoding="utf-8")
    read_pages = pages(path)
    assert [(p.source.locator, p.kind) for p in read_pages] == [
        ("line 1", "clean"),
        ("line 2, item 1", "clean"),
        ("line 2, item 2", "unreadable"),
        ("line 3", "clean"),
        ("line 4, item 1", "clean"),
    ]
    assert read_pages[2].errors == [
        f"{path}: line 2, item 2: invalid JSON: Expecting value (column {len(cut)}); "
        "the rest of the array is skipped"
    ]
    assert read_pages[3].body == THIRD["text"]


def test_an_array_opened_with_a_bracket_and_brace_alone_spans_lines(tmp_path: Path) -> None:
    # Some Windows tools open a pretty-printed array of objects with "[{" on its own line.
    body = pretty([FIRST, SECOND])
    path = tmp_path / "export.json"
    path.write_text("[{" + body[body.index("{") + 1 :] + "\n" + line(THIRD), encoding="utf-8")
    read_pages = pages(path)
    assert [(p.source.locator, p.kind) for p in read_pages] == [
        ("item 1", "clean"),
        ("item 2", "clean"),
        ("line 11", "clean"),
    ]
    assert [p.body for p in read_pages] == [BODY, SECOND_BODY, THIRD["text"]]


# --- numbers Python will not convert --------------------------------------------------------

HUGE = "9" * 5000  # more digits than int() converts (sys.get_int_max_str_digits: 4300)


def test_an_integer_of_thousands_of_digits_on_a_json_line_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    huge = '{"title": "' + TITLE + '", "views": ' + HUGE + "}\n"
    path.write_text(line(FIRST) + huge + line(SECOND), encoding="utf-8")
    read_pages = pages(path)
    assert [(p.source.locator, p.kind) for p in read_pages] == [
        ("line 1", "clean"),
        ("line 2", "unreadable"),
        ("line 3", "clean"),
    ]
    assert read_pages[1].errors[0].startswith(f"{path}: line 2: invalid JSON: Exceeds the limit")


def test_an_integer_of_thousands_of_digits_in_an_array_item_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    huge = '{"title": "' + TITLE + '", "views": ' + HUGE + "}"
    path.write_text("[\n" + huge + ",\n" + line(SECOND) + "]\n", encoding="utf-8")
    read_pages = pages(path)
    assert [(p.source.locator, p.kind) for p in read_pages] == [
        ("item 1", "unreadable"),
        ("line 3", "clean"),  # the item lines of the broken array are still read
    ]
    assert "item 1: invalid JSON: Exceeds the limit" in read_pages[0].errors[0]
    assert read_pages[1].body == SECOND_BODY


def test_a_batch_line_with_a_huge_integer_keeps_the_items_before_it(tmp_path: Path) -> None:
    path = tmp_path / "batches.jsonl"
    batch = "[" + json.dumps(FIRST, ensure_ascii=False) + ', {"views": ' + HUGE + "}]\n"
    path.write_text(line(SECOND) + batch + line(THIRD), encoding="utf-8")
    assert found(path) == [
        ("line 1", "clean"),
        ("line 2, item 1", "clean"),
        ("line 2, item 2", "unreadable"),
        ("line 3", "clean"),
    ]


# --- values back to back on one line --------------------------------------------------------


def test_compact_objects_joined_without_a_newline_are_each_read(tmp_path: Path) -> None:
    # `cat a.json b.json` of json.dump output, which ends without a newline.
    path = tmp_path / "all.json"
    path.write_text(
        json.dumps(FIRST, ensure_ascii=False) + json.dumps(SECOND, ensure_ascii=False),
        encoding="utf-8",
    )
    read_pages = pages(path)
    assert [(p.source.locator, p.kind) for p in read_pages] == [
        ("item 1", "clean"),
        ("item 2", "clean"),
    ]
    assert [p.body for p in read_pages] == [BODY, SECOND_BODY]


def test_values_back_to_back_on_a_later_line_continue_its_item_numbers(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    joined = (
        json.dumps(SECOND, ensure_ascii=False)
        + " "
        + json.dumps([THIRD, FIRST], ensure_ascii=False)
        + '{"text": "خبر مقطوع\n'
    )
    path.write_text(line(FIRST) + joined + line(SECOND), encoding="utf-8")
    read_pages = pages(path)
    assert [(p.source.locator, p.kind) for p in read_pages] == [
        ("line 1", "clean"),
        ("line 2, item 1", "clean"),
        ("line 2, item 2", "clean"),
        ("line 2, item 3", "clean"),
        ("line 2, item 4", "unreadable"),
        ("line 3", "clean"),
    ]
    assert [p.body for p in read_pages[1:4]] == [SECOND_BODY, THIRD["text"], BODY]
    assert (
        "line 2, item 4: invalid JSON: Unterminated string starting at" in read_pages[4].errors[0]
    )


# --- JSON Lines under a .json name, and values of every type on lines -----------------------


def test_a_json_file_holding_json_lines_is_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(line(FIRST) + line(SECOND), encoding="utf-8")
    read_pages = pages(path)
    assert [(p.source.locator, p.source.format) for p in read_pages] == [
        ("line 1", "jsonl"),
        ("line 2", "jsonl"),
    ]


def test_objects_arrays_and_scalars_mixed_on_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        line(FIRST) + line([SECOND]) + "42\n" + "null\n" + line("خبر") + line(THIRD),
        encoding="utf-8",
    )
    read_pages = pages(path)
    assert [(p.source.locator, p.kind) for p in read_pages] == [
        ("line 1", "clean"),
        ("line 2, item 1", "clean"),
        ("line 3", "unreadable"),
        ("line 4", "unreadable"),
        ("line 5", "unreadable"),
        ("line 6", "clean"),
    ]
    assert read_pages[2].errors == [f"{path}: line 3: not a JSON object (a number), not a document"]
    assert read_pages[3].errors == [f"{path}: line 4: not a JSON object (null), not a document"]
    assert [p.body for p in read_pages if p.kind == "clean"] == [BODY, SECOND_BODY, THIRD["text"]]


def test_item_lines_of_an_array_without_its_brackets(tmp_path: Path) -> None:
    # An exporter that writes "[" and "]" around "{…}," lines, with both stripped (or cut off).
    path = tmp_path / "items.jsonl"
    path.write_text(line(FIRST).replace("\n", ",\n") + line(SECOND), encoding="utf-8")
    assert found(path) == [("line 1", "clean"), ("line 2", "clean")]


def test_json_lines_files_joined_with_cat_keep_each_byte_order_mark_out(tmp_path: Path) -> None:
    path = tmp_path / "all.jsonl"
    path.write_bytes(("\ufeff" + line(FIRST) + "\ufeff" + line([SECOND])).encode("utf-8"))
    read_pages = pages(path)
    assert [(p.source.locator, p.body) for p in read_pages] == [
        ("line 1", BODY),
        ("line 2, item 1", SECOND_BODY),
    ]


# --- text that is not JSON ------------------------------------------------------------------


def test_text_with_a_bracketed_tag_named_jsonl_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text(f"[عاجل] {TITLE}\n{BODY}\n", encoding="utf-8")
    [page] = pages(path)
    assert page.kind == "unreadable" and page.source.locator is None
    assert page.errors == [
        f"{path}: not JSON: no line parses (line 1: invalid JSON: Expecting value (column 2); "
        f"line 2: invalid JSON: Expecting value (column 1); {len(PARAGRAPHS) + 1} broken lines); "
        "the file is not read"
    ]


def test_a_long_text_named_json_is_summed_up_and_read_to_its_end(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(jsonl, "HELD_BROKEN", 3)
    path = tmp_path / "notes.json"
    path.write_text(f"[عاجل] {TITLE}\n" + "\n".join(PARAGRAPHS * 3) + "\n", encoding="utf-8")
    so_far, verdict = pages(path)
    assert so_far.source.format == verdict.source.format == "json"
    assert so_far.errors[0].startswith(
        f"{path}: not JSON so far: none of its first 3 lines parses ("
    )
    assert so_far.errors[0].endswith("; reading on")
    assert verdict.errors == [
        f"{path}: not JSON: no line parses ({3 * len(PARAGRAPHS) + 1} broken lines); "
        "the file is not read"
    ]


def test_good_lines_after_more_broken_lines_than_are_held_are_read(tmp_path: Path) -> None:
    # An exporter wrote the line breaks of its first articles raw: every line of them is
    # broken, more of them than are held back to tell text from JSON.
    broken_article = '{"title": "' + TITLE + '", "text": "' + BODY + '"}\n'
    per_article = BODY.count("\n") + 1
    articles = jsonl.HELD_BROKEN // per_article + 20
    path = tmp_path / "feed.jsonl"
    path.write_text(broken_article * articles + line(FIRST) + line(SECOND), encoding="utf-8")
    read_pages = pages(path)
    broken_lines = articles * per_article
    assert [(p.source.locator, p.kind) for p in read_pages] == [
        (None, "unreadable"),
        (None, "unreadable"),
        (f"line {broken_lines + 1}", "clean"),
        (f"line {broken_lines + 2}", "clean"),
    ]
    so_far, passed, first, second = read_pages
    assert "none of its first 1000 lines parses (line 1: invalid JSON: " in so_far.errors[0]
    assert passed.errors == [
        f"{path}: {broken_lines - 1000} more broken lines, up to line {broken_lines}, "
        "are passed over"
    ]
    assert (first.body, second.body) == (BODY, SECOND_BODY)


def test_plain_text_named_json_is_read_as_text(tmp_path: Path) -> None:
    # The sniffer hands text that does not start like JSON to the text reader.
    path = tmp_path / "article.json"
    path.write_text(f"{TITLE}\n{BODY}\n", encoding="utf-8")
    [page] = pages(path)
    assert (page.kind, page.source.format) == ("text", "text")
    assert page.body.startswith(TITLE)


def test_broken_first_lines_do_not_make_good_json_lines_one_error(tmp_path: Path) -> None:
    # An exporter that wrote the first article's line breaks raw: its lines do not parse, the
    # articles after it do.
    path = tmp_path / "batch.jsonl"
    path.write_text('{"text": "' + BODY + '"}\n' + line(FIRST) + line(SECOND), encoding="utf-8")
    assert found(path) == [
        ("line 1", "unreadable"),
        ("line 2", "unreadable"),
        ("line 3", "unreadable"),
        ("line 4", "clean"),
        ("line 5", "clean"),
    ]


# --- streaming ------------------------------------------------------------------------------


def test_a_one_line_array_larger_than_a_document_is_read_item_by_item(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Tiny runs force items, strings and escapes across run boundaries.
    monkeypatch.setattr(jsonl, "CHUNK_CHARS", 7)
    items = [{"text": f'{PARAGRAPHS[i % 3]} \\"{i}\\"', "id": i} for i in range(30)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(items, ensure_ascii=False) + "\n" + line(FIRST), encoding="utf-8")
    assert path.stat().st_size > 8 * 1000  # the line is longer than max_bytes below
    read_pages = pages(path, max_bytes=1000)
    assert [p.given.get("id") for p in read_pages] == [str(i) for i in range(30)] + [None]
    assert [p.body for p in read_pages[:30]] == [o["text"] for o in items]
    assert read_pages[-1].source.locator == "line 2" and read_pages[-1].body == BODY


def test_pretty_objects_back_to_back_are_decoded_about_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # `jq . feed.jsonl` writes each object pretty-printed, one after another. Reading one must
    # not read (and hand back) a large run of the file after it.
    decoded: list[int] = []
    read_run = jsonl._Text.read

    def counted(self: object, size: int) -> str:
        text = read_run(self, size)  # type: ignore[arg-type]
        decoded.append(len(text))
        return text

    monkeypatch.setattr(jsonl._Text, "read", counted)
    articles = [FIRST, SECOND, THIRD] * 200
    path = tmp_path / "feed.json"
    texts = [pretty(a) + "\n" for a in articles]
    path.write_text("".join(texts), encoding="utf-8")
    read_pages = pages(path)
    starts = [1 + sum(t.count("\n") for t in texts[:i]) for i in range(len(texts))]
    assert [p.source.locator for p in read_pages] == [f"line {n}" for n in starts]
    assert [p.body for p in read_pages] == [a["text"] for a in articles]
    # At most one short run past each object's end, never a megabyte.
    assert sum(decoded) < len("".join(texts)) + len(articles) * jsonl.FIRST_RUN


class _Counting(io.RawIOBase):
    """A file that counts how many of its bytes were read."""

    def __init__(self, data: bytes) -> None:
        self._data, self.taken = data, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        piece = self._data[self.taken : self.taken + len(buffer)]
        buffer[: len(piece)] = piece
        self.taken += len(piece)
        return len(piece)


def _first_page_after(data: bytes) -> tuple[Page, int]:
    raw = _Counting(data)
    stream = io.BufferedReader(raw, buffer_size=8192)
    pages_read: Iterator[Page] = jsonl.read_json(stream, Where(path="big.json"))  # type: ignore[arg-type]
    return next(pages_read), raw.taken


@pytest.mark.parametrize(
    "shape", ["a pretty-printed array", "one batch per line", "a pretty array after a batch"]
)
def test_the_first_page_comes_before_the_file_is_read_through(
    monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    monkeypatch.setattr(jsonl, "CHUNK_CHARS", 16 * 1024)
    many = [FIRST, SECOND, THIRD] * 1000
    text = {
        "a pretty-printed array": pretty(many),
        "one batch per line": "".join(line(many[i : i + 3]) for i in range(0, len(many), 3)),
        "a pretty array after a batch": line([THIRD]) + pretty(many),
    }[shape]
    data = text.encode("utf-8")
    assert len(data) > 1_000_000
    page, taken = _first_page_after(data)
    assert page.kind == "clean"
    assert taken < 100_000
