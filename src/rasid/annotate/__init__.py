"""The annotate stage: ``annotate(Article) -> Record``.

Annotation is a list of components run in order over one ``Doc``; each adds one layer of the
record (entities, quotes, dates, places, events) and may read the layers added before it. A
component that fails leaves its layer empty and an error naming it, and the others still run.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from rasid.annotate.doc import Doc
from rasid.model import Article, Record

__all__ = ["Doc", "annotate", "annotate_record", "components"]

Component = Callable[[Doc], None]

# The layers, in the order they run: each module ``rasid.annotate.<name>`` exposes
# ``annotate(doc: Doc) -> None``. Later layers read earlier ones (quotes link speakers to
# entities; events point at entities, quotes, dates and places).
LAYERS = ("entities", "quotes", "dates", "places", "events")
_components: list[tuple[str, Component]] | None = None


def components() -> list[tuple[str, Component]]:
    """The layers that exist in this installation, loaded once."""
    global _components
    if _components is None:
        found = []
        for name in LAYERS:
            try:
                module = importlib.import_module(f"rasid.annotate.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"rasid.annotate.{name}":
                    raise
                continue
            found.append((name, module.annotate))
        _components = found
    return _components


def annotate_record(record: Record, layers: list[tuple[str, Component]] | None = None) -> Record:
    """Run the layers (all installed ones by default) over a record, in place."""
    doc = Doc(record)
    if not record.text:
        return record
    if doc.truncated:
        record.errors.append(
            f"annotate: text of {len(record.text):,} characters; only the first "
            f"{len(doc.text):,} were annotated"
        )
    for name, component in components() if layers is None else layers:
        try:
            component(doc)
        except Exception as error:
            record.errors.append(f"annotate.{name}: {type(error).__name__}: {error}")
    return record


def annotate(article: Article) -> Record:
    return annotate_record(Record.from_article(article))
