"""Scraped text dumps: the seed page, line by line, must come out as its gold record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasid.extract import extract
from rasid.model import Page, Source
from tests.shared import DEMO


def dump_page(text: str, **given: str) -> Page:
    return Page(source=Source(path="dump.txt", format="text"), kind="text", body=text, given=given)


def test_seed_page_matches_its_gold_record(seed_page, seed_gold):
    article = extract(dump_page(seed_page.read_text("utf-8")))

    assert article.title == seed_gold["title"]
    assert article.lede == seed_gold["lede"]
    assert article.author is not None
    assert article.author.name == seed_gold["author"]
    assert article.author.bio.startswith(seed_gold["author_bio_startswith"])
    assert [r.title for r in article.related] == seed_gold["related"]

    paragraphs = article.text.split("\n\n")
    for line in seed_gold["lines"]:
        if line["label"] in ("content", "heading"):
            assert line["text"] in paragraphs, line["text"]
        else:
            assert line["text"] not in article.text, (line["label"], line["text"])
    headings = [article.text[b.start : b.end] for b in article.blocks if b.kind == "heading"]
    assert headings == ["خسائر كبيرة"]


def test_blocks_are_offsets_into_the_text(seed_page):
    article = extract(dump_page(seed_page.read_text("utf-8")))
    assert article.blocks
    for block in article.blocks:
        part = article.text[block.start : block.end]
        assert part and part == part.strip()
    assert "\n\n".join(article.text[b.start : b.end] for b in article.blocks) == article.text


def test_every_dropped_line_is_kept_with_its_reason(seed_page):
    article = extract(dump_page(seed_page.read_text("utf-8")))
    kinds = {removed.text: removed.kind for removed in article.removed}
    assert kinds["Written by نور الدين"] == "byline"
    assert kinds["اترك تعليقاً"] == "comment_form"
    assert kinds["in"] == "nav"
    assert any(kind == "author_bio" for kind in kinds.values())


def test_a_dump_with_nav_share_and_inline_read_also():
    text = "\n\n".join(
        [
            "الرئيسية / عربي ودولي / أوروبا",
            "شارك",
            "فيسبوك تويتر واتساب",
            "فنلندا تنضم رسميا إلى حلف شمال الأطلسي لتصبح العضو الحادي والثلاثين",
            "أصبحت فنلندا يوم الثلاثاء 4 أبريل 2023 العضو الحادي والثلاثين في حلف شمال الأطلسي، "
            "بعد أن سلمت وثيقة انضمامها إلى وزارة الخارجية الأمريكية في بروكسل.",
            "اقرأ أيضا: السويد تنتظر موافقة تركيا والمجر على طلب عضويتها",
            "ويمتد الحدود بين فنلندا وروسيا على طول نحو 1340 كيلومترا، وهو ما يضاعف طول حدود "
            "الحلف مع روسيا.",
            "كتب: سامر الخطيب",
            "جميع الحقوق محفوظة © 2023",
        ]
    )
    article = extract(dump_page(text))
    assert article.title.startswith("فنلندا تنضم رسميا")
    assert article.author.name == "سامر الخطيب"
    assert [r.title for r in article.related] == [
        "السويد تنتظر موافقة تركيا والمجر على طلب عضويتها"
    ]
    assert article.text.startswith("أصبحت فنلندا")
    assert "فيسبوك" not in article.text and "الحقوق" not in article.text
    assert {r.kind for r in article.removed} >= {"nav", "share", "related", "byline", "copyright"}


def test_given_metadata_wins_over_what_the_page_suggests(seed_page):
    page = dump_page(seed_page.read_text("utf-8"), title="عنوان من المصدر", published="2022-11-11")
    article = extract(page)
    assert article.title == "عنوان من المصدر"
    assert article.published == "2022-11-11"
    assert article.published_source == "given"


DUMPS_GOLD = json.loads(
    (Path(__file__).parent / "expected" / "demo-dumps.json").read_text("utf-8")
)["dumps"]


@pytest.mark.parametrize("gold", DUMPS_GOLD, ids=lambda gold: gold["file"])
def test_demo_dumps_line_by_line(gold):
    text = (DEMO / "dumps" / gold["file"]).read_text("utf-8")
    article = extract(dump_page(text))

    assert article.title == gold["title"]
    assert article.author.name == gold["author"]
    if gold.get("author_bio_startswith"):
        assert article.author.bio.startswith(gold["author_bio_startswith"])
    if gold.get("lede"):
        assert article.lede == gold["lede"]
    assert [r.title for r in article.related] == gold["related"]
    headings = [article.text[b.start : b.end] for b in article.blocks if b.kind == "heading"]
    assert headings == gold["headings"]
    paragraphs = article.text.split("\n\n")
    for line in gold["lines"]:
        if line["label"] in ("content", "heading"):
            assert line["text"] in paragraphs, line["text"]
        elif line["label"] != "title":
            assert line["text"] not in paragraphs, (line["label"], line["text"])
