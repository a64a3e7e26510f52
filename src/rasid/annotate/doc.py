"""The document the annotation components share: the record being built, plus the text's
sentences and tokens computed once (spaCy's ``Doc`` idea: stand-off layers over one text)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from rasid.arabic.sentences import split_sentences
from rasid.arabic.tokenize import Token, tokenize
from rasid.model import Record

# A text longer than this is no article (a site dumped into one page, a scraper's log): the
# layers read its first MAX_CHARS characters, so such a page costs seconds, not many minutes
# (a 200,000-word page took about a minute and 600 MB in the entity layer alone). Offsets
# stay those of ``record.text``.
MAX_CHARS = 200_000


@dataclass(eq=False)
class Doc:
    record: Record
    # Scratch space for components that hand something richer than the record's JSON layers
    # to later components (e.g. the entity index the quote and event layers look speakers up in).
    shared: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def text(self) -> str:
        """The text the layers annotate: the record's, up to ``MAX_CHARS`` characters."""
        return self.record.text[:MAX_CHARS]

    @property
    def truncated(self) -> bool:
        return len(self.record.text) > MAX_CHARS

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return split_sentences(self.text)

    @cached_property
    def tokens(self) -> list[Token]:
        return tokenize(self.text)
