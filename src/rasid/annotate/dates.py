"""The dates layer: every date expression of the record, resolved against ``published``.

Fills ``record.dates`` with ``{text, start, end, value, precision, relative}``:

* ``value`` is ISO 8601 — ``2022-11-11`` (precision ``day``), ``2022-W44`` (``week``),
  ``2022-09`` (``month``), ``2014`` (``year``), or a date-time for a clock time;
* ``relative`` says whether the value was computed from the publication date
  (``اليوم الجمعة``، ``في سبتمبر``) rather than written out (``11 نوفمبر 2022``).

A record without a publication date keeps its relative dates with ``value: null`` — they are
evidence that the text names a time, but any value would be a guess.
"""

from __future__ import annotations

from rasid.annotate.doc import Doc
from rasid.arabic.dates import resolve_dates

__all__ = ["annotate"]


def annotate(doc: Doc) -> None:
    record = doc.record
    record.dates = [
        {
            "text": found.text,
            "start": found.start,
            "end": found.end,
            "value": found.value,
            "precision": found.precision,
            "relative": found.relative,
        }
        for found in resolve_dates(doc.text, record.published)
    ]
