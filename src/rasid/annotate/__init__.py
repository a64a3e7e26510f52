"""The annotate stage: ``annotate(Article) -> Record``.

Each annotation layer (entities, quotes, events, places, dates) is a component that adds one list
to the record; until a layer exists its list stays empty, as the record contract requires.
"""

from __future__ import annotations

from rasid.model import Article, Record

__all__ = ["annotate"]


def annotate(article: Article) -> Record:
    return Record.from_article(article)
