"""The line classifier: which lines of a page are the article, and what the others are.

A scraped page is a sequence of lines (or an HTML extractor's blocks). Each line gets a label
from its shape (length, final punctuation, script), the lexicons of page furniture, and its
place on the page: the article body is the densest run of prose lines; what stands before it
holds the title, what stands after it holds bylines, author bios, comment forms and related
headlines. No rule here names a site.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from rasid.arabic.dates import find_dates
from rasid.arabic.normalize import normalize
from rasid.arabic.script import arabic_ratio
from rasid.arabic.tokenize import words
from rasid.extract.lexicon import (
    author_bio_markers,
    boilerplate,
    byline_patterns,
    related_cue_patterns,
)

Label = Literal[
    "title",
    "lede",
    "content",
    "heading",
    "byline",
    "author_bio",
    "related",
    "boilerplate",
]

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
# A line that ends like a sentence: final punctuation, possibly followed by closing quotes.
_SENTENCE_END = re.compile(r"[.!?؟…:؛]\s*[\"”»’'\)\]]*\s*[.،,]?\s*$")
_QUESTION_END = re.compile(r"[?؟]\s*[\"”»’'\)\]]*\s*$")
_NAME_TRAILER = re.compile(r"\s*(?:[-–—|،,/]\s*.*|\s+\d{1,4}[/.\-]\d{1,2}.*|\s+(?:في|on)\s+\d.*)$")

# Lines of furniture that end the article body when they follow it.
_TERMINATORS = {"comment_form", "copyright", "byline", "author_bio"}
HEADING_MAX_WORDS = 10
PROSE_MIN_WORDS = 5
LONG_LINE_WORDS = 25
QUESTION_PROSE_WORDS = 15
# A headline-like line before the body that shares this much vocabulary with the body is its
# standfirst, not a link to another story.
STANDFIRST_OVERLAP = 0.6
LEDE_MAX_WORDS = 60
RELATED_MAX_WORDS = 40
DATE_LINE_SHARE = 0.5
# Page furniture is short: longer lines are never looked up in the lexicons.
FURNITURE_MAX_WORDS = 60


@dataclass(slots=True)
class Line:
    text: str
    label: Label = "content"
    kind: str | None = None  # why furniture was dropped: share, nav, comment_form…
    related_title: str | None = None
    author: str | None = None
    n_words: int = 0
    sentence_end: bool = False
    fixed: bool = False  # labelled by a lexicon or pattern; position rules leave it alone

    @property
    def prose(self) -> bool:
        if self.fixed:
            return False
        if self.question:
            # Headlines are often questions; a paragraph that ends with one is long.
            return self.n_words >= QUESTION_PROSE_WORDS
        return (self.sentence_end and self.n_words >= PROSE_MIN_WORDS) or (
            self.n_words >= LONG_LINE_WORDS
        )

    @property
    def question(self) -> bool:
        return self.sentence_end and bool(_QUESTION_END.search(self.text))

    @property
    def headline_shaped(self) -> bool:
        return not self.fixed and not self.sentence_end and self.n_words >= 1


@dataclass(slots=True)
class Segmentation:
    lines: list[Line]
    title: str | None = None
    author: str | None = None
    author_bio: str | None = None
    notes: list[str] = field(default_factory=list)


def parse_byline(line: str) -> str | None:
    """The author's name when the line is a byline (``بقلم X``, ``كتب: X``, ``Written by X``)."""
    text = line.strip()
    for pattern in byline_patterns():
        match = pattern.match(text)
        if not match:
            continue
        name = _NAME_TRAILER.sub("", match.group("name")).strip(" .:：*")
        if 1 <= len(_WORD.findall(name)) <= 6 and not _SENTENCE_END.search(name):
            return name
    return None


def parse_related_cue(line: str) -> str | None:
    """The headline after an ``اقرأ أيضا:`` cue, when the line is one."""
    for pattern in related_cue_patterns():
        match = pattern.match(line.strip())
        if match:
            return match.group("title").strip()
    return None


def _is_date_line(text: str) -> bool:
    """A dateline of the page ("الجمعة 30 أيلول 2022 - آخر تحديث: 18:40"), not a sentence."""
    if len(text) > 80:
        return False
    dated = sum(match.end - match.start for match in find_dates(text))
    return dated >= DATE_LINE_SHARE * len(text.strip())


def _measure(text: str) -> Line:
    line = Line(text=text)
    line.n_words = len(_WORD.findall(text))
    line.sentence_end = bool(_SENTENCE_END.search(text))
    return line


def _label_by_lexicon(line: Line, page_is_arabic: bool) -> None:
    if line.n_words > FURNITURE_MAX_WORDS:
        return
    name = parse_byline(line.text)
    if name:
        line.label, line.kind, line.author, line.fixed = "byline", "byline", name, True
        return
    related = parse_related_cue(line.text)
    if related:
        line.label, line.kind, line.related_title, line.fixed = "related", "related", related, True
        return
    kind = boilerplate().match(line.text)
    if kind:
        line.label, line.kind, line.fixed = "boilerplate", kind, True
        return
    if _is_date_line(line.text):
        line.label, line.kind, line.fixed = "boilerplate", "other", True
        return
    if page_is_arabic and line.n_words >= 2 and arabic_ratio(line.text) == 0.0:
        # Latin-only lines inside an Arabic page are embeds, widgets and buttons.
        line.label, line.kind, line.fixed = "boilerplate", "embed", True


def _body_span(lines: list[Line]) -> tuple[int, int] | None:
    """The densest run of prose lines: [first, last] indices, or None when there is no prose.

    Lines between two prose lines stay in the run unless one of them terminates the article
    (a comment form, a byline, a copyright line) or more than three non-prose lines in a row
    separate the two (a block of links, not a subheading)."""
    runs: list[tuple[int, int, int]] = []  # (first, last, words)
    first = last = -1
    words_in_run = 0
    gap = 0
    for i, line in enumerate(lines):
        if line.prose:
            if first < 0:
                first = i
            last, gap = i, 0
            words_in_run += line.n_words
            continue
        if first < 0:
            continue
        gap += 1
        if (line.fixed and line.kind in _TERMINATORS) or gap > 3:
            runs.append((first, last, words_in_run))
            first, words_in_run, gap = -1, 0, 0
    if first >= 0:
        runs.append((first, last, words_in_run))
    if not runs:
        return None
    best = max(runs, key=lambda run: run[2])
    return best[0], best[1]


def _overlap(line: str, vocabulary: Counter[str]) -> float:
    tokens = [w for w in words(line) if len(w) > 2]
    if not tokens:
        return 0.0
    return sum(1 for w in tokens if w in vocabulary) / len(tokens)


def _mark_bios(lines: list[Line], author: str | None) -> str | None:
    """Prose next to a byline that starts with the author's name or reads like a biography."""
    markers = author_bio_markers()
    author_norm = normalize(author) if author else None
    bio = None
    for i, line in enumerate(lines):
        if line.label != "byline":
            continue
        for j in (i + 1, i + 2, i - 1):
            if not 0 <= j < len(lines) or lines[j].fixed:
                continue
            candidate = lines[j]
            if candidate.n_words < PROSE_MIN_WORDS:
                continue
            norm = normalize(candidate.text)
            if (author_norm and norm.startswith(author_norm)) or any(
                marker in norm for marker in markers
            ):
                candidate.label, candidate.kind, candidate.fixed = "author_bio", "author_bio", True
                bio = bio or candidate.text
                break
    if author_norm:
        # Author boxes are not always next to the byline: a line that opens with the author's
        # name and reads like a biography is one wherever it stands.
        for line in lines:
            norm = normalize(line.text)
            if (
                not line.fixed
                and norm.startswith(author_norm)
                and any(marker in norm for marker in markers)
            ):
                line.label, line.kind, line.fixed = "author_bio", "author_bio", True
                bio = bio or line.text
    return bio


def segment(
    texts: list[str],
    *,
    title: str | None = None,
    body_only: bool = False,
    heading_hint: list[bool] | None = None,
) -> Segmentation:
    """Label each line of a page.

    ``title`` is a headline already known (from metadata); lines repeating it are dropped.
    ``body_only`` says the lines are already the article's main block (an HTML extractor's
    output): no title is searched for and only furniture the lexicons know is removed, up to the
    first line that ends the article; ``heading_hint`` then says which lines the markup calls
    headings.
    """
    lines = [_measure(t) for t in texts]
    page_is_arabic = arabic_ratio(" ".join(texts[:200])) > 0.3
    for line in lines:
        _label_by_lexicon(line, page_is_arabic)
    authors = [line.author for line in lines if line.author]
    author = authors[0] if authors else None
    result = Segmentation(lines=lines, author=author)
    result.author_bio = _mark_bios(lines, author)
    title_norm = normalize(title) if title else None
    if title_norm:
        for line in lines:
            if not line.fixed and normalize(line.text) == title_norm:
                line.label, line.kind, line.fixed = "title", "title", True
                result.title = line.text

    if body_only:
        _label_body_only(lines, heading_hint or [False] * len(lines))
    else:
        _label_by_position(lines, result)
    return result


def _label_body_only(lines: list[Line], heading_hint: list[bool]) -> None:
    ended = seen_prose = False
    for line, is_heading in zip(lines, heading_hint, strict=True):
        if ended:
            if not line.fixed:
                line.label, line.kind = _after_body_label(line)
            continue
        if line.fixed:
            # A byline above the text opens the article; below it, it closes it.
            ended = line.kind in _TERMINATORS and seen_prose
            continue
        line.label = "heading" if is_heading and not line.prose else "content"
        seen_prose = seen_prose or line.prose


def _after_body_label(line: Line) -> tuple[Label, str]:
    # Headlines can be long; what marks a link to another story is that it is not a sentence
    # (or is a question).
    if (line.headline_shaped or line.question) and 3 <= line.n_words <= RELATED_MAX_WORDS:
        return "related", "related"
    return "boilerplate", "other"


def _label_by_position(lines: list[Line], result: Segmentation) -> None:
    span = _body_span(lines)
    if span is None:
        # No prose at all: keep every unlabelled line so nothing is silently lost.
        for line in lines:
            if not line.fixed:
                line.label = "content"
        result.notes.append("no prose lines found; page kept whole")
        return
    start, end = span
    vocabulary: Counter[str] = Counter()
    for line in lines[start : end + 1]:
        if line.prose:
            vocabulary.update(w for w in words(line.text) if len(w) > 2)

    # Inside the body: headings, inline related links, furniture.
    previous_cue = False
    for line in lines[start : end + 1]:
        if line.fixed:
            previous_cue = line.kind == "related" and line.related_title is None
            continue
        if line.prose:
            line.label = "content"
        elif previous_cue and line.n_words >= 3:
            line.label, line.kind = "related", "related"
        elif line.n_words <= HEADING_MAX_WORDS:
            line.label = "heading"
        else:
            line.label = "content"
        previous_cue = False

    # Before the body: the title, a standfirst, or links to other stories.
    before = [line for line in lines[:start] if not line.fixed]
    if result.title is None:
        candidates = [line for line in before if 3 <= line.n_words <= 40]
        if candidates:
            best = max(
                candidates,
                key=lambda ln: _overlap(ln.text, vocabulary) - 0.02 * candidates.index(ln),
            )
            best.label, best.kind, best.fixed = "title", "title", True
            result.title = best.text
    # Above the headline sit the masthead and menus; between it and the text, a standfirst or
    # links to other stories.
    seen_title = result.title is None
    for line in lines[:start]:
        if line.label == "title":
            seen_title = True
            continue
        if line.fixed:
            continue
        if line.n_words < 3 or not seen_title:
            line.label, line.kind = "boilerplate", "nav"
        elif _overlap(line.text, vocabulary) >= STANDFIRST_OVERLAP:
            line.label = "lede"
        else:
            line.label, line.kind = "related", "related"

    # After the body: bylines and bios are already known; the rest is links or furniture. A
    # list under a "الأكثر قراءة" / "آخر الأخبار" header is the site's menu, not related stories.
    in_menu = False
    for line in lines[end + 1 :]:
        if line.fixed:
            if line.related_title is None and line.kind in ("nav", "related"):
                in_menu = line.kind == "nav"
            continue
        line.label, line.kind = _after_body_label(line)
        if in_menu and line.label == "related":
            line.label, line.kind = "boilerplate", "nav"


def lede_of(paragraphs: list[str]) -> str | None:
    """The first paragraph, when it is short enough to be a summary of the story."""
    if not paragraphs:
        return None
    first = paragraphs[0]
    n = len(_WORD.findall(first))
    return first if 0 < n <= LEDE_MAX_WORDS and len(paragraphs) > 1 else None
