"""Exports of stored records for other tools.

* ``jsonl``: the record contract (plus ``story`` and ``sources``), one JSON object per line;
* ``csv``: flat tables that open in a spreadsheet — ``articles.csv``, ``entities.csv``,
  ``quotes.csv``, ``events.csv`` (UTF-8 with a byte-order mark, which Excel needs to show
  Arabic);
* ``parquet``: the same four tables as Parquet files (pyarrow), for pandas and DuckDB;
* ``geojson``: a FeatureCollection of resolved places and of the events located at them, for
  QGIS;
* ``plover``: one PLOVER event per line (``rasid.annotate.plover.to_plover`` when the events
  layer provides it, else the events as the record gives them, with the article's metadata).

Every writer streams: records are read one at a time from an iterator, and the Parquet tables
are written in row groups, so memory stays bounded by the chunk size.
"""

from __future__ import annotations

import csv
import importlib
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from rasid.model import Author, Block, Record, Related, Removed, Source

__all__ = ["FORMATS", "TABLES", "export", "record_from_dict", "table_rows"]

FORMATS = ("jsonl", "csv", "parquet", "geojson", "plover")

# The flat tables and their columns (CSV and Parquet share them).
TABLES: dict[str, list[str]] = {
    "articles": [
        "id",
        "title",
        "published",
        "site",
        "url",
        "author",
        "lang",
        "story",
        "sources",
        "entities",
        "quotes",
        "events",
        "text",
    ],
    "entities": ["article", "entity", "name", "type", "text", "start", "end", "en"],
    "quotes": [
        "article",
        "speaker",
        "speaker_entity",
        "role",
        "text",
        "direct",
        "cue",
        "channel",
        "start",
        "end",
        "published",
        "site",
    ],
    "events": [
        "article",
        "type",
        "mode",
        "actor",
        "recipient",
        "location",
        "date",
        "modality",
        "confidence",
        "evidence",
        "published",
        "site",
    ],
}
_PARQUET_CHUNK = 5000


def record_from_dict(data: dict[str, Any]) -> Record:
    """A stored record (the contract as a dict) back as a :class:`rasid.model.Record`."""
    author = data.get("author")
    source = data.get("source") or {}
    return Record(
        id=data["id"],
        source=Source(**{k: source.get(k) for k in ("path", "url", "site", "locator")},
                      format=source.get("format") or "text"),
        title=data.get("title"),
        lede=data.get("lede"),
        author=Author(name=author["name"], bio=author.get("bio")) if author else None,
        published=data.get("published"),
        published_source=data.get("published_source"),
        text=data.get("text") or "",
        blocks=[Block(b["kind"], b["start"], b["end"]) for b in data.get("blocks") or []],
        related=[Related(x.get("title") or "", x.get("url")) for x in data.get("related") or []],
        removed=[Removed(x.get("kind") or "other", x.get("text") or "")
                 for x in data.get("removed") or []],
        lang=data.get("lang"),
        errors=list(data.get("errors") or []),
        entities=list(data.get("entities") or []),
        quotes=list(data.get("quotes") or []),
        events=list(data.get("events") or []),
        places=list(data.get("places") or []),
        dates=list(data.get("dates") or []),
        fingerprint=data.get("fingerprint"),
    )  # fmt: skip


def _label(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        for key in ("name", "text", "entity"):
            if value.get(key):
                return str(value[key])
        return None
    return str(value)


def table_rows(record: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """One record as rows of the four flat tables."""
    rid, text = record["id"], record.get("text") or ""
    source = record.get("source") or {}
    author = record.get("author") or {}
    site = source.get("site")
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    rows["articles"].append(
        {
            "id": rid,
            "title": record.get("title"),
            "published": record.get("published"),
            "site": site,
            "url": source.get("url"),
            "author": author.get("name"),
            "lang": record.get("lang"),
            "story": record.get("story"),
            "sources": len(record.get("sources") or []) or 1,
            "entities": len(record.get("entities") or []),
            "quotes": len(record.get("quotes") or []),
            "events": len(record.get("events") or []),
            "text": text,
        }
    )
    for m in record.get("entities") or []:
        rows["entities"].append(
            {
                "article": rid,
                "entity": m.get("entity"),
                "name": m.get("name") or m.get("text"),
                "type": m.get("type"),
                "text": m.get("text"),
                "start": m.get("start"),
                "end": m.get("end"),
                "en": m.get("en"),
            }
        )
    for q in record.get("quotes") or []:
        speaker = q.get("speaker") or {}
        if not isinstance(speaker, dict):
            speaker = {"name": speaker}
        rows["quotes"].append(
            {
                "article": rid,
                "speaker": speaker.get("name"),
                "speaker_entity": speaker.get("entity"),
                "role": speaker.get("role"),
                "text": q.get("text"),
                "direct": q.get("direct"),
                "cue": q.get("cue"),
                "channel": q.get("channel"),
                "start": q.get("start"),
                "end": q.get("end"),
                "published": record.get("published"),
                "site": site,
            }
        )
    for e in record.get("events") or []:
        start, end = e.get("start"), e.get("end")
        evidence = text[start:end] if isinstance(start, int) and isinstance(end, int) else None
        rows["events"].append(
            {
                "article": rid,
                "type": e.get("type"),
                "mode": e.get("mode"),
                "actor": _label(e.get("actor")),
                "recipient": _label(e.get("recipient")),
                "location": _label(e.get("location")),
                "date": _label(e.get("date")),
                "modality": e.get("modality"),
                "confidence": e.get("confidence"),
                "evidence": evidence,
                "published": record.get("published"),
                "site": site,
            }
        )
    return rows


def _write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_csv(records: Iterable[dict[str, Any]], folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        name: (folder / f"{name}.csv").open("w", encoding="utf-8-sig", newline="")
        for name in TABLES
    }
    try:
        writers = {name: csv.DictWriter(f, fieldnames=TABLES[name]) for name, f in files.items()}
        for writer in writers.values():
            writer.writeheader()
        n = 0
        for record in records:
            for name, rows in table_rows(record).items():
                writers[name].writerows(rows)
            n += 1
        return n
    finally:
        for f in files.values():
            f.close()


def _write_parquet(records: Iterable[dict[str, Any]], folder: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    types = {
        "start": pa.int64(),
        "end": pa.int64(),
        "sources": pa.int64(),
        "entities": pa.int64(),
        "quotes": pa.int64(),
        "events": pa.int64(),
        "direct": pa.bool_(),
        "confidence": pa.float64(),
    }
    schemas = {
        name: pa.schema([(c, types.get(c, pa.string())) for c in cols])
        for name, cols in TABLES.items()
    }
    writers = {name: pq.ParquetWriter(folder / f"{name}.parquet", schemas[name]) for name in TABLES}
    buffers: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}

    def flush(name: str) -> None:
        if buffers[name]:
            writers[name].write_table(pa.Table.from_pylist(buffers[name], schema=schemas[name]))
            buffers[name] = []

    try:
        n = 0
        for record in records:
            for name, rows in table_rows(record).items():
                for row in rows:
                    for column, value in row.items():
                        if value is not None and types.get(column, pa.string()) == pa.string():
                            row[column] = str(value)
                buffers[name].extend(rows)
                if len(buffers[name]) >= _PARQUET_CHUNK:
                    flush(name)
            n += 1
        for name in TABLES:
            flush(name)
        return n
    finally:
        for writer in writers.values():
            writer.close()


def _place_index(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Resolved places of a record by entity id and by name, for locating its events."""
    index: dict[str, dict[str, Any]] = {}
    for place in record.get("places") or []:
        if place.get("lat") is None or place.get("lon") is None:
            continue
        for key in (place.get("entity"), place.get("name")):
            if key:
                index.setdefault(str(key), place)
    return index


def _features(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    meta = {
        "article": record["id"],
        "title": record.get("title"),
        "published": record.get("published"),
        "site": (record.get("source") or {}).get("site"),
        "story": record.get("story"),
    }
    places = _place_index(record)
    for place in record.get("places") or []:
        if place.get("lat") is None or place.get("lon") is None:
            continue
        yield {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
            "properties": {
                "kind": "place",
                **meta,
                "name": place.get("name"),
                "country": place.get("country"),
                "admin1": place.get("admin1"),
                "geonames_id": place.get("geonames_id"),
            },
        }
    for event in record.get("events") or []:
        location = event.get("location")
        place = None
        if isinstance(location, dict) and location.get("lat") is not None:
            place = location
        else:
            keys = (
                [location.get(k) for k in ("entity", "name", "text")]
                if isinstance(location, dict)
                else [location]
            )
            place = next((places[str(k)] for k in keys if k and str(k) in places), None)
        if place is None:
            continue
        yield {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
            "properties": {
                "kind": "event",
                **meta,
                "event_type": event.get("type"),
                "mode": event.get("mode"),
                "actor": _label(event.get("actor")),
                "recipient": _label(event.get("recipient")),
                "location": place.get("name"),
                "date": _label(event.get("date")),
                "modality": event.get("modality"),
            },
        }


def _write_geojson(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    out.write('{"type": "FeatureCollection", "features": [')
    n, first = 0, True
    for record in records:
        for feature in _features(record):
            out.write(("\n" if first else ",\n") + json.dumps(feature, ensure_ascii=False))
            first = False
        n += 1
    out.write("\n]}\n")
    return n


def _plover_converter() -> Callable[[dict[str, Any]], Any] | None:
    try:
        module = importlib.import_module("rasid.annotate.plover")
    except ModuleNotFoundError:
        return None
    return getattr(module, "to_plover", None)


def _write_plover(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    convert = _plover_converter()
    n = 0
    for record in records:
        meta = {
            "article": record["id"],
            "published": record.get("published"),
            "site": (record.get("source") or {}).get("site"),
            "url": (record.get("source") or {}).get("url"),
            "story": record.get("story"),
        }
        events: list[dict[str, Any]] = []
        if convert is not None and record.get("events"):
            try:
                events = list(convert(record_from_dict(record)))
                for event in events:
                    # PLOVER's story_id: rasid's story cluster, so every outlet's copy of one
                    # event shares it.
                    event["story_id"] = record.get("story") or event.get("story_id")
            except Exception:  # an event the converter cannot read: keep it as it is
                events = []
        if not events:
            events = [{**event, **meta} for event in record.get("events") or []]
        for event in events:
            out.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


def export(records: Iterable[dict[str, Any]], fmt: str, out: TextIO | Path) -> int:
    """Write ``records`` in ``fmt``; returns how many records were read. ``csv`` and
    ``parquet`` write a folder of tables (``out`` is its path); the others a text stream."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt in ("csv", "parquet"):
        if not isinstance(out, Path):
            raise ValueError(f"{fmt} export writes a folder of tables: give a folder path")
        return _write_csv(records, out) if fmt == "csv" else _write_parquet(records, out)
    if isinstance(out, Path):
        with out.open("w", encoding="utf-8") as stream:
            return export(records, fmt, stream)
    writer = {"jsonl": _write_jsonl, "geojson": _write_geojson, "plover": _write_plover}[fmt]
    return writer(records, out)
