"""The ``rasid`` command, as a user runs it."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasid.cli import app
from tests.shared import DEMO

runner = CliRunner()

ARTICLE_HTML = """<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>انسحاب القوات الروسية من خيرسون</title></head><body>
<nav>الرئيسية / أخبار / أوروبا</nav>
<article><h1>انسحاب القوات الروسية من مدينة خيرسون بعد ثمانية أشهر</h1>
<p>أعلنت وزارة الدفاع الروسية يوم الجمعة 11 نوفمبر 2022 أنها أكملت سحب قواتها من الضفة
الغربية لنهر دنيبرو، بما في ذلك مدينة خيرسون التي سيطرت عليها في الأسابيع الأولى من الحرب.</p>
<p>ودخلت وحدات من الجيش الأوكراني المدينة في اليوم نفسه، فيما خرج السكان إلى الساحة الرئيسية
للاحتفال برفع العلم الأوكراني فوق المباني الإدارية.</p>
<p>وكانت خيرسون العاصمة الإقليمية الوحيدة التي سيطرت عليها القوات الروسية منذ بدء الغزو في
فبراير من العام نفسه.</p></article>
<footer>جميع الحقوق محفوظة © 2022</footer></body></html>"""


def records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_extract_one_page_as_json_lines(tmp_path):
    page = tmp_path / "kherson.html"
    page.write_text(ARTICLE_HTML, encoding="utf-8")

    result = runner.invoke(app, ["extract", str(page)])

    assert result.exit_code == 0, result.output
    [record] = records(result.stdout)
    assert record["title"] == "انسحاب القوات الروسية من مدينة خيرسون بعد ثمانية أشهر"
    assert record["text"].startswith("أعلنت وزارة الدفاع الروسية")
    assert "جميع الحقوق محفوظة" not in record["text"]
    assert record["source"]["format"] == "html"
    for layer in ("entities", "quotes", "events", "places", "dates"):
        assert isinstance(record[layer], list)


def test_the_record_has_every_contract_field(tmp_path):
    page = tmp_path / "kherson.html"
    page.write_text(ARTICLE_HTML, encoding="utf-8")
    [record] = records(runner.invoke(app, ["extract", str(page)]).stdout)
    contract = {
        "id", "source", "title", "lede", "author", "published", "published_source", "text",
        "blocks", "related", "removed", "entities", "quotes", "events", "places", "dates",
        "lang", "fingerprint", "errors",
    }  # fmt: skip
    assert contract <= set(record)
    assert record["lang"] == "ar"
    for block in record["blocks"]:
        assert record["text"][block["start"] : block["end"]].strip()


def test_published_option_overrides_the_page(tmp_path):
    page = tmp_path / "kherson.html"
    page.write_text(ARTICLE_HTML, encoding="utf-8")
    [record] = records(
        runner.invoke(app, ["extract", str(page), "--published", "2022-11-12"]).stdout
    )
    assert (record["published"], record["published_source"]) == ("2022-11-12", "given")


def test_a_bad_published_date_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path), "--published", "32/13/2022"])
    assert result.exit_code == 2
    assert "not a date" in result.output


def test_json_and_text_formats(tmp_path):
    page = tmp_path / "kherson.html"
    page.write_text(ARTICLE_HTML, encoding="utf-8")
    as_json = runner.invoke(app, ["extract", str(page), "--format", "json"])
    assert json.loads(as_json.stdout)[0]["title"].startswith("انسحاب القوات الروسية")
    as_text = runner.invoke(app, ["extract", str(page), "--format", "text"])
    assert as_text.stdout.startswith("# انسحاب القوات الروسية")
    assert "أعلنت وزارة الدفاع الروسية" in as_text.stdout


def test_stdin(tmp_path):
    result = runner.invoke(app, ["extract", "-"], input=ARTICLE_HTML.encode("utf-8"))
    assert result.exit_code == 0, result.output
    [record] = records(result.stdout)
    assert record["title"].startswith("انسحاب القوات الروسية")


def test_bad_documents_are_reported_and_the_batch_goes_on(tmp_path):
    (tmp_path / "a-good.html").write_text(ARTICLE_HTML, encoding="utf-8")
    (tmp_path / "b-binary.bin").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "c-empty.html").write_bytes(b"")
    (tmp_path / "d-truncated.html").write_text(ARTICLE_HTML[: len(ARTICLE_HTML) // 2], "utf-8")
    good_text = {"text": "نص سليم عن انسحاب القوات من خيرسون.", "title": "خبر"}
    good_dump = {"raw_text": "عنوان\n\nفقرة كاملة عن دخول القوات الأوكرانية إلى خيرسون يوم الجمعة."}
    lines = [json.dumps(good_text, ensure_ascii=False), "{not json", json.dumps(good_dump)]
    (tmp_path / "e-lines.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    warc_start = gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n")
    (tmp_path / "f-broken.warc.gz").write_bytes(warc_start[:30])

    result = runner.invoke(app, ["extract", str(tmp_path), "--no-progress"])

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    out = records(result.stdout)
    by_path = {}
    for record in out:
        by_path.setdefault(Path(record["source"]["path"]).name, []).append(record)
    assert by_path["a-good.html"][0]["text"]
    assert by_path["b-binary.bin"][0]["errors"]
    assert by_path["c-empty.html"][0]["errors"]
    assert by_path["d-truncated.html"][0]["text"].startswith("أعلنت وزارة الدفاع")
    jsonl = by_path["e-lines.jsonl"]
    assert [bool(r["text"]) for r in jsonl] == [True, False, True]
    assert "line 2" in json.dumps(jsonl[1]["errors"] + [jsonl[1]["source"]["locator"] or ""])
    assert by_path["f-broken.warc.gz"][0]["errors"]
    # stderr names every failed document
    assert "b-binary.bin" in result.stderr and "c-empty.html" in result.stderr


def test_workers_give_the_same_records_in_the_same_order():
    one = runner.invoke(app, ["extract", str(DEMO / "pages"), "--no-progress"])
    two = runner.invoke(app, ["extract", str(DEMO / "pages"), "--no-progress", "--workers", "2"])
    assert one.exit_code == two.exit_code == 0
    assert records(one.stdout) == records(two.stdout)


@pytest.mark.parametrize("target", ["pages", "dumps", "feeds", "crawl"])
def test_every_demo_folder_extracts_cleanly(target):
    folder = DEMO / target
    if not any(folder.iterdir()):
        pytest.skip(f"demo/{target} is empty")
    result = runner.invoke(app, ["extract", str(folder), "--no-progress"])
    assert result.exit_code == 0, result.stderr
    for record in records(result.stdout):
        assert record["text"] and record["title"], record["source"]


def test_the_installed_command_runs(tmp_path):
    page = tmp_path / "kherson.html"
    page.write_text(ARTICLE_HTML, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "rasid.cli", "extract", str(page)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"].startswith("انسحاب القوات الروسية")
