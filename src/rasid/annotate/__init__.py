"""The annotate stage: ``annotate(Article) -> Record``.

Annotation is a list of components run in order over one ``Doc``; each adds one layer of the
record (entities, quotes, dates, places, events) and may read the layers added before it. A
component that fails leaves its layer empty and an error naming it, and the others still run.
"""

from __future__ import annotations

from collections.abc import Callable

from rasid.annotate.doc import Doc
from rasid.model import Article, Record

__all__ = ["COMPONENTS", "Doc", "annotate", "annotate_record"]

Component = Callable[[Doc], None]

# (name, component) in the order they run. Layers register here as they land.
COMPONENTS: list[tuple[str, Component]] = []


def annotate_record(
    record: Record, components: list[tuple[str, Component]] | None = None
) -> Record:
    doc = Doc(record)
    if not record.text:
        return record
    for name, component in COMPONENTS if components is None else components:
        try:
            component(doc)
        except Exception as error:
            record.errors.append(f"annotate.{name}: {type(error).__name__}: {error}")
    return record


def annotate(article: Article) -> Record:
    return annotate_record(Record.from_article(article))
