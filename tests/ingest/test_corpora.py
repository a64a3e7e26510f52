"""The published corpora: ANT pseudo-XML and SaudiNewsNet, recognised by shape, not name."""

from __future__ import annotations

import io
import itertools
import json
import tarfile
import zipfile
from pathlib import Path

from rasid.ingest import count_hint, read
from rasid.model import Page

from .samples import BODY, FIXTURES, PARAGRAPHS, SECOND_BODY, SECOND_TITLE, TITLE, ant_doc


def pages(*paths: Path | str) -> list[Page]:
    return list(read([str(p) for p in paths]))


# --- ANT ------------------------------------------------------------------------------


def test_an_ant_file_with_two_docs() -> None:
    path = FIXTURES / "ant_two_docs.txt"
    first, second = pages(path)

    assert first.kind == "clean"
    assert first.body == BODY
    assert first.source.format == "ant"
    assert first.source.path == str(path)
    assert first.source.locator == "DOC 1"
    assert (
        first.source.url == "https://www.example-news.net/ar/EX-internationalNews-1-20180413.html"
    )
    assert first.source.site == "example-news.net"
    assert first.given == {
        "id": "ant:EX-internationalNews-1-20180413",
        "url": "https://www.example-news.net/ar/EX-internationalNews-1-20180413.html",
        "site": "ExampleNews",
        "title": TITLE,
        "published": "Fri, 13 Apr 2018 17:22:56 +0400",  # as written: the extractor parses it
        "author": "مراسلنا - وكالات",
        "lede": PARAGRAPHS[0],
    }
    assert first.errors == []

    assert second.source.locator == "DOC 2"
    assert second.given["title"] == SECOND_TITLE
    assert "author" not in second.given and "lede" not in second.given  # empty elements


def test_a_single_doc_file_has_no_doc_locator(tmp_path: Path) -> None:
    path = tmp_path / "JA-politic-7-20170101.txt"
    path.write_text(ant_doc("JA-politic-7-20170101", TITLE, BODY), encoding="utf-8")
    [page] = pages(path)
    assert page.source.locator is None
    assert page.given["id"] == "ant:JA-politic-7-20170101"


def test_broken_ant_documents(tmp_path: Path) -> None:
    cut = tmp_path / "cut.txt"
    cut.write_text(ant_doc("X-1", TITLE, BODY).replace("</TEXT>\n</DOC>\n", ""), encoding="utf-8")
    no_text = tmp_path / "no-text.txt"
    no_text.write_text(
        "<DOC>\n<DOCNO>X-2</DOCNO>\n<TITLE>عنوان</TITLE>\n</DOC>\n", encoding="utf-8"
    )
    empty = tmp_path / "empty-text.txt"
    empty.write_text(ant_doc("X-3", TITLE, "  \n "), encoding="utf-8")

    truncated, missing, blank = pages(cut, no_text, empty)
    assert truncated.kind == "clean" and truncated.body == BODY  # the text is all there
    assert truncated.errors == [f"{cut}: no </DOC> (truncated file?)"]
    assert missing.kind == "unreadable"
    assert missing.errors == [f"{no_text}: no <TEXT> element in the ANT document"]
    assert missing.given == {"id": "ant:X-2", "title": "عنوان"}
    assert blank.kind == "unreadable" and blank.errors == [f"{empty}: empty document"]


def test_an_ant_tarball_skips_its_readme(tmp_path: Path) -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, text in {
            "README.md": "# ANT\n<DOC>\n<DOCNO>example</DOCNO>",
            "LICENSE": "Apache License",
            "BBC/middleEast/BB-middleEast-1-20180414.txt": ant_doc("BB-1", TITLE, BODY),
        }.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    path = tmp_path / "ant.tar.gz"
    path.write_bytes(out.getvalue())
    [page] = pages(path)
    assert page.source.locator == "BBC/middleEast/BB-middleEast-1-20180414.txt"
    assert page.given["id"] == "ant:BB-1"


# --- SaudiNewsNet ---------------------------------------------------------------------

SNN = [
    {
        "source": "example-daily",
        "url": "http://example-daily.com/article/1001",
        "date_extracted": "2015-07-21 02:51:32",
        "title": TITLE,
        "author": "الرياض: سامر الحلبي",
        "content": BODY,
    },
    {
        "source": "example-daily",
        "url": "http://example-daily.com/article/1002",
        "date_extracted": "2015-07-21 03:10:00",
        "title": SECOND_TITLE,
        "author": "",
        "content": "",
    },
    {
        "source": "other-paper",
        "url": "http://www.other-paper.com/news/7",
        "date_extracted": "2015-07-21 04:00:00",
        "title": SECOND_TITLE,
        "author": "",
        "content": SECOND_BODY,
    },
]


def test_a_saudinewsnet_day_zip(tmp_path: Path) -> None:
    path = tmp_path / "2015-07-21.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2015-07-21.json", json.dumps(SNN, ensure_ascii=False, indent=4))
    first, empty, third = pages(path)

    assert first.kind == "clean"
    assert first.body == BODY
    assert first.source.format == "saudinewsnet"
    assert first.source.path == str(path)
    assert first.source.locator == "2015-07-21.json, item 1"
    assert first.source.site == "example-daily.com"
    assert first.given == {
        "url": "http://example-daily.com/article/1001",
        "title": TITLE,
        "author": "الرياض: سامر الحلبي",
        "published": "2015-07-21 02:51:32",
        "site": "example-daily",
    }
    assert empty.kind == "unreadable"
    assert "item 2: empty document" in empty.errors[0]
    assert empty.given["title"] == SECOND_TITLE  # what is known still travels
    assert third.source.site == "other-paper.com"
    assert "author" not in third.given


def test_the_shape_is_recognised_by_its_keys_not_its_name(tmp_path: Path) -> None:
    loose = tmp_path / "whatever.data"
    loose.write_text(json.dumps(SNN[:1], ensure_ascii=False), encoding="utf-8")
    lines = tmp_path / "export.jsonl"
    lines.write_text(json.dumps(SNN[2], ensure_ascii=False) + "\n", encoding="utf-8")
    array_page, line_page = pages(loose, lines)
    assert (array_page.source.format, array_page.kind) == ("saudinewsnet", "clean")
    assert (line_page.source.format, line_page.source.locator) == ("saudinewsnet", "line 1")


# --- the real corpora (skipped when ../shared is absent) ---------------------------------


def _first(path: Path, n: int = 50) -> list[Page]:
    return list(itertools.islice(read([str(path)]), n))


def test_stream_the_first_documents_of_a_saudinewsnet_zip(corpora: Path) -> None:
    day = sorted((corpora / "saudinewsnet" / "dataset").glob("*.zip"))[0]
    found = _first(day)
    assert len(found) == 50
    readable = [p for p in found if p.kind != "unreadable"]
    assert len(readable) >= 45
    for page in readable:
        assert page.kind == "clean"
        assert page.source.format == "saudinewsnet"
        assert page.source.path == str(day)
        assert page.source.locator is not None and page.source.locator.endswith(
            tuple(f"item {i}" for i in range(1, 51))
        )
        assert {"url", "title", "published", "site"} <= page.given.keys()
        assert any("\u0621" <= ch <= "\u064a" for ch in page.body)
    assert all(p.errors for p in found if p.kind == "unreadable")


def test_stream_the_first_documents_of_the_ant_tarball(corpora: Path) -> None:
    [tarball] = (corpora / "ant_multisource_v2.1").glob("*.tar.gz")
    found = _first(tarball)
    assert len(found) == 50
    for page in found:
        assert page.kind == "clean", page.errors
        assert page.source.format == "ant"
        assert page.source.locator and page.source.locator.endswith(".txt")
        assert page.given["id"].startswith("ant:")
        assert {"url", "title", "published"} <= page.given.keys()
        assert "<TEXT>" not in page.body and "</" not in page.body


def test_stream_the_ant_sample_folder(corpora: Path) -> None:
    sample = corpora / "ant_multisource_v2.1" / "sample"
    assert count_hint([str(sample)]) == 267
    found = _first(sample)
    assert len(found) == 50
    assert [p.source.path for p in found] == sorted(p.source.path or "" for p in found)
    assert all(p.kind == "clean" and p.source.locator is None for p in found)
    assert {p.source.site for p in found} <= {
        "alarabiya.net",
        "bbc.com",
        "bbc.co.uk",
        "arabic.cnn.com",
        "france24.com",
        "skynewsarabia.com",
    }


def test_stream_the_first_documents_of_the_jawhara_fm_tarball(corpora: Path) -> None:
    [tarball] = (corpora / "ant_v1.1_jawharafm").glob("*.tar.gz")
    found = _first(tarball)
    assert len(found) == 50
    assert all(p.source.format == "ant" for p in found)
    assert sum(p.kind == "clean" for p in found) >= 45
