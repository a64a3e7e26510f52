"""Loaders for the extractor's lexicons (data files under ``lexicons/``).

Site knowledge lives in those TSV files, not in code: a new share button or comment-form phrase
is one line of data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rasid.arabic.normalize import normalize


def _rows(name: str) -> list[list[str]]:
    text = resources.files("rasid.extract").joinpath("lexicons", name).read_text("utf-8")
    return [
        line.split("\t")
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _fold_pattern(pattern: str) -> str:
    """Fold the Arabic letters of a regex the way ``normalize`` folds text, leaving the regex
    syntax alone (normalizing the whole pattern would lower-case ``\\S`` into ``\\s``)."""
    return "".join(
        r"\?" if ch == "؟" else normalize(ch) if "\u0600" <= ch <= "\u06ff" else ch
        for ch in pattern
    )


@dataclass(frozen=True, slots=True)
class BoilerplateLexicon:
    exact: dict[str, str]
    prefixes: tuple[tuple[str, str], ...]
    contains: tuple[tuple[str, str], ...]
    patterns: tuple[tuple[re.Pattern[str], str], ...]

    def match(self, line: str) -> str | None:
        """The boilerplate kind of a line (``share``, ``comment_form``…), or None for text."""
        norm = normalize(line).strip(" .:：-–—|*•·")
        if not norm:
            return "other"
        kind = self.exact.get(norm)
        if kind:
            return kind
        for prefix, kind in self.prefixes:
            if norm.startswith(prefix):
                return kind
        for needle, kind in self.contains:
            if needle in norm:
                return kind
        for pattern, kind in self.patterns:
            if pattern.search(norm):
                return kind
        return None


@cache
def boilerplate() -> BoilerplateLexicon:
    exact: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    contains: list[tuple[str, str]] = []
    patterns: list[tuple[re.Pattern[str], str]] = []
    for kind, how, pattern in _rows("boilerplate.tsv"):
        if how == "regex":
            patterns.append((re.compile(_fold_pattern(pattern)), kind))
            continue
        key = normalize(pattern).strip(" .:：-–—|*•·")
        if how == "exact":
            exact[key] = kind
        elif how == "prefix":
            prefixes.append((key, kind))
        elif how == "contains":
            contains.append((key, kind))
        else:
            raise ValueError(f"boilerplate.tsv: unknown match type {how!r}")
    return BoilerplateLexicon(exact, tuple(prefixes), tuple(contains), tuple(patterns))


@cache
def byline_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for _label, pattern in _rows("bylines.tsv"))


@cache
def author_bio_markers() -> tuple[str, ...]:
    return tuple(normalize(row[0]) for row in _rows("author_bio.tsv"))


@cache
def related_cue_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(row[0], re.IGNORECASE) for row in _rows("related_cues.tsv"))
