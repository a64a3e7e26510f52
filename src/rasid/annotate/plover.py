"""Export a record's events in the PLOVER JSON layout (the PLOVER manual, "Data Fields").

One dict per event, field names as the manual names them, so tools written for PLOVER/POLECAT
data load rasid's events as they are: ``id`` (required, unique), ``date`` (YYYY-MM-DD when the
day is known, else the partial ISO value), ``actor``/``recipient`` (lists of entity objects with
``entity_text`` and ``identifier_id``), ``event``/``mode``/``context`` (lists), ``event_loc``
(the manual's location object: ``extracted_place``, ``resolved_place``, ``geonameid``, ``lat``,
``lon``, ``country_code``), ``event_text``, ``text`` and ``text_info`` (the evidence sentence and
its offsets), ``quad_code``, ``cite_info``, ``coder``, ``comment``. rasid's own fields the manual
has no name for travel as extra named fields (the manual allows them): ``modality``,
``confidence``, ``claimed_by``, ``story_id``.
"""

from __future__ import annotations

from typing import Any

from rasid.model import Record

__all__ = ["QUAD", "to_plover"]

# The manual's quad categories: 1 verbal cooperation, 2 material cooperation, 3 verbal
# conflict, 4 material conflict.
QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "SANCTION": 3, "THREATEN": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip

CODER = "rasid"
CODEBOOK = "PLOVER (openeventdata/PLOVER, 2024)"


def _entity(entity_id: str | None, text: str | None) -> list[dict[str, Any]]:
    if entity_id is None and text is None:
        return []
    return [{"entity_text": text, "identifier_id": entity_id}]


def _location(record: Record, event: dict[str, Any]) -> dict[str, Any] | None:
    if event.get("location") is None and event.get("location_text") is None:
        return None
    place = next(
        (
            p
            for p in record.places
            if event.get("location") is not None
            and event["location"] in (p.get("entity"), p.get("name"))
        ),
        None,
    )
    loc: dict[str, Any] = {"extracted_place": event.get("location_text")}
    if place is not None:
        loc.update(
            resolved_place=place.get("name"),
            geonameid=place.get("geonames_id"),
            lat=place.get("lat"),
            lon=place.get("lon"),
            country_code=place.get("country"),
            province=place.get("admin1"),
            resolution=place.get("resolution"),
        )
    return loc


def to_plover(record: Record) -> list[dict[str, Any]]:
    """The record's events as PLOVER JSON objects (one per event, in reading order)."""
    out: list[dict[str, Any]] = []
    sentences: list[tuple[int, int]] = []
    for n, event in enumerate(record.events):
        start, end = event.get("start", 0), event.get("end", 0)
        if (start, end) not in sentences:
            sentences.append((start, end))
        trigger = event.get("trigger") or {}
        item: dict[str, Any] = {
            "id": f"{record.id}-{n + 1:03d}",
            "story_id": record.id,
            "date": event.get("date"),
            "actor": _entity(event.get("actor"), event.get("actor_text")),
            "recipient": _entity(event.get("recipient"), event.get("recipient_text")),
            "event": [event["type"]],
            "mode": [event["mode"]] if event.get("mode") else [],
            "context": [event["context"]] if event.get("context") else [],
            "event_loc": _location(record, event),
            "event_text": [trigger["text"]] if trigger.get("text") else [],
            "quad_code": QUAD.get(event["type"]),
            "text": record.text[start:end],
            "text_info": {"sequence": sentences.index((start, end)), "start": start, "end": end},
            "cite_info": {
                "url": record.source.url,
                "title": record.title,
                "language": record.lang or "ar",
                "coder": CODER,
                "codebook": CODEBOOK,
            },
            "coder": CODER,
            "comment": f"modality: {event.get('modality', 'asserted')}",
            "modality": event.get("modality"),
            "confidence": event.get("confidence"),
            "claimed_by": event.get("claimed_by"),
        }
        out.append(item)
    return out
