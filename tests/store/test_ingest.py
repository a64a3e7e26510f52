"""Ingest into a store: batches, resume, and ids known before extraction."""

from __future__ import annotations

import json
import os
from pathlib import Path

from rasid import ingest as reader
from rasid.pipeline import process
from rasid.store import open_store
from rasid.store.base import BatchResult, SearchQuery
from rasid.store.ingest import ingest, page_id
from tests.store import records as r


def _jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "feed.jsonl"
    rows = [
        {"url": "https://alpha-news.example/2024/03/10/desalination", "title": "محطة تحلية",
         "published": "2024-03-10", "text": r.WIRE},
        {"url": "https://delta-agri.example/harvest-2023", "title": "حصاد القمح",
         "published": "2023-06-02", "text": r.HARVEST},
        {"url": "https://beta-press.example/news/88213", "title": "الحداد يدشن محطة",
         "published": "2024-03-10", "text": r.REWRITE},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in rows), "utf-8")
    return path


def test_page_ids_known_before_extraction_are_the_record_ids(tmp_path: Path) -> None:
    for page in reader.read([str(_jsonl(tmp_path))]):
        assert page_id(page) == process(page).id


def test_ingest_in_batches_and_resume_without_extracting_again(tmp_path: Path) -> None:
    feed = _jsonl(tmp_path)
    reports: list[BatchResult] = []
    with open_store(str(tmp_path / "base.db")) as store:
        first = ingest([str(feed)], store, batch_size=2, on_batch=reports.append)
        again = ingest([str(feed)], store, batch_size=2)
        stories = store.stories()

    assert (first.stored, first.duplicates, first.failed) == (3, 0, 0)
    assert [x.stored for x in reports] == [2, 1]  # one transaction per batch
    assert (again.stored, again.skipped) == (0, 3)
    assert len(stories) == 1 and stories[0].size == 2  # the wire story and its rewrite


def test_a_file_with_an_undecodable_name_is_stored_once(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    name = os.fsencode(folder) + b"/" + "تحلية.txt".encode("cp1256")
    with open(name, "w", encoding="utf-8") as handle:
        handle.write(r.WIRE)
    with open_store(str(tmp_path / "base.db")) as store:
        first = ingest([str(folder)], store)
        again = ingest([str(folder)], store)
        [hit] = store.search(SearchQuery(text="تحلية")).hits
        stored = store.get(hit.id)
    assert (first.stored, first.failed) == (1, 0)
    assert (again.stored, again.skipped) == (0, 1)
    assert stored is not None and stored["source"]["path"].endswith("\\xca\\xcd\\xe1\\xed\\xc9.txt")
